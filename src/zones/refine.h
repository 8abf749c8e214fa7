/* Geodesic refinement of approximate limits and median lines, and the azimuthal equidistant
 * plane the approximations are built in. Internal to zones/. */
#ifndef SHOAL_ZONES_REFINE_H
#define SHOAL_ZONES_REFINE_H

#include <stdbool.h>

#include "geo/geom.h"
#include "zones/near.h"

/* Azimuthal equidistant plane centred on (lon0, lat0), exact on the ellipsoid (through the
 * geodesic inverse and direct problems): x east, y north, metres. */
typedef struct shoal_aeqd {
  double lon0, lat0;
} shoal_aeqd;
/* Callbacks for shoal_zgeos_transform (ctx is a shoal_aeqd). */
int shoal_aeqd_fwd(double *x, double *y, void *ctx);
int shoal_aeqd_inv(double *x, double *y, void *ctx);

/* Move every vertex of g's parts (lon/lat rings, closed) to geodesic distance d from z's
 * nearest point, then add vertices until each edge's midpoint is within tol metres of d.
 * Returns the count of distance evaluations (work done), or -1 when out of memory. */
long shoal_zrefine_limit(const shoal_znear *z, double d, double tol, shoal_geom *g);

/* Whether a median vertex at (lon, lat) lies where the line matters (at sea). */
typedef bool (*shoal_zwhere_fn)(void *ctx, double lon, double lat);

/* Move every vertex of g's lines (lon/lat) across the line until it is equidistant from a and
 * b, then add vertices until each edge's midpoint is equidistant within tol metres. With
 * where, only vertices where it holds and their near neighbours are refined (elsewhere the
 * line stays as it was, only to separate the two sides), and kept (when not NULL) receives
 * the refined stretches. Returns the work done, or -1 when out of memory. */
long shoal_zrefine_median(const shoal_znear *a, const shoal_znear *b, double tol,
                          shoal_zwhere_fn where, void *where_ctx, shoal_geom *g, shoal_geom *kept);

#endif
