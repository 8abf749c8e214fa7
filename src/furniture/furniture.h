/* Map furniture drawn over the layers: title, subtitle, the source/credit line built from the
 * datasets the map draws, legend, scale bar, graticule, north arrow and inset locator. */
#ifndef SHOAL_FURNITURE_H
#define SHOAL_FURNITURE_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"
#include "geo/view.h"
#include "geo/xform.h"
#include "label/collide.h"
#include "layer/layer.h"

/* What furniture needs of a prepared map. Everything is borrowed and must outlive the state
 * made from it (the scene owns it all). */
typedef struct shoal_furnenv {
  shoal_map *map; /* its furniture: section is filled with defaults when missing */
  shoal_view view;
  shoal_proj *proj;   /* for the inset's transformations */
  shoal_xform *to_ll; /* map CRS -> EPSG:4326 */
  double scale_denom; /* 1:N at the centre */
  double centre_lon, centre_lat;
  const shoal_layerctx *layers; /* the layers with data, in drawing order */
  size_t nlayers;
} shoal_furnenv;

typedef struct shoal_furnstate shoal_furnstate;

/* Prepare what furniture needs before drawing (text context, inset data and transforms, north
 * direction). Errors to d at the furniture: section's lines. *out is set whenever the state
 * was allocated (also on error); the caller frees it with shoal_furniture_free. */
shoal_status shoal_furniture_check(const shoal_furnenv *env, shoal_diag *d, shoal_furnstate **out);
/* Free the state (NULL is fine). */
void shoal_furniture_free(shoal_furnstate *fs);
/* Reserve the boxes the furniture will occupy (title, legend, scale bar, inset, north arrow,
 * credit, graticule labels) so labels avoid them (taken may be NULL). Called before labels are
 * placed. */
shoal_status shoal_furniture_layout(shoal_furnstate *fs, cairo_t *cr, shoal_collide *taken);
/* Graticule lines, drawn under labels. */
shoal_status shoal_furniture_draw_under(shoal_furnstate *fs, cairo_t *cr, shoal_diag *d);
shoal_status shoal_furniture_draw(shoal_furnstate *fs, cairo_t *cr, shoal_diag *d);
/* With `layout: bands`, the heights in CSS px of the band above the map (title and subtitle)
 * and of the band below it (credit line) that the map area leaves free; false (both 0) for a
 * map whose furniture sits on the map. The scene fits the extent between them. */
bool shoal_furniture_bands(const shoal_map *m, double *top, double *bottom);
/* The credit line: the map's `credit` followed by "Data: " and each distinct attribution of a
 * visible layer, in layer order, joined by "; " (those words in the map's language: furniture
 * `texts:`). Caller frees with free(); NULL when out of memory. */
char *shoal_furniture_credit(const shoal_furnenv *env);

#endif
