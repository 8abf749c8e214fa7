/* Seams and horizons: lon/lat geometry cut where a map CRS tears the globe apart (the
 * antimeridian of its central meridian) or clipped to the part of the globe it can show (the
 * visible cap of an orthographic or other azimuthal view), before projection, so no edge of a
 * feature ever jumps across the map or reaches round the back of the globe. */
#ifndef SHOAL_SEAM_H
#define SHOAL_SEAM_H

#include <stdbool.h>
#include <stddef.h>

#include "geo/geom.h"

/* How one map CRS treats lon/lat geometry; filled by shoal_xform_seam. */
typedef struct shoal_seam {
  bool cut;    /* cut at the meridians lon0 + 180 + 360 k (a cylindrical, conic... CRS) */
  double lon0; /* central meridian, degrees; the map shows lon0 - 180 .. lon0 + 180 */
  bool cap;    /* clip to the spherical cap (clon, clat, crad) instead (azimuthal views) */
  double clon, clat, crad; /* degrees */
  /* x-periodic CRS (lon/lat, Mercator, equirectangular...): lon + 360 lands at x + period.
   * wx0..wx1 is the x range of lon0 - 180 .. lon0 + 180 in map units. */
  bool periodic;
  double period, wx0, wx1;
  /* Latitudes past +-latmax cannot be projected (a conic's far pole); rings are held inside it
   * so that one round a pole closes along the map's edge instead of across the map. 0: none. */
  double latmax;
} shoal_seam;

/* Distance kept from a seam (degrees): a vertex on the seam is moved this far to the side of
 * the piece it belongs to, so PROJ puts it on the right edge of the map. */
#define SHOAL_SEAM_EPS 1e-7

/* Cut g (lon/lat degrees; POINT, LINE or POLYGON) at the seams of s and shift every piece into
 * lon0 - 180 .. lon0 + 180: rings are clipped to each 360-degree strip they reach and closed
 * along the seam (densified there, so the closing edge follows the map's edge), lines are
 * split where they cross. Parts that cross no seam are left as they are, so the common case
 * costs one pass over the longitudes. tmp is scratch; the result is in g. False when out of
 * memory (g is then left cleared). */
bool shoal_seam_cut(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp);

/* Clip g (lon/lat degrees) to the cap of s: rings keep what lies inside the cap and close
 * along its edge (the horizon), lines are cut where they leave it, points outside are dropped.
 * tmp is scratch; the result is in g. False when out of memory. */
bool shoal_seam_cap(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp);

/* Both, as the seam asks for (nothing when it asks for neither), after holding rings inside
 * latmax. */
bool shoal_seam_apply(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp);

/* For a periodic CRS: g (map units, after projection) repeated at x + j * period for every
 * j that brings a part into x0..x1 (a view reaching past the map's edge, e.g. across 180);
 * parts that land in no copy are dropped. Nothing happens when x0..x1 lies inside wx0..wx1.
 * tmp is scratch. False when out of memory. */
bool shoal_seam_repeat(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp, double x0, double x1);

/* The point at angular distance crad and azimuth az (degrees) from the cap's centre: a point
 * on the horizon. */
void shoal_seam_cap_point(const shoal_seam *s, double az, double *lon, double *lat);

/* Whether planar ring xy (n vertices, lon/lat) contains (x, y), even-odd. */
bool shoal_seam_ring_contains(const double *xy, size_t n, double x, double y);

#endif
