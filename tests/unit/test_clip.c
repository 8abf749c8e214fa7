/* Unit tests for rectangle clipping and simplification. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "geo/clip.h"

static const double RECT[4] = {0, 0, 10, 10};

static void add_part(shoal_geom *g, const double *xy, size_t n)
{
  CHECK(shoal_geom_begin_part(g));
  for (size_t i = 0; i < n; i++)
    CHECK(shoal_geom_add(g, xy[2 * i], xy[2 * i + 1]));
}

/* Exact comparison of part `p` of g with n expected vertices. */
static int part_is(const shoal_geom *g, size_t p, const double *xy, size_t n)
{
  if (p >= g->nparts || shoal_geom_part_len(g, p) != n)
    return 0;
  const double *v = g->xy + 2 * g->parts[p];
  for (size_t i = 0; i < 2 * n; i++)
    if (v[i] != xy[i])
      return 0;
  return 1;
}

static void test_polygon(void)
{
  shoal_geom in, out;
  shoal_geom_init(&in, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&out, SHOAL_GEOM_NONE);

  /* a square over the top-right corner */
  const double corner[] = {5, 5, 15, 5, 15, 15, 5, 15, 5, 5};
  add_part(&in, corner, 5);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  const double corner_want[] = {5, 5, 10, 5, 10, 10, 5, 10, 5, 5};
  CHECK(out.kind == SHOAL_GEOM_POLYGON && out.nparts == 1);
  CHECK(part_is(&out, 0, corner_want, 5));

  /* wholly inside: copied unchanged */
  shoal_geom_clear(&in);
  const double inside[] = {1, 1, 9, 1, 9.5, 9, 1, 9, 1, 1};
  add_part(&in, inside, 5);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 1 && part_is(&out, 0, inside, 5));

  /* wholly around the rect: becomes the rect, orientation kept */
  shoal_geom_clear(&in);
  const double around[] = {-5, -5, 20, -5, 20, 20, -5, 20, -5, -5};
  add_part(&in, around, 5);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 1 && out.npts == 5);
  if (out.npts == 5) {
    const double *v = out.xy;
    CHECK(v[0] == v[8] && v[1] == v[9]);
    int corners = 0;
    for (int i = 0; i < 4; i++)
      corners |= 1 << ((v[2 * i] == 10) * 2 + (v[2 * i + 1] == 10));
    CHECK(corners == 15);
    for (int i = 0; i < 10; i++)
      CHECK(v[i] == 0 || v[i] == 10);
    CHECK_NEAR(shoal_geom_ring_area2(&out, 0), 200.0, 0.0);
  }

  /* wholly outside, and a triangle whose box overlaps but that only touches the corner */
  shoal_geom_clear(&in);
  const double outside[] = {20, 20, 30, 20, 30, 30, 20, 20};
  const double touch[] = {8, 12, 12, 8, 12, 12, 8, 12};
  add_part(&in, outside, 4);
  add_part(&in, touch, 4);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 0 && out.npts == 0);

  /* outer ring plus a hole crossing the edge: both kept, the hole clipped */
  shoal_geom_clear(&in);
  const double hole[] = {8, 4, 8, 6, 12, 6, 12, 4, 8, 4};
  add_part(&in, around, 5);
  add_part(&in, hole, 5);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 2);
  const double hole_want[] = {8, 4, 8, 6, 10, 6, 10, 4, 8, 4};
  CHECK(part_is(&out, 1, hole_want, 5));

  /* a failed-projection vertex is dropped, the ring re-closed */
  shoal_geom_clear(&in);
  const double bad[] = {1, 1, 9, 1, HUGE_VAL, HUGE_VAL, 9, 9, 1, 9, 1, 1};
  add_part(&in, bad, 6);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  const double bad_want[] = {1, 1, 9, 1, 9, 9, 1, 9, 1, 1};
  CHECK(out.nparts == 1 && part_is(&out, 0, bad_want, 5));
  /* ... also when it is the first and last vertex */
  shoal_geom_clear(&in);
  const double bad2[] = {HUGE_VAL, HUGE_VAL, 1, 1, 9, 1, 9, 9, HUGE_VAL, HUGE_VAL};
  add_part(&in, bad2, 5);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  const double bad2_want[] = {1, 1, 9, 1, 9, 9, 1, 1};
  CHECK(out.nparts == 1 && part_is(&out, 0, bad2_want, 4));
  /* ... and a ring of only failures disappears */
  shoal_geom_clear(&in);
  const double allbad[] = {HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL,
                           HUGE_VAL, HUGE_VAL, HUGE_VAL, HUGE_VAL};
  add_part(&in, allbad, 4);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 0);

  /* a diagonal cut: shared edge clipped identically whichever way it is walked */
  shoal_geom_clear(&in);
  const double a[] = {5, 5, 17, 9, 5, 9, 5, 5};
  const double b[] = {5, 5, 17, 1, 17, 9, 5, 5};
  add_part(&in, a, 4);
  add_part(&in, b, 4);
  CHECK(shoal_clip_polygon(&in, RECT, &out));
  CHECK(out.nparts == 2);
  if (out.nparts == 2) {
    int found = 0;
    double ya = 0, yb = 0;
    for (size_t i = out.parts[0]; i < out.parts[1]; i++)
      if (out.xy[2 * i] == 10 && out.xy[2 * i + 1] > 6 && out.xy[2 * i + 1] < 7) {
        ya = out.xy[2 * i + 1];
        found++;
      }
    for (size_t i = out.parts[1]; i < out.parts[2]; i++)
      if (out.xy[2 * i] == 10 && out.xy[2 * i + 1] > 6 && out.xy[2 * i + 1] < 7) {
        yb = out.xy[2 * i + 1];
        found++;
      }
    CHECK(found == 2);
    CHECK(ya == yb);
    CHECK_NEAR(ya, 5 + 4 * 5.0 / 12.0, 1e-12);
  }

  /* a degenerate rect gives nothing */
  const double nanrect[4] = {0, 0, NAN, 10};
  CHECK(shoal_clip_polygon(&in, nanrect, &out));
  CHECK(out.nparts == 0);

  shoal_geom_free(&in);
  shoal_geom_free(&out);
}

static void test_lines(void)
{
  shoal_geom in, out;
  shoal_geom_init(&in, SHOAL_GEOM_LINE);
  shoal_geom_init(&out, SHOAL_GEOM_NONE);

  /* in, out, back in: two parts with the cut points on x = 10 */
  const double ioi[] = {2, 2, 14, 6, 6, 9};
  add_part(&in, ioi, 3);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  CHECK(out.kind == SHOAL_GEOM_LINE && out.nparts == 2 && out.npts == 4);
  if (out.npts == 4) {
    CHECK(out.xy[0] == 2 && out.xy[1] == 2);
    CHECK(out.xy[2] == 10);
    CHECK_NEAR(out.xy[3], 2 + 4 * (8.0 / 12.0), 1e-12);
    const double second[] = {10, 7.5, 6, 9};
    CHECK(part_is(&out, 1, second, 2));
  }

  /* straight through from outside to outside: both ends cut */
  shoal_geom_clear(&in);
  const double through[] = {-5, 5, 15, 5};
  add_part(&in, through, 2);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  const double through_want[] = {0, 5, 10, 5};
  CHECK(out.nparts == 1 && part_is(&out, 0, through_want, 2));

  /* through a corner diagonally */
  shoal_geom_clear(&in);
  const double diag[] = {-2, -2, 12, 12};
  add_part(&in, diag, 2);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  const double diag_want[] = {0, 0, 10, 10};
  CHECK(out.nparts == 1 && part_is(&out, 0, diag_want, 2));

  /* wholly outside, wholly inside */
  shoal_geom_clear(&in);
  const double out1[] = {11, 0, 20, 5, 11, 10};
  const double in1[] = {1, 1, 2, 2, 3, 1, 4, 2};
  add_part(&in, out1, 3);
  add_part(&in, in1, 4);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  CHECK(out.nparts == 1 && part_is(&out, 0, in1, 4));

  /* HUGE_VAL breaks the line; a lone vertex left over is dropped */
  shoal_geom_clear(&in);
  const double brk[] = {1, 1, 2, 2, HUGE_VAL, HUGE_VAL, 3, 3, 4, 4, HUGE_VAL, HUGE_VAL, 5, 5};
  add_part(&in, brk, 7);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  const double brk1[] = {1, 1, 2, 2}, brk2[] = {3, 3, 4, 4};
  CHECK(out.nparts == 2 && out.npts == 4);
  CHECK(part_is(&out, 0, brk1, 2));
  CHECK(part_is(&out, 1, brk2, 2));

  /* along the border counts as inside */
  shoal_geom_clear(&in);
  const double edge[] = {0, -3, 0, 4, 0, 13};
  add_part(&in, edge, 3);
  CHECK(shoal_clip_lines(&in, RECT, &out));
  const double edge_want[] = {0, 0, 0, 4, 0, 10};
  CHECK(out.nparts == 1 && part_is(&out, 0, edge_want, 3));

  shoal_geom_free(&in);
  shoal_geom_free(&out);
}

static void test_simplify(void)
{
  /* collinear points removed */
  double line[] = {0, 0, 1, 0, 2, 0, 3, 0, 4, 0};
  CHECK(shoal_simplify(line, 5, 0.5, false) == 2);
  CHECK(line[0] == 0 && line[1] == 0 && line[2] == 4 && line[3] == 0);

  /* a zig-zag above tolerance kept */
  double zig[] = {0, 0, 1, 1, 2, 0, 3, 1, 4, 0};
  const double zig0[] = {0, 0, 1, 1, 2, 0, 3, 1, 4, 0};
  CHECK(shoal_simplify(zig, 5, 0.5, false) == 5);
  CHECK(memcmp(zig, zig0, sizeof zig) == 0);
  /* ... and flattened below it */
  double flat[] = {0, 0, 1, 0.1, 2, 0, 3, 0.1, 4, 0};
  CHECK(shoal_simplify(flat, 5, 0.5, false) == 2);
  CHECK(flat[2] == 4 && flat[3] == 0);

  /* radial pass: vertices closer than tol to the last kept one go */
  double dense[] = {0, 0, 0.3, 0.1, 0.35, -0.1, 0.4, 0.1, 10, 0};
  CHECK(shoal_simplify(dense, 5, 0.5, false) == 2);
  CHECK(dense[2] == 10 && dense[3] == 0);
  /* tol 0 keeps everything but exactly collinear vertices */
  double zero[] = {0, 0, 1, 0, 2, 0, 3, 1, 4, 2, 5, 2 + 1e-9, 6, 2};
  const double zero_want[] = {0, 0, 2, 0, 4, 2, 5, 2 + 1e-9, 6, 2};
  CHECK(shoal_simplify(zero, 7, 0.0, false) == 5);
  CHECK(memcmp(zero, zero_want, sizeof zero_want) == 0);

  /* a square ring with a collinear extra vertex loses only that */
  double sq[] = {0, 0, 5, 0, 10, 0, 10, 10, 0, 10, 0, 0};
  const double sq_want[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
  CHECK(shoal_simplify(sq, 6, 0.5, true) == 5);
  CHECK(memcmp(sq, sq_want, sizeof sq_want) == 0);

  /* a ring far below the tolerance keeps its minimum of 4, still closed */
  double tiny[2 * 11];
  for (int i = 0; i < 10; i++) {
    tiny[2 * i] = 100 + 0.05 * cos(i * 0.6283185307179586);
    tiny[2 * i + 1] = 50 + 0.05 * sin(i * 0.6283185307179586);
  }
  tiny[20] = tiny[0];
  tiny[21] = tiny[1];
  size_t n = shoal_simplify(tiny, 11, 2.0, true);
  CHECK(n == 4);
  CHECK(tiny[0] == tiny[2 * (n - 1)] && tiny[1] == tiny[2 * (n - 1) + 1]);
  CHECK(!(tiny[2] == tiny[4] && tiny[3] == tiny[5]));
  /* short parts are left alone */
  double four[] = {0, 0, 0.1, 0, 0.1, 0.1, 0, 0};
  CHECK(shoal_simplify(four, 4, 5, true) == 4);
  double two[] = {0, 0, 0.1, 0};
  CHECK(shoal_simplify(two, 2, 5, false) == 2);
  /* a line never drops below 2 */
  double shortl[] = {0, 0, 0.1, 0, 0.2, 0};
  CHECK(shoal_simplify(shortl, 3, 5, false) == 2);
  CHECK(shortl[2] == 0.2);
  /* non-finite input is not touched */
  double nf[] = {0, 0, 1, 0, HUGE_VAL, HUGE_VAL, 3, 0};
  CHECK(shoal_simplify(nf, 4, 0.5, false) == 4);
}

/* A zig-zag with a growing amplitude makes Douglas-Peucker split next to the end every time:
 * stack depth ~ n, far past the on-stack buffer. */
static void test_simplify_deep(void)
{
  size_t n = 3000;
  double *xy = malloc(2 * n * sizeof *xy);
  CHECK(xy != NULL);
  if (!xy)
    return;
  for (size_t i = 0; i < n; i++) {
    xy[2 * i] = (double)i;
    xy[2 * i + 1] = (i % 2 ? 1.0 : -1.0) * (double)i;
  }
  CHECK(shoal_simplify(xy, n, 0.1, false) == n);
  CHECK(xy[2 * (n - 1)] == (double)(n - 1));
  free(xy);

  /* a 100k-vertex circle */
  n = 100001;
  xy = malloc(2 * n * sizeof *xy);
  CHECK(xy != NULL);
  if (!xy)
    return;
  for (size_t i = 0; i + 1 < n; i++) {
    double a = 2 * 3.141592653589793 * (double)i / (double)(n - 1);
    xy[2 * i] = 1000 * cos(a);
    xy[2 * i + 1] = 1000 * sin(a);
  }
  xy[2 * (n - 1)] = xy[0];
  xy[2 * (n - 1) + 1] = xy[1];
  size_t m = shoal_simplify(xy, n, 0.5, true);
  /* a chord of a r=1000 circle stays within 0.5 of the arc over 3.6 degrees: >= 100 chords */
  CHECK(m >= 100 && m < 260);
  CHECK(xy[0] == xy[2 * (m - 1)] && xy[1] == xy[2 * (m - 1) + 1]);
  int within = 1;
  for (size_t i = 0; i < m; i++)
    within &= fabs(hypot(xy[2 * i], xy[2 * i + 1]) - 1000) < 1e-9;
  CHECK(within);
  free(xy);
}

static void test_simplify_geom(void)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  const double sq[] = {0, 0, 5, 0, 10, 0, 10, 10, 0, 10, 0, 0};
  const double tri[] = {20, 20, 25, 20.01, 30, 20, 25, 30, 20, 20};
  add_part(&g, sq, 6);
  add_part(&g, tri, 5);
  shoal_simplify_geom(&g, 0.5);
  CHECK(g.nparts == 2 && g.npts == 9);
  const double sq_want[] = {0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
  const double tri_want[] = {20, 20, 30, 20, 25, 30, 20, 20};
  CHECK(part_is(&g, 0, sq_want, 5));
  CHECK(part_is(&g, 1, tri_want, 4));

  /* lines: a 2-vertex part stays */
  shoal_geom_free(&g);
  shoal_geom_init(&g, SHOAL_GEOM_LINE);
  const double l1[] = {0, 0, 1, 0, 2, 0}, l2[] = {5, 5, 5.1, 5};
  add_part(&g, l1, 3);
  add_part(&g, l2, 2);
  shoal_simplify_geom(&g, 0.5);
  const double l1_want[] = {0, 0, 2, 0};
  CHECK(g.nparts == 2 && part_is(&g, 0, l1_want, 2) && part_is(&g, 1, l2, 2));
  shoal_geom_free(&g);
}

int main(void)
{
  test_polygon();
  test_lines();
  test_simplify();
  test_simplify_deep();
  test_simplify_geom();
  return check_done();
}
