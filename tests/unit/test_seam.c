/* Unit tests for seams and horizons: the cut at a map CRS's seam with exact expectations, the
 * seam parameters read from PROJ, the cap clip, and that after cutting no projected edge of a
 * short source edge spans half the map in any of the CRSs the golden images use. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "geo/seam.h"
#include "geo/xform.h"

static const double E = SHOAL_SEAM_EPS;

static void add_part(shoal_geom *g, const double *xy, size_t n)
{
  CHECK(shoal_geom_begin_part(g));
  for (size_t i = 0; i < n; i++)
    CHECK(shoal_geom_add(g, xy[2 * i], xy[2 * i + 1]));
}

static int part_is(const shoal_geom *g, size_t p, const double *xy, size_t n)
{
  if (p >= g->nparts || shoal_geom_part_len(g, p) != n)
    return 0;
  const double *v = g->xy + 2 * g->parts[p];
  for (size_t i = 0; i < 2 * n; i++)
    if (fabs(v[i] - xy[i]) > 1e-12)
      return 0;
  return 1;
}

static double area(const shoal_geom *g)
{
  double a = 0;
  for (size_t p = 0; p < g->nparts; p++)
    a += fabs(shoal_geom_ring_area2(g, p)) / 2;
  return a;
}

static void test_lines(void)
{
  shoal_seam s = {.cut = true, .lon0 = 0};
  shoal_geom g, t;
  shoal_geom_init(&g, SHOAL_GEOM_LINE);
  shoal_geom_init(&t, SHOAL_GEOM_NONE);
  /* across 180 eastwards: two parts meeting the seam at lat 5 */
  const double l1[] = {170, 0, 190, 10};
  add_part(&g, l1, 2);
  CHECK(shoal_seam_cut(&s, &g, &t));
  const double w1a[] = {170, 0, 180 - E, 5}, w1b[] = {-180 + E, 5, -170, 10};
  CHECK(g.nparts == 2 && part_is(&g, 0, w1a, 2) && part_is(&g, 1, w1b, 2));

  /* westwards across -180, with a vertex on the seam that stays with its neighbours */
  shoal_geom_clear(&g);
  const double l2[] = {-170, 0, -180, 2, -190, 4};
  add_part(&g, l2, 3);
  CHECK(shoal_seam_cut(&s, &g, &t));
  const double w2a[] = {-170, 0, -180 + E, 2}, w2b[] = {180 - E, 2, 170, 4};
  CHECK(g.nparts == 2 && part_is(&g, 0, w2a, 2) && part_is(&g, 1, w2b, 2));

  /* a line touching nothing is left exactly as it was */
  shoal_geom_clear(&g);
  const double l3[] = {100, 0, 120, 10, 179.5, 3};
  add_part(&g, l3, 3);
  CHECK(shoal_seam_cut(&s, &g, &t));
  CHECK(g.nparts == 1 && part_is(&g, 0, l3, 3));

  /* a seam at 0 (lon0 180): the piece west of 0 moves to 350..360 */
  shoal_seam s180 = {.cut = true, .lon0 = 180};
  shoal_geom_clear(&g);
  const double l4[] = {-10, 40, 10, 50};
  add_part(&g, l4, 2);
  CHECK(shoal_seam_cut(&s180, &g, &t));
  const double w4a[] = {350, 40, 360 - E, 45}, w4b[] = {E, 45, 10, 50};
  CHECK(g.nparts == 2 && part_is(&g, 0, w4a, 2) && part_is(&g, 1, w4b, 2));
  shoal_geom_free(&g);
  shoal_geom_free(&t);
}

static void test_rings(void)
{
  shoal_seam s = {.cut = true, .lon0 = 0};
  shoal_geom g, t;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&t, SHOAL_GEOM_NONE);
  /* a box 170..190 becomes 170..180 and -180..-170, closed along the seam */
  const double box[] = {170, 0, 170, 1, 190, 1, 190, 0, 170, 0};
  add_part(&g, box, 5);
  CHECK(shoal_seam_cut(&s, &g, &t));
  const double wa[] = {170, 0, 170, 1, 180 - E, 1, 180 - E, 0, 170, 0};
  const double wb[] = {-180 + E, 1, -170, 1, -170, 0, -180 + E, 0, -180 + E, 1};
  CHECK(g.nparts == 2 && part_is(&g, 0, wa, 5) && part_is(&g, 1, wb, 5));

  /* a ring ending on the seam (Natural Earth's Fiji) stays whole, pulled just inside */
  shoal_geom_clear(&g);
  const double fiji[] = {177, -19, 177, -16, 180, -16, 180, -19, 177, -19};
  add_part(&g, fiji, 5);
  CHECK(shoal_seam_cut(&s, &g, &t));
  const double wf[] = {177, -19, 177, -16, 180 - E, -16, 180 - E, -19, 177, -19};
  CHECK(g.nparts == 1 && part_is(&g, 0, wf, 5));

  /* a pole ring cut at -30 (lon0 150): two pieces in -30..330 with the area kept, the closing
   * edges along the seam densified to 1 degree */
  shoal_seam s150 = {.cut = true, .lon0 = 150};
  shoal_geom_clear(&g);
  const double ant[] = {-180, -90, -180, -70, 180, -70, 180, -90, -180, -90};
  add_part(&g, ant, 5);
  double before = area(&g);
  CHECK(shoal_seam_cut(&s150, &g, &t));
  CHECK(g.nparts == 2);
  CHECK_NEAR(area(&g), before, 1e-3);
  for (size_t i = 0; i < g.npts; i++)
    CHECK(g.xy[2 * i] > -30 && g.xy[2 * i] < 330);
  CHECK(shoal_geom_part_len(&g, 0) > 20);
  shoal_geom_free(&g);
  shoal_geom_free(&t);
}

/* Great-circle distance in degrees from (0, 0) on the sphere the cap is measured on. */
static double sphere_dist(double lon, double lat)
{
  return acos(cos(lat * M_PI / 180) * cos(lon * M_PI / 180)) * 180 / M_PI;
}

static void test_cap(void)
{
  shoal_seam s = {.cap = true, .clon = 0, .clat = 0, .crad = 10};
  shoal_geom g, t;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&t, SHOAL_GEOM_NONE);
  /* wholly inside: unchanged */
  const double in[] = {-1, -1, -1, 1, 1, 1, 1, -1, -1, -1};
  add_part(&g, in, 5);
  CHECK(shoal_seam_cap(&s, &g, &t));
  CHECK(g.nparts == 1 && part_is(&g, 0, in, 5));
  /* round the whole cap: the disc itself, every vertex on the horizon */
  shoal_geom_clear(&g);
  const double big[] = {-50, -50, -50, 50, 50, 50, 50, -50, -50, -50};
  add_part(&g, big, 5);
  CHECK(shoal_seam_cap(&s, &g, &t));
  CHECK(g.nparts == 1 && shoal_geom_part_len(&g, 0) >= 180);
  for (size_t i = 0; i < g.npts; i++)
    CHECK_NEAR(sphere_dist(g.xy[2 * i], g.xy[2 * i + 1]), 10, 1e-6);
  /* half in: what is kept lies in the cap, the cut edge follows the horizon */
  shoal_geom_clear(&g);
  const double half[] = {0, -5, 0, 5, 30, 5, 30, -5, 0, -5};
  add_part(&g, half, 5);
  CHECK(shoal_seam_cap(&s, &g, &t));
  CHECK(g.nparts == 1);
  double b[4];
  CHECK(shoal_geom_bbox(&g, b));
  CHECK(b[0] == 0 && b[2] < 10.01 && b[2] > 9.8);
  /* a line leaving the cap ends on the horizon */
  shoal_geom_clear(&g);
  g.kind = SHOAL_GEOM_LINE;
  const double line[] = {0, 0, 20, 0};
  add_part(&g, line, 2);
  CHECK(shoal_seam_cap(&s, &g, &t));
  CHECK(g.nparts == 1 && shoal_geom_part_len(&g, 0) == 2);
  CHECK_NEAR(g.xy[2], 10, 1e-6);
  shoal_geom_free(&g);
  shoal_geom_free(&t);
}

static void test_params(shoal_proj *p)
{
  static const struct {
    const char *crs;
    bool cut, cap, periodic;
    double lon0;
  } want[] = {
      {"EPSG:4326", true, false, true, 0},
      {"EPSG:3857", true, false, true, 0},
      {"EPSG:3832", true, false, true, 150},
      {"+proj=robin +lon_0=180", true, false, false, 180},
      {"+proj=eqc +lon_0=150", true, false, true, 150},
      {"EPSG:32650", true, false, false, 117},
      {"+proj=ortho +lat_0=12 +lon_0=115", false, true, false, 115},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    shoal_xform *t = NULL;
    CHECK(shoal_xform_new(p, "EPSG:4326", want[i].crs, &t, NULL, 0) == SHOAL_OK);
    if (!t)
      continue;
    const shoal_seam *s = shoal_xform_seam(t);
    CHECK(s->cut == want[i].cut && s->cap == want[i].cap && s->periodic == want[i].periodic);
    CHECK_NEAR(s->lon0, want[i].lon0, 1e-9);
    shoal_xform_free(t);
  }
  /* A conic cannot project its far pole: rings are held just inside it; Robinson can */
  shoal_xform *t = NULL;
  CHECK(shoal_xform_new(p, "EPSG:4326", "+proj=lcc +lat_1=30 +lat_2=60 +lon_0=10", &t, NULL, 0) ==
        SHOAL_OK);
  CHECK(t && shoal_xform_seam(t)->latmax > 89.9 && shoal_xform_seam(t)->latmax < 90);
  shoal_xform_free(t);
  CHECK(shoal_xform_new(p, "EPSG:4326", "+proj=robin +lon_0=180", &t, NULL, 0) == SHOAL_OK);
  CHECK(t && shoal_xform_seam(t)->latmax == 0);
  shoal_xform_free(t);
  /* areas of use, as PROJ records them */
  double a[4];
  CHECK(shoal_proj_area_of_use(p, "EPSG:32650", a, NULL, 0));
  CHECK(a[0] == 114 && a[1] == 0 && a[2] == 120 && a[3] == 84);
  CHECK(shoal_proj_area_of_use(p, "EPSG:3832", a, NULL, 0));
  CHECK(a[0] > a[2]); /* crosses 180 */
  CHECK(!shoal_proj_area_of_use(p, "nonsense", a, NULL, 0));
  /* a projected source is not cut (cutting works in lon/lat) */
  CHECK(shoal_xform_new(p, "EPSG:3857", "EPSG:4326", &t, NULL, 0) == SHOAL_OK);
  CHECK(t && !shoal_xform_seam(t)->cut && !shoal_xform_seam(t)->cap);
  shoal_xform_free(t);
}

/* Deterministic pseudo-random numbers in [0, 1). */
static double rnd(unsigned *state)
{
  *state = *state * 1103515245u + 12345u;
  return (double)((*state >> 8) & 0xffffff) / 16777216.0;
}

/* Random rings and lines of short edges (< 10 degrees) all over the globe, many across a
 * seam; after cutting and projecting, no edge spans half the map's width. */
static void test_no_long_edges(shoal_proj *p)
{
  static const char *const crs[] = {"EPSG:4326",
                                    "EPSG:3857",
                                    "+proj=robin +lon_0=180",
                                    "+proj=eqc +lon_0=150",
                                    "EPSG:3832",
                                    "+proj=ortho +lat_0=12 +lon_0=115"};
  unsigned st = 12345;
  for (size_t c = 0; c < sizeof crs / sizeof crs[0]; c++) {
    shoal_xform *t = NULL;
    CHECK(shoal_xform_new(p, "EPSG:4326", crs[c], &t, NULL, 0) == SHOAL_OK);
    if (!t)
      continue;
    const shoal_seam *s = shoal_xform_seam(t);
    double world[4] = {-180, -80, 180, 80}, b[4];
    CHECK(shoal_xform_bounds(t, world, b, 21, false) == SHOAL_OK);
    double half = (b[2] - b[0]) / 2;
    size_t long_edges = 0, edges = 0;
    shoal_geom g, tmp;
    shoal_geom_init(&g, SHOAL_GEOM_NONE);
    shoal_geom_init(&tmp, SHOAL_GEOM_NONE);
    for (int k = 0; k < 400; k++) {
      shoal_geom_clear(&g);
      g.kind = k % 2 ? SHOAL_GEOM_LINE : SHOAL_GEOM_POLYGON;
      double x = rnd(&st) * 540 - 180, y = rnd(&st) * 150 - 75;
      int n = 3 + (int)(rnd(&st) * 12);
      CHECK(shoal_geom_begin_part(&g));
      for (int i = 0; i < n; i++) {
        CHECK(shoal_geom_add(&g, x, y));
        x += rnd(&st) * 12 - 6;
        y = fmax(-78, fmin(78, y + rnd(&st) * 12 - 6));
      }
      if (g.kind == SHOAL_GEOM_POLYGON)
        CHECK(shoal_geom_add(&g, g.xy[0], g.xy[1]));
      CHECK(shoal_seam_apply(s, &g, &tmp));
      shoal_xform_fwd(t, g.xy, g.npts);
      for (size_t q = 0; q < g.nparts; q++)
        for (size_t i = g.parts[q] + 1; i < g.parts[q + 1]; i++) {
          double dx = g.xy[2 * i] - g.xy[2 * i - 2];
          if (!isfinite(dx))
            continue;
          edges++;
          long_edges += fabs(dx) > half;
        }
    }
    CHECK(edges > 1000);
    CHECK(long_edges == 0);
    if (long_edges)
      fprintf(stderr, "  %s: %zu of %zu edges span half the map\n", crs[c], long_edges, edges);
    shoal_geom_free(&g);
    shoal_geom_free(&tmp);
    shoal_xform_free(t);
  }
}

int main(void)
{
  test_lines();
  test_rings();
  test_cap();
  shoal_proj *p = shoal_proj_new();
  CHECK(p != NULL);
  if (p) {
    test_params(p);
    test_no_long_edges(p);
  }
  shoal_proj_free(p);
  return check_done();
}
