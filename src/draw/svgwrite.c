/* The editable SVG writer's drawing operations: paths with plain fill/stroke attributes taken
 * from the cairo_t's path and state at each drawing call, clip groups and hatch patterns.
 * Numbers are rounded to 0.01 device px and paths written with relative commands, which keeps
 * an article map a few hundred kilobytes. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "draw/svg_priv.h"

#include "base/mem.h"

/* Paths painted alike in a row share one <g> carrying the paint attributes, the paths inside
 * giving only their d: a coastline of ten thousand islets names its colours once, and a
 * designer selects a style's paths together. */
static void close_run(shoal_svg *w)
{
  if (w->run_open)
    shoal_sbuf_add(w, &w->body, "</g>\n", 5);
  w->run_open = false;
}

static void emit_path(shoal_svg *w, const char *d, const char *attrs)
{
  if (!w->run_open || !w->run.s || strcmp(w->run.s, attrs) != 0) {
    close_run(w);
    w->run.len = 0;
    shoal_sbuf_str(w, &w->run, attrs);
    shoal_sbuf_printf(w, &w->body, "<g%s>\n", attrs);
    w->run_open = true;
  }
  shoal_sbuf_printf(w, &w->body, "<path d=\"%s\"/>\n", d);
}

/* A path filled with preserve and not stroked after all is written on its own. */
static void release_held(shoal_svg *w)
{
  if (!w->held_d.len)
    return;
  emit_path(w, w->held_d.s, w->held_fill.s);
  w->held_d.len = w->held_fill.len = 0;
}

/* Before anything but a path: the held fill written, the run closed. */
void shoal_svg_settle(shoal_svg *w)
{
  release_held(w);
  close_run(w);
}

void shoal_svg_printf(shoal_svg *w, const char *fmt, ...)
{
  shoal_svg_settle(w);
  va_list ap;
  va_start(ap, fmt);
  shoal_sbuf_vprintf(w, &w->body, fmt, ap);
  va_end(ap);
}

void shoal_svg_escaped(shoal_svg *w, const char *s, size_t n)
{
  shoal_svg_settle(w);
  shoal_sbuf_escaped(w, &w->body, s, n);
}

/* v hundredths written as a decimal without trailing zeros: 1250 "12.5", -5 "-.05". */
static void hundredths(char *buf, size_t size, long long v)
{
  const char *sign = v < 0 ? "-" : "";
  unsigned long long a = v < 0 ? (unsigned long long)(-(v + 1)) + 1 : (unsigned long long)v;
  unsigned long long ip = a / 100, fp = a % 100;
  char whole[24] = "";
  if (ip || !fp)
    snprintf(whole, sizeof whole, "%llu", ip);
  if (fp == 0)
    snprintf(buf, size, "%s%s", sign, whole);
  else if (fp % 10 == 0)
    snprintf(buf, size, "%s%s.%llu", sign, whole, fp / 10);
  else
    snprintf(buf, size, "%s%s.%02llu", sign, whole, fp);
}

static long long to_hundredths(double v)
{
  if (!isfinite(v))
    return 0;
  return llround(fmax(fmin(v, 1e12), -1e12) * 100);
}

const char *shoal_svg_num(char *buf, double v)
{
  hundredths(buf, 32, to_hundredths(v));
  return buf;
}

/* ---------------------------------------------------------------- paths */

/* Append one coordinate pair relative to (*px, *py) (hundredths), separated as SVG allows. */
static void rel_pair(shoal_svg *w, shoal_sbuf *b, long long x, long long y, long long *px,
                     long long *py, bool after_cmd)
{
  char n1[32], n2[32];
  hundredths(n1, sizeof n1, x - *px);
  hundredths(n2, sizeof n2, y - *py);
  shoal_sbuf_printf(w, b, "%s%s%s%s", after_cmd || n1[0] == '-' ? "" : " ", n1,
                    n2[0] == '-' ? "" : " ", n2);
  *px = x;
  *py = y;
}

/* The current path of cr in device px as SVG path data into w->d. False when it is empty. */
static bool path_data(shoal_svg *w, cairo_t *cr)
{
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  cairo_identity_matrix(cr);
  cairo_path_t *p = cairo_copy_path(cr);
  cairo_set_matrix(cr, &m);
  w->d.len = 0;
  if (w->d.s)
    w->d.s[0] = '\0';
  long long px = 0, py = 0, sx = 0, sy = 0;
  char last = 0;
  for (int i = 0; p->status == CAIRO_STATUS_SUCCESS && i < p->num_data;
       i += p->data[i].header.length) {
    const cairo_path_data_t *e = &p->data[i];
    long long x[3], y[3];
    for (int k = 1; k < e->header.length && k <= 3; k++) {
      x[k - 1] = to_hundredths(e[k].point.x);
      y[k - 1] = to_hundredths(e[k].point.y);
    }
    switch (e->header.type) {
    case CAIRO_PATH_MOVE_TO: {
      /* Cairo follows each close with a move to the start: useless at the end or before
       * another move. */
      int next = i + e->header.length;
      if (next >= p->num_data || p->data[next].header.type == CAIRO_PATH_MOVE_TO)
        break;
      shoal_sbuf_add(w, &w->d, "m", 1);
      rel_pair(w, &w->d, x[0], y[0], &px, &py, true);
      sx = px, sy = py;
      last = 'l'; /* pairs after a moveto are linetos */
      break;
    }
    case CAIRO_PATH_LINE_TO:
      if (last != 'l')
        shoal_sbuf_add(w, &w->d, "l", 1);
      rel_pair(w, &w->d, x[0], y[0], &px, &py, last != 'l');
      last = 'l';
      break;
    case CAIRO_PATH_CURVE_TO: {
      long long ox = px, oy = py;
      if (last != 'c')
        shoal_sbuf_add(w, &w->d, "c", 1);
      for (int k = 0; k < 3; k++) {
        long long rx = ox, ry = oy;
        rel_pair(w, &w->d, x[k], y[k], &rx, &ry, k == 0 && last != 'c');
      }
      px = x[2], py = y[2];
      last = 'c';
      break;
    }
    case CAIRO_PATH_CLOSE_PATH:
      shoal_sbuf_add(w, &w->d, "z", 1);
      px = sx, py = sy;
      last = 'z';
      break;
    }
  }
  cairo_path_destroy(p);
  return w->d.len > 0;
}

/* ---------------------------------------------------------------- paint attributes */

static void paint_to(shoal_svg *w, shoal_sbuf *to, const char *name, double r, double g, double b,
                     double a)
{
  int R = (int)lround(fmin(fmax(r, 0), 1) * 255), G = (int)lround(fmin(fmax(g, 0), 1) * 255),
      B = (int)lround(fmin(fmax(b, 0), 1) * 255);
  shoal_sbuf_printf(w, to, " %s=\"#%02x%02x%02x\"", name, R, G, B);
  if (a < 1) {
    char n[32];
    shoal_sbuf_printf(w, to, " %s-opacity=\"%s\"", name, shoal_svg_num(n, fmax(a, 0)));
  }
}

void shoal_svg_paint_attr(shoal_svg *w, const char *name, double r, double g, double b, double a)
{
  shoal_svg_settle(w);
  paint_to(w, &w->body, name, r, g, b, a);
}

/* cr's source as a colour (the drawing code uses solid colours only). */
static void source_rgba(cairo_t *cr, double *r, double *g, double *b, double *a)
{
  if (cairo_pattern_get_rgba(cairo_get_source(cr), r, g, b, a) != CAIRO_STATUS_SUCCESS)
    *r = *g = *b = 0, *a = 1;
}

/* Lengths in user space times this are device px (the drawing code only translates, but a
 * scale would be honoured too). */
static double user_scale(cairo_t *cr)
{
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  return sqrt(fabs(m.xx * m.yy - m.xy * m.yx));
}

/* cr's source as the paint attributes `name` into b (the held fill, or the body). */
static void paint_into(shoal_svg *w, shoal_sbuf *b, const char *name, cairo_t *cr)
{
  double r, g, bl, a;
  source_rgba(cr, &r, &g, &bl, &a);
  paint_to(w, b, name, r, g, bl, a);
}

static void stroke_attrs(shoal_svg *w, shoal_sbuf *b, cairo_t *cr)
{
  char n[32];
  double k = user_scale(cr);
  shoal_sbuf_printf(w, b, " stroke-width=\"%s\"", shoal_svg_num(n, cairo_get_line_width(cr) * k));
  static const char *const joins[] = {"", "round", "bevel"};
  static const char *const caps[] = {"", "round", "square"};
  cairo_line_join_t j = cairo_get_line_join(cr);
  cairo_line_cap_t c = cairo_get_line_cap(cr);
  if (j != CAIRO_LINE_JOIN_MITER)
    shoal_sbuf_printf(w, b, " stroke-linejoin=\"%s\"", joins[j]);
  if (c != CAIRO_LINE_CAP_BUTT)
    shoal_sbuf_printf(w, b, " stroke-linecap=\"%s\"", caps[c]);
  int nd = cairo_get_dash_count(cr);
  if (nd > 0 && nd <= 64) {
    double dash[64], off;
    cairo_get_dash(cr, dash, &off);
    shoal_sbuf_str(w, b, " stroke-dasharray=\"");
    for (int i = 0; i < nd; i++)
      shoal_sbuf_printf(w, b, "%s%s", i ? " " : "", shoal_svg_num(n, dash[i] * k));
    shoal_sbuf_add(w, b, "\"", 1);
  }
}

/* ---------------------------------------------------------------- operations */

void shoal_svg_fill(cairo_t *cr, bool preserve)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w) {
    if (preserve)
      cairo_fill_preserve(cr);
    else
      cairo_fill(cr);
    return;
  }
  release_held(w);
  if (path_data(w, cr)) {
    shoal_sbuf_add(w, &w->held_d, w->d.s, w->d.len);
    w->held_fill.len = 0;
    paint_into(w, &w->held_fill, "fill", cr);
    if (cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD)
      shoal_sbuf_str(w, &w->held_fill, " fill-rule=\"evenodd\"");
    if (!preserve)
      release_held(w);
  }
  if (!preserve)
    cairo_new_path(cr);
}

void shoal_svg_stroke(cairo_t *cr, bool preserve)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w) {
    if (preserve)
      cairo_stroke_preserve(cr);
    else
      cairo_stroke(cr);
    return;
  }
  if (path_data(w, cr)) {
    /* The stroke of the path just filled joins its fill: one element, as a designer draws. */
    w->attrs.len = 0;
    if (w->held_d.len && strcmp(w->held_d.s, w->d.s) == 0) {
      shoal_sbuf_str(w, &w->attrs, w->held_fill.s);
      w->held_d.len = w->held_fill.len = 0;
    } else {
      release_held(w);
      shoal_sbuf_str(w, &w->attrs, " fill=\"none\"");
    }
    paint_into(w, &w->attrs, "stroke", cr);
    stroke_attrs(w, &w->attrs, cr);
    if (w->attrs.s)
      emit_path(w, w->d.s, w->attrs.s);
  }
  if (!preserve)
    cairo_new_path(cr);
}

void shoal_svg_paint(cairo_t *cr)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w) {
    cairo_paint(cr);
    return;
  }
  char a[32], b[32];
  shoal_svg_settle(w);
  shoal_sbuf_printf(w, &w->body, "<rect width=\"%s\" height=\"%s\"", shoal_svg_num(a, w->dw),
                    shoal_svg_num(b, w->dh));
  paint_into(w, &w->body, "fill", cr);
  shoal_sbuf_add(w, &w->body, "/>\n", 3);
}

void shoal_svg_clip(cairo_t *cr)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (w) {
    shoal_svg_settle(w);
    unsigned id = ++w->ndefs;
    path_data(w, cr);
    shoal_sbuf_printf(w, &w->body, "<clipPath id=\"clip%u\"><path d=\"%s\"%s/></clipPath>\n", id,
                      w->d.len ? w->d.s : "M0 0",
                      cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD ? " clip-rule=\"evenodd\""
                                                                          : "");
    shoal_sbuf_printf(w, &w->body, "<g clip-path=\"url(#clip%u)\">\n", id);
    w->clips++;
  }
  cairo_clip(cr);
}

void shoal_svg_unclip(cairo_t *cr)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w || w->clips == 0)
    return;
  shoal_svg_settle(w);
  shoal_sbuf_add(w, &w->body, "</g>\n", 5);
  w->clips--;
}

bool shoal_svg_hatch(cairo_t *cr, shoal_color c, double lw, double sp, double angle_deg)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w)
    return false;
  double x0, y0, x1, y1;
  cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
  double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  cairo_user_to_device(cr, &cx, &cy);
  if (!path_data(w, cr) || !(sp > 0))
    return true;
  shoal_svg_settle(w);
  char a[32], b[32], s1[32], s2[32], s3[32], s4[32];
  unsigned id = ++w->ndefs;
  /* Tiles one spacing high, the line across the middle of each, turned to the angle and
   * shifted so that one line runs through the centre (as the PNG's lines do). */
  shoal_sbuf_printf(
      w, &w->body,
      "<defs><pattern id=\"hatch%u\" patternUnits=\"userSpaceOnUse\" width=\"%s\" "
      "height=\"%s\" patternTransform=\"translate(%s %s) rotate(%s) translate(0 %s)\">",
      id, shoal_svg_num(s1, sp), shoal_svg_num(s2, sp), shoal_svg_num(a, cx), shoal_svg_num(b, cy),
      shoal_svg_num(s3, -angle_deg), shoal_svg_num(s4, -sp / 2));
  shoal_sbuf_printf(w, &w->body, "<rect y=\"%s\" width=\"%s\" height=\"%s\"",
                    shoal_svg_num(a, (sp - lw) / 2), shoal_svg_num(b, sp), shoal_svg_num(s1, lw));
  shoal_svg_paint_attr(w, "fill", c.r, c.g, c.b, c.a);
  shoal_sbuf_printf(
      w, &w->body, "/></pattern></defs>\n<path d=\"%s\" fill=\"url(#hatch%u)\"%s/>\n", w->d.s, id,
      cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD ? " fill-rule=\"evenodd\"" : "");
  return true;
}
