/* Legend built from the layers and rules that carry a `legend:` label, each with a true
 * swatch drawn by the same code as the map (dashes as dashes, hatching hatched, markers). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/expr.h"
#include "config/label_model.h"
#include "furniture/furn_priv.h"
#include "draw/render.h"
#include "geo/clip.h"
#include "layer/featattr.h"
#include "layer/layer.h"

#define MAX_ENTRIES 64

static const shoal_color text_col = {0x22 / 255.0, 0x22 / 255.0, 0x22 / 255.0, 1};
static const shoal_color head_col = {0x1a / 255.0, 0x1a / 255.0, 0x1a / 255.0, 1};
static const shoal_color box_fill = {1, 1, 1, 0.92};
static const shoal_color box_line = {0xc4 / 255.0, 0xc4 / 255.0, 0xc4 / 255.0, 1};
static const shoal_color none = {0, 0, 0, 0};

/* CSS px */
#define PAD 8.0
#define SW_W 30.0
#define SW_H 13.0
#define SW_GAP 8.0
#define ROW_GAP 5.0
#define TEXT_SIZE 11.0

typedef struct entry {
  const char *text;
  const shoal_style *st;
  shoal_geom_kind kind;
  char *owned; /* text with {count} expanded, or NULL; text points into it when set */
} entry;

/* True when g (device px) shows on the page: a point inside it, or some part of a line or
 * polygon left after clipping to it (tmp is scratch space). */
static bool in_view(const shoal_geom *g, const shoal_view *v, shoal_geom *tmp)
{
  const double page[4] = {0, 0, v->width, v->height};
  switch (g->kind) {
  case SHOAL_GEOM_LINE: return shoal_clip_lines(g, page, tmp) && tmp->npts > 0;
  case SHOAL_GEOM_POLYGON: return shoal_clip_polygon(g, page, tmp) && tmp->npts > 0;
  default:
    for (size_t i = 0; i < g->npts; i++) {
      double x = g->xy[2 * i], y = g->xy[2 * i + 1];
      if (x >= page[0] && y >= page[1] && x <= page[2] && y <= page[3])
        return true;
    }
    return false;
  }
}

/* How many features of sl's layer that show in the map are styled by st (the style of the first
 * rule whose filter matches); every drawn feature when st is NULL. Counted from the data, so a
 * legend never states a number typed into the style. */
static size_t count_styled(const shoal_layerctx *sl, const shoal_style *st)
{
  int *ids = NULL;
  size_t nids = 0, n = 0;
  if (shoal_layer_query(sl, 0, &ids, &nids) != SHOAL_OK)
    return 0;
  shoal_featattr fa;
  shoal_geom g, tmp;
  shoal_geom_init(&g, shoal_source_kind(sl->src));
  shoal_geom_init(&tmp, SHOAL_GEOM_NONE);
  if (shoal_featattr_init(&fa, sl->src)) {
    for (size_t i = 0; i < nids; i++) {
      shoal_featattr_set(&fa, ids[i]);
      const shoal_style *got = shoal_featattr_style(sl->layer, &fa);
      if (!got || (st && got != st))
        continue;
      if (shoal_layer_feature(sl, ids[i], &g) == SHOAL_OK && in_view(&g, sl->view, &tmp))
        n++;
    }
  }
  shoal_featattr_free(&fa);
  shoal_geom_free(&g);
  shoal_geom_free(&tmp);
  free(ids);
  return n;
}

/* The legend text with each "{count}" (or "{count:,}", with a number format in the map's
 * language) replaced by the number of features it stands for; NULL when the text has none (or
 * out of memory: the text is then shown as written). Caller frees. */
static char *expand_count(const char *text, const shoal_layerctx *sl, const shoal_style *st,
                          const char *lang)
{
  const char *end, *spec;
  size_t speclen, n = 0;
  for (const char *p = text; (p = shoal_numfmt_find_key(p, "count", &end, &spec, &speclen));)
    p = end, n++;
  if (!n)
    return NULL;
  size_t count = count_styled(sl, st), len = 0, cap = strlen(text) + 1 + n * 64;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  const char *p = text, *at;
  while ((at = shoal_numfmt_find_key(p, "count", &end, &spec, &speclen))) {
    memcpy(out + len, p, (size_t)(at - p));
    len += (size_t)(at - p);
    shoal_numfmt f;
    size_t bad;
    char num[64];
    /* A bad format was reported when the style was read. */
    if (!speclen || !shoal_numfmt_parse(spec, speclen, &f, &bad) ||
        !shoal_numfmt_format((double)count, &f, lang, num, sizeof num))
      snprintf(num, sizeof num, "%zu", count);
    memcpy(out + len, num, strlen(num));
    len += strlen(num);
    p = end;
  }
  memcpy(out + len, p, strlen(p) + 1);
  return out;
}

/* Entries in layer order: the layer's own legend, then its rules' legends. A repeated text is
 * listed once. */
static size_t collect(const struct shoal_furnstate *fs, entry *out)
{
  size_t n = 0;
  for (size_t i = 0; i < fs->env.nlayers; i++) {
    const shoal_layerctx *sl = &fs->env.layers[i];
    const shoal_layer *L = sl->layer;
    if (!L->visible || !sl->src)
      continue;
    shoal_geom_kind kind = shoal_source_kind(sl->src);
    for (size_t r = 0; r <= L->nrules && n < MAX_ENTRIES; r++) {
      const char *text;
      const shoal_style *st;
      if (r == 0) {
        text = L->legend;
        /* A layer styled only through its rules shows its first rule's look. */
        st = L->nrules ? &L->rules[0].style : &L->style;
      } else {
        text = L->rules[r - 1].legend;
        st = &L->rules[r - 1].style;
      }
      if (!text || !*text)
        continue;
      /* {count}: the layer's own entry counts every feature it draws, a rule's those it styles. */
      char *owned = expand_count(text, sl, r == 0 ? NULL : st, fs->env.map->lang);
      if (owned)
        text = owned;
      bool dup = false;
      for (size_t j = 0; j < n && !dup; j++)
        dup = strcmp(out[j].text, text) == 0;
      if (!dup)
        out[n++] = (entry){text, st, kind, owned};
      else
        free(owned);
    }
  }
  /* Highlighted areas and markers that carry a legend, after the layers, with their own fill,
   * hatch or marker. */
  const shoal_annots *an = fs->env.map->annots;
  for (size_t i = 0; an && i < an->n && n < MAX_ENTRIES; i++) {
    const shoal_annot *a = &an->v[i];
    bool marker = a->kind == SHOAL_ANNOT_MARKER;
    if ((a->kind != SHOAL_ANNOT_HIGHLIGHT && !marker) || !a->legend || !*a->legend)
      continue;
    bool dup = false;
    for (size_t j = 0; j < n && !dup; j++)
      dup = strcmp(out[j].text, a->legend) == 0;
    if (!dup)
      out[n++] =
          (entry){a->legend, &a->style, marker ? SHOAL_GEOM_POINT : SHOAL_GEOM_POLYGON, NULL};
  }
  return n;
}

static double marker_px(const shoal_style *st, double s)
{
  return (st->marker_size + ((st->set & SHOAL_STY_STROKE) ? st->stroke_width : 0)) * s;
}

typedef struct legend_layout {
  entry e[MAX_ENTRIES];
  shoal_text *t[MAX_ENTRIES];
  double row_h[MAX_ENTRIES], sw_h[MAX_ENTRIES], first_h[MAX_ENTRIES];
  size_t n;
  shoal_text *head;
  double head_h, sw_w, w, h;
} legend_layout;

static void free_layout(legend_layout *l)
{
  for (size_t i = 0; i < l->n; i++) {
    shoal_text_free(l->t[i]);
    free(l->e[i].owned);
  }
  shoal_text_free(l->head);
}

static bool build(const struct shoal_furnstate *fs, legend_layout *l)
{
  const shoal_furnspec *f = fs->env.map->furn;
  double s = fs->env.view.scale;
  memset(l, 0, sizeof *l);
  l->n = collect(fs, l->e);
  if (l->n == 0)
    return false;
  /* Swatches widen for big markers so every row's swatch column lines up. */
  l->sw_w = SW_W * s;
  for (size_t i = 0; i < l->n; i++)
    if (l->e[i].kind == SHOAL_GEOM_POINT && marker_px(l->e[i].st, s) + 4 * s > l->sw_w)
      l->sw_w = marker_px(l->e[i].st, s) + 4 * s;
  double text_max = f->legend.max_width - 2 * PAD - l->sw_w / s - SW_GAP;
  if (text_max < 40)
    text_max = 40;
  double wmax = 0, y = 0;
  if (f->legend.title && *f->legend.title) {
    l->head =
        shoal_furn_text(fs, f->legend.title, TEXT_SIZE + 0.5, 700, f->legend.max_width - 2 * PAD);
    double hw = 0;
    if (l->head)
      shoal_text_size(l->head, &hw, &l->head_h, NULL);
    wmax = hw;
    y = l->head_h + ROW_GAP * s;
  }
  for (size_t i = 0; i < l->n; i++) {
    l->t[i] = shoal_furn_text(fs, l->e[i].text, TEXT_SIZE, 400, text_max);
    double tw = 0, th = 0;
    if (l->t[i])
      shoal_text_size(l->t[i], &tw, &th, NULL);
    double sh = SW_H * s;
    if (l->e[i].kind == SHOAL_GEOM_POINT && marker_px(l->e[i].st, s) + 2 * s > sh)
      sh = marker_px(l->e[i].st, s) + 2 * s;
    /* The swatch is centred on the first line of text; wrapped lines hang below it. Noto's
     * line height is 1.362 em. */
    double first = TEXT_SIZE * s * 1.362;
    if (first > th)
      first = th;
    double top = (first > sh ? first : sh);
    double text_bottom = (top - first) / 2 + th;
    l->sw_h[i] = sh;
    l->first_h[i] = first;
    l->row_h[i] = text_bottom > top ? text_bottom : top;
    double rw = l->sw_w + SW_GAP * s + tw;
    if (rw > wmax)
      wmax = rw;
    y += l->row_h[i] + (i + 1 < l->n ? ROW_GAP * s : 0);
  }
  l->w = wmax + 2 * PAD * s;
  l->h = y + 2 * PAD * s;
  return true;
}

bool shoal_legend_measure(const struct shoal_furnstate *fs, double *w, double *h)
{
  legend_layout *l = malloc(sizeof *l);
  if (!l)
    return false;
  bool ok = build(fs, l);
  if (ok) {
    *w = l->w;
    *h = l->h;
  }
  free_layout(l);
  free(l);
  return ok;
}

/* The swatch is drawn with the map's own painters, so it looks like the features it stands for. */
static void swatch(cairo_t *cr, const entry *e, double x, double y, double w, double h, double s)
{
  cairo_save(cr);
  cairo_new_path(cr);
  switch (e->kind) {
  case SHOAL_GEOM_POINT: shoal_marker_draw(cr, e->st, x + w / 2, y + h / 2, s); break;
  case SHOAL_GEOM_LINE:
    if ((e->st->set & SHOAL_STY_STROKE) && e->st->stroke.a > 0) {
      shoal_style_apply_stroke(cr, e->st, s);
      double lw = cairo_get_line_width(cr);
      if (lw > h)
        cairo_set_line_width(cr, h);
      double inset = e->st->cap == SHOAL_CAP_BUTT ? 0 : lw / 2;
      cairo_move_to(cr, x + inset, y + h / 2);
      cairo_line_to(cr, x + w - inset, y + h / 2);
      shoal_svg_stroke(cr, false);
    }
    break;
  default: {
    /* Inset by half the outline so the stroke stays inside the swatch cell. */
    double lw = (e->st->set & SHOAL_STY_STROKE) ? e->st->stroke_width * s / 2 : 0;
    double sh = h * 0.95;
    cairo_rectangle(cr, x + lw, y + (h - sh) / 2 + lw, w - 2 * lw, sh - 2 * lw);
    shoal_polygon_paint(cr, e->st, s);
    break;
  }
  }
  cairo_restore(cr);
}

void shoal_legend_draw(const struct shoal_furnstate *fs, cairo_t *cr, double x, double y)
{
  legend_layout *l = malloc(sizeof *l);
  if (!l)
    return;
  if (!build(fs, l)) {
    free_layout(l);
    free(l);
    return;
  }
  double s = fs->env.view.scale;
  cairo_save(cr);
  cairo_rectangle(cr, x, y, l->w, l->h);
  cairo_set_source_rgba(cr, box_fill.r, box_fill.g, box_fill.b, box_fill.a);
  shoal_svg_fill(cr, true);
  cairo_set_source_rgba(cr, box_line.r, box_line.g, box_line.b, box_line.a);
  cairo_set_line_width(cr, 0.6 * s);
  cairo_set_dash(cr, NULL, 0, 0);
  shoal_svg_stroke(cr, false);
  cairo_restore(cr);
  double cx = x + PAD * s, cy = y + PAD * s;
  if (l->head) {
    shoal_text_draw(cr, l->head, cx, cy, head_col, none, 0);
    cy += l->head_h + ROW_GAP * s;
  }
  for (size_t i = 0; i < l->n; i++) {
    double sh = l->sw_h[i], first = l->first_h[i];
    double mid = cy + (first > sh ? first : sh) / 2;
    swatch(cr, &l->e[i], cx, mid - sh / 2, l->sw_w, sh, s);
    if (l->t[i])
      shoal_text_draw(cr, l->t[i], cx + l->sw_w + SW_GAP * s, mid - first / 2, text_col, none, 0);
    cy += l->row_h[i] + ROW_GAP * s;
  }
  free_layout(l);
  free(l);
}
