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

typedef struct xcache_entry {
  char *src, *dst;
  PJ *pj;         /* NULL = identity */
  size_t slot;    /* 1 + the shared cache's entry for this pair, or 0 */
  bool seam_done; /* seam below is worked out (it costs proj.db lookups) */
  shoal_seam seam;
} xcache_entry;

struct shoal_proj {
  PJ_CONTEXT *ctx;
  char msg[512]; /* first error PROJ logged since the last msg_reset */
  xcache_entry cache[XFORM_CACHE_MAX];
  size_t ncache;
  shoal_projcache *share; /* borrowed (or owned when own_share); NULL in the cache's own */
  bool own_share;
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

/* The shared cache's side (xform_share.c). Each takes the cache's lock. */
/* The operation between what src and dst stand for, cloned into ctx (NULL for the identity)
 * and the slot that names the pair; false when it cannot be built (the caller builds it
 * itself, which gives the reason). */
bool shoal_projcache_op(shoal_projcache *c, PJ_CONTEXT *ctx, const char *src, const char *dst,
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
