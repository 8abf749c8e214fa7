/* Unit tests for the geodesic nearest point of a coastline (geo/nearest.c). */
#include <math.h>

#include "check.h"
#include "geo/nearest.h"
#include "geo/xform.h"

/* The nearest of n + 1 points spaced evenly along the geodesic a-b, by brute force. */
static double brute(double lon0, double lat0, const double *a, const double *b, size_t n,
                    double *lon, double *lat)
{
  double azi, len = shoal_geod_inverse(a[0], a[1], b[0], b[1], &azi, NULL), best = HUGE_VAL;
  for (size_t i = 0; i <= n; i++) {
    double p[2];
    shoal_geod_direct(a[0], a[1], azi, len * (double)i / (double)n, &p[0], &p[1]);
    double d = shoal_geod_inverse(lon0, lat0, p[0], p[1], NULL, NULL);
    if (d < best)
      best = d, *lon = p[0], *lat = p[1];
  }
  return best;
}

static void test_equator(void)
{
  /* The equator is a geodesic: from (1, 1) the nearest point of (0,0)-(2,0) is (1, 0) by
   * symmetry, one degree of meridian arc at the equator away (110 574.4 m on WGS84). */
  double seg[4] = {0, 0, 2, 0};
  shoal_nearest n;
  shoal_nearest_init(&n, 1, 1);
  shoal_nearest_add(&n, seg, 2);
  CHECK(n.found);
  CHECK_NEAR(n.lon, 1, 1e-7); /* a centimetre */
  CHECK_NEAR(n.lat, 0, 1e-9);
  CHECK_NEAR(n.metres, shoal_geod_inverse(1, 1, 1, 0, NULL, NULL), 1e-3);
  CHECK_NEAR(n.metres, 110574.39, 0.05);
}

static void test_vertex(void)
{
  /* From (-1, 1) the segment's nearest point is its end (0, 0): a vertex, exactly. */
  double seg[4] = {0, 0, 2, 0};
  shoal_nearest n;
  shoal_nearest_init(&n, -1, 1);
  shoal_nearest_add(&n, seg, 2);
  CHECK(n.found && n.lon == 0 && n.lat == 0);
  CHECK_NEAR(n.metres, shoal_geod_inverse(-1, 1, 0, 0, NULL, NULL), 1e-6);
  /* A convex corner: both segments end at the vertex nearest the point. */
  double corner[6] = {118, 9, 118.5, 9.5, 119, 9};
  shoal_nearest_init(&n, 118.5, 10.2);
  shoal_nearest_add(&n, corner, 3);
  CHECK(n.lon == 118.5 && n.lat == 9.5);
}

static void test_interior(void)
{
  /* A meridian segment seen from the east at an angle: the nearest point lies inside the
   * segment, not at a vertex, and matches a brute-force search of 200 000 points. */
  double seg[4] = {10, 5, 10, 8};
  shoal_nearest n;
  shoal_nearest_init(&n, 11.2, 6.4);
  shoal_nearest_add(&n, seg, 2);
  double lon, lat, d = brute(11.2, 6.4, seg, seg + 2, 200000, &lon, &lat);
  CHECK(n.found);
  CHECK(n.lat > 5.01 && n.lat < 7.99);
  CHECK(n.metres <= d + 1e-3);
  CHECK_NEAR(n.metres, d, 0.05);
  CHECK_NEAR(n.lon, 10, 1e-9);
  CHECK_NEAR(n.lat, lat, 1e-5);
  CHECK(n.metres < shoal_geod_inverse(11.2, 6.4, 10, 6, NULL, NULL));
  CHECK(n.metres < shoal_geod_inverse(11.2, 6.4, 10, 7, NULL, NULL));
}

static void test_screening(void)
{
  /* A long coast of many short segments and a far part: the answer is the segment interior
   * the brute force finds, whatever the order of the parts, and far segments are not
   * refined. A nautical mile is 1852 m; the answer must be good to far under 0.1 nm. */
  enum { N = 2001 };
  static double coast[2 * N];
  for (size_t i = 0; i < N; i++) {
    double t = (double)i / (N - 1);
    coast[2 * i] = 117.0 + 2.0 * t;                     /* 117..119 E */
    coast[2 * i + 1] = 9.0 + 0.6 * sin(t * M_PI * 3.0); /* a wavy shore */
  }
  double far[4] = {100, 20, 101, 21};
  shoal_nearest a, b;
  shoal_nearest_init(&a, 116.03, 9.65);
  shoal_nearest_add(&a, far, 2);
  shoal_nearest_add(&a, coast, N);
  shoal_nearest_init(&b, 116.03, 9.65);
  shoal_nearest_add(&b, coast, N);
  shoal_nearest_add(&b, far, 2);
  CHECK(a.found && b.found);
  CHECK(a.metres == b.metres && a.lon == b.lon && a.lat == b.lat);
  double best = HUGE_VAL, blon = 0, blat = 0;
  for (size_t i = 1; i < N; i++) {
    double lon, lat, d = brute(116.03, 9.65, &coast[2 * i - 2], &coast[2 * i], 200, &lon, &lat);
    if (d < best)
      best = d, blon = lon, blat = lat;
  }
  CHECK(a.metres <= best + 1e-3);
  CHECK(best - a.metres < 1.0);
  CHECK_NEAR(a.lon, blon, 1e-4);
  CHECK_NEAR(a.lat, blat, 1e-4);
  CHECK(a.calls < 200);
  /* Points that are not finite break the line without ending the search: (0,0) is left
   * without a segment, and (2,0)-(3,0) still counts. */
  double gap[8] = {0, 0, NAN, NAN, 2, 0, 3, 0};
  shoal_nearest_init(&a, 0.5, 1);
  shoal_nearest_add(&a, gap, 4);
  CHECK(a.found && a.lon == 2 && a.lat == 0);
}

int main(void)
{
  test_equator();
  test_vertex();
  test_interior();
  test_screening();
  return check_done();
}
