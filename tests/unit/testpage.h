/* A small map-like page for the PNG tests (test_pngenc.c, test_pngquant.c): a sea colour when
 * opaque, a land disk (translucent on a clear page) and a red line corner to corner, the
 * shapes and colours Shoal's maps are made of. Caller destroys the surface. */
#ifndef SHOAL_TESTPAGE_H
#define SHOAL_TESTPAGE_H

#include <cairo.h>
#include <stdbool.h>

static cairo_surface_t *testpage_draw(int w, int h, bool opaque)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create(s);
  if (opaque) {
    cairo_set_source_rgb(cr, 0.87, 0.91, 0.94);
    cairo_paint(cr);
  }
  cairo_set_source_rgba(cr, 0.95, 0.94, 0.92, opaque ? 1 : 0.6);
  cairo_arc(cr, w / 2.0, h / 2.0, h / 3.0, 0, 6.3);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.78, 0.06, 0.18);
  cairo_set_line_width(cr, 2.2);
  cairo_move_to(cr, 0, 0);
  cairo_line_to(cr, w, h);
  cairo_stroke(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  return s;
}

#endif
