/* Dropping the parts of giant rings that lie far outside the view before they are projected,
 * keeping what the view shows exactly (see cull.c). */
#ifndef SHOAL_CULL_H
#define SHOAL_CULL_H

#include "geo/geom.h"

/* Rings of at least this many vertices are looked at in chunks of SHOAL_CULL_CHUNK segments. */
#define SHOAL_CULL_MIN_POINTS 4096
#define SHOAL_CULL_CHUNK 256

/* In polygon g (source units), replace each run of chunks whose bounding boxes miss box q
 * (x0, y0, x1, y1) by the run's ends clamped onto q's outline. Every point inside q keeps its
 * winding number, so fills and strokes inside q are unchanged; the result is never longer.
 * Returns the number of vertices dropped. Other kinds and small rings are left alone. */
size_t shoal_cull_rings(shoal_geom *g, const double q[4]);

#endif
