/* Labels: binding each layer's label template to its fields through the language chain,
 * running the placement pass over the candidates of layers (label_collect.c) and
 * annotations (annot_draw.c), and reporting labels that found no room. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label/label_priv.h"
#include "label/labeldebug.h"
#include "layer/layer.h"

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
  /* Without Pango no family is known: shoal_labels_draw reports that instead. */
  if (!ts->font || shoal_text_has_family(ls->tc, ts->font) || shoal_textctx_error(ls->tc))
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

bool shoal_lp_template_numbers(shoal_template *t, shoal_source *src, const char *lang,
                               shoal_loc loc, const size_t *map, shoal_diag *d)
{
  shoal_template_set_lang(t, lang);
  int field, col;
  const char *name;
  bool ok = true;
  for (size_t i = 0; src && shoal_template_number_ref(t, i, &field, &name, &col); i++) {
    const shoal_field_info *fi = field >= 0 ? shoal_source_field(src, field) : NULL;
    if (!fi || fi->type == SHOAL_FIELD_INTEGER || fi->type == SHOAL_FIELD_DOUBLE)
      continue;
    shoal_diag_error(d, SHOAL_ERR_DATA, loc.file, loc.line,
                     loc.col + (col > 0 ? (int)map[col - 1] : 0),
                     "field '%s' of '%s' is %s, not a number: it cannot take a number format", name,
                     shoal_source_path(src), shoal_field_type_name(fi->type));
    ok = false;
  }
  return ok;
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
  } else if (ll->tpl &&
             !shoal_lp_template_numbers(ll->tpl, src, ls->env.map->lang, spec->text_loc, map, d)) {
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

static bool stop(const atomic_int *cancel) { return cancel && atomic_load(cancel) != 0; }

shoal_status shoal_labels_draw(shoal_labelstate *ls, cairo_t *cr, shoal_collide *taken,
                               const atomic_int *cancel, shoal_diag *d, size_t *placed,
                               size_t *dropped)
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
  lp_marks marks = {0};
  lp_lines lines = {0};
  if (ls->dbg)
    shoal_labeldebug_clear(ls->dbg);
  /* Every marker goes into the index before any label is tried. */
  shoal_status st = shoal_lp_collect_layers(ls, mine, &marks, &items, d);
  if (st == SHOAL_OK && !shoal_annot_collect(ls, mine, &marks, &items))
    st = SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK)
    shoal_lp_adopt_marks(&items, &marks);
  if (st == SHOAL_OK)
    st = shoal_lp_collect_lines(ls, &lines, d);
  if (st == SHOAL_OK && stop(cancel))
    st = SHOAL_ERR_INTERRUPTED;
  if (st == SHOAL_OK &&
      !shoal_lp_place_rec(&items, ls->tc, taken, mine, &lines, &ls->env.view, ls->dbg))
    st = SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK && stop(cancel))
    st = SHOAL_ERR_INTERRUPTED;
  if (st == SHOAL_OK) {
    shoal_annot_draw_lines(ls, cr);
    shoal_lp_draw_leaders(&items, cr, ls->env.view.scale);
    shoal_annot_draw_markers(ls, cr);
    shoal_lp_draw_text(&items, cr, ls->tc, ls->env.view.scale);
    shoal_lp_debug_results(ls->dbg, &items);
    size_t before = shoal_diag_nerrors(d);
    report_drops(ls, &items, d);
    *placed = ls->placed;
    *dropped = ls->dropped;
    if (shoal_diag_nerrors(d) > before)
      st = SHOAL_ERR_DATA;
  } else if (st == SHOAL_ERR_NOMEM && shoal_textctx_error(ls->tc)) {
    shoal_diag_error(d, SHOAL_ERR_INTERNAL, NULL, 0, 0, "%s", shoal_textctx_error(ls->tc));
  } else if (st == SHOAL_ERR_NOMEM) {
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory placing labels (or over 200000 candidates)");
  }
  shoal_lp_marks_free(&marks);
  shoal_lp_free(&items);
  shoal_collide_free(mine);
  shoal_lp_lines_free(&lines);
  return st;
}
