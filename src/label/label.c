/* Labels: binding each layer's label template to its fields through the language chain,
 * collecting candidates from the features in view, running the placement pass with the
 * annotations, and reporting labels that found no room. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label/label.h"
#include "label/label_priv.h"
#include "draw/render.h"
#include "layer/layer.h"
#include "geo/clip.h"

#define MAX_CHAIN (SHOAL_MAX_FALLBACK + 1)

typedef struct lbl_layer {
  const shoal_labelspec *spec;
  const shoal_layerctx *sl;
  shoal_template *tpl;
  bool names;           /* the template uses {name_*} */
  bool literal;         /* the template substitutes no field: every feature gets its text */
  int chain[MAX_CHAIN]; /* name fields present in the data, in the order tried */
  const char *tags[MAX_CHAIN];
  size_t nchain;
  const char *tag; /* when no name field decides */
  shoal_label_placement placement;
} lbl_layer;

/* ---- languages ------------------------------------------------------------------------- */

/* Pango tag for a language code: the table's, or the code itself when some layer has a
 * name_<code> field for it. NULL when the code means nothing here. */
static const char *lang_tag(const struct shoal_labelstate *ls, const char *code)
{
  const shoal_lang_info *li = shoal_lang_find(code);
  if (li)
    return li->tag;
  char f[64];
  if (!shoal_lang_field(code, f, sizeof f))
    return NULL;
  for (size_t i = 0; i < ls->env.nlayers; i++)
    if (shoal_source_field_index(ls->env.layers[i].src, f) >= 0)
      return code;
  return NULL;
}

static void report_lang(const struct shoal_labelstate *ls, shoal_diag *d, const char *code,
                        shoal_loc loc)
{
  const char *cands[128];
  size_t nc = 0;
  size_t nt;
  const shoal_lang_info *t = shoal_lang_table(&nt);
  for (size_t i = 0; i < nt && nc < 64; i++)
    cands[nc++] = t[i].code;
  for (size_t i = 0; i < ls->env.nlayers; i++)
    for (int f = 0; f < shoal_source_nfields(ls->env.layers[i].src) && nc < 128; f++) {
      const char *name = shoal_source_field(ls->env.layers[i].src, f)->name;
      if (strncmp(name, "name_", 5) == 0 && name[5])
        cands[nc++] = name + 5;
    }
  const char *s = shoal_suggest(code, cands, nc);
  if (s)
    shoal_diag_error(d, SHOAL_ERR_DATA, loc.file, loc.line, loc.col,
                     "unknown language '%s' (did you mean '%s'?)", code, s);
  else
    shoal_diag_error(d, SHOAL_ERR_DATA, loc.file, loc.line, loc.col,
                     "unknown language '%s' (known: en, zh, zh-Latn, vi, fil, ms, id; or give "
                     "the data a name_%s field)",
                     code, code);
}

/* ---- preparing layers ------------------------------------------------------------------ */

static int lookup_field(void *ctx, const char *name) { return shoal_source_field_index(ctx, name); }

static void report_field(shoal_diag *d, shoal_source *src, const char *what, const char *name,
                         shoal_loc loc, int col)
{
  const char *cands[256];
  size_t nc = 0;
  for (int f = 0; f < shoal_source_nfields(src) && nc < 256; f++)
    cands[nc++] = shoal_source_field(src, f)->name;
  const char *s = shoal_suggest(name, cands, nc);
  if (s)
    shoal_diag_error(d, SHOAL_ERR_DATA, loc.file, loc.line, col,
                     "%s field '%s' is not in '%s' (did you mean '%s'?)", what, name,
                     shoal_source_path(src), s);
  else
    shoal_diag_error(d, SHOAL_ERR_DATA, loc.file, loc.line, col, "%s field '%s' is not in '%s'",
                     what, name, shoal_source_path(src));
}

/* Column (1-based, in characters) of "name_*" in a template, for messages. */
static int names_col(const char *text)
{
  const char *p = strstr(text, "name_*");
  int col = 1;
  for (const char *q = text; p && q < p; q++)
    col += ((unsigned char)*q & 0xC0) != 0x80;
  return col;
}

void shoal_lp_check_font(struct shoal_labelstate *ls, const shoal_textstyle *ts, shoal_diag *d)
{
  if (!ts->font || shoal_text_has_family(ls->tc, ts->font))
    return;
  static const char *const known[] = {"Noto Sans",         "Noto Serif",        "Noto Sans Mono",
                                      "Noto Sans CJK SC",  "Noto Serif CJK SC", "Noto Sans Display",
                                      "Noto Serif Display"};
  const char *cands[8];
  size_t nc = 0;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (shoal_text_has_family(ls->tc, known[i]))
      cands[nc++] = known[i];
  const char *s = shoal_suggest(ts->font, cands, nc);
  shoal_loc l = ts->font_loc;
  if (s)
    shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, l.col,
                     "unknown font '%s' (did you mean '%s'?)", ts->font, s);
  else
    shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, l.col,
                     "unknown font '%s' (fontconfig has no such family; try 'Noto Sans')",
                     ts->font);
}

/* The language chain of a layer: its lang (or the map's) then the fallbacks, keeping the
 * ones whose name field the data has. */
static void build_chain(const struct shoal_labelstate *ls, lbl_layer *ll, shoal_diag *d)
{
  const shoal_labelspec *spec = ll->spec;
  const shoal_map *m = ls->env.map;
  const char *codes[MAX_CHAIN];
  shoal_loc locs[MAX_CHAIN];
  size_t n = 0;
  codes[n] = spec->lang ? spec->lang : m->lang;
  locs[n++] = spec->lang ? spec->lang_loc : m->lang_loc;
  for (size_t i = 0; i < spec->nfallback && n < MAX_CHAIN; i++) {
    codes[n] = spec->fallback[i];
    locs[n++] = spec->fallback_loc[i];
  }
  for (size_t i = 0; i < n; i++) {
    const char *tag = lang_tag(ls, codes[i]);
    if (!tag) {
      if (i > 0 || spec->lang) /* the map's own lang is reported once, by the caller */
        report_lang(ls, d, codes[i], locs[i]);
      continue;
    }
    char f[64];
    if (!shoal_lang_field(codes[i], f, sizeof f))
      continue;
    int idx = shoal_source_field_index(ll->sl->src, f);
    bool dup = false;
    for (size_t k = 0; k < ll->nchain; k++)
      dup |= ll->chain[k] == idx;
    if (i == 0)
      ll->tag = tag;
    if (idx < 0 || dup)
      continue;
    ll->chain[ll->nchain] = idx;
    ll->tags[ll->nchain++] = tag;
  }
}

/* Whether a template substitutes a field: a '{' that is not the escape "{{". */
static bool has_field(const char *tpl)
{
  for (const char *q = tpl; *q; q++) {
    if (q[0] == '{' && q[1] == '{')
      q++;
    else if (q[0] == '{')
      return true;
  }
  return false;
}

static void prepare_layer(struct shoal_labelstate *ls, const shoal_layerctx *sl, lbl_layer *ll,
                          shoal_diag *d)
{
  const shoal_labelspec *spec = sl->layer->label;
  shoal_source *src = sl->src;
  ll->spec = spec;
  ll->sl = sl;
  ll->tag = ls->map_tag;
  build_chain(ls, ll, d);
  shoal_lp_check_font(ls, &spec->ts, d);
  ll->placement = spec->placement;
  if (ll->placement == SHOAL_LABEL_AUTO) {
    shoal_geom_kind k = shoal_source_kind(src);
    ll->placement = k == SHOAL_GEOM_LINE      ? SHOAL_LABEL_LINE
                    : k == SHOAL_GEOM_POLYGON ? SHOAL_LABEL_AREA
                                              : SHOAL_LABEL_POINT;
  }
  if (spec->filter) {
    const char *missing = NULL;
    int col = 0;
    if (!shoal_expr_bind(spec->filter, lookup_field, src, &missing, &col))
      report_field(d, src, "label filter", missing, spec->filter_loc,
                   spec->filter_loc.col + (col > 0 ? col - 1 : 0));
  }
  if (!spec->text)
    return;
  ll->names = shoal_label_uses_names(spec->text);
  if (ll->names && ll->nchain == 0) {
    /* Name the fields looked for, so the fix (another lang, or a fallback) is plain. */
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i <= spec->nfallback && used < sizeof list; i++) {
      const char *code =
          i == 0 ? (spec->lang ? spec->lang : ls->env.map->lang) : spec->fallback[i - 1];
      char f[64];
      if (shoal_lang_field(code, f, sizeof f))
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", f);
    }
    shoal_diag_error(d, SHOAL_ERR_DATA, spec->text_loc.file, spec->text_loc.line,
                     spec->text_loc.col + names_col(spec->text) - 1,
                     "'%s' has none of the name fields {name_*} stands for here (%s)",
                     shoal_source_path(src), list);
    return;
  }
  const char *fields[MAX_CHAIN];
  for (size_t i = 0; i < ll->nchain; i++)
    fields[i] = shoal_source_field(src, ll->chain[i])->name;
  size_t *map = NULL;
  char *x = shoal_label_expand_names(spec->text, fields, ll->nchain, &map);
  if (!x) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return;
  }
  ll->literal = !has_field(x);
  char err[256];
  int col = 0;
  ll->tpl = shoal_template_parse(x, err, sizeof err, &col);
  const char *missing = NULL;
  if (ll->tpl && !shoal_template_bind(ll->tpl, lookup_field, src, &missing, &col)) {
    report_field(d, src, "label template", missing, spec->text_loc,
                 spec->text_loc.col + (col > 0 ? (int)map[col - 1] : 0));
    shoal_template_free(ll->tpl);
    ll->tpl = NULL;
  }
  free(x);
  free(map);
}

shoal_status shoal_labels_prepare(const shoal_labelenv *env, shoal_diag *d, shoal_labelstate **out)
{
  size_t before = shoal_diag_nerrors(d);
  *out = NULL;
  struct shoal_labelstate *ls = calloc(1, sizeof *ls);
  if (!ls || !(ls->tc = shoal_textctx_new(env->view.scale))) {
    free(ls);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  *out = ls;
  ls->env = *env;
  const shoal_map *m = ls->env.map;
  ls->map_tag = lang_tag(ls, m->lang);
  if (!ls->map_tag) {
    report_lang(ls, d, m->lang, m->lang_loc);
    ls->map_tag = "en";
  }
  ls->layers = calloc(ls->env.nlayers ? ls->env.nlayers : 1, sizeof *ls->layers);
  if (!ls->layers)
    return SHOAL_ERR_NOMEM;
  for (size_t i = 0; i < ls->env.nlayers; i++)
    if (ls->env.layers[i].layer->label)
      prepare_layer(ls, &ls->env.layers[i], &ls->layers[ls->nlayers++], d);
  shoal_status st = shoal_annot_prepare(ls, d);
  if (st != SHOAL_OK)
    return st;
  return shoal_diag_nerrors(d) > before ? shoal_diag_status(d) : SHOAL_OK;
}

void shoal_labels_free(struct shoal_labelstate *ls)
{
  if (!ls)
    return;
  for (size_t i = 0; i < ls->nlayers; i++)
    shoal_template_free(ls->layers[i].tpl);
  free(ls->layers);
  shoal_annot_free(ls);
  shoal_textctx_free(ls->tc);
  free(ls);
}

/* ---- collecting layer features --------------------------------------------------------- */

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
  lp_marks marks;
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
  int *n = realloc(it->own_ids, (it->nown_ids + 1) * sizeof *n);
  if (!n)
    return false;
  it->own_ids = n;
  it->own_ids[it->nown_ids++] = id;
  return true;
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
  shoal_geom *g = &cx->g;
  double page[4] = {0, 0, v->width, v->height};
  double x = HUGE_VAL, y = HUGE_VAL, *path = NULL, plen = 0;
  size_t npath = 0;
  if (g->kind == SHOAL_GEOM_POINT) {
    for (size_t p = 0; p < g->npts && x == HUGE_VAL; p++)
      if (g->xy[2 * p] >= 0 && g->xy[2 * p] <= v->width && g->xy[2 * p + 1] >= 0 &&
          g->xy[2 * p + 1] <= v->height)
        x = g->xy[2 * p], y = g->xy[2 * p + 1];
  } else if (ll->placement == SHOAL_LABEL_LINE || g->kind == SHOAL_GEOM_LINE) {
    shoal_clip_lines(g, page, &cx->c);
    path = longest_part(&cx->c, &npath, &plen);
    if (path && ll->placement != SHOAL_LABEL_LINE) {
      size_t k = 0;
      double acc = 0;
      for (k = 1; k < npath; k++) { /* middle of the stretch */
        double sl = hypot(path[2 * k] - path[2 * k - 2], path[2 * k + 1] - path[2 * k - 1]);
        if (acc + sl >= plen / 2) {
          double u = sl > 0 ? (plen / 2 - acc) / sl : 0;
          x = path[2 * k - 2] + (path[2 * k] - path[2 * k - 2]) * u;
          y = path[2 * k - 1] + (path[2 * k + 1] - path[2 * k - 1]) * u;
          break;
        }
        acc += sl;
      }
      free(path);
      path = NULL;
    }
  } else {
    shoal_clip_polygon(g, page, &cx->c);
    if (!rep_point(&cx->c, &x, &y))
      x = HUGE_VAL;
  }
  bool as_line = ll->placement == SHOAL_LABEL_LINE && g->kind != SHOAL_GEOM_POINT;
  if ((as_line && !path) || (!as_line && x == HUGE_VAL)) {
    free(text);
    free(path);
    return true;
  }
  if (as_line) {
    lp_item *same = find_text(cx->items, first, text);
    if (same) {
      if (plen > same->len) {
        free(same->path);
        same->path = smooth_copy(path, npath, &same->npath, same->font.size * v->scale);
        same->len = plen;
      }
      free(path);
      free(text);
      return same->path != NULL && (!same->own_layer || own_id(same, id));
    }
  }
  lp_item *it = shoal_lp_push(cx->items);
  if (!it) {
    free(text);
    free(path);
    return false;
  }
  const shoal_labelspec *spec = ll->spec;
  it->text = text;
  it->tag = tag;
  shoal_lp_item_style(cx->ls, &spec->ts, it);
  it->prio = spec->priority;
  it->offset = spec->offset * v->scale;
  it->leaders = spec->leaders;
  it->what = "label";
  it->owner = ll->sl->layer->name;
  it->loc = spec->loc;
  if (as_line) {
    it->kind = LP_LINE;
    it->font.max_width = 0; /* text along a line is one line */
    if (it->offset > 0)     /* from the edge of the stroke */
      it->offset += ll->sl->layer->style.stroke_width / 2 * v->scale;
    it->path = smooth_copy(path, npath, &it->npath, spec->ts.size * v->scale);
    free(path);
    it->len = plen;
    /* The line is in the collision index already (scene.c, block_lines): the label must
     * not take its own line for an obstacle (see collect_lines). */
    if (ll->sl->layer->label_obstacle) {
      it->own_layer = (int)(ll->sl - cx->ls->env.layers) + 1;
      if (!own_id(it, id))
        return false;
    }
    if (!it->path)
      return false;
  } else {
    it->kind = ll->placement == SHOAL_LABEL_AREA ? LP_AREA : LP_POINT;
    it->x = x;
    it->y = y;
    it->r = it->kind == LP_POINT ? r : 0;
  }
  return true;
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
      if (!shoal_lp_mark(&cx->marks, cx->taken, cx->g.xy[2 * p], cx->g.xy[2 * p + 1], r))
        st = SHOAL_ERR_NOMEM;
    if (labelled && st == SHOAL_OK && !add_feature_item(cx, ll, first, ids[i], r))
      st = SHOAL_ERR_NOMEM;
  }
  shoal_featattr_free(&cx->fa);
  free(ids);
  return st;
}

/* The boxes scene.c put along the lines of label-obstacle layers, by feature, when some
 * label follows such a line: from the same prepared geometry, in the same way. */
static shoal_status collect_lines(struct shoal_labelstate *ls, lp_lines *L, shoal_diag *d)
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

/* ---- the pass -------------------------------------------------------------------------- */

static void report_drops(struct shoal_labelstate *ls, lp_list *items, shoal_diag *d)
{
  size_t placed = 0, dropped = 0;
  for (size_t i = 0; i < items->n; i++) {
    const lp_item *it = &items->v[i];
    if (!it->text || !*it->text)
      continue;
    if (it->placed) {
      placed++;
      if (it->collides && !ls->warned)
        shoal_diag_warn(d, it->loc.file, it->loc.line, it->loc.col,
                        "%s '%.80s' overlaps other labels or the frame at its fixed position",
                        it->what, it->text);
      continue;
    }
    dropped++;
    if (ls->warned)
      continue;
    char owner[160] = "";
    if (it->owner)
      snprintf(owner, sizeof owner, " (layer %s)", it->owner);
    /* Layer labels have no line of their own in the map file; annotations do. */
    shoal_loc l = it->owner ? (shoal_loc){0} : it->loc;
    if (ls->env.strict_labels)
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, l.col,
                       "%s '%.80s'%s could not be placed (--strict-labels)", it->what, it->text,
                       owner);
    else
      shoal_diag_warn(d, l.file, l.line, l.col, "%s '%.80s'%s could not be placed", it->what,
                      it->text, owner);
  }
  ls->warned = true;
  ls->placed = placed;
  ls->dropped = dropped;
}

shoal_status shoal_labels_draw(shoal_labelstate *ls, cairo_t *cr, shoal_collide *taken,
                               shoal_diag *d, size_t *placed, size_t *dropped)
{
  if (!ls)
    return SHOAL_OK;
  lp_list items = {0};
  /* What the pass adds before placing (markers, distance lines) goes into an index of its
   * own, so a line label can tell its own line in taken from the rest (label_place.c). */
  shoal_collide *mine =
      shoal_collide_new(ls->env.view.width, ls->env.view.height, 32 * ls->env.view.scale);
  if (!mine) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  collect cx = {.ls = ls, .taken = mine, .items = &items};
  lp_lines lines = {0};
  shoal_geom_init(&cx.g, SHOAL_GEOM_NONE);
  shoal_geom_init(&cx.c, SHOAL_GEOM_NONE);
  shoal_status st = SHOAL_OK;
  /* Every marker goes into the index before any label is tried. */
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
  if (st == SHOAL_OK && !shoal_annot_collect(ls, mine, &cx.marks, &items))
    st = SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK)
    shoal_lp_adopt_marks(&items, &cx.marks);
  if (st == SHOAL_OK)
    st = collect_lines(ls, &lines, d);
  if (st == SHOAL_OK && !shoal_lp_place(&items, ls->tc, taken, mine, &lines, &ls->env.view))
    st = SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK) {
    shoal_annot_draw_lines(ls, cr);
    shoal_lp_draw_leaders(&items, cr, ls->env.view.scale);
    shoal_annot_draw_markers(ls, cr);
    shoal_lp_draw_text(&items, cr, ls->tc, ls->env.view.scale);
    size_t before = shoal_diag_nerrors(d);
    report_drops(ls, &items, d);
    *placed = ls->placed;
    *dropped = ls->dropped;
    if (shoal_diag_nerrors(d) > before)
      st = SHOAL_ERR_DATA;
  } else if (st == SHOAL_ERR_NOMEM) {
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory placing labels (or over 200000 candidates)");
  }
  shoal_geom_free(&cx.g);
  shoal_geom_free(&cx.c);
  shoal_lp_marks_free(&cx.marks);
  shoal_lp_free(&items);
  shoal_collide_free(mine);
  shoal_lp_lines_free(&lines);
  return st;
}
