/* Labels along lines: path geometry, the index of label-obstacle lines, and placement of
 * line labels and area labels on a fixed path. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "label/label_priv.h"

/* Most boxes along obstacle lines (40 bytes each). */
#define MAX_LINEBOXES 4000000

/* ---- geometry helpers ------------------------------------------------------------------ */

/* The part of a path between distances s0 < s1, reading left to right. Caller frees. */
static double *path_sub(const double *xy, size_t n, double s0, double s1, size_t *nout)
{
  double *o = malloc((n + 2) * 2 * sizeof *o);
  if (!o)
    return NULL;
  size_t k = 0;
  shoal_path_point(xy, n, s0, &o[0], &o[1]);
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
  shoal_path_point(xy, n, s1, &o[2 * k], &o[2 * k + 1]);
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
  int n = shoal_collide_seg_pieces(x0, y0, x1, y1, step);
  for (int k = 0; k < n; k++) {
    if (!SHOAL_GROW(&L->v, &L->cap, L->n + 1, 256, MAX_LINEBOXES))
      return false;
    L->v[L->n++] = (lp_linebox){shoal_collide_seg_box(x0, y0, x1, y1, k, n, w), layer, id};
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

/* ---- text along a path ---------------------------------------------------------------- */

/* Boxes along a path that text of height h covers; test or add. */
static bool path_boxes(const lp_ctx *p, const double *xy, size_t n, double h, bool test)
{
  double L = shoal_path_length(xy, n), hw = h * 0.45, step = fmax(h / 3, 1);
  for (double s = 0; s <= L + step / 2; s += step) {
    double x, y;
    shoal_path_point(xy, n, fmin(s, L), &x, &y);
    shoal_box b = {x - hw, y - hw, x + hw, y + hw};
    if (test && !shoal_lp_box_free(p, b))
      return false;
    if (!test && !shoal_lp_claim(p, b))
      return false;
  }
  return true;
}

/* Try text along xy centred at distance c, shifted sideways by lat. */
static int try_path(const lp_ctx *p, lp_item *it, const double *xy, size_t n, double c, double lat)
{
  double half = it->w / 2 + 2 * p->s;
  size_t k = 0;
  double *sub = path_sub(xy, n, c - half, c + half, &k);
  if (!sub)
    return -1;
  path_offset(sub, k, lat);
  double tmax, tsum;
  path_turns(sub, k, &tmax, &tsum);
  if (tmax > M_PI / 4 || !path_boxes(p, sub, k, it->h * 0.8, true)) {
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

bool shoal_lp_place_area_path(const lp_ctx *p, lp_item *it)
{
  double L = shoal_path_length(it->path, it->npath);
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

/* ---- text along a line ----------------------------------------------------------------- */

/* A box of a line label's band: inside the frame and free. When the label's own line is an
 * obstacle (a label-obstacle layer), its boxes are in taken too: a box that overlaps them
 * and no other line's counts as free unless this pass put something there (markers,
 * distance lines, labels, leaders), so the label can sit beside its line, or on it with
 * offset 0. (Furniture right at the line is not told apart: it is drawn on top anyway.) */
static bool band_box_free(const lp_ctx *p, const lp_item *it, shoal_box b)
{
  if (!shoal_lp_in_frame(p, b) || (p->mine && shoal_collide_hits(p->mine, b)))
    return false;
  if (!shoal_collide_hits(p->taken, b))
    return true;
  return it->own_layer > 0 && lines_probe(p->lines, it, b) == 1;
}

/* The area the letters of a line label cover, as text.c sets them centred along xy: small
 * square boxes across the band from the capitals to part of the descenders, so a turned or
 * bent label claims its letters and not the whole box around them (which would also take in
 * the line it is set beside). test: true when every box is free; else add them all. */
static bool line_band(const lp_ctx *p, const lp_item *it, const double *xy, size_t n, bool test)
{
  double base;
  shoal_text_size(it->t, NULL, NULL, &base);
  double top = -base + 0.35 * it->font.size * p->s; /* layout top, down from the path */
  double v0 = top + shoal_lp_top_trim(it, p->s), v1 = top + it->h - shoal_lp_bottom_trim(it);
  double L = shoal_path_length(xy, n), hp = shoal_lp_halo_pad(it, p->s);
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
      if (!test && !shoal_lp_claim(p, b))
        return false;
    }
  }
  return true;
}

/* Text along the line centred at distance c, on the stretch [c - half, c + half]: -1 out of
 * memory, 0 no room here, 1 placed. */
static int try_line(const lp_ctx *p, lp_item *it, double c, double half, double side)
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
    if (op[2 * (k - 1)] < op[0])          /* as text.c would read it (a steep stretch may turn) */
      for (size_t i = 0; i < k / 2; i++)
        for (int j = 0; j < 2; j++) {
          double t = op[2 * i + j];
          op[2 * i + j] = op[2 * (k - 1 - i) + j];
          op[2 * (k - 1 - i) + j] = t;
        }
    double L = shoal_path_length(op, k);
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
bool shoal_lp_place_line(const lp_ctx *p, lp_item *it)
{
  if (!it->path || it->npath < 2 || it->w <= 0)
    return true;
  double L = shoal_path_length(it->path, it->npath);
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
