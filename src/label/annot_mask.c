/* A highlight's outline kept off a polygon layer (`mask:`): where land is, grown by the
 * outline's width, is drawn once into an 8-bit raster at the page's resolution, and the
 * outline is walked a device pixel at a time, keeping only the stretches over open sea. The
 * decision is raster; what is drawn stays vector paths (PDF and SVG keep real lines and text:
 * a Cairo soft mask or CLEAR operator would make the PDF backend rasterise the page). */
#include <math.h>

#include "label/label_priv.h"

static void rings_path(cairo_t *cr, const shoal_geom *g)
{
  cairo_new_path(cr);
  for (size_t p = 0; p < g->nparts; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    if (b - a < 3)
      continue;
    cairo_move_to(cr, g->xy[2 * a], g->xy[2 * a + 1]);
    for (size_t i = a + 1; i < b; i++)
      cairo_line_to(cr, g->xy[2 * i], g->xy[2 * i + 1]);
    cairo_close_path(cr);
  }
}

cairo_surface_t *shoal_annot_mask_new(const shoal_view *v, const shoal_geom *land, double grow_px)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_A8, v->width, v->height);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return NULL;
  }
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgba(cr, 0, 0, 0, 1);
  cairo_paint(cr);
  cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  rings_path(cr, land);
  cairo_fill_preserve(cr);
  cairo_set_line_width(cr, grow_px);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  return s;
}

/* True when (x, y) is open sea in the mask (outside the page counts as sea). */
static bool sea(cairo_surface_t *m, double x, double y)
{
  int w = cairo_image_surface_get_width(m), h = cairo_image_surface_get_height(m);
  if (!(x >= 0 && y >= 0 && x < w && y < h))
    return true;
  const unsigned char *px = cairo_image_surface_get_data(m);
  int stride = cairo_image_surface_get_stride(m);
  return px[(long)floor(y) * stride + (long)floor(x)] > 127;
}

/* One segment walked in steps of at most a pixel, pen down over sea. */
static void walk(cairo_t *cr, cairo_surface_t *m, const double *p, const double *q, bool *pen,
                 bool first)
{
  double len = hypot(q[0] - p[0], q[1] - p[1]);
  long n = (long)fmax(1, ceil(len));
  for (long k = first ? 0 : 1; k <= n; k++) {
    double t = (double)k / (double)n, x = p[0] + (q[0] - p[0]) * t, y = p[1] + (q[1] - p[1]) * t;
    if (!sea(m, x, y))
      *pen = false;
    else if (*pen)
      cairo_line_to(cr, x, y);
    else {
      cairo_move_to(cr, x, y);
      *pen = true;
    }
  }
}

void shoal_annot_masked_path(cairo_t *cr, const shoal_geom *g, bool rings, cairo_surface_t *m)
{
  cairo_new_path(cr);
  for (size_t p = 0; p < g->nparts; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    if (b - a < 2)
      continue;
    bool pen = false;
    for (size_t i = a + 1; i < b; i++)
      walk(cr, m, &g->xy[2 * i - 2], &g->xy[2 * i], &pen, i == a + 1);
    if (rings && b - a >= 3)
      walk(cr, m, &g->xy[2 * b - 2], &g->xy[2 * a], &pen, false);
  }
}
