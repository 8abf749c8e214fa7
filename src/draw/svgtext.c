/* Pango layouts as SVG <text>: the characters themselves (so a designer can edit and search
 * them in any language), the font Pango was asked for and the fonts it fell back to, each line
 * at the position Pango laid it out, and the halo as a stroke painted under the fill. */
#include <math.h>
#include <string.h>

#include "draw/svgtext.h"

/* Add family (n bytes) to the comma-separated list fams (size cap) unless it is there. */
static void add_family(char *fams, size_t cap, const char *family)
{
  if (!family || !*family || strchr(family, ',') || strchr(family, '"'))
    return;
  size_t n = strlen(family), len = strlen(fams);
  for (const char *p = fams; *p;) {
    const char *e = strchr(p, ',');
    size_t m = e ? (size_t)(e - p) : strlen(p);
    if (m == n && strncmp(p, family, n) == 0)
      return;
    p = e ? e + 2 : p + m;
  }
  if (len + n + 3 < cap)
    snprintf(fams + len, cap - len, "%s%s", len ? ", " : "", family);
}

/* The family asked for, then each font Pango used for the layout's runs (a CJK or symbol
 * face found by fallback), so the SVG names the fonts that draw it here. */
static void families(PangoLayout *l, char *fams, size_t cap)
{
  fams[0] = '\0';
  const PangoFontDescription *fd = pango_layout_get_font_description(l);
  add_family(fams, cap, fd ? pango_font_description_get_family(fd) : NULL);
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
    if (run && run->item && run->item->analysis.font) {
      PangoFontDescription *used = pango_font_describe(run->item->analysis.font);
      add_family(fams, cap, pango_font_description_get_family(used));
      pango_font_description_free(used);
    }
  } while (pango_layout_iter_next_run(it));
  pango_layout_iter_free(it);
}

/* The layout's letter spacing (device px) and language, from its attributes. */
static void spacing_lang(PangoLayout *l, double *spacing, const char **lang)
{
  *spacing = 0;
  *lang = NULL;
  PangoAttrList *al = pango_layout_get_attributes(l);
  if (!al)
    return;
  PangoAttrIterator *ai = pango_attr_list_get_iterator(al);
  const PangoAttribute *a = pango_attr_iterator_get(ai, PANGO_ATTR_LETTER_SPACING);
  if (a)
    *spacing = (double)((const PangoAttrInt *)a)->value / PANGO_SCALE;
  a = pango_attr_iterator_get(ai, PANGO_ATTR_LANGUAGE);
  if (a)
    *lang = pango_language_to_string(((const PangoAttrLanguage *)a)->value);
  pango_attr_iterator_destroy(ai);
}

/* `<text` with the font, colour and halo attributes (not closed: the caller adds position). */
static void open_text(shoal_svg *w, PangoLayout *l, shoal_color color, shoal_color halo,
                      double halo_w)
{
  char fams[512], n[32];
  families(l, fams, sizeof fams);
  const PangoFontDescription *fd = pango_layout_get_font_description(l);
  double size = fd ? (double)pango_font_description_get_size(fd) / PANGO_SCALE : 12;
  int weight = fd ? (int)pango_font_description_get_weight(fd) : 400;
  bool italic = fd && pango_font_description_get_style(fd) != PANGO_STYLE_NORMAL;
  shoal_svg_printf(w, "<text font-family=\"");
  shoal_svg_escaped(w, fams, strlen(fams));
  shoal_svg_printf(w, "\" font-size=\"%s\" font-weight=\"%d\" font-style=\"%s\"",
                   shoal_svg_num(n, size), weight, italic ? "italic" : "normal");
  shoal_svg_paint_attr(w, "fill", color.r, color.g, color.b, color.a);
  if (halo_w > 0 && halo.a > 0) {
    shoal_svg_paint_attr(w, "stroke", halo.r, halo.g, halo.b, halo.a);
    shoal_svg_printf(w, " stroke-width=\"%s\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                     shoal_svg_num(n, halo_w));
  }
  double spacing;
  const char *lang;
  spacing_lang(l, &spacing, &lang);
  if (spacing != 0)
    shoal_svg_printf(w, " letter-spacing=\"%s\"", shoal_svg_num(n, spacing));
  if (lang && *lang) {
    shoal_svg_printf(w, " xml:lang=\"");
    shoal_svg_escaped(w, lang, strlen(lang));
    shoal_svg_printf(w, "\"");
  }
  shoal_svg_printf(w, " xml:space=\"preserve\"");
}

/* The bytes of a line's text without the line break and the spaces a wrap left at its end. */
static size_t line_len(const char *s, size_t n)
{
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
    n--;
  return n;
}

/* Where user point (x, y) goes: device px when cr only translates (then *tf is false), else
 * left in user space under a transform attribute written by the caller. */
static void place(cairo_t *cr, double *x, double *y, bool *tf)
{
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  *tf = !(m.xx == 1 && m.yy == 1 && m.xy == 0 && m.yx == 0);
  if (!*tf)
    cairo_user_to_device(cr, x, y);
}

bool shoal_svg_layout(cairo_t *cr, PangoLayout *l, shoal_color color, shoal_color halo,
                      double halo_w)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w)
    return false;
  double ox = 0, oy = 0;
  if (cairo_has_current_point(cr))
    cairo_get_current_point(cr, &ox, &oy);
  bool tf;
  place(cr, &ox, &oy, &tf);
  open_text(w, l, color, halo, halo_w);
  if (tf) {
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    char a[32], b[32], c[32], d[32], e[32], f[32];
    shoal_svg_printf(w, " transform=\"matrix(%s %s %s %s %s %s)\"", shoal_svg_num(a, m.xx),
                     shoal_svg_num(b, m.yx), shoal_svg_num(c, m.xy), shoal_svg_num(d, m.yy),
                     shoal_svg_num(e, m.x0), shoal_svg_num(f, m.y0));
  }
  shoal_svg_printf(w, ">");
  const char *text = pango_layout_get_text(l);
  PangoLayoutIter *it = pango_layout_get_iter(l);
  do {
    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
    PangoRectangle r;
    pango_layout_iter_get_line_extents(it, NULL, &r);
    double x = ox + (double)r.x / PANGO_SCALE;
    double y = oy + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
    size_t n = line_len(text + line->start_index, (size_t)line->length);
    char a[32], b[32];
    shoal_svg_printf(w, "<tspan x=\"%s\" y=\"%s\">", shoal_svg_num(a, x), shoal_svg_num(b, y));
    shoal_svg_escaped(w, text + line->start_index, n);
    shoal_svg_printf(w, "</tspan>");
  } while (pango_layout_iter_next_line(it));
  pango_layout_iter_free(it);
  shoal_svg_printf(w, "</text>\n");
  return true;
}

bool shoal_svg_glyphs(cairo_t *cr, PangoLayout *font, const shoal_svg_glyph *g, size_t n,
                      shoal_color color, shoal_color halo, double halo_w)
{
  shoal_svg *w = shoal_svg_of(cr);
  if (!w)
    return false;
  open_text(w, font, color, halo, halo_w);
  shoal_svg_printf(w, ">");
  cairo_matrix_t m;
  cairo_get_matrix(cr, &m);
  double turn = atan2(m.yx, m.xx);
  for (size_t i = 0; i < n; i++) {
    double x = g[i].x, y = g[i].y;
    cairo_user_to_device(cr, &x, &y);
    char a[32], b[32], c[32];
    shoal_svg_printf(w, "<tspan x=\"%s\" y=\"%s\" rotate=\"%s\">", shoal_svg_num(a, x),
                     shoal_svg_num(b, y), shoal_svg_num(c, (g[i].angle + turn) * 180 / M_PI));
    shoal_svg_escaped(w, g[i].text, g[i].len);
    shoal_svg_printf(w, "</tspan>");
  }
  shoal_svg_printf(w, "</text>\n");
  return true;
}
