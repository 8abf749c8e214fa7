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
  shoal_zwhere_fn where; /* which vertices to refine (NULL: all) */
  void *where_ctx;
  shoal_geom *kept; /* the refined stretches of a median line, or NULL */
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

static double median_at(rctx *r, double lon0, double lat0, double az, double t)
{
  double x, y;
  shoal_geod_direct(lon0, lat0, az, t, &x, &y);
  return median_f(r, x, y);
}

/* A bracket [*lo, *hi] of a sign change of dA - dB along azimuth az from the vertex (f0 at 0):
 * first where a secant through a short step points (the difference changes at most twice
 * as fast as the distance walked), else the nearest change on either side (steps doubling
 * from 100 m to 50 km). */
static bool median_bracket(rctx *r, double lon0, double lat0, double az, double f0, double *lo,
                           double *hi, double *flo, double *fhi)
{
  double h = fmax(fabs(f0) / 2.0, 1.0), fh = median_at(r, lon0, lat0, az, h);
  if ((fh < 0) != (f0 < 0)) {
    *lo = 0.0, *hi = h, *flo = f0, *fhi = fh;
    return true;
  }
  double slope = (fh - f0) / h;
  if (fabs(slope) > 0.05) {
    double t = -f0 / slope * 1.1, ft = fabs(t) < 60000.0 ? median_at(r, lon0, lat0, az, t) : f0;
    if ((ft < 0) != (f0 < 0)) {
      *lo = 0.0, *hi = t, *flo = f0, *fhi = ft;
      return true;
    }
  }
  double prev[2] = {0.0, 0.0}, fprev[2] = {f0, f0};
  for (double step = 100.0; step <= 51200.0; step *= 2.0)
    for (int side = 0; side < 2; side++) {
      double t = side ? -step : step, f = median_at(r, lon0, lat0, az, t);
      if ((f < 0) != (f0 < 0)) {
        *lo = prev[side], *hi = t, *flo = fprev[side], *fhi = f;
        return true;
      }
      prev[side] = t, fprev[side] = f;
    }
  return false;
}

/* A median vertex along azimuth az (across the line) until equidistant: a bracket of the sign
 * change of dA - dB, then regula falsi (Illinois) to a centimetre. */
static void median_point(rctx *r, double *lon, double *lat, double az)
{
  double lon0 = *lon, lat0 = *lat, f0 = median_f(r, lon0, lat0);
  if (fabs(f0) < MOVE_EPS)
    return;
  double lo, hi, flo, fhi;
  if (!median_bracket(r, lon0, lat0, az, f0, &lo, &hi, &flo, &fhi))
    return;
  double t = lo;
  int last = 0;
  for (int it = 0; it < 60 && fabs(hi - lo) > 0.01; it++) {
    t = hi - fhi * (hi - lo) / (fhi - flo);
    if (!(t > fmin(lo, hi) && t < fmax(lo, hi)))
      t = (lo + hi) / 2.0;
    double ft = median_at(r, lon0, lat0, az, t);
    if (fabs(ft) < MOVE_EPS / 5.0)
      break;
    if ((ft < 0) == (fhi < 0)) {
      hi = t, fhi = ft;
      if (last == 1)
        flo /= 2.0;
      last = 1;
    } else {
      lo = t, flo = ft;
      if (last == -1)
        fhi /= 2.0;
      last = -1;
    }
  }
  shoal_geod_direct(lon0, lat0, az, t, lon, lat);
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
  /* An edge shorter than twice the tolerance needs no split: distance changes no faster than
   * the point moves, so its midpoint is within the tolerance of its ends. (Without this, the
   * corner where two arcs meet is split to the full depth, thousands of vertices each.) */
  double c = cos(p[1] * M_PI / 180.0);
  double len = hypot((q[0] - p[0]) * c, q[1] - p[1]) * 111320.0;
  if (depth < MAX_DEPTH && len > 2.0 * r->tol) {
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

/* The part with long edges split first, so no bump hides between vertices. */
static bool presplit(const rctx *r, const double *xy, size_t n, shoal_geom *pre)
{
  bool ok = true;
  for (size_t i = 0; ok && i < n; i++) {
    ok = shoal_geom_add(pre, xy[2 * i], xy[2 * i + 1]);
    if (i + 1 < n) {
      double c = cos(xy[2 * i + 1] * M_PI / 180.0);
      double len = hypot((xy[2 * i + 2] - xy[2 * i]) * c, xy[2 * i + 3] - xy[2 * i + 1]) * 111320.0;
      int k = (int)ceil(len / r->seg);
      for (int j = 1; ok && j < k && k < 100000; j++)
        ok = shoal_geom_add(pre, xy[2 * i] + (xy[2 * i + 2] - xy[2 * i]) * j / k,
                            xy[2 * i + 1] + (xy[2 * i + 3] - xy[2 * i + 1]) * j / k);
    }
  }
  return ok;
}

/* need[i]: vertex i is refined. Without a where test, all are; with one, the vertices where
 * it holds and their neighbours within NEAR_VERTS, so the line stays exact up to and a little
 * past the edge of the area that matters. */
#define NEAR_VERTS 2
static unsigned char *need_flags(rctx *r, const double *v, size_t m)
{
  unsigned char *f = calloc(m ? m : 1, 1), *need = calloc(m ? m : 1, 1);
  if (!f || !need) {
    free(f);
    free(need);
    return NULL;
  }
  for (size_t i = 0; i < m; i++)
    f[i] = !r->where || r->where(r->where_ctx, v[2 * i], v[2 * i + 1]);
  for (size_t i = 0; i < m; i++)
    for (size_t k = i > NEAR_VERTS ? i - NEAR_VERTS : 0; f[i] && k < m && k <= i + NEAR_VERTS; k++)
      need[k] = 1;
  free(f);
  return need;
}

/* Copy out's points from index from on into a part of r->kept (a new part unless cont). */
static bool keep_run(rctx *r, size_t from, bool cont)
{
  if (!r->kept)
    return true;
  bool ok = cont || shoal_geom_begin_part(r->kept);
  for (size_t k = from + (cont ? 1 : 0); ok && k < r->out->npts; k++)
    ok = shoal_geom_add(r->kept, r->out->xy[2 * k], r->out->xy[2 * k + 1]);
  return ok;
}

/* Twice the signed area of triangle a b c. */
static double orient(const double *a, const double *b, const double *c)
{
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/* Whether segments ab and cd cross at one interior point (into x). */
static bool crosses(const double *a, const double *b, const double *c, const double *d, double *x)
{
  double d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
  if (!((d1 < 0 && d2 > 0) || (d1 > 0 && d2 < 0)) || !((d3 < 0 && d4 > 0) || (d3 > 0 && d4 < 0)))
    return false;
  double t = d1 / (d1 - d2);
  x[0] = a[0] + t * (b[0] - a[0]);
  x[1] = a[1] + t * (b[1] - a[1]);
  return true;
}

#define LOOP_SPAN 256 /* vertices: how far back a new edge is checked for a crossing */

/* Twice the signed area of the loop x, v[from..to). */
static double loop_area2(const double *v, size_t from, size_t to, const double *x)
{
  double s = 0.0;
  const double *prev = x;
  for (size_t k = from; k < to; k++) {
    s += prev[0] * v[2 * k + 1] - v[2 * k] * prev[1];
    prev = v + 2 * k;
  }
  return s + prev[0] * x[1] - x[0] * prev[1];
}

/* Cut the small loops a refined ring makes where two arcs meet at a cusp (the vertices refined
 * from either side overshoot the meeting point, and the ring turns back through itself: the
 * loop runs the other way round than the ring). Each such loop is replaced by the crossing
 * point, in place; loops that run the ring's way are kept. Returns the new vertex count.
 * Far cheaper than having GEOS repair the ring. */
static size_t unloop(double *v, size_t n, double ring_area2)
{
  if (n < 4)
    return n;
  size_t w = 1;
  for (size_t k = 1; k < n; k++) {
    double p[2] = {v[2 * k], v[2 * k + 1]};
    bool again = true;
    while (again) {
      again = false;
      for (size_t m = w >= 3 ? w - 3 : 0; w >= 3 && m + LOOP_SPAN + 3 >= w; m--) {
        double x[2];
        if (crosses(v + 2 * m, v + 2 * m + 2, v + 2 * (w - 1), p, x)) {
          double la = loop_area2(v, m + 1, w, x);
          if ((la < 0) != (ring_area2 < 0)) {
            w = m + 1;
            v[2 * w] = x[0], v[2 * w + 1] = x[1];
            w++;
            again = true;
          }
          break;
        }
        if (m == 0)
          break;
      }
    }
    v[2 * w] = p[0], v[2 * w + 1] = p[1];
    w++;
  }
  return w;
}

/* Drop the vertices where a refined ring turns straight back on itself (spikes, and the
 * zigzags vertices make where they land alternately on two arcs), in place; returns the new
 * vertex count. */
static size_t despike(double *v, size_t n)
{
  size_t w = 0;
  for (size_t k = 0; k < n; k++) {
    v[2 * w] = v[2 * k], v[2 * w + 1] = v[2 * k + 1];
    w++;
    while (w >= 3) {
      const double *a = v + 2 * (w - 3), *b = v + 2 * (w - 2), *c = v + 2 * (w - 1);
      double ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - b[0], vy = c[1] - b[1];
      if (ux * vx + uy * vy >= -0.98 * hypot(ux, uy) * hypot(vx, vy))
        break;
      v[2 * (w - 2)] = c[0], v[2 * (w - 2) + 1] = c[1];
      w--;
    }
  }
  return w;
}

/* unloop the last part of g (a ring). */
static void unloop_last(shoal_geom *g)
{
  size_t p = g->nparts - 1, n = shoal_geom_part_len(g, p);
  double a2 = shoal_geom_ring_area2(g, p);
  size_t m = unloop(g->xy + 2 * g->parts[p], despike(g->xy + 2 * g->parts[p], n), a2);
  g->npts -= n - m;
  g->parts[g->nparts] = g->npts;
}

/* Refine one part: its vertices (with the neighbours' direction for median lines), then its
 * edges. */
static bool refine_part(rctx *r, const double *xy, size_t n, bool ring)
{
  shoal_geom pre;
  shoal_geom_init(&pre, SHOAL_GEOM_LINE);
  bool ok = presplit(r, xy, n, &pre);
  size_t m = pre.npts;
  double *v = pre.xy;
  unsigned char *need = ok ? need_flags(r, v, m) : NULL;
  ok = need != NULL;
  for (size_t i = 0; ok && i < m; i++) {
    if (ring && i == m - 1) {
      v[2 * i] = v[0];
      v[2 * i + 1] = v[1];
      break;
    }
    size_t ip = i > 0 ? i - 1 : (ring ? m - 2 : 0), in = i + 1 < m ? i + 1 : i;
    double p[2] = {v[2 * ip], v[2 * ip + 1]}, q[2] = {v[2 * in], v[2 * in + 1]};
    if (need[i])
      fix_point(r, &v[2 * i], &v[2 * i + 1], p, q);
  }
  ok = ok && shoal_geom_begin_part(r->out) && shoal_geom_add(r->out, v[0], v[1]);
  bool run = false;
  for (size_t i = 0; ok && i + 1 < m; i++) {
    size_t from = r->out->npts - 1;
    bool exact = need[i] && need[i + 1];
    ok = exact ? edge(r, v + 2 * i, v + 2 * i + 2, 0)
               : shoal_geom_add(r->out, v[2 * i + 2], v[2 * i + 3]);
    if (ok && exact)
      ok = keep_run(r, from, run);
    run = exact;
  }
  if (ok && ring)
    unloop_last(r->out);
  free(need);
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

long shoal_zrefine_median(const shoal_znear *a, const shoal_znear *b, double tol,
                          shoal_zwhere_fn where, void *where_ctx, shoal_geom *g, shoal_geom *kept)
{
  rctx r = {.a = a,
            .b = b,
            .tol = tol,
            .seg = 5000.0,
            .where = where,
            .where_ctx = where_ctx,
            .kept = kept};
  if (kept)
    shoal_geom_clear(kept);
  return refine_all(&r, g, false);
}
