/* The GEOS adapter of the zones module: planar polygon overlay, buffers, Voronoi edges and
 * polygonizing, through GEOS's reentrant C API with one context per job. Only zones/geos.c,
 * zones/geosprep.c and their zones/geosctx.h include geos_c.h. Internal to zones/. */
#ifndef SHOAL_ZONES_ZGEOS_H
#define SHOAL_ZONES_ZGEOS_H

#include <stdbool.h>
#include <stddef.h>

#include "geo/geom.h"

typedef struct shoal_zgeos shoal_zgeos; /* one GEOS context; one thread at a time */
typedef struct shoal_zg shoal_zg;       /* a GEOS geometry (owned by whoever made it) */

/* A new context (caller frees with shoal_zgeos_free), NULL when out of memory. */
shoal_zgeos *shoal_zgeos_new(void);
void shoal_zgeos_free(shoal_zgeos *c);
/* The last GEOS error of c ("" when none); borrowed until the next call on c. */
const char *shoal_zgeos_error(const shoal_zgeos *c);

/* Geometry from a buffer: polygons are the union of the clockwise rings minus the union of
 * the counter-clockwise ones (all rings when none is clockwise), made valid; lines become a
 * multi-line string. NULL on failure. The caller drops the result with shoal_zgeos_drop. */
shoal_zg *shoal_zgeos_from(shoal_zgeos *c, const shoal_geom *g);
/* Polygonal or linear parts of z into out (cleared first; its kind set): rings with outer
 * rings clockwise and holes counter-clockwise, or lines. False when out of memory. */
bool shoal_zgeos_to(shoal_zgeos *c, const shoal_zg *z, shoal_geom *out);
void shoal_zgeos_drop(shoal_zgeos *c, shoal_zg *z);
bool shoal_zgeos_is_empty(shoal_zgeos *c, const shoal_zg *z);

typedef enum shoal_zgeos_op {
  SHOAL_ZG_INTERSECTION,
  SHOAL_ZG_DIFFERENCE,
  SHOAL_ZG_UNION
} shoal_zgeos_opkind;
/* a OP b as a new geometry (polygonal results keep only polygons; a line cut by a polygon
 * keeps its lines); NULL on failure. NULL a or b stands for the empty geometry. */
shoal_zg *shoal_zgeos_op(shoal_zgeos *c, shoal_zgeos_opkind op, const shoal_zg *a,
                         const shoal_zg *b);
/* The union of n polygonal geometries in one cascaded pass (each of zs is consumed and set to
 * NULL; NULL entries are skipped); far faster than n pairwise unions. NULL on failure. */
shoal_zg *shoal_zgeos_union_all(shoal_zgeos *c, shoal_zg **zs, size_t n);
/* The union of the states' land zs[0..n) (each valid, consumed; NULL entries skipped; the
 * array itself is the caller's): only polygons whose boxes meet another state's are noded
 * (geosunion.c). NULL on failure. */
shoal_zg *shoal_zgeos_union_states(shoal_zgeos *c, shoal_zg **zs, size_t n);
/* Planar buffer by dist with quadsegs segments per quarter circle; NULL on failure. */
shoal_zg *shoal_zgeos_buffer(shoal_zgeos *c, const shoal_zg *z, double dist, int quadsegs);
/* shoal_zgeos_buffer of each part of a collection, then their union (cascaded). */
shoal_zg *shoal_zgeos_buffer_each(shoal_zgeos *c, const shoal_zg *z, double dist, int quadsegs);
/* Topology-preserving simplification with tolerance tol (no ring disappears). */
shoal_zg *shoal_zgeos_simplify(shoal_zgeos *c, const shoal_zg *z, double tol);
/* The part of z within box b = {minx, miny, maxx, maxy} (a cheap clip). */
shoal_zg *shoal_zgeos_clip_box(shoal_zgeos *c, const shoal_zg *z, const double b[4]);
/* The edges of the Voronoi diagram of n points (xy pairs) as lines, within box env. */
shoal_zg *shoal_zgeos_voronoi_edges(shoal_zgeos *c, const double *xy, size_t n,
                                    const double env[4]);
/* Lines joined end to end where they meet (GEOSLineMerge). */
shoal_zg *shoal_zgeos_merge_lines(shoal_zgeos *c, const shoal_zg *lines);
/* Cut poly along lines (noded with its boundary) into faces and join the faces inside poly
 * by side(ctx, x, y) of a point inside each (0 or not): out[0] and out[1] (NULL when no face
 * went there; the caller drops them). False on failure (out both NULL). */
bool shoal_zgeos_split(shoal_zgeos *c, const shoal_zg *poly, const shoal_zg *lines,
                       int (*side)(void *ctx, double x, double y), void *ctx, shoal_zg *out[2]);
/* The polygons of z without their holes. */
shoal_zg *shoal_zgeos_fill_holes(shoal_zgeos *c, const shoal_zg *z);
typedef struct shoal_zprep shoal_zprep; /* a geometry prepared for many point tests */
/* z prepared (z borrowed until shoal_zgeos_unprepare); NULL on failure. */
shoal_zprep *shoal_zgeos_prepare(shoal_zgeos *c, const shoal_zg *z);
void shoal_zgeos_unprepare(shoal_zgeos *c, shoal_zprep *p);
/* Whether the point (x, y) lies in p (interior or boundary). */
bool shoal_zgeos_covers_xy(shoal_zgeos *c, const shoal_zprep *p, double x, double y);
/* Whether the point (x, y) lies within dist of p. */
bool shoal_zgeos_near_xy(shoal_zgeos *c, const shoal_zprep *p, double x, double y, double dist);
/* The polygon that closed lines (rings, noded together first, so they may cross themselves and
 * each other) enclose: of the faces they cut the plane into, those for which keep(ctx, x, y)
 * of a point inside holds, joined. NULL on failure. */
shoal_zg *shoal_zgeos_faces(shoal_zgeos *c, const shoal_zg *lines,
                            int (*keep)(void *ctx, double x, double y), void *ctx);
/* A copy of z. */
shoal_zg *shoal_zgeos_clone(shoal_zgeos *c, const shoal_zg *z);
/* Envelope of z {minx, miny, maxx, maxy}; false when z is empty. */
bool shoal_zgeos_bbox(shoal_zgeos *c, const shoal_zg *z, double b[4]);
/* z with every coordinate passed through fn (returns 0 to fail). */
shoal_zg *shoal_zgeos_transform(shoal_zgeos *c, const shoal_zg *z,
                                int (*fn)(double *x, double *y, void *ctx), void *ctx);
/* z as WKB (*len bytes) that any context can read back; caller frees with free(). */
unsigned char *shoal_zgeos_wkb(shoal_zgeos *c, const shoal_zg *z, size_t *len);
shoal_zg *shoal_zgeos_from_wkb(shoal_zgeos *c, const unsigned char *wkb, size_t len);

#endif
