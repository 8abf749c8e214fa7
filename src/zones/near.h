/* Nearest baseline point of a state, geodesically: the state's baselines densified into
 * points (so that a point's distance to the nearest one overestimates the distance to the
 * baseline segments by a few metres at most) and a k-d tree over them. Internal to zones/. */
#ifndef SHOAL_ZONES_NEAR_H
#define SHOAL_ZONES_NEAR_H

#include <stdbool.h>
#include <stddef.h>

#include "geo/geom.h"

/* A k-d tree over points of dim 2 or 3 (coordinates copied, reordered in the tree). */
typedef struct shoal_kd {
  int dim;
  size_t n;
  double *p;    /* dim doubles per point, tree order */
  size_t *orig; /* input index of each tree point */
} shoal_kd;

/* Build over n points of dim coordinates (xyz, dim per point). False when out of memory. */
bool shoal_kd_build(shoal_kd *t, const double *xyz, size_t n, int dim);
void shoal_kd_free(shoal_kd *t);
/* Tree index of the point nearest q (Euclidean) and its squared distance; SIZE_MAX if empty. */
size_t shoal_kd_nearest(const shoal_kd *t, const double *q, double *d2);
/* Call fn for every tree point within squared distance r2 of q. */
void shoal_kd_within(const shoal_kd *t, const double *q, double r2,
                     void (*fn)(void *ctx, size_t tree_index), void *ctx);

/* The baselines of one state as points. */
typedef struct shoal_znear {
  double *ll;  /* lon,lat per point, tree order */
  shoal_kd kd; /* over geocentric unit vectors */
  double spacing;
} shoal_znear;

/* Densify every part of g (rings or lines, lon/lat) along geodesics to points at most
 * spacing metres apart, appended to pts (lon,lat pairs; *n points, *cap capacity). */
bool shoal_znear_densify(const shoal_geom *g, double spacing, double **pts, size_t *n, size_t *cap);
/* Build from n lon,lat points (copied). */
bool shoal_znear_build(shoal_znear *z, const double *ll, size_t n, double spacing);
void shoal_znear_free(shoal_znear *z);
/* Geodesic distance in metres from (lon,lat) to the nearest point, which goes to *qlon,*qlat
 * (may be NULL). HUGE_VAL when there are no points. */
double shoal_znear_dist(const shoal_znear *z, double lon, double lat, double *qlon, double *qlat);
/* Unit vector of (lon,lat) through its geocentric latitude (so a great-circle angle times
 * the polar radius never exceeds the geodesic distance). */
void shoal_znear_unit(double lon, double lat, double v[3]);

#endif
