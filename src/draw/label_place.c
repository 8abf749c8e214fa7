/* The global label placement pass: every candidate in priority order tries its positions
 * against one collision index (markers and furniture already in it), and the winners are
 * drawn. Deterministic: fixed candidate orders, ties broken by collection order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/label_priv.h"
#include "draw/render.h"

#define MAX_ITEMS 200000

lp_item *shoal_lp_push(lp_list *l)
{
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 32;
    if (nc > MAX_ITEMS)
      nc = MAX_ITEMS;
    if (nc <= l->n)
      return NULL;
    lp_item *nv = realloc(l->v, nc * sizeof *nv);
    if (!nv)
      return NULL;
    l->v = nv;
    l->cap = nc;
  }
  lp_item *it = &l->v[l->n];
  memset(it, 0, sizeof *it);
  it->seq = l->n++;
  it->position = -1;
  return it;
}

void shoal_lp_free(lp_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->v[i].text);
    free(l->v[i].path);
    free(l->v[i].ppath);
    free(l->v[i].own_ids);
    shoal_text_free(l->v[i].t);
  }
  free(l->v);
  memset(l, 0, sizeof *l);
}

double shoal_lp_marker_radius(const shoal_style *st, double scale)
{
  if (!st)
    return 0;
  bool fill = (st->set & SHOAL_STY_FILL) && st->fill.a > 0;
  bool stroke = (st->set & SHOAL_STY_STROKE) && st->stroke.a > 0 && st->stroke_width > 0;
  if (!fill && !stroke)
    return 0;
  /* The shapes of render.c reach past the nominal radius by these factors. */
  double f = 1;
  switch (st->marker) {
  case SHOAL_MARKER_TRIANGLE:
  case SHOAL_MARKER_DIAMOND:
    f = 1.2;
    break;
  case SHOAL_MARKER_STAR:
    f = 1.25;
    break;
  default:
    break;
  }
  return (st->marker_size / 2 * f + (stroke ? st->stroke_width / 2 : 0)) * scale;
}

/* Next code point of UTF-8 s at *i (invalid bytes count as themselves). */
static unsigned next_cp(const char *s, size_t *i)
{
  const unsigned char *u = (const unsigned char *)s + *i;
  unsigned c = u[0];
  int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  (*i)++;
  for (int k = 0; k < n && (u[k + 1] & 0xC0) == 0x80; k++) {
    c = (c << 6) | (u[k + 1] & 0x3F);
    (*i)++;
  }
  if (n == 1)
    c &= 0x7FF;
  else if (n == 2)
    c &= 0xFFFF;
  else if (n == 3)
    c &= 0x1FFFFF;
  return c;
}

const char *shoal_lp_tag_for(const char *text, const char *tag)
{
  if (tag &&
      (strncmp(tag, "zh", 2) == 0 || strncmp(tag, "ja", 2) == 0 || strncmp(tag, "ko", 2) == 0))
    return tag;
  /* Han characters in a Latin-language label (e.g. "{name_en} ({name_zh})"): the tag decides
   * which Noto CJK face draws them, and the data's Chinese names are Simplified. */
  for (size_t i = 0; text[i];) {
    unsigned c = next_cp(text, &i);
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF))
      return "zh-Hans";
  }
  return tag;
}

bool shoal_lp_mark(lp_marks *m, shoal_collide *taken, double x, double y, double r)
{
  if (!isfinite(x) || !isfinite(y) || r <= 0)
    return true;
  if (m->n == m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    if (nc > MAX_ITEMS * 4)
      return false;
    double *nv = realloc(m->v, nc * 3 * sizeof *nv);
    if (!nv)
      return false;
    m->v = nv;
    m->cap = nc;
  }
  m->v[3 * m->n] = x;
  m->v[3 * m->n + 1] = y;
  m->v[3 * m->n + 2] = r;
  m->n++;
  return shoal_collide_add(taken, (shoal_box){x - r, y - r, x + r, y + r});
}

void shoal_lp_marks_free(lp_marks *m)
{
  free(m->v);
  memset(m, 0, sizeof *m);
}

static int by_x(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void shoal_lp_adopt_marks(lp_list *l, lp_marks *m)
{
  if (m->n == 0)
    return;
  qsort(m->v, m->n, 3 * sizeof *m->v, by_x);
  const double near = 1.5; /* px: "the same point" */
  for (size_t i = 0; i < l->n; i++) {
    lp_item *it = &l->v[i];
    if (it->kind != LP_POINT)
      continue;
    size_t lo = 0, hi = m->n; /* first mark with x >= it->x - near */
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (m->v[3 * mid] < it->x - near)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t k = lo; k < m->n && m->v[3 * k] <= it->x + near; k++)
      if (fabs(m->v[3 * k + 1] - it->y) <= near && m->v[3 * k + 2] > it->r)
        it->r = m->v[3 * k + 2];
  }
}

/* ---- geometry helpers ------------------------------------------------------------------ */

static double path_len(const double *xy, size_t n)
{
  double L = 0;
  for (size_t i = 1; i < n; i++)
    L += hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
  return L;
}

/* Point at distance s along the path (clamped). */
static void path_at(const double *xy, size_t n, double s, double *x, double *y)
{
  for (size_t i = 1; i < n; i++) {
    double sl = hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    if (s <= sl || i == n - 1) {
      double u = sl > 0 ? fmin(fmax(s / sl, 0), 1) : 0;
      *x = xy[2 * i - 2] + (xy[2 * i] - xy[2 * i - 2]) * u;
      *y = xy[2 * i - 1] + (xy[2 * i + 1] - xy[2 * i - 1]) * u;
      return;
    }
    s -= sl;
  }
  *x = xy[0];
  *y = xy[1];
}

/* The part of a path between distances s0 < s1, reading left to right. Caller frees. */
static double *path_sub(const double *xy, size_t n, double s0, double s1, size_t *nout)
{
  double *o = malloc((n + 2) * 2 * sizeof *o);
  if (!o)
    return NULL;
  size_t k = 0;
  path_at(xy, n, s0, &o[0], &o[1]);
  k = 1;
  double acc = 0;
  for (size_t i = 1; i < n; i++) {
    acc += hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    if (acc > s0 && acc < s1) {
      o[2 * k] = xy[2 * i];
      o[2 * k + 1] = xy[2 * i + 1];
      k++;
    }
  }
  path_at(xy, n, s1, &o[2 * k], &o[2 * k + 1]);
  k++;
  if (o[2 * (k - 1)] < o[0]) /* upside-down text is never wanted: turn it round */
    for (size_t i = 0; i < k / 2; i++) {
      double tx = o[2 * i], ty = o[2 * i + 1];
      o[2 * i] = o[2 * (k - 1 - i)];
      o[2 * i + 1] = o[2 * (k - 1 - i) + 1];
      o[2 * (k - 1 - i)] = tx;
      o[2 * (k - 1 - i) + 1] = ty;
    }
  *nout = k;
  return o;
}

/* Shift a path sideways by d (positive = left of the direction of travel, i.e. above text
 * that reads along it). In place. */
static void path_offset(double *xy, size_t n, double d)
{
  if (d == 0 || n < 2)
    return;
  double *nx = malloc(n * 2 * sizeof *nx);
  if (!nx)
    return;
  for (size_t i = 0; i < n; i++) {
    double sx = 0, sy = 0;
    for (size_t j = i ? i - 1 : 0; j < i + 1 && j + 1 < n; j++) {
      double dx = xy[2 * j + 2] - xy[2 * j], dy = xy[2 * j + 3] - xy[2 * j + 1];
      double l = hypot(dx, dy);
      if (l > 0)
        sx += dy / l, sy += -dx / l;
    }
    double l = hypot(sx, sy);
    nx[2 * i] = l > 0 ? sx / l : 0;
    nx[2 * i + 1] = l > 0 ? sy / l : 0;
  }
  for (size_t i = 0; i < n; i++) {
    xy[2 * i] += nx[2 * i] * d;
    xy[2 * i + 1] += nx[2 * i + 1] * d;
  }
  free(nx);
}

/* Largest turn between consecutive segments, radians. */
static double path_max_turn(const double *xy, size_t n)
{
  double m = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    double a0 = atan2(xy[2 * i + 1] - xy[2 * i - 1], xy[2 * i] - xy[2 * i - 2]);
    double a1 = atan2(xy[2 * i + 3] - xy[2 * i + 1], xy[2 * i + 2] - xy[2 * i]);
    double t = fabs(remainder(a1 - a0, 2 * M_PI));
    if (t > m)
      m = t;
  }
  return m;
}

/* ---- placement ------------------------------------------------------------------------- */

typedef struct pctx {
  shoal_textctx *tc;
  shoal_collide *taken;  /* what the map put there first: furniture, label-obstacle lines */
  shoal_collide *mine;   /* what this pass put there: markers, distance lines, labels, leaders */
  const lp_lines *lines; /* the obstacle lines in taken, by feature; may be NULL */
  const shoal_view *v;
  double s;        /* device px per CSS px */
  double frame[4]; /* boxes must stay inside */
} pctx;

static bool hits(const pctx *p, shoal_box b)
{
  return shoal_collide_hits(p->taken, b) || (p->mine && shoal_collide_hits(p->mine, b));
}

/* Put a placed box into both indexes. */
static bool claim(const pctx *p, shoal_box b)
{
  return shoal_collide_add(p->taken, b) && (!p->mine || shoal_collide_add(p->mine, b));
}

static bool in_frame(const pctx *p, shoal_box b)
{
  return b.x0 >= p->frame[0] && b.y0 >= p->frame[1] && b.x1 <= p->frame[2] && b.y1 <= p->frame[3];
}

static bool free_box(const pctx *p, shoal_box b)
{
  return in_frame(p, b) && !hits(p, b);
}

/* Small boxes along a segment, from `skip` px after its start. test: none hits c or c2;
 * else add them to both (c2 may be NULL). */
static bool segment_boxes(shoal_collide *c, shoal_collide *c2, double x0, double y0, double x1,
                          double y1, double skip, double hw, bool test)
{
  double L = hypot(x1 - x0, y1 - y0);
  double step = fmax(hw * 2, 1);
  for (double s = skip; s <= L; s += step) {
    double u = L > 0 ? s / L : 0;
    double x = x0 + (x1 - x0) * u, y = y0 + (y1 - y0) * u;
    shoal_box b = {x - hw, y - hw, x + hw, y + hw};
    if (test && (shoal_collide_hits(c, b) || (c2 && shoal_collide_hits(c2, b))))
      return false;
    if (!test && (!shoal_collide_add(c, b) || (c2 && !shoal_collide_add(c2, b))))
      return false;
  }
  return true;
}

bool shoal_lp_block_line(shoal_collide *taken, const double *xy, size_t n, double halfw)
{
  for (size_t i = 1; i < n; i++)
    if (!segment_boxes(taken, NULL, xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1], 0, halfw,
                       false))
      return false;
  return true;
}

/* Space above the capitals inside the logical box, and part of the space for descenders
 * below the baseline: left out of the box that must stay free, so stacked labels can sit as
 * close as they look. */
static double top_trim(const lp_item *it, double s)
{
  double base;
  shoal_text_size(it->t, NULL, NULL, &base);
  return fmax(0, base - 0.8 * it->font.size * s);
}

static double bottom_trim(const lp_item *it)
{
  double base;
  shoal_text_size(it->t, NULL, NULL, &base);
  return fmax(0, (it->h - base) * 0.35);
}

/* Horizontal room for the halo on either side. */
static double halo_pad(const lp_item *it, double s)
{
  return it->halo_width * s * 0.5;
}

static bool place_point(const pctx *p, lp_item *it)
{
  static const int dirs[8][2] = {{1, 0},   {1, -1}, {1, 1},  {-1, 0},
                                 {-1, -1}, {-1, 1}, {0, -1}, {0, 1}}; /* E NE SE W NW SW N S */
  static const double rings[] = {0, 8, 18, 32};                       /* CSS px further out */
  double tt = top_trim(it, p->s), hp = halo_pad(it, p->s);
  double w = it->w, vh = it->h - tt - bottom_trim(it);
  size_t nr = it->leaders ? sizeof rings / sizeof rings[0] : 1;
  for (size_t r = 0; r < nr; r++) {
    double d = it->r + it->offset + rings[r] * p->s;
    for (int k = 0; k < 8; k++) {
      int dx = dirs[k][0], dy = dirs[k][1];
      double dd = dx && dy ? fmax(d * M_SQRT1_2, it->r) : d;
      double x0 = dx > 0 ? it->x + dd : dx < 0 ? it->x - dd - w : it->x - w / 2;
      double y0 = dy < 0 ? it->y - dd - vh : dy > 0 ? it->y + dd : it->y - vh / 2;
      shoal_box b = {x0 - hp, y0, x0 + w + hp, y0 + vh};
      if (!free_box(p, b))
        continue;
      if (r > 0) {
        /* The leader runs from the marker's edge to the nearest point of the text. */
        double ex = fmin(fmax(it->x, b.x0), b.x1), ey = fmin(fmax(it->y, b.y0), b.y1);
        double L = hypot(ex - it->x, ey - it->y);
        if (L <= 0)
          continue;
        double ux = (ex - it->x) / L, uy = (ey - it->y) / L;
        double sx = it->x + ux * (it->r + 1 * p->s), sy = it->y + uy * (it->r + 1 * p->s);
        ex -= ux * 1.5 * p->s;
        ey -= uy * 1.5 * p->s;
        /* The marker's own box is square: on a diagonal the leader leaves it only after
         * r / max(|ux|, |uy|), so testing starts there. */
        double skip = (it->r + 1 * p->s) / fmax(fabs(ux), fabs(uy)) - (it->r + 1 * p->s);
        if (!segment_boxes(p->taken, p->mine, sx, sy, ex, ey, skip, 0.75 * p->s, true))
          continue;
        it->has_leader = true;
        it->lx0 = sx, it->ly0 = sy, it->lx1 = ex, it->ly1 = ey;
      }
      it->bx = x0;
      it->by = y0 - tt;
      if (!claim(p, b))
        return false;
      if (it->has_leader && !segment_boxes(p->taken, p->mine, it->lx0, it->ly0, it->lx1, it->ly1,
                                           0, 0.75 * p->s, false))
        return false;
      it->placed = true;
      return true;
    }
  }
  return true;
}

static bool place_area_point(const pctx *p, lp_item *it)
{
  double tt = top_trim(it, p->s), hp = halo_pad(it, p->s);
  double w = it->w, vh = it->h - tt - bottom_trim(it);
  const double shifts[][2] = {{0, 0},    {0, -0.6}, {0, 0.6}, {-0.25, 0},
                              {0.25, 0}, {0, -1.2}, {0, 1.2}};
  for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++) {
    double x0 = it->x - w / 2 + shifts[k][0] * w, y0 = it->y - vh / 2 + shifts[k][1] * vh;
    /* Near the frame an area label slides inside rather than give up. */
    if (x0 - hp < p->frame[0])
      x0 = p->frame[0] + hp;
    if (x0 + w + hp > p->frame[2])
      x0 = p->frame[2] - w - hp;
    if (y0 < p->frame[1])
      y0 = p->frame[1];
    if (y0 + vh > p->frame[3])
      y0 = p->frame[3] - vh;
    shoal_box b = {x0 - hp, y0, x0 + w + hp, y0 + vh};
    if (!free_box(p, b))
      continue;
    it->bx = x0;
    it->by = y0 - tt;
    it->placed = true;
    return claim(p, b);
  }
  return true;
}

/* Boxes along a path that text of height h covers; test or add. */
static bool path_boxes(const pctx *p, const double *xy, size_t n, double h, bool test)
{
  double L = path_len(xy, n), hw = h * 0.45, step = fmax(h / 3, 1);
  for (double s = 0; s <= L + step / 2; s += step) {
    double x, y;
    path_at(xy, n, fmin(s, L), &x, &y);
    shoal_box b = {x - hw, y - hw, x + hw, y + hw};
    if (test && !free_box(p, b))
      return false;
    if (!test && !claim(p, b))
      return false;
  }
  return true;
}

/* Try text along xy centred at distance c, shifted sideways by lat. */
static int try_path(const pctx *p, lp_item *it, const double *xy, size_t n, double c, double lat)
{
  double half = it->w / 2 + 2 * p->s;
  size_t k = 0;
  double *sub = path_sub(xy, n, c - half, c + half, &k);
  if (!sub)
    return -1;
  path_offset(sub, k, lat);
  if (path_max_turn(sub, k) > M_PI / 4 || !path_boxes(p, sub, k, it->h * 0.8, true)) {
    free(sub);
    return 0;
  }
  if (!path_boxes(p, sub, k, it->h * 0.8, false)) {
    free(sub);
    return -1;
  }
  it->ppath = sub;
  it->nppath = k;
  it->placed = true;
  return 1;
}

/* ---- text along a line ----------------------------------------------------------------- */

/* Drop points that repeat the one before (path_sub yields them at vertices), so every
 * segment has a direction. Returns the new count. */
static size_t path_dedupe(double *xy, size_t n)
{
  size_t w = n ? 1 : 0;
  for (size_t i = 1; i < n; i++)
    if (hypot(xy[2 * i] - xy[2 * w - 2], xy[2 * i + 1] - xy[2 * w - 1]) > 1e-6) {
      xy[2 * w] = xy[2 * i];
      xy[2 * w + 1] = xy[2 * i + 1];
      w++;
    }
  return w;
}

/* Point and unit direction at distance s along a path without repeated points (clamped). */
static void path_at_dir(const double *xy, size_t n, double s, double *x, double *y, double *ux,
                        double *uy)
{
  size_t i = 1;
  double sl = 0;
  for (; i < n; i++) {
    sl = hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    if (s <= sl || i == n - 1)
      break;
    s -= sl;
  }
  if (n < 2 || sl <= 0) {
    *x = xy[0], *y = xy[1], *ux = 1, *uy = 0;
    return;
  }
  double dx = xy[2 * i] - xy[2 * i - 2], dy = xy[2 * i + 1] - xy[2 * i - 1];
  double u = fmin(fmax(s / sl, 0), 1);
  *x = xy[2 * i - 2] + dx * u;
  *y = xy[2 * i - 1] + dy * u;
  *ux = dx / sl;
  *uy = dy / sl;
}

/* ---- boxes of label-obstacle lines, by feature ---------------------------------------- */

bool shoal_lp_lines_segment(lp_lines *L, double x0, double y0, double x1, double y1, double w,
                            double step, int layer, int id)
{
  /* The same arithmetic as block_lines in core/scene.c, so the boxes are the same. */
  double len = hypot(x1 - x0, y1 - y0);
  int n = (int)ceil(len / step);
  if (n < 1)
    n = 1;
  if (n > 100000)
    return true;
  for (int k = 0; k < n; k++) {
    double ax = x0 + (x1 - x0) * k / n, ay = y0 + (y1 - y0) * k / n;
    double bx = x0 + (x1 - x0) * (k + 1) / n, by = y0 + (y1 - y0) * (k + 1) / n;
    if (L->n == L->cap) {
      size_t nc = L->cap ? L->cap * 2 : 256;
      if (nc > 4000000)
        return false;
      lp_linebox *nv = realloc(L->v, nc * sizeof *nv);
      if (!nv)
        return false;
      L->v = nv;
      L->cap = nc;
    }
    L->v[L->n++] = (lp_linebox){
        {fmin(ax, bx) - w, fmin(ay, by) - w, fmax(ax, bx) + w, fmax(ay, by) + w}, layer, id};
  }
  return true;
}

/* Grid cells a box touches, clamped to the grid. */
static void lines_cells(const lp_lines *L, shoal_box b, size_t *c0, size_t *r0, size_t *c1,
                        size_t *r1)
{
  double v[4] = {b.x0 / L->cell, b.y0 / L->cell, b.x1 / L->cell, b.y1 / L->cell};
  size_t lim[4] = {L->nx - 1, L->ny - 1, L->nx - 1, L->ny - 1}, o[4];
  for (int i = 0; i < 4; i++)
    o[i] = !(v[i] > 0) ? 0 : v[i] >= (double)lim[i] ? lim[i] : (size_t)v[i];
  *c0 = o[0], *r0 = o[1], *c1 = o[2], *r1 = o[3];
}

bool shoal_lp_lines_index(lp_lines *L, double w, double h, double cell)
{
  L->cell = cell > 0 ? cell : 32;
  L->nx = (size_t)fmax(1, ceil(w / L->cell));
  L->ny = (size_t)fmax(1, ceil(h / L->cell));
  while (L->nx * L->ny > 1000000) {
    L->cell *= 2;
    L->nx = (size_t)fmax(1, ceil(w / L->cell));
    L->ny = (size_t)fmax(1, ceil(h / L->cell));
  }
  size_t nc = L->nx * L->ny;
  free(L->start);
  free(L->idx);
  L->idx = NULL;
  if (!(L->start = calloc(nc + 1, sizeof *L->start)))
    return false;
  /* Count per cell, turn the counts into starts, then fill (each fill moves a cell's start
   * on to the next cell's, which the shift at the end undoes). */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < L->n; i++) {
      size_t c0, r0, c1, r1;
      lines_cells(L, L->v[i].b, &c0, &r0, &c1, &r1);
      for (size_t r = r0; r <= r1; r++)
        for (size_t c = c0; c <= c1; c++) {
          if (pass == 0)
            L->start[r * L->nx + c + 1]++;
          else
            L->idx[L->start[r * L->nx + c]++] = i;
        }
    }
    if (pass == 0) {
      for (size_t c = 0; c < nc; c++)
        L->start[c + 1] += L->start[c];
      if (!(L->idx = malloc((L->start[nc] ? L->start[nc] : 1) * sizeof *L->idx)))
        return false;
    }
  }
  memmove(L->start + 1, L->start, nc * sizeof *L->start);
  L->start[0] = 0;
  return true;
}

void shoal_lp_lines_free(lp_lines *L)
{
  free(L->v);
  free(L->start);
  free(L->idx);
  memset(L, 0, sizeof *L);
}

/* Which obstacle-line boxes b overlaps: 0 none, 1 only those of the item's own line, 2 some
 * other line's. */
static int lines_probe(const lp_lines *L, const lp_item *it, shoal_box b)
{
  if (!L || !L->start || L->n == 0)
    return 0;
  size_t c0, r0, c1, r1;
  int found = 0;
  lines_cells(L, b, &c0, &r0, &c1, &r1);
  for (size_t r = r0; r <= r1; r++)
    for (size_t c = c0; c <= c1; c++)
      for (size_t k = L->start[r * L->nx + c]; k < L->start[r * L->nx + c + 1]; k++) {
        const lp_linebox *x = &L->v[L->idx[k]];
        if (!(x->b.x0 < b.x1 && b.x0 < x->b.x1 && x->b.y0 < b.y1 && b.y0 < x->b.y1))
          continue;
        bool own = false;
        for (size_t i = 0; x->layer == it->own_layer && i < it->nown_ids && !own; i++)
          own = it->own_ids[i] == x->id;
        if (!own)
          return 2;
        found = 1;
      }
  return found;
}

/* A box of a line label's band: inside the frame and free. When the label's own line is an
 * obstacle (a label-obstacle layer), its boxes are in taken too: a box that overlaps them
 * and no other line's counts as free unless this pass put something there (markers,
 * distance lines, labels, leaders), so the label can sit beside its line, or on it with
 * offset 0. (Furniture right at the line is not told apart: it is drawn on top anyway.) */
static bool band_box_free(const pctx *p, const lp_item *it, shoal_box b)
{
  if (!in_frame(p, b) || (p->mine && shoal_collide_hits(p->mine, b)))
    return false;
  if (!shoal_collide_hits(p->taken, b))
    return true;
  return it->own_layer > 0 && lines_probe(p->lines, it, b) == 1;
}

/* Largest turn at one vertex and the sum of all turns, radians. */
static void path_turns(const double *xy, size_t n, double *max, double *sum)
{
  *max = *sum = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    double a0 = atan2(xy[2 * i + 1] - xy[2 * i - 1], xy[2 * i] - xy[2 * i - 2]);
    double a1 = atan2(xy[2 * i + 3] - xy[2 * i + 1], xy[2 * i + 2] - xy[2 * i]);
    double t = fabs(remainder(a1 - a0, 2 * M_PI));
    *max = fmax(*max, t);
    *sum += t;
  }
}

/* The area the letters of a line label cover, as text.c sets them centred along xy: small
 * square boxes across the band from the capitals to part of the descenders, so a turned or
 * bent label claims its letters and not the whole box around them (which would also take in
 * the line it is set beside). test: true when every box is free; else add them all. */
static bool line_band(const pctx *p, const lp_item *it, const double *xy, size_t n, bool test)
{
  double base;
  shoal_text_size(it->t, NULL, NULL, &base);
  double top = -base + 0.35 * it->font.size * p->s; /* layout top, down from the path */
  double v0 = top + top_trim(it, p->s), v1 = top + it->h - bottom_trim(it);
  double L = path_len(xy, n), hp = halo_pad(it, p->s);
  double u0 = (L - it->w) / 2 - hp, u1 = (L + it->w) / 2 + hp;
  double a = 1.25 * p->s, step = 2 * p->s;
  int nu = (int)ceil(fmax(u1 - u0 - 2 * a, 0) / step) + 1;
  int nv = (int)ceil(fmax(v1 - v0 - 2 * a, 0) / step) + 1;
  for (int iu = 0; iu < nu; iu++) {
    double u = nu > 1 ? u0 + a + (u1 - u0 - 2 * a) * iu / (nu - 1) : (u0 + u1) / 2;
    double x, y, dx, dy;
    path_at_dir(xy, n, u, &x, &y, &dx, &dy);
    for (int iv = 0; iv < nv; iv++) {
      double v = nv > 1 ? v0 + a + (v1 - v0 - 2 * a) * iv / (nv - 1) : (v0 + v1) / 2;
      double cx = x - dy * v, cy = y + dx * v; /* (-dy, dx): down in the text's frame */
      shoal_box b = {cx - a, cy - a, cx + a, cy + a};
      if (test && !band_box_free(p, it, b))
        return false;
      if (!test && !claim(p, b))
        return false;
    }
  }
  return true;
}

/* Text along the line centred at distance c, on the stretch [c - half, c + half]: -1 out of
 * memory, 0 no room here, 1 placed. */
static int try_line(const pctx *p, lp_item *it, double c, double half, double side)
{
  size_t k = 0;
  double *sub = path_sub(it->path, it->npath, c - half, c + half, &k);
  if (!sub)
    return -1;
  k = path_dedupe(sub, k);
  /* Gentle bends only: letters turned at a corner, or round a tight curve, read badly. */
  double tmax, tsum;
  path_turns(sub, k, &tmax, &tsum);
  if (k < 2 || tmax > M_PI / 6 || tsum > M_PI / 3) {
    free(sub);
    return 0;
  }
  int r = 0;
  double *op = malloc(k * 2 * sizeof *op);
  if (!op)
    r = -1;
  for (int s = 0; r == 0 && s < (side > 0 ? 2 : 1); s++) {
    memcpy(op, sub, k * 2 * sizeof *op);
    path_offset(op, k, s ? -side : side); /* above the line first, then below */
    if (op[2 * (k - 1)] < op[0]) /* as text.c would read it (a steep stretch may turn) */
      for (size_t i = 0; i < k / 2; i++)
        for (int j = 0; j < 2; j++) {
          double t = op[2 * i + j];
          op[2 * i + j] = op[2 * (k - 1 - i) + j];
          op[2 * (k - 1 - i) + j] = t;
        }
    double L = path_len(op, k);
    if (L < it->w + 2 * p->s) /* the inside of a bend came out too short */
      continue;
    if (!line_band(p, it, op, k, true))
      continue;
    if (!line_band(p, it, op, k, false)) {
      r = -1;
      break;
    }
    it->ppath = op;
    it->nppath = k;
    it->placed = true;
    op = NULL;
    r = 1;
  }
  free(op);
  free(sub);
  return r;
}

/* Line labels: along the line's longest visible stretch, as near its middle as there is
 * room, `offset` px to one side (on it with offset 0), never upside down (path_sub turns
 * a stretch that runs right to left round). */
static bool place_line(const pctx *p, lp_item *it)
{
  if (!it->path || it->npath < 2 || it->w <= 0)
    return true;
  double L = path_len(it->path, it->npath);
  double em = it->font.size * p->s;
  /* Some line beyond each end of the text: the bend check and the offset see it, and the
   * text still fits on the inside of a bend. */
  double half = it->w / 2 + fmax(2 * p->s, 0.5 * em);
  if (2 * half > L)
    return true; /* too short for its name here */
  double side = it->offset > 0 ? it->offset + 0.4 * em : 0;
  /* From the middle outwards, alternately after and before it. */
  double step = fmax(2 * p->s, 0.5 * em), room = L / 2 - half;
  size_t nsteps = (size_t)floor(room / step + 1e-9);
  for (size_t k = 0; k <= 2 * nsteps; k++) {
    double d = (double)((k + 1) / 2) * step;
    double c = L / 2 + (k % 2 ? d : -d);
    int r = try_line(p, it, c, half, side);
    if (r != 0)
      return r > 0;
  }
  return true;
}

static bool place_area_path(const pctx *p, lp_item *it)
{
  double L = path_len(it->path, it->npath);
  if (it->w > L)
    return true;
  const double lat[] = {0, 0.6, -0.6};
  for (size_t i = 0; i < 3; i++) {
    int r = try_path(p, it, it->path, it->npath, L / 2, lat[i] * it->h);
    if (r != 0)
      return r > 0;
  }
  return true;
}

static bool place_callout(const pctx *p, lp_item *it)
{
  static const int dirs[8][2] = {{1, -1}, {-1, -1}, {1, 1},  {-1, 1},
                                 {1, 0},  {-1, 0},  {0, -1}, {0, 1}}; /* ne nw se sw e w n s */
  static const int pos_dir[8][2] = {{0, -1}, {1, -1}, {1, 0},  {1, 1},
                                    {0, 1},  {-1, 1}, {-1, 0}, {-1, -1}}; /* n..nw */
  double W = it->w + 2 * it->pad, H = it->h + 2 * it->pad;
  bool fixed = it->has_anchor || it->position >= 0;
  for (int r = 0; r < (fixed ? 1 : 3); r++)
    for (int k = 0; k < (fixed ? 1 : 8); k++) {
      int dx, dy;
      double px, py;
      if (it->has_anchor) {
        dx = (it->ax > 0) - (it->ax < 0);
        dy = (it->ay > 0) - (it->ay < 0);
        px = it->x + it->ax;
        py = it->y + it->ay;
      } else {
        const int *dd = fixed ? pos_dir[it->position] : dirs[k];
        dx = dd[0], dy = dd[1];
        double D = it->dist * (1 + 0.5 * r) * (dx && dy ? M_SQRT1_2 : 1);
        px = it->x + dx * D;
        py = it->y + dy * D;
      }
      double x0 = dx > 0 ? px : dx < 0 ? px - W : px - W / 2;
      double y0 = dy < 0 ? py - H : dy > 0 ? py : py - H / 2;
      shoal_box b = {x0, y0, x0 + W, y0 + H};
      double L = hypot(px - it->x, py - it->y);
      double sx = it->x, sy = it->y;
      if (L > it->gap) {
        sx += (px - it->x) / L * it->gap;
        sy += (py - it->y) / L * it->gap;
      }
      if (!fixed && (!free_box(p, b) ||
                     !segment_boxes(p->taken, p->mine, sx, sy, px, py, 2 * p->s, 0.75 * p->s, true)))
        continue;
      /* A callout the editor positioned by hand stays where it was put. */
      it->collides = fixed && !free_box(p, b);
      it->bx = x0;
      it->by = y0;
      it->has_leader = L > it->gap;
      it->lx0 = sx, it->ly0 = sy, it->lx1 = px, it->ly1 = py;
      it->placed = true;
      if (!claim(p, b))
        return false;
      return !it->has_leader ||
             segment_boxes(p->taken, p->mine, sx, sy, px, py, 2 * p->s, 0.75 * p->s, false);
    }
  return true;
}

static int by_priority(const void *a, const void *b)
{
  const lp_item *x = *(lp_item *const *)a, *y = *(lp_item *const *)b;
  if (x->prio != y->prio)
    return x->prio > y->prio ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

bool shoal_lp_place(lp_list *l, shoal_textctx *tc, shoal_collide *taken, shoal_collide *mine,
                    const lp_lines *lines, const shoal_view *v)
{
  if (l->n == 0)
    return true;
  lp_item **order = malloc(l->n * sizeof *order);
  if (!order)
    return false;
  double s = v->scale, m = 2 * s;
  pctx p = {tc, taken, mine, lines, v, s, {m, m, v->width - m, v->height - m}};
  for (size_t i = 0; i < l->n; i++)
    order[i] = &l->v[i];
  qsort(order, l->n, sizeof *order, by_priority);
  bool ok = true;
  for (size_t i = 0; i < l->n && ok; i++) {
    lp_item *it = order[i];
    if (!it->text || !*it->text)
      continue;
    shoal_text_free(it->t);
    it->t = shoal_text_new(tc, it->text, &it->font, it->tag);
    if (!it->t) {
      ok = false;
      break;
    }
    shoal_text_size(it->t, &it->w, &it->h, NULL);
    switch (it->kind) {
    case LP_POINT:
      ok = place_point(&p, it);
      break;
    case LP_LINE:
      ok = place_line(&p, it);
      break;
    case LP_AREA:
      ok = it->npath >= 2 ? place_area_path(&p, it) : place_area_point(&p, it);
      break;
    case LP_CALLOUT:
      ok = place_callout(&p, it);
      break;
    }
  }
  free(order);
  return ok;
}

/* ---- drawing --------------------------------------------------------------------------- */

void shoal_lp_draw_leaders(lp_list *l, cairo_t *cr, double scale)
{
  cairo_save(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_dash(cr, NULL, 0, 0);
  for (size_t i = 0; i < l->n; i++) {
    const lp_item *it = &l->v[i];
    if (!it->placed || !it->has_leader)
      continue;
    if (it->kind == LP_CALLOUT) {
      shoal_color c = it->leader;
      cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
      cairo_set_line_width(cr, it->leader_width * scale);
    } else {
      cairo_set_source_rgba(cr, 0.4, 0.4, 0.4, 1);
      cairo_set_line_width(cr, 0.6 * scale);
    }
    cairo_move_to(cr, it->lx0, it->ly0);
    cairo_line_to(cr, it->lx1, it->ly1);
    cairo_stroke(cr);
  }
  cairo_restore(cr);
}

void shoal_lp_draw_text(lp_list *l, cairo_t *cr, shoal_textctx *tc, double scale)
{
  for (size_t i = 0; i < l->n; i++) {
    const lp_item *it = &l->v[i];
    if (!it->placed)
      continue;
    cairo_save(cr);
    if (it->ppath) {
      shoal_text_draw_on_path(cr, tc, it->text, &it->font, it->tag, it->ppath, it->nppath,
                              it->color, it->halo, it->halo_width);
    } else if (it->kind == LP_CALLOUT) {
      cairo_new_path(cr);
      cairo_rectangle(cr, it->bx, it->by, it->w + 2 * it->pad, it->h + 2 * it->pad);
      shoal_polygon_paint(cr, it->box, scale);
      shoal_text_draw(cr, it->t, it->bx + it->pad, it->by + it->pad, it->color, it->halo,
                      it->halo_width);
    } else {
      shoal_text_draw(cr, it->t, it->bx, it->by, it->color, it->halo, it->halo_width);
    }
    cairo_restore(cr);
  }
}
