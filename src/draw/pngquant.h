/* Palette (8-bit, colour type 3) PNG for article maps: the image is quantized to at most N
 * colours by libimagequant (pngquant.c, the only file that includes it) and written by the
 * project's own PNG writer (pngenc.c) with a PLTE chunk, and a tRNS chunk when any colour is
 * translucent. */
#ifndef SHOAL_PNGQUANT_H
#define SHOAL_PNGQUANT_H

#include <cairo.h>
#include <stdio.h>

#include "base/status.h"

/* What the quantizer made of an image (for tests and benchmarks). */
typedef struct shoal_pngquant_info {
  int colors;  /* palette entries written */
  int quality; /* libimagequant's quality figure, 0..100 (100: no visible loss), -1 unknown */
  double mse;  /* mean square error per channel against the page (0..255 units); for a page
                  of many colours libimagequant's own remapping error */
} shoal_pngquant_info;

/* Quantize an ARGB32 image surface to at most max_colors (2..256) colours and write it to f as
 * an 8-bit palette PNG compressed at libdeflate level zlevel (1..12). info may be NULL.
 * SHOAL_ERR_NOMEM when memory runs out, SHOAL_ERR_CANTCREAT when writing fails,
 * SHOAL_ERR_INTERNAL when the quantizer refuses the image or libimagequant cannot be loaded
 * (draw/quant_load.h: shoal_quant_load says why). */
shoal_status shoal_pngquant_write(cairo_surface_t *img, FILE *f, int max_colors, int zlevel,
                                  shoal_pngquant_info *info);

/* Write a palette PNG of w x h indexes (one byte each, rows packed without padding) into the
 * palette pal (ncolors entries of R, G, B, A, 1..256; entries with A < 255 first, ntrans of
 * them, written as tRNS) at libdeflate level zlevel. Defined in pngenc.c. */
shoal_status shoal_png_write_indexed(FILE *f, const unsigned char *idx, int w, int h,
                                     const unsigned char *pal, int ncolors, int ntrans, int zlevel);

#endif
