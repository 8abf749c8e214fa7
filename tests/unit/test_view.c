/* Unit tests for fitting an extent to the page and the map <-> pixel transform. */
#include <math.h>

#include "check.h"
#include "geo/view.h"

static void test_square_on_landscape(void)
{
  shoal_view v;
  const double want[4] = {0, 0, 100, 100};
  CHECK(shoal_view_fit(&v, 800, 600, 1.0, want));
  CHECK(v.width == 800 && v.height == 600 && v.scale == 1.0);
  CHECK_NEAR(v.k, 6.0, 0.0);
  /* padded horizontally by (800/6 - 100)/2 each side, vertical axis exact */
  CHECK_NEAR(v.ext[0], -50.0 / 3.0, 1e-12);
  CHECK_NEAR(v.ext[2], 100.0 + 50.0 / 3.0, 1e-12);
  CHECK(v.ext[1] == 0.0 && v.ext[3] == 100.0);
  CHECK_NEAR(shoal_view_px(&v, 0), 100.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, 100), 700.0, 1e-9);
  CHECK_NEAR(shoal_view_py(&v, 100), 0.0, 1e-9);
  CHECK_NEAR(shoal_view_py(&v, 0), 600.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, 50), 400.0, 1e-9); /* centred */
  CHECK_NEAR(shoal_view_py(&v, 50), 300.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, v.ext[0]), 0.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, v.ext[2]), 800.0, 1e-9);
}

static void test_wide_on_landscape(void)
{
  shoal_view v;
  const double want[4] = {1000, 2000, 1400, 2100}; /* 4:1 on a 4:3 page: padded vertically */
  CHECK(shoal_view_fit(&v, 800, 600, 2.0, want));
  CHECK_NEAR(v.k, 2.0, 0.0);
  CHECK(v.ext[0] == 1000 && v.ext[2] == 1400);
  CHECK_NEAR(v.ext[1], 1900.0, 1e-9);
  CHECK_NEAR(v.ext[3], 2200.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, 1000), 0.0, 1e-9);
  CHECK_NEAR(shoal_view_px(&v, 1400), 800.0, 1e-9);
  CHECK_NEAR(shoal_view_py(&v, 2100), 200.0, 1e-9);
  CHECK_NEAR(shoal_view_py(&v, 2000), 400.0, 1e-9);

  double xy[6] = {1000, 2100, HUGE_VAL, HUGE_VAL, 1200, NAN};
  shoal_view_apply(&v, xy, 3);
  CHECK_NEAR(xy[0], 0.0, 1e-9);
  CHECK_NEAR(xy[1], 200.0, 1e-9);
  CHECK(xy[2] == HUGE_VAL && xy[3] == HUGE_VAL);
  CHECK(xy[4] == HUGE_VAL && xy[5] == HUGE_VAL);

  double x, y;
  shoal_view_unapply(&v, 123.5, 456.25, &x, &y);
  CHECK_NEAR(shoal_view_px(&v, x), 123.5, 1e-9);
  CHECK_NEAR(shoal_view_py(&v, y), 456.25, 1e-9);
  shoal_view_unapply(&v, 400, 300, &x, &y);
  CHECK_NEAR(x, 1200.0, 1e-9);
  CHECK_NEAR(y, 2050.0, 1e-9);
}

static void test_rejects(void)
{
  shoal_view v;
  const double empty[4] = {5, 5, 5, 10};
  const double inverted[4] = {10, 0, 0, 10};
  const double nan[4] = {0, 0, NAN, 10};
  const double inf[4] = {0, 0, HUGE_VAL, 10};
  const double ok[4] = {0, 0, 1, 1};
  CHECK(!shoal_view_fit(&v, 800, 600, 1, empty));
  CHECK(!shoal_view_fit(&v, 800, 600, 1, inverted));
  CHECK(!shoal_view_fit(&v, 800, 600, 1, nan));
  CHECK(!shoal_view_fit(&v, 800, 600, 1, inf));
  CHECK(!shoal_view_fit(&v, 0, 600, 1, ok));
  CHECK(!shoal_view_fit(&v, 800, -1, 1, ok));
  CHECK(!shoal_view_fit(&v, 800, 600, 0, ok));
  CHECK(shoal_view_fit(&v, 1, 1, 1, ok));
}

int main(void)
{
  test_square_on_landscape();
  test_wide_on_landscape();
  test_rejects();
  return check_done();
}
