/* Rectangle clipping (Sutherland-Hodgman for rings, Liang-Barsky for lines) and
 * radial-distance + Douglas-Peucker simplification, all in device pixels. */
#include "geo/clip.h"

#include "base/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- polygons ---------------------------------------------------------------------------- */

/* The four half-planes, in the order the pipeline applies them. */
enum { EDGE_LEFT, EDGE_RIGHT, EDGE_BOTTOM, EDGE_TOP, EDGE_COUNT };

typedef struct sh_stage {
  bool has;      /* seen a vertex of the current ring */
  bool fin, pin; /* first / previous vertex inside this half-plane */
  double fx, fy; /* first vertex */
  double px, py; /* previous vertex */
} sh_stage;

/* Reentrant Sutherland-Hodgman: the four stages are chained and each vertex streams through
 * them, so no intermediate ring buffers are allocated. */
typedef struct sh_ctx {
  const double *r;
  sh_stage st[EDGE_COUNT];
  shoal_geom *out;
  bool ok;
} sh_ctx;

static bool sh_inside(const double *r, int e, double x, double y)
{
  switch (e) {
  case EDGE_LEFT: return x >= r[0];
  case EDGE_RIGHT: return x <= r[2];
  case EDGE_BOTTOM: return y >= r[1];
  default: return y <= r[3];
  }
}

/* Where segment a-b crosses edge e. The endpoints are put in a fixed order first so that an
 * edge shared by two neighbouring polygons (walked in opposite directions) yields the very
 * same point and no hairline gap opens between them. The caller guarantees that one end is
 * strictly outside, so the divisor is never zero. */
static void sh_cross(const double *r, int e, double ax, double ay, double bx, double by, double *ix,
                     double *iy)
{
  if (bx < ax || (bx == ax && by < ay)) {
    double t = ax;
    ax = bx;
    bx = t;
    t = ay;
    ay = by;
    by = t;
  }
  if (e == EDGE_LEFT || e == EDGE_RIGHT) {
    double c = e == EDGE_LEFT ? r[0] : r[2];
    *ix = c;
    *iy = ay + (by - ay) * ((c - ax) / (bx - ax));
  } else {
    double c = e == EDGE_BOTTOM ? r[1] : r[3];
    *iy = c;
    *ix = ax + (bx - ax) * ((c - ay) / (by - ay));
  }
}

static void out_add_dedup(shoal_geom *out, bool *ok, double x, double y)
{
  size_t n = shoal_geom_part_len(out, out->nparts - 1);
  if (n > 0) {
    const double *last = out->xy + 2 * (out->npts - 1);
    if (last[0] == x && last[1] == y)
      return;
  }
  if (!shoal_geom_add(out, x, y))
    *ok = false;
}

static void sh_push(sh_ctx *c, int e, double x, double y)
{
  if (e == EDGE_COUNT) {
    out_add_dedup(c->out, &c->ok, x, y);
    return;
  }
  sh_stage *st = &c->st[e];
  bool in = sh_inside(c->r, e, x, y);
  if (!st->has) {
    st->has = true;
    st->fx = x;
    st->fy = y;
    st->fin = in;
  } else if (in != st->pin) {
    double ix, iy;
    sh_cross(c->r, e, st->px, st->py, x, y, &ix, &iy);
    sh_push(c, e + 1, ix, iy);
  }
  if (in)
    sh_push(c, e + 1, x, y);
  st->px = x;
  st->py = y;
  st->pin = in;
}

static void sh_close(sh_ctx *c, int e)
{
  if (e == EDGE_COUNT)
    return;
  sh_stage *st = &c->st[e];
  if (st->has && st->pin != st->fin) {
    double ix, iy;
    sh_cross(c->r, e, st->px, st->py, st->fx, st->fy, &ix, &iy);
    sh_push(c, e + 1, ix, iy);
  }
  sh_close(c, e + 1);
}

/* The vertices from v[i] on that lie inside r, after a vertex inside r has gone through every
 * stage: each passes every stage unchanged (nothing crosses an edge), so they are added to the
 * output as the last stage adds them, and every stage is left as their last one leaves it.
 * Most of a giant ring that crosses the page edge is such runs. Returns the index after the
 * run (i when v[i] is not inside). */
static size_t sh_run_inside(sh_ctx *c, const double *v, size_t i, size_t m)
{
  const double *r = c->r;
  size_t j = i;
  for (; j < m && c->ok; j++) {
    double x = v[2 * j], y = v[2 * j + 1];
    if (!(x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3]))
      break;
    out_add_dedup(c->out, &c->ok, x, y);
  }
  if (j > i)
    for (int e = 0; e < EDGE_COUNT; e++) {
      c->st[e].px = v[2 * (j - 1)];
      c->st[e].py = v[2 * (j - 1) + 1];
      c->st[e].pin = true;
    }
  return j;
}

static bool rect_ok(const double r[4])
{
  return isfinite(r[0]) && isfinite(r[1]) && isfinite(r[2]) && isfinite(r[3]) && r[0] <= r[2] &&
         r[1] <= r[3];
}

static bool finite_xy(const double *v) { return isfinite(v[0]) && isfinite(v[1]); }

/* Clip one ring (n vertices at v) through the pipeline into a new part of out. */
static bool clip_ring(const double *v, size_t n, const double r[4], shoal_geom *out)
{
  sh_ctx c;
  memset(&c, 0, sizeof c);
  c.r = r;
  c.out = out;
  c.ok = true;
  if (!shoal_geom_begin_part(out))
    return false;
  size_t start = out->npts;
  /* The closing duplicate would only add a zero-length edge; the ring is re-closed below. */
  size_t m = n;
  if (m > 1 && v[0] == v[2 * (m - 1)] && v[1] == v[2 * (m - 1) + 1])
    m--;
  for (size_t i = 0; i < m && c.ok;) {
    double x = v[2 * i], y = v[2 * i + 1];
    i++;
    if (!finite_xy(v + 2 * (i - 1)))
      continue;
    sh_push(&c, 0, x, y);
    if (x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3])
      i = sh_run_inside(&c, v, i, m);
  }
  if (c.ok)
    sh_close(&c, 0);
  if (c.ok && out->npts > start) {
    const double *f = out->xy + 2 * start, *l = out->xy + 2 * (out->npts - 1);
    if (f[0] != l[0] || f[1] != l[1])
      c.ok = shoal_geom_add(out, f[0], f[1]);
  }
  /* Fewer than 4 means the ring degenerated to a point or a segment along the border. */
  shoal_geom_end_part(out, 4);
  return c.ok;
}

bool shoal_clip_polygon(const shoal_geom *in, const double rect[4], shoal_geom *out)
{
  shoal_geom_clear(out);
  out->kind = SHOAL_GEOM_POLYGON;
  if (!rect_ok(rect))
    return true;
  for (size_t p = 0; p < in->nparts; p++) {
    const double *v = in->xy + 2 * in->parts[p];
    size_t n = shoal_geom_part_len(in, p);
    size_t bad = 0;
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < n; i++) {
      double x = v[2 * i], y = v[2 * i + 1];
      if (!isfinite(x) || !isfinite(y)) {
        bad++;
        continue;
      }
      b[0] = x < b[0] ? x : b[0];
      b[1] = y < b[1] ? y : b[1];
      b[2] = x > b[2] ? x : b[2];
      b[3] = y > b[3] ? y : b[3];
    }
    if (n - bad < 3)
      continue;
    if (b[2] < rect[0] || b[0] > rect[2] || b[3] < rect[1] || b[1] > rect[3])
      continue;
    if (!bad && b[0] >= rect[0] && b[2] <= rect[2] && b[1] >= rect[1] && b[3] <= rect[3]) {
      if (!shoal_geom_reserve(out, out->npts + n) || !shoal_geom_begin_part(out))
        return false;
      memcpy(out->xy + 2 * out->npts, v, n * 2 * sizeof(double));
      out->npts += n;
      out->parts[out->nparts] = out->npts;
      continue;
    }
    if (!clip_ring(v, n, rect, out))
      return false;
  }
  return true;
}

/* ---- polylines --------------------------------------------------------------------------- */

/* Liang-Barsky: the parameter range [t0,t1] of a-b inside r, and which edge (or -1 for none)
 * set each end, so the cut point can be put exactly on that edge. False when outside. */
static bool lb_clip(const double *r, const double *a, const double *b, double *t0, double *t1,
                    int *e0, int *e1)
{
  double dx = b[0] - a[0], dy = b[1] - a[1];
  double p[4] = {-dx, dx, -dy, dy};
  double q[4] = {a[0] - r[0], r[2] - a[0], a[1] - r[1], r[3] - a[1]};
  *t0 = 0.0;
  *t1 = 1.0;
  *e0 = *e1 = -1;
  for (int k = 0; k < 4; k++) {
    if (p[k] == 0.0) {
      if (q[k] < 0.0)
        return false;
      continue;
    }
    double t = q[k] / p[k];
    if (p[k] < 0.0) {
      if (t > *t1)
        return false;
      if (t > *t0) {
        *t0 = t;
        *e0 = k;
      }
    } else {
      if (t < *t0)
        return false;
      if (t < *t1) {
        *t1 = t;
        *e1 = k;
      }
    }
  }
  return true;
}

/* Point at t on a-b; on edge e (LB order: left, right, bottom, top) that coordinate is set
 * exactly and the other clamped, since interpolation can round a hair outside the rect. */
static void lb_point(const double *r, const double *a, const double *b, double t, int e, double *x,
                     double *y)
{
  if (e < 0) {
    const double *s = t == 0.0 ? a : b;
    *x = s[0];
    *y = s[1];
    return;
  }
  double px = a[0] + t * (b[0] - a[0]), py = a[1] + t * (b[1] - a[1]);
  switch (e) {
  case 0: px = r[0]; break;
  case 1: px = r[2]; break;
  case 2: py = r[1]; break;
  default: py = r[3]; break;
  }
  *x = px < r[0] ? r[0] : px > r[2] ? r[2] : px;
  *y = py < r[1] ? r[1] : py > r[3] ? r[3] : py;
}

bool shoal_clip_lines(const shoal_geom *in, const double rect[4], shoal_geom *out)
{
  shoal_geom_clear(out);
  out->kind = SHOAL_GEOM_LINE;
  if (!rect_ok(rect))
    return true;
  bool ok = true;
  for (size_t p = 0; p < in->nparts && ok; p++) {
    const double *v = in->xy + 2 * in->parts[p];
    size_t n = shoal_geom_part_len(in, p);
    bool open = false;
    for (size_t i = 0; i + 1 < n && ok; i++) {
      const double *a = v + 2 * i, *b = a + 2;
      double t0, t1, x, y;
      int e0, e1;
      if (!finite_xy(a) || !finite_xy(b) || !lb_clip(rect, a, b, &t0, &t1, &e0, &e1)) {
        if (open)
          shoal_geom_end_part(out, 2);
        open = false;
        continue;
      }
      if (!open) {
        if (!shoal_geom_begin_part(out)) {
          ok = false;
          break;
        }
        open = true;
        lb_point(rect, a, b, t0, e0, &x, &y);
        out_add_dedup(out, &ok, x, y);
      }
      lb_point(rect, a, b, t1, e1, &x, &y);
      out_add_dedup(out, &ok, x, y);
      if (t1 < 1.0) {
        shoal_geom_end_part(out, 2);
        open = false;
      }
    }
    if (open)
      shoal_geom_end_part(out, 2);
  }
  return ok;
}

/* ---- simplification ---------------------------------------------------------------------- */

static double dist2(const double *a, const double *b)
{
  double dx = b[0] - a[0], dy = b[1] - a[1];
  return dx * dx + dy * dy;
}

/* Squared distance from p to segment a-b (to the point when a == b, as for a closed ring). */
static double seg_dist2(const double *a, const double *b, const double *p)
{
  double dx = b[0] - a[0], dy = b[1] - a[1];
  double px = p[0] - a[0], py = p[1] - a[1];
  double l2 = dx * dx + dy * dy;
  if (l2 > 0.0) {
    double t = (px * dx + py * dy) / l2;
    if (t >= 1.0) {
      px = p[0] - b[0];
      py = p[1] - b[1];
    } else if (t > 0.0) {
      px -= t * dx;
      py -= t * dy;
    }
  }
  return px * px + py * py;
}

static void copy_vertex(double *xy, size_t to, size_t from)
{
  xy[2 * to] = xy[2 * from];
  xy[2 * to + 1] = xy[2 * from + 1];
}

/* Room for the usual Douglas-Peucker depth (about log n) without touching the heap. */
#define DP_LOCAL_STACK 256

/* A ring must survive as a ring, so two vertices are pinned: the one farthest from the start
 * and the one farthest from that chord, in ascending order into pin. */
static void ring_pins(const double *xy, size_t n, size_t pin[2])
{
  size_t m = 1, q = 0;
  double dm = -1.0, dq = -1.0;
  for (size_t i = 1; i + 1 < n; i++) {
    double d = dist2(xy, xy + 2 * i);
    if (d > dm) {
      dm = d;
      m = i;
    }
  }
  for (size_t i = 1; i + 1 < n; i++) {
    double d = seg_dist2(xy, xy + 2 * m, xy + 2 * i);
    if (i != m && d > dq) {
      dq = d;
      q = i;
    }
  }
  pin[0] = m < q ? m : q;
  pin[1] = m < q ? q : m;
}

/* Radial pass: drop vertices closer than tol to the last kept one, compacting in place (kept
 * indices never exceed read indices); pinned vertices stay and pin follows them. Returns the
 * new vertex count. */
static size_t radial_pass(double *xy, size_t n, double tol2, size_t *pin, size_t npin)
{
  size_t w = 1, last = 0, pi = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    bool pinned = pi < npin && pin[pi] == i;
    if (!pinned && dist2(xy + 2 * last, xy + 2 * i) < tol2)
      continue;
    if (pinned)
      pin[pi++] = w;
    copy_vertex(xy, w, i);
    last = w++;
  }
  copy_vertex(xy, w, n - 1);
  return w + 1;
}

/* Room for one more entry on the Douglas-Peucker stack *stk (capacity *cap; it starts in
 * local and moves to the heap). Depth is bounded by n, which bounds the stack. */
static bool dp_stack_room(size_t **stk, size_t *cap, size_t *local, size_t n)
{
  size_t *heap = *stk == local ? NULL : *stk, hcap = heap ? *cap : 0;
  size_t want = *cap * 2 > n ? n : *cap * 2;
  if (!SHOAL_GROW(&heap, &hcap, *cap + 1, want, n))
    return false;
  if (*stk == local)
    memcpy(heap, local, *cap * sizeof *heap);
  *stk = heap;
  *cap = hcap;
  return true;
}

/* Douglas-Peucker with an explicit stack of pending right ends, the pins among them. Popping
 * the leftmost range first finalises ranges in order, so kept vertices are written in place
 * behind the read position and no keep-flags array is needed. Returns the vertex count. */
static size_t dp_pass(double *xy, size_t n, double tol2, const size_t *pin, size_t npin)
{
  size_t local[DP_LOCAL_STACK];
  size_t *stk = local, cap = DP_LOCAL_STACK, sp = 0;
  stk[sp++] = n - 1;
  for (size_t j = npin; j-- > 0;)
    stk[sp++] = pin[j];
  size_t a = 0, w = 1;
  while (sp > 0) {
    size_t b = stk[sp - 1];
    size_t m = 0;
    double dmax = tol2;
    for (size_t i = a + 1; i < b; i++) {
      double d = seg_dist2(xy + 2 * a, xy + 2 * b, xy + 2 * i);
      if (d > dmax) {
        dmax = d;
        m = i;
      }
    }
    if (m && sp == cap && !dp_stack_room(&stk, &cap, local, n)) {
      /* Out of memory only costs the simplification of this range. */
      for (size_t i = a + 1; i < b; i++)
        copy_vertex(xy, w++, i);
      m = 0;
    }
    if (m) {
      stk[sp++] = m;
      continue;
    }
    copy_vertex(xy, w++, b);
    a = b;
    sp--;
  }
  if (stk != local)
    free(stk);
  return w;
}

size_t shoal_simplify(double *xy, size_t n, double tol, bool closed)
{
  size_t minn = closed ? 4 : 2;
  if (n <= minn || !(tol >= 0.0) || !isfinite(tol))
    return n;
  for (size_t i = 0; i < n; i++)
    if (!finite_xy(xy + 2 * i))
      return n;
  double tol2 = tol * tol;
  /* Both passes leave a ring's pinned vertices alone. */
  size_t pin[2];
  size_t npin = 0;
  if (closed) {
    ring_pins(xy, n, pin);
    npin = 2;
  }
  n = radial_pass(xy, n, tol2, pin, npin);
  return dp_pass(xy, n, tol2, pin, npin);
}

/* Apply a per-part thinning function to every part of g, compacting the buffer. */
static void each_part(shoal_geom *g, double tol,
                      size_t (*fn)(double *xy, size_t n, double tol, bool closed))
{
  if (g->kind != SHOAL_GEOM_LINE && g->kind != SHOAL_GEOM_POLYGON)
    return;
  bool closed = g->kind == SHOAL_GEOM_POLYGON;
  size_t w = 0;
  for (size_t i = 0; i < g->nparts; i++) {
    size_t s = g->parts[i], len = g->parts[i + 1] - s;
    size_t m = fn(g->xy + 2 * s, len, tol, closed);
    if (w != s)
      memmove(g->xy + 2 * w, g->xy + 2 * s, m * 2 * sizeof(double));
    g->parts[i] = w;
    w += m;
  }
  if (g->nparts > 0)
    g->parts[g->nparts] = w;
  g->npts = w;
}

void shoal_simplify_geom(shoal_geom *g, double tol) { each_part(g, tol, shoal_simplify); }

/* Radial thinning of one part in place: keeps the first and last vertex and every vertex
 * farther than tol from the last kept one. A ring that would fall below 4 vertices keeps 4
 * spread along its length, so a tiny island still draws as a small mark. */
static size_t thin_part(double *xy, size_t n, double tol, bool closed)
{
  if (n <= 2 || (closed && n <= 4))
    return n;
  double t2 = tol * tol;
  size_t w = 1;
  double lx = xy[0], ly = xy[1];
  for (size_t i = 1; i + 1 < n; i++) {
    double dx = xy[2 * i] - lx, dy = xy[2 * i + 1] - ly;
    if (dx * dx + dy * dy > t2 || !isfinite(dx) || !isfinite(dy)) {
      lx = xy[2 * w] = xy[2 * i];
      ly = xy[2 * w + 1] = xy[2 * i + 1];
      w++;
    }
  }
  if (closed && w < 3) {
    /* Too small to survive: keep vertices at thirds of the original ring instead. */
    size_t a = n / 3, b = 2 * n / 3;
    xy[2] = xy[2 * a];
    xy[3] = xy[2 * a + 1];
    xy[4] = xy[2 * b];
    xy[5] = xy[2 * b + 1];
    w = 3;
  }
  xy[2 * w] = xy[2 * (n - 1)];
  xy[2 * w + 1] = xy[2 * (n - 1) + 1];
  return w + 1;
}

void shoal_thin_geom(shoal_geom *g, double tol)
{
  if (tol > 0)
    each_part(g, tol, thin_part);
}
