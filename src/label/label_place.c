/* The global label placement pass: every candidate in priority order tries its positions
 * against one collision index (markers and furniture already in it), and the winners are
 * drawn. Deterministic: fixed candidate orders, ties broken by collection order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "label/label_priv.h"
#include "label/labeldebug.h"
#include "draw/render.h"

#define MAX_ITEMS 200000

lp_item *shoal_lp_push(lp_list *l)
{
  if (!SHOAL_GROW(&l->v, &l->cap, l->n + 1, 32, MAX_ITEMS))
    return NULL;
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
  case SHOAL_MARKER_DIAMOND: f = 1.2; break;
  case SHOAL_MARKER_STAR: f = 1.25; break;
  default: break;
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
  /* Triples: one element of the growth is three doubles. */
  if (!shoal_grow((void **)&m->v, &m->cap, m->n + 1, 3 * sizeof *m->v, 64, MAX_ITEMS * 4))
    return false;
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

/* ---- placement ------------------------------------------------------------------------- */

static bool hits(const lp_ctx *p, shoal_box b)
{
  return shoal_collide_hits(p->taken, b) || (p->mine && shoal_collide_hits(p->mine, b));
}

/* Put a placed box into both indexes. */
bool shoal_lp_claim(const lp_ctx *p, shoal_box b)
{
  return shoal_collide_add(p->taken, b) && (!p->mine || shoal_collide_add(p->mine, b));
}

bool shoal_lp_in_frame(const lp_ctx *p, shoal_box b)
{
  return b.x0 >= p->frame[0] && b.y0 >= p->frame[1] && b.x1 <= p->frame[2] && b.y1 <= p->frame[3];
}

bool shoal_lp_box_free(const lp_ctx *p, shoal_box b)
{
  bool in = shoal_lp_in_frame(p, b);
  bool ok = in && !hits(p, b);
  if (p->dbg)
    shoal_lp_debug_cand(p->dbg, b, ok, in);
  return ok;
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
    if (!segment_boxes(taken, NULL, xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1], 0,
                       halfw, false))
      return false;
  return true;
}

/* Space above the capitals inside the logical box, and part of the space for descenders
 * below the baseline: left out of the box that must stay free, so stacked labels can sit as
 * close as they look. */
double shoal_lp_top_trim(const lp_item *it, double s)
{
  double base;
  shoal_text_size(it->t, NULL, NULL, &base);
  return fmax(0, base - 0.8 * it->font.size * s);
}

double shoal_lp_bottom_trim(const lp_item *it)
{
  /* The last line's descent: below the first baseline of a wrapped or two-line label lie
   * whole lines, which must stay in the box. */
  return fmax(0, (it->h - shoal_text_last_baseline(it->t)) * 0.35);
}

/* Horizontal room for the halo on either side. */
double shoal_lp_halo_pad(const lp_item *it, double s) { return it->halo_width * s * 0.5; }

static bool place_point(const lp_ctx *p, lp_item *it)
{
  static const int dirs[8][2] = {{1, 0},   {1, -1}, {1, 1},  {-1, 0},
                                 {-1, -1}, {-1, 1}, {0, -1}, {0, 1}}; /* E NE SE W NW SW N S */
  static const double rings[] = {0, 8, 18, 32};                       /* CSS px further out */
  double tt = shoal_lp_top_trim(it, p->s), hp = shoal_lp_halo_pad(it, p->s);
  double w = it->w, vh = it->h - tt - shoal_lp_bottom_trim(it);
  size_t nr = it->leaders ? sizeof rings / sizeof rings[0] : 1;
  for (size_t r = 0; r < nr; r++) {
    double d = it->r + it->offset + rings[r] * p->s;
    for (int k = 0; k < 8; k++) {
      int dx = dirs[k][0], dy = dirs[k][1];
      double dd = dx && dy ? fmax(d * M_SQRT1_2, it->r) : d;
      double x0 = dx > 0 ? it->x + dd : dx < 0 ? it->x - dd - w : it->x - w / 2;
      double y0 = dy < 0 ? it->y - dd - vh : dy > 0 ? it->y + dd : it->y - vh / 2;
      shoal_box b = {x0 - hp, y0, x0 + w + hp, y0 + vh};
      if (!shoal_lp_box_free(p, b))
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
      if (!shoal_lp_claim(p, b))
        return false;
      if (it->has_leader && !segment_boxes(p->taken, p->mine, it->lx0, it->ly0, it->lx1, it->ly1, 0,
                                           0.75 * p->s, false))
        return false;
      it->placed = true;
      return true;
    }
  }
  return true;
}

static bool place_area_point(const lp_ctx *p, lp_item *it)
{
  double tt = shoal_lp_top_trim(it, p->s), hp = shoal_lp_halo_pad(it, p->s);
  double w = it->w, vh = it->h - tt - shoal_lp_bottom_trim(it);
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
    if (!shoal_lp_box_free(p, b))
      continue;
    it->bx = x0;
    it->by = y0 - tt;
    it->placed = true;
    return shoal_lp_claim(p, b);
  }
  return true;
}

static bool place_callout(const lp_ctx *p, lp_item *it)
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
      if (!fixed && (!shoal_lp_box_free(p, b) || !segment_boxes(p->taken, p->mine, sx, sy, px, py,
                                                                2 * p->s, 0.75 * p->s, true)))
        continue;
      /* A callout the editor positioned by hand stays where it was put. */
      it->collides = fixed && !shoal_lp_box_free(p, b);
      it->bx = x0;
      it->by = y0;
      it->has_leader = L > it->gap;
      it->lx0 = sx, it->ly0 = sy, it->lx1 = px, it->ly1 = py;
      it->placed = true;
      if (!shoal_lp_claim(p, b))
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
  return shoal_lp_place_rec(l, tc, taken, mine, lines, v, NULL);
}

bool shoal_lp_place_rec(lp_list *l, shoal_textctx *tc, shoal_collide *taken, shoal_collide *mine,
                        const lp_lines *lines, const shoal_view *v, struct shoal_labeldebug *dbg)
{
  if (l->n == 0)
    return true;
  lp_item **order = malloc(l->n * sizeof *order);
  if (!order)
    return false;
  double s = v->scale, m = 2 * s;
  lp_ctx p = {tc, taken, mine, lines, v, s, {m, m, v->width - m, v->height - m}, dbg};
  for (size_t i = 0; i < l->n; i++)
    order[i] = &l->v[i];
  qsort(order, l->n, sizeof *order, by_priority);
  bool ok = true;
  for (size_t i = 0; i < l->n && ok; i++) {
    lp_item *it = order[i];
    if (!it->text || !*it->text)
      continue;
    if (dbg)
      dbg->cur = (size_t)(it - l->v);
    shoal_text_free(it->t);
    it->t = shoal_text_new(tc, it->text, &it->font, it->tag);
    if (!it->t) {
      ok = false;
      break;
    }
    shoal_text_size(it->t, &it->w, &it->h, NULL);
    switch (it->kind) {
    case LP_POINT: ok = place_point(&p, it); break;
    case LP_LINE: ok = shoal_lp_place_line(&p, it); break;
    case LP_AREA:
      ok = it->npath >= 2 ? shoal_lp_place_area_path(&p, it) : place_area_point(&p, it);
      break;
    case LP_CALLOUT: ok = place_callout(&p, it); break;
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
    shoal_svg_stroke(cr, false);
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
