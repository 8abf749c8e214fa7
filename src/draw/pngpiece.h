/* One piece of a PNG's rows, packed and compressed as raw deflate that another piece can
 * follow (pngpiece.c, for the encoder in pngenc.c). */
#ifndef SHOAL_PNGPIECE_H
#define SHOAL_PNGPIECE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A compressed piece: raw deflate, not final unless it was compressed as the last piece. */
typedef struct shoal_pngpiece {
  unsigned char *out; /* caller frees with free() */
  size_t len;
  uint32_t adler; /* Adler-32 of the piece's packed rows */
  size_t raw;     /* their length in bytes */
} shoal_pngpiece;

/* What one worker thread needs to compress pieces: its compressors and packing buffer. */
typedef struct shoal_pngpiece_coder shoal_pngpiece_coder;

/* A coder for pieces of up to rows rows of w pixels written with ch channels (3: RGB of an
 * opaque image, 4: RGBA) at libdeflate level (1..12). Caller frees with
 * shoal_pngpiece_coder_free; NULL when out of memory. */
shoal_pngpiece_coder *shoal_pngpiece_coder_new(int w, int ch, int rows, int level);
void shoal_pngpiece_coder_free(shoal_pngpiece_coder *k);

/* Pack n (1..rows) rows of a Cairo ARGB32 image (data: the first, stride bytes apart) as PNG
 * rows with filter None and compress them into p (p->out allocated here), joinable by another
 * piece unless last. False when out of memory (p->out may be set: free it). */
bool shoal_pngpiece_compress(shoal_pngpiece_coder *k, const unsigned char *data, int stride, int n,
                             shoal_pngpiece *p, bool last);

/* True when every pixel of the w x h ARGB32 rows at data is opaque. */
bool shoal_pngpiece_opaque(const unsigned char *data, int w, int h, int stride);

/* Adler-32 of A followed by B, from theirs and B's length. */
uint32_t shoal_pngpiece_adler_combine(uint32_t a, uint32_t b, size_t blen);

#endif
