/* Unit tests for the growable geometry buffers. */
#include <math.h>

#include "check.h"
#include "geo/geom.h"

static void test_parts(void)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_LINE);
  CHECK(g.kind == SHOAL_GEOM_LINE && g.npts == 0 && g.nparts == 0);
  double b[4];
  CHECK(!shoal_geom_bbox(&g, b));

  /* add with no part begun opens one */
  CHECK(shoal_geom_add(&g, 1, 2));
  CHECK(g.nparts == 1 && g.npts == 1 && g.parts[0] == 0 && g.parts[1] == 1);
  CHECK(shoal_geom_add(&g, 3, 4));
  shoal_geom_end_part(&g, 2);
  CHECK(g.nparts == 1);

  CHECK(shoal_geom_begin_part(&g));
  CHECK(shoal_geom_add(&g, 5, 6));
  shoal_geom_end_part(&g, 2); /* one vertex: dropped */
  CHECK(g.nparts == 1 && g.npts == 2 && g.parts[1] == 2);

  CHECK(shoal_geom_begin_part(&g));
  CHECK(shoal_geom_add(&g, -1, 7));
  CHECK(shoal_geom_add(&g, HUGE_VAL, HUGE_VAL));
  CHECK(shoal_geom_add(&g, 0, -3));
  shoal_geom_end_part(&g, 2);
  CHECK(g.nparts == 2 && g.npts == 5);
  CHECK(g.parts[1] == 2 && g.parts[2] == 5);
  CHECK(shoal_geom_part_len(&g, 0) == 2 && shoal_geom_part_len(&g, 1) == 3);
  CHECK(g.xy[4] == -1 && g.xy[5] == 7);

  /* HUGE_VAL does not reach the box */
  CHECK(shoal_geom_bbox(&g, b));
  CHECK(b[0] == -1 && b[1] == -3 && b[2] == 3 && b[3] == 7);

  double *keep = g.xy;
  shoal_geom_clear(&g);
  CHECK(g.npts == 0 && g.nparts == 0 && g.xy == keep && g.kind == SHOAL_GEOM_LINE);
  CHECK(!shoal_geom_bbox(&g, b));
  shoal_geom_free(&g);
  CHECK(g.xy == NULL && g.parts == NULL && g.cap_pts == 0);
  shoal_geom_free(&g); /* twice is harmless */
}

static void test_area(void)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  /* counter-clockwise 10x10 square, closed */
  const double sq[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
  CHECK(shoal_geom_begin_part(&g));
  for (int i = 0; i < 5; i++)
    CHECK(shoal_geom_add(&g, sq[2 * i], sq[2 * i + 1]));
  /* the same square clockwise, unclosed, far from the origin */
  CHECK(shoal_geom_begin_part(&g));
  const double big = 1.2e7;
  CHECK(shoal_geom_add(&g, big, big));
  CHECK(shoal_geom_add(&g, big, big + 1));
  CHECK(shoal_geom_add(&g, big + 1, big + 1));
  CHECK(shoal_geom_add(&g, big + 1, big));
  CHECK_NEAR(shoal_geom_ring_area2(&g, 0), 200.0, 0.0);
  CHECK_NEAR(shoal_geom_ring_area2(&g, 1), -2.0, 0.0);
  CHECK_NEAR(shoal_geom_ring_area2(&g, 2), 0.0, 0.0); /* no such part */
  shoal_geom_free(&g);
}

static void test_growth_and_cap(void)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_LINE);
  CHECK(shoal_geom_begin_part(&g));
  int ok = 1;
  for (int i = 0; i < 100000; i++)
    ok &= shoal_geom_add(&g, i, -i);
  CHECK(ok);
  CHECK(g.npts == 100000 && g.parts[1] == 100000 && g.cap_pts >= 100000);
  CHECK(g.xy[2 * 99999] == 99999 && g.xy[2 * 99999 + 1] == -99999);
  for (int i = 0; i < 1000; i++)
    ok &= shoal_geom_begin_part(&g);
  CHECK(ok && g.nparts == 1001 && g.parts[1001] == 100000);
  shoal_geom_end_part(&g, 1); /* an empty part is dropped */
  CHECK(g.nparts == 1000);

  CHECK(shoal_geom_reserve(&g, 10)); /* already has room */
  CHECK(!shoal_geom_reserve(&g, SHOAL_GEOM_MAX_POINTS + 1));
  CHECK(g.npts == 100000); /* a refused reserve leaves the data alone */
  shoal_geom_free(&g);

  shoal_geom_init(&g, SHOAL_GEOM_POINT);
  CHECK(shoal_geom_reserve(&g, 3));
  CHECK(g.cap_pts >= 3 && g.npts == 0);
  shoal_geom_free(&g);
}

int main(void)
{
  test_parts();
  test_area();
  test_growth_and_cap();
  return check_done();
}
