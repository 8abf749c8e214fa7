/* Map furniture drawn over the layers: title, subtitle, the source/credit line built from the
 * datasets the map draws, legend, scale bar, graticule, north arrow and inset locator. */
#ifndef SHOAL_FURNITURE_H
#define SHOAL_FURNITURE_H

#include <cairo.h>

#include "core/scene.h"
#include "label/collide.h"

/* Prepare what furniture needs before drawing (text context, inset data and transforms, north
 * direction) into sc->furn. Errors to d at the furniture: section's lines. */
shoal_status shoal_furniture_check(shoal_scene *sc, shoal_diag *d);
/* Free the state shoal_furniture_check hung on the scene (NULL is fine). */
void shoal_furniture_free(struct shoal_furnstate *fs);
/* Reserve the boxes the furniture will occupy (title, legend, scale bar, inset, north arrow,
 * credit, graticule labels) so labels avoid them. Called before labels are placed. */
shoal_status shoal_furniture_layout(shoal_scene *sc, cairo_t *cr, shoal_collide *taken);
/* Graticule lines, drawn under labels. */
shoal_status shoal_furniture_draw_under(shoal_scene *sc, cairo_t *cr, shoal_diag *d);
shoal_status shoal_furniture_draw(shoal_scene *sc, cairo_t *cr, shoal_diag *d);
/* The credit line: the map's `credit` followed by "Data: " and each distinct attribution of a
 * visible layer, in layer order, joined by "; ". Caller frees. */
char *shoal_furniture_credit(const shoal_scene *sc);

#endif
