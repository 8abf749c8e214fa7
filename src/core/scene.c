/* Scene preparation (CRS, extent, view, data, filters) and the drawing order of one map. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/scene.h"
#include "furniture/furniture.h"
#include "label/label.h"
#include "layer/zonesrc.h"
#include "draw/render.h"

/* to_ll and from_ll, the centre and the scale denominator of the fitted view. */
static shoal_status setup_scale(shoal_scene *sc, shoal_diag *d)
{
  shoal_map *m = sc->map;
  char err[512];
  if (shoal_xform_new(sc->proj, m->crs, "EPSG:4326", &sc->to_ll, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->crs_loc,
                        "cannot relate '%s' to longitude/latitude: %s", m->crs, err);
    return SHOAL_ERR_DATA;
  }
  if (shoal_xform_new(sc->proj, "EPSG:4326", m->crs, &sc->from_ll, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->crs_loc,
                        "cannot relate longitude/latitude to '%s': %s", m->crs, err);
    return SHOAL_ERR_DATA;
  }
  /* Scale at the centre, from the geodesic length of one device pixel. */
  double cx = sc->view.width / 2.0, cy = sc->view.height / 2.0;
  double p[6];
  shoal_view_unapply(&sc->view, cx - 0.5, cy, &p[0], &p[1]);
  shoal_view_unapply(&sc->view, cx + 0.5, cy, &p[2], &p[3]);
  shoal_view_unapply(&sc->view, cx, cy, &p[4], &p[5]);
  shoal_xform_fwd(sc->to_ll, p, 3);
  if (p[0] == HUGE_VAL || p[2] == HUGE_VAL || p[4] == HUGE_VAL) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "the centre of the map is outside the CRS '%s'", m->crs);
    return SHOAL_ERR_DATA;
  }
  sc->centre_lon = p[4];
  sc->centre_lat = p[5];
  double mpp = shoal_geod_inverse(p[0], p[1], p[2], p[3], NULL, NULL);
  sc->scale_denom = mpp / 0.00028;
  return SHOAL_OK;
}

/* A lon/lat extent made plain: east < west means crossing 180 (east + 360). Longitudes lie in
 * -180..180, or up to 360 east for a map crossing 180; latitudes in -90..90. */
static shoal_status check_ll_extent(shoal_scene *sc, double e[4], shoal_diag *d)
{
  const shoal_map *m = sc->map;
  const double *x = m->extent;
  if (e[2] < e[0])
    e[2] += 360;
  if (x[1] < -90 || x[3] > 90) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "extent [%g, %g, %g, %g] reaches past the pole: latitudes lie in -90..90",
                        x[0], x[1], x[2], x[3]);
    return SHOAL_ERR_DATA;
  }
  if (e[0] < -180 || e[0] >= 360 || e[2] > 540 || e[2] - e[0] > 360) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "extent [%g, %g, %g, %g] is outside the valid range: longitudes lie in "
                        "-180..180 (a map crossing 180 may say [100, -50, -120, 60] or "
                        "[100, -50, 240, 60]), at most 360 degrees wide",
                        x[0], x[1], x[2], x[3]);
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* Whether lon range a0..a1 meets b0..b1 in any 360-degree copy. */
static bool lon_overlap(double a0, double a1, double b0, double b1)
{
  for (int k = -2; k <= 2; k++)
    if (a0 < b1 + 360.0 * k && a1 > b0 + 360.0 * k)
      return true;
  return false;
}

/* A map CRS made for one region (a UTM zone, a national grid) draws mirrored garbage far from
 * it: an extent that does not meet its area of use at all is an error. */
static shoal_status check_area_of_use(shoal_scene *sc, const double e[4], shoal_diag *d)
{
  const shoal_map *m = sc->map;
  double a[4];
  if (!shoal_proj_area_of_use(sc->proj, m->crs, a, NULL, 0))
    return SHOAL_OK;
  double a2 = a[2] < a[0] ? a[2] + 360 : a[2];
  if (e[1] < a[3] && e[3] > a[1] && lon_overlap(e[0], e[2], a[0], a2))
    return SHOAL_OK;
  const double *x = m->extent;
  shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                      "extent [%g, %g, %g, %g] lies outside the area of use of '%s' "
                      "(longitudes %g..%g, latitudes %g..%g)",
                      x[0], x[1], x[2], x[3], m->crs, a[0], a[2], a[1], a[3]);
  return SHOAL_ERR_DATA;
}

static void box_union(double b[4], const double o[4])
{
  b[0] = fmin(b[0], o[0]);
  b[1] = fmin(b[1], o[1]);
  b[2] = fmax(b[2], o[2]);
  b[3] = fmax(b[3], o[3]);
}

/* An extent crossing the seam of a periodic map CRS (Mercator across 180): each 360-degree
 * strip transformed on its own and put side by side, instead of PROJ folding it into the
 * whole world. */
static shoal_status seam_bounds(shoal_xform *ex, const shoal_seam *s, const double e[4],
                                double want[4])
{
  double lo = s->lon0 - 180;
  long k0 = (long)floor((e[0] - lo) / 360), k1 = (long)ceil((e[2] - lo) / 360) - 1;
  want[0] = want[1] = HUGE_VAL;
  want[2] = want[3] = -HUGE_VAL;
  for (long k = k0; k <= k1; k++) {
    double a = lo + 360.0 * (double)k, sub[4] = {fmax(e[0], a), e[1], fmin(e[2], a + 360), e[3]};
    double b[4];
    sub[0] = sub[0] - 360.0 * (double)k + (sub[0] == a ? SHOAL_SEAM_EPS : 0);
    sub[2] = sub[2] - 360.0 * (double)k - (sub[2] == a + 360 ? SHOAL_SEAM_EPS : 0);
    if (sub[2] <= sub[0] || shoal_xform_bounds(ex, sub, b, SHOAL_DENSIFY, false) != SHOAL_OK)
      continue;
    b[0] += (double)k * s->period;
    b[2] += (double)k * s->period;
    box_union(want, b);
  }
  return want[0] < want[2] ? SHOAL_OK : SHOAL_ERR_DATA;
}

/* An azimuthal view of a wide extent reaches its horizon, which grid sampling of the box
 * misses: the horizon points inside the extent widen the box. */
static shoal_status cap_bounds(shoal_xform *ex, const shoal_seam *s, const double e[4],
                               shoal_status st, double want[4])
{
  double xy[2 * 360];
  size_t n = 0;
  for (int i = 0; i < 360; i++) {
    double lon, lat;
    shoal_seam_cap_point(s, i, &lon, &lat);
    if (lat >= e[1] && lat <= e[3] && lon_overlap(lon, lon, e[0], e[2])) {
      xy[2 * n] = lon;
      xy[2 * n++ + 1] = lat;
    }
  }
  shoal_xform_fwd(ex, xy, n);
  for (size_t i = 0; i < n; i++) {
    if (xy[2 * i] == HUGE_VAL)
      continue;
    double b[4] = {xy[2 * i], xy[2 * i + 1], xy[2 * i], xy[2 * i + 1]};
    if (st != SHOAL_OK)
      memcpy(want, b, sizeof b);
    st = SHOAL_OK;
    box_union(want, b);
  }
  return st;
}

/* The extent in the map CRS (want), checked against the extent CRS's valid range and the map
 * CRS's area of use. */
static shoal_status extent_box(shoal_scene *sc, shoal_xform *ex, double want[4], shoal_diag *d)
{
  shoal_map *m = sc->map;
  double e[4] = {m->extent[0], m->extent[1], m->extent[2], m->extent[3]};
  bool ll = shoal_proj_is_geographic(sc->proj, m->extent_crs);
  if (ll && (check_ll_extent(sc, e, d) != SHOAL_OK || check_area_of_use(sc, e, d) != SHOAL_OK))
    return SHOAL_ERR_DATA;
  if (!ll && e[0] >= e[2]) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "extent must be [west, south, east, north] with west < east and "
                        "south < north");
    return SHOAL_ERR_DATA;
  }
  const shoal_seam *s = shoal_xform_seam(ex);
  double lo = s->lon0 - 180, k = ceil((e[0] - lo) / 360);
  bool crosses = lo + 360 * k > e[0] && lo + 360 * k < e[2];
  shoal_status st;
  if (s->cut && s->periodic && crosses && e[2] - e[0] < 360)
    st = seam_bounds(ex, s, e, want);
  else
    st = shoal_xform_bounds(ex, e, want, SHOAL_DENSIFY, false);
  if (s->cap)
    st = cap_bounds(ex, s, e, st, want);
  if (st != SHOAL_OK && s->cap)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "extent [%g, %g, %g, %g] lies beyond the horizon of '%s', which shows "
                        "%g degrees around longitude %g, latitude %g",
                        m->extent[0], m->extent[1], m->extent[2], m->extent[3], m->crs, s->crad,
                        s->clon, s->clat);
  return st;
}

/* The map's view: the extent (in extent-crs) densified into the map CRS, fitted to the page. */
static shoal_status setup_view(shoal_scene *sc, shoal_diag *d)
{
  shoal_map *m = sc->map;
  char err[512];
  if (shoal_proj_check_crs(sc->proj, m->crs, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->crs_loc, "unknown CRS '%s': %s", m->crs, err);
    return SHOAL_ERR_DATA;
  }
  if (shoal_proj_check_crs(sc->proj, m->extent_crs, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc, "unknown extent-crs '%s': %s",
                        m->extent_crs, err);
    return SHOAL_ERR_DATA;
  }
  shoal_xform *ex = NULL;
  if (shoal_xform_new(sc->proj, m->extent_crs, m->crs, &ex, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "cannot transform the extent into '%s': %s", m->crs, err);
    return SHOAL_ERR_DATA;
  }
  double want[4];
  size_t nerr = shoal_diag_nerrors(d);
  shoal_status st = extent_box(sc, ex, want, d);
  shoal_xform_free(ex);
  if (shoal_diag_nerrors(d) > nerr)
    return SHOAL_ERR_DATA;
  /* The view works in device pixels, fitted to the exact page (CSS px x scale); the surface
   * has that rounded, (int)(css * scale + 0.5) of them. */
  double dw = m->width * m->scale, dh = m->height * m->scale;
  /* With `layout: bands` the extent is fitted between the title band and the credit band,
   * then the view is grown over both so that the page is still all of it. */
  double top = 0, bottom = 0;
  if (shoal_furniture_bands(m, &top, &bottom) && (top + bottom + 16) * m->scale >= dh)
    top = bottom = 0;
  if (st != SHOAL_OK ||
      !shoal_view_fit(&sc->view, dw, dh - (top + bottom) * m->scale, m->scale, want)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "the map CRS '%s' cannot show this extent", m->crs);
    return SHOAL_ERR_DATA;
  }
  if (top + bottom > 0) {
    shoal_view *v = &sc->view;
    v->ext[3] += top * m->scale / v->k;
    v->height = (int)(dh + 0.5);
    v->ext[1] = v->ext[3] - v->height / v->k;
  }
  return setup_scale(sc, d);
}

static const shoal_datafile *choose_file(const shoal_layer *L, double denom)
{
  for (size_t i = 0; i < L->ndata; i++)
    if (denom >= L->data[i].min_scale && denom < L->data[i].max_scale)
      return &L->data[i];
  return NULL;
}

typedef struct bind_ctx {
  shoal_source *src;
} bind_ctx;

static int lookup_field(void *ctx, const char *name)
{
  return shoal_source_field_index(((bind_ctx *)ctx)->src, name);
}

static void bind_filters(const shoal_layer *L, shoal_source *src, shoal_diag *d)
{
  bind_ctx bc = {src};
  for (size_t i = 0; i < L->nrules; i++) {
    const shoal_rule *r = &L->rules[i];
    const char *missing = NULL;
    int col = 0;
    if (!r->filter || shoal_expr_bind(r->filter, lookup_field, &bc, &missing, &col))
      continue;
    const char *cands[256];
    size_t nc = 0;
    for (int f = 0; f < shoal_source_nfields(src) && nc < 256; f++)
      cands[nc++] = shoal_source_field(src, f)->name;
    const char *s = shoal_suggest(missing, cands, nc);
    shoal_loc l = r->filter_loc;
    int c = l.col + (col > 0 ? col - 1 : 0);
    if (s)
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, c,
                       "filter field '%s' is not in '%s' (did you mean '%s'?)", missing,
                       shoal_source_path(src), s);
    else
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, c, "filter field '%s' is not in '%s'",
                       missing, shoal_source_path(src));
  }
}

/* The layer's data file f opened through the cache; computed zones (zones:) are computed or
 * found in their cache first. NULL after an error reported to d. */
static shoal_source *open_data(const shoal_layer *L, const shoal_datafile *f,
                               shoal_datacache *cache, shoal_diag *d)
{
  char *zpath = L->zones ? shoal_zonesrc_path(L->zones, L->name, d) : NULL;
  const char *path = L->zones ? zpath : f->path;
  shoal_source *src = NULL;
  if (!path)
    return NULL;
  if (access(path, R_OK) != 0) {
    int e = errno;
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, f->loc.file, f->loc.line, f->loc.col,
                     "cannot open data file '%s' of layer '%s': %s", path, L->name, strerror(e));
  } else {
    shoal_source_opts so = {f->layer, f->lon, f->lat, f->loc};
    if (shoal_datacache_open(cache, path, &so, d, &src) != SHOAL_OK) {
      shoal_diag_note(d, f->loc.file, f->loc.line, f->loc.col, "data file of layer '%s'", L->name);
      src = NULL;
    }
  }
  free(zpath);
  return src;
}

static shoal_status open_layers(shoal_scene *sc, shoal_datacache *cache, shoal_diag *d)
{
  shoal_map *m = sc->map;
  sc->layers = calloc(m->nlayers ? m->nlayers : 1, sizeof *sc->layers);
  if (!sc->layers)
    return SHOAL_ERR_NOMEM;
  for (size_t i = 0; i < m->nlayers; i++) {
    const shoal_layer *L = &m->layers[i];
    const shoal_datafile *f = choose_file(L, sc->scale_denom);
    /* A layer may be hidden; its data is still checked, so `check` catches broken files. */
    if (!f)
      continue;
    shoal_source *src = open_data(L, f, cache, d);
    if (!src)
      continue;
    char err[512];
    shoal_xform *xf = NULL;
    if (shoal_xform_new(sc->proj, shoal_source_crs(src), m->crs, &xf, err, sizeof err) !=
        SHOAL_OK) {
      shoal_diag_error(d, SHOAL_ERR_DATA, f->loc.file, f->loc.line, f->loc.col,
                       "cannot transform '%s' into the map CRS: %s",
                       f->path ? f->path : shoal_source_path(src), err);
      continue;
    }
    bind_filters(L, src, d);
    sc->layers[sc->nlayers++] = (shoal_layerctx){.layer = L,
                                                 .file = f,
                                                 .src = src,
                                                 .xf = xf,
                                                 .view = &sc->view,
                                                 .crs = m->crs,
                                                 .geo = sc->geo};
  }
  return shoal_diag_nerrors(d) ? shoal_diag_status(d) : SHOAL_OK;
}

shoal_status shoal_scene_prepare(shoal_map *m, shoal_datacache *cache, shoal_geocache *geo,
                                 bool strict_labels, shoal_diag *d, shoal_scene **out)
{
  shoal_scene *sc = calloc(1, sizeof *sc);
  *out = sc;
  /* Jobs sharing the data cache share its PROJ cache: a batch builds each operation once. */
  if (!sc || !(sc->proj = shoal_proj_new_shared(shoal_datacache_proj(cache)))) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  sc->map = m;
  sc->geo = geo;
  sc->strict_labels = strict_labels;
  shoal_status st = setup_view(sc, d);
  if (st != SHOAL_OK)
    return st;
  st = open_layers(sc, cache, d);
  if (st != SHOAL_OK)
    return st;
  shoal_labelenv le = {.map = m,
                       .view = sc->view,
                       .to_ll = sc->to_ll,
                       .from_ll = sc->from_ll,
                       .layers = sc->layers,
                       .nlayers = sc->nlayers,
                       .strict_labels = strict_labels};
  st = shoal_labels_prepare(&le, d, &sc->labels);
  if (st != SHOAL_OK)
    return st;
  shoal_furnenv fe = {.map = m,
                      .view = sc->view,
                      .proj = sc->proj,
                      .to_ll = sc->to_ll,
                      .scale_denom = sc->scale_denom,
                      .centre_lon = sc->centre_lon,
                      .centre_lat = sc->centre_lat,
                      .layers = sc->layers,
                      .nlayers = sc->nlayers};
  return shoal_furniture_check(&fe, d, &sc->furn);
}

/* Claim small boxes along every line of lg (half-width w, pieces of at most step px), so
 * labels keep off lines that must stay readable, such as the claim line. */
static void block_lines(shoal_collide *taken, const shoal_layergeo *lg, double w, double step)
{
  const shoal_geom *g = &lg->g;
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p] + 1; i < g->parts[p + 1]; i++) {
      double x0 = g->xy[2 * i - 2], y0 = g->xy[2 * i - 1], x1 = g->xy[2 * i], y1 = g->xy[2 * i + 1];
      int n = shoal_collide_seg_pieces(x0, y0, x1, y1, step);
      for (int k = 0; k < n; k++)
        shoal_collide_add(taken, shoal_collide_seg_box(x0, y0, x1, y1, k, n, w));
    }
}

/* Draw one layer; its geometry errors and Cairo's (a style value Cairo refused) name it. */
static shoal_status draw_layer(shoal_scene *sc, const shoal_layerctx *sl, cairo_t *cr,
                               shoal_collide *taken, shoal_render_stats *rs, shoal_diag *d)
{
  const shoal_view *v = &sc->view;
  const shoal_layergeo *lg = NULL;
  shoal_layergeo *own = NULL;
  shoal_status st = shoal_layer_geom(sl, d, &lg, &own);
  if (st != SHOAL_OK) {
    shoal_loc l = sl->file->loc;
    shoal_diag_note(d, l.file, l.line, l.col, "while drawing layer '%s'", sl->layer->name);
    return st;
  }
  cairo_save(cr);
  st = shoal_layergeo_draw(cr, sl, lg, rs, d);
  cairo_restore(cr);
  char what[300];
  snprintf(what, sizeof what, "layer '%s'", sl->layer->name);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, sl->layer->loc, what);
  if (st == SHOAL_OK && sl->layer->label_obstacle)
    block_lines(taken, lg, (sl->layer->style.stroke_width / 2 + 1) * v->scale, 6 * v->scale);
  shoal_layergeo_free(own);
  return st;
}

static bool cancelled(const atomic_int *cancel) { return cancel && atomic_load(cancel) != 0; }

/* SHOAL_ERR_INTERRUPTED once cancel is set, else st: the check between two stages. */
static shoal_status check_cancel(shoal_status st, const atomic_int *cancel)
{
  return st == SHOAL_OK && cancelled(cancel) ? SHOAL_ERR_INTERRUPTED : st;
}

/* Annotations under the labels, furniture under and over them, and the labels, each checked
 * for a Cairo error and for cancel before the next is drawn. */
static shoal_status draw_over_layers(shoal_scene *sc, cairo_t *cr, shoal_collide *taken,
                                     const atomic_int *cancel, shoal_diag *d)
{
  const shoal_loc none = {0};
  shoal_status st = check_cancel(SHOAL_OK, cancel);
  if (st == SHOAL_OK)
    st = shoal_annots_draw_under(sc->labels, cr, d);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the annotations");
  st = check_cancel(st, cancel);
  if (st == SHOAL_OK)
    st = shoal_furniture_draw_under(sc->furn, cr, d);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the graticule");
  st = check_cancel(st, cancel);
  if (st == SHOAL_OK)
    st = shoal_furniture_layout(sc->furn, cr, taken);
  if (st == SHOAL_OK)
    st = shoal_labels_draw(sc->labels, cr, taken, cancel, d, &sc->stats.labels_placed,
                           &sc->stats.labels_dropped);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the labels");
  st = check_cancel(st, cancel);
  if (st == SHOAL_OK)
    st = shoal_furniture_draw(sc->furn, cr, d); /* checks each part itself */
  return st;
}

/* The page is a plain image (a PNG) whose layers can be drawn in bands. */
static bool page_in_bands(const shoal_scene *sc, cairo_t *cr)
{
  cairo_surface_t *t = cairo_get_target(cr);
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  return cairo_surface_get_type(t) == CAIRO_SURFACE_TYPE_IMAGE &&
         cairo_image_surface_get_format(t) == CAIRO_FORMAT_ARGB32 && m.xx == 1 && m.yy == 1 &&
         m.xy == 0 && m.yx == 0 && m.x0 == 0 && m.y0 == 0 && shoal_scene_bands_fit(sc);
}

/* Background and layers drawn in bands on every core (core/sceneband.c), then the lines of
 * label-obstacle layers claimed as draw_layer does. */
static shoal_status draw_layers_banded(shoal_scene *sc, cairo_t *cr, shoal_collide *taken,
                                       const atomic_int *cancel, shoal_diag *d)
{
  const shoal_view *v = &sc->view;
  shoal_bandgeo *geo = NULL;
  shoal_status st = shoal_scene_draw_layers_banded(sc, cairo_get_target(cr), cancel, d, &geo);
  for (size_t i = 0; st == SHOAL_OK && i < sc->nlayers; i++) {
    const shoal_layer *L = sc->layers[i].layer;
    if (L->visible && L->label_obstacle)
      block_lines(taken, geo[i].lg, (L->style.stroke_width / 2 + 1) * v->scale, 6 * v->scale);
  }
  shoal_scene_bands_free(sc, geo);
  return st;
}

shoal_status shoal_scene_paint_background(const shoal_scene *sc, cairo_t *cr, shoal_diag *d)
{
  shoal_color bg = sc->map->background;
  cairo_save(cr);
  cairo_set_source_rgba(cr, bg.r, bg.g, bg.b, bg.a);
  cairo_rectangle(cr, 0, 0, sc->view.width, sc->view.height);
  shoal_svg_fill(cr, false);
  cairo_restore(cr);
  return shoal_render_check(cr, d, (shoal_loc){0}, "the background");
}

/* Background and layers on one thread. */
static shoal_status draw_layers(shoal_scene *sc, cairo_t *cr, shoal_collide *taken,
                                const atomic_int *cancel, shoal_diag *d)
{
  shoal_status st = shoal_scene_paint_background(sc, cr, d);
  shoal_render_stats rs = {0};
  /* Checked between layers: a big layer is finished before the draw stops, which bounds the
   * wait after a signal by the slowest single layer, not the whole map. */
  for (size_t i = 0; st == SHOAL_OK && i < sc->nlayers; i++)
    if (sc->layers[i].layer->visible && (st = check_cancel(st, cancel)) == SHOAL_OK)
      st = draw_layer(sc, &sc->layers[i], cr, taken, &rs, d);
  sc->stats.features = rs.features;
  sc->stats.pts_read = rs.pts_read;
  sc->stats.pts_drawn = rs.pts_drawn;
  return st;
}

shoal_status shoal_scene_draw(shoal_scene *sc, cairo_t *cr, const atomic_int *cancel, shoal_diag *d)
{
  const shoal_view *v = &sc->view;
  size_t before = shoal_diag_nerrors(d);
  /* Labels go after the furniture has claimed its boxes, so none hides under the legend; the
   * lines of layers marked label-obstacle claim theirs while they are drawn. */
  shoal_collide *taken = shoal_collide_new(v->width, v->height, 32 * v->scale);
  if (!taken) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  shoal_status st = page_in_bands(sc, cr) ? draw_layers_banded(sc, cr, taken, cancel, d)
                                          : draw_layers(sc, cr, taken, cancel, d);
  if (st == SHOAL_OK)
    st = draw_over_layers(sc, cr, taken, cancel, d);
  shoal_collide_free(taken);
  /* never a failure without a word; an interrupted draw is the caller's to report */
  if (st != SHOAL_OK && st != SHOAL_ERR_INTERRUPTED && shoal_diag_nerrors(d) == before)
    shoal_diag_error(d, st, NULL, 0, 0, "drawing the map failed: %s", shoal_status_str(st));
  return st;
}

void shoal_scene_stats(const shoal_scene *sc, shoal_job_stats *out)
{
  out->features = sc->stats.features;
  out->pts_read = sc->stats.pts_read;
  out->pts_drawn = sc->stats.pts_drawn;
  out->labels_placed = sc->stats.labels_placed;
  out->labels_dropped = sc->stats.labels_dropped;
}

void shoal_scene_free(shoal_scene *sc)
{
  if (!sc)
    return;
  for (size_t i = 0; i < sc->nlayers; i++)
    shoal_xform_free(sc->layers[i].xf);
  free(sc->layers);
  shoal_labels_free(sc->labels);
  shoal_furniture_free(sc->furn);
  shoal_xform_free(sc->to_ll);
  shoal_xform_free(sc->from_ll);
  shoal_proj_free(sc->proj);
  free(sc);
}
