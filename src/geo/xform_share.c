/* The process-wide side of the PROJ adapter: each CRS definition identified once and each
 * CRS-pair operation built once, then cloned into every job's and thread's own context. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "geo/xform_priv.h"

/* Distinct definitions and pairs a process meets: a handful per map. Past it nothing new is
 * shared (each context then builds its own, as before). */
#define SHARE_MAX 1024

typedef struct ident {
  char *def, *canon; /* owned */
} ident;

typedef struct fact {
  char *def; /* owned */
  bool ok;   /* a CRS PROJ accepts; the rest is set only then */
  shoal_crsfacts f;
  char *area_name; /* owned; f.area_name points here */
} fact;

typedef struct shared_op {
  char *src, *dst; /* owned, canonical */
  PJ *pj;          /* in the cache's context; NULL = identity */
  bool db;         /* built from proj.db: a context cloning it needs proj.db too */
  bool seam_done;
  shoal_seam seam;
} shared_op;

struct shoal_projcache {
  pthread_mutex_t mu;
  shoal_proj *own; /* the cache's context: only used under mu */
  PJ *wgs84;       /* EPSG:4326, made on first need */
  ident *ids;
  size_t nids, capids;
  shared_op *ops;
  size_t nops, capops;
  fact *facts;
  size_t nfacts, capfacts;
};

shoal_projcache *shoal_projcache_new(void)
{
  shoal_projcache *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (!(c->own = shoal_xform_priv_context())) {
    free(c);
    return NULL;
  }
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

void shoal_projcache_free(shoal_projcache *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->nids; i++) {
    free(c->ids[i].def);
    free(c->ids[i].canon);
  }
  for (size_t i = 0; i < c->nops; i++) {
    free(c->ops[i].src);
    free(c->ops[i].dst);
    proj_destroy(c->ops[i].pj);
  }
  for (size_t i = 0; i < c->nfacts; i++) {
    free(c->facts[i].def);
    free(c->facts[i].area_name);
  }
  free(c->ids);
  free(c->ops);
  free(c->facts);
  proj_destroy(c->wgs84);
  shoal_proj_free(c->own);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

shoal_proj *shoal_proj_new_shared(shoal_projcache *c)
{
  shoal_proj *p = shoal_xform_priv_context();
  if (p)
    p->share = c;
  return p;
}

shoal_proj *shoal_proj_new(void)
{
  shoal_projcache *c = shoal_projcache_new();
  shoal_proj *p = c ? shoal_proj_new_shared(c) : NULL;
  if (!p) {
    shoal_projcache_free(c);
    return NULL;
  }
  p->own_share = true;
  return p;
}

shoal_projcache *shoal_xform_cache(const shoal_xform *t) { return t->p->share; }

/* A WKT (what a .prj holds) starts with its keyword and has brackets; parsing an ESRI one
 * costs a dozen proj.db queries each time, which is what identifying it once saves. Codes
 * and PROJ strings are cheap to parse and are left as written. */
static bool is_wkt(const char *def)
{
  while (*def == ' ' || *def == '\t' || *def == '\n' || *def == '\r')
    def++;
  return (*def >= 'A' && *def <= 'Z') && strchr(def, '[') != NULL;
}

/* The .prj that ArcGIS, GDAL and PROJ write for WGS84 lon/lat, blanks taken out: known by
 * its text, the commonest .prj costs no parsing at all. Any other WKT goes to PROJ. */
static const char *const WGS84_PRJ[] = {
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
    "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137,"
    "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]]",
};

/* Whether def, blanks aside, is one of WGS84_PRJ. */
static bool is_known_wgs84(const char *def)
{
  for (size_t k = 0; k < sizeof WGS84_PRJ / sizeof *WGS84_PRJ; k++) {
    const char *a = def, *b = WGS84_PRJ[k];
    for (;; a++) {
      while (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r')
        a++;
      if (*a != *b)
        break;
      if (!*a)
        return true;
      b++;
    }
  }
  return false;
}

/* What def stands for, worked out in the cache's context (under mu). Caller frees. */
static char *identify(shoal_projcache *c, const char *def)
{
  bool wgs84 = is_known_wgs84(def);
  if (!wgs84 && is_wkt(def)) {
    PJ *crs = shoal_xform_priv_crs(c->own, def);
    if (crs && proj_get_type(crs) == PJ_TYPE_GEOGRAPHIC_2D_CRS) {
      shoal_xform_priv_need_db(c->own);
      if (!c->wgs84)
        c->wgs84 = proj_create(c->own->ctx, "EPSG:4326");
      /* Equivalent except axis order: an ESRI GCS_WGS_1984 is lon/lat, EPSG:4326 lat/lon, and
       * every operation is normalised to lon/lat anyway. Same ellipsoid, prime meridian and
       * unit, so the operation to any map CRS is the same pipeline. */
      wgs84 = c->wgs84 &&
              proj_is_equivalent_to(crs, c->wgs84, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
    }
    proj_destroy(crs);
  }
  return shoal_strdup(wgs84 ? "EPSG:4326" : def);
}

static const char *canon_locked(shoal_projcache *c, const char *def)
{
  for (size_t i = 0; i < c->nids; i++)
    if (strcmp(c->ids[i].def, def) == 0)
      return c->ids[i].canon;
  if (c->nids >= SHARE_MAX)
    return NULL;
  char *d = shoal_strdup(def), *k = identify(c, def);
  if (!d || !k || !SHOAL_GROW(&c->ids, &c->capids, c->nids + 1, 16, SHARE_MAX)) {
    free(d);
    free(k);
    return NULL;
  }
  c->ids[c->nids++] = (ident){d, k};
  return k;
}

const char *shoal_projcache_canon(shoal_projcache *c, const char *def)
{
  pthread_mutex_lock(&c->mu);
  const char *k = canon_locked(c, def);
  pthread_mutex_unlock(&c->mu);
  return k;
}

/* The operation src -> dst as the inverse of dst -> src, when that is known to be what PROJ
 * would choose: a conversion (a projection on the same datum, as from lon/lat to a map CRS
 * given as a PROJ string) has no alternative and its inverse is the same pipeline reversed,
 * which saves a proj.db search for the map's "to lon/lat" operation. Datum transformations
 * and sets of alternatives are left to PROJ to choose. */
static bool reverse_of(shoal_projcache *c, const char *src, const char *dst, PJ **pj, bool *db)
{
  for (size_t i = 0; i < c->nops; i++) {
    const shared_op *e = &c->ops[i];
    if (strcmp(e->src, dst) != 0 || strcmp(e->dst, src) != 0)
      continue;
    if (!e->pj) /* the identity both ways */
      return true;
    if (proj_get_type(e->pj) != PJ_TYPE_CONVERSION)
      return false;
    *db = e->db;
    *pj = proj_coordoperation_create_inverse(c->own->ctx, e->pj);
    return *pj != NULL;
  }
  return false;
}

/* The entry for src -> dst (canonical), built on first use; NULL when it cannot be. */
static shared_op *op_locked(shoal_projcache *c, const char *src, const char *dst)
{
  for (size_t i = 0; i < c->nops; i++)
    if (strcmp(c->ops[i].src, src) == 0 && strcmp(c->ops[i].dst, dst) == 0)
      return &c->ops[i];
  if (c->nops >= SHARE_MAX)
    return NULL;
  PJ *pj = NULL;
  bool db = false;
  if (!reverse_of(c, src, dst, &pj, &db)) {
    if (shoal_xform_priv_build(c->own, src, dst, &pj, NULL, 0) != SHOAL_OK)
      return NULL;
    db = c->own->built_db;
  }
  char *a = shoal_strdup(src), *b = shoal_strdup(dst);
  if (!a || !b || !SHOAL_GROW(&c->ops, &c->capops, c->nops + 1, 16, SHARE_MAX)) {
    free(a);
    free(b);
    proj_destroy(pj);
    return NULL;
  }
  c->ops[c->nops] = (shared_op){a, b, pj, db, false, {0}};
  return &c->ops[c->nops++];
}

bool shoal_projcache_op(shoal_projcache *c, shoal_proj *p, const char *src, const char *dst,
                        PJ **pj, size_t *slot)
{
  bool ok = false;
  *pj = NULL;
  *slot = 0;
  pthread_mutex_lock(&c->mu);
  const char *cs = canon_locked(c, src), *cd = canon_locked(c, dst);
  shared_op *e = cs && cd ? op_locked(c, cs, cd) : NULL;
  if (e) {
    /* A clone is made from the operation's own description, not searched for again in
     * proj.db, and transforms exactly as the original does. */
    if (e->db)
      shoal_xform_priv_need_db(p);
    *pj = e->pj ? proj_clone(p->ctx, e->pj) : NULL;
    ok = !e->pj || *pj;
    *slot = ok ? (size_t)(e - c->ops) + 1 : 0;
  }
  pthread_mutex_unlock(&c->mu);
  return ok;
}

/* The facts about def, found out in the cache's context (which has no shared cache, so asks
 * PROJ itself) on first use; NULL when out of memory or the table is full. */
static const fact *fact_locked(shoal_projcache *c, const char *def)
{
  for (size_t i = 0; i < c->nfacts; i++)
    if (strcmp(c->facts[i].def, def) == 0)
      return &c->facts[i];
  if (c->nfacts >= SHARE_MAX)
    return NULL;
  fact e = {shoal_strdup(def), false, {0}, NULL};
  if (!e.def || !SHOAL_GROW(&c->facts, &c->capfacts, c->nfacts + 1, 16, SHARE_MAX)) {
    free(e.def);
    return NULL;
  }
  shoal_knowncrs k;
  if (shoal_xform_priv_known(def, &k) && k.crs[0]) {
    /* What proj.db would answer, without it (a PROJ string is checked by PROJ, which needs
     * no proj.db for it). */
    e.ok = true;
    e.f = (shoal_crsfacts){k.geographic, k.has_area, {0}, NULL};
    memcpy(e.f.area, k.area, sizeof k.area);
    if (k.has_area && !(e.area_name = shoal_strdup(k.area_name))) {
      free(e.def);
      return NULL;
    }
    e.f.area_name = e.area_name;
  } else if ((e.ok = shoal_proj_check_crs(c->own, def, NULL, 0) == SHOAL_OK)) {
    char name[512];
    e.f.geographic = shoal_proj_is_geographic(c->own, def);
    e.f.has_area = shoal_proj_area_of_use(c->own, def, e.f.area, name, sizeof name);
    if (e.f.has_area && !(e.area_name = shoal_strdup(name))) {
      free(e.def);
      return NULL;
    }
    e.f.area_name = e.area_name;
  }
  c->facts[c->nfacts] = e;
  return &c->facts[c->nfacts++];
}

bool shoal_projcache_facts(shoal_projcache *c, const char *def, shoal_crsfacts *f)
{
  pthread_mutex_lock(&c->mu);
  const fact *e = fact_locked(c, def);
  bool ok = e && e->ok;
  if (ok)
    *f = e->f;
  pthread_mutex_unlock(&c->mu);
  return ok;
}

bool shoal_projcache_seam_get(shoal_projcache *c, size_t slot, shoal_seam *s)
{
  pthread_mutex_lock(&c->mu);
  bool ok = slot > 0 && slot <= c->nops && c->ops[slot - 1].seam_done;
  if (ok)
    *s = c->ops[slot - 1].seam;
  pthread_mutex_unlock(&c->mu);
  return ok;
}

void shoal_projcache_seam_put(shoal_projcache *c, size_t slot, const shoal_seam *s)
{
  pthread_mutex_lock(&c->mu);
  if (slot > 0 && slot <= c->nops) {
    c->ops[slot - 1].seam = *s;
    c->ops[slot - 1].seam_done = true;
  }
  pthread_mutex_unlock(&c->mu);
}
