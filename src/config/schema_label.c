/* Schema of labels and annotations: reads a layer's `label:` block and the `annotations:`
 * list into config/label_model.h, reporting every problem at its file:line:col. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/label_model.h"
#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_COORDS 100000

/* ---- shared readers -------------------------------------------------------------------- */

static const char *const text_keys[] = {"font",           "size", "weight",     "italic",
                                        "color",          "halo", "halo-width", "transform",
                                        "letter-spacing", "wrap"};
static const char *const transform_names[] = {"none", "upper"};
static const char *const placement_names[] = {"auto", "point", "line", "area"};
static const char *const position_names[] = {"n", "ne", "e", "se", "s", "sw", "w", "nw"};
static const char *const marker_names[] = {"none",    "circle", "square", "triangle",
                                           "diamond", "star",   "cross"};

static shoal_loc loc_of(const shoal_node *n) { return (shoal_loc){n->file, n->line, n->col}; }

/* Where the text of a scalar starts: one column after an opening quote. */
static shoal_loc text_loc_of(const shoal_node *n)
{
  return (shoal_loc){n->file, n->line, n->col + (n->quoted ? 1 : 0)};
}

static shoal_color hex(unsigned v, double a)
{
  return (shoal_color){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, a};
}

static void textstyle_defaults(shoal_textstyle *ts, double size, unsigned color, double halo_width)
{
  memset(ts, 0, sizeof *ts);
  ts->size = size;
  ts->weight = 400;
  ts->color = hex(color, 1);
  ts->halo_width = halo_width;
}

static void read_weight(shoal_schema *sc, shoal_node *v, int *out)
{
  static const struct {
    const char *name;
    int w;
  } names[] = {{"thin", 100},   {"light", 300},    {"regular", 400}, {"normal", 400},
               {"medium", 500}, {"semibold", 600}, {"bold", 700},    {"black", 900}};
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, "weight"))
    return;
  for (size_t i = 0; i < COUNT(names); i++)
    if (strcmp(v->str, names[i].name) == 0) {
      *out = names[i].w;
      return;
    }
  double w;
  if (shoal_parse_double(v->str, &w) && w >= 100 && w <= 1000 && w == floor(w)) {
    *out = (int)w;
    return;
  }
  const char *cands[COUNT(names)];
  for (size_t i = 0; i < COUNT(names); i++)
    cands[i] = names[i].name;
  const char *s = shoal_suggest(v->str, cands, COUNT(cands));
  if (s)
    shoal_schema_err(sc, v, "bad weight '%s' (did you mean '%s'?)", v->str, s);
  else
    shoal_schema_err(sc, v, "bad weight '%s' (use 100 to 1000, or regular, semibold, bold)",
                     v->str);
}

static void read_textstyle(shoal_schema *sc, shoal_node *m, shoal_textstyle *ts)
{
  shoal_node *v;
  if ((v = shoal_node_get(m, "font")) && shoal_schema_str(sc, v, "font", &ts->font))
    ts->font_loc = text_loc_of(v);
  if ((v = shoal_node_get(m, "size")))
    shoal_schema_num(sc, v, "size", 1, 500, &ts->size);
  if ((v = shoal_node_get(m, "weight")))
    read_weight(sc, v, &ts->weight);
  if ((v = shoal_node_get(m, "italic")))
    shoal_schema_bool(sc, v, "italic", &ts->italic);
  if ((v = shoal_node_get(m, "color")))
    shoal_schema_color(sc, v, "color", &ts->color);
  if ((v = shoal_node_get(m, "halo")) && shoal_schema_color(sc, v, "halo", &ts->halo))
    ts->halo_set = true;
  if ((v = shoal_node_get(m, "halo-width")))
    shoal_schema_num(sc, v, "halo-width", 0, 50, &ts->halo_width);
  int e;
  if ((v = shoal_node_get(m, "transform")) &&
      (e = shoal_schema_enum(sc, v, "transform", transform_names, COUNT(transform_names))) >= 0)
    ts->upper = e == 1;
  if ((v = shoal_node_get(m, "letter-spacing")))
    shoal_schema_num(sc, v, "letter-spacing", -20, 100, &ts->letter_spacing);
  if ((v = shoal_node_get(m, "wrap")))
    shoal_schema_num(sc, v, "wrap", 0, 5000, &ts->wrap);
}

/* Check keys against a kind's own list plus the text keys (when with_text). */
static void check_keys(shoal_schema *sc, shoal_node *m, const char *what, const char *const *own,
                       size_t nown, bool with_text)
{
  const char *const *lists[] = {own, text_keys};
  size_t lens[] = {nown, COUNT(text_keys)};
  shoal_schema_keys(sc, m, what, lists, lens, with_text ? 2 : 1);
}

/* A template: kept as text (bound to fields when the scene is prepared); syntax checked now. */
static void read_template(shoal_schema *sc, shoal_node *v, const char *what, char **out,
                          shoal_loc *loc)
{
  if (!v || !shoal_schema_str(sc, v, what, out))
    return;
  *loc = text_loc_of(v);
  size_t *map = NULL;
  char *x = shoal_label_expand_names(v->str, NULL, 0, &map);
  if (!x)
    return;
  char err[256];
  int col = 0;
  shoal_template *t = shoal_template_parse(x, err, sizeof err, &col);
  if (!t) {
    int c = loc->col + (col > 0 ? (int)map[col - 1] : 0);
    shoal_diag_error(sc->d, SHOAL_ERR_DATA, loc->file, loc->line, c, "bad %s: %s", what, err);
  }
  shoal_template_free(t);
  free(x);
  free(map);
}

static void read_filter(shoal_schema *sc, shoal_node *f, char **text, shoal_expr **e,
                        shoal_loc *loc)
{
  if (!shoal_schema_want(sc, f, SHOAL_NODE_SCALAR, "filter"))
    return;
  char err[256];
  int col = 0;
  *loc = text_loc_of(f);
  free(*text);
  *text = shoal_strdup(f->str);
  *e = shoal_expr_parse(f->str, err, sizeof err, &col);
  if (!*e)
    shoal_diag_error(sc->d, SHOAL_ERR_DATA, loc->file, loc->line,
                     loc->col + (col > 0 ? col - 1 : 0), "bad filter: %s", err);
}

static bool read_lonlat(shoal_schema *sc, shoal_node *v, const char *what, double *lon, double *lat)
{
  double p[2];
  if (!shoal_schema_nums(sc, v, what, p, 2))
    return false;
  if (p[0] < -180 || p[0] > 360 || p[1] < -90 || p[1] > 90) {
    shoal_schema_err(sc, v, "%s must be [lon, lat] in degrees (lon -180..360, lat -90..90)", what);
    return false;
  }
  *lon = p[0];
  *lat = p[1];
  return true;
}

/* A point given as a place id (scalar) or [lon, lat] (list). */
static void read_placeref(shoal_schema *sc, shoal_node *v, const char *what, shoal_placeref *r)
{
  r->loc = loc_of(v);
  if (v->kind == SHOAL_NODE_SEQ) {
    r->set = read_lonlat(sc, v, what, &r->lon, &r->lat);
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, what))
    return;
  if (!*v->str) {
    shoal_schema_err(sc, v, "%s must name a place id or give [lon, lat]", what);
    return;
  }
  r->loc = text_loc_of(v);
  r->set = shoal_schema_str(sc, v, what, &r->place);
}

/* List of [lon, lat] pairs, at least min of them. */
static void read_coords(shoal_schema *sc, shoal_node *v, const char *what, size_t min,
                        shoal_annot *a)
{
  a->coords_loc = loc_of(v);
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, what))
    return;
  if (v->n < min || v->n > MAX_COORDS) {
    shoal_schema_err(sc, v, "%s must list %zu to %d [lon, lat] points, not %zu", what, min,
                     MAX_COORDS, v->n);
    return;
  }
  double *c = calloc(v->n * 2, sizeof *c);
  if (!c)
    return;
  bool ok = true;
  for (size_t i = 0; i < v->n; i++)
    ok &= read_lonlat(sc, v->items[i], "a point", &c[2 * i], &c[2 * i + 1]);
  if (!ok) {
    free(c);
    return;
  }
  free(a->coords);
  a->coords = c;
  a->ncoords = v->n;
}

/* ---- label: -------------------------------------------------------------------------- */

static const char *const label_keys[] = {"text",      "lang",   "fallback", "priority",
                                         "placement", "filter", "offset",   "leaders"};

static bool read_lang(shoal_schema *sc, shoal_node *v, const char *what, char **out, shoal_loc *loc)
{
  if (!shoal_schema_str(sc, v, what, out))
    return false;
  *loc = text_loc_of(v);
  char buf[64];
  if (!shoal_lang_field(v->str, buf, sizeof buf)) {
    shoal_schema_err(sc, v, "bad language code '%s' (use e.g. en, zh, vi, fil)", v->str);
    free(*out);
    *out = NULL;
    return false;
  }
  return true;
}

/* Fill a labelspec from a mapping (or a scalar: the template alone). */
static void read_labelspec(shoal_schema *sc, shoal_node *n, shoal_labelspec *l)
{
  l->loc = loc_of(n);
  if (n->kind == SHOAL_NODE_SCALAR) {
    read_template(sc, n, "label text", &l->text, &l->text_loc);
    return;
  }
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "label"))
    return;
  check_keys(sc, n, "label", label_keys, COUNT(label_keys), true);
  read_textstyle(sc, n, &l->ts);
  shoal_node *v;
  if ((v = shoal_node_get(n, "text")))
    read_template(sc, shoal_schema_pick_lang(sc, v, "label text"), "label text", &l->text,
                  &l->text_loc);
  else
    shoal_schema_err(sc, n, "label needs a 'text' template, e.g. \"{name_*}\"");
  if ((v = shoal_node_get(n, "lang")))
    read_lang(sc, v, "lang", &l->lang, &l->lang_loc);
  if ((v = shoal_node_get(n, "fallback"))) {
    for (size_t i = 0; i < l->nfallback; i++) {
      free(l->fallback[i]);
      l->fallback[i] = NULL;
    }
    l->nfallback = 0;
    if (v->kind == SHOAL_NODE_SCALAR) {
      if (read_lang(sc, v, "fallback", &l->fallback[0], &l->fallback_loc[0]))
        l->nfallback = 1;
    } else if (shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "fallback")) {
      if (v->n > SHOAL_MAX_FALLBACK)
        shoal_schema_err(sc, v, "fallback lists at most %d languages", SHOAL_MAX_FALLBACK);
      for (size_t i = 0; i < v->n && l->nfallback < SHOAL_MAX_FALLBACK; i++)
        if (read_lang(sc, v->items[i], "fallback", &l->fallback[l->nfallback],
                      &l->fallback_loc[l->nfallback]))
          l->nfallback++;
    }
  }
  if ((v = shoal_node_get(n, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &l->priority);
  int e;
  if ((v = shoal_node_get(n, "placement")) &&
      (e = shoal_schema_enum(sc, v, "placement", placement_names, COUNT(placement_names))) >= 0)
    l->placement = (shoal_label_placement)e;
  if ((v = shoal_node_get(n, "filter")))
    read_filter(sc, v, &l->filter_text, &l->filter, &l->filter_loc);
  if ((v = shoal_node_get(n, "offset")))
    shoal_schema_num(sc, v, "offset", 0, 200, &l->offset);
  if ((v = shoal_node_get(n, "leaders")))
    shoal_schema_bool(sc, v, "leaders", &l->leaders);
}

static void labelspec_defaults(shoal_labelspec *l)
{
  memset(l, 0, sizeof *l);
  textstyle_defaults(&l->ts, 11, 0x222222, 1.5);
  l->fallback[0] = shoal_strdup("en");
  l->nfallback = l->fallback[0] ? 1 : 0;
  l->priority = 50;
  l->offset = 3;
  l->leaders = true;
}

void shoal_schema_label(shoal_schema *sc, shoal_node *n, shoal_layer *L)
{
  shoal_labelspec *l = malloc(sizeof *l);
  if (!l)
    return;
  labelspec_defaults(l);
  read_labelspec(sc, n, l);
  shoal_labelspec_free(L->label);
  L->label = l;
}

static void textstyle_free(shoal_textstyle *ts) { free(ts->font); }

void shoal_labelspec_free(struct shoal_labelspec *l)
{
  if (!l)
    return;
  free(l->text);
  free(l->lang);
  for (size_t i = 0; i < l->nfallback; i++)
    free(l->fallback[i]);
  textstyle_free(&l->ts);
  free(l->filter_text);
  shoal_expr_free(l->filter);
  free(l);
}

/* ---- annotations: ---------------------------------------------------------------------- */

static const char *const kind_names[] = {"marker", "callout", "area-label", "highlight",
                                         "distance"};
static const char *const marker_keys[] = {
    "place",        "layer",   "at",  "shape",  "size",        "fill", "stroke",
    "stroke-width", "opacity", "use", "marker", "marker-size", "label"};
static const char *const callout_keys[] = {
    "place",   "layer", "at",     "text",         "position", "anchor",       "distance", "gap",
    "padding", "fill",  "stroke", "stroke-width", "leader",   "leader-width", "priority", "width"};
static const char *const area_keys[] = {"text", "at", "place", "layer", "path", "priority"};
static const char *const highlight_keys[] = {
    "polygon",       "layer",       "filter",    "fill",     "stroke",
    "stroke-width",  "dash",        "opacity",   "hatch",    "hatch-angle",
    "hatch-spacing", "hatch-width", "line-join", "use",      "within",
    "legend",        "place",       "at",        "radius-nm"};
static const char *const distance_keys[] = {
    "from", "to", "layer", "label", "priority", "stroke", "stroke-width", "dash", "opacity", "use"};

static void read_layer_name(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_node *v = shoal_node_get(m, "layer");
  if (v && shoal_schema_str(sc, v, "layer", &a->layer))
    a->layer_loc = text_loc_of(v);
}

/* place: / at: of a marker, callout or area label. */
static void read_at(shoal_schema *sc, shoal_node *m, shoal_annot *a, bool required,
                    const char *what)
{
  shoal_node *p = shoal_node_get(m, "place"), *at = shoal_node_get(m, "at");
  if (p && at) {
    shoal_schema_err(sc, at, "%s takes 'place' or 'at', not both", what);
    return;
  }
  if (p) {
    if (!shoal_schema_want(sc, p, SHOAL_NODE_SCALAR, "place"))
      return;
    read_placeref(sc, p, "place", &a->at);
  } else if (at) {
    a->at.loc = loc_of(at);
    a->at.set = read_lonlat(sc, at, "at", &a->at.lon, &a->at.lat);
  } else if (required) {
    shoal_schema_err(sc, m, "%s needs 'place' (an id) or 'at' ([lon, lat])", what);
  }
}

static void read_marker_shape(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_node *v;
  int e;
  if ((v = shoal_node_get(m, "shape")) &&
      (e = shoal_schema_enum(sc, v, "marker shape", marker_names, COUNT(marker_names))) >= 0) {
    a->style.marker = (shoal_marker_shape)e;
    a->style.set |= SHOAL_STY_MARKER;
  }
  if ((v = shoal_node_get(m, "size")) &&
      shoal_schema_num(sc, v, "marker size", 0, 500, &a->style.marker_size))
    a->style.set |= SHOAL_STY_MSIZE;
}

static void read_marker(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.marker = SHOAL_MARKER_CIRCLE;
  a->style.marker_size = 8;
  a->style.fill = hex(0xffffff, 1);
  a->style.stroke = hex(0x222222, 1);
  a->style.stroke_width = 0.8;
  a->style.set = SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_WIDTH | SHOAL_STY_MARKER;
  a->priority = 90;
  a->offset = 3;
  a->leaders = true;
  textstyle_defaults(&a->ts, 11, 0x222222, 1.5);
  check_keys(sc, m, "marker", marker_keys, COUNT(marker_keys), false);
  read_at(sc, m, a, true, "marker");
  read_layer_name(sc, m, a);
  shoal_schema_style(sc, m, &a->style, 0);
  read_marker_shape(sc, m, a);
  shoal_node *v = shoal_node_get(m, "label");
  if (!v)
    return;
  /* The marker's label is a label: block of its own; copy what it says into the annotation. */
  shoal_labelspec l;
  labelspec_defaults(&l);
  l.priority = a->priority;
  read_labelspec(sc, v, &l);
  a->text = l.text;
  a->text_loc = l.text_loc;
  l.text = NULL;
  textstyle_free(&a->ts);
  a->ts = l.ts;
  l.ts.font = NULL;
  a->priority = l.priority;
  a->offset = l.offset;
  a->leaders = l.leaders;
  /* Annotation texts use the map's language chain; these keys only make sense for layers. */
  static const char *const layer_only[] = {"lang", "fallback", "filter", "placement"};
  for (size_t i = 0; v->kind == SHOAL_NODE_MAP && i < COUNT(layer_only); i++) {
    shoal_pair *p = shoal_node_find(v, layer_only[i]);
    if (p)
      shoal_schema_err(sc, p->key, "'%s' is for a layer's label, not a marker's", layer_only[i]);
  }
  free(l.lang);
  for (size_t i = 0; i < l.nfallback; i++)
    free(l.fallback[i]);
  free(l.filter_text);
  shoal_expr_free(l.filter);
}

static void read_callout(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.fill = hex(0xffffff, 0.92);
  a->style.stroke = hex(0x444444, 1);
  a->style.stroke_width = 0.6;
  a->style.set = SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_WIDTH;
  textstyle_defaults(&a->ts, 10.5, 0x222222, 0);
  a->ts.wrap = 160;
  a->priority = 100;
  a->position = -1;
  a->distance = 36;
  a->gap = 3;
  a->padding = 4;
  a->leader = hex(0x444444, 1);
  a->leader_width = 0.8;
  check_keys(sc, m, "callout", callout_keys, COUNT(callout_keys), true);
  read_at(sc, m, a, true, "callout");
  read_layer_name(sc, m, a);
  read_textstyle(sc, m, &a->ts);
  shoal_schema_style(sc, m, &a->style, 0);
  shoal_node *v;
  if ((v = shoal_node_get(m, "text")))
    read_template(sc, shoal_schema_pick_lang(sc, v, "callout text"), "callout text", &a->text,
                  &a->text_loc);
  else
    shoal_schema_err(sc, m, "callout needs 'text'");
  int e;
  shoal_node *pos = shoal_node_get(m, "position"), *anc = shoal_node_get(m, "anchor");
  if (pos && anc)
    shoal_schema_err(sc, anc, "callout takes 'position' or 'anchor', not both");
  else if (pos && (e = shoal_schema_enum(sc, pos, "callout position", position_names,
                                         COUNT(position_names))) >= 0)
    a->position = e;
  else if (anc && shoal_schema_nums(sc, anc, "anchor", a->anchor, 2))
    a->has_anchor = true;
  if ((v = shoal_node_get(m, "distance")))
    shoal_schema_num(sc, v, "distance", 0, 2000, &a->distance);
  if ((v = shoal_node_get(m, "gap")))
    shoal_schema_num(sc, v, "gap", 0, 100, &a->gap);
  if ((v = shoal_node_get(m, "padding")))
    shoal_schema_num(sc, v, "padding", 0, 100, &a->padding);
  if ((v = shoal_node_get(m, "width")))
    shoal_schema_num(sc, v, "width", 10, 5000, &a->ts.wrap);
  if ((v = shoal_node_get(m, "leader")))
    shoal_schema_color(sc, v, "leader", &a->leader);
  if ((v = shoal_node_get(m, "leader-width")))
    shoal_schema_num(sc, v, "leader-width", 0, 20, &a->leader_width);
  if ((v = shoal_node_get(m, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &a->priority);
}

static void read_area_label(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  textstyle_defaults(&a->ts, 14, 0x4a6b82, 1.5);
  a->ts.italic = true;
  a->ts.font = shoal_strdup("Noto Serif");
  a->priority = 80;
  check_keys(sc, m, "area-label", area_keys, COUNT(area_keys), true);
  read_textstyle(sc, m, &a->ts);
  shoal_node *v;
  if ((v = shoal_node_get(m, "text")))
    read_template(sc, shoal_schema_pick_lang(sc, v, "area-label text"), "area-label text", &a->text,
                  &a->text_loc);
  else
    shoal_schema_err(sc, m, "area-label needs 'text'");
  shoal_node *path = shoal_node_get(m, "path");
  read_at(sc, m, a, !path, "area-label");
  read_layer_name(sc, m, a);
  if (path)
    read_coords(sc, path, "path", 2, a);
  if ((v = shoal_node_get(m, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &a->priority);
}

static void read_highlight(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.set = 0;
  check_keys(sc, m, "highlight", highlight_keys, COUNT(highlight_keys), false);
  shoal_schema_style(sc, m, &a->style, 0);
  shoal_node *poly = shoal_node_get(m, "polygon"), *filter = shoal_node_get(m, "filter");
  shoal_node *radius = shoal_node_get(m, "radius-nm");
  read_layer_name(sc, m, a);
  if (radius) {
    /* A nautical-mile zone: the geodesic circle of that radius around a place or point. */
    if (poly)
      shoal_schema_err(sc, poly, "highlight takes 'polygon' or 'radius-nm', not both");
    if (shoal_schema_num(sc, radius, "radius-nm", 0.01, 5000, &a->radius_nm))
      read_at(sc, m, a, true, "a highlight with 'radius-nm'");
  } else if (shoal_node_find(m, "place") || shoal_node_find(m, "at")) {
    shoal_schema_err(sc, m, "'place' and 'at' in a highlight need 'radius-nm'");
  } else if (poly && a->layer)
    shoal_schema_err(sc, poly, "highlight takes 'polygon' or 'layer' (with 'filter'), not both");
  else if (poly)
    read_coords(sc, poly, "polygon", 3, a);
  else if (!a->layer)
    shoal_schema_err(sc, m,
                     "highlight needs 'polygon' ([[lon, lat], ...]), 'layer' with a 'filter', "
                     "or 'radius-nm' with 'place' or 'at'");
  if (filter && !a->layer)
    shoal_schema_err(sc, filter, "a highlight 'filter' needs a 'layer'");
  else if (filter)
    read_filter(sc, filter, &a->filter_text, &a->filter, &a->filter_loc);
  shoal_node *lg = shoal_schema_pick_lang(sc, shoal_node_get(m, "legend"), "legend");
  if (lg)
    shoal_schema_str(sc, lg, "legend", &a->legend);
  shoal_node *within = shoal_node_get(m, "within");
  if (within && shoal_schema_nums(sc, within, "within", a->within, 4)) {
    if (a->within[0] >= a->within[2] || a->within[1] >= a->within[3])
      shoal_schema_err(sc, within,
                       "within must be [west, south, east, north] with west < east "
                       "and south < north");
    else
      a->has_within = true;
  }
  if (!(a->style.set & (SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_HATCH)))
    shoal_schema_err(sc, m, "highlight draws nothing: give 'fill', 'hatch' or 'stroke'");
}

static void read_distance(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.stroke = hex(0x333333, 1);
  a->style.stroke_width = 0.8;
  a->style.dash[0] = 4;
  a->style.dash[1] = 3;
  a->style.ndash = 2;
  a->style.set = SHOAL_STY_STROKE | SHOAL_STY_WIDTH | SHOAL_STY_DASH;
  textstyle_defaults(&a->ts, 10, 0x333333, 1.5);
  a->priority = 70;
  a->text = shoal_strdup("\xe2\x89\x88 {nm} nm ({km} km)"); /* ≈ */
  a->text_loc = loc_of(m);
  check_keys(sc, m, "distance", distance_keys, COUNT(distance_keys), true);
  read_textstyle(sc, m, &a->ts);
  shoal_schema_style(sc, m, &a->style, 0);
  read_layer_name(sc, m, a);
  shoal_node *v;
  if ((v = shoal_node_get(m, "from")))
    read_placeref(sc, v, "from", &a->at);
  else
    shoal_schema_err(sc, m, "distance needs 'from' (a place id or [lon, lat])");
  if ((v = shoal_node_get(m, "to")))
    read_placeref(sc, v, "to", &a->to);
  else
    shoal_schema_err(sc, m, "distance needs 'to' (a place id or [lon, lat])");
  if ((v = shoal_node_get(m, "label")))
    read_template(sc, shoal_schema_pick_lang(sc, v, "distance label"), "distance label", &a->text,
                  &a->text_loc);
  if ((v = shoal_node_get(m, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &a->priority);
}

void shoal_schema_annots(shoal_schema *sc, shoal_node *n, shoal_map *m)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SEQ, "annotations"))
    return;
  if (n->n > 10000) {
    shoal_schema_err(sc, n, "too many annotations (%zu; at most 10000)", n->n);
    return;
  }
  shoal_annots *as = calloc(1, sizeof *as);
  if (!as)
    return;
  as->v = calloc(n->n ? n->n : 1, sizeof *as->v);
  if (!as->v) {
    free(as);
    return;
  }
  shoal_annots_free(m->annots);
  m->annots = as;
  for (size_t i = 0; i < n->n; i++) {
    shoal_node *it = n->items[i];
    if (!shoal_schema_want(sc, it, SHOAL_NODE_MAP, "an annotation"))
      continue;
    if (it->n != 1) {
      shoal_schema_err(sc, it,
                       "an annotation is one of marker, callout, area-label, "
                       "highlight, distance, e.g. '- marker: {...}' (found %zu keys)",
                       it->n);
      continue;
    }
    shoal_node *key = it->pairs[0].key;
    int kind = shoal_schema_enum(sc, key, "annotation", kind_names, COUNT(kind_names));
    if (kind < 0)
      continue;
    shoal_node *body = shoal_node_get(it, key->str);
    if (!shoal_schema_want(sc, body, SHOAL_NODE_MAP, kind_names[kind]))
      continue;
    shoal_annot *a = &as->v[as->n++];
    a->kind = (shoal_annot_kind)kind;
    a->loc = loc_of(key);
    a->position = -1;
    switch (a->kind) {
    case SHOAL_ANNOT_MARKER: read_marker(sc, body, a); break;
    case SHOAL_ANNOT_CALLOUT: read_callout(sc, body, a); break;
    case SHOAL_ANNOT_AREA_LABEL: read_area_label(sc, body, a); break;
    case SHOAL_ANNOT_HIGHLIGHT: read_highlight(sc, body, a); break;
    case SHOAL_ANNOT_DISTANCE: read_distance(sc, body, a); break;
    }
  }
}

void shoal_annots_free(struct shoal_annots *as)
{
  if (!as)
    return;
  for (size_t i = 0; i < as->n; i++) {
    shoal_annot *a = &as->v[i];
    free(a->layer);
    free(a->at.place);
    free(a->to.place);
    free(a->text);
    textstyle_free(&a->ts);
    free(a->coords);
    free(a->filter_text);
    free(a->legend);
    shoal_expr_free(a->filter);
  }
  free(as->v);
  free(as);
}
