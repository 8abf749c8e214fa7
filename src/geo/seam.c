/* Cutting lon/lat geometry at a map CRS's seam (lon0 + 180) and repeating projected geometry
 * of a periodic CRS for views that reach past the map's edge. */
#include "geo/seam.h"

#include <math.h>
#include <string.h>

/* Past this many 360-degree strips a part is garbage (longitudes in the thousands): it is
 * left alone rather than cut into hundreds of copies. */
#define MAX_STRIPS 4
/* Densify the closing edges along a seam to one vertex per this many degrees of latitude, so
 * a curved map edge (Robinson's) is followed. */
#define SEAM_STEP 1.0

/* Exchange the buffers of a and b; the result of a pass built in tmp becomes g. */
static void swap_geom(shoal_geom *a, shoal_geom *b)
{
  shoal_geom t = *a;
  *a = *b;
  *b = t;
}

/* Move a vertex lying on the seam (within rounding) just inside the strip lo..lo + 360. */
static double nudge(double x, double lo)
{
  if (fabs(x - lo) < 1e-9)
    return lo + SHOAL_SEAM_EPS;
  if (fabs(x - (lo + 360)) < 1e-9)
    return lo + 360 - SHOAL_SEAM_EPS;
  return x;
}

/* First and last strip (index k of lo + 360 k .. lo + 360 (k + 1)) that part p reaches. A
 * part ending exactly on a seam stays in the strip left of it. False for non-finite input. */
static bool strips_of(const shoal_geom *g, size_t p, double lo, long *k0, long *k1)
{
  double mn = HUGE_VAL, mx = -HUGE_VAL;
  for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++) {
    double x = g->xy[2 * i];
    if (!isfinite(x))
      return false; /* NaN compares false and would slip past the bounds below */
    mn = x < mn ? x : mn;
    mx = x > mx ? x : mx;
  }
  if (!isfinite(mn) || !isfinite(mx) || fabs(mn) > 1e6 || fabs(mx) > 1e6)
    return false;
  *k0 = (long)floor((mn - lo) / 360.0);
  *k1 = (long)ceil((mx - lo) / 360.0) - 1;
  if (*k1 < *k0)
    *k1 = *k0;
  return true;
}

/* Copy part p into out shifted by -360 k, nudging seam vertices into lo..lo + 360. */
static bool copy_shifted(const shoal_geom *g, size_t p, double lo, long k, shoal_geom *out)
{
  if (!shoal_geom_begin_part(out))
    return false;
  for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++)
    if (!shoal_geom_add(out, nudge(g->xy[2 * i] - 360.0 * (double)k, lo), g->xy[2 * i + 1]))
      return false;
  shoal_geom_end_part(out, 1);
  return true;
}

/* y where segment a-b meets x = xc. */
static double cross_y(const double *a, const double *b, double xc)
{
  return a[1] + (b[1] - a[1]) * ((xc - a[0]) / (b[0] - a[0]));
}

/* Append (x, y) to out, first filling the gap from the previous vertex with points every
 * SEAM_STEP degrees when both lie on the same seam line xs (a closing edge along the seam). */
static bool add_seam(shoal_geom *out, size_t start, double x, double y, double a, double b)
{
  if (out->npts > start) {
    double px = out->xy[2 * out->npts - 2], py = out->xy[2 * out->npts - 1];
    /* Only real latitudes: garbage (1e300) would ask for that many vertices. */
    if (px == x && (x == a || x == b) && fabs(y - py) > SEAM_STEP && fabs(y) <= 90 &&
        fabs(py) <= 90) {
      int n = (int)ceil(fabs(y - py) / SEAM_STEP);
      for (int i = 1; i < n; i++)
        if (!shoal_geom_add(out, x, py + (y - py) * i / n))
          return false;
    }
  }
  return shoal_geom_add(out, x, y);
}

/* Sutherland-Hodgman of ring xy (n vertices) against a <= x <= b into a new part of out,
 * shifted by -360 k and nudged. Even-odd filling makes the zero-width bridges S-H leaves
 * along the seam harmless. */
static bool clip_ring_strip(const double *xy, size_t n, double lo, long k, shoal_geom *out,
                            shoal_geom *work)
{
  double a = lo + 360.0 * (double)k, b = a + 360.0;
  /* Pass 1 (x >= a) into work, pass 2 (x <= b) into out. */
  shoal_geom_clear(work);
  if (!shoal_geom_begin_part(work))
    return false;
  for (size_t i = 0; i < n; i++) {
    const double *p = xy + 2 * i, *q = xy + 2 * ((i + 1) % n);
    bool pin = p[0] >= a, qin = q[0] >= a;
    if (pin && !shoal_geom_add(work, p[0], p[1]))
      return false;
    if (pin != qin && !shoal_geom_add(work, a, cross_y(p, q, a)))
      return false;
  }
  size_t m = work->npts, start = out->npts;
  if (m < 3 || !shoal_geom_begin_part(out))
    return m < 3;
  for (size_t i = 0; i < m; i++) {
    const double *p = work->xy + 2 * i, *q = work->xy + 2 * ((i + 1) % m);
    bool pin = p[0] <= b, qin = q[0] <= b;
    if (pin && !add_seam(out, start, p[0], p[1], a, b))
      return false;
    if (pin != qin && !add_seam(out, start, b, cross_y(p, q, b), a, b))
      return false;
  }
  if (out->npts - start >= 3 &&
      !add_seam(out, start, out->xy[2 * start], out->xy[2 * start + 1], a, b))
    return false;
  for (size_t i = start; i < out->npts; i++)
    out->xy[2 * i] = nudge(out->xy[2 * i] - 360.0 * (double)k, lo);
  shoal_geom_end_part(out, 4);
  return true;
}

/* Line part p split where it crosses a seam; each piece shifted into its strip. */
static bool cut_line(const shoal_geom *g, size_t p, double lo, shoal_geom *out)
{
  size_t i0 = g->parts[p], i1 = g->parts[p + 1];
  long cur = 0;
  bool open = false;
  for (size_t i = i0; i + 1 < i1 || (i == i0 && i1 - i0 == 1); i++) {
    const double *a = g->xy + 2 * i, *b = i + 1 < i1 ? g->xy + 2 * (i + 1) : a;
    double lx = a[0] < b[0] ? a[0] : b[0], hx = a[0] < b[0] ? b[0] : a[0];
    /* Pieces of this segment between the seams strictly inside it, in order from a. */
    double cuts[MAX_STRIPS + 3];
    int nc = 0;
    cuts[nc++] = 0;
    for (double s = lo + 360.0 * ceil((lx - lo) / 360.0); s < hx && nc < MAX_STRIPS + 1; s += 360.0)
      if (s > lx)
        cuts[nc++] = (s - a[0]) / (b[0] - a[0]);
    cuts[nc++] = 1;
    if (a[0] > b[0]) /* walking west: the seams were found east to west reversed */
      for (int l = 1, r = nc - 2; l < r; l++, r--) {
        double t = cuts[l];
        cuts[l] = cuts[r];
        cuts[r] = t;
      }
    for (int c = 0; c + 1 < nc; c++) {
      double t0 = cuts[c], t1 = cuts[c + 1], tm = (t0 + t1) / 2;
      long k = (long)floor((a[0] + (b[0] - a[0]) * tm - lo) / 360.0);
      double x0 = a[0] + (b[0] - a[0]) * t0, y0 = a[1] + (b[1] - a[1]) * t0;
      double x1 = a[0] + (b[0] - a[0]) * t1, y1 = a[1] + (b[1] - a[1]) * t1;
      if (c > 0)
        x0 = lo + 360.0 * (double)(a[0] < b[0] ? k : k + 1);
      if (c + 2 < nc)
        x1 = lo + 360.0 * (double)(a[0] < b[0] ? k + 1 : k);
      if (!open || k != cur) {
        if (open)
          shoal_geom_end_part(out, 1);
        if (!shoal_geom_begin_part(out) ||
            !shoal_geom_add(out, nudge(x0 - 360.0 * (double)k, lo), y0))
          return false;
        open = true;
        cur = k;
      }
      if (b != a && !shoal_geom_add(out, nudge(x1 - 360.0 * (double)k, lo), y1))
        return false;
    }
  }
  if (open)
    shoal_geom_end_part(out, 1);
  return true;
}

/* The parts of g that reach a seam, or lie outside the main strip; false when none does. */
static bool needs_cut(const shoal_geom *g, double lo)
{
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++) {
      double x = g->xy[2 * i];
      if (!(x > lo + 1e-9 && x < lo + 360 - 1e-9))
        return true;
    }
  return false;
}

bool shoal_seam_cut(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp)
{
  double lo = s->lon0 - 180.0;
  if (!s->cut || g->npts == 0 || !needs_cut(g, lo))
    return true;
  shoal_geom work;
  shoal_geom_init(&work, SHOAL_GEOM_NONE);
  shoal_geom_clear(tmp);
  tmp->kind = g->kind;
  bool ok = true;
  for (size_t p = 0; p < g->nparts && ok; p++) {
    long k0, k1;
    size_t n = shoal_geom_part_len(g, p);
    if (!strips_of(g, p, lo, &k0, &k1) || k1 - k0 >= MAX_STRIPS) {
      ok = copy_shifted(g, p, lo, 0, tmp); /* garbage in: no cutting, no crash */
    } else if (k0 == k1 || g->kind == SHOAL_GEOM_POINT) {
      ok = copy_shifted(g, p, lo, k0, tmp);
    } else if (g->kind == SHOAL_GEOM_POLYGON) {
      const double *xy = g->xy + 2 * g->parts[p];
      /* A closed ring repeats its first vertex; S-H works on the open cycle. */
      if (n > 1 && xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1])
        n--;
      for (long k = k0; k <= k1 && ok; k++)
        ok = clip_ring_strip(xy, n, lo, k, tmp, &work);
    } else {
      ok = cut_line(g, p, lo, tmp);
    }
  }
  shoal_geom_free(&work);
  if (!ok) {
    shoal_geom_clear(g);
    return false;
  }
  swap_geom(g, tmp);
  return true;
}

bool shoal_seam_apply(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp)
{
  if (s->latmax > 0 && g->kind == SHOAL_GEOM_POLYGON)
    for (size_t i = 0; i < g->npts; i++) {
      double *y = &g->xy[2 * i + 1];
      *y = *y > s->latmax ? s->latmax : *y < -s->latmax ? -s->latmax : *y;
    }
  if (s->cap)
    return shoal_seam_cap(s, g, tmp);
  return shoal_seam_cut(s, g, tmp);
}

bool shoal_seam_repeat(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp, double x0, double x1)
{
  if (!s->periodic || !(s->period > 0) || (x0 >= s->wx0 && x1 <= s->wx1) || g->npts == 0)
    return true;
  shoal_geom_clear(tmp);
  tmp->kind = g->kind;
  for (size_t p = 0; p < g->nparts; p++) {
    double mn = HUGE_VAL, mx = -HUGE_VAL;
    for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++)
      if (isfinite(g->xy[2 * i])) {
        mn = fmin(mn, g->xy[2 * i]);
        mx = fmax(mx, g->xy[2 * i]);
      }
    for (int j = -2; j <= 2 && mn <= mx; j++) {
      double d = j * s->period;
      if (mx + d < x0 || mn + d > x1)
        continue;
      if (!shoal_geom_begin_part(tmp))
        return false;
      for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++)
        if (!shoal_geom_add(tmp, g->xy[2 * i] + d, g->xy[2 * i + 1]))
          return false;
      shoal_geom_end_part(tmp, 1);
    }
  }
  swap_geom(g, tmp);
  return true;
}

bool shoal_seam_ring_contains(const double *xy, size_t n, double x, double y)
{
  bool in = false;
  for (size_t i = 0, j = n ? n - 1 : 0; i < n; j = i++) {
    double xi = xy[2 * i], yi = xy[2 * i + 1], xj = xy[2 * j], yj = xy[2 * j + 1];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
      in = !in;
  }
  return in;
}
