/* Drawing: styles, markers and polygons with Cairo, and a layer's features prepared by
 * layer/ (choosing each feature's rule). Draws only; it reads no data itself. */
#ifndef SHOAL_RENDER_H
#define SHOAL_RENDER_H

#include <cairo.h>

#include "config/model.h"
#include "draw/svgwrite.h" /* the drawing operations every drawing file uses */
#include "layer/featattr.h"
#include "layer/layer.h"

typedef struct shoal_render_stats {
  size_t features;  /* drawn */
  size_t pts_read;  /* vertices read from the file */
  size_t pts_drawn; /* vertices sent to Cairo */
} shoal_render_stats;

/* Set cr's source/line properties from a style (sizes are CSS px; scale = device px per CSS px). */
void shoal_style_apply_stroke(cairo_t *cr, const shoal_style *st, double scale);
/* Append a marker's outline centred at (x, y) device px with diameter size device px. */
void shoal_marker_path(cairo_t *cr, shoal_marker_shape shape, double x, double y, double size);
/* Fill and stroke a marker with the style (the marker shape, size, fill, stroke). */
void shoal_marker_draw(cairo_t *cr, const shoal_style *st, double x, double y, double scale);
/* The fill of shoal_polygon_paint alone (even-odd; nothing without a fill). Clears the path. */
void shoal_polygon_fill(cairo_t *cr, const shoal_style *st);
/* The outline of shoal_polygon_paint alone (nothing without a stroke). Clears the path. */
void shoal_polygon_stroke(cairo_t *cr, const shoal_style *st, double scale);
/* Fill/hatch/stroke the current path as a polygon with the style (even-odd). Clears the path. */
void shoal_polygon_paint(cairo_t *cr, const shoal_style *st, double scale);

/* Feature f of lg read into fa and its style chosen by lc's layer rules: NULL when no rule
 * draws it. A drawn feature is counted in stats (features, vertices drawn). */
const shoal_style *shoal_render_feature_style(shoal_featattr *fa, const shoal_layerctx *lc,
                                              const shoal_layergeo *lg, size_t f,
                                              shoal_render_stats *stats);
/* Record that drawing lc's layer ran out of memory; returns SHOAL_ERR_NOMEM. */
shoal_status shoal_render_nomem(const shoal_layerctx *lc, shoal_diag *d);

/* Draw prepared geometry of lc's layer with its styles and rules (filters bound to lc->src).
 * Out of memory, or attributes that cannot be read (the .dbf changed under a running batch),
 * are errors recorded in d. Cairo errors stay on cr: see shoal_render_check. */
shoal_status shoal_layergeo_draw(cairo_t *cr, const shoal_layerctx *lc, const shoal_layergeo *lg,
                                 shoal_render_stats *stats, shoal_diag *d);
/* Draw lc's layer: its prepared geometry (shoal_layer_geom) drawn with shoal_layergeo_draw.
 * Returns SHOAL_OK or an error recorded in d. */
shoal_status shoal_render_layer(cairo_t *cr, const shoal_layerctx *lc, shoal_diag *d,
                                shoal_render_stats *stats);
/* After drawing `what` ("layer 'land'", "the legend") on cr: SHOAL_OK, or Cairo's error
 * reported at `at` (where what is defined; may be zero) naming the style key when the error
 * points at one (then SHOAL_ERR_DATA), else SHOAL_ERR_INTERNAL. A Cairo error is sticky:
 * nothing more is drawn on cr, so every stage of a drawing checks it. */
shoal_status shoal_render_check(cairo_t *cr, shoal_diag *d, shoal_loc at, const char *what);

#endif
