/* Rows of one colour written straight as deflate, without a compressor (pngflat.c, for the
 * piece coder in pngpiece.c). */
#ifndef SHOAL_PNGFLAT_H
#define SHOAL_PNGFLAT_H

#include <stddef.h>

/* Bytes shoal_pngflat_encode may need for rows rows of w pixels of ch bytes. */
size_t shoal_pngflat_bound(int ch, int w, int rows);

/* Write into out (cap bytes) a raw deflate stream, not final and ended byte-aligned (another
 * stream may follow it), of rows (>= 1) PNG rows of w (>= 1) pixels, each the filter byte 0
 * and then the ch (3 or 4) bytes of px w times. It refers to nothing before it. Returns its
 * length, 0 when cap is too small. */
size_t shoal_pngflat_encode(unsigned char *out, size_t cap, const unsigned char *px, int ch, int w,
                            int rows);

#endif
