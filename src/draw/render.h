/* Drawing one layer's features: query the visible shapes, transform them in batches, clip
 * and simplify in screen space, choose each feature's rule and draw it with Cairo. */
#ifndef SHOAL_RENDER_H
#define SHOAL_RENDER_H

#include <cairo.h>

#include "config/model.h"
#include "data/source.h"
#include "geo/view.h"
#include "geo/xform.h"

typedef struct shoal_render_stats {
  size_t features;  /* drawn */
  size_t pts_read;  /* vertices read from the file */
  size_t pts_drawn; /* vertices sent to Cairo */
} shoal_render_stats;

/* A feature's attributes for filters and templates: caches each field's text for the current
 * feature (fields are fetched lazily). Use shoal_featattr_get as a shoal_attr_fn. */
typedef struct shoal_featattr {
  shoal_source *src;
  int id;
  int nfields;
  char **vals; /* nfields entries */
  unsigned char *have;
} shoal_featattr;

bool shoal_featattr_init(shoal_featattr *fa, shoal_source *src);
void shoal_featattr_set(shoal_featattr *fa, int id); /* forget the previous feature's values */
void shoal_featattr_free(shoal_featattr *fa);
const char *shoal_featattr_get(void *ctx, int field, char *buf, size_t buflen);

/* Set cr's source/line properties from a style (sizes are CSS px; scale = device px per CSS px). */
void shoal_style_apply_stroke(cairo_t *cr, const shoal_style *st, double scale);
/* Append a marker's outline centred at (x, y) device px with diameter size device px. */
void shoal_marker_path(cairo_t *cr, shoal_marker_shape shape, double x, double y, double size);
/* Fill and stroke a marker with the style (the marker shape, size, fill, stroke). */
void shoal_marker_draw(cairo_t *cr, const shoal_style *st, double x, double y, double scale);
/* Fill/hatch/stroke the current path as a polygon with the style (even-odd). Clears the path. */
void shoal_polygon_paint(cairo_t *cr, const shoal_style *st, double scale);

/* A layer's features for one view, in device px: read, thinned, projected, clipped and
 * simplified once, then drawn any number of times (PNG and PDF of one job; all jobs of a batch
 * that share the view). Immutable after building, so threads may share it. */
typedef struct shoal_layergeo {
  shoal_geom_kind kind;
  shoal_geom g;       /* all parts of all features */
  int *ids;           /* feature i is shape ids[i] ... */
  size_t *first_part; /* ... with parts first_part[i] .. first_part[i+1]-1 */
  size_t nfeat, capfeat;
  size_t pts_read;
} shoal_layergeo;

/* Build the geometry of src's features in view v; a record that cannot be read is reported
 * to d naming it. A big layer is built on two threads (the second with its own PROJ context
 * and a copy of xf); the result is the same as on one. Caller frees with shoal_layergeo_free. */
shoal_status shoal_layergeo_build(const shoal_view *v, double simplify, shoal_source *src,
                                  shoal_xform *xf, shoal_diag *d, shoal_layergeo **out);
void shoal_layergeo_free(shoal_layergeo *lg);
/* Draw prepared geometry with L's styles and rules (filters bound to src). */
void shoal_layergeo_draw(cairo_t *cr, const shoal_view *v, const shoal_layer *L, shoal_source *src,
                         const shoal_layergeo *lg, shoal_render_stats *stats);

/* Draw layer L from src, transformed by xf (source CRS -> map CRS) into view v. Filters must be
 * bound to src's fields already. Returns SHOAL_OK or a data error recorded in d. */
shoal_status shoal_render_layer(cairo_t *cr, const shoal_view *v, const shoal_layer *L,
                                shoal_source *src, shoal_xform *xf, shoal_diag *d,
                                shoal_render_stats *stats);

#endif
