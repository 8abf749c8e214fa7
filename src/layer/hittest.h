/* Which features of a layer are at a pixel of its view: for `shoal serve`'s inspect tool.
 * A polygon is hit from inside; a line or a point within a tolerance. */
#ifndef SHOAL_HITTEST_H
#define SHOAL_HITTEST_H

#include <stddef.h>

#include "base/status.h"
#include "config/model.h"
#include "layer/layer.h"

/* The shape ids of lc's features at device pixel (x, y) of its view: polygons containing the
 * point (even-odd, as they are filled), lines and points within tol device px. Tested against
 * the whole feature, projected as it is drawn. Caller frees *ids with free(). Errors are the
 * source's status (read errors; the caller reports them). */
shoal_status shoal_layer_hit(const shoal_layerctx *lc, double x, double y, double tol, int **ids,
                             size_t *n);
/* The index into L->rules of the rule that styles the feature whose attributes fa holds (its
 * style is what shoal_featattr_style chose), -1 when the layer has no rules or none matched. */
int shoal_layer_rule_of(const shoal_layer *L, const shoal_style *chosen);

#endif
