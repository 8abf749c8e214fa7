/* Output surfaces: PNG (our own encoder, pngenc.c: libdeflate on every core), PDF (vector, real
 * text) and SVG. Everything is drawn in device pixels (CSS px x scale); PDF/SVG map that onto
 * points. Files are written under a temporary name beside the target and renamed on success only;
 * the temporary names say which process made them, so that a later run can remove those left by a
 * process that was killed (shoal_surface_clean_stale). */
#ifndef SHOAL_SURFACE_H
#define SHOAL_SURFACE_H

#include <cairo.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/diag.h"

/* SHOAL_FMT_SVG is the editable SVG of draw/svgwrite.h (named layers, real <text>);
 * SHOAL_FMT_SVG_OUTLINES is Cairo's, text as glyph outlines (no fonts needed to show it). */
typedef enum shoal_format {
  SHOAL_FMT_PNG,
  SHOAL_FMT_PDF,
  SHOAL_FMT_SVG,
  SHOAL_FMT_SVG_OUTLINES
} shoal_format;

typedef struct shoal_surface shoal_surface;

/* Format from the file name's extension (case-insensitive; .svg gives SHOAL_FMT_SVG). False
 * when unknown. */
bool shoal_format_from_path(const char *path, shoal_format *f);
/* Format from its name ("png", "pdf" or "svg", case-insensitive). False when unknown. */
bool shoal_format_from_name(const char *name, shoal_format *f);

/* Start an output of width x height CSS px at `scale` device px per CSS px. title goes into
 * PDF metadata. path "-" is standard output: the whole file is made in memory and written
 * there by shoal_surface_finish (nothing when aborted). Errors (cannot create the temporary file)
 * are SHOAL_ERR_CANTCREAT naming the path. Caller ends with shoal_surface_finish or
 * shoal_surface_abort. */
shoal_status shoal_surface_new(shoal_format fmt, const char *path, int width, int height,
                               double scale, const char *title, shoal_diag *d, shoal_surface **out);
/* Borrowed until finish/abort. User space: device pixels, origin top-left. */
cairo_t *shoal_surface_cairo(shoal_surface *s);
/* PNG only (other formats ignore it): write an 8-bit palette PNG of at most colors (2..256)
 * colours (draw/pngquant.h) instead of full colour; 0 = full colour (the default). */
void shoal_surface_set_palette(shoal_surface *s, int colors);
/* The flag that stops the render (NULL, the default: never): shoal_surface_finish checks it once
 * the page is encoded, before the file takes its name. */
void shoal_surface_set_cancel(shoal_surface *s, const atomic_int *cancel);
/* Encode/flush, then rename the temporary file over path; SHOAL_ERR_INTERRUPTED, without a
 * message and with the temporary file removed, when the cancel flag was raised meanwhile (an
 * encoding of a large page takes a while: a signal then must not leave the finished file). Frees
 * s in every case. */
shoal_status shoal_surface_finish(shoal_surface *s, shoal_diag *d);
/* Remove the temporary file and free s (an interrupted or failed render). */
void shoal_surface_abort(shoal_surface *s);

/* Create and open (mode 0644) a temporary file to write path through: beside path, hidden, named
 * DIR/.NAME.shoal-PID@HOST.tmp.XXXXXX so that a later run knows it for Shoal's own and whether
 * its process still runs (shoal_tmpfile_open of base/tmpfile.h without an extension). Returns the
 * descriptor and the name in *tmp (caller frees with free(), and renames the file over path or
 * unlinks it), or -1 with errno set and *tmp NULL. */
int shoal_surface_tmp_open(const char *path, char **tmp);
/* Remove from folder dir (NULL or "": the current folder) the temporary files of
 * shoal_surface_tmp_open that a process of this host which no longer runs left behind (it was
 * killed before it could clean up); never those of a running process. Returns how many were
 * removed; a folder that cannot be read counts as none. Also those of `shoal index` and `shoal
 * import`: this is shoal_tmpfile_clean_stale of base/tmpfile.h. */
size_t shoal_surface_clean_stale(const char *dir);

/* Draws the device rows y0..y1 of a page on cr, whose user space is the page's (translated by
 * -y0: a band of the page). Called on several threads at once; errors go to d (the thread's). */
typedef shoal_status (*shoal_band_fn)(void *ctx, cairo_t *cr, int y0, int y1, shoal_diag *d);

/* A PNG output of width x height CSS px at scale drawn in bands (shoal_surface_draw_bands)
 * instead of on one page-sized image: only the bands being drawn are in memory, and they are
 * drawn on every core. Otherwise as shoal_surface_new; shoal_surface_cairo gives NULL. */
shoal_status shoal_surface_new_banded(const char *path, int width, int height, double scale,
                                      shoal_diag *d, shoal_surface **out);
/* Draw s (from shoal_surface_new_banded) with draw(ctx, ...) band after band and encode it; then
 * shoal_surface_finish or shoal_surface_abort. The page must come out opaque (RGB PNG). cancel
 * (NULL = never) is checked before each band: SHOAL_ERR_INTERRUPTED without a message. */
/* At most n workers for shoal_surface_draw_bands (0, the default: one per core). */
void shoal_surface_set_threads(shoal_surface *s, int n);

shoal_status shoal_surface_draw_bands(shoal_surface *s, shoal_band_fn draw, void *ctx,
                                      const atomic_int *cancel, shoal_diag *d);

/* Encode an ARGB32 image surface to PNG (RGB when opaque, else RGBA) at libdeflate level
 * zlevel 1..12 (used by finish and by tests); defined in pngenc.c. */
shoal_status shoal_png_write(cairo_surface_t *img, FILE *f, int zlevel);

/* Draw a w x h device px page with draw (see shoal_band_fn) band by band on every core and
 * write it as an RGB PNG at libdeflate level zlevel: the same bytes as shoal_png_write of the
 * whole page drawn the same way, whatever the number of workers (threads; 0 = one per core).
 * Defined in pngenc.c. */
shoal_status shoal_png_write_bands(int w, int h, shoal_band_fn draw, void *ctx,
                                   const atomic_int *cancel, FILE *f, int zlevel, int threads,
                                   shoal_diag *d);

/* Draw an ARGB32 image surface page with draw band by band on every core, as
 * shoal_png_write_bands does, each band copied into the page's rows when drawn (for a page
 * that gets more drawn over it before it is encoded). Defined in pngenc.c. */
shoal_status shoal_png_draw_bands(cairo_surface_t *page, shoal_band_fn draw, void *ctx,
                                  const atomic_int *cancel, shoal_diag *d);

/* The version of Cairo running (for `shoal --version`). Static string. */
const char *shoal_surface_cairo_version(void);

#endif
