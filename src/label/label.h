/* Labels, markers and annotations: one global placement pass over every label candidate
 * (layer labels, annotation markers, callouts, area labels) with a collision index, so no
 * label overlaps another label, a marker or the furniture; leader lines where a label moves. */
#ifndef SHOAL_LABEL_H
#define SHOAL_LABEL_H

#include <cairo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"
#include "geo/view.h"
#include "geo/xform.h"
#include "label/collide.h"
#include "layer/layer.h"

/* What labelling needs of a prepared map. Everything is borrowed and must outlive the label
 * state made from it (the scene owns it all). */
typedef struct shoal_labelenv {
  const shoal_map *map;
  shoal_view view;
  shoal_xform *to_ll;           /* map CRS -> EPSG:4326 */
  shoal_xform *from_ll;         /* EPSG:4326 -> map CRS: its seam cuts annotations (NULL: none) */
  const shoal_layerctx *layers; /* the layers with data, in drawing order */
  size_t nlayers;
  bool strict_labels; /* an unplaceable label is an error, not a warning */
} shoal_labelenv;

typedef struct shoal_labelstate shoal_labelstate;

/* After layers are opened: bind label templates to fields, resolve place ids, check fonts and
 * languages. Errors at file:line:col into d. *out is set whenever the state was allocated
 * (also on error); the caller frees it with shoal_labels_free. */
shoal_status shoal_labels_prepare(const shoal_labelenv *env, shoal_diag *d, shoal_labelstate **out);
/* Draw highlighted areas (under everything that follows). */
shoal_status shoal_annots_draw_under(shoal_labelstate *ls, cairo_t *cr, shoal_diag *d);
/* Place and draw all labels, markers, callouts and leaders, avoiding boxes already in `taken`
 * (furniture). Unplaceable labels become warnings naming them (errors with strict_labels),
 * given once per state however often it draws. On success *placed and *dropped count the
 * labels. cancel (borrowed, NULL = never) is checked between collecting, placing and drawing:
 * once it is non-zero the pass stops and returns SHOAL_ERR_INTERRUPTED without a message, so a
 * signal does not wait for a dense map's placement to finish. */
shoal_status shoal_labels_draw(shoal_labelstate *ls, cairo_t *cr, shoal_collide *taken,
                               const atomic_int *cancel, shoal_diag *d, size_t *placed,
                               size_t *dropped);
void shoal_labels_free(shoal_labelstate *ls);

#endif
