/* Nearest baseline point: a k-d tree over geocentric unit vectors, candidates by a sphere
 * bound, the exact geodesic distance to each candidate (near.h). */
#include "zones/near.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "geo/xform.h"

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define WGS84_B (WGS84_A * (1.0 - WGS84_F))
#define DEG (M_PI / 180.0)

void shoal_znear_unit(double lon, double lat, double v[3])
{
  double e = (1.0 - WGS84_F) * (1.0 - WGS84_F);
  double psi = fabs(lat) >= 90.0 ? lat * DEG : atan(e * tan(lat * DEG));
  v[0] = cos(psi) * cos(lon * DEG);
  v[1] = cos(psi) * sin(lon * DEG);
  v[2] = sin(psi);
}

/* Put the median (by axis ax) of idx[lo..hi) at mid: quickselect with a three-way partition,
 * so runs of equal coordinates (a coast along a meridian) stay linear. */
static void select_mid(const double *xyz, int dim, size_t *idx, size_t lo, size_t hi, size_t mid,
                       int ax)
{
#define KEY(k) xyz[idx[k] * (size_t)dim + (size_t)ax]
#define SWAP(a, b)                                                                                 \
  do {                                                                                             \
    size_t t_ = idx[a];                                                                            \
    idx[a] = idx[b];                                                                               \
    idx[b] = t_;                                                                                   \
  } while (0)
  while (hi - lo > 1) {
    double v = KEY(lo + (hi - lo) / 2);
    size_t lt = lo, i = lo, gt = hi;
    while (i < gt) {
      double k = KEY(i);
      if (k < v) {
        SWAP(lt, i);
        lt++, i++;
      } else if (k > v) {
        gt--;
        SWAP(i, gt);
      } else {
        i++;
      }
    }
    if (mid < lt)
      hi = lt;
    else if (mid >= gt)
      lo = gt;
    else
      return;
  }
#undef KEY
#undef SWAP
}

static void build_rec(const double *xyz, int dim, size_t *idx, size_t lo, size_t hi, int depth)
{
  if (hi - lo < 2)
    return;
  size_t mid = lo + (hi - lo) / 2;
  select_mid(xyz, dim, idx, lo, hi, mid, depth % dim);
  build_rec(xyz, dim, idx, lo, mid, depth + 1);
  build_rec(xyz, dim, idx, mid + 1, hi, depth + 1);
}

bool shoal_kd_build(shoal_kd *t, const double *xyz, size_t n, int dim)
{
  memset(t, 0, sizeof *t);
  t->dim = dim;
  if (n == 0)
    return true;
  t->orig = malloc(n * sizeof *t->orig);
  t->p = malloc(n * (size_t)dim * sizeof *t->p);
  if (!t->orig || !t->p) {
    shoal_kd_free(t);
    return false;
  }
  for (size_t i = 0; i < n; i++)
    t->orig[i] = i;
  build_rec(xyz, dim, t->orig, 0, n, 0);
  for (size_t i = 0; i < n; i++)
    memcpy(t->p + i * (size_t)dim, xyz + t->orig[i] * (size_t)dim, (size_t)dim * sizeof *t->p);
  t->n = n;
  return true;
}

void shoal_kd_free(shoal_kd *t)
{
  free(t->p);
  free(t->orig);
  memset(t, 0, sizeof *t);
}

static double dist2(const double *a, const double *b, int dim)
{
  double s = 0.0;
  for (int k = 0; k < dim; k++)
    s += (a[k] - b[k]) * (a[k] - b[k]);
  return s;
}

static void nearest_rec(const shoal_kd *t, const double *q, size_t lo, size_t hi, int depth,
                        size_t *best, double *bd2)
{
  if (lo >= hi)
    return;
  size_t mid = lo + (hi - lo) / 2;
  const double *p = t->p + mid * (size_t)t->dim;
  double d2 = dist2(p, q, t->dim);
  if (d2 < *bd2) {
    *bd2 = d2;
    *best = mid;
  }
  int ax = depth % t->dim;
  double diff = q[ax] - p[ax];
  size_t nlo = diff < 0 ? lo : mid + 1, nhi = diff < 0 ? mid : hi;
  size_t flo = diff < 0 ? mid + 1 : lo, fhi = diff < 0 ? hi : mid;
  nearest_rec(t, q, nlo, nhi, depth + 1, best, bd2);
  if (diff * diff < *bd2)
    nearest_rec(t, q, flo, fhi, depth + 1, best, bd2);
}

size_t shoal_kd_nearest(const shoal_kd *t, const double *q, double *d2)
{
  size_t best = SIZE_MAX;
  double bd2 = HUGE_VAL;
  nearest_rec(t, q, 0, t->n, 0, &best, &bd2);
  if (d2)
    *d2 = bd2;
  return best;
}

static void within_rec(const shoal_kd *t, const double *q, double r2, size_t lo, size_t hi,
                       int depth, void (*fn)(void *, size_t), void *ctx)
{
  if (lo >= hi)
    return;
  size_t mid = lo + (hi - lo) / 2;
  const double *p = t->p + mid * (size_t)t->dim;
  if (dist2(p, q, t->dim) <= r2)
    fn(ctx, mid);
  int ax = depth % t->dim;
  double diff = q[ax] - p[ax];
  if (diff < 0 || diff * diff <= r2)
    within_rec(t, q, r2, lo, mid, depth + 1, fn, ctx);
  if (diff >= 0 || diff * diff <= r2)
    within_rec(t, q, r2, mid + 1, hi, depth + 1, fn, ctx);
}

void shoal_kd_within(const shoal_kd *t, const double *q, double r2,
                     void (*fn)(void *ctx, size_t tree_index), void *ctx)
{
  within_rec(t, q, r2, 0, t->n, 0, fn, ctx);
}

static bool push(double **pts, size_t *n, size_t *cap, double lon, double lat)
{
  if (!SHOAL_GROW(pts, cap, 2 * (*n + 1), 1024, (size_t)1 << 31))
    return false;
  (*pts)[2 * *n] = lon;
  (*pts)[2 * *n + 1] = lat;
  (*n)++;
  return true;
}

bool shoal_znear_densify(const shoal_geom *g, double spacing, double **pts, size_t *n, size_t *cap)
{
  for (size_t p = 0; p < g->nparts; p++) {
    const double *xy = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    for (size_t i = 0; i < m; i++) {
      if (!push(pts, n, cap, xy[2 * i], xy[2 * i + 1]))
        return false;
      if (i + 1 == m)
        break;
      double az,
          s = shoal_geod_inverse(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], &az, NULL);
      int k = (int)ceil(s / spacing);
      for (int j = 1; j < k; j++) {
        double lo, la;
        shoal_geod_direct(xy[2 * i], xy[2 * i + 1], az, s * j / k, &lo, &la);
        if (!push(pts, n, cap, lo, la))
          return false;
      }
    }
  }
  return true;
}

bool shoal_znear_build(shoal_znear *z, const double *ll, size_t n, double spacing)
{
  memset(z, 0, sizeof *z);
  z->spacing = spacing;
  double *v = calloc((n ? n : 1) * 3, sizeof *v);
  if (!v)
    return false;
  for (size_t i = 0; i < n; i++)
    shoal_znear_unit(ll[2 * i], ll[2 * i + 1], v + 3 * i);
  bool ok = shoal_kd_build(&z->kd, v, n, 3);
  free(v);
  z->ll = ok ? malloc((n ? n : 1) * 2 * sizeof *z->ll) : NULL;
  if (!z->ll) {
    shoal_znear_free(z);
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    z->ll[2 * i] = ll[2 * z->kd.orig[i]];
    z->ll[2 * i + 1] = ll[2 * z->kd.orig[i] + 1];
  }
  return true;
}

void shoal_znear_free(shoal_znear *z)
{
  shoal_kd_free(&z->kd);
  free(z->ll);
  memset(z, 0, sizeof *z);
}

typedef struct cand {
  const shoal_znear *z;
  double lon, lat, best;
  size_t bi;
} cand;

static void try_cand(void *ctx, size_t i)
{
  cand *c = ctx;
  double s = shoal_geod_inverse(c->lon, c->lat, c->z->ll[2 * i], c->z->ll[2 * i + 1], NULL, NULL);
  if (s < c->best) {
    c->best = s;
    c->bi = i;
  }
}

double shoal_znear_dist(const shoal_znear *z, double lon, double lat, double *qlon, double *qlat)
{
  double v[3], d2;
  shoal_znear_unit(lon, lat, v);
  size_t i0 = shoal_kd_nearest(&z->kd, v, &d2);
  if (i0 == SIZE_MAX)
    return HUGE_VAL;
  cand c = {z, lon, lat, HUGE_VAL, i0};
  try_cand(&c, i0);
  /* Every point geodesically nearer than the best so far lies within this angle on the
   * sphere of the polar radius (the sphere bound in shoal_znear_unit). */
  double ang = c.best / WGS84_B * (1.0 + 1e-9) + 1e-12;
  double chord = ang >= M_PI ? 2.0 : 2.0 * sin(ang / 2.0);
  shoal_kd_within(&z->kd, v, chord * chord, try_cand, &c);
  if (qlon)
    *qlon = z->ll[2 * c.bi];
  if (qlat)
    *qlat = z->ll[2 * c.bi + 1];
  return c.best;
}
