/* Inset locator map: a small map of a wider extent (own CRS, own land file) with the main
 * map's frame drawn on it as a box. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furniture/furn_priv.h"
#include "draw/render.h"

#define BOX_SAMPLES 24 /* per edge of the main frame, so a curved outline stays curved */

/* The inset extent e (lon/lat, east up to 540) in the inset CRS of ll (EPSG:4326 -> inset CRS)
 * into want. An extent crossing the seam of a periodic CRS (Mercator past 180) is transformed
 * one 360-degree strip at a time and the strips put side by side, as the map's own extent is,
 * instead of PROJ folding it into the whole world. */
static shoal_status inset_bounds(shoal_xform *ll, const double e[4], double want[4])
{
  const shoal_seam *s = shoal_xform_seam(ll);
  double lo = s->lon0 - 180;
  long k0 = (long)floor((e[0] - lo) / 360), k1 = (long)ceil((e[2] - lo) / 360) - 1;
  if (!s->cut || !s->periodic || k0 == k1 || e[2] - e[0] >= 360)
    return shoal_xform_bounds(ll, e, want, SHOAL_DENSIFY, false);
  want[0] = want[1] = HUGE_VAL;
  want[2] = want[3] = -HUGE_VAL;
  for (long k = k0; k <= k1; k++) {
    double a = lo + 360.0 * (double)k, b[4];
    double sub[4] = {fmax(e[0], a), e[1], fmin(e[2], a + 360), e[3]};
    sub[0] = sub[0] - 360.0 * (double)k + (sub[0] == a ? SHOAL_SEAM_EPS : 0);
    sub[2] = sub[2] - 360.0 * (double)k - (sub[2] == a + 360 ? SHOAL_SEAM_EPS : 0);
    if (sub[2] <= sub[0] || shoal_xform_bounds(ll, sub, b, SHOAL_DENSIFY, false) != SHOAL_OK)
      continue;
    want[0] = fmin(want[0], b[0] + (double)k * s->period);
    want[1] = fmin(want[1], b[1]);
    want[2] = fmax(want[2], b[2] + (double)k * s->period);
    want[3] = fmax(want[3], b[3]);
  }
  return want[0] < want[2] ? SHOAL_OK : SHOAL_ERR_DATA;
}

shoal_status shoal_inset_prepare(struct shoal_furnstate *fs, shoal_diag *d)
{
  const shoal_furnspec *f = fs->env.map->furn;
  if (!f->inset.show || !f->inset.data)
    return SHOAL_OK;
  char err[512];
  const char *crs = f->inset.crs ? f->inset.crs : "EPSG:4326";
  shoal_loc crs_loc = f->inset.crs_loc.file ? f->inset.crs_loc : f->inset.loc;
  if (shoal_proj_check_crs(fs->env.proj, crs, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, crs_loc, "unknown inset CRS '%s': %s", crs, err);
    return SHOAL_ERR_DATA;
  }
  if (access(f->inset.data, R_OK) != 0) {
    int e = errno;
    shoal_diag_error_at(d, SHOAL_ERR_NOINPUT, f->inset.data_loc,
                        "cannot open inset data file '%s': %s", f->inset.data, strerror(e));
    return SHOAL_ERR_NOINPUT;
  }
  shoal_status st = shoal_source_open(f->inset.data, d, &fs->inset_src);
  if (st != SHOAL_OK)
    return st;
  if (shoal_xform_new(fs->env.proj, shoal_source_crs(fs->inset_src), crs, &fs->inset_xf, err,
                      sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, f->inset.data_loc,
                        "cannot transform '%s' into the inset CRS: %s", f->inset.data, err);
    return SHOAL_ERR_DATA;
  }
  if (shoal_xform_new(fs->env.proj, fs->env.map->crs, crs, &fs->map_to_inset, err, sizeof err) !=
      SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, crs_loc,
                        "cannot relate the map CRS to the inset CRS '%s': %s", crs, err);
    return SHOAL_ERR_DATA;
  }
  shoal_xform *ll = NULL;
  if (shoal_xform_new(fs->env.proj, "EPSG:4326", crs, &ll, err, sizeof err) != SHOAL_OK) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, crs_loc,
                        "cannot relate the inset CRS '%s' to longitude/latitude: %s", crs, err);
    return SHOAL_ERR_DATA;
  }
  double want[4];
  double s = fs->env.view.scale;
  st = inset_bounds(ll, f->inset.extent, want);
  fs->inset_seam = *shoal_xform_seam(ll);
  shoal_xform_free(ll);
  if (st != SHOAL_OK ||
      !shoal_view_fit(&fs->inset_view, f->inset.size[0] * s, f->inset.size[1] * s, s, want)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, f->inset.loc,
                        "the inset CRS '%s' cannot show the inset extent", crs);
    return SHOAL_ERR_DATA;
  }
  shoal_layer *L = &fs->inset_layer;
  memset(L, 0, sizeof *L);
  L->name = "inset";
  L->visible = true;
  L->simplify = 0.6;
  L->style = (shoal_style){.set = SHOAL_STY_FILL | SHOAL_STY_STROKE | SHOAL_STY_WIDTH,
                           .fill = f->inset.land,
                           .stroke = f->inset.coast,
                           .stroke_width = 0.4,
                           .opacity = 1,
                           .join = SHOAL_JOIN_ROUND};
  return SHOAL_OK;
}

void shoal_inset_release(struct shoal_furnstate *fs)
{
  shoal_xform_free(fs->inset_xf);
  shoal_xform_free(fs->map_to_inset);
  if (fs->inset_src)
    shoal_source_close(fs->inset_src);
  fs->inset_xf = fs->map_to_inset = NULL;
  fs->inset_src = NULL;
}

/* For a periodic inset CRS: the frame's x (m points, inset CRS units) made continuous, so a
 * frame across the inset CRS's seam does not jump across the inset, and moved by whole periods
 * to the copy nearest the middle of the inset's view. */
static void frame_into_view(const shoal_seam *s, const shoal_view *iv, double *xy, size_t m)
{
  if (!s->periodic || s->period <= 0 || m == 0)
    return;
  double sx = xy[0];
  for (size_t i = 1; i < m; i++) {
    xy[2 * i] += s->period * round((xy[2 * i - 2] - xy[2 * i]) / s->period);
    sx += xy[2 * i];
  }
  double shift = s->period * round(((iv->ext[0] + iv->ext[2]) / 2 - sx / (double)m) / s->period);
  for (size_t i = 0; shift != 0 && i < m; i++)
    xy[2 * i] += shift;
}

/* The main frame as a closed ring in inset px; false when none of it projects. */
static bool main_box(struct shoal_furnstate *fs, double *xy, size_t *n)
{
  const shoal_view *v = &fs->env.view;
  const double cx[4] = {0, v->width, v->width, 0}, cy[4] = {0, 0, v->height, v->height};
  size_t k = 0;
  for (int e = 0; e < 4; e++)
    for (int i = 0; i < BOX_SAMPLES; i++) {
      double t = (double)i / BOX_SAMPLES;
      double px = cx[e] + (cx[(e + 1) % 4] - cx[e]) * t, py = cy[e] + (cy[(e + 1) % 4] - cy[e]) * t;
      shoal_view_unapply(v, px, py, &xy[2 * k], &xy[2 * k + 1]);
      k++;
    }
  size_t good = shoal_xform_fwd(fs->map_to_inset, xy, k);
  /* Drop points that failed, keep the rest in order. */
  size_t m = 0;
  for (size_t i = 0; i < k; i++)
    if (xy[2 * i] != HUGE_VAL) {
      xy[2 * m] = xy[2 * i];
      xy[2 * m + 1] = xy[2 * i + 1];
      m++;
    }
  frame_into_view(&fs->inset_seam, &fs->inset_view, xy, m);
  shoal_view_apply(&fs->inset_view, xy, m);
  *n = m;
  return good >= 3 && m >= 3;
}

shoal_status shoal_inset_draw(struct shoal_furnstate *fs, cairo_t *cr, double x, double y,
                              shoal_diag *d)
{
  const shoal_furnspec *f = fs->env.map->furn;
  if (!fs->inset_src)
    return SHOAL_OK;
  const shoal_view *iv = &fs->inset_view;
  double s = fs->env.view.scale;
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_rectangle(cr, 0, 0, iv->width, iv->height);
  shoal_svg_clip(cr);
  cairo_set_source_rgba(cr, f->inset.sea.r, f->inset.sea.g, f->inset.sea.b, f->inset.sea.a);
  shoal_svg_paint(cr);
  shoal_render_stats rs = {0};
  cairo_save(cr);
  shoal_layerctx lc = {
      .layer = &fs->inset_layer, .src = fs->inset_src, .xf = fs->inset_xf, .view = iv};
  shoal_status st = shoal_render_layer(cr, &lc, d, &rs);
  cairo_restore(cr);
  double xy[2 * 4 * BOX_SAMPLES];
  size_t n = 0;
  if (st == SHOAL_OK && f->inset.box_width > 0 && main_box(fs, xy, &n)) {
    double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for (size_t i = 0; i < n; i++) {
      b[0] = fmin(b[0], xy[2 * i]);
      b[1] = fmin(b[1], xy[2 * i + 1]);
      b[2] = fmax(b[2], xy[2 * i]);
      b[3] = fmax(b[3], xy[2 * i + 1]);
    }
    cairo_new_path(cr);
    double min = 6 * s;
    if (b[2] - b[0] < min && b[3] - b[1] < min) {
      /* A frame too small to see becomes a small square around where it is. */
      double mx = (b[0] + b[2]) / 2, my = (b[1] + b[3]) / 2;
      cairo_rectangle(cr, mx - min / 2, my - min / 2, min, min);
    } else {
      cairo_move_to(cr, xy[0], xy[1]);
      for (size_t i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
      cairo_close_path(cr);
    }
    shoal_color c = f->inset.box;
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * 0.12);
    shoal_svg_fill(cr, true);
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
    cairo_set_line_width(cr, f->inset.box_width * s);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_set_dash(cr, NULL, 0, 0);
    shoal_svg_stroke(cr, false);
  }
  shoal_svg_unclip(cr);
  cairo_restore(cr);
  /* Frame: a white keyline outside a thin grey line, so the inset reads apart from the map. */
  cairo_save(cr);
  cairo_rectangle(cr, x, y, iv->width, iv->height);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_set_line_width(cr, 3 * s);
  shoal_svg_stroke(cr, true);
  cairo_set_source_rgb(cr, 0x77 / 255.0, 0x77 / 255.0, 0x77 / 255.0);
  cairo_set_line_width(cr, 0.8 * s);
  shoal_svg_stroke(cr, false);
  cairo_restore(cr);
  return st;
}
