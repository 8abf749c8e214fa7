/* Output surfaces: PNG (encoded with libpng at a fast zlib level), PDF (vector, real text) and
 * SVG. Everything is drawn in device pixels (CSS px x scale); PDF/SVG map that onto points.
 * Files are written under a temporary name beside the target and renamed on success only. */
#ifndef SHOAL_SURFACE_H
#define SHOAL_SURFACE_H

#include <cairo.h>
#include <stdbool.h>

#include "base/diag.h"

typedef enum shoal_format { SHOAL_FMT_PNG, SHOAL_FMT_PDF, SHOAL_FMT_SVG } shoal_format;

typedef struct shoal_surface shoal_surface;

/* Format from the file name's extension (case-insensitive). False when unknown. */
bool shoal_format_from_path(const char *path, shoal_format *f);

/* Start an output of width x height CSS px at `scale` device px per CSS px. title goes into
 * PDF metadata. Errors (cannot create the temporary file) are SHOAL_ERR_CANTCREAT naming the
 * path. Caller ends with shoal_surface_finish or shoal_surface_abort. */
shoal_status shoal_surface_new(shoal_format fmt, const char *path, int width, int height,
                               double scale, const char *title, shoal_diag *d, shoal_surface **out);
/* Borrowed until finish/abort. User space: device pixels, origin top-left. */
cairo_t *shoal_surface_cairo(shoal_surface *s);
/* Encode/flush, then rename the temporary file over path. Frees s in every case. */
shoal_status shoal_surface_finish(shoal_surface *s, shoal_diag *d);
/* Remove the temporary file and free s. */
void shoal_surface_abort(shoal_surface *s);

/* Encode an ARGB32 image surface to PNG at stream level (used by finish and by tests). */
shoal_status shoal_png_write(cairo_surface_t *img, FILE *f, int zlevel);

/* The version of Cairo running (for `shoal --version`). Static string. */
const char *shoal_surface_cairo_version(void);

#endif
