/* Screen-space clipping and simplification: run after projection and the view transform, so
 * tolerances are in device pixels and nothing off-page or sub-pixel reaches Cairo. */
#ifndef SHOAL_CLIP_H
#define SHOAL_CLIP_H

#include <stdbool.h>
#include <stddef.h>

#include "geo/geom.h"

/* Clip every ring of polygon `in` to rect {minx,miny,maxx,maxy} (Sutherland-Hodgman per ring;
 * correct for even-odd filling). Rings wholly outside are dropped; rings wholly inside are
 * copied unchanged. Vertices equal to HUGE_VAL (failed projection) split/drop safely: a ring
 * with any such vertex drops them. `out` is cleared first; kind set to POLYGON. */
bool shoal_clip_polygon(const shoal_geom *in, const double rect[4], shoal_geom *out);

/* Clip polylines to rect; a line leaving and re-entering becomes several parts. HUGE_VAL
 * vertices break the line there. `out` is cleared first; kind set to LINE. */
bool shoal_clip_lines(const shoal_geom *in, const double rect[4], shoal_geom *out);

/* Simplify one part in place to tolerance tol (device px): first drop vertices closer than
 * tol to the last kept one, then Douglas-Peucker with tol. Endpoints are kept; a closed ring
 * keeps at least 4 vertices if it had them. A part with a non-finite vertex is left as it is.
 * Returns the new vertex count. */
size_t shoal_simplify(double *xy, size_t n, double tol, bool closed);

/* Simplify every part of g in place (compacting the buffer). Parts are never dropped here:
 * rings keep at least 4 vertices and lines 2, so tiny islands stay visible as small marks. */
void shoal_simplify_geom(shoal_geom *g, double tol);

/* Cheap radial thinning before projection, in source units: drops vertices closer than tol
 * to the last kept one (first and last of each part kept; rings keep at least 4). Used with a
 * tolerance well under half a pixel so the projected, simplified result is unchanged while
 * PROJ sees a fraction of the vertices. */
void shoal_thin_geom(shoal_geom *g, double tol);

#endif
