/* Label candidates from the layers: each visible layer's features in view (through layer/),
 * their markers as obstacles, their texts as items with an anchor or a path; and the boxes
 * along label-obstacle lines, by feature. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "geo/clip.h"
#include "label/label_priv.h"
#include "layer/featattr.h"
#include "layer/layer.h"

/* Most features one line label may be made of. */
#define MAX_OWN_IDS ((size_t)1 << 26)

/* A point inside the biggest ring of a clipped polygon: its centroid when that is inside,
 * else the middle of the widest inside span on the centroid's row. */
static bool rep_point(const shoal_geom *g, double *px, double *py)
{
  size_t best = SIZE_MAX;
  double ba = 0;
  for (size_t p = 0; p < g->nparts; p++) {
    double a = fabs(shoal_geom_ring_area2(g, p));
    if (shoal_geom_part_len(g, p) >= 3 && a > ba)
      ba = a, best = p;
  }
  if (best == SIZE_MAX)
    return false;
  size_t a0 = g->parts[best], a1 = g->parts[best + 1];
  double cx = 0, cy = 0, A = 0;
  for (size_t i = a0; i < a1; i++) {
    size_t j = i + 1 < a1 ? i + 1 : a0;
    double x0 = g->xy[2 * i], y0 = g->xy[2 * i + 1], x1 = g->xy[2 * j], y1 = g->xy[2 * j + 1];
    double c = x0 * y1 - x1 * y0;
    A += c;
    cx += (x0 + x1) * c;
    cy += (y0 + y1) * c;
  }
  if (A == 0)
    return false;
  cx /= 3 * A;
  cy /= 3 * A;
  /* Crossings of the row y = cy with every ring (even-odd, as drawn). */
  double xs[256];
  size_t nx = 0;
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p]; i < g->parts[p + 1] && nx < 256; i++) {
      size_t j = i + 1 < g->parts[p + 1] ? i + 1 : g->parts[p];
      double y0 = g->xy[2 * i + 1], y1 = g->xy[2 * j + 1];
      if ((y0 <= cy) != (y1 <= cy)) {
        double x0 = g->xy[2 * i], x1 = g->xy[2 * j];
        xs[nx++] = x0 + (cy - y0) / (y1 - y0) * (x1 - x0);
      }
    }
  for (size_t i = 1; i < nx; i++) /* insertion sort: a handful of crossings */
    for (size_t k = i; k > 0 && xs[k - 1] > xs[k]; k--) {
      double t = xs[k];
      xs[k] = xs[k - 1];
      xs[k - 1] = t;
    }
  double bw = -1;
  *px = cx;
  *py = cy;
  for (size_t i = 0; i + 1 < nx; i += 2) {
    if (cx >= xs[i] && cx <= xs[i + 1])
      return true;
    if (xs[i + 1] - xs[i] > bw) {
      bw = xs[i + 1] - xs[i];
      *px = (xs[i] + xs[i + 1]) / 2;
    }
  }
  return true;
}

/* Longest part of a line geometry, copied (caller frees). */
static double *longest_part(const shoal_geom *g, size_t *n, double *len)
{
  size_t best = SIZE_MAX;
  double bl = 0;
  for (size_t p = 0; p < g->nparts; p++) {
    double L = 0;
    for (size_t i = g->parts[p] + 1; i < g->parts[p + 1]; i++)
      L += hypot(g->xy[2 * i] - g->xy[2 * i - 2], g->xy[2 * i + 1] - g->xy[2 * i - 1]);
    if (L > bl)
      bl = L, best = p;
  }
  if (best == SIZE_MAX)
    return NULL;
  *n = shoal_geom_part_len(g, best);
  *len = bl;
  double *xy = malloc(*n * 2 * sizeof *xy);
  if (xy)
    memcpy(xy, g->xy + 2 * g->parts[best], *n * 2 * sizeof *xy);
  return xy;
}

typedef struct collect {
  struct shoal_labelstate *ls;
  shoal_collide *taken;
  lp_marks *marks;
  lp_list *items;
  shoal_geom g, c;
  shoal_featattr fa;
} collect;

void shoal_lp_item_style(const struct shoal_labelstate *ls, const shoal_textstyle *ts, lp_item *it)
{
  it->font = (shoal_font){.family = ts->font ? ts->font : ls->env.map->font,
                          .size = ts->size,
                          .weight = ts->weight,
                          .italic = ts->italic,
                          .letter_spacing = ts->letter_spacing,
                          .upper = ts->upper,
                          .max_width = ts->wrap,
                          .align = 1};
  it->color = ts->color;
  it->halo = ts->halo_set ? ts->halo : ls->env.map->background;
  it->halo_width = ts->halo_width;
}

/* Label text of the current feature and the language it is in. NULL when it has none: all
 * its substitutions are empty. A text without substitutions labels every feature. */
static char *feature_text(const lbl_layer *ll, shoal_featattr *fa, const char **tag)
{
  if (!ll->tpl || (!ll->literal && !shoal_template_has_value(ll->tpl, shoal_featattr_get, fa)))
    return NULL;
  *tag = ll->tag;
  for (size_t i = 0; ll->names && i < ll->nchain; i++) {
    char buf[8];
    const char *v = shoal_featattr_get(fa, ll->chain[i], buf, sizeof buf);
    if (v && *v) {
      *tag = ll->tags[i];
      break;
    }
  }
  char *t = shoal_template_expand(ll->tpl, shoal_featattr_get, fa);
  if (t)
    *tag = shoal_lp_tag_for(t, *tag);
  return t;
}

/* A copy of a line smoothed for text along it (tolerance a quarter of the font size), so
 * small wiggles do not make the text turn. Caller frees. */
static double *smooth_copy(const double *xy, size_t n, size_t *nout, double em)
{
  double *c = malloc(n * 2 * sizeof *c);
  if (!c)
    return NULL;
  memcpy(c, xy, n * 2 * sizeof *c);
  *nout = shoal_simplify(c, n, em * 0.25, false);
  return c;
}

/* Line labels: one per distinct text per layer, on the longest visible stretch. */
static lp_item *find_text(lp_list *l, size_t from, const char *text)
{
  for (size_t i = from; i < l->n; i++)
    if (l->v[i].kind == LP_LINE && strcmp(l->v[i].text, text) == 0)
      return &l->v[i];
  return NULL;
}

/* Add a feature's shape id to the ones an item's own line is made of. */
static bool own_id(lp_item *it, int id)
{
  if (!SHOAL_GROW(&it->own_ids, &it->cap_own_ids, it->nown_ids + 1, 4, MAX_OWN_IDS))
    return false;
  it->own_ids[it->nown_ids++] = id;
  return true;
}

/* The point half-way along a polyline of length plen. */
static void path_middle(const double *path, size_t npath, double plen, double *x, double *y)
{
  double acc = 0;
  for (size_t k = 1; k < npath; k++) {
    double sl = hypot(path[2 * k] - path[2 * k - 2], path[2 * k + 1] - path[2 * k - 1]);
    if (acc + sl >= plen / 2) {
      double u = sl > 0 ? (plen / 2 - acc) / sl : 0;
      *x = path[2 * k - 2] + (path[2 * k] - path[2 * k - 2]) * u;
      *y = path[2 * k - 1] + (path[2 * k + 1] - path[2 * k - 1]) * u;
      return;
    }
    acc += sl;
  }
}

/* Where a feature's label goes: an anchor (x, y; HUGE_VAL when none) or, for text along a
 * line, the longest stretch on the page (path, owned; NULL when none). */
typedef struct anchor {
  double x, y;
  double *path;
  size_t npath;
  double plen;
} anchor;

static void feature_anchor(collect *cx, const lbl_layer *ll, anchor *an)
{
  const shoal_view *v = &cx->ls->env.view;
  shoal_geom *g = &cx->g;
  double page[4] = {0, 0, v->width, v->height};
  *an = (anchor){HUGE_VAL, HUGE_VAL, NULL, 0, 0};
  if (g->kind == SHOAL_GEOM_POINT) {
    for (size_t p = 0; p < g->npts && an->x == HUGE_VAL; p++)
      if (g->xy[2 * p] >= 0 && g->xy[2 * p] <= v->width && g->xy[2 * p + 1] >= 0 &&
          g->xy[2 * p + 1] <= v->height)
        an->x = g->xy[2 * p], an->y = g->xy[2 * p + 1];
  } else if (ll->placement == SHOAL_LABEL_LINE || g->kind == SHOAL_GEOM_LINE) {
    shoal_clip_lines(g, page, &cx->c);
    an->path = longest_part(&cx->c, &an->npath, &an->plen);
    if (an->path && ll->placement != SHOAL_LABEL_LINE) {
      path_middle(an->path, an->npath, an->plen, &an->x, &an->y);
      free(an->path);
      an->path = NULL;
    }
  } else {
    shoal_clip_polygon(g, page, &cx->c);
    if (!rep_point(&cx->c, &an->x, &an->y))
      an->x = HUGE_VAL;
  }
}

/* Fill a new item for feature id of ll's layer at an (its path is taken over). False when
 * out of memory. */
static bool fill_item(collect *cx, const lbl_layer *ll, lp_item *it, anchor *an, bool as_line,
                      int id, double r)
{
  const shoal_view *v = &cx->ls->env.view;
  const shoal_labelspec *spec = ll->spec;
  shoal_lp_item_style(cx->ls, &spec->ts, it);
  it->prio = spec->priority;
  it->offset = spec->offset * v->scale;
  it->leaders = spec->leaders;
  it->what = "label";
  it->owner = ll->sl->layer->name;
  it->loc = spec->loc;
  if (!as_line) {
    it->kind = ll->placement == SHOAL_LABEL_AREA ? LP_AREA : LP_POINT;
    it->x = an->x;
    it->y = an->y;
    it->r = it->kind == LP_POINT ? r : 0;
    return true;
  }
  it->kind = LP_LINE;
  it->font.max_width = 0; /* text along a line is one line */
  if (it->offset > 0)     /* from the edge of the stroke */
    it->offset += ll->sl->layer->style.stroke_width / 2 * v->scale;
  it->path = smooth_copy(an->path, an->npath, &it->npath, spec->ts.size * v->scale);
  free(an->path);
  an->path = NULL;
  it->len = an->plen;
  /* The line is in the collision index already (scene.c, block_lines): the label must
   * not take its own line for an obstacle (see shoal_lp_collect_lines). */
  if (ll->sl->layer->label_obstacle) {
    it->own_layer = (int)(ll->sl - cx->ls->env.layers) + 1;
    if (!own_id(it, id))
      return false;
  }
  return it->path != NULL;
}

static bool add_feature_item(collect *cx, const lbl_layer *ll, size_t first, int id, double r)
{
  const shoal_view *v = &cx->ls->env.view;
  const char *tag = NULL;
  char *text = feature_text(ll, &cx->fa, &tag);
  if (!text)
    return true;
  if (!*text) {
    free(text);
    return true;
  }
  anchor an;
  feature_anchor(cx, ll, &an);
  bool as_line = ll->placement == SHOAL_LABEL_LINE && cx->g.kind != SHOAL_GEOM_POINT;
  if ((as_line && !an.path) || (!as_line && an.x == HUGE_VAL)) {
    free(text);
    free(an.path);
    return true;
  }
  if (as_line) {
    lp_item *same = find_text(cx->items, first, text);
    if (same) {
      if (an.plen > same->len) {
        free(same->path);
        same->path = smooth_copy(an.path, an.npath, &same->npath, same->font.size * v->scale);
        same->len = an.plen;
      }
      free(an.path);
      free(text);
      return same->path != NULL && (!same->own_layer || own_id(same, id));
    }
  }
  lp_item *it = shoal_lp_push(cx->items);
  if (!it) {
    free(text);
    free(an.path);
    return false;
  }
  it->text = text;
  it->tag = tag;
  it->feat_id = id + 1;
  return fill_item(cx, ll, it, &an, as_line, id, r);
}

/* Markers of a point layer become obstacles; features of a labelled layer become items. */
static shoal_status collect_layer(collect *cx, const shoal_layerctx *sl, const lbl_layer *ll,
                                  shoal_diag *d)
{
  const shoal_view *v = &cx->ls->env.view;
  shoal_source *src = sl->src;
  bool points = shoal_source_kind(src) == SHOAL_GEOM_POINT;
  if (!points && !ll)
    return SHOAL_OK;
  /* The view itself, not the drawing's margin: a label's anchor must be on the page. */
  int *ids = NULL;
  size_t nids = 0;
  shoal_status st = shoal_layer_query(sl, 0, &ids, &nids);
  if (st != SHOAL_OK) {
    shoal_source_read_error(src, -1, st, d);
    return st;
  }
  if (!shoal_featattr_init(&cx->fa, src)) {
    free(ids);
    shoal_featattr_free(&cx->fa);
    return SHOAL_ERR_NOMEM;
  }
  size_t first = cx->items->n;
  for (size_t i = 0; i < nids && st == SHOAL_OK; i++) {
    shoal_featattr_set(&cx->fa, ids[i]);
    const shoal_style *sty = shoal_featattr_style(sl->layer, &cx->fa);
    bool labelled =
        ll && ll->tpl &&
        (!ll->spec->filter || shoal_expr_eval(ll->spec->filter, shoal_featattr_get, &cx->fa));
    double r = points ? shoal_lp_marker_radius(sty, v->scale) : 0;
    if (r <= 0 && !labelled)
      continue;
    st = shoal_layer_feature(sl, ids[i], &cx->g);
    if (st != SHOAL_OK) {
      shoal_source_read_error(src, ids[i], st, d);
      break;
    }
    if (cx->g.npts == 0)
      continue;
    for (size_t p = 0; r > 0 && p < cx->g.npts && st == SHOAL_OK; p++)
      if (!shoal_lp_mark(cx->marks, cx->taken, cx->g.xy[2 * p], cx->g.xy[2 * p + 1], r))
        st = SHOAL_ERR_NOMEM;
    if (labelled && st == SHOAL_OK && !add_feature_item(cx, ll, first, ids[i], r))
      st = SHOAL_ERR_NOMEM;
  }
  if (st == SHOAL_OK && shoal_featattr_report(&cx->fa, d))
    st = SHOAL_ERR_DATA;
  shoal_featattr_free(&cx->fa);
  free(ids);
  return st;
}

/* The boxes scene.c put along the lines of label-obstacle layers, by feature, when some
 * label follows such a line: from the same prepared geometry, in the same way. */
shoal_status shoal_lp_collect_lines(struct shoal_labelstate *ls, lp_lines *L, shoal_diag *d)
{
  const shoal_view *v = &ls->env.view;
  bool need = false;
  for (size_t k = 0; k < ls->nlayers; k++)
    need |= ls->layers[k].tpl && ls->layers[k].placement == SHOAL_LABEL_LINE &&
            ls->layers[k].sl->layer->label_obstacle && ls->layers[k].sl->layer->visible;
  if (!need)
    return SHOAL_OK;
  for (size_t i = 0; i < ls->env.nlayers; i++) {
    const shoal_layerctx *sl = &ls->env.layers[i];
    if (!sl->layer->visible || !sl->layer->label_obstacle)
      continue;
    const shoal_layergeo *lg = NULL;
    shoal_layergeo *own = NULL;
    shoal_status st = shoal_layer_geom(sl, d, &lg, &own);
    if (st != SHOAL_OK) {
      shoal_layergeo_free(own);
      return st;
    }
    double w = (sl->layer->style.stroke_width / 2 + 1) * v->scale, step = 6 * v->scale;
    const shoal_geom *g = &lg->g;
    for (size_t f = 0; f < lg->nfeat && st == SHOAL_OK; f++)
      for (size_t p = lg->first_part[f]; p < lg->first_part[f + 1]; p++)
        for (size_t j = g->parts[p] + 1; j < g->parts[p + 1] && st == SHOAL_OK; j++)
          if (!shoal_lp_lines_segment(L, g->xy[2 * j - 2], g->xy[2 * j - 1], g->xy[2 * j],
                                      g->xy[2 * j + 1], w, step, (int)i + 1, lg->ids[f]))
            st = SHOAL_ERR_NOMEM;
    shoal_layergeo_free(own);
    if (st != SHOAL_OK)
      return st;
  }
  return shoal_lp_lines_index(L, v->width, v->height, 32 * v->scale) ? SHOAL_OK : SHOAL_ERR_NOMEM;
}

shoal_status shoal_lp_collect_layers(struct shoal_labelstate *ls, shoal_collide *taken,
                                     lp_marks *marks, lp_list *items, shoal_diag *d)
{
  collect cx = {.ls = ls, .taken = taken, .marks = marks, .items = items};
  shoal_geom_init(&cx.g, SHOAL_GEOM_NONE);
  shoal_geom_init(&cx.c, SHOAL_GEOM_NONE);
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; i < ls->env.nlayers && st == SHOAL_OK; i++) {
    const shoal_layerctx *sl = &ls->env.layers[i];
    if (!sl->layer->visible)
      continue;
    const lbl_layer *ll = NULL;
    for (size_t k = 0; k < ls->nlayers; k++)
      if (ls->layers[k].sl == sl)
        ll = &ls->layers[k];
    st = collect_layer(&cx, sl, ll, d);
  }
  shoal_geom_free(&cx.g);
  shoal_geom_free(&cx.c);
  return st;
}
