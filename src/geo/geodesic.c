/* Geodesics on the WGS84 ellipsoid through PROJ's geodesic routines (geodesic.h): distances,
 * azimuths and destination points for scale bars, range rings and distance notes. */
#include <geodesic.h>

#include "geo/xform.h"

/* WGS84 ellipsoid; built per call because geod_init is cheap and this keeps no shared state. */
static void wgs84(struct geod_geodesic *g) { geod_init(g, 6378137.0, 1.0 / 298.257223563); }

double shoal_geod_inverse(double lon1, double lat1, double lon2, double lat2, double *azi1,
                          double *azi2)
{
  struct geod_geodesic g;
  double s12 = 0.0, a1 = 0.0, a2 = 0.0;
  wgs84(&g);
  geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &a1, &a2);
  if (azi1)
    *azi1 = a1;
  if (azi2)
    *azi2 = a2;
  return s12;
}

void shoal_geod_direct(double lon, double lat, double azi, double dist, double *lon2, double *lat2)
{
  struct geod_geodesic g;
  double la = 0.0, lo = 0.0;
  wgs84(&g);
  geod_direct(&g, lat, lon, azi, dist, &la, &lo, NULL);
  *lon2 = lo;
  *lat2 = la;
}

double shoal_geod_ring_area(const double *xy, size_t n)
{
  struct geod_geodesic g;
  wgs84(&g);
  if (n > 1 && xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1])
    n--; /* geod_polygonarea closes the ring itself */
  if (n < 3 || n > (size_t)1 << 30)
    return 0.0;
  struct geod_polygon p;
  geod_polygon_init(&p, 0);
  for (size_t i = 0; i < n; i++)
    geod_polygon_addpoint(&g, &p, xy[2 * i + 1], xy[2 * i]);
  double area = 0.0;
  geod_polygon_compute(&g, &p, 0, 1, &area, NULL);
  return area;
}
