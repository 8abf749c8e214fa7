/* GEOS adapter, second file (zgeos.h): prepared geometries for many point tests, and land
 * with its holes filled. */
#include <stdlib.h>

#include "zones/geosctx.h"

#define P(p) ((const GEOSPreparedGeometry *)(const void *)(p))

shoal_zprep *shoal_zgeos_prepare(shoal_zgeos *c, const shoal_zg *z)
{
  return (shoal_zprep *)(void *)GEOSPrepare_r(c->h, G(z));
}

void shoal_zgeos_unprepare(shoal_zgeos *c, shoal_zprep *p)
{
  if (p)
    GEOSPreparedGeom_destroy_r(c->h, P(p));
}

bool shoal_zgeos_covers_xy(shoal_zgeos *c, const shoal_zprep *p, double x, double y)
{
  GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(c->h, x, y);
  bool r = pt && GEOSPreparedCovers_r(c->h, P(p), pt) == 1;
  if (pt)
    GEOSGeom_destroy_r(c->h, pt);
  return r;
}

bool shoal_zgeos_near_xy(shoal_zgeos *c, const shoal_zprep *p, double x, double y, double dist)
{
  GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(c->h, x, y);
  bool r = pt && GEOSPreparedDistanceWithin_r(c->h, P(p), pt, dist) == 1;
  if (pt)
    GEOSGeom_destroy_r(c->h, pt);
  return r;
}

shoal_zg *shoal_zgeos_fill_holes(shoal_zgeos *c, const shoal_zg *z)
{
  int n = GEOSGetNumGeometries_r(c->h, G(z)), k = 0;
  GEOSGeometry **ps = calloc((size_t)n + 1, sizeof *ps);
  for (int i = 0; ps && i < n; i++) {
    const GEOSGeometry *g = GEOSGetGeometryN_r(c->h, G(z), i);
    if (GEOSGeomTypeId_r(c->h, g) != GEOS_POLYGON || GEOSisEmpty_r(c->h, g))
      continue;
    GEOSGeometry *r = GEOSGeom_clone_r(c->h, GEOSGetExteriorRing_r(c->h, g));
    GEOSGeometry *p = r ? GEOSGeom_createPolygon_r(c->h, r, NULL, 0) : NULL;
    if (p)
      ps[k++] = p;
  }
  GEOSGeometry *m =
      ps ? GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, ps, (unsigned)k) : NULL;
  if (!m)
    for (int i = 0; ps && i < k; i++)
      GEOSGeom_destroy_r(c->h, ps[i]);
  free(ps);
  return Z(m);
}
