/* Reader of the furniture: section (title band, legend, scale bar, graticule, north arrow,
 * inset): strict keys with did-you-mean, values checked at their file:line:col. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/furn_model.h"
#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const furn_keys[] = {"title-band",  "legend", "scale-bar", "graticule",
                                        "north-arrow", "inset",  "layout",    "texts"};
static const char *const layout_names[] = {"overlay", "bands"};
static const char *const legend_keys[] = {"show", "position", "title", "max-width"};
static const char *const scalebar_keys[] = {"show", "position", "units", "max-length"};
static const char *const graticule_keys[] = {"show",  "step",  "labels",      "label-edges",
                                             "color", "width", "label-color", "label-size"};
static const char *const north_keys[] = {"show", "position", "size"};
static const char *const inset_keys[] = {"show", "extent", "position", "size", "crs",      "data",
                                         "land", "coast",  "sea",      "box",  "box-width"};
static const char *const corner_names[] = {"top-left",     "top-right", "bottom-left",
                                           "bottom-right", "left",      "right"};
static const char *const unit_names[] = {"km", "nmi", "mi"};
static const char *const edge_names[] = {"top", "bottom", "left", "right"};
static const char *const tri_names[] = {"auto", "true", "false", "yes", "no", "on", "off"};

static shoal_color rgb(unsigned hex)
{
  return (shoal_color){((hex >> 16) & 255) / 255.0, ((hex >> 8) & 255) / 255.0, (hex & 255) / 255.0,
                       1};
}

static void defaults(shoal_furnspec *f)
{
  f->title_band = false;
  f->band_color = rgb(0xffffff);
  f->legend.show = true;
  f->legend.position = SHOAL_CORNER_BOTTOM_LEFT;
  f->legend.max_width = 260;
  f->scalebar.show = true;
  f->scalebar.position = SHOAL_CORNER_BOTTOM_LEFT;
  f->scalebar.units[0] = SHOAL_UNIT_KM;
  f->scalebar.units[1] = SHOAL_UNIT_NMI;
  f->scalebar.nunits = 2;
  f->graticule.show = true;
  f->graticule.labels = true;
  f->graticule.edges = SHOAL_EDGE_BOTTOM | SHOAL_EDGE_LEFT;
  f->graticule.color = rgb(0xc9d6df);
  f->graticule.width = 0.4;
  f->graticule.label_color = rgb(0x6b7d8a);
  f->graticule.label_size = 9.5;
  f->north.show = SHOAL_TRI_AUTO;
  f->north.position = SHOAL_CORNER_BOTTOM_RIGHT;
  f->north.size = 28;
  f->inset.show = false;
  f->inset.position = SHOAL_CORNER_TOP_RIGHT;
  f->inset.size[0] = 220;
  f->inset.size[1] = 180;
  f->inset.land = rgb(0xe4dfd5);
  f->inset.coast = rgb(0xa0a0a0);
  f->inset.sea = rgb(0xf4f7f9);
  f->inset.box = rgb(0xc8102e);
  f->inset.box_width = 1.5;
  f->inset.crs = shoal_strdup("EPSG:4326");
}

static void check_keys(shoal_schema *sc, const shoal_node *n, const char *what,
                       const char *const *keys, size_t nkeys)
{
  const char *const *lists[] = {keys};
  size_t lens[] = {nkeys};
  shoal_schema_keys(sc, n, what, lists, lens, 1);
}

/* A section written as a bare boolean (`legend: false`) or as a mapping with an optional
 * `show:`. Returns the mapping to read further, or NULL. */
static shoal_node *section(shoal_schema *sc, shoal_node *n, const char *what, bool *show,
                           const char *const *keys, size_t nkeys)
{
  if (n->kind == SHOAL_NODE_SCALAR) {
    shoal_schema_bool(sc, n, what, show);
    return NULL;
  }
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, what))
    return NULL;
  check_keys(sc, n, what, keys, nkeys);
  *show = true;
  shoal_node *v;
  if ((v = shoal_node_get(n, "show")))
    shoal_schema_bool(sc, v, "show", show);
  return n;
}

static void read_corner(shoal_schema *sc, shoal_node *m, shoal_corner *out)
{
  shoal_node *v = shoal_node_get(m, "position");
  int e;
  if (v && (e = shoal_schema_enum(sc, v, "position", corner_names, COUNT(corner_names))) >= 0)
    *out = (shoal_corner)e;
}

static void read_title_band(shoal_schema *sc, shoal_node *v, shoal_furnspec *f)
{
  /* true / false, or a colour for the band. */
  if (v->kind == SHOAL_NODE_SCALAR) {
    static const char *const bools[] = {"true", "false", "yes", "no", "on", "off"};
    for (size_t i = 0; i < COUNT(bools); i++)
      if (strcmp(v->str, bools[i]) == 0) {
        shoal_schema_bool(sc, v, "title-band", &f->title_band);
        return;
      }
    shoal_color c;
    if (shoal_color_parse(v->str, &c)) {
      f->title_band = c.a > 0;
      f->band_color = c;
      return;
    }
  }
  shoal_schema_err(sc, v, "title-band must be true, false or a colour");
}

static void read_legend(shoal_schema *sc, shoal_node *n, shoal_furnspec *f)
{
  shoal_node *m = section(sc, n, "legend", &f->legend.show, legend_keys, COUNT(legend_keys));
  if (!m)
    return;
  shoal_node *v;
  read_corner(sc, m, &f->legend.position);
  if ((v = shoal_node_get(m, "title")))
    shoal_schema_str(sc, v, "legend title", &f->legend.title);
  if ((v = shoal_node_get(m, "max-width")))
    shoal_schema_num(sc, v, "legend max-width", 60, 2000, &f->legend.max_width);
}

static void read_scalebar(shoal_schema *sc, shoal_node *n, shoal_furnspec *f)
{
  shoal_node *m =
      section(sc, n, "scale-bar", &f->scalebar.show, scalebar_keys, COUNT(scalebar_keys));
  if (!m)
    return;
  shoal_node *v;
  read_corner(sc, m, &f->scalebar.position);
  if ((v = shoal_node_get(m, "max-length")))
    shoal_schema_num(sc, v, "scale-bar max-length", 20, 5000, &f->scalebar.max_length);
  if ((v = shoal_node_get(m, "units"))) {
    shoal_node *one = v->kind == SHOAL_NODE_SCALAR ? v : NULL;
    size_t n_items = one ? 1 : v->n;
    if (!one && !shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "units"))
      return;
    if (n_items < 1 || n_items > 2) {
      shoal_schema_err(sc, v, "units must list one or two of km, nmi, mi");
      return;
    }
    int got = 0;
    for (size_t i = 0; i < n_items; i++) {
      int e = shoal_schema_enum(sc, one ? one : v->items[i], "unit", unit_names, COUNT(unit_names));
      if (e >= 0)
        f->scalebar.units[got++] = (shoal_unit)e;
    }
    if (got == (int)n_items)
      f->scalebar.nunits = got;
  }
}

static void read_edges(shoal_schema *sc, shoal_node *v, unsigned *out)
{
  if (v->kind == SHOAL_NODE_SCALAR) {
    int e = shoal_schema_enum(sc, v, "label edge", edge_names, COUNT(edge_names));
    if (e >= 0)
      *out = 1u << e;
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "label-edges"))
    return;
  unsigned bits = 0;
  for (size_t i = 0; i < v->n; i++) {
    int e = shoal_schema_enum(sc, v->items[i], "label edge", edge_names, COUNT(edge_names));
    if (e >= 0)
      bits |= 1u << e;
  }
  if (bits)
    *out = bits;
  else if (v->n == 0)
    shoal_schema_err(sc, v, "label-edges must name at least one of top, bottom, left, right");
}

static void read_graticule(shoal_schema *sc, shoal_node *n, shoal_furnspec *f)
{
  shoal_node *m =
      section(sc, n, "graticule", &f->graticule.show, graticule_keys, COUNT(graticule_keys));
  if (!m)
    return;
  shoal_node *v;
  if ((v = shoal_node_get(m, "step")) &&
      !(v->kind == SHOAL_NODE_SCALAR && strcmp(v->str, "auto") == 0))
    shoal_schema_num(sc, v, "graticule step", 1.0 / 60, 90, &f->graticule.step);
  if ((v = shoal_node_get(m, "labels")))
    shoal_schema_bool(sc, v, "graticule labels", &f->graticule.labels);
  if ((v = shoal_node_get(m, "label-edges")))
    read_edges(sc, v, &f->graticule.edges);
  if ((v = shoal_node_get(m, "color")))
    shoal_schema_color(sc, v, "graticule color", &f->graticule.color);
  if ((v = shoal_node_get(m, "width")))
    shoal_schema_num(sc, v, "graticule width", 0, 10, &f->graticule.width);
  if ((v = shoal_node_get(m, "label-color")))
    shoal_schema_color(sc, v, "graticule label-color", &f->graticule.label_color);
  if ((v = shoal_node_get(m, "label-size")))
    shoal_schema_num(sc, v, "graticule label-size", 4, 40, &f->graticule.label_size);
}

static void read_tri(shoal_schema *sc, shoal_node *v, shoal_tristate *out)
{
  int e = shoal_schema_enum(sc, v, "north-arrow setting", tri_names, COUNT(tri_names));
  if (e == 0)
    *out = SHOAL_TRI_AUTO;
  else if (e == 1 || e == 3 || e == 5)
    *out = SHOAL_TRI_ON;
  else if (e > 0)
    *out = SHOAL_TRI_OFF;
}

static void read_north(shoal_schema *sc, shoal_node *n, shoal_furnspec *f)
{
  if (n->kind == SHOAL_NODE_SCALAR) {
    read_tri(sc, n, &f->north.show);
    return;
  }
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "north-arrow"))
    return;
  check_keys(sc, n, "north-arrow", north_keys, COUNT(north_keys));
  shoal_node *v;
  f->north.show = SHOAL_TRI_ON;
  if ((v = shoal_node_get(n, "show")))
    read_tri(sc, v, &f->north.show);
  read_corner(sc, n, &f->north.position);
  if ((v = shoal_node_get(n, "size")))
    shoal_schema_num(sc, v, "north-arrow size", 8, 200, &f->north.size);
}

static void read_inset(shoal_schema *sc, shoal_node *n, shoal_furnspec *f)
{
  f->inset.loc = (shoal_loc){n->file, n->line, n->col};
  shoal_node *m = section(sc, n, "inset", &f->inset.show, inset_keys, COUNT(inset_keys));
  if (!m)
    return;
  shoal_node *v;
  read_corner(sc, m, &f->inset.position);
  if ((v = shoal_node_get(m, "extent"))) {
    double e[4];
    if (shoal_schema_nums(sc, v, "inset extent", e, 4)) {
      /* As for the map's extent: east < west crosses 180, the same as east + 360. */
      if (e[2] < e[0])
        e[2] += 360;
      if (e[0] >= e[2] || e[1] >= e[3] || e[1] < -90 || e[3] > 90 || e[0] < -540 || e[2] > 540 ||
          e[2] - e[0] > 360)
        shoal_schema_err(sc, v,
                         "inset extent must be [west, south, east, north] in degrees with "
                         "south < north, at most 360 degrees wide (one crossing 180 may say "
                         "[100, -50, -120, 60] or [100, -50, 240, 60])");
      else
        memcpy(f->inset.extent, e, sizeof e);
    }
  } else if (f->inset.show) {
    shoal_schema_err(sc, m, "inset needs an 'extent' ([west, south, east, north] in degrees)");
  }
  if ((v = shoal_node_get(m, "size"))) {
    double wh[2];
    if (shoal_schema_nums(sc, v, "inset size", wh, 2)) {
      if (wh[0] < 40 || wh[1] < 40 || wh[0] > 4000 || wh[1] > 4000)
        shoal_schema_err(sc, v, "inset size must be two lengths from 40 to 4000 px");
      else
        memcpy(f->inset.size, wh, sizeof wh);
    }
  }
  if ((v = shoal_node_get(m, "crs"))) {
    shoal_schema_str(sc, v, "inset crs", &f->inset.crs);
    f->inset.crs_loc = (shoal_loc){v->file, v->line, v->col};
  }
  if ((v = shoal_node_get(m, "data")) &&
      shoal_schema_want(sc, v, SHOAL_NODE_SCALAR, "inset data")) {
    free(f->inset.data);
    f->inset.data = shoal_schema_data_path(sc, v, false);
    f->inset.data_loc = (shoal_loc){v->file, v->line, v->col};
  } else if (!v && f->inset.show) {
    shoal_schema_err(sc, m, "inset needs 'data' (a land shapefile for the locator)");
  }
  if ((v = shoal_node_get(m, "land")))
    shoal_schema_color(sc, v, "inset land", &f->inset.land);
  if ((v = shoal_node_get(m, "coast")))
    shoal_schema_color(sc, v, "inset coast", &f->inset.coast);
  if ((v = shoal_node_get(m, "sea")))
    shoal_schema_color(sc, v, "inset sea", &f->inset.sea);
  if ((v = shoal_node_get(m, "box")))
    shoal_schema_color(sc, v, "inset box", &f->inset.box);
  if ((v = shoal_node_get(m, "box-width")))
    shoal_schema_num(sc, v, "inset box-width", 0, 20, &f->inset.box_width);
}

void shoal_schema_furniture(shoal_schema *sc, shoal_node *n, shoal_map *m)
{
  shoal_furnspec *f = calloc(1, sizeof *f);
  if (!f) {
    shoal_schema_err(sc, n, "out of memory reading furniture");
    return;
  }
  defaults(f);
  shoal_schema_words_defaults(f, m->lang);
  shoal_furnspec_free(m->furn);
  m->furn = f;
  if (!n)
    return;
  if (n->kind == SHOAL_NODE_SCALAR) {
    /* `furniture: false` turns off everything but the title and the credit line. */
    bool on = true;
    if (shoal_schema_bool(sc, n, "furniture", &on) && !on) {
      f->legend.show = f->scalebar.show = f->graticule.show = false;
      f->north.show = SHOAL_TRI_OFF;
    }
    return;
  }
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "furniture"))
    return;
  check_keys(sc, n, "furniture", furn_keys, COUNT(furn_keys));
  shoal_node *v;
  if ((v = shoal_node_get(n, "title-band")))
    read_title_band(sc, v, f);
  if ((v = shoal_node_get(n, "legend")))
    read_legend(sc, v, f);
  if ((v = shoal_node_get(n, "scale-bar")))
    read_scalebar(sc, v, f);
  if ((v = shoal_node_get(n, "graticule")))
    read_graticule(sc, v, f);
  if ((v = shoal_node_get(n, "north-arrow")))
    read_north(sc, v, f);
  if ((v = shoal_node_get(n, "inset")))
    read_inset(sc, v, f);
  int e;
  if ((v = shoal_node_get(n, "layout")) &&
      (e = shoal_schema_enum(sc, v, "layout", layout_names, COUNT(layout_names))) >= 0)
    f->bands = e == 1;
  if ((v = shoal_node_get(n, "texts")))
    shoal_schema_words(sc, v, f);
}

void shoal_furnspec_free(struct shoal_furnspec *f)
{
  if (!f)
    return;
  free(f->legend.title);
  free(f->inset.crs);
  free(f->inset.data);
  for (int i = 0; i < SHOAL_WORD_COUNT; i++)
    free(f->words[i]);
  free(f);
}
