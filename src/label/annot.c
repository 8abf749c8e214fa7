/* Annotations (markers, callouts, area labels, highlighted areas, geodesic distance notes)
 * resolved once per scene: their places, texts and geometry in device px. Drawing them and
 * their placement candidates are in annot_draw.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label/label_priv.h"
#include "layer/featattr.h"
#include "layer/layer.h"

#define MAX_IDS 4096 /* place ids offered for "did you mean" */

/* ---- where things are ------------------------------------------------------------------ */

/* The scene layer named name; reports unknown names at loc. */
const shoal_layerctx *shoal_annot_find_layer(struct shoal_labelstate *ls, const char *name,
                                             shoal_loc loc, shoal_diag *d)
{
  for (size_t i = 0; i < ls->env.nlayers; i++)
    if (strcmp(ls->env.layers[i].layer->name, name) == 0)
      return &ls->env.layers[i];
  const char *cands[256];
  size_t nc = 0;
  for (size_t i = 0; i < ls->env.map->nlayers; i++) {
    if (strcmp(ls->env.map->layers[i].name, name) == 0) {
      shoal_diag_error_at(d, SHOAL_ERR_DATA, loc,
                          "layer '%s' has no data file for this map's scale", name);
      return NULL;
    }
    if (nc < 256)
      cands[nc++] = ls->env.map->layers[i].name;
  }
  const char *s = shoal_suggest(name, cands, nc);
  if (s)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "unknown layer '%s' (did you mean '%s'?)", name, s);
  else
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "unknown layer '%s'", name);
  return NULL;
}

/* The map's seam and horizon (geo/seam.h), or NULL when there is nothing to cut at. */
static const shoal_seam *map_seam(const struct shoal_labelstate *ls)
{
  return ls->env.from_ll ? shoal_xform_seam(ls->env.from_ll) : NULL;
}

/* Map-x range a view past the map's edge repeats geometry into, with the layers' margin. */
static void view_x_range(const shoal_view *v, double *x0, double *x1)
{
  double m = 64 * v->scale / v->k;
  *x0 = v->ext[0] - m;
  *x1 = v->ext[2] + m;
}

/* A point (map units) off the view moved by whole periods of a periodic CRS when that brings
 * it into the view: a place at -170 in a view of 100..240. */
static void shift_into_view(struct shoal_labelstate *ls, double *xy)
{
  const shoal_seam *s = map_seam(ls);
  double x0, x1;
  view_x_range(&ls->env.view, &x0, &x1);
  if (!s || !s->periodic || s->period <= 0 || !isfinite(xy[0]) || (xy[0] >= x0 && xy[0] <= x1))
    return;
  double x = xy[0] + s->period * ceil((x0 - xy[0]) / s->period);
  if (x <= x1)
    xy[0] = x;
}

/* lon/lat -> device px in place; false when the map's CRS cannot show a point. */
static bool lonlat_to_px(struct shoal_labelstate *ls, double *xy, size_t n)
{
  size_t ok = shoal_xform_inv(ls->env.to_ll, xy, n);
  for (size_t i = 0; ok == n && i < n; i++)
    shift_into_view(ls, &xy[2 * i]);
  shoal_view_apply(&ls->env.view, xy, n);
  return ok == n;
}

typedef struct place {
  const shoal_layerctx *sl; /* NULL: given by coordinates */
  int id;
  double x, y; /* device px */
  double lon, lat;
} place;

/* The record whose `id` field is r->place, in layer only (or in every layer that has such a
 * field), into out->sl and out->id; reports an unknown id with the nearest known one. */
static bool lookup_place_id(struct shoal_labelstate *ls, const shoal_layerctx *only,
                            const shoal_placeref *r, place *out, shoal_diag *d)
{
  char **ids = calloc(MAX_IDS, sizeof *ids);
  size_t nids = 0;
  bool any = false;
  for (size_t i = 0; i < ls->env.nlayers && out->id < 0; i++) {
    const shoal_layerctx *sl = &ls->env.layers[i];
    if (only && sl != only)
      continue;
    int f = shoal_source_field_index(sl->src, "id");
    if (f < 0)
      continue;
    any = true;
    for (int rec = 0; rec < shoal_source_count(sl->src) && out->id < 0; rec++) {
      char *v = shoal_source_attr(sl->src, rec, f);
      if (v && strcmp(v, r->place) == 0) {
        out->sl = sl;
        out->id = rec;
      }
      if (v && ids && nids < MAX_IDS)
        ids[nids++] = v;
      else
        free(v);
    }
  }
  if (out->id < 0) {
    const char *s = ids ? shoal_suggest(r->place, (const char *const *)ids, nids) : NULL;
    char where[200];
    snprintf(where, sizeof where, only ? " in layer '%s'" : "%s", only ? only->layer->name : "");
    if (!any)
      shoal_diag_error_at(d, SHOAL_ERR_DATA, r->loc, "cannot look up place '%s': %s", r->place,
                          only ? "the layer has no 'id' field" : "no layer has an 'id' field");
    else if (s)
      shoal_diag_error(d, SHOAL_ERR_DATA, r->loc.file, r->loc.line, r->loc.col,
                       "unknown place '%s'%s (did you mean '%s'?)", r->place, where, s);
    else
      shoal_diag_error_at(d, SHOAL_ERR_DATA, r->loc, "unknown place '%s'%s", r->place, where);
    if (any)
      shoal_diag_note(d, r->loc.file, 0, 0, "run 'shoal list --places' to see the place ids");
  }
  for (size_t i = 0; i < nids; i++)
    free(ids[i]);
  free(ids);
  return out->id >= 0;
}

/* Find a place id in the `id` field of layer (or of every layer that has one). */
static bool find_place(struct shoal_labelstate *ls, const shoal_annot *a, const shoal_placeref *r,
                       place *out, shoal_diag *d)
{
  out->sl = NULL;
  out->id = -1;
  if (!r->place) {
    double xy[2] = {r->lon, r->lat};
    out->lon = r->lon, out->lat = r->lat;
    if (!lonlat_to_px(ls, xy, 1)) {
      shoal_diag_error(d, SHOAL_ERR_DATA, r->loc.file, r->loc.line, r->loc.col,
                       "[%g, %g] cannot be shown in the map's CRS", r->lon, r->lat);
      return false;
    }
    out->x = xy[0], out->y = xy[1];
    return true;
  }
  const shoal_layerctx *only = NULL;
  if (a->layer && !(only = shoal_annot_find_layer(ls, a->layer, a->layer_loc, d)))
    return false;
  if (!lookup_place_id(ls, only, r, out, d))
    return false;
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  shoal_status st = shoal_source_read(out->sl->src, out->id, &g);
  double b[4];
  bool ok = st == SHOAL_OK && shoal_geom_bbox(&g, b);
  if (st != SHOAL_OK)
    shoal_source_read_error(out->sl->src, out->id, st, d);
  else if (!ok)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, r->loc, "place '%s' has no geometry", r->place);
  shoal_geom_free(&g);
  if (!ok)
    return false;
  /* Points are what places are; for anything else the middle of its box will do. */
  double xy[2] = {(b[0] + b[2]) / 2, (b[1] + b[3]) / 2}, ll[2];
  shoal_xform_fwd(out->sl->xf, xy, 1);
  ll[0] = xy[0], ll[1] = xy[1];
  shoal_xform_fwd(ls->env.to_ll, ll, 1);
  shift_into_view(ls, xy);
  shoal_view_apply(&ls->env.view, xy, 1);
  if (!isfinite(xy[0]) || !isfinite(ll[0]) || xy[0] == HUGE_VAL || ll[0] == HUGE_VAL) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, r->loc, "place '%s' cannot be shown in the map's CRS",
                        r->place);
    return false;
  }
  out->x = xy[0], out->y = xy[1];
  out->lon = ll[0], out->lat = ll[1];
  return true;
}

/* ---- texts ----------------------------------------------------------------------------- */

typedef struct dist_fields {
  char v[3][32]; /* nm, km, mi */
} dist_fields;

static int no_field(void *ctx, const char *name)
{
  (void)ctx, (void)name;
  return -1;
}

static int dist_lookup(void *ctx, const char *name)
{
  (void)ctx;
  static const char *const names[] = {"nm", "km", "mi"};
  for (int i = 0; i < 3; i++)
    if (strcmp(name, names[i]) == 0)
      return i;
  return -1;
}

static const char *dist_get(void *ctx, int field, char *buf, size_t len)
{
  (void)buf, (void)len;
  return field >= 0 && field < 3 ? ((dist_fields *)ctx)->v[field] : NULL;
}

/* Distances as people write them: whole units from 10 up, one decimal below, thousands
 * grouped, with the decimal mark and separator of the map's language (vi: "1.234", "8,5"). */
static void fmt_num(double v, const char *lang, char *buf, size_t len)
{
  shoal_numfmt f = {.group = true, .prec = v >= 9.95 ? 0 : 1, .integer = false};
  if (!shoal_numfmt_format(v, &f, lang, buf, len))
    snprintf(buf, len, "?");
}

static int src_lookup(void *ctx, const char *name) { return shoal_source_field_index(ctx, name); }

/* Expand an annotation's text template: over the place's fields when it is at a place of a
 * layer, over nm/km/mi for a distance, else with no fields at all. */
static char *annot_text(struct shoal_labelstate *ls, const shoal_annot *a, const place *p,
                        dist_fields *df, const char **tag, shoal_diag *d)
{
  shoal_source *src = p && p->sl ? p->sl->src : NULL;
  const char *fields[4];
  const char *tags[4];
  size_t nf = 0;
  const char *codes[2] = {ls->env.map->lang, "en"};
  for (size_t i = 0; src && i < 2; i++) {
    char f[64];
    int idx;
    const shoal_lang_info *li = shoal_lang_find(codes[i]);
    if (!shoal_lang_field(codes[i], f, sizeof f) || (idx = shoal_source_field_index(src, f)) < 0)
      continue;
    if (nf && strcmp(fields[0], shoal_source_field(src, idx)->name) == 0)
      continue;
    fields[nf] = shoal_source_field(src, idx)->name;
    tags[nf++] = li ? li->tag : codes[i];
  }
  *tag = ls->map_tag;
  size_t *map = NULL;
  char *x = shoal_label_expand_names(a->text, fields, nf, &map);
  if (!x)
    return NULL;
  char err[256];
  int col = 0;
  const char *missing = NULL;
  char *out = NULL;
  shoal_template *t = shoal_template_parse(x, err, sizeof err, &col);
  bool bound = t && (src  ? shoal_template_bind(t, src_lookup, src, &missing, &col)
                     : df ? shoal_template_bind(t, dist_lookup, NULL, &missing, &col)
                          : shoal_template_bind(t, no_field, NULL, &missing, &col));
  shoal_loc l = a->text_loc;
  int c = l.col + (col > 0 ? (int)map[col - 1] : 0);
  if (t && !bound) {
    if (src)
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, c, "text field '%s' is not in '%s'",
                       missing, shoal_source_path(src));
    else if (df)
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, c,
                       "unknown field '%s' in a distance label (use {nm}, {km} or {mi})", missing);
    else
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, c,
                       "text names field '%s' but is not at a place of a layer (write '{{' "
                       "for a literal brace)",
                       missing);
  } else if (t && !shoal_lp_template_numbers(t, src, ls->env.map->lang, l, map, d)) {
    /* a number format on a text field: reported; no text */
  } else if (t && src) {
    shoal_featattr fa;
    if (shoal_featattr_init(&fa, src)) {
      shoal_featattr_set(&fa, p->id);
      for (size_t i = 0; i < nf; i++) {
        char buf[8];
        const char *v =
            shoal_featattr_get(&fa, shoal_source_field_index(src, fields[i]), buf, sizeof buf);
        if (v && *v) {
          *tag = tags[i];
          break;
        }
      }
      out = shoal_template_expand(t, shoal_featattr_get, &fa);
      shoal_featattr_report(&fa, d);
    }
    shoal_featattr_free(&fa);
  } else if (t) {
    out = shoal_template_expand(t, df ? dist_get : NULL, df);
  }
  shoal_template_free(t);
  free(x);
  free(map);
  if (out)
    *tag = shoal_lp_tag_for(out, *tag);
  return out;
}

/* ---- geometry -------------------------------------------------------------------------- */

/* Longitudes of c (n points) made continuous, each within 180 degrees of the one before, so
 * an edge across 180 (of a geodesic circle, or [179, 0] to [-179, 0]) takes the short way. */
static void unwrap(double *c, size_t n)
{
  for (size_t i = 1; i < n; i++)
    c[2 * i] += 360 * round((c[2 * i - 2] - c[2 * i]) / 360);
}

/* Consecutive parts of a line that meet (the end of one within a hundredth of a pixel of the
 * start of the next: two sides of the seam, side by side in a view past 180) joined into one,
 * so a label along the line or at its middle sees it whole. */
static void join_parts(shoal_geom *g)
{
  if (g->kind != SHOAL_GEOM_LINE || g->nparts < 2)
    return;
  size_t w = g->parts[1], np = 1; /* part 0 stays where it is */
  for (size_t p = 1; p < g->nparts; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    bool meet = b > a && w > g->parts[np - 1] &&
                hypot(g->xy[2 * a] - g->xy[2 * w - 2], g->xy[2 * a + 1] - g->xy[2 * w - 1]) < 0.01;
    if (meet)
      a++;
    else
      g->parts[np++] = w;
    memmove(g->xy + 2 * w, g->xy + 2 * a, (b - a) * 2 * sizeof *g->xy);
    w += b - a;
  }
  g->nparts = np;
  g->npts = w;
  g->parts[np] = w;
}

/* lon/lat g cut at the map's seam or horizon as a layer's geometry is (geo/seam.h), projected,
 * repeated for a view past the map's edge, into device px. False when a point left cannot be
 * shown or out of memory. */
static bool cut_project(struct shoal_labelstate *ls, shoal_geom *g)
{
  const shoal_seam *seam = map_seam(ls);
  const shoal_view *v = &ls->env.view;
  shoal_geom tmp;
  shoal_geom_init(&tmp, SHOAL_GEOM_NONE);
  bool ok = !seam || shoal_seam_apply(seam, g, &tmp);
  ok = ok && shoal_xform_inv(ls->env.to_ll, g->xy, g->npts) == g->npts;
  double x0, x1;
  view_x_range(v, &x0, &x1);
  ok = ok && (!seam || shoal_seam_repeat(seam, g, &tmp, x0, x1));
  shoal_geom_free(&tmp);
  if (ok) {
    shoal_view_apply(v, g->xy, g->npts);
    join_parts(g);
  }
  return ok;
}

/* Steps of at most 0.25 degrees (1 to 64) along the edge from c[i] to c[j]. */
static size_t edge_steps(const double *c, size_t i, size_t j)
{
  double m = fmax(fabs(c[2 * j] - c[2 * i]), fabs(c[2 * j + 1] - c[2 * i + 1]));
  return (size_t)fmax(1, fmin(ceil(m / 0.25), 64));
}

/* lon/lat polyline (or ring) c, its longitudes unwrapped when wrap, split so no step exceeds
 * 0.25 degrees, into g (a LINE, or a POLYGON when ring and not as_line; a ring's last point
 * repeats its first), cut at the seam and in device px. False when it cannot be shown. */
static bool densify_lonlat(struct shoal_labelstate *ls, const double *c0, size_t n, bool ring,
                           bool wrap, bool as_line, shoal_geom *g)
{
  double *c = malloc(n * 2 * sizeof *c);
  if (!c)
    return false;
  memcpy(c, c0, n * 2 * sizeof *c);
  if (wrap)
    unwrap(c, n);
  shoal_geom_clear(g);
  g->kind = ring && !as_line ? SHOAL_GEOM_POLYGON : SHOAL_GEOM_LINE;
  size_t edges = ring ? n : n - 1;
  bool ok = shoal_geom_begin_part(g) && shoal_geom_add(g, c[0], c[1]);
  for (size_t i = 0; ok && i < edges; i++) {
    size_t j = (i + 1) % n, steps = edge_steps(c, i, j);
    for (size_t k = 1; ok && k <= steps; k++) {
      double u = (double)k / (double)steps;
      ok = shoal_geom_add(g, c[2 * i] + (c[2 * j] - c[2 * i]) * u,
                          c[2 * i + 1] + (c[2 * j + 1] - c[2 * i + 1]) * u);
    }
  }
  free(c);
  shoal_geom_end_part(g, 1);
  return ok && cut_project(ls, g);
}

/* The geodesic from p to q, a point every ~2 km (8 to 512), into g (a LINE) in device px. */
static bool geodesic(struct shoal_labelstate *ls, const place *p, const place *q, double *metres,
                     shoal_geom *g)
{
  double azi;
  *metres = shoal_geod_inverse(p->lon, p->lat, q->lon, q->lat, &azi, NULL);
  size_t n = (size_t)fmin(fmax(*metres / 2000, 8), 512);
  double xy[2 * 513];
  for (size_t i = 0; i <= n; i++)
    shoal_geod_direct(p->lon, p->lat, azi, *metres * (double)i / (double)n, &xy[2 * i],
                      &xy[2 * i + 1]);
  xy[2 * n] = q->lon, xy[2 * n + 1] = q->lat; /* exact end, whatever the rounding */
  unwrap(xy, n + 1);
  shoal_geom_clear(g);
  g->kind = SHOAL_GEOM_LINE;
  bool ok = shoal_geom_begin_part(g);
  for (size_t i = 0; ok && i <= n; i++)
    ok = shoal_geom_add(g, xy[2 * i], xy[2 * i + 1]);
  shoal_geom_end_part(g, 1);
  return ok && cut_project(ls, g);
}

/* A highlight ring (lon/lat) into s->path, and, when the seam or horizon cut it, its outline
 * as lines into s->outline. False when it cannot be shown. */
static bool highlight_ring(struct shoal_labelstate *ls, const double *c, size_t n, ann_state *s)
{
  if (!densify_lonlat(ls, c, n, true, true, false, &s->path) ||
      !densify_lonlat(ls, c, n, true, true, true, &s->outline))
    return false;
  if (s->outline.nparts == 1 && s->path.nparts == 1 && s->outline.npts == s->path.npts)
    shoal_geom_clear(&s->outline); /* not cut: the ring is stroked as before */
  return true;
}

/* A marker, callout or area label: its place, path and text. False when it cannot be shown. */
static bool prepare_at(struct shoal_labelstate *ls, const shoal_annot *a, ann_state *s,
                       shoal_diag *d)
{
  place p = {0};
  if (a->at.set && !find_place(ls, a, &a->at, &p, d))
    return false;
  s->x = p.x, s->y = p.y;
  if (a->kind == SHOAL_ANNOT_AREA_LABEL && a->coords &&
      !densify_lonlat(ls, a->coords, a->ncoords, false, true, true, &s->path)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->coords_loc,
                        "the path cannot be shown in the map's CRS");
    return false;
  }
  if (a->text && !(s->text = annot_text(ls, a, &p, NULL, &s->tag, d)))
    return false;
  return true;
}

/* A highlight of a layer's polygons: the layer, and its filter bound to the layer's fields. */
static bool prepare_highlight_layer(struct shoal_labelstate *ls, const shoal_annot *a, ann_state *s,
                                    shoal_diag *d)
{
  if (!(s->sl = shoal_annot_find_layer(ls, a->layer, a->layer_loc, d)))
    return false;
  if (shoal_source_kind(s->sl->src) != SHOAL_GEOM_POLYGON) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->layer_loc,
                        "layer '%s' holds %s, not polygons, so it cannot be highlighted", a->layer,
                        shoal_source_type_name(s->sl->src));
    return false;
  }
  if (a->filter) {
    const char *missing = NULL;
    int col = 0;
    if (!shoal_expr_bind(a->filter, src_lookup, s->sl->src, &missing, &col)) {
      shoal_loc l = a->filter_loc;
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, l.col + (col > 0 ? col - 1 : 0),
                       "filter field '%s' is not in '%s'", missing, shoal_source_path(s->sl->src));
      return false;
    }
  }
  return true;
}

/* A highlighted area: its `within` box, and a circle, a polygon or a layer's polygons. */
static bool prepare_highlight(struct shoal_labelstate *ls, const shoal_annot *a, ann_state *s,
                              shoal_diag *d)
{
  if (a->mask_layer && !(s->mask_sl = shoal_annot_mask_layer(ls, a, d)))
    return false;
  if (a->has_within) {
    /* The box's edges follow meridians and parallels, so they are densified like a polygon. */
    double box[8] = {a->within[0], a->within[1], a->within[2], a->within[1],
                     a->within[2], a->within[3], a->within[0], a->within[3]};
    if (!densify_lonlat(ls, box, 4, true, false, false, &s->clip)) {
      shoal_diag_error_at(d, SHOAL_ERR_DATA, a->loc,
                          "the 'within' box cannot be shown in the map's CRS");
      return false;
    }
  }
  if (a->radius_nm > 0) {
    place p = {0};
    if (!find_place(ls, a, &a->at, &p, d))
      return false;
    /* 360 points on the WGS84 geodesic circle: smooth at any map scale. */
    double ring[720];
    for (int k = 0; k < 360; k++)
      shoal_geod_direct(p.lon, p.lat, k, a->radius_nm * 1852.0, &ring[2 * k], &ring[2 * k + 1]);
    if (!highlight_ring(ls, ring, 360, s)) {
      shoal_diag_error_at(d, SHOAL_ERR_DATA, a->loc, "the circle cannot be shown in the map's CRS");
      return false;
    }
    return true;
  }
  if (a->coords) {
    if (!highlight_ring(ls, a->coords, a->ncoords, s)) {
      shoal_diag_error_at(d, SHOAL_ERR_DATA, a->coords_loc,
                          "the polygon cannot be shown in the map's CRS");
      return false;
    }
    return true;
  }
  return prepare_highlight_layer(ls, a, s, d);
}

/* A distance note: both places, the geodesic between them and the text with its length. */
static bool prepare_distance(struct shoal_labelstate *ls, const shoal_annot *a, ann_state *s,
                             shoal_diag *d)
{
  place p = {0}, q = {0};
  bool okp = a->at.set && find_place(ls, a, &a->at, &p, d), okq = false;
  if (a->coast_layer) {
    /* To the nearest point of a coast: found once `from` is known, then a point like any. */
    shoal_placeref r = {.set = true, .loc = a->coast_loc};
    okq = okp && shoal_annot_coast(ls, a, p.lon, p.lat, &r.lon, &r.lat, d) &&
          find_place(ls, a, &r, &q, d);
  } else {
    okq = a->to.set && find_place(ls, a, &a->to, &q, d);
  }
  if (!okp || !okq)
    return false;
  double m;
  if (!geodesic(ls, &p, &q, &m, &s->path)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->loc,
                        "the distance line cannot be shown in the map's CRS");
    return false;
  }
  s->x = p.x, s->y = p.y, s->x2 = q.x, s->y2 = q.y;
  dist_fields df;
  const char *lang = ls->env.map->lang;
  fmt_num(m / 1852, lang, df.v[0], sizeof df.v[0]);
  fmt_num(m / 1000, lang, df.v[1], sizeof df.v[1]);
  fmt_num(m / 1609.344, lang, df.v[2], sizeof df.v[2]);
  if (a->text && *a->text && !(s->text = annot_text(ls, a, NULL, &df, &s->tag, d)))
    return false;
  return true;
}

static void prepare_one(struct shoal_labelstate *ls, const shoal_annot *a, ann_state *s,
                        shoal_diag *d)
{
  s->a = a;
  size_t before = shoal_diag_nerrors(d);
  if (a->kind != SHOAL_ANNOT_HIGHLIGHT)
    shoal_lp_check_font(ls, &a->ts, d);
  bool ok = true;
  switch (a->kind) {
  case SHOAL_ANNOT_MARKER:
  case SHOAL_ANNOT_CALLOUT:
  case SHOAL_ANNOT_AREA_LABEL: ok = prepare_at(ls, a, s, d); break;
  case SHOAL_ANNOT_HIGHLIGHT: ok = prepare_highlight(ls, a, s, d); break;
  case SHOAL_ANNOT_DISTANCE: ok = prepare_distance(ls, a, s, d); break;
  }
  s->ok = ok && shoal_diag_nerrors(d) == before;
}

shoal_status shoal_annot_prepare(struct shoal_labelstate *ls, shoal_diag *d)
{
  const shoal_annots *as = ls->env.map->annots;
  if (!as || as->n == 0)
    return SHOAL_OK;
  ls->ann = calloc(as->n, sizeof *ls->ann);
  if (!ls->ann) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  ls->nann = as->n;
  for (size_t i = 0; i < as->n; i++)
    prepare_one(ls, &as->v[i], &ls->ann[i], d);
  return SHOAL_OK;
}

void shoal_annot_free(struct shoal_labelstate *ls)
{
  for (size_t i = 0; i < ls->nann; i++) {
    free(ls->ann[i].text);
    shoal_geom_free(&ls->ann[i].path);
    shoal_geom_free(&ls->ann[i].outline);
    shoal_geom_free(&ls->ann[i].clip);
  }
  free(ls->ann);
}
