/* Labels, markers and annotations: one global placement pass over every label candidate
 * (layer labels, annotation markers, callouts, area labels) with a collision index, so no
 * label overlaps another label, a marker or the furniture; leader lines where a label moves. */
#ifndef SHOAL_LABEL_H
#define SHOAL_LABEL_H

#include <cairo.h>

#include "core/scene.h"
#include "label/collide.h"

/* After layers are opened: bind label templates to fields, resolve place ids, check fonts and
 * languages. Errors at file:line:col into d. Stores its state in sc->labels. */
shoal_status shoal_labels_prepare(shoal_scene *sc, shoal_diag *d);
/* Draw highlighted areas (under everything that follows). */
shoal_status shoal_annots_draw_under(shoal_scene *sc, cairo_t *cr, shoal_diag *d);
/* Place and draw all labels, markers, callouts and leaders, avoiding boxes already in `taken`
 * (furniture). Unplaceable labels become warnings naming them (errors with strict_labels).
 * Updates sc->stats.labels_placed / labels_dropped. */
shoal_status shoal_labels_draw(shoal_scene *sc, cairo_t *cr, shoal_collide *taken, shoal_diag *d);
void shoal_labels_free(struct shoal_labelstate *ls);

#endif
