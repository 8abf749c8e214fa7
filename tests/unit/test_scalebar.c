/* Unit tests for the scale bar: rounding to 1/2/5 x 10^n and the geodesic length at the map
 * centre, checked against PROJ's geodesic (and a closed form for Mercator) to 0.1 %. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "furniture/furn_priv.h"
#include "geo/view.h"
#include "geo/xform.h"

static void test_pick_rounding(void)
{
  double len, px;
  /* 1000 m/px and 300 px: 300 km fits, 500 does not -> 200 km. */
  CHECK(shoal_scalebar_pick(1000, 300, 1000, &len, &px));
  CHECK_NEAR(len, 200, 0);
  CHECK_NEAR(px, 200, 1e-9);
  /* Exact powers and exact multiples are taken, not the next one down. */
  CHECK(shoal_scalebar_pick(1000, 1000, 1000, &len, &px));
  CHECK_NEAR(len, 1000, 0);
  CHECK(shoal_scalebar_pick(1000, 500, 1000, &len, &px));
  CHECK_NEAR(len, 500, 0);
  CHECK(shoal_scalebar_pick(100, 100, 1000, &len, &px)); /* 10 km */
  CHECK_NEAR(len, 10, 0);
  CHECK(shoal_scalebar_pick(1, 1000, 1000, &len, &px)); /* 1 km */
  CHECK_NEAR(len, 1, 0);
  CHECK(shoal_scalebar_pick(1000, 999, 1000, &len, &px));
  CHECK_NEAR(len, 500, 0);
  CHECK(shoal_scalebar_pick(1000, 199.9, 1000, &len, &px));
  CHECK_NEAR(len, 100, 0);
  /* Below one unit: exact decimals (0.2, not 0.20000000000000001). */
  CHECK(shoal_scalebar_pick(1, 230, 1000, &len, &px)); /* 0.23 km */
  CHECK(len == 0.2);
  CHECK_NEAR(px, 200, 1e-9);
  CHECK(shoal_scalebar_pick(0.1, 73, 1000, &len, &px)); /* 0.0073 km */
  CHECK(len == 0.005);
  /* Nautical miles: 1852 m. 2606 m/px (the overview's centre) and 300 px: 422 nmi -> 200. */
  CHECK(shoal_scalebar_pick(2606, 300, 1852, &len, &px));
  CHECK_NEAR(len, 200, 0);
  CHECK_NEAR(px, 200 * 1852 / 2606.0, 1e-9);
  CHECK(shoal_scalebar_pick(2606, 300, 1000, &len, &px)); /* 782 km -> 500 */
  CHECK_NEAR(len, 500, 0);
  /* Bad input. */
  CHECK(!shoal_scalebar_pick(0, 300, 1000, &len, &px));
  CHECK(!shoal_scalebar_pick(-5, 300, 1000, &len, &px));
  CHECK(!shoal_scalebar_pick(1000, 0, 1000, &len, &px));
  CHECK(!shoal_scalebar_pick(NAN, 300, 1000, &len, &px));
  CHECK(!shoal_scalebar_pick(1000, 300, INFINITY, &len, &px));
}

/* Whatever the scale, the bar is a round number no longer than asked and at least 40 % of it. */
static void test_pick_sweep(void)
{
  int bad = 0;
  for (double mpp = 0.013; mpp < 5e5; mpp *= 1.0137) {
    double len, px;
    if (!shoal_scalebar_pick(mpp, 250, 1852, &len, &px)) {
      bad++;
      continue;
    }
    double mant = len / pow(10, floor(log10(len) + 1e-9));
    bool round_ok = fabs(mant - 1) < 1e-9 || fabs(mant - 2) < 1e-9 || fabs(mant - 5) < 1e-9;
    if (!round_ok || px > 250 * (1 + 1e-9) || px < 250 * 0.4 - 1e-9)
      bad++;
  }
  CHECK(bad == 0);
}

static void test_units(void)
{
  CHECK_NEAR(shoal_unit_metres(SHOAL_UNIT_KM), 1000, 0);
  CHECK_NEAR(shoal_unit_metres(SHOAL_UNIT_NMI), 1852, 0);
  CHECK_NEAR(shoal_unit_metres(SHOAL_UNIT_MI), 1609.344, 0);
  CHECK_STR(shoal_unit_name(SHOAL_UNIT_NMI), "nmi");
  CHECK_STR(shoal_unit_name(SHOAL_UNIT_KM), "km");
}

/* 1 degree of latitude near 10 N is 110.6 km (the figure used to check rendered bars). */
static void test_degree_of_latitude(void)
{
  double m = shoal_geod_inverse(112, 9.5, 112, 10.5, NULL, NULL);
  CHECK_NEAR(m / 110600.0, 1.0, 0.001);
}

/* A view like the map's: extent (lon/lat) projected into crs and fitted to w x h. */
static bool make_view(shoal_proj *p, const char *crs, const double ext[4], int w, int h,
                      shoal_view *v, shoal_xform **to_ll)
{
  char err[256];
  shoal_xform *fwd = NULL;
  if (shoal_xform_new(p, "EPSG:4326", crs, &fwd, err, sizeof err) != SHOAL_OK)
    return false;
  double want[4];
  bool ok =
      shoal_xform_bounds(fwd, ext, want, 21, false) == SHOAL_OK && shoal_view_fit(v, w, h, 1, want);
  shoal_xform_free(fwd);
  return ok && shoal_xform_new(p, crs, "EPSG:4326", to_ll, err, sizeof err) == SHOAL_OK;
}

/* The drawn bar's length in metres, from a transformation made independently of the one the
 * scale bar used, and PROJ's geodesic. */
static double bar_metres(shoal_proj *p, const char *crs, const shoal_view *v, double px)
{
  char err[256];
  shoal_xform *t = NULL;
  if (shoal_xform_new(p, crs, "EPSG:4326", &t, err, sizeof err) != SHOAL_OK)
    return 0;
  double xy[4];
  shoal_view_unapply(v, v->width / 2.0 - px / 2, v->height / 2.0, &xy[0], &xy[1]);
  shoal_view_unapply(v, v->width / 2.0 + px / 2, v->height / 2.0, &xy[2], &xy[3]);
  shoal_xform_fwd(t, xy, 2);
  shoal_xform_free(t);
  return shoal_geod_inverse(xy[0], xy[1], xy[2], xy[3], NULL, NULL);
}

static void check_crs(shoal_proj *p, const char *crs, const double ext[4])
{
  shoal_view v;
  shoal_xform *to_ll = NULL;
  CHECK(make_view(p, crs, ext, 1200, 1000, &v, &to_ll));
  if (!to_ll)
    return;
  double max_px = v.width * 0.25;
  double mpp = shoal_scalebar_metres_per_px(&v, to_ll, max_px);
  CHECK(mpp > 0);
  for (int u = 0; u < 2; u++) {
    double unit = u ? 1852 : 1000, len, px;
    CHECK(shoal_scalebar_pick(mpp, max_px, unit, &len, &px));
    double truth = bar_metres(p, crs, &v, px);
    CHECK_NEAR((len * unit) / truth, 1.0, 0.001);
  }
  shoal_xform_free(to_ll);
}

static void test_geodesic_length(void)
{
  shoal_proj *p = shoal_proj_new();
  CHECK(p != NULL);
  if (!p)
    return;
  const double overview[4] = {99, -3, 125, 25}, spratlys[4] = {111.3, 7.3, 117.7, 12.0};
  check_crs(p, "+proj=merc +lon_0=112 +datum=WGS84 +units=m +no_defs", overview);
  check_crs(p, "+proj=lcc +lat_1=4 +lat_2=20 +lat_0=12 +lon_0=114 +datum=WGS84 +units=m", overview);
  check_crs(p, "EPSG:32650", spratlys);
  check_crs(p, "EPSG:4326", spratlys);

  /* Mercator against a closed form independent of PROJ: along the parallel through the centre,
   * metres per px = (1/k) * N(phi) cos(phi) / a, with N the prime-vertical radius. */
  shoal_view v;
  shoal_xform *to_ll = NULL;
  const char *merc = "+proj=merc +lon_0=112 +datum=WGS84 +units=m +no_defs";
  CHECK(make_view(p, merc, overview, 1200, 1200, &v, &to_ll));
  if (to_ll) {
    double xy[2];
    shoal_view_unapply(&v, v.width / 2.0, v.height / 2.0, &xy[0], &xy[1]);
    shoal_xform_fwd(to_ll, xy, 1);
    double f = 1 / 298.257223563, e2 = f * (2 - f);
    double phi = xy[1] * M_PI / 180, sn = sin(phi);
    double expect = (1 / v.k) * cos(phi) / sqrt(1 - e2 * sn * sn);
    double got = shoal_scalebar_metres_per_px(&v, to_ll, 300);
    CHECK_NEAR(got / expect, 1.0, 0.001);
    /* The overview's bars: 500 km and 200 nmi, as drawn on the article map. */
    double len, px;
    CHECK(shoal_scalebar_pick(got, 300, 1000, &len, &px));
    CHECK_NEAR(len, 500, 0);
    CHECK(shoal_scalebar_pick(got, 300, 1852, &len, &px));
    CHECK_NEAR(len, 200, 0);
    shoal_xform_free(to_ll);
  }
  shoal_proj_free(p);
}

int main(void)
{
  test_pick_rounding();
  test_pick_sweep();
  test_units();
  test_degree_of_latitude();
  test_geodesic_length();
  return check_done();
}
