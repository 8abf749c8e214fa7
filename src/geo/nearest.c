/* Nearest point of lon/lat polylines to a point, geodesically on WGS84 (geo/nearest.h).
 * Each segment is first bounded on the sphere (cheap, with a margin that covers the sphere's
 * error), and only segments that may hold the answer are refined: a golden-section search along the
 * segment's geodesic for the point at the smallest geodesic distance. Coastline segments are short,
 * so the distance along one is unimodal and the search converges to well under a millimetre. */
#include <math.h>

#include "geo/nearest.h"
#include "geo/xform.h"

#define EARTH_R 6371008.8 /* mean radius, metres: only for screening */
#define MARGIN_REL 0.01   /* sphere against ellipsoid: at most about 0.5 % */
#define MARGIN_ABS 50.0   /* metres */
#define GOLDEN_STEPS 64

void shoal_nearest_init(shoal_nearest *n, double lon0, double lat0)
{
  *n = (shoal_nearest){.lon0 = lon0, .lat0 = lat0, .metres = HUGE_VAL};
}

/* Great-circle distance on the mean sphere, metres: within half a per cent of the geodesic
 * on WGS84, which the screening margins cover. */
static double sphere(double lon1, double lat1, double lon2, double lat2)
{
  double r = M_PI / 180, a = sin((lat2 - lat1) * r / 2), b = sin((lon2 - lon1) * r / 2);
  double h = a * a + cos(lat1 * r) * cos(lat2 * r) * b * b;
  return 2 * EARTH_R * asin(sqrt(fmin(1, h)));
}

static bool usable(const double *p) { return isfinite(p[0]) && isfinite(p[1]) && fabs(p[1]) <= 90; }

/* Golden-section search along the geodesic from a to b for the point nearest the query. */
static void refine(shoal_nearest *n, const double *a, const double *b)
{
  double azi;
  double len = shoal_geod_inverse(a[0], a[1], b[0], b[1], &azi, NULL);
  double lo = 0, hi = len, best_s = 0, best_d = HUGE_VAL;
  const double g = (sqrt(5.0) - 1) / 2;
  double s1 = hi - g * (hi - lo), s2 = lo + g * (hi - lo), p[4];
  shoal_geod_direct(a[0], a[1], azi, s1, &p[0], &p[1]);
  shoal_geod_direct(a[0], a[1], azi, s2, &p[2], &p[3]);
  double d1 = shoal_geod_inverse(n->lon0, n->lat0, p[0], p[1], NULL, NULL);
  double d2 = shoal_geod_inverse(n->lon0, n->lat0, p[2], p[3], NULL, NULL);
  for (int i = 0; i < GOLDEN_STEPS && hi - lo > 1e-4; i++) {
    if (d1 <= d2) {
      hi = s2, s2 = s1, d2 = d1;
      s1 = hi - g * (hi - lo);
      shoal_geod_direct(a[0], a[1], azi, s1, &p[0], &p[1]);
      d1 = shoal_geod_inverse(n->lon0, n->lat0, p[0], p[1], NULL, NULL);
    } else {
      lo = s1, s1 = s2, d1 = d2;
      s2 = lo + g * (hi - lo);
      shoal_geod_direct(a[0], a[1], azi, s2, &p[2], &p[3]);
      d2 = shoal_geod_inverse(n->lon0, n->lat0, p[2], p[3], NULL, NULL);
    }
  }
  best_s = (lo + hi) / 2;
  double q[2];
  shoal_geod_direct(a[0], a[1], azi, best_s, &q[0], &q[1]);
  best_d = shoal_geod_inverse(n->lon0, n->lat0, q[0], q[1], NULL, NULL);
  /* The ends themselves, exactly: a vertex must win when it is the answer. */
  double da = shoal_geod_inverse(n->lon0, n->lat0, a[0], a[1], NULL, NULL);
  double db = shoal_geod_inverse(n->lon0, n->lat0, b[0], b[1], NULL, NULL);
  if (da <= best_d)
    best_d = da, q[0] = a[0], q[1] = a[1];
  if (db < best_d)
    best_d = db, q[0] = b[0], q[1] = b[1];
  n->calls++;
  if (best_d < n->metres) {
    n->metres = best_d;
    n->lon = q[0];
    n->lat = q[1];
    n->found = true;
  }
}

void shoal_nearest_add(shoal_nearest *n, const double *xy, size_t npts)
{
  /* Upper bound of the answer: the nearest vertex of a segment (sphere, grown by the margin). */
  double bound = n->found ? n->metres : HUGE_VAL;
  for (size_t i = 0; i < npts; i++)
    if (usable(&xy[2 * i]) && (npts == 1 || (i > 0 && usable(&xy[2 * i - 2])) ||
                               (i + 1 < npts && usable(&xy[2 * i + 2]))))
      bound = fmin(bound, sphere(n->lon0, n->lat0, xy[2 * i], xy[2 * i + 1]) * (1 + MARGIN_REL) +
                              MARGIN_ABS);
  if (npts == 1 && usable(xy)) {
    refine(n, xy, xy);
    return;
  }
  /* A segment's points are at least (dA + dB - |AB|) / 2 away (triangle inequality): refine
   * only segments whose lower bound may beat the bound. */
  for (size_t i = 1; i < npts; i++) {
    const double *a = &xy[2 * i - 2], *b = &xy[2 * i];
    if (!usable(a) || !usable(b))
      continue;
    double da = sphere(n->lon0, n->lat0, a[0], a[1]), db = sphere(n->lon0, n->lat0, b[0], b[1]);
    double lower = (da + db - sphere(a[0], a[1], b[0], b[1])) / 2;
    if (lower * (1 - MARGIN_REL) - MARGIN_ABS <= fmin(bound, n->metres))
      refine(n, a, b);
  }
}
