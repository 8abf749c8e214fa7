/* Clipping lon/lat geometry to the spherical cap an azimuthal view can show: what lies past
 * the horizon is cut away before PROJ sees it, and rings close along the horizon. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/seam.h"

#define D2R (M_PI / 180.0)
/* Vertices of a horizon arc: one per this many degrees of azimuth (at 2 degrees a globe of
 * 1000 px is followed to 0.04 px). */
#define ARC_STEP (2.0 * D2R)
#define BISECT_STEPS 40

typedef struct cap {
  double c[3]; /* the centre as a unit vector */
  double cosr; /* cos of the radius */
  const shoal_seam *s;
} cap;

static void unit(double lon, double lat, double v[3])
{
  double cl = cos(lat * D2R);
  v[0] = cl * cos(lon * D2R);
  v[1] = cl * sin(lon * D2R);
  v[2] = sin(lat * D2R);
}

static bool inside(const cap *c, double lon, double lat)
{
  double v[3];
  unit(lon, lat, v);
  return v[0] * c->c[0] + v[1] * c->c[1] + v[2] * c->c[2] > c->cosr;
}

/* Azimuth of (lon, lat) seen from the centre, radians in [0, 2 pi). */
static double azimuth(const cap *c, double lon, double lat)
{
  double dl = (lon - c->s->clon) * D2R, la = lat * D2R, lc = c->s->clat * D2R;
  double az = atan2(sin(dl) * cos(la), cos(lc) * sin(la) - sin(lc) * cos(la) * cos(dl));
  return az < 0 ? az + 2 * M_PI : az;
}

void shoal_seam_cap_point(const shoal_seam *s, double az, double *lon, double *lat)
{
  double a = az * D2R, r = s->crad * D2R, lc = s->clat * D2R;
  double sl = sin(lc) * cos(r) + cos(lc) * sin(r) * cos(a);
  sl = sl > 1 ? 1 : sl < -1 ? -1 : sl;
  double la = asin(sl);
  double dl = atan2(sin(a) * sin(r) * cos(lc), cos(r) - sin(lc) * sl);
  *lat = la / D2R;
  *lon = s->clon + dl / D2R;
}

/* Where edge p-q meets the cap's edge, on the inside (bisection on the lon/lat segment). */
static void crossing(const cap *c, const double *p, const double *q, double out[2])
{
  bool pin = inside(c, p[0], p[1]);
  double lo = 0, hi = 1;
  for (int i = 0; i < BISECT_STEPS; i++) {
    double t = (lo + hi) / 2;
    if (inside(c, p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t) == pin)
      lo = t;
    else
      hi = t;
  }
  double t = pin ? lo : hi;
  out[0] = p[0] + (q[0] - p[0]) * t;
  out[1] = p[1] + (q[1] - p[1]) * t;
}

/* Data longitudes may run past 180; the test point is tried in each copy. */
static bool ring_has(const double *xy, size_t n, double lon, double lat)
{
  return shoal_seam_ring_contains(xy, n, lon, lat) ||
         shoal_seam_ring_contains(xy, n, lon + 360, lat) ||
         shoal_seam_ring_contains(xy, n, lon - 360, lat);
}

/* Horizon points strictly between azimuths a and b (radians) going in direction dir. */
static bool add_arc(const cap *c, double a, double b, int dir, shoal_geom *out)
{
  double d = b - a;
  while (dir > 0 && d <= 0)
    d += 2 * M_PI;
  while (dir < 0 && d >= 0)
    d -= 2 * M_PI;
  int n = (int)ceil(fabs(d) / ARC_STEP);
  for (int i = 1; i < n; i++) {
    double lon, lat;
    shoal_seam_cap_point(c->s, (a + d * i / n) / D2R, &lon, &lat);
    if (!shoal_geom_add(out, lon, lat))
      return false;
  }
  return true;
}

typedef struct xing {
  double az;
  size_t piece;
  bool exit;
} xing;

static int by_az(const void *a, const void *b)
{
  double x = ((const xing *)a)->az, y = ((const xing *)b)->az;
  return x < y ? -1 : x > y;
}

/* The inside runs of ring xy (n vertices, open cycle), each from its entry crossing to its
 * exit crossing, as parts of pieces. */
static bool ring_pieces(const cap *c, const double *xy, size_t n, const bool *in, shoal_geom *pc)
{
  size_t j0 = 0;
  while (!(!in[j0] && in[(j0 + 1) % n]))
    j0++;
  shoal_geom_clear(pc);
  for (size_t step = 0; step < n; step++) {
    size_t k = (j0 + step) % n, k1 = (k + 1) % n, k2 = (k1 + 1) % n;
    double x[2];
    if (!in[k] && in[k1]) {
      crossing(c, xy + 2 * k1, xy + 2 * k, x);
      if (!shoal_geom_begin_part(pc) || !shoal_geom_add(pc, x[0], x[1]))
        return false;
    }
    if (in[k1] && !shoal_geom_add(pc, xy[2 * k1], xy[2 * k1 + 1]))
      return false;
    if (in[k1] && !in[k2]) {
      crossing(c, xy + 2 * k1, xy + 2 * k2, x);
      if (!shoal_geom_add(pc, x[0], x[1]))
        return false;
    }
  }
  return true;
}

/* Join the pieces into rings along the horizon arcs that lie inside the ring. */
static bool join_pieces(const cap *c, const double *xy, size_t n, const shoal_geom *pc,
                        shoal_geom *out)
{
  size_t np = pc->nparts, m = 2 * np;
  xing *xs = malloc(m * sizeof *xs);
  size_t *pos = malloc(m * sizeof *pos);
  bool *arc_in = malloc(m * sizeof *arc_in), *used = calloc(np, sizeof *used), ok = true;
  if (!xs || !pos || !arc_in || !used) {
    ok = false;
    goto done;
  }
  for (size_t p = 0; p < np; p++)
    for (int e = 0; e < 2; e++) {
      size_t v = e ? pc->parts[p + 1] - 1 : pc->parts[p];
      xs[2 * p + e] = (xing){azimuth(c, pc->xy[2 * v], pc->xy[2 * v + 1]), p, e == 1};
    }
  qsort(xs, m, sizeof *xs, by_az);
  for (size_t i = 0; i < m; i++) {
    pos[2 * xs[i].piece + xs[i].exit] = i;
    double a = xs[i].az, b = xs[(i + 1) % m].az + (i + 1 == m ? 2 * M_PI : 0), lon, lat;
    shoal_seam_cap_point(c->s, (a + b) / 2 / D2R, &lon, &lat);
    arc_in[i] = ring_has(xy, n, lon, lat);
  }
  for (size_t p0 = 0; p0 < np && ok; p0++) {
    if (used[p0])
      continue;
    size_t cur = p0, start = out->npts;
    if (!shoal_geom_begin_part(out)) {
      ok = false;
      break;
    }
    for (size_t guard = 0; guard <= np && ok; guard++) {
      used[cur] = true;
      for (size_t v = pc->parts[cur]; v < pc->parts[cur + 1] && ok; v++)
        ok = shoal_geom_add(out, pc->xy[2 * v], pc->xy[2 * v + 1]);
      size_t j = pos[2 * cur + 1], back = (j + m - 1) % m;
      int dir = arc_in[j] || !arc_in[back] ? 1 : -1;
      size_t nx = dir > 0 ? (j + 1) % m : back;
      ok = ok && add_arc(c, xs[j].az, xs[nx].az, dir, out);
      if (xs[nx].exit || xs[nx].piece == p0 || used[xs[nx].piece])
        break;
      cur = xs[nx].piece;
    }
    if (ok && out->npts > start)
      ok = shoal_geom_add(out, out->xy[2 * start], out->xy[2 * start + 1]);
    shoal_geom_end_part(out, 4);
  }
done:
  free(xs);
  free(pos);
  free(arc_in);
  free(used);
  return ok;
}

/* Ring xy (n vertices, open cycle) clipped to the cap, as new parts of out. */
static bool cap_ring(const cap *c, const double *xy, size_t n, shoal_geom *out, shoal_geom *pc)
{
  bool *in = malloc(n ? n : 1), ok = true;
  if (!in)
    return false;
  size_t nin = 0;
  for (size_t i = 0; i < n; i++)
    nin += in[i] = inside(c, xy[2 * i], xy[2 * i + 1]);
  if (nin == n || nin == 0) {
    /* Wholly inside: as it is. Wholly outside: nothing, or the whole disc when the ring goes
     * round the cap (the centre is inside it). */
    bool whole = nin == 0 && n >= 3 && ring_has(xy, n, c->s->clon, c->s->clat);
    if (nin == n || whole) {
      ok = shoal_geom_begin_part(out);
      for (size_t i = 0; i < n && ok && !whole; i++)
        ok = shoal_geom_add(out, xy[2 * i], xy[2 * i + 1]);
      double lon, lat;
      shoal_seam_cap_point(c->s, 0, &lon, &lat);
      ok = ok && (!whole || shoal_geom_add(out, lon, lat)) &&
           (!whole || add_arc(c, 0, 2 * M_PI, 1, out));
      if (ok && out->npts > 0)
        ok = shoal_geom_add(out, out->xy[2 * out->parts[out->nparts - 1]],
                            out->xy[2 * out->parts[out->nparts - 1] + 1]);
      shoal_geom_end_part(out, 4);
    }
  } else {
    ok = ring_pieces(c, xy, n, in, pc) && join_pieces(c, xy, n, pc, out);
  }
  free(in);
  return ok;
}

/* Line part p clipped to the cap: each run inside becomes a part, ending on the horizon. */
static bool cap_line(const cap *c, const shoal_geom *g, size_t p, shoal_geom *out)
{
  bool open = false;
  for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++) {
    const double *v = g->xy + 2 * i;
    bool in = inside(c, v[0], v[1]);
    double x[2];
    if (in && !open) {
      if (!shoal_geom_begin_part(out))
        return false;
      open = true;
      if (i > g->parts[p]) {
        crossing(c, v, v - 2, x);
        if (!shoal_geom_add(out, x[0], x[1]))
          return false;
      }
    }
    if (in && !shoal_geom_add(out, v[0], v[1]))
      return false;
    if (!in && open) {
      crossing(c, v - 2, v, x);
      if (!shoal_geom_add(out, x[0], x[1]))
        return false;
      shoal_geom_end_part(out, g->kind == SHOAL_GEOM_POINT ? 1 : 2);
      open = false;
    }
  }
  if (open)
    shoal_geom_end_part(out, g->kind == SHOAL_GEOM_POINT ? 1 : 2);
  return true;
}

bool shoal_seam_cap(const shoal_seam *s, shoal_geom *g, shoal_geom *tmp)
{
  if (!s->cap || g->npts == 0)
    return true;
  cap c = {{0, 0, 0}, cos(s->crad * D2R), s};
  unit(s->clon, s->clat, c.c);
  size_t i = 0;
  while (i < g->npts && inside(&c, g->xy[2 * i], g->xy[2 * i + 1]))
    i++;
  if (i == g->npts)
    return true; /* all of it shows */
  shoal_geom pc;
  shoal_geom_init(&pc, SHOAL_GEOM_NONE);
  shoal_geom_clear(tmp);
  tmp->kind = g->kind;
  bool ok = true;
  for (size_t p = 0; p < g->nparts && ok; p++) {
    const double *xy = g->xy + 2 * g->parts[p];
    size_t n = shoal_geom_part_len(g, p);
    bool finite = true;
    for (size_t k = 0; k < n && finite; k++)
      finite = isfinite(xy[2 * k]) && isfinite(xy[2 * k + 1]);
    if (!finite || n == 0)
      continue;
    if (g->kind == SHOAL_GEOM_POLYGON) {
      if (n > 1 && xy[0] == xy[2 * n - 2] && xy[1] == xy[2 * n - 1])
        n--;
      ok = cap_ring(&c, xy, n, tmp, &pc);
    } else {
      ok = cap_line(&c, g, p, tmp);
    }
  }
  shoal_geom_free(&pc);
  if (!ok) {
    shoal_geom_clear(g);
    return false;
  }
  shoal_geom t = *g;
  *g = *tmp;
  *tmp = t;
  return true;
}
