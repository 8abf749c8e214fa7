/* Geometry buffers: a set of parts (rings or polylines or points) of interleaved x,y doubles.
 * Buffers grow and are reused across features to avoid an allocation per shape. */
#ifndef SHOAL_GEOM_H
#define SHOAL_GEOM_H

#include <stdbool.h>
#include <stddef.h>

typedef enum shoal_geom_kind {
  SHOAL_GEOM_NONE = 0,
  SHOAL_GEOM_POINT = 1,  /* each point is its own part of one vertex */
  SHOAL_GEOM_LINE = 2,   /* parts are polylines */
  SHOAL_GEOM_POLYGON = 3 /* parts are rings (outer and holes), filled even-odd */
} shoal_geom_kind;

typedef struct shoal_geom {
  shoal_geom_kind kind;
  double *xy; /* 2*npts doubles */
  size_t npts, cap_pts;
  size_t *parts;            /* start vertex of each part; part i spans parts[i] .. parts[i+1]-1 */
  size_t nparts, cap_parts; /* parts has room for nparts+1 entries; parts[nparts] == npts */
} shoal_geom;

/* Hard cap on vertices per geometry buffer (guards against absurd files). */
#define SHOAL_GEOM_MAX_POINTS ((size_t)1 << 28)

void shoal_geom_init(shoal_geom *g, shoal_geom_kind kind);
void shoal_geom_clear(shoal_geom *g); /* keeps the buffers, resets counts, keeps kind */
void shoal_geom_free(shoal_geom *g);  /* frees buffers; g itself is the caller's */
/* Make room for npts vertices in total (not npts more); false when out of memory or over the
 * cap. Lets a reader that knows a shape's size allocate once. */
bool shoal_geom_reserve(shoal_geom *g, size_t npts);
/* Start a new part; returns false when out of memory or over the cap. shoal_geom_add with no
 * part begun opens the first one. */
bool shoal_geom_begin_part(shoal_geom *g);
bool shoal_geom_add(shoal_geom *g, double x, double y);
/* Drop the last part if it has fewer than min_pts vertices. */
void shoal_geom_end_part(shoal_geom *g, size_t min_pts);
static inline size_t shoal_geom_part_len(const shoal_geom *g, size_t i)
{
  return g->parts[i + 1] - g->parts[i];
}
/* Bounding box of all finite vertices (HUGE_VAL ones are skipped): b = {minx, miny, maxx,
 * maxy}; false when there are none. */
bool shoal_geom_bbox(const shoal_geom *g, double b[4]);
/* Twice the signed area of ring i (positive = counter-clockwise in a y-up system). */
double shoal_geom_ring_area2(const shoal_geom *g, size_t part);

/* Length of the polyline xy (n points). */
double shoal_path_length(const double *xy, size_t n);
/* Point at distance s along the polyline (clamped to its ends). */
void shoal_path_point(const double *xy, size_t n, double s, double *x, double *y);

#endif
