/* Schema of the `annotations:` list: markers, callouts, area labels, highlighted areas and
 * distance notes (config/label_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/label_model.h"
#include "config/node.h"
#include "config/schema.h"
#include "config/schema_text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const position_names[] = {"n", "ne", "e", "se", "s", "sw", "w", "nw"};
static const char *const marker_names[] = {"none",    "circle", "square", "triangle",
                                           "diamond", "star",   "cross"};

/* ---- annotations: ---------------------------------------------------------------------- */

static const char *const kind_names[] = {"marker", "callout", "area-label", "highlight",
                                         "distance"};
static const char *const marker_keys[] = {
    "place",        "layer",   "at",  "shape",  "size",        "fill",  "stroke",
    "stroke-width", "opacity", "use", "marker", "marker-size", "label", "legend"};
static const char *const callout_keys[] = {
    "place",   "layer", "at",     "text",         "position", "anchor",       "distance", "gap",
    "padding", "fill",  "stroke", "stroke-width", "leader",   "leader-width", "priority", "width"};
static const char *const area_keys[] = {"text", "at", "place", "layer", "path", "priority"};
static const char *const highlight_keys[] = {
    "polygon",       "layer",       "filter",    "fill",      "stroke",
    "stroke-width",  "dash",        "opacity",   "hatch",     "hatch-angle",
    "hatch-spacing", "hatch-width", "line-join", "use",       "within",
    "legend",        "place",       "at",        "radius-nm", "mask"};
static const char *const distance_keys[] = {"from",  "to",       "to-coast", "layer",
                                            "label", "priority", "stroke",   "stroke-width",
                                            "dash",  "opacity",  "use"};
static const char *const coast_keys[] = {"layer", "containing", "filter"};

static void read_layer_name(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_node *v = shoal_node_get(m, "layer");
  if (v && shoal_schema_str(sc, v, "layer", &a->layer))
    a->layer_loc = shoal_schema_text_loc(v);
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
    shoal_schema_placeref(sc, p, "place", &a->at);
  } else if (at) {
    a->at.loc = shoal_node_loc(at);
    a->at.set = shoal_schema_lonlat(sc, at, "at", &a->at.lon, &a->at.lat);
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
  a->style.fill = shoal_schema_hex(0xffffff, 1);
  a->style.stroke = shoal_schema_hex(0x222222, 1);
  a->style.stroke_width = 0.8;
  a->style.set = SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_WIDTH | SHOAL_STY_MARKER;
  a->priority = 90;
  a->offset = 3;
  a->leaders = true;
  shoal_schema_textstyle_defaults(&a->ts, 11, 0x222222, 1.5);
  shoal_schema_keys_text(sc, m, "marker", marker_keys, COUNT(marker_keys), false);
  read_at(sc, m, a, true, "marker");
  read_layer_name(sc, m, a);
  shoal_schema_style(sc, m, &a->style, 0);
  read_marker_shape(sc, m, a);
  shoal_node *v = shoal_schema_pick_lang(sc, shoal_node_get(m, "legend"), "legend");
  if (v)
    shoal_schema_str(sc, v, "legend", &a->legend);
  v = shoal_node_get(m, "label");
  if (!v)
    return;
  /* The marker's label is a label: block of its own; copy what it says into the annotation. */
  shoal_labelspec l;
  shoal_schema_labelspec_defaults(&l);
  l.priority = a->priority;
  shoal_schema_labelspec(sc, v, &l);
  a->text = l.text;
  a->text_loc = l.text_loc;
  l.text = NULL;
  shoal_schema_textstyle_free(&a->ts);
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
  a->style.fill = shoal_schema_hex(0xffffff, 0.92);
  a->style.stroke = shoal_schema_hex(0x444444, 1);
  a->style.stroke_width = 0.6;
  a->style.set = SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_WIDTH;
  shoal_schema_textstyle_defaults(&a->ts, 10.5, 0x222222, 0);
  a->ts.wrap = 160;
  a->priority = 100;
  a->position = -1;
  a->distance = 36;
  a->gap = 3;
  a->padding = 4;
  a->leader = shoal_schema_hex(0x444444, 1);
  a->leader_width = 0.8;
  shoal_schema_keys_text(sc, m, "callout", callout_keys, COUNT(callout_keys), true);
  read_at(sc, m, a, true, "callout");
  read_layer_name(sc, m, a);
  shoal_schema_textstyle(sc, m, &a->ts);
  shoal_schema_style(sc, m, &a->style, 0);
  shoal_node *v;
  if ((v = shoal_node_get(m, "text")))
    shoal_schema_template(sc, shoal_schema_pick_lang(sc, v, "callout text"), "callout text",
                          &a->text, &a->text_loc);
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
  shoal_schema_textstyle_defaults(&a->ts, 14, 0x4a6b82, 1.5);
  a->ts.italic = true;
  a->ts.font = shoal_strdup("Noto Serif");
  a->priority = 80;
  shoal_schema_keys_text(sc, m, "area-label", area_keys, COUNT(area_keys), true);
  shoal_schema_textstyle(sc, m, &a->ts);
  shoal_node *v;
  if ((v = shoal_node_get(m, "text")))
    shoal_schema_template(sc, shoal_schema_pick_lang(sc, v, "area-label text"), "area-label text",
                          &a->text, &a->text_loc);
  else
    shoal_schema_err(sc, m, "area-label needs 'text'");
  shoal_node *path = shoal_node_get(m, "path");
  read_at(sc, m, a, !path, "area-label");
  read_layer_name(sc, m, a);
  if (path)
    shoal_schema_coords(sc, path, "path", 2, a);
  if ((v = shoal_node_get(m, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &a->priority);
}

static void read_highlight(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.set = 0;
  shoal_schema_keys_text(sc, m, "highlight", highlight_keys, COUNT(highlight_keys), false);
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
    shoal_schema_coords(sc, poly, "polygon", 3, a);
  else if (!a->layer)
    shoal_schema_err(sc, m,
                     "highlight needs 'polygon' ([[lon, lat], ...]), 'layer' with a 'filter', "
                     "or 'radius-nm' with 'place' or 'at'");
  if (filter && !a->layer)
    shoal_schema_err(sc, filter, "a highlight 'filter' needs a 'layer'");
  else if (filter)
    shoal_schema_filter(sc, filter, &a->filter_text, &a->filter, &a->filter_loc);
  shoal_node *lg = shoal_schema_pick_lang(sc, shoal_node_get(m, "legend"), "legend");
  if (lg)
    shoal_schema_str(sc, lg, "legend", &a->legend);
  shoal_node *mk = shoal_node_get(m, "mask");
  if (mk && shoal_schema_str(sc, mk, "mask", &a->mask_layer))
    a->mask_loc = shoal_schema_text_loc(mk);
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

/* to-coast: a polygon layer's name, or {layer, containing: [lon, lat], filter}. */
static void read_to_coast(shoal_schema *sc, shoal_node *v, shoal_annot *a)
{
  shoal_node *name = v;
  if (v->kind == SHOAL_NODE_MAP) {
    shoal_schema_keys_text(sc, v, "to-coast", coast_keys, COUNT(coast_keys), false);
    if (!(name = shoal_node_get(v, "layer"))) {
      shoal_schema_err(sc, v, "to-coast needs 'layer' (a polygon layer)");
      return;
    }
    shoal_node *c = shoal_node_get(v, "containing"), *f = shoal_node_get(v, "filter");
    if (c) {
      a->containing_loc = shoal_node_loc(c);
      a->has_containing =
          shoal_schema_lonlat(sc, c, "containing", &a->containing[0], &a->containing[1]);
    }
    if (f)
      shoal_schema_filter(sc, f, &a->filter_text, &a->filter, &a->filter_loc);
  }
  if (!shoal_schema_want(sc, name, SHOAL_NODE_SCALAR, "to-coast layer"))
    return;
  if (!*name->str) {
    shoal_schema_err(sc, name, "to-coast must name a polygon layer");
    return;
  }
  if (shoal_schema_str(sc, name, "to-coast layer", &a->coast_layer))
    a->coast_loc = shoal_schema_text_loc(name);
}

static void read_distance(shoal_schema *sc, shoal_node *m, shoal_annot *a)
{
  shoal_style_defaults(&a->style);
  a->style.stroke = shoal_schema_hex(0x333333, 1);
  a->style.stroke_width = 0.8;
  a->style.dash[0] = 4;
  a->style.dash[1] = 3;
  a->style.ndash = 2;
  a->style.set = SHOAL_STY_STROKE | SHOAL_STY_WIDTH | SHOAL_STY_DASH;
  shoal_schema_textstyle_defaults(&a->ts, 10, 0x333333, 1.5);
  a->priority = 70;
  a->text = shoal_strdup("\xe2\x89\x88 {nm} nm ({km} km)"); /* ≈ */
  a->text_loc = shoal_node_loc(m);
  shoal_schema_keys_text(sc, m, "distance", distance_keys, COUNT(distance_keys), true);
  shoal_schema_textstyle(sc, m, &a->ts);
  shoal_schema_style(sc, m, &a->style, 0);
  read_layer_name(sc, m, a);
  shoal_node *v;
  if ((v = shoal_node_get(m, "from")))
    shoal_schema_placeref(sc, v, "from", &a->at);
  else
    shoal_schema_err(sc, m, "distance needs 'from' (a place id or [lon, lat])");
  shoal_node *coast = shoal_node_get(m, "to-coast");
  if ((v = shoal_node_get(m, "to")) && coast)
    shoal_schema_err(sc, coast, "distance takes 'to' or 'to-coast', not both");
  else if (v)
    shoal_schema_placeref(sc, v, "to", &a->to);
  else if (coast)
    read_to_coast(sc, coast, a);
  else
    shoal_schema_err(sc, m,
                     "distance needs 'to' (a place id or [lon, lat]) or 'to-coast' (a polygon "
                     "layer)");
  if ((v = shoal_node_get(m, "label")))
    shoal_schema_template(sc, shoal_schema_pick_lang(sc, v, "distance label"), "distance label",
                          &a->text, &a->text_loc);
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
    a->loc = shoal_node_loc(key);
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
    free(a->coast_layer);
    free(a->mask_layer);
    free(a->text);
    shoal_schema_textstyle_free(&a->ts);
    free(a->coords);
    free(a->filter_text);
    free(a->legend);
    shoal_expr_free(a->filter);
  }
  free(as->v);
  free(as);
}
