/* Unit tests of the label collision index (src/draw/collide.c), against a brute-force check. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "label/collide.h"

static shoal_box B(double x0, double y0, double x1, double y1)
{
  return (shoal_box){x0, y0, x1, y1};
}

static void basics(void)
{
  shoal_collide *c = shoal_collide_new(400, 300, 32);
  CHECK(c != NULL);
  CHECK(!shoal_collide_hits(c, B(0, 0, 400, 300)));
  CHECK(shoal_collide_add(c, B(100, 100, 150, 120)));
  CHECK(shoal_collide_hits(c, B(140, 110, 200, 130)));  /* overlaps a corner */
  CHECK(shoal_collide_hits(c, B(110, 105, 120, 110)));  /* inside */
  CHECK(shoal_collide_hits(c, B(0, 0, 400, 300)));      /* contains it */
  CHECK(!shoal_collide_hits(c, B(150, 100, 200, 120))); /* touches the right edge only */
  CHECK(!shoal_collide_hits(c, B(100, 120, 150, 140))); /* touches the bottom edge only */
  CHECK(!shoal_collide_hits(c, B(10, 10, 50, 50)));
  CHECK(!shoal_collide_hits(c, B(120, 110, 120, 115))); /* no area: overlaps nothing */
  shoal_collide_free(c);
}

static void off_page(void)
{
  shoal_collide *c = shoal_collide_new(400, 300, 32);
  /* Boxes partly or wholly off the page still collide with each other. */
  CHECK(shoal_collide_add(c, B(-80, -40, -10, -5)));
  CHECK(shoal_collide_hits(c, B(-20, -20, 5, 5)));
  CHECK(!shoal_collide_hits(c, B(-5, -5, 5, 5)));
  CHECK(shoal_collide_add(c, B(390, 290, 1e6, 1e6)));
  CHECK(shoal_collide_hits(c, B(5e5, 5e5, 5e5 + 1, 5e5 + 1)));
  CHECK(!shoal_collide_hits(c, B(380, 280, 389, 289)));
  shoal_collide_free(c);
}

static void not_finite(void)
{
  shoal_collide *c = shoal_collide_new(400, 300, 32);
  /* A box that cannot be located is never free, and adding one registers nothing. */
  CHECK(shoal_collide_hits(c, B(NAN, 0, 10, 10)));
  CHECK(shoal_collide_hits(c, B(0, 0, INFINITY, 10)));
  CHECK(shoal_collide_add(c, B(NAN, NAN, NAN, NAN)));
  CHECK(!shoal_collide_hits(c, B(0, 0, 400, 300)));
  shoal_collide_free(c);
  /* Bad page sizes and cells fall back to something usable. */
  c = shoal_collide_new(NAN, -1, 0);
  CHECK(c != NULL);
  CHECK(shoal_collide_add(c, B(0, 0, 10, 10)));
  CHECK(shoal_collide_hits(c, B(5, 5, 6, 6)));
  shoal_collide_free(c);
  /* A huge page gets coarser cells instead of an absurd grid. */
  c = shoal_collide_new(1e9, 1e9, 1);
  CHECK(c != NULL);
  CHECK(shoal_collide_add(c, B(5e8, 5e8, 5e8 + 10, 5e8 + 10)));
  CHECK(shoal_collide_hits(c, B(5e8 + 5, 5e8 + 5, 5e8 + 6, 5e8 + 6)));
  shoal_collide_free(c);
}

/* A fixed LCG: the same boxes on every run. */
static double rnd(uint32_t *st, double lo, double hi)
{
  *st = *st * 1664525u + 1013904223u;
  return lo + (hi - lo) * (double)(*st >> 8) / (double)(1u << 24);
}

static bool brute(const shoal_box *v, size_t n, shoal_box b)
{
  for (size_t i = 0; i < n; i++)
    if (b.x0 < v[i].x1 && v[i].x0 < b.x1 && b.y0 < v[i].y1 && v[i].y0 < b.y1)
      return true;
  return false;
}

/* Random boxes of all sizes, on and off the page: the grid answers as a linear scan does. */
static void against_brute_force(void)
{
  enum { N = 1500, Q = 4000 };
  shoal_box *v = malloc(N * sizeof *v);
  shoal_collide *c = shoal_collide_new(800, 600, 24);
  CHECK(v && c);
  if (!v || !c)
    return;
  size_t mism = 0;
  uint32_t st = 12345;
  for (size_t i = 0; i < N; i++) {
    double x = rnd(&st, -100, 900), y = rnd(&st, -100, 700),
           w = rnd(&st, 0.5, i % 50 == 0 ? 400 : 30), h = rnd(&st, 0.5, 20);
    v[i] = B(x, y, x + w, y + h);
    CHECK(shoal_collide_add(c, v[i]));
    /* Interleave queries with adds, as the placement pass does. */
    double qx = rnd(&st, -100, 900), qy = rnd(&st, -100, 700);
    shoal_box q = B(qx, qy, qx + rnd(&st, 0.5, 60), qy + rnd(&st, 0.5, 15));
    mism += shoal_collide_hits(c, q) != brute(v, i + 1, q);
  }
  for (size_t k = 0; k < Q; k++) {
    double qx = rnd(&st, -150, 950), qy = rnd(&st, -150, 750);
    shoal_box q = B(qx, qy, qx + rnd(&st, 0.1, 120), qy + rnd(&st, 0.1, 40));
    mism += shoal_collide_hits(c, q) != brute(v, N, q);
  }
  CHECK(mism == 0);
  shoal_collide_free(c);
  free(v);
}

/* The boxes along a line: pieces of at most step px that cover it end to end, grown by w. */
static void segment_pieces(void)
{
  CHECK(shoal_collide_seg_pieces(0, 0, 30, 0, 6) == 5);
  CHECK(shoal_collide_seg_pieces(0, 0, 31, 0, 6) == 6);
  CHECK(shoal_collide_seg_pieces(5, 5, 5, 5, 6) == 1);          /* a point still gets a box */
  CHECK(shoal_collide_seg_pieces(0, 0, 1e9, 0, 6) == 0);        /* too many pieces: none */
  shoal_box b0 = shoal_collide_seg_box(30, 10, 0, 10, 0, 5, 2); /* drawn right to left */
  shoal_box b4 = shoal_collide_seg_box(30, 10, 0, 10, 4, 5, 2);
  CHECK(b0.x0 == 22 && b0.x1 == 32 && b0.y0 == 8 && b0.y1 == 12);
  CHECK(b4.x0 == -2 && b4.x1 == 8);
}

int main(void)
{
  basics();
  off_page();
  not_finite();
  against_brute_force();
  segment_pieces();
  return check_done();
}
