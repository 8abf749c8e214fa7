/* Unit tests for chunk culling (data/cull.c): giant rings (a wiggly coast, a spiral that winds
 * round the view several times, a ring with a hole) culled against a box around a view are
 * clipped, simplified and drawn by Cairo as the pipeline does, give exactly the same pixels as
 * the whole rings, filled with either rule and stroked; culling never lengthens a ring, drops most
 * of a ring far from the view, and leaves small rings and lines alone. */
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/clip.h"
#include "geo/geom.h"
#include "data/cull.h"
#include "check.h"

enum { VIEW = 160 };

static void ring(shoal_geom *g, const double *xy, size_t n)
{
  shoal_geom_begin_part(g);
  for (size_t i = 0; i < n; i++)
    shoal_geom_add(g, xy[2 * i], xy[2 * i + 1]);
  shoal_geom_add(g, xy[0], xy[1]); /* closed as in a shapefile */
  shoal_geom_end_part(g, 1);
}

/* A coast: a circle of radius r about (cx, cy) with a deterministic wiggle, n vertices. */
static void coast(shoal_geom *g, double cx, double cy, double r, size_t n, double turns, bool ccw)
{
  double *xy = malloc(2 * n * sizeof *xy);
  for (size_t i = 0; i < n; i++) {
    double t = 2 * M_PI * turns * (double)i / (double)n * (ccw ? 1 : -1);
    double rr = r * (1 + 0.08 * sin(37 * t) + 0.03 * sin(301 * t)) *
                (turns > 1 ? 1 - 0.5 * (double)i / (double)n : 1);
    xy[2 * i] = cx + rr * cos(t);
    xy[2 * i + 1] = cy + rr * sin(t);
  }
  ring(g, xy, n);
  free(xy);
}

/* Draw g as the pipeline does: clipped to the view and a 16 px margin, simplified to 0.25 px,
 * with the view's top-left corner (vx, vy) at the origin. */
static cairo_surface_t *draw(const shoal_geom *whole, double vx, double vy, bool evenodd)
{
  double rect[4] = {vx - 16, vy - 16, vx + VIEW + 16, vy + VIEW + 16};
  shoal_geom clipped, *g = &clipped;
  shoal_geom_init(&clipped, SHOAL_GEOM_POLYGON);
  shoal_clip_polygon(whole, rect, &clipped);
  shoal_simplify_geom(&clipped, 0.25);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, VIEW, VIEW);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++)
      (i == g->parts[p] ? cairo_move_to : cairo_line_to)(cr, g->xy[2 * i] - vx,
                                                         g->xy[2 * i + 1] - vy);
  cairo_set_fill_rule(cr, evenodd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
  cairo_set_source_rgba(cr, 0.2, 0.5, 0.3, 0.7);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(cr, 1.3);
  cairo_stroke(cr);
  cairo_destroy(cr);
  shoal_geom_free(&clipped);
  cairo_surface_flush(s);
  return s;
}

static long differing(cairo_surface_t *a, cairo_surface_t *b)
{
  long n = 0;
  const unsigned char *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
  int stride = cairo_image_surface_get_stride(a);
  for (int y = 0; y < VIEW; y++)
    n += memcmp(pa + (size_t)y * stride, pb + (size_t)y * stride, (size_t)VIEW * 4) != 0;
  return n;
}

/* Cull a copy of g for the view at (vx, vy) and compare the drawings; returns what was dropped. */
static size_t same_pixels(const shoal_geom *g, double vx, double vy)
{
  shoal_geom c;
  shoal_geom_init(&c, SHOAL_GEOM_POLYGON);
  for (size_t p = 0; p < g->nparts; p++)
    ring(&c, g->xy + 2 * g->parts[p], shoal_geom_part_len(g, p) - 1);
  /* the view with a margin, grown by half on each side as the pipeline does */
  double q[4] = {vx - 1.5 * VIEW / 2, vy - 1.5 * VIEW / 2, vx + VIEW + 1.5 * VIEW / 2,
                 vy + VIEW + 1.5 * VIEW / 2};
  size_t before = c.npts, dropped = shoal_cull_rings(&c, q);
  CHECK(c.npts == before - dropped && c.parts[c.nparts] == c.npts);
  for (int eo = 0; eo < 2; eo++) {
    cairo_surface_t *a = draw(g, vx, vy, eo), *b = draw(&c, vx, vy, eo);
    long n = differing(a, b);
    CHECK(n == 0);
    if (n)
      fprintf(stderr, "view %g,%g even-odd %d: %ld rows differ\n", vx, vy, eo, n);
    cairo_surface_destroy(a);
    cairo_surface_destroy(b);
  }
  shoal_geom_free(&c);
  return dropped;
}

int main(void)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  coast(&g, 5000, 5000, 4000, 200000, 1, true);
  /* views on the coast, inside the land, out at sea, and at the centre of the ring */
  CHECK(same_pixels(&g, 8920, 4960) > 190000);
  CHECK(same_pixels(&g, 5000, 1000) > 190000);
  same_pixels(&g, 3000, 3000);
  same_pixels(&g, 9500, 9500);
  same_pixels(&g, 4920, 4920);
  /* a hole: a second ring the other way round */
  coast(&g, 5000, 5000, 2000, 50000, 1, false);
  same_pixels(&g, 6920, 4960);
  same_pixels(&g, 6000, 4960);
  shoal_geom_free(&g);
  /* a spiral winding round the view three times and back */
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  coast(&g, 5000, 5000, 4000, 120000, 3, true);
  same_pixels(&g, 4920, 4920);
  same_pixels(&g, 5600, 4920);
  shoal_geom_free(&g);
  /* small rings and lines are left alone */
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  coast(&g, 0, 0, 100, 1000, 1, true);
  double far[4] = {1e6, 1e6, 1e6 + 1, 1e6 + 1};
  CHECK(shoal_cull_rings(&g, far) == 0);
  g.kind = SHOAL_GEOM_LINE;
  shoal_geom_clear(&g);
  coast(&g, 0, 0, 100, 10000, 1, true);
  CHECK(shoal_cull_rings(&g, far) == 0);
  shoal_geom_free(&g);
  return check_done();
}
