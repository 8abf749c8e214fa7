/* Annotations on the map: highlighted areas (from a layer through layer/, or a polygon),
 * distance lines and markers, and the candidates they hand the placement pass (marker labels,
 * callouts, area labels, distance labels). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/render.h"
#include "geo/clip.h"
#include "label/label_priv.h"
#include "layer/featattr.h"
#include "layer/layer.h"

/* ---- drawing --------------------------------------------------------------------------- */

static void ring_path(cairo_t *cr, const shoal_geom *c)
{
  cairo_new_path(cr);
  for (size_t p = 0; p < c->nparts; p++) {
    size_t a = c->parts[p], b = c->parts[p + 1];
    if (b - a < 3)
      continue;
    cairo_move_to(cr, c->xy[2 * a], c->xy[2 * a + 1]);
    for (size_t i = a + 1; i < b; i++)
      cairo_line_to(cr, c->xy[2 * i], c->xy[2 * i + 1]);
    cairo_close_path(cr);
  }
}

static void lines_path(cairo_t *cr, const shoal_geom *c)
{
  cairo_new_path(cr);
  for (size_t p = 0; p < c->nparts; p++) {
    size_t a = c->parts[p], b = c->parts[p + 1];
    if (b - a < 2)
      continue;
    cairo_move_to(cr, c->xy[2 * a], c->xy[2 * a + 1]);
    for (size_t i = a + 1; i < b; i++)
      cairo_line_to(cr, c->xy[2 * i], c->xy[2 * i + 1]);
  }
}

/* g's rings filled and outlined, clipped to the page; when lines has parts the outline is
 * those lines instead of the rings (a ring cut at the seam: its cut edges are not stroked). */
static void paint_clipped(cairo_t *cr, const shoal_view *v, const shoal_geom *g,
                          const shoal_geom *lines, shoal_geom *c, const shoal_style *st,
                          cairo_surface_t *mask)
{
  double m = 16 * v->scale, rect[4] = {-m, -m, v->width + m, v->height + m};
  shoal_clip_polygon(g, rect, c);
  /* Fill and hatch, then the outline on a fresh path: hatching clips to the path and does not
   * hand it back, so one shoal_polygon_paint call would lose the outline. */
  shoal_style inner = *st, outline = *st;
  inner.set &= ~(unsigned)SHOAL_STY_STROKE;
  outline.set &= ~(unsigned)(SHOAL_STY_FILL | SHOAL_STY_HATCH);
  ring_path(cr, c);
  shoal_polygon_paint(cr, &inner, v->scale);
  bool rings = !(lines && lines->nparts);
  if (!rings)
    shoal_clip_lines(lines, rect, c);
  if (mask)
    shoal_annot_masked_path(cr, c, rings, mask);
  else if (rings)
    ring_path(cr, c);
  else
    lines_path(cr, c);
  shoal_polygon_paint(cr, &outline, v->scale);
}

static shoal_status highlight_layer(struct shoal_labelstate *ls, cairo_t *cr, const ann_state *s,
                                    const shoal_style *sty, cairo_surface_t *mask, shoal_geom *g,
                                    shoal_geom *c, shoal_diag *d)
{
  const shoal_view *v = &ls->env.view;
  shoal_source *src = s->sl->src;
  int *ids = NULL;
  size_t n = 0;
  shoal_status st = shoal_layer_query(s->sl, 0, &ids, &n);
  if (st != SHOAL_OK) {
    shoal_source_read_error(src, -1, st, d);
    return st;
  }
  shoal_featattr fa;
  if (!shoal_featattr_init(&fa, src)) {
    shoal_featattr_free(&fa);
    free(ids);
    return SHOAL_ERR_NOMEM;
  }
  for (size_t i = 0; i < n && st == SHOAL_OK; i++) {
    shoal_featattr_set(&fa, ids[i]);
    if (s->a->filter && !shoal_expr_eval(s->a->filter, shoal_featattr_get, &fa))
      continue;
    if ((st = shoal_layer_feature(s->sl, ids[i], g)) != SHOAL_OK) {
      shoal_source_read_error(src, ids[i], st, d);
      break;
    }
    paint_clipped(cr, v, g, NULL, c, sty, mask);
  }
  if (st == SHOAL_OK && shoal_featattr_report(&fa, d))
    st = SHOAL_ERR_DATA;
  shoal_featattr_free(&fa);
  free(ids);
  return st;
}

static shoal_status highlight_one(struct shoal_labelstate *ls, cairo_t *cr, const ann_state *s,
                                  const shoal_style *sty, cairo_surface_t *mask, shoal_geom *g,
                                  shoal_geom *c, shoal_diag *d)
{
  if (s->sl)
    return highlight_layer(ls, cr, s, sty, mask, g, c, d);
  paint_clipped(cr, &ls->env.view, &s->path, &s->outline, c, sty, mask);
  return SHOAL_OK;
}

/* A highlight whose outline keeps off the polygons of its `mask` layer (a zone's edge is not
 * drawn along the coast or around islands): fill and hatch as usual, then the outline only
 * where the mask says open sea (annot_mask.c), the mask layer's polygons grown by the
 * outline's width and a pixel and a half. */
static shoal_status highlight_masked(struct shoal_labelstate *ls, cairo_t *cr, const ann_state *s,
                                     shoal_geom *g, shoal_geom *c, shoal_diag *d)
{
  shoal_style fill = s->a->style, line = s->a->style;
  fill.set &= ~(unsigned)SHOAL_STY_STROKE;
  line.set &= ~(unsigned)(SHOAL_STY_FILL | SHOAL_STY_HATCH);
  shoal_status st = highlight_one(ls, cr, s, &fill, NULL, g, c, d);
  const shoal_layergeo *lg = NULL;
  shoal_layergeo *own = NULL;
  if (st == SHOAL_OK && (line.set & SHOAL_STY_STROKE))
    st = shoal_layer_geom(s->mask_sl, d, &lg, &own);
  if (st != SHOAL_OK || !lg)
    return st;
  double scale = ls->env.view.scale;
  cairo_surface_t *mask =
      shoal_annot_mask_new(&ls->env.view, &lg->g, (line.stroke_width + 1.5) * scale);
  if (!mask)
    st = SHOAL_ERR_NOMEM;
  else
    st = highlight_one(ls, cr, s, &line, mask, g, c, d);
  cairo_surface_destroy(mask);
  shoal_layergeo_free(own);
  return st;
}

shoal_status shoal_annots_draw_under(struct shoal_labelstate *ls, cairo_t *cr, shoal_diag *d)
{
  if (!ls)
    return SHOAL_OK;
  shoal_geom g, c;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&c, SHOAL_GEOM_POLYGON);
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; i < ls->nann && st == SHOAL_OK; i++) {
    const ann_state *s = &ls->ann[i];
    if (!s->ok || s->a->kind != SHOAL_ANNOT_HIGHLIGHT)
      continue;
    cairo_save(cr);
    if (s->a->has_within) {
      ring_path(cr, &s->clip); /* empty when the whole box is past the horizon */
      shoal_svg_clip(cr);
    }
    if (s->mask_sl)
      st = highlight_masked(ls, cr, s, &g, &c, d);
    else
      st = highlight_one(ls, cr, s, &s->a->style, NULL, &g, &c, d);
    if (s->a->has_within)
      shoal_svg_unclip(cr);
    cairo_restore(cr);
  }
  shoal_geom_free(&g);
  shoal_geom_free(&c);
  return st;
}

/* The stretch of a polyline from gap0 after its start to gap1 before its end, so a line
 * between two places stops short of their markers. Into out (room for n points). */
static size_t trim_ends(const double *xy, size_t n, double gap0, double gap1, double *out)
{
  double L = shoal_path_length(xy, n);
  if (L <= gap0 + gap1 + 1)
    return 0;
  size_t k = 0;
  double acc = 0;
  for (size_t i = 1; i < n; i++) {
    double x0 = xy[2 * i - 2], y0 = xy[2 * i - 1], x1 = xy[2 * i], y1 = xy[2 * i + 1];
    double sl = hypot(x1 - x0, y1 - y0), a0 = acc, a1 = acc + sl;
    acc = a1;
    double s0 = fmax(a0, gap0), s1 = fmin(a1, L - gap1);
    if (s0 >= s1 || sl <= 0)
      continue;
    if (k == 0) {
      out[k++] = x0 + (x1 - x0) * (s0 - a0) / sl;
      out[k++] = y0 + (y1 - y0) * (s0 - a0) / sl;
    }
    out[k++] = x0 + (x1 - x0) * (s1 - a0) / sl;
    out[k++] = y0 + (y1 - y0) * (s1 - a0) / sl;
  }
  return k / 2;
}

/* gap when (x, y) is at one of the places of s (within gap), else 0: only the ends of a line
 * at a marker are trimmed, not those where the seam cut it. */
static double end_gap(const ann_state *s, double x, double y, double gap)
{
  return hypot(x - s->x, y - s->y) <= gap || hypot(x - s->x2, y - s->y2) <= gap ? gap : 0;
}

void shoal_annot_draw_lines(struct shoal_labelstate *ls, cairo_t *cr)
{
  double gap = 4 * ls->env.view.scale;
  for (size_t i = 0; i < ls->nann; i++) {
    const ann_state *s = &ls->ann[i];
    const shoal_geom *g = &s->path;
    if (!s->ok || s->a->kind != SHOAL_ANNOT_DISTANCE || g->npts < 2)
      continue;
    double *t = malloc((g->npts + 1) * 2 * sizeof *t);
    cairo_save(cr);
    cairo_new_path(cr);
    for (size_t p = 0; t && p < g->nparts; p++) {
      const double *xy = g->xy + 2 * g->parts[p];
      size_t m = shoal_geom_part_len(g, p);
      if (m < 2)
        continue;
      double g0 = end_gap(s, xy[0], xy[1], gap), g1 = end_gap(s, xy[2 * m - 2], xy[2 * m - 1], gap);
      size_t n = trim_ends(xy, m, g0, g1, t);
      if (p > 0)
        cairo_new_sub_path(cr);
      for (size_t k = 0; k < n; k++)
        cairo_line_to(cr, t[2 * k], t[2 * k + 1]);
    }
    shoal_style_apply_stroke(cr, &s->a->style, ls->env.view.scale);
    shoal_svg_stroke(cr, false);
    cairo_restore(cr);
    free(t);
  }
}

void shoal_annot_draw_markers(struct shoal_labelstate *ls, cairo_t *cr)
{
  for (size_t i = 0; i < ls->nann; i++) {
    const ann_state *s = &ls->ann[i];
    if (!s->ok || s->a->kind != SHOAL_ANNOT_MARKER)
      continue;
    cairo_save(cr);
    shoal_marker_draw(cr, &s->a->style, s->x, s->y, ls->env.view.scale);
    cairo_restore(cr);
  }
}

/* ---- placement candidates -------------------------------------------------------------- */

static lp_item *text_item(struct shoal_labelstate *ls, const ann_state *s, lp_list *items,
                          lp_kind kind, const char *what)
{
  lp_item *it = shoal_lp_push(items);
  if (!it)
    return NULL;
  const shoal_annot *a = s->a;
  it->kind = kind;
  size_t tl = strlen(s->text) + 1;
  if ((it->text = malloc(tl)))
    memcpy(it->text, s->text, tl);
  it->tag = s->tag;
  shoal_lp_item_style(ls, &a->ts, it);
  if (kind == LP_CALLOUT)
    it->font.align = 0; /* a callout's wrapped lines read best ragged-right */
  it->prio = a->priority;
  it->x = s->x;
  it->y = s->y;
  it->what = what;
  it->loc = a->loc;
  return it->text ? it : NULL;
}

/* The longest part of g: where a label along it or at its middle goes. */
static size_t longest_part(const shoal_geom *g)
{
  size_t best = 0;
  double bl = -1;
  for (size_t p = 0; p < g->nparts; p++) {
    double l = shoal_path_length(g->xy + 2 * g->parts[p], shoal_geom_part_len(g, p));
    if (l > bl)
      bl = l, best = p;
  }
  return best;
}

/* The point half-way along a polyline of n points into (x, y); left alone when the line has
 * no length. */
static void line_middle(const double *xy, size_t n, double *x, double *y)
{
  double L = 0, acc = 0;
  for (size_t j = 1; j < n; j++)
    L += hypot(xy[2 * j] - xy[2 * j - 2], xy[2 * j + 1] - xy[2 * j - 1]);
  for (size_t j = 1; j < n; j++) {
    double sl = hypot(xy[2 * j] - xy[2 * j - 2], xy[2 * j + 1] - xy[2 * j - 1]);
    if (acc + sl >= L / 2 && sl > 0) {
      double u = (L / 2 - acc) / sl;
      *x = xy[2 * j - 2] + (xy[2 * j] - xy[2 * j - 2]) * u;
      *y = xy[2 * j - 1] + (xy[2 * j + 1] - xy[2 * j - 1]) * u;
      return;
    }
    acc += sl;
  }
}

bool shoal_annot_collect(struct shoal_labelstate *ls, shoal_collide *taken, lp_marks *marks,
                         lp_list *items)
{
  double k = ls->env.view.scale;
  for (size_t i = 0; i < ls->nann; i++) {
    const ann_state *s = &ls->ann[i];
    if (!s->ok)
      continue;
    if (s->a->kind == SHOAL_ANNOT_MARKER) {
      if (!shoal_lp_mark(marks, taken, s->x, s->y, shoal_lp_marker_radius(&s->a->style, k)))
        return false;
    } else if (s->a->kind == SHOAL_ANNOT_DISTANCE) {
      const shoal_geom *g = &s->path;
      for (size_t p = 0; p < g->nparts; p++)
        if (!shoal_lp_block_line(taken, g->xy + 2 * g->parts[p], shoal_geom_part_len(g, p),
                                 1.5 * k))
          return false;
    }
  }
  for (size_t i = 0; i < ls->nann; i++) {
    const ann_state *s = &ls->ann[i];
    const shoal_annot *a = s->a;
    if (!s->ok || !s->text || !*s->text)
      continue;
    lp_item *it = NULL;
    switch (a->kind) {
    case SHOAL_ANNOT_MARKER:
      if (!(it = text_item(ls, s, items, LP_POINT, "marker label")))
        return false;
      it->r = shoal_lp_marker_radius(&a->style, k);
      it->offset = a->offset * k;
      it->leaders = a->leaders;
      break;
    case SHOAL_ANNOT_CALLOUT:
      if (!(it = text_item(ls, s, items, LP_CALLOUT, "callout")))
        return false;
      it->position = a->position;
      it->has_anchor = a->has_anchor;
      it->ax = a->anchor[0] * k;
      it->ay = -a->anchor[1] * k; /* written with y north; device y runs down */
      it->dist = a->distance * k;
      it->gap = a->gap * k;
      it->pad = a->padding * k;
      it->box = &a->style;
      it->leader = a->leader;
      it->leader_width = a->leader_width;
      break;
    case SHOAL_ANNOT_AREA_LABEL:
      if (!(it = text_item(ls, s, items, LP_AREA, "area label")))
        return false;
      if (s->path.nparts) {
        size_t p = longest_part(&s->path), n = shoal_geom_part_len(&s->path, p);
        if (n >= 2) {
          if (!(it->path = malloc(n * 2 * sizeof *it->path)))
            return false;
          memcpy(it->path, s->path.xy + 2 * s->path.parts[p], n * 2 * sizeof *it->path);
          it->npath = n;
        }
      }
      break;
    case SHOAL_ANNOT_DISTANCE: {
      if (!(it = text_item(ls, s, items, LP_POINT, "distance label")))
        return false;
      /* Beside the middle of the line, which is already an obstacle. */
      if (s->path.nparts) {
        size_t p = longest_part(&s->path);
        line_middle(s->path.xy + 2 * s->path.parts[p], shoal_geom_part_len(&s->path, p), &it->x,
                    &it->y);
      }
      it->offset = 3 * k;
      it->leaders = true;
      break;
    }
    case SHOAL_ANNOT_HIGHLIGHT: break;
    }
  }
  return true;
}
