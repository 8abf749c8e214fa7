/* Schema: turns the merged YAML tree into the validated map model, reporting every unknown
 * key, wrong type and bad value at its file:line:col (with a did-you-mean where one is close). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"map",       "layers",      "classes",
                                       "variables", "annotations", "furniture"};
static const char *const map_keys[] = {"size",       "scale",      "crs",   "extent",
                                       "extent-crs", "background", "title", "subtitle",
                                       "credit",     "lang",       "font"};
static const char *const style_keys[] = {
    "fill",        "stroke",        "stroke-width", "dash",        "opacity",
    "line-join",   "line-cap",      "marker",       "marker-size", "hatch",
    "hatch-angle", "hatch-spacing", "hatch-width",  "use"};
static const char *const layer_only_keys[] = {"name",     "data",   "visible",
                                              "simplify", "legend", "attribution",
                                              "rules",    "label",  "label-obstacle"};
static const char *const rule_only_keys[] = {"filter", "legend"};
static const char *const data_keys[] = {"file", "min-scale", "max-scale"};
static const char *const marker_keys[] = {"shape", "size"};
static const char *const marker_names[] = {"none",    "circle", "square", "triangle",
                                           "diamond", "star",   "cross"};
static const char *const join_names[] = {"miter", "round", "bevel"};
static const char *const cap_names[] = {"butt", "round", "square"};

void shoal_schema_err(shoal_schema *sc, const shoal_node *n, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  shoal_diag_verror(sc->d, SHOAL_ERR_DATA, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, fmt,
                    ap);
  va_end(ap);
}

static const char *kind_name(const shoal_node *n)
{
  switch (n->kind) {
  case SHOAL_NODE_MAP: return "a mapping";
  case SHOAL_NODE_SEQ: return "a list";
  default: return "a scalar";
  }
}

bool shoal_schema_want(shoal_schema *sc, const shoal_node *n, shoal_node_kind k, const char *what)
{
  if (n->kind == k)
    return true;
  const char *want = k == SHOAL_NODE_MAP ? "a mapping" : k == SHOAL_NODE_SEQ ? "a list" : "a value";
  shoal_schema_err(sc, n, "%s must be %s, not %s", what, want, kind_name(n));
  return false;
}

/* Unknown keys: error with the closest known key from all the lists given. */
void shoal_schema_keys(shoal_schema *sc, const shoal_node *map, const char *what,
                       const char *const *const *lists, const size_t *lens, size_t nlists)
{
  for (size_t i = 0; i < map->n; i++) {
    const shoal_node *k = map->pairs[i].key;
    bool known = false;
    const char *cands[64];
    size_t nc = 0;
    for (size_t l = 0; l < nlists && !known; l++)
      for (size_t j = 0; j < lens[l]; j++) {
        if (strcmp(k->str, lists[l][j]) == 0) {
          known = true;
          break;
        }
        if (nc < COUNT(cands))
          cands[nc++] = lists[l][j];
      }
    if (known)
      continue;
    const char *s = shoal_suggest(k->str, cands, nc);
    if (s)
      shoal_schema_err(sc, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, what, s);
    else
      shoal_schema_err(sc, k, "unknown key '%s' in %s", k->str, what);
  }
}

/* Locale-independent decimal parser: the house rule bans atof and locale-dependent strtod. */
bool shoal_parse_double(const char *s, double *out)
{
  const char *p = s;
  while (*p == ' ')
    p++;
  double sign = 1;
  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  double v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (*p++ - '0');
    digits++;
  }
  if (*p == '.') {
    p++;
    double f = 0.1;
    while (*p >= '0' && *p <= '9') {
      v += (*p++ - '0') * f;
      f *= 0.1;
      digits++;
    }
  }
  if (!digits)
    return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    int es = 1, e = 0, ed = 0;
    if (*p == '+' || *p == '-')
      es = *p++ == '-' ? -1 : 1;
    while (*p >= '0' && *p <= '9' && e < 400) {
      e = e * 10 + (*p++ - '0');
      ed++;
    }
    if (!ed)
      return false;
    v *= pow(10, es * e);
  }
  while (*p == ' ')
    p++;
  if (*p)
    return false;
  *out = sign * v;
  return isfinite(*out);
}

bool shoal_parse_size(const char *s, int *w, int *h)
{
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || (*end != 'x' && *end != 'X'))
    return false;
  const char *p = end + 1;
  long b = strtol(p, &end, 10);
  if (end == p || *end || a < 16 || b < 16 || a > 20000 || b > 20000)
    return false;
  *w = (int)a;
  *h = (int)b;
  return true;
}

bool shoal_schema_num(shoal_schema *sc, const shoal_node *n, const char *what, double lo, double hi,
                      double *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  double v;
  if (!shoal_parse_double(n->str, &v)) {
    shoal_schema_err(sc, n, "%s must be a number, not '%s'", what, n->str);
    return false;
  }
  if (v < lo || v > hi) {
    shoal_schema_err(sc, n, "%s must be between %g and %g, not %s", what, lo, hi, n->str);
    return false;
  }
  *out = v;
  return true;
}

bool shoal_schema_str(shoal_schema *sc, const shoal_node *n, const char *what, char **out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  char *c = shoal_strdup(n->str);
  if (!c)
    return false;
  free(*out);
  *out = c;
  return true;
}

bool shoal_schema_bool(shoal_schema *sc, const shoal_node *n, const char *what, bool *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
  for (size_t i = 0; i < 3; i++) {
    if (strcmp(n->str, yes[i]) == 0)
      return *out = true, true;
    if (strcmp(n->str, no[i]) == 0)
      return *out = false, true;
  }
  shoal_schema_err(sc, n, "%s must be true or false, not '%s'", what, n->str);
  return false;
}

bool shoal_schema_color(shoal_schema *sc, const shoal_node *n, const char *what, shoal_color *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  if (shoal_color_parse(n->str, out))
    return true;
  const char *s = shoal_color_suggest(n->str);
  if (s)
    shoal_schema_err(sc, n, "bad colour '%s' for %s (did you mean '%s'?)", n->str, what, s);
  else
    shoal_schema_err(sc, n, "bad colour '%s' for %s (use #rgb, #rrggbb, #rrggbbaa or a CSS name)",
                     n->str, what);
  return false;
}

int shoal_schema_enum(shoal_schema *sc, const shoal_node *n, const char *what,
                      const char *const *names, size_t nnames)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return -1;
  for (size_t i = 0; i < nnames; i++)
    if (strcmp(n->str, names[i]) == 0)
      return (int)i;
  const char *s = shoal_suggest(n->str, names, nnames);
  char list[256] = "";
  size_t used = 0;
  for (size_t i = 0; i < nnames && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
  if (s)
    shoal_schema_err(sc, n, "unknown %s '%s' (did you mean '%s'?)", what, n->str, s);
  else
    shoal_schema_err(sc, n, "unknown %s '%s' (expected one of: %s)", what, n->str, list);
  return -1;
}

/* [a, b, ...] of exactly n numbers. */
bool shoal_schema_nums(shoal_schema *sc, const shoal_node *n, const char *what, double *out,
                       size_t count)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SEQ, what))
    return false;
  if (n->n != count) {
    shoal_schema_err(sc, n, "%s must have %zu numbers, not %zu", what, count, n->n);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < count; i++)
    ok &= shoal_schema_num(sc, n->items[i], what, -HUGE_VAL, HUGE_VAL, &out[i]);
  return ok;
}

/* Resolve a path relative to the directory of the file that wrote it. Caller frees. */
char *shoal_schema_path(const shoal_node *n)
{
  const char *p = n->str;
  if (p[0] == '/' || !n->file)
    return shoal_strdup(p);
  const char *slash = strrchr(n->file, '/');
  size_t dl = slash ? (size_t)(slash - n->file) + 1 : 0;
  size_t pl = strlen(p);
  char *r = malloc(dl + pl + 1);
  if (!r)
    return NULL;
  memcpy(r, n->file, dl);
  memcpy(r + dl, p, pl + 1);
  return r;
}

static const shoal_node *find_class(shoal_schema *sc, const char *name)
{
  if (!sc->classes)
    return NULL;
  for (size_t i = 0; i < sc->classes->n; i++)
    if (strcmp(sc->classes->pairs[i].key->str, name) == 0)
      return sc->classes->pairs[i].val;
  return NULL;
}

static void apply_class_list(shoal_schema *sc, const shoal_node *use, shoal_style *st, int depth);

/* Lay the style properties found in map `m` over st. Keys not about style are ignored here
 * (the caller checks unknown keys against its own list). */
void shoal_schema_style(shoal_schema *sc, shoal_node *m, shoal_style *st, int depth)
{
  shoal_node *v;
  if ((v = shoal_node_get(m, "use")))
    apply_class_list(sc, v, st, depth + 1);
  if ((v = shoal_node_get(m, "fill")) && shoal_schema_color(sc, v, "fill", &st->fill))
    st->set |= SHOAL_STY_FILL;
  if ((v = shoal_node_get(m, "stroke")) && shoal_schema_color(sc, v, "stroke", &st->stroke))
    st->set |= SHOAL_STY_STROKE;
  if ((v = shoal_node_get(m, "stroke-width")) &&
      shoal_schema_num(sc, v, "stroke-width", 0, 100, &st->stroke_width))
    st->set |= SHOAL_STY_WIDTH;
  if ((v = shoal_node_get(m, "opacity")) && shoal_schema_num(sc, v, "opacity", 0, 1, &st->opacity))
    st->set |= SHOAL_STY_OPACITY;
  if ((v = shoal_node_get(m, "dash"))) {
    if (v->kind == SHOAL_NODE_SCALAR && strcmp(v->str, "none") == 0) {
      st->ndash = 0;
      st->set |= SHOAL_STY_DASH;
    } else if (shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "dash")) {
      if (v->n == 0 || v->n > SHOAL_MAX_DASH) {
        shoal_schema_err(sc, v, "dash must list 1 to %d lengths", SHOAL_MAX_DASH);
      } else {
        bool ok = true;
        for (size_t i = 0; i < v->n; i++)
          ok &= shoal_schema_num(sc, v->items[i], "dash length", 0, 1000, &st->dash[i]);
        if (ok) {
          st->ndash = (int)v->n;
          st->set |= SHOAL_STY_DASH;
        }
      }
    }
  }
  int e;
  if ((v = shoal_node_get(m, "line-join")) &&
      (e = shoal_schema_enum(sc, v, "line-join", join_names, COUNT(join_names))) >= 0) {
    st->join = (shoal_join)e;
    st->set |= SHOAL_STY_JOIN;
  }
  if ((v = shoal_node_get(m, "line-cap")) &&
      (e = shoal_schema_enum(sc, v, "line-cap", cap_names, COUNT(cap_names))) >= 0) {
    st->cap = (shoal_cap)e;
    st->set |= SHOAL_STY_CAP;
  }
  if ((v = shoal_node_get(m, "marker"))) {
    shoal_node *shape = v, *size = NULL;
    if (v->kind == SHOAL_NODE_MAP) {
      const char *const *lists[] = {marker_keys};
      size_t lens[] = {COUNT(marker_keys)};
      shoal_schema_keys(sc, v, "marker", lists, lens, 1);
      shape = shoal_node_get(v, "shape");
      size = shoal_node_get(v, "size");
    }
    if (shape && (e = shoal_schema_enum(sc, shape, "marker shape", marker_names,
                                        COUNT(marker_names))) >= 0) {
      st->marker = (shoal_marker_shape)e;
      st->set |= SHOAL_STY_MARKER;
    }
    if (size && shoal_schema_num(sc, size, "marker size", 0, 500, &st->marker_size))
      st->set |= SHOAL_STY_MSIZE;
  }
  if ((v = shoal_node_get(m, "marker-size")) &&
      shoal_schema_num(sc, v, "marker-size", 0, 500, &st->marker_size))
    st->set |= SHOAL_STY_MSIZE;
  if ((v = shoal_node_get(m, "hatch")) && shoal_schema_color(sc, v, "hatch", &st->hatch))
    st->set |= SHOAL_STY_HATCH;
  if ((v = shoal_node_get(m, "hatch-angle")) &&
      shoal_schema_num(sc, v, "hatch-angle", -360, 360, &st->hatch_angle))
    st->set |= SHOAL_STY_HATCH_ANGLE;
  if ((v = shoal_node_get(m, "hatch-spacing")) &&
      shoal_schema_num(sc, v, "hatch-spacing", 1, 500, &st->hatch_spacing))
    st->set |= SHOAL_STY_HATCH_SPACING;
  if ((v = shoal_node_get(m, "hatch-width")) &&
      shoal_schema_num(sc, v, "hatch-width", 0, 100, &st->hatch_width))
    st->set |= SHOAL_STY_HATCH_WIDTH;
}

static void apply_class(shoal_schema *sc, const shoal_node *name, shoal_style *st, int depth)
{
  if (!shoal_schema_want(sc, name, SHOAL_NODE_SCALAR, "use"))
    return;
  if (depth > 16) {
    shoal_schema_err(sc, name, "classes use each other in a cycle through '%s'", name->str);
    return;
  }
  const shoal_node *cls = find_class(sc, name->str);
  if (!cls) {
    const char *cands[256];
    size_t nc = 0;
    for (size_t i = 0; sc->classes && i < sc->classes->n && nc < COUNT(cands); i++)
      cands[nc++] = sc->classes->pairs[i].key->str;
    const char *s = shoal_suggest(name->str, cands, nc);
    if (s)
      shoal_schema_err(sc, name, "unknown class '%s' (did you mean '%s'?)", name->str, s);
    else
      shoal_schema_err(sc, name, "unknown class '%s'", name->str);
    return;
  }
  if (cls->kind != SHOAL_NODE_MAP)
    return; /* reported when the classes block is checked */
  shoal_schema_style(sc, (shoal_node *)cls, st, depth);
}

static void apply_class_list(shoal_schema *sc, const shoal_node *use, shoal_style *st, int depth)
{
  if (use->kind == SHOAL_NODE_SEQ)
    for (size_t i = 0; i < use->n; i++)
      apply_class(sc, use->items[i], st, depth);
  else
    apply_class(sc, use, st, depth);
}

void shoal_style_defaults(shoal_style *st)
{
  memset(st, 0, sizeof *st);
  st->stroke = (shoal_color){0, 0, 0, 1};
  st->fill = (shoal_color){0, 0, 0, 0};
  st->stroke_width = 1;
  st->opacity = 1;
  st->join = SHOAL_JOIN_ROUND;
  st->cap = SHOAL_CAP_BUTT;
  st->marker_size = 6;
  st->hatch_angle = 45;
  st->hatch_spacing = 6;
  st->hatch_width = 1;
}

static void check_classes(shoal_schema *sc)
{
  if (!sc->classes)
    return;
  for (size_t i = 0; i < sc->classes->n; i++) {
    shoal_node *c = sc->classes->pairs[i].val;
    if (!shoal_schema_want(sc, c, SHOAL_NODE_MAP, "a class"))
      continue;
    const char *const *lists[] = {style_keys, layer_only_keys, rule_only_keys};
    size_t lens[] = {COUNT(style_keys), COUNT(layer_only_keys), COUNT(rule_only_keys)};
    shoal_schema_keys(sc, c, "class", lists, lens, 3);
    /* Validate the class's values once, here, so errors in unused classes still show. */
    shoal_style tmp;
    shoal_style_defaults(&tmp);
    shoal_schema_style(sc, c, &tmp, 0);
  }
}

static void read_data(shoal_schema *sc, shoal_node *v, shoal_layer *L)
{
  if (v->kind == SHOAL_NODE_SCALAR) {
    L->data = calloc(1, sizeof *L->data);
    if (!L->data)
      return;
    L->ndata = 1;
    L->data[0].path = shoal_schema_path(v);
    L->data[0].max_scale = INFINITY;
    L->data[0].loc = (shoal_loc){v->file, v->line, v->col};
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "data"))
    return;
  if (v->n == 0 || v->n > 16) {
    shoal_schema_err(sc, v, "data must list 1 to 16 files");
    return;
  }
  L->data = calloc(v->n, sizeof *L->data);
  if (!L->data)
    return;
  for (size_t i = 0; i < v->n; i++) {
    shoal_node *it = v->items[i];
    shoal_datafile *f = &L->data[L->ndata];
    f->max_scale = INFINITY;
    shoal_node *file = it;
    if (it->kind == SHOAL_NODE_MAP) {
      const char *const *lists[] = {data_keys};
      size_t lens[] = {COUNT(data_keys)};
      shoal_schema_keys(sc, it, "data entry", lists, lens, 1);
      file = shoal_node_get(it, "file");
      if (!file) {
        shoal_schema_err(sc, it, "data entry needs a 'file'");
        continue;
      }
      shoal_node *s;
      if ((s = shoal_node_get(it, "min-scale")))
        shoal_schema_num(sc, s, "min-scale", 0, HUGE_VAL, &f->min_scale);
      if ((s = shoal_node_get(it, "max-scale")))
        shoal_schema_num(sc, s, "max-scale", 0, HUGE_VAL, &f->max_scale);
    }
    if (!shoal_schema_want(sc, file, SHOAL_NODE_SCALAR, "data file"))
      continue;
    f->path = shoal_schema_path(file);
    f->loc = (shoal_loc){file->file, file->line, file->col};
    L->ndata++;
  }
}

static void read_rules(shoal_schema *sc, shoal_node *v, shoal_layer *L)
{
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "rules"))
    return;
  if (v->n > 256) {
    shoal_schema_err(sc, v, "too many rules (%zu; at most 256)", v->n);
    return;
  }
  L->rules = calloc(v->n ? v->n : 1, sizeof *L->rules);
  if (!L->rules)
    return;
  for (size_t i = 0; i < v->n; i++) {
    shoal_node *r = v->items[i];
    if (!shoal_schema_want(sc, r, SHOAL_NODE_MAP, "a rule"))
      continue;
    const char *const *lists[] = {rule_only_keys, style_keys};
    size_t lens[] = {COUNT(rule_only_keys), COUNT(style_keys)};
    shoal_schema_keys(sc, r, "rule", lists, lens, 2);
    shoal_rule *R = &L->rules[L->nrules++];
    R->style = L->style;
    shoal_schema_style(sc, r, &R->style, 0);
    shoal_node *f;
    if ((f = shoal_schema_pick_lang(sc, shoal_node_get(r, "legend"), "legend")))
      shoal_schema_str(sc, f, "legend", &R->legend);
    if ((f = shoal_node_get(r, "filter")) &&
        shoal_schema_want(sc, f, SHOAL_NODE_SCALAR, "filter")) {
      char err[256];
      int col = 0;
      /* Quoted scalars start one column after the quote. */
      int base = f->col + (f->quoted ? 1 : 0);
      R->filter_loc = (shoal_loc){f->file, f->line, base};
      R->filter_text = shoal_strdup(f->str);
      R->filter = shoal_expr_parse(f->str, err, sizeof err, &col);
      if (!R->filter)
        shoal_diag_error(sc->d, SHOAL_ERR_DATA, f->file, f->line, base + (col > 0 ? col - 1 : 0),
                         "bad filter: %s", err);
    }
  }
}

static void read_layer(shoal_schema *sc, shoal_node *n, shoal_layer *L, size_t index)
{
  L->visible = true;
  L->simplify = 0.25;
  L->loc = (shoal_loc){n->file, n->line, n->col};
  shoal_style_defaults(&L->style);
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "a layer"))
    return;
  const char *const *lists[] = {layer_only_keys, style_keys};
  size_t lens[] = {COUNT(layer_only_keys), COUNT(style_keys)};
  shoal_schema_keys(sc, n, "layer", lists, lens, 2);
  shoal_node *v;
  if ((v = shoal_node_get(n, "name")))
    shoal_schema_str(sc, v, "name", &L->name);
  if (!L->name) {
    char buf[32];
    snprintf(buf, sizeof buf, "layer %zu", index + 1);
    L->name = shoal_strdup(buf);
  }
  shoal_schema_style(sc, n, &L->style, 0);
  if ((v = shoal_node_get(n, "data")))
    read_data(sc, v, L);
  else
    shoal_schema_err(sc, n, "layer '%s' needs 'data' (a shapefile path)", L->name);
  if ((v = shoal_node_get(n, "visible")))
    shoal_schema_bool(sc, v, "visible", &L->visible);
  if ((v = shoal_node_get(n, "simplify")))
    shoal_schema_num(sc, v, "simplify", 0, 50, &L->simplify);
  if ((v = shoal_node_get(n, "label-obstacle")))
    shoal_schema_bool(sc, v, "label-obstacle", &L->label_obstacle);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "legend"), "legend")))
    shoal_schema_str(sc, v, "legend", &L->legend);
  if ((v = shoal_node_get(n, "attribution")))
    shoal_schema_str(sc, v, "attribution", &L->attribution);
  if ((v = shoal_node_get(n, "rules")))
    read_rules(sc, v, L);
  if ((v = shoal_node_get(n, "label")))
    shoal_schema_label(sc, v, L);
}

shoal_node *shoal_schema_pick_lang(shoal_schema *sc, shoal_node *n, const char *what)
{
  if (!n || n->kind != SHOAL_NODE_MAP)
    return n;
  const char *lang = sc->lang ? sc->lang : "en";
  shoal_node *pick = NULL, *en = NULL;
  for (size_t i = 0; i < n->n; i++) {
    shoal_node *k = n->pairs[i].key;
    k->used = n->pairs[i].val->used = true;
    if (!pick && strcmp(k->str, lang) == 0)
      pick = n->pairs[i].val;
    if (!en && strcmp(k->str, "en") == 0)
      en = n->pairs[i].val;
  }
  if (!pick)
    pick = en;
  if (!pick)
    shoal_schema_err(sc, n, "%s has no text for language '%s' (nor 'en')", what, lang);
  return pick;
}

static void read_map(shoal_schema *sc, shoal_node *n, shoal_map *m)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "map"))
    return;
  const char *const *lists[] = {map_keys};
  size_t lens[] = {COUNT(map_keys)};
  shoal_schema_keys(sc, n, "map", lists, lens, 1);
  shoal_node *v;
  /* The language first: texts below may be given per language. */
  if ((v = shoal_node_get(n, "lang")) && shoal_schema_str(sc, v, "lang", &m->lang))
    m->lang_loc = (shoal_loc){v->file, v->line, v->col + (v->quoted ? 1 : 0)};
  sc->lang = m->lang;
  if ((v = shoal_node_get(n, "size"))) {
    double wh[2];
    if (shoal_schema_nums(sc, v, "size", wh, 2)) {
      if (wh[0] < 16 || wh[1] < 16 || wh[0] > 20000 || wh[1] > 20000 || wh[0] != floor(wh[0]) ||
          wh[1] != floor(wh[1]))
        shoal_schema_err(sc, v, "size must be two whole numbers of pixels from 16 to 20000");
      else {
        m->width = (int)wh[0];
        m->height = (int)wh[1];
      }
    }
  }
  if ((v = shoal_node_get(n, "scale")))
    shoal_schema_num(sc, v, "scale", 0.1, 8, &m->scale);
  if ((v = shoal_node_get(n, "crs"))) {
    shoal_schema_str(sc, v, "crs", &m->crs);
    m->crs_loc = (shoal_loc){v->file, v->line, v->col};
  }
  if ((v = shoal_node_get(n, "extent-crs")))
    shoal_schema_str(sc, v, "extent-crs", &m->extent_crs);
  if ((v = shoal_node_get(n, "extent"))) {
    m->extent_loc = (shoal_loc){v->file, v->line, v->col};
    if (shoal_schema_nums(sc, v, "extent", m->extent, 4) &&
        (m->extent[0] >= m->extent[2] || m->extent[1] >= m->extent[3]))
      shoal_schema_err(sc, v,
                       "extent must be [west, south, east, north] with west < east and "
                       "south < north");
  } else if (!sc->style_only) {
    shoal_schema_err(sc, n, "map needs an 'extent' ([west, south, east, north])");
  }
  if ((v = shoal_node_get(n, "background")))
    shoal_schema_color(sc, v, "background", &m->background);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "title"), "title")))
    shoal_schema_str(sc, v, "title", &m->title);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "subtitle"), "subtitle")))
    shoal_schema_str(sc, v, "subtitle", &m->subtitle);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "credit"), "credit")))
    shoal_schema_str(sc, v, "credit", &m->credit);
  if ((v = shoal_node_get(n, "font")))
    shoal_schema_str(sc, v, "font", &m->font);
}

bool shoal_schema_build(shoal_node *root, shoal_diag *d, shoal_map *m)
{
  shoal_schema sc = {.d = d, .root = root};
  size_t before = shoal_diag_nerrors(d);
  m->width = 800;
  m->height = 600;
  m->scale = 1;
  m->background = (shoal_color){1, 1, 1, 1};
  if (!shoal_schema_want(&sc, root, SHOAL_NODE_MAP, "a map file"))
    return false;
  const char *const *lists[] = {top_keys};
  size_t lens[] = {COUNT(top_keys)};
  shoal_schema_keys(&sc, root, "the map file", lists, lens, 1);
  shoal_node *v;
  if ((v = shoal_node_get(root, "classes")) && shoal_schema_want(&sc, v, SHOAL_NODE_MAP, "classes"))
    sc.classes = v;
  check_classes(&sc);
  /* A file without layers is a style file, made to be included: everything in it is checked,
   * but it need not say where the map is. */
  m->style_only = !shoal_node_find(root, "layers") && !shoal_node_find(root, "annotations");
  sc.style_only = m->style_only;
  if ((v = shoal_node_get(root, "map")))
    read_map(&sc, v, m);
  else if (!m->style_only)
    shoal_schema_err(&sc, root, "the map file needs a 'map:' section");
  if (!m->crs)
    m->crs = shoal_strdup("EPSG:4326");
  if (!m->extent_crs)
    m->extent_crs = shoal_strdup("EPSG:4326");
  if (!m->lang)
    m->lang = shoal_strdup("en");
  if (!m->font)
    m->font = shoal_strdup("Noto Sans");
  if ((v = shoal_node_get(root, "layers")) && shoal_schema_want(&sc, v, SHOAL_NODE_SEQ, "layers")) {
    if (v->n > 1024) {
      shoal_schema_err(&sc, v, "too many layers (%zu; at most 1024)", v->n);
    } else {
      m->layers = calloc(v->n ? v->n : 1, sizeof *m->layers);
      if (m->layers)
        for (size_t i = 0; i < v->n; i++)
          read_layer(&sc, v->items[i], &m->layers[m->nlayers++], i);
    }
  }
  if ((v = shoal_node_get(root, "annotations")))
    shoal_schema_annots(&sc, v, m);
  shoal_schema_furniture(&sc, shoal_node_get(root, "furniture"), m);
  return shoal_diag_nerrors(d) == before;
}
