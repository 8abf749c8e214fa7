/* Style blocks (fill, stroke, dash, marker, hatching, ...) and the classes they may `use`,
 * laid over one another: class, then layer, then rule. */
#include <stdlib.h>
#include <string.h>

#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *const shoal_style_keys[] = {"fill",        "stroke",    "stroke-width", "dash",
                                        "opacity",     "line-join", "line-cap",     "marker",
                                        "marker-size", "hatch",     "hatch-angle",  "hatch-spacing",
                                        "hatch-width", "use"};
const size_t shoal_nstyle_keys = COUNT(shoal_style_keys);

static const char *const marker_keys[] = {"shape", "size"};
static const char *const marker_names[] = {"none",    "circle", "square", "triangle",
                                           "diamond", "star",   "cross"};
static const char *const join_names[] = {"miter", "round", "bevel"};
static const char *const cap_names[] = {"butt", "round", "square"};
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

/* dash: none, or 1 to SHOAL_MAX_DASH lengths that do not all add up to 0. */
static void read_dash(shoal_schema *sc, const shoal_node *v, shoal_style *st)
{
  if (v->kind == SHOAL_NODE_SCALAR && strcmp(v->str, "none") == 0) {
    st->ndash = 0;
    st->set |= SHOAL_STY_DASH;
    return;
  }
  if (!shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "dash"))
    return;
  if (v->n == 0 || v->n > SHOAL_MAX_DASH) {
    shoal_schema_err(sc, v, "dash must list 1 to %d lengths", SHOAL_MAX_DASH);
    return;
  }
  bool ok = true;
  double total = 0;
  for (size_t i = 0; i < v->n; i++) {
    ok &= shoal_schema_num(sc, v->items[i], "dash length", 0, 1000, &st->dash[i]);
    total += st->dash[i];
  }
  /* Cairo refuses an all-zero pattern and then draws nothing more on that surface. */
  if (ok && total <= 0) {
    shoal_schema_err(sc, v, "dash lengths add up to 0; give a length above 0, or 'none'");
    ok = false;
  }
  if (ok) {
    st->ndash = (int)v->n;
    st->set |= SHOAL_STY_DASH;
  }
}

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
  if ((v = shoal_node_get(m, "dash")))
    read_dash(sc, v, st);
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
