/* Refining approximate limits and median lines onto their geodesic definitions (refine.h):
 * every vertex is moved until its distance is exact, then edges are split until their
 * midpoints are too, so the lines between vertices stay within the tolerance. */
#include "zones/refine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/xform.h"

#define MAX_DEPTH 14 /* an edge is halved at most this often */
#define MAX_ITER 12
#define MOVE_EPS 0.05 /* metres: a vertex this close is done */

int shoal_aeqd_fwd(double *x, double *y, void *ctx)
{
  const shoal_aeqd *p = ctx;
  double az, s = shoal_geod_inverse(p->lon0, p->lat0, *x, *y, &az, NULL);
  *x = s * sin(az * M_PI / 180.0);
  *y = s * cos(az * M_PI / 180.0);
  return 1;
}

int shoal_aeqd_inv(double *x, double *y, void *ctx)
{
  const shoal_aeqd *p = ctx;
  double s = hypot(*x, *y), az = atan2(*x, *y) * 180.0 / M_PI, lo, la;
  shoal_geod_direct(p->lon0, p->lat0, az, s, &lo, &la);
  *x = lo;
  *y = la;
  return 1;
}

typedef struct rctx {
  const shoal_znear *a, *b; /* b NULL for a limit */
  double d, tol, seg;       /* seg: longest edge before refinement, metres */
  long work;
  shoal_geom *out;
} rctx;

/* A limit vertex onto distance d: along the geodesic from its nearest baseline point. */
static void limit_point(rctx *r, double *lon, double *lat)
{
  for (int it = 0; it < MAX_ITER; it++) {
    double qlon, qlat, az;
    double s = shoal_znear_dist(r->a, *lon, *lat, &qlon, &qlat);
    r->work++;
    if (fabs(s - r->d) < MOVE_EPS || s <= 0.0)
      return;
    shoal_geod_inverse(qlon, qlat, *lon, *lat, &az, NULL);
    shoal_geod_direct(qlon, qlat, az, r->d, lon, lat);
  }
}

static double median_f(rctx *r, double lon, double lat)
{
  r->work++;
  return shoal_znear_dist(r->a, lon, lat, NULL, NULL) -
         shoal_znear_dist(r->b, lon, lat, NULL, NULL);
}

/* A median vertex along azimuth az (across the line) until equidistant: the nearest sign
 * change of dA - dB on either side (steps doubling from 100 m to 50 km), then bisection. */
static void median_point(rctx *r, double *lon, double *lat, double az)
{
  double lon0 = *lon, lat0 = *lat, f0 = median_f(r, lon0, lat0);
  if (fabs(f0) < MOVE_EPS)
    return;
  double lo = 0.0, hi = 0.0, prev[2] = {0.0, 0.0};
  bool found = false;
  for (double step = 100.0; step <= 51200.0 && !found; step *= 2.0)
    for (int side = 0; side < 2 && !found; side++) {
      double t = side ? -step : step, x, y;
      shoal_geod_direct(lon0, lat0, az, t, &x, &y);
      double f = median_f(r, x, y);
      if ((f < 0) != (f0 < 0)) {
        lo = prev[side], hi = t, found = true;
      }
      prev[side] = t;
    }
  if (!found)
    return;
  for (int it = 0; it < 40 && fabs(hi - lo) > 0.01; it++) {
    double m = (lo + hi) / 2.0, x, y, fl;
    shoal_geod_direct(lon0, lat0, az, m, &x, &y);
    double fm = median_f(r, x, y);
    shoal_geod_direct(lon0, lat0, az, lo, lon, lat);
    fl = lo == 0.0 ? f0 : median_f(r, *lon, *lat);
    if ((fm < 0) == (fl < 0))
      lo = m;
    else
      hi = m;
  }
  shoal_geod_direct(lon0, lat0, az, (lo + hi) / 2.0, lon, lat);
}

/* Error of point (lon,lat): distance minus d, or the difference of the two distances. */
static double err_at(rctx *r, double lon, double lat)
{
  if (!r->b) {
    r->work++;
    return shoal_znear_dist(r->a, lon, lat, NULL, NULL) - r->d;
  }
  return median_f(r, lon, lat);
}

static void fix_point(rctx *r, double *lon, double *lat, const double *p, const double *q)
{
  if (!r->b) {
    limit_point(r, lon, lat);
    return;
  }
  double az;
  shoal_geod_inverse(p[0], p[1], q[0], q[1], &az, NULL);
  median_point(r, lon, lat, az + 90.0);
}

/* Emit the edge p..q (p already emitted): split at its midpoint while it is off. */
static bool edge(rctx *r, const double *p, const double *q, int depth)
{
  if (depth < MAX_DEPTH) {
    double m[2] = {(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0};
    if (fabs(err_at(r, m[0], m[1])) > r->tol) {
      fix_point(r, &m[0], &m[1], p, q);
      /* Past half the depth, split a median line only at a point that could be fixed: where
       * it has no equidistant point across it, halving would only multiply vertices. */
      if (!r->b || depth < MAX_DEPTH / 2 || fabs(err_at(r, m[0], m[1])) <= r->tol)
        return edge(r, p, m, depth + 1) && edge(r, m, q, depth + 1);
    }
  }
  return shoal_geom_add(r->out, q[0], q[1]);
}

/* Refine one part: its vertices (with the neighbours' direction for median lines), then its
 * edges. */
static bool refine_part(rctx *r, const double *xy, size_t n, bool ring)
{
  shoal_geom pre; /* the part with long edges split first, so no bump hides between vertices */
  shoal_geom_init(&pre, SHOAL_GEOM_LINE);
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    ok = shoal_geom_add(&pre, xy[2 * i], xy[2 * i + 1]);
    if (i + 1 < n) {
      double c = cos(xy[2 * i + 1] * M_PI / 180.0);
      double len = hypot((xy[2 * i + 2] - xy[2 * i]) * c, xy[2 * i + 3] - xy[2 * i + 1]) * 111320.0;
      int k = (int)ceil(len / r->seg);
      for (int j = 1; ok && j < k && k < 100000; j++)
        ok = shoal_geom_add(&pre, xy[2 * i] + (xy[2 * i + 2] - xy[2 * i]) * j / k,
                            xy[2 * i + 1] + (xy[2 * i + 3] - xy[2 * i + 1]) * j / k);
    }
  }
  size_t m = pre.npts;
  double *v = pre.xy;
  for (size_t i = 0; ok && i < m; i++) {
    if (ring && i == m - 1) {
      v[2 * i] = v[0];
      v[2 * i + 1] = v[1];
      break;
    }
    size_t ip = i > 0 ? i - 1 : (ring ? m - 2 : 0), in = i + 1 < m ? i + 1 : i;
    double p[2] = {v[2 * ip], v[2 * ip + 1]}, q[2] = {v[2 * in], v[2 * in + 1]};
    fix_point(r, &v[2 * i], &v[2 * i + 1], p, q);
  }
  ok = ok && shoal_geom_begin_part(r->out) && shoal_geom_add(r->out, v[0], v[1]);
  for (size_t i = 0; ok && i + 1 < m; i++)
    ok = edge(r, v + 2 * i, v + 2 * i + 2, 0);
  shoal_geom_free(&pre);
  return ok;
}

static long refine_all(rctx *r, shoal_geom *g, bool ring)
{
  shoal_geom out;
  shoal_geom_init(&out, g->kind);
  r->out = &out;
  bool ok = true;
  for (size_t p = 0; ok && p < g->nparts; p++) {
    size_t n = shoal_geom_part_len(g, p);
    if (n >= 2)
      ok = refine_part(r, g->xy + 2 * g->parts[p], n, ring);
  }
  if (!ok) {
    shoal_geom_free(&out);
    return -1;
  }
  shoal_geom_free(g);
  *g = out;
  return r->work;
}

long shoal_zrefine_limit(const shoal_znear *z, double d, double tol, shoal_geom *g)
{
  rctx r = {.a = z, .d = d, .tol = tol, .seg = fmin(d / 8.0, 10000.0)};
  return refine_all(&r, g, true);
}

long shoal_zrefine_median(const shoal_znear *a, const shoal_znear *b, double tol, shoal_geom *g)
{
  rctx r = {.a = a, .b = b, .tol = tol, .seg = 5000.0};
  return refine_all(&r, g, false);
}
