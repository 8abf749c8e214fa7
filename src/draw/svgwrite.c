/* The editable SVG writer: the document, its named layer groups, and paths with plain
 * fill/stroke attributes taken from the cairo_t's path and state at each drawing call. Numbers
 * are rounded to 0.01 device px and paths written with relative commands, which keeps a full
 * article map a few hundred kilobytes. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "draw/svgwrite.h"

#include "base/mem.h"

#define MAX_TEXT ((size_t)1 << 36) /* a buffer's limit: far past any page */
#define MAX_IDS 100000

typedef struct sbuf {
  char *s;
  size_t len, cap;
} sbuf;

struct shoal_svg {
  FILE *f;
  sbuf body;      /* the group being drawn, written out by shoal_svg_group */
  sbuf held_d;    /* a path filled with preserve, kept to join the stroke that follows */
  sbuf held_fill; /* its fill attributes */
  sbuf d;         /* scratch: the current path's data */
  char **ids;     /* group ids given, to keep them unique */
  size_t nids, idcap;
  unsigned ndefs; /* clip paths and patterns made, for their ids */
  int clips;      /* clip groups open in body */
  double dw, dh;  /* the page in device px */
  bool nomem;
};

static const cairo_user_data_key_t svg_key;

/* ---------------------------------------------------------------- buffers */

static bool sb_reserve(shoal_svg *w, sbuf *b, size_t more)
{
  if (b->len + more + 1 <= b->cap)
    return true;
  if (!SHOAL_GROW(&b->s, &b->cap, b->len + more + 1, 4096, MAX_TEXT)) {
    w->nomem = true;
    return false;
  }
  return true;
}

static void sb_add(shoal_svg *w, sbuf *b, const char *s, size_t n)
{
  if (!sb_reserve(w, b, n))
    return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

static void sb_str(shoal_svg *w, sbuf *b, const char *s) { sb_add(w, b, s, strlen(s)); }

static void sb_vprintf(shoal_svg *w, sbuf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || !sb_reserve(w, b, (size_t)n))
    return;
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

static void sb_printf(shoal_svg *w, sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sb_printf(shoal_svg *w, sbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(w, b, fmt, ap);
  va_end(ap);
}

static void sb_escaped(shoal_svg *w, sbuf *b, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '&': sb_add(w, b, "&amp;", 5); break;
    case '<': sb_add(w, b, "&lt;", 4); break;
    case '>': sb_add(w, b, "&gt;", 4); break;
    case '"': sb_add(w, b, "&quot;", 6); break;
    default:
      /* XML 1.0 allows no control characters but tab and newline. */
      if (c >= 0x20 || c == '\t' || c == '\n')
        sb_add(w, b, (const char *)&s[i], 1);
    }
  }
}

/* A path filled with preserve and not stroked after all is written on its own. */
static void release_held(shoal_svg *w)
{
  if (!w->held_d.len)
    return;
  sb_printf(w, &w->body, "<path d=\"%s\"%s/>\n", w->held_d.s, w->held_fill.s);
  w->held_d.len = w->held_fill.len = 0;
}

void shoal_svg_printf(shoal_svg *w, const char *fmt, ...)
{
  release_held(w);
  va_list ap;
  va_start(ap, fmt);
  sb_vprintf(w, &w->body, fmt, ap);
  va_end(ap);
}

void shoal_svg_escaped(shoal_svg *w, const char *s, size_t n)
{
  release_held(w);
  sb_escaped(w, &w->body, s, n);
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
static void rel_pair(shoal_svg *w, sbuf *b, long long x, long long y, long long *px, long long *py,
                     bool after_cmd)
{
  char n1[32], n2[32];
  hundredths(n1, sizeof n1, x - *px);
  hundredths(n2, sizeof n2, y - *py);
  sb_printf(w, b, "%s%s%s%s", after_cmd || n1[0] == '-' ? "" : " ", n1, n2[0] == '-' ? "" : " ",
            n2);
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
    case CAIRO_PATH_MOVE_TO:
      sb_add(w, &w->d, "m", 1);
      rel_pair(w, &w->d, x[0], y[0], &px, &py, true);
      sx = px, sy = py;
      last = 'l'; /* pairs after a moveto are linetos */
      break;
    case CAIRO_PATH_LINE_TO:
      if (last != 'l')
        sb_add(w, &w->d, "l", 1);
      rel_pair(w, &w->d, x[0], y[0], &px, &py, last != 'l');
      last = 'l';
      break;
    case CAIRO_PATH_CURVE_TO: {
      long long ox = px, oy = py;
      if (last != 'c')
        sb_add(w, &w->d, "c", 1);
      for (int k = 0; k < 3; k++) {
        long long rx = ox, ry = oy;
        rel_pair(w, &w->d, x[k], y[k], &rx, &ry, k == 0 && last != 'c');
      }
      px = x[2], py = y[2];
      last = 'c';
      break;
    }
    case CAIRO_PATH_CLOSE_PATH:
      sb_add(w, &w->d, "z", 1);
      px = sx, py = sy;
      last = 'z';
      break;
    }
  }
  cairo_path_destroy(p);
  return w->d.len > 0;
}

/* ---------------------------------------------------------------- paint attributes */

static void paint_to(shoal_svg *w, sbuf *to, const char *name, double r, double g, double b,
                     double a)
{
  int R = (int)lround(fmin(fmax(r, 0), 1) * 255), G = (int)lround(fmin(fmax(g, 0), 1) * 255),
      B = (int)lround(fmin(fmax(b, 0), 1) * 255);
  sb_printf(w, to, " %s=\"#%02x%02x%02x\"", name, R, G, B);
  if (a < 1) {
    char n[32];
    sb_printf(w, to, " %s-opacity=\"%s\"", name, shoal_svg_num(n, fmax(a, 0)));
  }
}

void shoal_svg_paint_attr(shoal_svg *w, const char *name, double r, double g, double b, double a)
{
  release_held(w);
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
static void paint_into(shoal_svg *w, sbuf *b, const char *name, cairo_t *cr)
{
  double r, g, bl, a;
  source_rgba(cr, &r, &g, &bl, &a);
  paint_to(w, b, name, r, g, bl, a);
}

static void stroke_attrs(shoal_svg *w, cairo_t *cr)
{
  char n[32];
  double k = user_scale(cr);
  sb_printf(w, &w->body, " stroke-width=\"%s\"", shoal_svg_num(n, cairo_get_line_width(cr) * k));
  static const char *const joins[] = {"", "round", "bevel"};
  static const char *const caps[] = {"", "round", "square"};
  cairo_line_join_t j = cairo_get_line_join(cr);
  cairo_line_cap_t c = cairo_get_line_cap(cr);
  if (j != CAIRO_LINE_JOIN_MITER)
    sb_printf(w, &w->body, " stroke-linejoin=\"%s\"", joins[j]);
  if (c != CAIRO_LINE_CAP_BUTT)
    sb_printf(w, &w->body, " stroke-linecap=\"%s\"", caps[c]);
  int nd = cairo_get_dash_count(cr);
  if (nd > 0 && nd <= 64) {
    double dash[64], off;
    cairo_get_dash(cr, dash, &off);
    sb_str(w, &w->body, " stroke-dasharray=\"");
    for (int i = 0; i < nd; i++)
      sb_printf(w, &w->body, "%s%s", i ? " " : "", shoal_svg_num(n, dash[i] * k));
    sb_add(w, &w->body, "\"", 1);
  }
}

/* ---------------------------------------------------------------- operations */

shoal_svg *shoal_svg_of(cairo_t *cr) { return cairo_get_user_data(cr, &svg_key); }

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
    sb_add(w, &w->held_d, w->d.s, w->d.len);
    w->held_fill.len = 0;
    paint_into(w, &w->held_fill, "fill", cr);
    if (cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD)
      sb_str(w, &w->held_fill, " fill-rule=\"evenodd\"");
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
    bool same = w->held_d.len && strcmp(w->held_d.s, w->d.s) == 0;
    if (same) {
      sb_printf(w, &w->body, "<path d=\"%s\"%s", w->d.s, w->held_fill.s);
      w->held_d.len = w->held_fill.len = 0;
    } else {
      release_held(w);
      sb_printf(w, &w->body, "<path d=\"%s\" fill=\"none\"", w->d.s);
    }
    paint_into(w, &w->body, "stroke", cr);
    stroke_attrs(w, cr);
    sb_add(w, &w->body, "/>\n", 3);
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
  release_held(w);
  sb_printf(w, &w->body, "<rect width=\"%s\" height=\"%s\"", shoal_svg_num(a, w->dw),
            shoal_svg_num(b, w->dh));
  paint_into(w, &w->body, "fill", cr);
  sb_add(w, &w->body, "/>\n", 3);
}

void shoal_svg_clip(cairo_t *cr)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (w) {
    release_held(w);
    unsigned id = ++w->ndefs;
    path_data(w, cr);
    sb_printf(w, &w->body, "<clipPath id=\"clip%u\"><path d=\"%s\"%s/></clipPath>\n", id,
              w->d.len ? w->d.s : "M0 0",
              cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD ? " clip-rule=\"evenodd\"" : "");
    sb_printf(w, &w->body, "<g clip-path=\"url(#clip%u)\">\n", id);
    w->clips++;
  }
  cairo_clip(cr);
}

void shoal_svg_unclip(cairo_t *cr)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w || w->clips == 0)
    return;
  release_held(w);
  sb_add(w, &w->body, "</g>\n", 5);
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
  release_held(w);
  char a[32], b[32], s1[32], s2[32], s3[32], s4[32];
  unsigned id = ++w->ndefs;
  /* Tiles one spacing high, the line across the middle of each, turned to the angle and
   * shifted so that one line runs through the centre (as the PNG's lines do). */
  sb_printf(w, &w->body,
            "<defs><pattern id=\"hatch%u\" patternUnits=\"userSpaceOnUse\" width=\"%s\" "
            "height=\"%s\" patternTransform=\"translate(%s %s) rotate(%s) translate(0 %s)\">",
            id, shoal_svg_num(s1, sp), shoal_svg_num(s2, sp), shoal_svg_num(a, cx),
            shoal_svg_num(b, cy), shoal_svg_num(s3, -angle_deg), shoal_svg_num(s4, -sp / 2));
  sb_printf(w, &w->body, "<rect y=\"%s\" width=\"%s\" height=\"%s\"",
            shoal_svg_num(a, (sp - lw) / 2), shoal_svg_num(b, sp), shoal_svg_num(s1, lw));
  shoal_svg_paint_attr(w, "fill", c.r, c.g, c.b, c.a);
  sb_printf(w, &w->body, "/></pattern></defs>\n<path d=\"%s\" fill=\"url(#hatch%u)\"%s/>\n", w->d.s,
            id,
            cairo_get_fill_rule(cr) == CAIRO_FILL_RULE_EVEN_ODD ? " fill-rule=\"evenodd\"" : "");
  return true;
}

/* ---------------------------------------------------------------- document and groups */

shoal_svg *shoal_svg_new(FILE *f, int width, int height, double scale, const char *title)
{
  shoal_svg *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->f = f;
  w->dw = width * scale;
  w->dh = height * scale;
  char a[32], b[32], c[32], d[32];
  /* 1 CSS px is 0.75 pt, as in the PDF; the drawing is in device px, which the view box maps
   * onto the page. Cairo's default miter limit is 10, SVG's 4. */
  fprintf(f,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<svg xmlns=\"http://www.w3.org/2000/svg\" "
          "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" version=\"1.1\" "
          "width=\"%spt\" height=\"%spt\" viewBox=\"0 0 %s %s\" stroke-miterlimit=\"10\">\n",
          shoal_svg_num(a, width * 0.75), shoal_svg_num(b, height * 0.75), shoal_svg_num(c, w->dw),
          shoal_svg_num(d, w->dh));
  if (title && *title) {
    fputs("<title>", f);
    sb_escaped(w, &w->body, title, strlen(title));
    fputs(w->body.s ? w->body.s : "", f);
    fputs("</title>\n", f);
    w->body.len = 0;
  }
  return w;
}

void shoal_svg_attach(shoal_svg *w, cairo_t *cr) { cairo_set_user_data(cr, &svg_key, w, NULL); }

/* An XML name (NCName) for the group from its label: ASCII letters, digits, '-', '_' and '.',
 * anything else one '-', starting with a letter; "-2", "-3"... when taken. Caller frees. */
static char *make_id(shoal_svg *w, const char *label)
{
  size_t n = strlen(label);
  char *base = malloc(n + 8);
  if (!base)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)label[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (ok && !(k == 0 && c == '-'))
      base[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    else if (k > 0 && base[k - 1] != '-')
      base[k++] = '-';
  }
  while (k > 0 && base[k - 1] == '-')
    k--;
  base[k] = '\0';
  if (k == 0 || !((base[0] >= 'a' && base[0] <= 'z') || base[0] == '_')) {
    memmove(base + 2, base, k + 1);
    memcpy(base, "l-", 2); /* "l-" keeps the id a valid name: "2024" gives "l-2024" */
  }
  char *id = malloc(strlen(base) + 24);
  for (unsigned u = 1; id; u++) {
    if (u == 1)
      snprintf(id, strlen(base) + 24, "%s", base);
    else
      snprintf(id, strlen(base) + 24, "%s-%u", base, u);
    bool taken = false;
    for (size_t i = 0; i < w->nids && !taken; i++)
      taken = strcmp(w->ids[i], id) == 0;
    if (!taken)
      break;
  }
  free(base);
  if (id && SHOAL_GROW(&w->ids, &w->idcap, w->nids + 1, 16, MAX_IDS))
    w->ids[w->nids++] = id;
  else if (id) {
    free(id);
    id = NULL;
  }
  return id; /* owned by w->ids */
}

/* The part's label from the drawing code's name for it: "layer 'land'" is land, "the scale
 * bar" is scale bar. */
static void part_label(const char *what, const char **s, size_t *n)
{
  const char *q = strrchr(what, '\'');
  if (strncmp(what, "layer '", 7) == 0 && q && q > what + 6) {
    *s = what + 7;
    *n = (size_t)(q - *s);
    return;
  }
  *s = strncmp(what, "the ", 4) == 0 ? what + 4 : what;
  *n = strlen(*s);
}

static void write_group(shoal_svg *w, const char *what)
{
  release_held(w);
  while (w->clips > 0) {
    sb_add(w, &w->body, "</g>\n", 5);
    w->clips--;
  }
  if (!w->body.len)
    return;
  const char *ls;
  size_t ln;
  part_label(what, &ls, &ln);
  char *label = shoal_strndup(ls, ln);
  char *id = label ? make_id(w, label) : NULL;
  sbuf esc = {0};
  if (label)
    sb_escaped(w, &esc, label, strlen(label));
  if (id && esc.s)
    fprintf(w->f, "<g id=\"%s\" inkscape:groupmode=\"layer\" inkscape:label=\"%s\">\n", id, esc.s);
  else
    w->nomem = true;
  fwrite(w->body.s, 1, w->body.len, w->f);
  fputs(id && esc.s ? "</g>\n" : "", w->f);
  free(esc.s);
  free(label);
  w->body.len = 0;
}

void shoal_svg_group(cairo_t *cr, const char *what)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (w)
    write_group(w, what);
}

shoal_status shoal_svg_finish(shoal_svg *w)
{
  write_group(w, "drawing");
  fputs("</svg>\n", w->f);
  return w->nomem ? SHOAL_ERR_NOMEM : SHOAL_OK;
}

void shoal_svg_free(shoal_svg *w)
{
  if (!w)
    return;
  for (size_t i = 0; i < w->nids; i++)
    free(w->ids[i]);
  free(w->ids);
  free(w->body.s);
  free(w->held_d.s);
  free(w->held_fill.s);
  free(w->d.s);
  free(w);
}
