/* Pango loaded on first use: only text needs it, and linking libpango and libpangocairo (with
 * HarfBuzz, FriBidi, libthai, graphite2, GIO, GLib and ~10 more libraries behind them, thousands
 * of symbols to bind) cost every start-up ~3 ms, a map without text included. This file defines
 * the Pango (and GLib) functions Shoal calls, under their own names, as calls through pointers
 * looked up the first time text.c needs fonts (shoal_pango_load), so text.c and svgtext.c are
 * written against pangocairo.h as before and the compiler checks each signature against its
 * declaration there. A function used elsewhere but missing from the list below still links (the
 * build links Pango and GLib with --as-needed: its library then becomes a start-up dependency
 * again, which tests/cli/test_pango_load.sh and bench/startup.sh's library count show). */
#include <pango/pangocairo.h>

#include <pthread.h>
#include <stdbool.h>

#include "base/dynload.h"
#include "draw/pango_load.h"

#ifndef SHOAL_PANGO_SONAME
#define SHOAL_PANGO_SONAME "libpango-1.0.so.0"
#endif
#ifndef SHOAL_PANGOCAIRO_SONAME
#define SHOAL_PANGOCAIRO_SONAME "libpangocairo-1.0.so.0"
#endif

/* Every Pango and PangoCairo function Shoal calls, then the GLib and GObject ones text.c calls on
 * what they return (so GLib, GObject and PCRE2, three more libraries, are not mapped at start-up
 * either; Pango loads them): F(return type, name, (parameters), (arguments)) for those that
 * return a value, V(name, (parameters), (arguments)) for void ones. Only text.c calls them, each
 * after shoal_pango_load succeeded. These names are not exported from the executable, so a
 * library that brings its own GLib (GDAL's drivers) still calls that one. */
// clang-format off
#define SHOAL_PANGO_FUNCS(F, V) \
  V(pango_attr_iterator_destroy, (PangoAttrIterator *iterator), (iterator)) \
  F(PangoAttribute *, pango_attr_iterator_get, (PangoAttrIterator *iterator, PangoAttrType type), (iterator, type)) \
  F(PangoAttribute *, pango_attr_language_new, (PangoLanguage *language), (language)) \
  F(PangoAttribute *, pango_attr_letter_spacing_new, (int letter_spacing), (letter_spacing)) \
  F(PangoAttrIterator *, pango_attr_list_get_iterator, (PangoAttrList *list), (list)) \
  V(pango_attr_list_insert, (PangoAttrList *list, PangoAttribute *attr), (list, attr)) \
  F(PangoAttrList *, pango_attr_list_new, (void), ()) \
  V(pango_attr_list_unref, (PangoAttrList *list), (list)) \
  V(pango_cairo_context_set_font_options, (PangoContext *context, const cairo_font_options_t *options), (context, options)) \
  V(pango_cairo_context_set_resolution, (PangoContext *context, double dpi), (context, dpi)) \
  F(PangoFontMap *, pango_cairo_font_map_new, (void), ()) \
  V(pango_cairo_layout_path, (cairo_t *cr, PangoLayout *layout), (cr, layout)) \
  V(pango_cairo_show_layout, (cairo_t *cr, PangoLayout *layout), (cr, layout)) \
  V(pango_cairo_update_context, (cairo_t *cr, PangoContext *context), (cr, context)) \
  F(PangoFontDescription *, pango_font_describe, (PangoFont *font), (font)) \
  V(pango_font_description_free, (PangoFontDescription *desc), (desc)) \
  F(const char *, pango_font_description_get_family, (const PangoFontDescription *desc), (desc)) \
  F(gint, pango_font_description_get_size, (const PangoFontDescription *desc), (desc)) \
  F(PangoStyle, pango_font_description_get_style, (const PangoFontDescription *desc), (desc)) \
  F(PangoWeight, pango_font_description_get_weight, (const PangoFontDescription *desc), (desc)) \
  F(PangoFontDescription *, pango_font_description_new, (void), ()) \
  V(pango_font_description_set_absolute_size, (PangoFontDescription *desc, double size), (desc, size)) \
  V(pango_font_description_set_family, (PangoFontDescription *desc, const char *family), (desc, family)) \
  V(pango_font_description_set_style, (PangoFontDescription *desc, PangoStyle style), (desc, style)) \
  V(pango_font_description_set_weight, (PangoFontDescription *desc, PangoWeight weight), (desc, weight)) \
  F(const char *, pango_font_family_get_name, (PangoFontFamily *family), (family)) \
  F(PangoContext *, pango_font_map_create_context, (PangoFontMap *fontmap), (fontmap)) \
  V(pango_font_map_list_families, (PangoFontMap *fontmap, PangoFontFamily ***families, int *n_families), (fontmap, families, n_families)) \
  F(PangoLanguage *, pango_language_from_string, (const char *language), (language)) \
  V(pango_layout_context_changed, (PangoLayout *layout), (layout)) \
  F(PangoAttrList *, pango_layout_get_attributes, (PangoLayout *layout), (layout)) \
  F(int, pango_layout_get_baseline, (PangoLayout *layout), (layout)) \
  F(PangoContext *, pango_layout_get_context, (PangoLayout *layout), (layout)) \
  V(pango_layout_get_extents, (PangoLayout *layout, PangoRectangle *ink_rect, PangoRectangle *logical_rect), (layout, ink_rect, logical_rect)) \
  F(const PangoFontDescription *, pango_layout_get_font_description, (PangoLayout *layout), (layout)) \
  F(PangoLayoutIter *, pango_layout_get_iter, (PangoLayout *layout), (layout)) \
  F(const char *, pango_layout_get_text, (PangoLayout *layout), (layout)) \
  V(pango_layout_iter_free, (PangoLayoutIter *iter), (iter)) \
  F(int, pango_layout_iter_get_baseline, (PangoLayoutIter *iter), (iter)) \
  V(pango_layout_iter_get_cluster_extents, (PangoLayoutIter *iter, PangoRectangle *ink_rect, PangoRectangle *logical_rect), (iter, ink_rect, logical_rect)) \
  F(int, pango_layout_iter_get_index, (PangoLayoutIter *iter), (iter)) \
  V(pango_layout_iter_get_line_extents, (PangoLayoutIter *iter, PangoRectangle *ink_rect, PangoRectangle *logical_rect), (iter, ink_rect, logical_rect)) \
  F(PangoLayoutLine *, pango_layout_iter_get_line_readonly, (PangoLayoutIter *iter), (iter)) \
  F(PangoLayoutRun *, pango_layout_iter_get_run_readonly, (PangoLayoutIter *iter), (iter)) \
  F(gboolean, pango_layout_iter_next_cluster, (PangoLayoutIter *iter), (iter)) \
  F(gboolean, pango_layout_iter_next_line, (PangoLayoutIter *iter), (iter)) \
  F(gboolean, pango_layout_iter_next_run, (PangoLayoutIter *iter), (iter)) \
  F(PangoLayout *, pango_layout_new, (PangoContext *context), (context)) \
  V(pango_layout_set_alignment, (PangoLayout *layout, PangoAlignment alignment), (layout, alignment)) \
  V(pango_layout_set_attributes, (PangoLayout *layout, PangoAttrList *attrs), (layout, attrs)) \
  V(pango_layout_set_font_description, (PangoLayout *layout, const PangoFontDescription *desc), (layout, desc)) \
  V(pango_layout_set_text, (PangoLayout *layout, const char *text, int length), (layout, text, length)) \
  V(pango_layout_set_width, (PangoLayout *layout, int width), (layout, width)) \
  V(pango_layout_set_wrap, (PangoLayout *layout, PangoWrapMode wrap), (layout, wrap)) \
  F(const char *, pango_version_string, (void), ()) \
  V(g_free, (gpointer mem), (mem)) \
  V(g_object_unref, (gpointer object), (object)) \
  F(gint, g_ascii_strcasecmp, (const gchar *s1, const gchar *s2), (s1, s2)) \
  F(gchar *, g_strdup, (const gchar *str), (str)) \
  F(gchar *, g_strndup, (const gchar *str, gsize n), (str, n)) \
  F(gchar *, g_utf8_normalize, (const gchar *str, gssize len, GNormalizeMode mode), (str, len, mode)) \
  F(glong, g_utf8_strlen, (const gchar *p, gssize max), (p, max)) \
  F(gchar *, g_utf8_strup, (const gchar *str, gssize len), (str, len))

// clang-format on

typedef struct pango_api {
  SHOAL_PANGO_FUNCS(SHOAL_DYN_FIELD_F, SHOAL_DYN_FIELD_V)
} pango_api;

static pthread_once_t pango_once = PTHREAD_ONCE_INIT;
/* Written once, under pango_once, then only read, as the dynamic loader's own tables are. */
static pango_api pango;
#define SHOAL_DYN_TABLE pango
static bool pango_loaded;
static char pango_why[512];

static void load_once(void)
{
  /* libpango first, so a missing or broken one is named as such; the PangoCairo handle then
   * finds the functions of both (dlsym searches a library's dependencies too). */
  const shoal_dynsym syms[] = {SHOAL_PANGO_FUNCS(SHOAL_DYN_SYM_F, SHOAL_DYN_SYM_V)};
  pango_loaded = !shoal_dynload(SHOAL_PANGO_SONAME, NULL, 0, pango_why, sizeof pango_why) &&
                 !shoal_dynload(SHOAL_PANGOCAIRO_SONAME, syms, sizeof syms / sizeof *syms,
                                pango_why, sizeof pango_why);
}

const char *shoal_pango_load(void)
{
  pthread_once(&pango_once, load_once);
  return pango_loaded ? NULL : pango_why;
}

SHOAL_PANGO_FUNCS(SHOAL_DYN_STUB_F, SHOAL_DYN_STUB_V)
