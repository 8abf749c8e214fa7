/* The union of every state's land (part of the GEOS adapter, see geosctx.h). Most land
 * polygons are islands that touch no other state's land: only the polygons whose boxes meet a
 * polygon of another state need noding against each other; the rest join the result as they
 * are. Each state's own land is valid already (its polygons are disjoint), so the result is a
 * valid multipolygon, and the union nodes a few hundred polygons instead of thousands. */
#include <stdlib.h>

#include "zones/geosctx.h"

typedef struct upoly {
  const GEOSGeometry *g; /* borrowed from its state's geometry */
  double b[4];
  size_t state;
  bool meets; /* its box meets that of another state's polygon */
} upoly;

static int by_minx(const void *a, const void *b)
{
  double x = ((const upoly *)a)->b[0], y = ((const upoly *)b)->b[0];
  return (x > y) - (x < y);
}

/* Mark the polygons whose boxes meet a box of another state's polygon (a sweep along x). */
static void mark_meeting(upoly *p, size_t n)
{
  qsort(p, n, sizeof *p, by_minx);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n && p[j].b[0] <= p[i].b[2]; j++)
      if (p[j].state != p[i].state && p[j].b[1] <= p[i].b[3] && p[i].b[1] <= p[j].b[3])
        p[i].meets = p[j].meets = true;
}

static GEOSGeometry *collect(shoal_zgeos *c, GEOSGeometry **gs, size_t n, int type)
{
  return GEOSGeom_createCollection_r(c->h, type, gs, (unsigned)n);
}

/* The polygons of u (a polygon or multipolygon, consumed) appended to out as clones. */
static size_t take_parts(shoal_zgeos *c, GEOSGeometry *u, GEOSGeometry **out, size_t k)
{
  int m = GEOSGetNumGeometries_r(c->h, u);
  for (int i = 0; i < m; i++) {
    const GEOSGeometry *q = GEOSGetGeometryN_r(c->h, u, i);
    if (GEOSGeomTypeId_r(c->h, q) == GEOS_POLYGON && !GEOSisEmpty_r(c->h, q))
      out[k++] = GEOSGeom_clone_r(c->h, q);
  }
  GEOSGeom_destroy_r(c->h, u);
  return k;
}

shoal_zg *shoal_zgeos_union_states(shoal_zgeos *c, shoal_zg **zs, size_t n)
{
  size_t np = 0;
  for (size_t s = 0; s < n; s++)
    if (zs[s])
      np += (size_t)GEOSGetNumGeometries_r(c->h, G(zs[s]));
  upoly *p = calloc(np ? np : 1, sizeof *p);
  GEOSGeometry **meet = calloc(np ? np : 1, sizeof *meet), **out = NULL;
  size_t k = 0, nm = 0, no = 0;
  for (size_t s = 0; p && s < n; s++)
    for (int i = 0; zs[s] && i < GEOSGetNumGeometries_r(c->h, G(zs[s])); i++) {
      upoly *q = &p[k++];
      q->g = GEOSGetGeometryN_r(c->h, G(zs[s]), i);
      q->state = s;
      if (GEOSGeomTypeId_r(c->h, q->g) != GEOS_POLYGON || GEOSisEmpty_r(c->h, q->g) ||
          !GEOSGeom_getExtent_r(c->h, q->g, &q->b[0], &q->b[1], &q->b[2], &q->b[3]))
        k--; /* an empty part joins nothing */
    }
  GEOSGeometry *u = NULL, *res = NULL;
  if (p && meet) {
    mark_meeting(p, k);
    for (size_t i = 0; i < k; i++)
      if (p[i].meets)
        meet[nm++] = GEOSGeom_clone_r(c->h, p[i].g);
    GEOSGeometry *coll = collect(c, meet, nm, GEOS_GEOMETRYCOLLECTION);
    u = coll ? GEOSUnaryUnion_r(c->h, coll) : NULL;
    if (coll)
      GEOSGeom_destroy_r(c->h, coll);
    else
      for (size_t i = 0; i < nm; i++)
        GEOSGeom_destroy_r(c->h, meet[i]);
  }
  if (u) {
    int nu = GEOSGetNumGeometries_r(c->h, u);
    out = calloc(k + (size_t)(nu > 0 ? nu : 0) + 1, sizeof *out);
  }
  if (out) {
    no = take_parts(c, u, out, 0);
    u = NULL;
    for (size_t i = 0; i < k; i++)
      if (!p[i].meets)
        out[no++] = GEOSGeom_clone_r(c->h, p[i].g);
    res = collect(c, out, no, GEOS_MULTIPOLYGON);
    if (!res)
      for (size_t i = 0; i < no; i++)
        GEOSGeom_destroy_r(c->h, out[i]);
  }
  if (u)
    GEOSGeom_destroy_r(c->h, u);
  free(out);
  free(meet);
  free(p);
  for (size_t s = 0; s < n; s++) {
    if (zs[s])
      GEOSGeom_destroy_r(c->h, (GEOSGeometry *)(void *)zs[s]);
    zs[s] = NULL;
  }
  return Z(res);
}
