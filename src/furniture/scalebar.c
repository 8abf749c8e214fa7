/* Scale bar: geodesic length at the map centre, rounded to 1, 2 or 5 x 10^n, drawn as one
 * baseline with the first unit's ticks above and the second unit's ticks below. */
#include <math.h>
#include <stdio.h>

#include "furniture/furn_priv.h"

static const shoal_color bar_col = {0x33 / 255.0, 0x33 / 255.0, 0x33 / 255.0, 1};
static const shoal_color halo_col = {1, 1, 1, 0.9};

double shoal_unit_metres(shoal_unit u)
{
  switch (u) {
  case SHOAL_UNIT_NMI: return 1852.0;
  case SHOAL_UNIT_MI: return 1609.344;
  default: return 1000.0;
  }
}

const char *shoal_unit_name(shoal_unit u)
{
  switch (u) {
  case SHOAL_UNIT_NMI: return "nmi";
  case SHOAL_UNIT_MI: return "mi";
  default: return "km";
  }
}

bool shoal_scalebar_pick(double metres_per_px, double max_px, double unit_m, double *len,
                         double *px)
{
  if (!(metres_per_px > 0) || !isfinite(metres_per_px) || !(max_px > 0) || !isfinite(max_px) ||
      !(unit_m > 0) || !isfinite(unit_m))
    return false;
  double max_units = max_px * metres_per_px / unit_m;
  double p = pow(10, floor(log10(max_units)));
  /* 10 as well as 5, 2, 1: log10 may land just under a whole number for exact powers. */
  static const double mult[] = {10, 5, 2, 1};
  double best = p / 2; /* only reached through rounding noise */
  for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++)
    if (mult[i] * p <= max_units * (1 + 1e-9)) {
      best = mult[i] * p;
      break;
    }
  /* Snap to the decimal it stands for (pow(10, -1) * 2 is not exactly 0.2). */
  double digits = floor(log10(best));
  if (digits < 0) {
    double f = pow(10, -digits);
    best = round(best * f) / f;
  } else {
    best = round(best);
  }
  *len = best;
  *px = best * unit_m / metres_per_px;
  return true;
}

double shoal_scalebar_metres_per_px(const shoal_view *v, shoal_xform *to_ll, double seg_px)
{
  double cx = v->width / 2.0, cy = v->height / 2.0;
  /* Shorter segments when the long one leaves the projection's domain. */
  for (int tries = 0; tries < 4 && seg_px >= 1; tries++, seg_px /= 4) {
    double p[4];
    shoal_view_unapply(v, cx - seg_px / 2, cy, &p[0], &p[1]);
    shoal_view_unapply(v, cx + seg_px / 2, cy, &p[2], &p[3]);
    if (shoal_xform_fwd(to_ll, p, 2) != 2 || p[0] == HUGE_VAL || p[2] == HUGE_VAL)
      continue;
    double m = shoal_geod_inverse(p[0], p[1], p[2], p[3], NULL, NULL);
    if (m > 0 && isfinite(m))
      return m / seg_px;
  }
  return 0;
}

/* Everything the drawing needs, in device px relative to the box's top-left. */
typedef struct bar_layout {
  int n;
  double len[2], px[2];
  shoal_text *num[2][3]; /* 0, half, full */
  shoal_text *unit[2];
  double lab_h, tick, x0, ybar, w, h;
  bool mid[2];
} bar_layout;

static void free_layout(bar_layout *b)
{
  for (int u = 0; u < 2; u++) {
    for (int k = 0; k < 3; k++)
      shoal_text_free(b->num[u][k]);
    shoal_text_free(b->unit[u]);
  }
}

static void fmt_num(char *buf, size_t n, double v) { snprintf(buf, n, "%.10g", v); }

static bool build(const struct shoal_furnstate *fs, bar_layout *b)
{
  const shoal_furnspec *f = fs->env.map->furn;
  const shoal_view *v = &fs->env.view;
  double s = v->scale;
  *b = (bar_layout){0};
  double max_px = f->scalebar.max_length > 0 ? f->scalebar.max_length * s : v->width * 0.25;
  double mpp = shoal_scalebar_metres_per_px(v, fs->env.to_ll, max_px);
  if (mpp <= 0)
    return false;
  b->n = f->scalebar.nunits;
  double size = 9.5;
  b->tick = 5 * s;
  double right = 0, left_over = 0;
  for (int u = 0; u < b->n; u++) {
    shoal_unit unit = f->scalebar.units[u];
    if (!shoal_scalebar_pick(mpp, max_px, shoal_unit_metres(unit), &b->len[u], &b->px[u]))
      return false;
    char buf[3][32];
    fmt_num(buf[0], sizeof buf[0], 0);
    fmt_num(buf[1], sizeof buf[1], b->len[u] / 2);
    fmt_num(buf[2], sizeof buf[2], b->len[u]);
    for (int k = 0; k < 3; k++)
      b->num[u][k] = shoal_furn_text(fs, buf[k], size, 400, 0);
    /* The unit's name in the map's language (furniture texts:), the short English one else. */
    const char *name = f->words[SHOAL_WORD_KM + (int)unit];
    b->unit[u] = shoal_furn_text(fs, name ? name : shoal_unit_name(unit), size, 400, 0);
    double w0, w1, w2, wu, h;
    shoal_text_size(b->num[u][0], &w0, &h, NULL);
    shoal_text_size(b->num[u][1], &w1, NULL, NULL);
    shoal_text_size(b->num[u][2], &w2, NULL, NULL);
    shoal_text_size(b->unit[u], &wu, NULL, NULL);
    b->lab_h = h;
    /* The middle number only where it cannot touch its neighbours. */
    b->mid[u] = b->px[u] / 2 > (w0 + w1) / 2 + 6 * s && b->px[u] / 2 > (w1 + w2) / 2 + 6 * s;
    if (w0 / 2 > left_over)
      left_over = w0 / 2;
    double r = b->px[u] + w2 / 2 + 3 * s + wu;
    if (r > right)
      right = r;
  }
  b->x0 = left_over;
  b->w = left_over + right;
  b->ybar = b->lab_h + b->tick;
  b->h = b->ybar + (b->n > 1 ? b->tick + b->lab_h : 1.5 * s);
  return true;
}

bool shoal_scalebar_measure(const struct shoal_furnstate *fs, double *w, double *h)
{
  bar_layout b;
  bool ok = build(fs, &b);
  if (ok) {
    *w = b.w;
    *h = b.h;
  }
  free_layout(&b);
  return ok;
}

static void stroke_twice(cairo_t *cr, double s)
{
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  cairo_set_source_rgba(cr, halo_col.r, halo_col.g, halo_col.b, halo_col.a);
  cairo_set_line_width(cr, 3.2 * s);
  shoal_svg_stroke(cr, true);
  cairo_set_source_rgba(cr, bar_col.r, bar_col.g, bar_col.b, bar_col.a);
  cairo_set_line_width(cr, 1.1 * s);
  shoal_svg_stroke(cr, false);
}

void shoal_scalebar_draw(const struct shoal_furnstate *fs, cairo_t *cr, double x, double y)
{
  bar_layout b;
  if (!build(fs, &b)) {
    free_layout(&b);
    return;
  }
  double s = fs->env.view.scale;
  double x0 = x + b.x0, yb = y + b.ybar;
  cairo_save(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  /* Baseline as long as the longer bar, then each unit's ticks (up for the first, down for the
   * second), drawn as one path so the halo never covers a tick. */
  cairo_new_path(cr);
  double longest = b.px[0] > b.px[1] ? b.px[0] : b.px[1];
  cairo_move_to(cr, x0, yb);
  cairo_line_to(cr, x0 + longest, yb);
  for (int u = 0; u < b.n; u++) {
    double dir = u == 0 ? -1 : 1;
    for (int k = 0; k < 3; k++) {
      double tx = x0 + b.px[u] * k / 2.0;
      double tl = k == 1 ? b.tick * 0.6 : b.tick;
      cairo_move_to(cr, tx, yb);
      cairo_line_to(cr, tx, yb + dir * tl);
    }
  }
  stroke_twice(cr, s);
  for (int u = 0; u < b.n; u++) {
    double ty = u == 0 ? yb - b.tick - b.lab_h : yb + b.tick;
    double wl = 0;
    for (int k = 0; k < 3; k++) {
      if (k == 1 && !b.mid[u])
        continue;
      double w;
      shoal_text_size(b.num[u][k], &w, NULL, NULL);
      double tx = x0 + b.px[u] * k / 2.0 - w / 2;
      shoal_text_draw(cr, b.num[u][k], tx, ty, bar_col, halo_col, 2);
      if (k == 2)
        wl = tx + w;
    }
    shoal_text_draw(cr, b.unit[u], wl + 3 * s, ty, bar_col, halo_col, 2);
  }
  cairo_restore(cr);
  free_layout(&b);
}
