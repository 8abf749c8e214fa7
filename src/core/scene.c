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
#include "draw/render.h"

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
  shoal_status st = shoal_xform_bounds(ex, m->extent, want, SHOAL_DENSIFY, false);
  shoal_xform_free(ex);
  /* The view works in device pixels, fitted to the exact page (CSS px x scale); the surface
   * has that rounded, (int)(css * scale + 0.5) of them. */
  double dw = m->width * m->scale, dh = m->height * m->scale;
  if (st != SHOAL_OK || !shoal_view_fit(&sc->view, dw, dh, m->scale, want)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->extent_loc,
                        "the map CRS '%s' cannot show this extent", m->crs);
    return SHOAL_ERR_DATA;
  }
  if (shoal_xform_new(sc->proj, m->crs, "EPSG:4326", &sc->to_ll, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, m->crs_loc,
                        "cannot relate '%s' to longitude/latitude: %s", m->crs, err);
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
    if (access(f->path, R_OK) != 0) {
      int e = errno;
      shoal_diag_error(d, SHOAL_ERR_NOINPUT, f->loc.file, f->loc.line, f->loc.col,
                       "cannot open data file '%s' of layer '%s': %s", f->path, L->name,
                       strerror(e));
      continue;
    }
    shoal_source *src = NULL;
    if (shoal_datacache_open(cache, f->path, d, &src) != SHOAL_OK) {
      shoal_diag_note(d, f->loc.file, f->loc.line, f->loc.col, "data file of layer '%s'", L->name);
      continue;
    }
    char err[512];
    shoal_xform *xf = NULL;
    if (shoal_xform_new(sc->proj, shoal_source_crs(src), m->crs, &xf, err, sizeof err) !=
        SHOAL_OK) {
      shoal_diag_error(d, SHOAL_ERR_DATA, f->loc.file, f->loc.line, f->loc.col,
                       "cannot transform '%s' into the map CRS: %s", f->path, err);
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
  if (!sc || !(sc->proj = shoal_proj_new())) {
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
  st = shoal_layergeo_draw(cr, sl, lg, rs);
  cairo_restore(cr);
  char what[300];
  snprintf(what, sizeof what, "layer '%s'", sl->layer->name);
  if (st != SHOAL_OK)
    shoal_diag_error_at(d, st, sl->layer->loc, "out of memory drawing %s", what);
  else
    st = shoal_render_check(cr, d, sl->layer->loc, what);
  if (st == SHOAL_OK && sl->layer->label_obstacle)
    block_lines(taken, lg, (sl->layer->style.stroke_width / 2 + 1) * v->scale, 6 * v->scale);
  shoal_layergeo_free(own);
  return st;
}

/* Annotations under the labels, furniture under and over them, and the labels, each checked
 * for a Cairo error before the next is drawn. */
static shoal_status draw_over_layers(shoal_scene *sc, cairo_t *cr, shoal_collide *taken,
                                     shoal_diag *d)
{
  const shoal_loc none = {0};
  shoal_status st = shoal_annots_draw_under(sc->labels, cr, d);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the annotations");
  if (st == SHOAL_OK)
    st = shoal_furniture_draw_under(sc->furn, cr, d);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the graticule");
  if (st == SHOAL_OK)
    st = shoal_furniture_layout(sc->furn, cr, taken);
  if (st == SHOAL_OK)
    st = shoal_labels_draw(sc->labels, cr, taken, d, &sc->stats.labels_placed,
                           &sc->stats.labels_dropped);
  if (st == SHOAL_OK)
    st = shoal_render_check(cr, d, none, "the labels");
  if (st == SHOAL_OK)
    st = shoal_furniture_draw(sc->furn, cr, d); /* checks each part itself */
  return st;
}

shoal_status shoal_scene_draw(shoal_scene *sc, cairo_t *cr, shoal_diag *d)
{
  const shoal_view *v = &sc->view;
  shoal_color bg = sc->map->background;
  cairo_save(cr);
  cairo_set_source_rgba(cr, bg.r, bg.g, bg.b, bg.a);
  cairo_rectangle(cr, 0, 0, v->width, v->height);
  cairo_fill(cr);
  cairo_restore(cr);
  size_t before = shoal_diag_nerrors(d);
  shoal_status st = shoal_render_check(cr, d, (shoal_loc){0}, "the background");
  if (st != SHOAL_OK)
    return st;
  shoal_render_stats rs = {0};
  /* Labels go after the furniture has claimed its boxes, so none hides under the legend; the
   * lines of layers marked label-obstacle claim theirs while they are drawn. */
  shoal_collide *taken = shoal_collide_new(v->width, v->height, 32 * v->scale);
  if (!taken) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  for (size_t i = 0; st == SHOAL_OK && i < sc->nlayers; i++)
    if (sc->layers[i].layer->visible)
      st = draw_layer(sc, &sc->layers[i], cr, taken, &rs, d);
  sc->stats.features = rs.features;
  sc->stats.pts_read = rs.pts_read;
  sc->stats.pts_drawn = rs.pts_drawn;
  if (st == SHOAL_OK)
    st = draw_over_layers(sc, cr, taken, d);
  shoal_collide_free(taken);
  if (st != SHOAL_OK && shoal_diag_nerrors(d) == before) /* never a failure without a word */
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
  shoal_proj_free(sc->proj);
  free(sc);
}
