/* Editable SVG: a writer attached to a cairo_t that turns the drawing calls made on it into
 * SVG elements (paths with plain fill/stroke attributes, <text> with real characters, one
 * named layer group per layer and furniture element), so a graphics desk can finish the map
 * in Illustrator or Inkscape. The drawing code calls the shoal_svg_* operations below instead
 * of cairo_fill/stroke/paint/clip: on a cairo_t without a writer (PNG, PDF, Cairo's own SVG)
 * each is exactly the Cairo call it replaces, so those outputs do not change; on the writer's
 * cairo_t nothing is drawn by Cairo and the current path (in device pixels, after the same
 * projection, clipping and simplification as the PNG) is written out instead. */
#ifndef SHOAL_SVGWRITE_H
#define SHOAL_SVGWRITE_H

#include <cairo.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/status.h"
#include "config/color.h"

typedef struct shoal_svg shoal_svg;

/* A writer for a page of width x height CSS px drawn at scale device px per CSS px, writing to
 * f (borrowed until shoal_svg_free). Writes the document's head at once. NULL when out of
 * memory. Caller frees with shoal_svg_free. */
shoal_svg *shoal_svg_new(FILE *f, int width, int height, double scale, const char *title);
/* Route the drawing made on cr (a cairo_t of a surface that is never shown) into w; w stays
 * owned by the caller and must outlive cr's drawing. */
void shoal_svg_attach(shoal_svg *w, cairo_t *cr);
/* Write what is pending and the document's end. SHOAL_OK, or SHOAL_ERR_NOMEM when some part
 * could not be kept (then the document is incomplete). */
shoal_status shoal_svg_finish(shoal_svg *w);
void shoal_svg_free(shoal_svg *w);

/* The writer attached to cr, or NULL (every other output). */
shoal_svg *shoal_svg_of(cairo_t *cr);

/* Drawing operations: Cairo's own on every other output (see the top of this file). */
void shoal_svg_fill(cairo_t *cr, bool preserve);
void shoal_svg_stroke(cairo_t *cr, bool preserve);
void shoal_svg_paint(cairo_t *cr);
/* cairo_clip; in SVG also opens a group clipped to the path, closed by shoal_svg_unclip
 * (call it before the cairo_restore that ends the clip). */
void shoal_svg_clip(cairo_t *cr);
void shoal_svg_unclip(cairo_t *cr);
/* Fill the current path (even-odd, kept) with parallel lines as an SVG <pattern>: lines of
 * colour c and width lw device px, spacing sp device px, at angle_deg counter-clockwise, one
 * through the centre of the path's extents as in the PNG. False (nothing done) on every other
 * output. */
bool shoal_svg_hatch(cairo_t *cr, shoal_color c, double lw, double sp, double angle_deg);
/* Close the drawing since the previous group into a named layer group. `what` is the name the
 * drawing code gives the part in its messages: "layer 'land'" gives the id land, "the scale
 * bar" gives scale-bar. Nothing when nothing was drawn, and on every other output. */
void shoal_svg_group(cairo_t *cr, const char *what);

/* Append printf-style text to the pending group (for svgtext.c). */
void shoal_svg_printf(shoal_svg *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s with XML's special characters escaped (for text and attribute values). */
void shoal_svg_escaped(shoal_svg *w, const char *s, size_t n);
/* A number rounded to 0.01, written without trailing zeros, into buf (at least 32 bytes). */
const char *shoal_svg_num(char *buf, double v);
/* The colour attribute pair for a paint: ` NAME="#rrggbb"` and, when not opaque,
 * ` NAME-opacity="a"` (name is "fill" or "stroke"). */
void shoal_svg_paint_attr(shoal_svg *w, const char *name, double r, double g, double b, double a);

#endif
