/* Schema: turns the merged YAML tree into the validated map model, reporting every unknown
 * key, wrong type and bad value at its file:line:col (with a did-you-mean where one is close). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"
#include "config/schema_text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"map",       "layers",      "classes",
                                       "variables", "annotations", "furniture"};
static const char *const map_keys[] = {
    "size",     "scale",  "crs",  "extent", "extent-crs", "background", "title",
    "subtitle", "credit", "lang", "font",   "svg-text",   "png-palette"};
static const char *const layer_only_keys[] = {
    "name",  "data",           "visible", "simplify", "legend", "attribution", "rules",
    "label", "label-obstacle", "layer",   "lon",      "lat",    "zones"};
static const char *const rule_only_keys[] = {"filter", "legend"};
static const char *const data_keys[] = {"file", "min-scale", "max-scale", "layer", "lon", "lat"};

/* The layer:, lon: and lat: of a layer or of one of its data entries (which wins). */
static void read_data_opts(shoal_schema *sc, shoal_node *n, shoal_datafile *f)
{
  static const char *const keys[] = {"layer", "lon", "lat"};
  char **dst[] = {&f->layer, &f->lon, &f->lat};
  for (size_t i = 0; i < COUNT(keys); i++) {
    shoal_node *v = shoal_node_get(n, keys[i]);
    if (!v)
      continue;
    free(*dst[i]);
    *dst[i] = NULL;
    shoal_schema_str(sc, v, keys[i], dst[i]);
  }
}

static void check_classes(shoal_schema *sc)
{
  if (!sc->classes)
    return;
  for (size_t i = 0; i < sc->classes->n; i++) {
    shoal_node *c = sc->classes->pairs[i].val;
    if (!shoal_schema_want(sc, c, SHOAL_NODE_MAP, "a class"))
      continue;
    const char *const *lists[] = {shoal_style_keys, layer_only_keys, rule_only_keys};
    size_t lens[] = {shoal_nstyle_keys, COUNT(layer_only_keys), COUNT(rule_only_keys)};
    shoal_schema_keys(sc, c, "class", lists, lens, 3);
    /* Validate the class's values once, here, so errors in unused classes still show. */
    shoal_style tmp;
    shoal_style_defaults(&tmp);
    shoal_schema_style(sc, c, &tmp, 0);
  }
}

/* One entry of data: (a path, or {file, min-scale, max-scale, layer, lon, lat}) into f, with
 * the layer's own layer/lon/lat (node L) where the entry gives none; false when it gave no
 * usable file. */
static bool read_data_entry(shoal_schema *sc, shoal_node *it, shoal_node *L, shoal_datafile *f)
{
  f->max_scale = INFINITY;
  read_data_opts(sc, L, f);
  shoal_node *file = it;
  if (it->kind == SHOAL_NODE_MAP) {
    const char *const *lists[] = {data_keys};
    size_t lens[] = {COUNT(data_keys)};
    shoal_schema_keys(sc, it, "data entry", lists, lens, 1);
    file = shoal_node_get(it, "file");
    if (!file) {
      shoal_schema_err(sc, it, "data entry needs a 'file'");
      return false;
    }
    shoal_node *s;
    if ((s = shoal_node_get(it, "min-scale")))
      shoal_schema_num(sc, s, "min-scale", 0, HUGE_VAL, &f->min_scale);
    if ((s = shoal_node_get(it, "max-scale")))
      shoal_schema_num(sc, s, "max-scale", 0, HUGE_VAL, &f->max_scale);
    read_data_opts(sc, it, f);
  }
  if (!shoal_schema_want(sc, file, SHOAL_NODE_SCALAR, "data file"))
    return false;
  f->loc = shoal_node_loc(file);
  f->path = shoal_schema_data_path(sc, file, true);
  return f->path != NULL;
}

static void read_data(shoal_schema *sc, shoal_node *v, shoal_node *ln, shoal_layer *L)
{
  if (v->kind != SHOAL_NODE_SCALAR && !shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "data"))
    return;
  size_t n = v->kind == SHOAL_NODE_SCALAR ? 1 : v->n;
  if (n == 0 || n > 16) {
    shoal_schema_err(sc, v, "data must list 1 to 16 files");
    return;
  }
  L->data = calloc(n, sizeof *L->data);
  if (!L->data)
    return;
  for (size_t i = 0; i < n; i++) {
    shoal_datafile *f = &L->data[L->ndata];
    if (read_data_entry(sc, v->kind == SHOAL_NODE_SCALAR ? v : v->items[i], ln, f)) {
      L->ndata++;
    } else {
      free(f->layer);
      free(f->lon);
      free(f->lat);
      *f = (shoal_datafile){0};
    }
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
    const char *const *lists[] = {rule_only_keys, shoal_style_keys};
    size_t lens[] = {COUNT(rule_only_keys), shoal_nstyle_keys};
    shoal_schema_keys(sc, r, "rule", lists, lens, 2);
    shoal_rule *R = &L->rules[L->nrules++];
    R->style = L->style;
    shoal_schema_style(sc, r, &R->style, 0);
    shoal_node *f;
    if ((f = shoal_schema_pick_lang(sc, shoal_node_get(r, "legend"), "legend")))
      if (shoal_schema_str(sc, f, "legend", &R->legend))
        shoal_schema_legend_count(sc, f);
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
        shoal_diag_error_at(sc->d, SHOAL_ERR_DATA,
                            (shoal_loc){f->file, f->line, base + (col > 0 ? col - 1 : 0)},
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
  const char *const *lists[] = {layer_only_keys, shoal_style_keys};
  size_t lens[] = {COUNT(layer_only_keys), shoal_nstyle_keys};
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
  shoal_node *z = shoal_node_get(n, "zones");
  if ((v = shoal_node_get(n, "data")) && z)
    shoal_schema_err(sc, z, "layer '%s' has both 'data' and 'zones': give one", L->name);
  else if (v)
    read_data(sc, v, n, L);
  else if (z)
    shoal_schema_zones(sc, z, L);
  else
    shoal_schema_err(sc, n, "layer '%s' needs 'data' (a data file's path) or 'zones'", L->name);
  if ((v = shoal_node_get(n, "visible")))
    shoal_schema_bool(sc, v, "visible", &L->visible);
  if ((v = shoal_node_get(n, "simplify")))
    shoal_schema_num(sc, v, "simplify", 0, 50, &L->simplify);
  if ((v = shoal_node_get(n, "label-obstacle")))
    shoal_schema_bool(sc, v, "label-obstacle", &L->label_obstacle);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "legend"), "legend")))
    if (shoal_schema_str(sc, v, "legend", &L->legend))
      shoal_schema_legend_count(sc, v);
  if ((v = shoal_schema_pick_lang(sc, shoal_node_get(n, "attribution"), "attribution")))
    shoal_schema_str(sc, v, "attribution", &L->attribution);
  if ((v = shoal_node_get(n, "rules")))
    read_rules(sc, v, L);
  if ((v = shoal_node_get(n, "label")))
    shoal_schema_label(sc, v, L);
}

/* png-palette: true (256 colours), false, or a number of colours (0 = full colour). */
static void read_png_palette(shoal_schema *sc, shoal_node *v, shoal_map *m)
{
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, "png-palette"))
    return;
  double c;
  if (!strcmp(v->str, "true") || !strcmp(v->str, "false"))
    m->png_palette = v->str[0] == 't' ? 256 : 0;
  else if (shoal_parse_double(v->str, &c) && c == floor(c) && (c == 0 || (c >= 2 && c <= 256)))
    m->png_palette = (int)c;
  else
    shoal_schema_err(sc, v,
                     "png-palette must be true, false or a number of colours from 2 to 256 "
                     "(0: full colour), not '%s'",
                     v->str);
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
    m->size_loc = shoal_node_loc(v);
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
  if ((v = shoal_node_get(n, "scale")) && shoal_schema_num(sc, v, "scale", 0.1, 8, &m->scale))
    m->scale_loc = shoal_node_loc(v);
  if ((v = shoal_node_get(n, "crs"))) {
    shoal_schema_str(sc, v, "crs", &m->crs);
    m->crs_loc = (shoal_loc){v->file, v->line, v->col};
  }
  if ((v = shoal_node_get(n, "extent-crs")))
    shoal_schema_str(sc, v, "extent-crs", &m->extent_crs);
  if ((v = shoal_node_get(n, "extent"))) {
    m->extent_loc = (shoal_loc){v->file, v->line, v->col};
    /* west > east is an extent crossing 180; the view checks it against the extent CRS. */
    if (shoal_schema_nums(sc, v, "extent", m->extent, 4) &&
        (m->extent[0] == m->extent[2] || m->extent[1] >= m->extent[3]))
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
  if ((v = shoal_node_get(n, "font")) && shoal_schema_str(sc, v, "font", &m->font))
    m->font_loc = (shoal_loc){v->file, v->line, v->col + (v->quoted ? 1 : 0)};
  static const char *const svg_text[] = {"text", "outlines"};
  if ((v = shoal_node_get(n, "svg-text")))
    m->svg_outlines = shoal_schema_enum(sc, v, "svg-text", svg_text, COUNT(svg_text)) == 1;
  if ((v = shoal_node_get(n, "png-palette")))
    read_png_palette(sc, v, m);
}

bool shoal_schema_build(shoal_node *root, const shoal_searchpath *sp, shoal_diag *d, shoal_map *m)
{
  shoal_schema sc = {.d = d, .root = root, .search = sp};
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
