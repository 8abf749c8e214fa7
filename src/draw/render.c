/* Feature drawing: styles, markers, polygons, and a layer's prepared geometry (layer/) drawn
 * with its rules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/render.h"
#include "layer/featattr.h"

static void set_rgba(cairo_t *cr, shoal_color c, double opacity)
{
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

void shoal_style_apply_stroke(cairo_t *cr, const shoal_style *st, double scale)
{
  set_rgba(cr, st->stroke, st->opacity);
  cairo_set_line_width(cr, st->stroke_width * scale);
  static const cairo_line_join_t joins[] = {CAIRO_LINE_JOIN_MITER, CAIRO_LINE_JOIN_ROUND,
                                            CAIRO_LINE_JOIN_BEVEL};
  static const cairo_line_cap_t caps[] = {CAIRO_LINE_CAP_BUTT, CAIRO_LINE_CAP_ROUND,
                                          CAIRO_LINE_CAP_SQUARE};
  cairo_set_line_join(cr, joins[st->join]);
  cairo_set_line_cap(cr, caps[st->cap]);
  if (st->ndash > 0) {
    double d[SHOAL_MAX_DASH];
    for (int i = 0; i < st->ndash; i++)
      d[i] = st->dash[i] * scale;
    cairo_set_dash(cr, d, st->ndash, 0);
  } else {
    cairo_set_dash(cr, NULL, 0, 0);
  }
}

static bool has_stroke(const shoal_style *st)
{
  return (st->set & SHOAL_STY_STROKE) && st->stroke.a > 0 && st->stroke_width > 0;
}

static bool has_fill(const shoal_style *st) { return (st->set & SHOAL_STY_FILL) && st->fill.a > 0; }

static void hatch_current_path(cairo_t *cr, const shoal_style *st, double scale)
{
  double x0, y0, x1, y1;
  shoal_color hc = st->hatch;
  hc.a *= st->opacity;
  if (shoal_svg_hatch(cr, hc, st->hatch_width * scale, st->hatch_spacing * scale, st->hatch_angle))
    return;
  /* The hatch lines replace the current path; keep the outline for the stroke that follows. */
  cairo_path_t *outline = cairo_copy_path(cr);
  cairo_save(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_clip_preserve(cr);
  cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
  cairo_new_path(cr);
  double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, r = hypot(x1 - x0, y1 - y0) / 2 + 1;
  double a = st->hatch_angle * M_PI / 180, sp = st->hatch_spacing * scale;
  double dx = cos(a), dy = -sin(a); /* direction of the lines (y down) */
  double nx = -dy, ny = dx;         /* step between lines */
  long k = (long)ceil(r / sp);
  if (k > 20000)
    k = 20000;
  for (long i = -k; i <= k; i++) {
    double ox = cx + nx * sp * (double)i, oy = cy + ny * sp * (double)i;
    cairo_move_to(cr, ox - dx * r, oy - dy * r);
    cairo_line_to(cr, ox + dx * r, oy + dy * r);
  }
  set_rgba(cr, st->hatch, st->opacity);
  cairo_set_line_width(cr, st->hatch_width * scale);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_stroke(cr);
  cairo_restore(cr);
  cairo_new_path(cr);
  cairo_append_path(cr, outline);
  cairo_path_destroy(outline);
}

void shoal_polygon_fill(cairo_t *cr, const shoal_style *st)
{
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (has_fill(st)) {
    set_rgba(cr, st->fill, st->opacity);
    shoal_svg_fill(cr, false);
  }
  cairo_new_path(cr);
}

void shoal_polygon_stroke(cairo_t *cr, const shoal_style *st, double scale)
{
  if (has_stroke(st)) {
    shoal_style_apply_stroke(cr, st, scale);
    shoal_svg_stroke(cr, false);
  }
  cairo_new_path(cr);
}

void shoal_polygon_paint(cairo_t *cr, const shoal_style *st, double scale)
{
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (has_fill(st)) {
    set_rgba(cr, st->fill, st->opacity);
    shoal_svg_fill(cr, true);
  }
  if ((st->set & SHOAL_STY_HATCH) && st->hatch.a > 0)
    hatch_current_path(cr, st, scale);
  if (has_stroke(st)) {
    shoal_style_apply_stroke(cr, st, scale);
    shoal_svg_stroke(cr, true);
  }
  cairo_new_path(cr);
}

void shoal_marker_path(cairo_t *cr, shoal_marker_shape shape, double x, double y, double size)
{
  double r = size / 2;
  switch (shape) {
  case SHOAL_MARKER_NONE: break;
  case SHOAL_MARKER_CIRCLE:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_SQUARE:
    cairo_rectangle(cr, x - r * 0.886, y - r * 0.886, r * 1.772,
                    r * 1.772); /* same area as circle */
    break;
  case SHOAL_MARKER_TRIANGLE:
    r *= 1.2;
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
    cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_DIAMOND:
    r *= 1.2;
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r * 0.8, y);
    cairo_line_to(cr, x, y + r);
    cairo_line_to(cr, x - r * 0.8, y);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_STAR:
    r *= 1.25;
    for (int i = 0; i < 10; i++) {
      double a = -M_PI / 2 + i * M_PI / 5, rr = (i % 2) ? r * 0.45 : r;
      if (i == 0)
        cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
      else
        cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
    }
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_CROSS: {
    double w = r * 0.35;
    cairo_move_to(cr, x - w, y - r);
    cairo_line_to(cr, x + w, y - r);
    cairo_line_to(cr, x + w, y - w);
    cairo_line_to(cr, x + r, y - w);
    cairo_line_to(cr, x + r, y + w);
    cairo_line_to(cr, x + w, y + w);
    cairo_line_to(cr, x + w, y + r);
    cairo_line_to(cr, x - w, y + r);
    cairo_line_to(cr, x - w, y + w);
    cairo_line_to(cr, x - r, y + w);
    cairo_line_to(cr, x - r, y - w);
    cairo_line_to(cr, x - w, y - w);
    cairo_close_path(cr);
    break;
  }
  }
}

void shoal_marker_draw(cairo_t *cr, const shoal_style *st, double x, double y, double scale)
{
  shoal_marker_shape shape = st->marker ? st->marker : SHOAL_MARKER_CIRCLE;
  cairo_new_path(cr);
  shoal_marker_path(cr, shape, x, y, st->marker_size * scale);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  if (has_fill(st)) {
    set_rgba(cr, st->fill, st->opacity);
    shoal_svg_fill(cr, true);
  }
  if (has_stroke(st)) {
    shoal_style_apply_stroke(cr, st, scale);
    cairo_set_dash(cr, NULL, 0, 0);
    shoal_svg_stroke(cr, true);
  }
  cairo_new_path(cr);
}

/* Paint the current path as one feature of the layer (polygon or line) with its style. */
static void paint_path(cairo_t *cr, const shoal_style *sty, bool poly, double scale)
{
  if (poly) {
    shoal_polygon_paint(cr, sty, scale);
  } else if (has_stroke(sty)) {
    shoal_style_apply_stroke(cr, sty, scale);
    shoal_svg_stroke(cr, false);
  } else {
    cairo_new_path(cr);
  }
}

/* PDF: a run of features of one opaque style whose boxes (grown by what the line may reach and
 * a margin) meet no other box of the run is drawn as one path, one fill-and-stroke. Cairo wraps
 * each operation in a save, a matrix, both colours and a restore: on the 2000x2000 overview's
 * 12,000 islands that was 46 % of the numbers it printed and compressed. With the boxes apart,
 * no feature of a run covers another's fill or line, and the even-odd filling of one feature's
 * rings is unchanged by the others' (they lie outside its box): the same drawing. Translucent
 * or hatched styles, and the other formats, are drawn feature by feature. */
enum { RUN_MAX = 256 };
#define RUN_MARGIN 0.5 /* CSS px kept between the boxes of a run */

typedef struct run {
  bool on;                /* the target is a PDF */
  const shoal_style *sty; /* the style of the pending path, NULL when there is none */
  int n;
  double box[RUN_MAX][4];
} run;

static bool mergeable(const shoal_style *st)
{
  if (st->opacity < 1 || ((st->set & SHOAL_STY_HATCH) && st->hatch.a > 0))
    return false;
  return (!has_fill(st) || st->fill.a >= 1) && (!has_stroke(st) || st->stroke.a >= 1);
}

/* The feature's box grown by grow on every side (empty: +inf..-inf, meets nothing). */
static void feature_box(const shoal_layergeo *lg, size_t p0, size_t p1, double grow, double *b)
{
  b[0] = b[1] = INFINITY;
  b[2] = b[3] = -INFINITY;
  for (size_t i = lg->g.parts[p0]; i < lg->g.parts[p1]; i++) {
    double x = lg->g.xy[2 * i], y = lg->g.xy[2 * i + 1];
    b[0] = x < b[0] ? x : b[0];
    b[1] = y < b[1] ? y : b[1];
    b[2] = x > b[2] ? x : b[2];
    b[3] = y > b[3] ? y : b[3];
  }
  b[0] -= grow;
  b[1] -= grow;
  b[2] += grow;
  b[3] += grow;
}

static bool run_meets(const run *r, const double *b)
{
  for (int i = 0; i < r->n; i++)
    if (b[0] <= r->box[i][2] && r->box[i][0] <= b[2] && b[1] <= r->box[i][3] &&
        r->box[i][1] <= b[3])
      return true;
  return false;
}

/* Whether the feature joins the pending path; paints that path first when it cannot. */
static bool run_take(cairo_t *cr, run *r, const shoal_style *sty, const shoal_layergeo *lg,
                     size_t f, double scale)
{
  bool poly = lg->kind == SHOAL_GEOM_POLYGON, merge = r->on && mergeable(sty);
  double b[4] = {0};
  if (merge) {
    /* a miter reaches Cairo's default limit (10) times half the width, a square cap 1.5 */
    double reach = sty->join == SHOAL_JOIN_MITER ? 10 : 1.5;
    double grow = (has_stroke(sty) ? sty->stroke_width / 2 * reach : 0) + RUN_MARGIN;
    feature_box(lg, lg->first_part[f], lg->first_part[f + 1], grow * scale, b);
  }
  if (r->sty && (!merge || sty != r->sty || r->n == RUN_MAX || run_meets(r, b))) {
    paint_path(cr, r->sty, poly, scale);
    r->sty = NULL;
    r->n = 0;
  }
  if (!r->sty)
    cairo_new_path(cr);
  if (merge) {
    r->sty = sty;
    memcpy(r->box[r->n++], b, sizeof b);
  }
  return merge;
}

const shoal_style *shoal_render_feature_style(shoal_featattr *fa, const shoal_layerctx *lc,
                                              const shoal_layergeo *lg, size_t f,
                                              shoal_render_stats *stats)
{
  shoal_featattr_set(fa, lg->ids[f]);
  const shoal_style *sty = shoal_featattr_style(lc->layer, fa);
  if (sty) {
    stats->features++;
    stats->pts_drawn += lg->g.parts[lg->first_part[f + 1]] - lg->g.parts[lg->first_part[f]];
  }
  return sty;
}

shoal_status shoal_render_nomem(const shoal_layerctx *lc, shoal_diag *d)
{
  shoal_diag_error_at(d, SHOAL_ERR_NOMEM, lc->layer->loc, "out of memory drawing layer '%s'",
                      lc->layer->name);
  return SHOAL_ERR_NOMEM;
}

shoal_status shoal_layergeo_draw(cairo_t *cr, const shoal_layerctx *lc, const shoal_layergeo *lg,
                                 shoal_render_stats *stats, shoal_diag *d)
{
  const shoal_view *v = lc->view;
  shoal_featattr fa;
  if (!shoal_featattr_init(&fa, lc->src)) {
    shoal_featattr_free(&fa);
    return shoal_render_nomem(lc, d);
  }
  bool poly = lg->kind == SHOAL_GEOM_POLYGON;
  run r = {.on = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_PDF};
  stats->pts_read += lg->pts_read;
  for (size_t f = 0; f < lg->nfeat && fa.failed_id < 0; f++) {
    const shoal_style *sty = shoal_render_feature_style(&fa, lc, lg, f, stats);
    if (!sty)
      continue;
    size_t p0 = lg->first_part[f], p1 = lg->first_part[f + 1];
    if (lg->kind == SHOAL_GEOM_POINT) {
      for (size_t p = p0; p < p1; p++) {
        size_t i = lg->g.parts[p];
        shoal_marker_draw(cr, sty, lg->g.xy[2 * i], lg->g.xy[2 * i + 1], v->scale);
      }
      continue;
    }
    bool pending = run_take(cr, &r, sty, lg, f, v->scale);
    for (size_t p = p0; p < p1; p++) {
      size_t a = lg->g.parts[p], b = lg->g.parts[p + 1];
      if (b - a < 2)
        continue;
      cairo_move_to(cr, lg->g.xy[2 * a], lg->g.xy[2 * a + 1]);
      for (size_t i = a + 1; i < b; i++)
        cairo_line_to(cr, lg->g.xy[2 * i], lg->g.xy[2 * i + 1]);
      if (poly)
        cairo_close_path(cr);
    }
    if (!pending)
      paint_path(cr, sty, poly, v->scale);
  }
  if (r.sty)
    paint_path(cr, r.sty, poly, v->scale);
  shoal_status st = shoal_featattr_report(&fa, d) ? SHOAL_ERR_DATA : SHOAL_OK;
  shoal_featattr_free(&fa);
  return st;
}

shoal_status shoal_render_layer(cairo_t *cr, const shoal_layerctx *lc, shoal_diag *d,
                                shoal_render_stats *stats)
{
  const shoal_layergeo *lg = NULL;
  shoal_layergeo *own = NULL;
  shoal_status st = shoal_layer_geom(lc, d, &lg, &own);
  if (st == SHOAL_OK)
    st = shoal_layergeo_draw(cr, lc, lg, stats, d);
  shoal_layergeo_free(own);
  return st;
}

/* The style key whose value makes Cairo fail with s, or NULL when s is not about a value
 * from the map file (then it is an internal error). */
static const char *status_key(cairo_status_t s)
{
  switch (s) {
  case CAIRO_STATUS_INVALID_DASH: return "dash";
  default: return NULL;
  }
}

shoal_status shoal_render_check(cairo_t *cr, shoal_diag *d, shoal_loc at, const char *what)
{
  shoal_svg_group(cr, what); /* editable SVG: what was drawn since becomes a named layer */
  cairo_status_t cs = cairo_status(cr);
  if (cs == CAIRO_STATUS_SUCCESS)
    return SHOAL_OK;
  const char *key = status_key(cs);
  shoal_status st = key ? SHOAL_ERR_DATA : SHOAL_ERR_INTERNAL;
  if (key)
    shoal_diag_error_at(d, st, at, "cannot draw %s: %s (its '%s' value)", what,
                        cairo_status_to_string(cs), key);
  else
    shoal_diag_error_at(d, st, at, "cannot draw %s: Cairo error: %s", what,
                        cairo_status_to_string(cs));
  return st;
}
