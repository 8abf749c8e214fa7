/* Graticule: meridians and parallels densified in lon/lat, projected through the map CRS and
 * clipped to the frame, with degree labels where they meet the frame's edges. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furniture/furn_priv.h"
#include "geo/clip.h"

#define SAMPLES 96    /* vertices per line, so curved meridians (conic) stay smooth */
#define MAX_LINES 400 /* per direction */

double shoal_graticule_auto_step(double lon_span, double lat_span)
{
  static const double steps[] = {0.25, 0.5, 1, 2, 5, 10, 15, 30};
  double span = lon_span > lat_span ? lon_span : lat_span;
  for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
    if (span / steps[i] <= 6.25)
      return steps[i];
  return 30;
}

void shoal_graticule_format(double deg, bool is_lat, char *buf, size_t len)
{
  static const char *const en[4] = {"N", "S", "E", "W"};
  shoal_graticule_format_in(deg, is_lat, en, buf, len);
}

void shoal_graticule_format_in(double deg, bool is_lat, const char *const hemis[4], char *buf,
                               size_t len)
{
  if (!is_lat) {
    deg = fmod(deg, 360);
    if (deg > 180)
      deg -= 360;
    else if (deg <= -180)
      deg += 360;
  }
  long minutes = lround(fabs(deg) * 60);
  const char *hemi = is_lat ? (deg > 0 ? hemis[0] : hemis[1]) : (deg > 0 ? hemis[2] : hemis[3]);
  if (minutes == 0 || (!is_lat && minutes == 180 * 60))
    hemi = "";
  long d = minutes / 60, m = minutes % 60;
  if (m == 0)
    snprintf(buf, len, "%ld\xc2\xb0%s", d, hemi);
  else
    snprintf(buf, len, "%ld\xc2\xb0%02ld\xe2\x80\xb2%s", d, m, hemi);
}

/* The map CRS's seam or horizon as seen from lon/lat (the graticule is drawn in lon/lat);
 * nothing when it cannot be worked out. */
static shoal_seam grat_seam(struct shoal_furnstate *fs)
{
  shoal_seam s = {0};
  shoal_xform *t = NULL;
  if (shoal_xform_new(fs->env.proj, "EPSG:4326", fs->env.map->crs, &t, NULL, 0) == SHOAL_OK)
    s = *shoal_xform_seam(t);
  shoal_xform_free(t);
  return s;
}

/* Lon/lat box the view shows, slightly widened so lines reach the frame; a view past the edge
 * of a periodic map (across 180) goes on past 180. */
static bool view_ll_bounds(struct shoal_furnstate *fs, const shoal_seam *s, double b[4])
{
  if (shoal_xform_bounds(fs->env.to_ll, fs->env.view.ext, b, 33, false) != SHOAL_OK)
    return false;
  double mx = (b[2] - b[0]) * 0.02, my = (b[3] - b[1]) * 0.02;
  b[0] -= mx;
  b[2] += mx;
  b[1] = fmax(b[1] - my, -89.999);
  b[3] = fmin(b[3] + my, 89.999);
  if (b[2] - b[0] > 360) {
    b[0] = -180;
    b[2] = 180;
  }
  const double *ext = fs->env.view.ext;
  if (s->periodic && ext[2] > s->wx1)
    b[2] = fmax(b[2], s->lon0 + 180 + (ext[2] - s->wx1) / s->period * 360);
  if (s->periodic && ext[0] < s->wx0)
    b[0] = fmin(b[0], s->lon0 - 180 - (s->wx0 - ext[0]) / s->period * 360);
  return b[2] > b[0] && b[3] > b[1];
}

/* The auto step looks at the map's size in degrees at its centre rather than at the lon/lat
 * box, which a conic or rotated view inflates. */
static double step_for(struct shoal_furnstate *fs, const double b[4])
{
  double step = fs->env.map->furn->graticule.step;
  if (step > 0)
    return step;
  double mpp = fs->env.scale_denom * 0.00028, c = cos(fs->env.centre_lat * M_PI / 180);
  if (mpp > 0 && c > 0.01)
    return shoal_graticule_auto_step(fs->env.view.width * mpp / (111320 * c),
                                     fs->env.view.height * mpp / 110574);
  return shoal_graticule_auto_step(b[2] - b[0], b[3] - b[1]);
}

/* One meridian (lon = value) or parallel (lat = value) in device px, clipped to the frame. */
static bool line_px(struct shoal_furnstate *fs, const shoal_seam *s, const double b[4],
                    bool meridian, double value, shoal_geom *tmp, shoal_geom *out)
{
  shoal_geom_clear(tmp);
  tmp->kind = SHOAL_GEOM_LINE;
  if (!shoal_geom_reserve(tmp, SAMPLES) || !shoal_geom_begin_part(tmp))
    return false;
  for (int i = 0; i < SAMPLES; i++) {
    double t = (double)i / (SAMPLES - 1);
    double x = meridian ? value : b[0] + (b[2] - b[0]) * t;
    double y = meridian ? b[1] + (b[3] - b[1]) * t : value;
    if (!shoal_geom_add(tmp, x, y))
      return false;
  }
  shoal_geom_end_part(tmp, 2);
  const shoal_view *v = &fs->env.view;
  if (!shoal_seam_apply(s, tmp, out))
    return false;
  shoal_xform_inv(fs->env.to_ll, tmp->xy, tmp->npts);
  if (!shoal_seam_repeat(s, tmp, out, v->ext[0], v->ext[2]))
    return false;
  shoal_view_apply(v, tmp->xy, tmp->npts);
  double rect[4] = {fs->frame.x0, fs->frame.y0, fs->frame.x1, fs->frame.y1};
  return shoal_clip_lines(tmp, rect, out) && out->npts > 0;
}

/* Values k * step inside [lo, hi], at most MAX_LINES of them. */
static void range(double lo, double hi, double step, long *k0, long *k1)
{
  *k0 = (long)ceil(lo / step - 1e-9);
  *k1 = (long)floor(hi / step + 1e-9);
  if (*k1 - *k0 >= MAX_LINES)
    *k1 = *k0 + MAX_LINES - 1;
}

/* The horizon of an azimuthal view, as the globe's outline. */
static void horizon_path(struct shoal_furnstate *fs, const shoal_seam *s, cairo_t *cr)
{
  double xy[2 * 361];
  for (int i = 0; i <= 360; i++)
    shoal_seam_cap_point(s, i % 360, &xy[2 * i], &xy[2 * i + 1]);
  shoal_xform_inv(fs->env.to_ll, xy, 361);
  shoal_view_apply(&fs->env.view, xy, 361);
  bool pen = false;
  for (int i = 0; i <= 360; i++) {
    if (xy[2 * i] == HUGE_VAL)
      pen = false;
    else if (pen)
      cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
    else
      cairo_move_to(cr, xy[2 * i], xy[2 * i + 1]);
    pen = pen || xy[2 * i] != HUGE_VAL;
  }
}

shoal_status shoal_graticule_draw(struct shoal_furnstate *fs, cairo_t *cr)
{
  const shoal_furnspec *f = fs->env.map->furn;
  double b[4];
  shoal_seam s = grat_seam(fs);
  if (!f->graticule.show || f->graticule.width <= 0 || !view_ll_bounds(fs, &s, b))
    return SHOAL_OK;
  double step = step_for(fs, b);
  fs->grat_step = step;
  shoal_geom tmp, c;
  shoal_geom_init(&tmp, SHOAL_GEOM_LINE);
  shoal_geom_init(&c, SHOAL_GEOM_LINE);
  cairo_save(cr);
  cairo_new_path(cr);
  for (int dir = 0; dir < 2; dir++) {
    long k0, k1;
    if (dir == 0)
      range(b[0], b[2], step, &k0, &k1);
    else
      range(b[1], b[3], step, &k0, &k1);
    for (long k = k0; k <= k1; k++) {
      if (!line_px(fs, &s, b, dir == 0, (double)k * step, &tmp, &c))
        continue;
      for (size_t p = 0; p < c.nparts; p++) {
        size_t a = c.parts[p], e = c.parts[p + 1];
        cairo_move_to(cr, c.xy[2 * a], c.xy[2 * a + 1]);
        for (size_t i = a + 1; i < e; i++)
          cairo_line_to(cr, c.xy[2 * i], c.xy[2 * i + 1]);
      }
    }
  }
  if (s.cap)
    horizon_path(fs, &s, cr);
  shoal_color col = f->graticule.color;
  cairo_set_source_rgba(cr, col.r, col.g, col.b, col.a);
  cairo_set_line_width(cr, f->graticule.width * fs->env.view.scale);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_dash(cr, NULL, 0, 0);
  shoal_svg_stroke(cr, false);
  cairo_restore(cr);
  shoal_geom_free(&tmp);
  shoal_geom_free(&c);
  return SHOAL_OK;
}

static bool overlaps(shoal_box a, shoal_box b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

typedef struct placer {
  struct shoal_furnstate *fs;
  const shoal_box *avoid;
  size_t navoid;
  shoal_box placed[SHOAL_GRAT_MAX_LABELS];
} placer;

/* Try to put text at the point where a line meets `edge` (device px). */
static bool try_place(placer *pl, const char *text, unsigned edge, double ex, double ey)
{
  struct shoal_furnstate *fs = pl->fs;
  const shoal_view *v = &pl->fs->env.view;
  /* Labels may touch furniture boxes (their line boxes carry the leading) but keep apart from
   * each other. */
  double s = v->scale, m = 2 * s, gap = 4 * s, touch = 0.5 * s;
  if (fs->nglabels >= SHOAL_GRAT_MAX_LABELS)
    return false;
  shoal_text *t =
      shoal_furn_text(pl->fs, text, pl->fs->env.map->furn->graticule.label_size, 400, 0);
  if (!t)
    return false;
  double w, h;
  shoal_text_size(t, &w, &h, NULL);
  shoal_text_free(t);
  double x, y;
  const shoal_box *fr = &fs->frame; /* the map area: the page, or between the bands */
  switch (edge) {
  case SHOAL_EDGE_BOTTOM: x = ex - w / 2, y = fr->y1 - m - h; break;
  case SHOAL_EDGE_TOP: x = ex - w / 2, y = fr->y0 + m; break;
  case SHOAL_EDGE_LEFT: x = fr->x0 + m, y = ey - h / 2; break;
  default: x = fr->x1 - m - w, y = ey - h / 2; break;
  }
  if (x < fr->x0 + m || y < fr->y0 + m || x + w > fr->x1 - m || y + h > fr->y1 - m)
    return false;
  shoal_box box = {x, y, x + w, y + h};
  shoal_box near = {x - touch, y - touch, x + w + touch, y + h + touch};
  shoal_box wide = {x - gap, y - gap, x + w + gap, y + h + gap};
  for (size_t i = 0; i < pl->navoid; i++)
    if (overlaps(near, pl->avoid[i]))
      return false;
  for (size_t i = 0; i < fs->nglabels; i++)
    if (overlaps(wide, pl->placed[i]))
      return false;
  shoal_gratlabel *g = &fs->glabels[fs->nglabels];
  snprintf(g->text, sizeof g->text, "%s", text);
  g->x = x;
  g->y = y;
  pl->placed[fs->nglabels++] = box;
  return true;
}

/* Label one line on the edges asked for; when it fits on none, on the opposite edge, and
 * last on the other two (a tilted meridian of a conic map may only have room at the side). */
static void label_line(placer *pl, const shoal_geom *c, bool meridian, const char *text)
{
  const shoal_box *fr = &pl->fs->frame;
  unsigned want = pl->fs->env.map->furn->graticule.edges;
  unsigned mine =
      meridian ? (SHOAL_EDGE_TOP | SHOAL_EDGE_BOTTOM) : (SHOAL_EDGE_LEFT | SHOAL_EDGE_RIGHT);
  unsigned first = want & mine;
  if (!first)
    return;
  unsigned all = SHOAL_EDGE_TOP | SHOAL_EDGE_BOTTOM | SHOAL_EDGE_LEFT | SHOAL_EDGE_RIGHT;
  unsigned passes[3] = {first, mine & ~first, all & ~mine};
  for (int pass = 0; pass < 3; pass++) {
    bool any = false;
    for (size_t p = 0; p < c->nparts; p++) {
      size_t ends[2] = {c->parts[p], c->parts[p + 1] - 1};
      for (int k = 0; k < 2; k++) {
        double x = c->xy[2 * ends[k]], y = c->xy[2 * ends[k] + 1];
        unsigned on = 0;
        if (fabs(y - fr->y1) < 1e-6)
          on = SHOAL_EDGE_BOTTOM;
        else if (fabs(y - fr->y0) < 1e-6)
          on = SHOAL_EDGE_TOP;
        else if (fabs(x - fr->x0) < 1e-6)
          on = SHOAL_EDGE_LEFT;
        else if (fabs(x - fr->x1) < 1e-6)
          on = SHOAL_EDGE_RIGHT;
        if (on & passes[pass])
          any |= try_place(pl, text, on, x, y);
      }
    }
    if (any)
      return;
  }
}

void shoal_graticule_layout(struct shoal_furnstate *fs, const shoal_box *avoid, size_t navoid,
                            shoal_collide *taken)
{
  const shoal_furnspec *f = fs->env.map->furn;
  fs->nglabels = 0;
  double b[4];
  shoal_seam s = grat_seam(fs);
  if (!f->graticule.show || !f->graticule.labels || !fs->glabels || !view_ll_bounds(fs, &s, b))
    return;
  double step = step_for(fs, b);
  placer *pl = malloc(sizeof *pl);
  if (!pl)
    return;
  pl->fs = fs;
  pl->avoid = avoid;
  pl->navoid = navoid;
  shoal_geom tmp, c;
  shoal_geom_init(&tmp, SHOAL_GEOM_LINE);
  shoal_geom_init(&c, SHOAL_GEOM_LINE);
  for (int dir = 0; dir < 2; dir++) {
    long k0, k1;
    if (dir == 0)
      range(b[0], b[2], step, &k0, &k1);
    else
      range(b[1], b[3], step, &k0, &k1);
    for (long k = k0; k <= k1; k++) {
      double value = (double)k * step;
      if (!line_px(fs, &s, b, dir == 0, value, &tmp, &c))
        continue;
      char text[24];
      shoal_graticule_format_in(value, dir == 1, (const char *const *)&f->words[SHOAL_WORD_NORTH],
                                text, sizeof text);
      label_line(pl, &c, dir == 0, text);
    }
  }
  for (size_t i = 0; taken && i < fs->nglabels; i++)
    shoal_collide_add(taken, pl->placed[i]);
  free(pl);
  shoal_geom_free(&tmp);
  shoal_geom_free(&c);
}

void shoal_graticule_draw_labels(struct shoal_furnstate *fs, cairo_t *cr)
{
  const shoal_furnspec *f = fs->env.map->furn;
  for (size_t i = 0; i < fs->nglabels; i++) {
    shoal_text *t = shoal_furn_text(fs, fs->glabels[i].text, f->graticule.label_size, 400, 0);
    if (!t)
      continue;
    shoal_text_draw(cr, t, fs->glabels[i].x, fs->glabels[i].y, f->graticule.label_color,
                    fs->env.map->background, 1.8);
    shoal_text_free(t);
  }
}
