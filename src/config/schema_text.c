/* Readers shared by labels and annotations: text styles, templates, filters, points and
 * coordinate lists, each reporting at its file:line:col. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/expr_priv.h"
#include "config/label_model.h"
#include "config/node.h"
#include "config/schema.h"
#include "config/schema_text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_COORDS 100000

/* ---- shared readers -------------------------------------------------------------------- */

static const char *const text_keys[] = {"font",           "size", "weight",     "italic",
                                        "color",          "halo", "halo-width", "transform",
                                        "letter-spacing", "wrap"};
static const char *const transform_names[] = {"none", "upper"};

shoal_color shoal_schema_hex(unsigned v, double a)
{
  return (shoal_color){((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, a};
}

void shoal_schema_textstyle_defaults(shoal_textstyle *ts, double size, unsigned color,
                                     double halo_width)
{
  memset(ts, 0, sizeof *ts);
  ts->size = size;
  ts->weight = 400;
  ts->color = shoal_schema_hex(color, 1);
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

void shoal_schema_textstyle(shoal_schema *sc, shoal_node *m, shoal_textstyle *ts)
{
  shoal_node *v;
  if ((v = shoal_node_get(m, "font")) && shoal_schema_str(sc, v, "font", &ts->font))
    ts->font_loc = shoal_schema_text_loc(v);
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
void shoal_schema_keys_text(shoal_schema *sc, shoal_node *m, const char *what,
                            const char *const *own, size_t nown, bool with_text)
{
  const char *const *lists[] = {own, text_keys};
  size_t lens[] = {nown, COUNT(text_keys)};
  shoal_schema_keys(sc, m, what, lists, lens, with_text ? 2 : 1);
}

/* A template: kept as text (bound to fields when the scene is prepared); syntax checked now. */
void shoal_schema_template(shoal_schema *sc, shoal_node *v, const char *what, char **out,
                           shoal_loc *loc)
{
  if (!v || !shoal_schema_str(sc, v, what, out))
    return;
  *loc = shoal_schema_text_loc(v);
  size_t *map = NULL;
  char *x = shoal_label_expand_names(v->str, NULL, 0, &map);
  if (!x)
    return;
  char err[256];
  int col = 0;
  shoal_template *t = shoal_template_parse(x, err, sizeof err, &col);
  if (!t) {
    int c = loc->col + (col > 0 ? (int)map[col - 1] : 0);
    shoal_diag_error_at(sc->d, SHOAL_ERR_DATA, (shoal_loc){loc->file, loc->line, c}, "bad %s: %s",
                        what, err);
  }
  shoal_template_free(t);
  free(x);
  free(map);
}

void shoal_schema_legend_count(shoal_schema *sc, const shoal_node *v)
{
  const char *end, *spec;
  size_t speclen, bad;
  shoal_numfmt f;
  for (const char *p = v && v->kind == SHOAL_NODE_SCALAR ? v->str : NULL;
       p && (p = shoal_numfmt_find_key(p, "count", &end, &spec, &speclen)); p = end) {
    if (!speclen || shoal_numfmt_parse(spec, speclen, &f, &bad))
      continue;
    shoal_loc l = shoal_schema_text_loc(v);
    l.col += shoal_expr_col(v->str, (size_t)(spec - v->str) + bad) - 1;
    shoal_diag_error_at(sc->d, SHOAL_ERR_DATA, l,
                        "bad legend: bad number format '%.*s' (write e.g. ',' or ',d' after "
                        "'{count:')",
                        (int)speclen, spec);
  }
}

void shoal_schema_filter(shoal_schema *sc, shoal_node *f, char **text, shoal_expr **e,
                         shoal_loc *loc)
{
  if (!shoal_schema_want(sc, f, SHOAL_NODE_SCALAR, "filter"))
    return;
  char err[256];
  int col = 0;
  *loc = shoal_schema_text_loc(f);
  free(*text);
  *text = shoal_strdup(f->str);
  *e = shoal_expr_parse(f->str, err, sizeof err, &col);
  if (!*e)
    shoal_diag_error_at(sc->d, SHOAL_ERR_DATA,
                        (shoal_loc){loc->file, loc->line, loc->col + (col > 0 ? col - 1 : 0)},
                        "bad filter: %s", err);
}

bool shoal_schema_lonlat(shoal_schema *sc, shoal_node *v, const char *what, double *lon,
                         double *lat)
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
void shoal_schema_placeref(shoal_schema *sc, shoal_node *v, const char *what, shoal_placeref *r)
{
  r->loc = shoal_node_loc(v);
  if (v->kind == SHOAL_NODE_SEQ) {
    r->set = shoal_schema_lonlat(sc, v, what, &r->lon, &r->lat);
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, what))
    return;
  if (!*v->str) {
    shoal_schema_err(sc, v, "%s must name a place id or give [lon, lat]", what);
    return;
  }
  r->loc = shoal_schema_text_loc(v);
  r->set = shoal_schema_str(sc, v, what, &r->place);
}

/* List of [lon, lat] pairs, at least min of them. */
void shoal_schema_coords(shoal_schema *sc, shoal_node *v, const char *what, size_t min,
                         shoal_annot *a)
{
  a->coords_loc = shoal_node_loc(v);
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
    ok &= shoal_schema_lonlat(sc, v->items[i], "a point", &c[2 * i], &c[2 * i + 1]);
  if (!ok) {
    free(c);
    return;
  }
  free(a->coords);
  a->coords = c;
  a->ncoords = v->n;
}

void shoal_schema_textstyle_free(shoal_textstyle *ts) { free(ts->font); }
