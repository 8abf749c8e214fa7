/* An independent measure of computed zones for the tests: the exact geodesic distance from a
 * point to a baseline, by brute force over every baseline segment (a geodesic between two
 * vertices), each segment's nearest point found by a golden-section search along it. Shares
 * nothing with src/zones/ but PROJ's geodesic routines (through geo/xform.h). */
#ifndef SHOAL_ZCHECK_H
#define SHOAL_ZCHECK_H

#include <math.h>
#include <stdlib.h>

#include "geo/geom.h"
#include "geo/xform.h"

#define ZC_B (6378137.0 * (1.0 - 1.0 / 298.257223563)) /* polar radius */

typedef struct zc_seg {
  double lon, lat, az, len; /* start, azimuth, geodesic length */
  double v[3];              /* geocentric unit vector of the start */
} zc_seg;

typedef struct zc_base {
  zc_seg *s;
  size_t n;
} zc_base;

static void zc_unit(double lon, double lat, double v[3])
{
  double e = (1.0 - 1.0 / 298.257223563) * (1.0 - 1.0 / 298.257223563), d = M_PI / 180.0;
  double psi = atan(e * tan(lat * d));
  v[0] = cos(psi) * cos(lon * d), v[1] = cos(psi) * sin(lon * d), v[2] = sin(psi);
}

/* Every segment of every part of g (rings or lines) appended to b. */
static void zc_add(zc_base *b, const shoal_geom *g)
{
  for (size_t p = 0; p < g->nparts; p++) {
    const double *xy = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    b->s = realloc(b->s, (b->n + m + 1) * sizeof *b->s);
    for (size_t i = 0; i < m; i++) {
      zc_seg *s = &b->s[b->n++];
      s->lon = xy[2 * i], s->lat = xy[2 * i + 1];
      s->len = 0.0, s->az = 0.0;
      if (i + 1 < m)
        s->len = shoal_geod_inverse(s->lon, s->lat, xy[2 * i + 2], xy[2 * i + 3], &s->az, NULL);
      zc_unit(s->lon, s->lat, s->v);
    }
  }
}

/* Whether (lon,lat) is within tol metres of base b: segments whose start is too far in
 * latitude, or on the polar-radius sphere, to come within tol are skipped before the exact
 * distance is measured. */
static inline int zc_within(const zc_base *b, double lon, double lat, double tol);

static inline int zc_coast_at(const zc_base *others, size_t nothers, double lon, double lat,
                              double tol)
{
  for (size_t o = 0; o < nothers; o++)
    if (zc_within(&others[o], lon, lat, tol))
      return 0;
  return 1;
}

static inline void zc_piece(zc_base *b, shoal_geom *piece, double lo0, double la0, double lo1,
                            double la1)
{
  shoal_geom_clear(piece);
  shoal_geom_add(piece, lo0, la0);
  shoal_geom_add(piece, lo1, la1);
  zc_add(b, piece);
}

/* The coast of a state's land g as baseline: every ring edge sampled every step metres (and
 * at its ends); the pieces farther than tol from every base in others (the neighbours' rings)
 * are added to b, their ends where the distance is tol found by bisection to a metre. A land
 * border is no baseline. */
static inline void zc_add_coast(zc_base *b, const shoal_geom *g, const zc_base *others,
                                size_t nothers, double tol, double step)
{
  shoal_geom piece;
  shoal_geom_init(&piece, SHOAL_GEOM_LINE);
  for (size_t p = 0; p < g->nparts; p++) {
    const double *xy = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    for (size_t i = 0; i + 1 < m; i++) {
      double az, len = shoal_geod_inverse(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3],
                                          &az, NULL);
      int k = (int)ceil(len / step);
      k = k < 1 ? 1 : k;
      double plo = 0, pla = 0;
      int pcoast = 0;
      for (int j = 0; j <= k; j++) {
        double lo = xy[2 * i], la = xy[2 * i + 1];
        if (j == k)
          lo = xy[2 * i + 2], la = xy[2 * i + 3];
        else if (j)
          shoal_geod_direct(xy[2 * i], xy[2 * i + 1], az, len * j / k, &lo, &la);
        int coast = zc_coast_at(others, nothers, lo, la, tol);
        if (j && coast != pcoast) { /* the coast ends between the samples: where, to a metre */
          double a0 = len * (j - 1) / k, a1 = len * j / k, tlo, tla;
          while (a1 - a0 > 1.0) {
            double mid = (a0 + a1) / 2;
            shoal_geod_direct(xy[2 * i], xy[2 * i + 1], az, mid, &tlo, &tla);
            if (zc_coast_at(others, nothers, tlo, tla, tol) == pcoast)
              a0 = mid;
            else
              a1 = mid;
          }
          shoal_geod_direct(xy[2 * i], xy[2 * i + 1], az, pcoast ? a0 : a1, &tlo, &tla);
          if (pcoast)
            zc_piece(b, &piece, plo, pla, tlo, tla);
          else
            plo = tlo, pla = tla, pcoast = 1;
        }
        if (coast && pcoast && j)
          zc_piece(b, &piece, plo, pla, lo, la);
        plo = lo, pla = la, pcoast = coast;
      }
    }
  }
  shoal_geom_free(&piece);
}

/* Exact distance from (lon,lat) to one segment: golden section over the position along it
 * (the distance along a short geodesic is unimodal). */
static double zc_seg_dist(const zc_seg *s, double lon, double lat)
{
  double best = shoal_geod_inverse(lon, lat, s->lon, s->lat, NULL, NULL);
  if (s->len <= 0.0)
    return best;
  const double g = (sqrt(5.0) - 1.0) / 2.0;
  double a = 0.0, b = s->len, x1 = b - g * (b - a), x2 = a + g * (b - a), f1, f2, lo, la;
  shoal_geod_direct(s->lon, s->lat, s->az, x1, &lo, &la);
  f1 = shoal_geod_inverse(lon, lat, lo, la, NULL, NULL);
  shoal_geod_direct(s->lon, s->lat, s->az, x2, &lo, &la);
  f2 = shoal_geod_inverse(lon, lat, lo, la, NULL, NULL);
  for (int it = 0; it < 60 && b - a > 0.01; it++) {
    if (f1 < f2) {
      b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a);
      shoal_geod_direct(s->lon, s->lat, s->az, x1, &lo, &la);
      f1 = shoal_geod_inverse(lon, lat, lo, la, NULL, NULL);
    } else {
      a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a);
      shoal_geod_direct(s->lon, s->lat, s->az, x2, &lo, &la);
      f2 = shoal_geod_inverse(lon, lat, lo, la, NULL, NULL);
    }
  }
  best = fmin(best, fmin(f1, f2));
  shoal_geod_direct(s->lon, s->lat, s->az, s->len, &lo, &la);
  return fmin(best, shoal_geod_inverse(lon, lat, lo, la, NULL, NULL));
}

/* Distance to the whole baseline. Segments are skipped only when a lower bound (the angle
 * on the sphere of the polar radius to the segment's start, less its length) already
 * exceeds the best distance found. */
static double zc_dist(const zc_base *b, double lon, double lat)
{
  double v[3], best = HUGE_VAL;
  zc_unit(lon, lat, v);
  for (size_t i = 0; i < b->n; i++) {
    const zc_seg *s = &b->s[i];
    double dot = v[0] * s->v[0] + v[1] * s->v[1] + v[2] * s->v[2];
    double lb = ZC_B * acos(fmax(-1.0, fmin(1.0, dot))) - s->len - 1.0;
    if (lb < best)
      best = fmin(best, zc_seg_dist(s, lon, lat));
  }
  return best;
}

static inline int zc_within(const zc_base *b, double lon, double lat, double tol)
{
  double v[3];
  zc_unit(lon, lat, v);
  for (size_t i = 0; i < b->n; i++) {
    const zc_seg *s = &b->s[i];
    double reach = s->len + tol + 1.0;
    if (fabs(s->lat - lat) * 110000.0 > reach)
      continue;
    double dot = v[0] * s->v[0] + v[1] * s->v[1] + v[2] * s->v[2];
    if (ZC_B * acos(fmax(-1.0, fmin(1.0, dot))) > reach)
      continue;
    if (zc_seg_dist(s, lon, lat) < tol)
      return 1;
  }
  return 0;
}

/* Points every step along the parts of g (lon/lat linear between vertices, as drawn), at
 * least min_n in all: calls fn for each. Returns the count. */
static size_t zc_sample(const shoal_geom *g, size_t min_n, void (*fn)(void *, double, double),
                        void *ctx)
{
  double total = 0.0;
  for (size_t p = 0; p < g->nparts; p++)
    total += shoal_path_length(g->xy + 2 * g->parts[p], shoal_geom_part_len(g, p));
  if (total <= 0.0)
    return 0;
  double step = total / (double)min_n;
  size_t n = 0;
  for (size_t p = 0; p < g->nparts; p++) {
    const double *xy = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    double len = shoal_path_length(xy, m);
    for (double s = step / 2.0; s < len; s += step, n++) {
      double x, y;
      shoal_path_point(xy, m, s, &x, &y);
      fn(ctx, x, y);
    }
  }
  return n;
}

static int zc_cmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Max and 99th percentile of n errors (sorted in place). */
static void zc_stats(double *e, size_t n, double *max, double *p99)
{
  qsort(e, n, sizeof *e, zc_cmp);
  *max = n ? e[n - 1] : 0.0;
  *p99 = n ? e[(size_t)((double)(n - 1) * 0.99)] : 0.0;
}

#endif
