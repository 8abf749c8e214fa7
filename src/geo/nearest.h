/* The point of a set of lon/lat polylines (a coastline) nearest to a given point on the WGS84
 * ellipsoid: screened on a local plane, then refined along the geodesic of each close segment
 * with PROJ's geodesic routines, so the answer is the true nearest point, not a vertex. */
#ifndef SHOAL_NEAREST_H
#define SHOAL_NEAREST_H

#include <stdbool.h>
#include <stddef.h>

/* The best point found so far for a query point. Start with shoal_nearest_init, feed every
 * polyline with shoal_nearest_add, read the answer. */
typedef struct shoal_nearest {
  double lon0, lat0; /* the query point, degrees */
  bool found;
  double lon, lat; /* nearest point, degrees */
  double metres;   /* geodesic distance to it */
  size_t calls;    /* segments refined geodesically (for tests and profiling) */
} shoal_nearest;

void shoal_nearest_init(shoal_nearest *n, double lon0, double lat0);
/* Consider the polyline xy (npts lon/lat pairs; a ring repeats its first point at its end).
 * Points that are not finite are skipped, as are segments touching them. */
void shoal_nearest_add(shoal_nearest *n, const double *xy, size_t npts);

#endif
