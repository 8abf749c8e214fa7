/* Pango text for labels and furniture. One font map and context per job keeps jobs
 * independent in threads; hinting is off so PNG, PDF and SVG get the same layout. */
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "draw/text.h"
#include "draw/pango_load.h"
#include "draw/svgtext.h"
#include "geo/geom.h"

struct shoal_textctx {
  PangoFontMap *fm;
  PangoContext *pc;
  double scale;
  const char *why; /* why Pango could not be loaded when fonts were first needed; static */
};

struct shoal_text {
  PangoLayout *layout;
  double scale;
};

shoal_textctx *shoal_textctx_new(double scale)
{
  shoal_textctx *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->scale = scale;
  return t;
}

/* The font map is made on first use: creating it starts fontconfig (reading its configuration
 * and font cache, ~30 M instructions), which a map without text never needs. Pango itself is
 * loaded then too (pango_load.c); this is the first Pango call of every text function, so the
 * rest may rely on it. False, with t->why set, when Pango cannot be loaded. */
static bool ensure_fonts(shoal_textctx *t)
{
  if (t->pc)
    return true;
  if (t->why || (t->why = shoal_pango_load()))
    return false;
  t->fm = pango_cairo_font_map_new();
  t->pc = pango_font_map_create_context(t->fm);
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(t->pc, fo);
  cairo_font_options_destroy(fo);
  /* Sizes are given in absolute device units, so the resolution only matters for points. */
  pango_cairo_context_set_resolution(t->pc, 96);
  return true;
}

const char *shoal_textctx_error(const shoal_textctx *t) { return t ? t->why : NULL; }

void shoal_textctx_free(shoal_textctx *t)
{
  if (!t)
    return;
  if (t->pc)
    g_object_unref(t->pc);
  if (t->fm)
    g_object_unref(t->fm);
  free(t);
}

bool shoal_text_has_family(shoal_textctx *t, const char *family)
{
  PangoFontFamily **fams = NULL;
  int n = 0;
  if (!ensure_fonts(t))
    return false;
  pango_font_map_list_families(t->fm, &fams, &n);
  bool found = false;
  for (int i = 0; i < n && !found; i++)
    found = g_ascii_strcasecmp(pango_font_family_get_name(fams[i]), family) == 0;
  g_free(fams);
  return found;
}

static PangoLayout *make_layout(shoal_textctx *t, const char *utf8, const shoal_font *font,
                                const char *lang)
{
  if (!ensure_fonts(t))
    return NULL;
  PangoLayout *l = pango_layout_new(t->pc);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, font->family ? font->family : "Noto Sans");
  pango_font_description_set_absolute_size(fd, font->size * t->scale * PANGO_SCALE);
  pango_font_description_set_weight(fd,
                                    font->weight ? (PangoWeight)font->weight : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(fd, font->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  PangoAttrList *al = pango_attr_list_new();
  if (font->letter_spacing != 0)
    pango_attr_list_insert(
        al, pango_attr_letter_spacing_new((int)(font->letter_spacing * t->scale * PANGO_SCALE)));
  if (lang && *lang)
    pango_attr_list_insert(al, pango_attr_language_new(pango_language_from_string(lang)));
  pango_layout_set_attributes(l, al);
  pango_attr_list_unref(al);
  if (font->max_width > 0) {
    pango_layout_set_width(l, (int)(font->max_width * t->scale * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
  }
  pango_layout_set_alignment(l, font->align == 1   ? PANGO_ALIGN_CENTER
                                : font->align == 2 ? PANGO_ALIGN_RIGHT
                                                   : PANGO_ALIGN_LEFT);
  char *up = font->upper ? g_utf8_strup(utf8, -1) : NULL;
  pango_layout_set_text(l, up ? up : utf8, -1);
  g_free(up);
  return l;
}

shoal_text *shoal_text_new(shoal_textctx *t, const char *utf8, const shoal_font *font,
                           const char *lang)
{
  shoal_text *x = calloc(1, sizeof *x);
  if (!x)
    return NULL;
  x->scale = t->scale;
  x->layout = make_layout(t, utf8, font, lang);
  if (!x->layout) {
    free(x);
    return NULL;
  }
  return x;
}

void shoal_text_free(shoal_text *x)
{
  if (!x)
    return;
  g_object_unref(x->layout);
  free(x);
}

void shoal_text_size(const shoal_text *x, double *w, double *h, double *baseline)
{
  PangoRectangle logical = {0};
  if (x) /* NULL when Pango could not be loaded: an empty box, the error is reported above */
    pango_layout_get_extents(x->layout, NULL, &logical);
  if (w)
    *w = (double)logical.width / PANGO_SCALE;
  if (h)
    *h = (double)logical.height / PANGO_SCALE;
  if (baseline)
    *baseline = x ? (double)pango_layout_get_baseline(x->layout) / PANGO_SCALE : 0;
}

double shoal_text_last_baseline(const shoal_text *x)
{
  if (!x)
    return 0;
  PangoLayoutIter *it = pango_layout_get_iter(x->layout);
  while (pango_layout_iter_next_line(it))
    ;
  double b = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
  pango_layout_iter_free(it);
  return b;
}

static void set_color(cairo_t *cr, shoal_color c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

static void draw_layout(cairo_t *cr, PangoLayout *l, double scale, shoal_color color,
                        shoal_color halo, double halo_width)
{
  if (shoal_svg_layout(cr, l, color, halo, halo_width > 0 ? 2 * halo_width * scale : 0))
    return;
  /* The layout was made on the job's context; keep cairo's transform and font options. */
  pango_cairo_update_context(cr, pango_layout_get_context(l));
  pango_layout_context_changed(l);
  if (halo_width > 0 && halo.a > 0) {
    /* cairo_stroke clears the path and with it the current point the text starts at. */
    double x0, y0;
    cairo_get_current_point(cr, &x0, &y0);
    cairo_save(cr);
    pango_cairo_layout_path(cr, l);
    set_color(cr, halo);
    cairo_set_line_width(cr, 2 * halo_width * scale);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_move_to(cr, x0, y0);
  }
  set_color(cr, color);
  pango_cairo_show_layout(cr, l);
}

void shoal_text_draw(cairo_t *cr, const shoal_text *x, double px, double py, shoal_color color,
                     shoal_color halo, double halo_width)
{
  if (!x)
    return;
  cairo_save(cr);
  cairo_move_to(cr, px, py);
  draw_layout(cr, x->layout, x->scale, color, halo, halo_width);
  cairo_restore(cr);
}

/* ---- text along a path (owned by the label module) ---------------------------------- */

typedef struct path_glyph {
  PangoLayout *l; /* the cluster alone */
  double cx, cy, ang, w;
} path_glyph;

/* One glyph cluster of each text laid out along a path, centred at start along it: its
 * layout, centre and angle. Returns the number of clusters stored in gs (at most cap). */
static size_t place_glyphs(shoal_textctx *t, PangoLayout *whole, const char *text,
                           const shoal_font *f1, const char *lang, const double *xy, size_t n,
                           double start, path_glyph *gs, size_t cap)
{
  size_t len = strlen(text), ng = 0;
  PangoLayoutIter *it = pango_layout_get_iter(whole);
  while (it && ng < cap) {
    int i0 = pango_layout_iter_get_index(it);
    PangoRectangle cl;
    pango_layout_iter_get_cluster_extents(it, NULL, &cl);
    bool more = pango_layout_iter_next_cluster(it);
    int i1 = more ? pango_layout_iter_get_index(it) : (int)len;
    if (i1 <= i0 || i0 < 0 || (size_t)i1 > len) {
      if (!more)
        break;
      continue;
    }
    double x = (double)cl.x / PANGO_SCALE, w = (double)cl.width / PANGO_SCALE;
    double mid = start + x + w / 2, ax, ay, bx, by;
    path_glyph *g = &gs[ng++];
    shoal_path_point(xy, n, mid, &g->cx, &g->cy);
    /* Direction over the glyph's own width, so a bend under a letter tilts it smoothly. */
    shoal_path_point(xy, n, mid - fmax(w, 1) / 2, &ax, &ay);
    shoal_path_point(xy, n, mid + fmax(w, 1) / 2, &bx, &by);
    g->ang = atan2(by - ay, bx - ax);
    char *ch = g_strndup(text + i0, (gsize)(i1 - i0));
    g->l = make_layout(t, ch, f1, lang);
    g_free(ch);
    PangoRectangle gr;
    pango_layout_get_extents(g->l, NULL, &gr);
    g->w = (double)gr.width / PANGO_SCALE;
    if (!more)
      break;
  }
  if (it)
    pango_layout_iter_free(it);
  return ng;
}

/* In editable SVG: the placed glyphs as one <text>, each cluster at its baseline origin (the
 * point draw_glyphs moves to, plus the cluster's baseline) turned to its angle. */
static bool svg_glyphs(cairo_t *cr, const shoal_textctx *t, const path_glyph *gs, size_t ng,
                       double dy, shoal_color color, shoal_color halo, double halo_width)
{
  if (!shoal_svg_of(cr) || ng == 0)
    return shoal_svg_of(cr) != NULL;
  shoal_svg_glyph *sg = calloc(ng, sizeof *sg);
  if (!sg)
    return true;
  for (size_t i = 0; i < ng; i++) {
    const path_glyph *g = &gs[i];
    double lx = -g->w / 2, ly = dy + (double)pango_layout_get_baseline(g->l) / PANGO_SCALE;
    double c = cos(g->ang), s = sin(g->ang);
    sg[i] = (shoal_svg_glyph){.text = pango_layout_get_text(g->l),
                              .x = g->cx + c * lx - s * ly,
                              .y = g->cy + s * lx + c * ly,
                              .angle = g->ang};
    sg[i].len = strlen(sg[i].text);
  }
  double hw = halo_width > 0 ? 2 * halo_width * t->scale : 0;
  shoal_svg_glyphs(cr, gs[0].l, sg, ng, color, halo, hw);
  free(sg);
  return true;
}

/* Draw placed glyphs with their baseline dy below the path: all halos first, then all
 * letters, so no halo covers a neighbouring letter. */
static void draw_glyphs(cairo_t *cr, const shoal_textctx *t, const path_glyph *gs, size_t ng,
                        double dy, shoal_color color, shoal_color halo, double halo_width)
{
  if (svg_glyphs(cr, t, gs, ng, dy, color, halo, halo_width))
    return;
  for (int pass = 0; pass < 2; pass++) {
    if (pass == 0 && !(halo_width > 0 && halo.a > 0))
      continue;
    for (size_t i = 0; i < ng; i++) {
      const path_glyph *g = &gs[i];
      cairo_save(cr);
      cairo_translate(cr, g->cx, g->cy);
      cairo_rotate(cr, g->ang);
      pango_cairo_update_context(cr, pango_layout_get_context(g->l));
      pango_layout_context_changed(g->l);
      cairo_move_to(cr, -g->w / 2, dy);
      if (pass == 0) {
        pango_cairo_layout_path(cr, g->l);
        set_color(cr, halo);
        cairo_set_line_width(cr, 2 * halo_width * t->scale);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
      } else {
        set_color(cr, color);
        pango_cairo_show_layout(cr, g->l);
      }
      cairo_restore(cr);
    }
  }
}

bool shoal_text_draw_on_path(cairo_t *cr, shoal_textctx *t, const char *utf8,
                             const shoal_font *font, const char *lang, const double *xy, size_t n,
                             shoal_color color, shoal_color halo, double halo_width)
{
  if (n < 2 || !ensure_fonts(t))
    return false;
  /* Text that would read upside down is set along the path the other way round. */
  double *rev = NULL;
  if (xy[2 * (n - 1)] < xy[0]) {
    rev = malloc(n * 2 * sizeof *rev);
    if (!rev)
      return false;
    for (size_t i = 0; i < n; i++) {
      rev[2 * i] = xy[2 * (n - 1 - i)];
      rev[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
    }
    xy = rev;
  }
  /* Composed form so a Vietnamese vowel and its marks stay one cluster. */
  char *nfc = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFC);
  char *text = font->upper ? g_utf8_strup(nfc, -1) : g_strdup(nfc);
  g_free(nfc);
  shoal_font f1 = *font;
  f1.upper = false;
  f1.max_width = 0;
  /* Lay the whole string out once, so kerning and letter spacing set the cluster positions;
   * then each cluster is drawn on its own, turned to the path's direction where it sits. */
  PangoLayout *whole = make_layout(t, text, &f1, lang);
  PangoRectangle lr;
  pango_layout_get_extents(whole, NULL, &lr);
  double total = (double)lr.width / PANGO_SCALE;
  double base = (double)pango_layout_get_baseline(whole) / PANGO_SCALE;
  double path_len = shoal_path_length(xy, n);
  size_t cap = (size_t)g_utf8_strlen(text, -1) + 1, ng = 0;
  path_glyph *gs = calloc(cap, sizeof *gs);
  bool ok = gs && total <= path_len;
  f1.letter_spacing = 0;
  if (ok)
    ng = place_glyphs(t, whole, text, &f1, lang, xy, n, (path_len - total) / 2, gs, cap);
  /* Baseline below the path by about half an x-height: the letters sit centred on it. */
  double dy = -base + 0.35 * font->size * t->scale;
  if (ok)
    draw_glyphs(cr, t, gs, ng, dy, color, halo, halo_width);
  for (size_t i = 0; i < ng; i++)
    g_object_unref(gs[i].l);
  free(gs);
  g_object_unref(whole);
  g_free(text);
  free(rev);
  return ok;
}

const char *shoal_text_pango_version(void)
{
  return shoal_pango_load() ? NULL : pango_version_string();
}

const char *shoal_text_load_error(void) { return shoal_pango_load(); }
