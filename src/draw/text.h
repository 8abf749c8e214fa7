/* Text through Pango: shaping (Vietnamese diacritics, CJK), language tags, font fallback, and
 * halos drawn as a stroked text path under the filled text so PDF/SVG keep real text. */
#ifndef SHOAL_TEXT_H
#define SHOAL_TEXT_H

#include <cairo.h>
#include <stdbool.h>

#include "config/color.h"
#include "base/status.h"

typedef struct shoal_textctx shoal_textctx; /* one per job: font map + Pango context */
typedef struct shoal_text shoal_text;       /* one laid-out string */

typedef struct shoal_font {
  const char *family; /* "Noto Sans", "Noto Serif", ... (fallback through fontconfig) */
  double size;        /* CSS px */
  int weight;         /* 400 regular, 600 semibold, 700 bold */
  bool italic;
  double letter_spacing; /* CSS px added between letters */
  bool upper;            /* draw in upper case */
  double max_width;      /* wrap at this width in CSS px (0 = no wrap) */
  int align;             /* 0 left, 1 centre, 2 right (for wrapped text) */
} shoal_font;

/* Caller frees with shoal_textctx_free. scale = device px per CSS px. */
shoal_textctx *shoal_textctx_new(double scale);
void shoal_textctx_free(shoal_textctx *t);
/* Why text cannot be laid out with t: NULL until t first needs fonts and while Pango works;
 * else a static message such as "cannot load libpango-1.0.so.0: ...". Pango is loaded the first
 * time a context needs fonts; when that fails, shoal_text_has_family is false,
 * shoal_text_new NULL and shoal_text_draw_on_path false, and the caller reports this. */
const char *shoal_textctx_error(const shoal_textctx *t);
/* True when fontconfig knows a family of this name (case-insensitive). */
bool shoal_text_has_family(shoal_textctx *t, const char *family);

/* Lay out utf8 in font for language lang (BCP 47, e.g. "vi", "zh-Hans"; may be NULL).
 * Caller frees with shoal_text_free. NULL when out of memory or Pango cannot be loaded. */
shoal_text *shoal_text_new(shoal_textctx *t, const char *utf8, const shoal_font *font,
                           const char *lang);
void shoal_text_free(shoal_text *x);
/* The functions below take the NULL of a failed shoal_text_new as an empty text (size 0, nothing
 * drawn), so a map drawn without Pango does not crash before its error is reported. */
/* Ink-independent logical size in device px, and the first line's baseline from the top. */
void shoal_text_size(const shoal_text *x, double *w, double *h, double *baseline);
/* Baseline of the last line, from the top of the layout (the first line's for one line). */
double shoal_text_last_baseline(const shoal_text *x);

/* Draw with the top-left corner of the logical box at (x, y) device px. halo_width in CSS px
 * (0 = none). Works on any cairo_t (image, PDF, SVG). */
void shoal_text_draw(cairo_t *cr, const shoal_text *x, double px, double py, shoal_color color,
                     shoal_color halo, double halo_width);
/* Draw along a path: each glyph cluster placed on the polyline xy (device px, n points),
 * centred on its length, rotated to the local direction. False when the text is longer than
 * the path. */
bool shoal_text_draw_on_path(cairo_t *cr, shoal_textctx *t, const char *utf8,
                             const shoal_font *font, const char *lang, const double *xy, size_t n,
                             shoal_color color, shoal_color halo, double halo_width);

/* The version of Pango running (for `shoal --version`), loading Pango. Static string; NULL
 * when Pango cannot be loaded (shoal_text_load_error says why). */
const char *shoal_text_pango_version(void);
/* Loads Pango if not yet tried: NULL when it works, else why not (static string). */
const char *shoal_text_load_error(void);

#endif
