/* Shared by the PROJ adapter's files (xform.c, xform_share.c): the context and transformation
 * structs and the helpers that make CRSs and operations. Internal to src/geo/. */
#ifndef SHOAL_XFORM_PRIV_H
#define SHOAL_XFORM_PRIV_H

#include <proj.h>

#include "geo/xform.h"

/* Creating a transformation searches proj.db (SQLite) and was ~10 % of a render; a job asks
 * for the same few pairs many times (every layer from WGS84, graticule, inset), so each
 * context keeps the operations it has (built, or cloned from the shared cache). */
#define XFORM_CACHE_MAX 64

/* An operation that is a unit conversion of lon/lat degrees to radians and one projection
 * step (or that step inverted, then radians to degrees), run as its step alone with the
 * conversion done here, by the very same multiplication or division PROJ's unitconvert does
 * (xform_fast.c): the same numbers, without two of PROJ's three per-point calls. */
typedef struct shoal_fastop {
  signed char state; /* 0: not looked at yet; 1: usable; -1: not this kind */
  bool inv;          /* the pipeline runs the step inverted (map CRS -> lon/lat) */
  double f;          /* the pipeline's unitconvert factor */
  PJ *step;          /* the step alone, radians in or out */
} shoal_fastop;

typedef struct xcache_entry {
  char *src, *dst;
  PJ *pj;         /* NULL = identity */
  size_t slot;    /* 1 + the shared cache's entry for this pair, or 0 */
  bool seam_done; /* seam below is worked out (it costs proj.db lookups) */
  shoal_seam seam;
  shoal_fastop fast; /* made on first use */
} xcache_entry;

struct shoal_proj {
  PJ_CONTEXT *ctx;
  char msg[512]; /* first error PROJ logged since the last msg_reset */
  xcache_entry cache[XFORM_CACHE_MAX];
  size_t ncache;
  shoal_projcache *share; /* borrowed (or owned when own_share); NULL in the cache's own */
  bool own_share;
  bool db;       /* proj.db is within PROJ's reach (shoal_xform_priv_need_db) */
  bool built_db; /* the last shoal_xform_priv_build asked proj.db (its clones need it too) */
};

struct shoal_xform {
  shoal_proj *p;
  PJ *pj;          /* NULL for the identity */
  bool owned;      /* false when pj belongs to the context's cache */
  char *src, *dst; /* the definitions it was made from, for shoal_xform_copy */
  bool seam_done;  /* seam is worked out on first use */
  shoal_seam seam;
  size_t entry; /* 1 + the context's cache entry for src -> dst, or 0 */
  size_t slot;  /* 1 + the shared cache's entry, or 0 */
};

/* A context without a shared cache (the shared cache's own). Caller frees with
 * shoal_proj_free. */
shoal_proj *shoal_xform_priv_context(void);
/* The CRS named by def, or NULL with the reason in p->msg. Caller frees with proj_destroy. */
PJ *shoal_xform_priv_crs(shoal_proj *p, const char *def);
/* Build the operation src -> dst in p's context, axis order normalised: *pj NULL for the
 * identity. On failure returns SHOAL_ERR_DATA with the reason in err (may be NULL). */
shoal_status shoal_xform_priv_build(shoal_proj *p, const char *src, const char *dst, PJ **pj,
                                    char *err, size_t errlen);

/* The CRS def stands for: a bound CRS (one with +towgs84) shows its source. Caller frees with
 * proj_destroy; NULL when def is not a CRS. */
PJ *shoal_xform_priv_base_crs(shoal_proj *p, const char *def);
/* shoal_xform_fwd (dir PJ_FWD) or shoal_xform_inv (PJ_INV). */
size_t shoal_xform_priv_trans(shoal_xform *t, PJ_DIRECTION dir, double *xy, size_t n);

/* Transform as shoal_xform_priv_trans with t's fast operation, made on first use; false when
 * t has none (the caller runs the whole pipeline). */
bool shoal_xform_priv_fast(shoal_xform *t, PJ_DIRECTION dir, double *xy, size_t n);

/* proj.db on demand (xform_known.c). A context starts without it (db_off); anything but a
 * known definition (shoal_xform_priv_known) turns it on first (need_db), for good. */
void shoal_xform_priv_db_off(shoal_proj *p);
void shoal_xform_priv_need_db(shoal_proj *p);
/* What PROJ would say about a definition it can take without proj.db. */
typedef struct shoal_knowncrs {
  char crs[128];         /* the same CRS as a PROJ string; "" for def itself */
  bool geographic;       /* lon/lat */
  bool has_area;         /* proj.db's area of use: ... */
  double area[4];        /* ... its box */
  const char *area_name; /* ... its name: static, or name below */
  char name[160];        /* a UTM zone's area name (proj.db's, less its list of countries) */
} shoal_knowncrs;
/* True, with *k filled, when def is one of the definitions taken without proj.db: EPSG:4326,
 * EPSG:3857, EPSG:326NN/327NN (WGS84 UTM) or a PROJ string of a common projection on
 * +datum=WGS84 with nothing but the projection's own parameters. */
bool shoal_xform_priv_known(const char *def, shoal_knowncrs *k);

/* The shared cache's side (xform_share.c). Each takes the cache's lock. */
/* The operation between what src and dst stand for, cloned into ctx (NULL for the identity)
 * and the slot that names the pair; false when it cannot be built (the caller builds it
 * itself, which gives the reason). */
bool shoal_projcache_op(shoal_projcache *c, shoal_proj *p, const char *src, const char *dst,
                        PJ **pj, size_t *slot);
/* The definition def stands for: "EPSG:4326" for any WKT of WGS84 lon/lat (an ESRI .prj's
 * GCS_WGS_1984), else def's own text. Borrowed until c is freed. NULL when out of memory. */
const char *shoal_projcache_canon(shoal_projcache *c, const char *def);
/* What a job asks about a CRS definition, worked out once per process. */
typedef struct shoal_crsfacts {
  bool geographic;       /* shoal_proj_is_geographic */
  bool has_area;         /* shoal_proj_area_of_use: ... */
  double area[4];        /* ... its box */
  const char *area_name; /* ... and name; borrowed until the cache is freed */
} shoal_crsfacts;

/* The facts about def when PROJ accepts it as a CRS; false when it does not (the caller asks
 * its own context, which gives the reason) or when out of memory. */
bool shoal_projcache_facts(shoal_projcache *c, const char *def, shoal_crsfacts *f);
/* Copy slot's seam into *s when it is known; store one with put. */
bool shoal_projcache_seam_get(shoal_projcache *c, size_t slot, shoal_seam *s);
void shoal_projcache_seam_put(shoal_projcache *c, size_t slot, const shoal_seam *s);

#endif
