/* The editable SVG document: its head and end, the named layer groups (ids made XML-safe
 * and unique from the names the drawing code gives its parts), and the text buffers. */
#include <stdlib.h>
#include <string.h>

#include "draw/svg_priv.h"

#include "base/mem.h"

#define MAX_TEXT ((size_t)1 << 36) /* a buffer's limit: far past any page */
#define MAX_IDS 100000

static const cairo_user_data_key_t svg_key;

/* ---------------------------------------------------------------- buffers */

static bool reserve(shoal_svg *w, shoal_sbuf *b, size_t more)
{
  if (b->len + more + 1 <= b->cap)
    return true;
  if (!SHOAL_GROW(&b->s, &b->cap, b->len + more + 1, 4096, MAX_TEXT)) {
    w->nomem = true;
    return false;
  }
  return true;
}

void shoal_sbuf_add(shoal_svg *w, shoal_sbuf *b, const char *s, size_t n)
{
  if (!reserve(w, b, n))
    return;
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}

void shoal_sbuf_str(shoal_svg *w, shoal_sbuf *b, const char *s)
{
  shoal_sbuf_add(w, b, s, strlen(s));
}

void shoal_sbuf_vprintf(shoal_svg *w, shoal_sbuf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || !reserve(w, b, (size_t)n))
    return;
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void shoal_sbuf_printf(shoal_svg *w, shoal_sbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  shoal_sbuf_vprintf(w, b, fmt, ap);
  va_end(ap);
}

void shoal_sbuf_escaped(shoal_svg *w, shoal_sbuf *b, const char *s, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '&': shoal_sbuf_add(w, b, "&amp;", 5); break;
    case '<': shoal_sbuf_add(w, b, "&lt;", 4); break;
    case '>': shoal_sbuf_add(w, b, "&gt;", 4); break;
    case '"': shoal_sbuf_add(w, b, "&quot;", 6); break;
    default:
      /* XML 1.0 allows no control characters but tab and newline. */
      if (c >= 0x20 || c == '\t' || c == '\n')
        shoal_sbuf_add(w, b, (const char *)&s[i], 1);
    }
  }
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
    shoal_sbuf_escaped(w, &w->body, title, strlen(title));
    fputs(w->body.s ? w->body.s : "", f);
    fputs("</title>\n", f);
    w->body.len = 0;
  }
  return w;
}

void shoal_svg_attach(shoal_svg *w, cairo_t *cr) { cairo_set_user_data(cr, &svg_key, w, NULL); }

shoal_svg *shoal_svg_of(cairo_t *cr) { return cairo_get_user_data(cr, &svg_key); }

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
  shoal_svg_settle(w);
  while (w->clips > 0) {
    shoal_sbuf_add(w, &w->body, "</g>\n", 5);
    w->clips--;
  }
  if (!w->body.len)
    return;
  const char *ls;
  size_t ln;
  part_label(what, &ls, &ln);
  char *label = shoal_strndup(ls, ln);
  char *id = label ? make_id(w, label) : NULL;
  shoal_sbuf esc = {0};
  if (label)
    shoal_sbuf_escaped(w, &esc, label, strlen(label));
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
  free(w->attrs.s);
  free(w->run.s);
  free(w);
}
