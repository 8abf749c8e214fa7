/* Text for the editable SVG writer (svgwrite.h): Pango layouts as <text> elements, for
 * text.c only. */
#ifndef SHOAL_SVGTEXT_H
#define SHOAL_SVGTEXT_H

#include <pango/pangocairo.h>
#include <stdbool.h>

#include "config/color.h"
#include "draw/svgwrite.h"

/* Write layout l, its top-left corner at cr's current point, as one <text> element (a <tspan>
 * per line at the position Pango gave it), the halo as its stroke (halo_w device px wide)
 * painted under the fill. False (nothing done) when cr has no SVG writer. */
bool shoal_svg_layout(cairo_t *cr, PangoLayout *l, shoal_color color, shoal_color halo,
                      double halo_w);

/* One glyph cluster of a text set along a path: its characters, the origin of its baseline in
 * cr's user space, and its angle (radians, clockwise with y down). */
typedef struct shoal_svg_glyph {
  const char *text;
  size_t len;
  double x, y, angle;
} shoal_svg_glyph;

/* Write the clusters of one text set along a path as one <text> element with a <tspan> per
 * cluster (x, y, rotate); `font` gives the font attributes. False when cr has no writer. */
bool shoal_svg_glyphs(cairo_t *cr, PangoLayout *font, const shoal_svg_glyph *g, size_t n,
                      shoal_color color, shoal_color halo, double halo_w);

#endif
