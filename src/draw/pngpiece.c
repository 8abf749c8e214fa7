/* One piece of a PNG's rows (about 1 MB, see pngenc.c), packed and compressed as raw deflate.
 *
 * Runs of equal rows (a one-colour background, a blank map, a band of open sea across a zoomed
 * map) are not matched byte by byte. A run of one colour is written straight as deflate
 * (pngflat.c: a few instructions a row, no larger than level 8 makes it). Any other run uses
 * joinability (pngjoin.c: a stream made not final and ended byte-aligned can be followed by
 * any other): a stream compressed on its own refers to nothing before it, so its bytes decode
 * to the same rows wherever they are put. Such a run of k rows is compressed once as a unit of
 * m of them (about 64 KB of rows, at level 1: on repeated rows it comes within a few bytes of
 * level 8 at a third of the work) and the unit's bytes are copied k / m times, then the k % m
 * left over compressed the same way; the piece's Adler-32 is combined from the row's. Units
 * come out a fifth to two fifths larger than level 8 makes the same rows inside a piece (each
 * has its own code tables), and any run cut out of a piece costs the rows after it their
 * context (their stream starts with an empty window and new code tables): so only a run of at
 * least 512 KB of rows, or a whole piece of at least 128 KB of equal rows, is taken out (the
 * title margins of the article maps, 20 to 50 white rows, stay in the stream: taking them out
 * would save a fifth of a percent of such a map's work). A busy map is compressed exactly as
 * before, one libdeflate stream a piece. Rows are compared as Cairo holds them, before
 * packing, so the scan costs a memcmp a row. No match reaches back past the row it repeats,
 * whatever the width: deflate's 32 KB window is never in question.
 *
 * Packing: an opaque pixel (Cairo's native-endian 0xAARRGGBB) becomes R G B with one
 * byte-swapped 32-bit store, right to left, whose first byte (the alpha) the pixel to its left
 * overwrites: about four instructions a pixel. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libdeflate.h>

#include "base/mem.h"
#include "draw/pngflat.h"
#include "draw/pngjoin.h"
#include "draw/pngpiece.h"

enum {
  ADLER_MOD = 65521,
  UNIT_BYTES = 1 << 16, /* rows compressed once for a run of equal rows */
  RUN_UNITS = 8,        /* shorter runs stay in the piece's stream, unless the whole piece */
  PIECE_RUN_UNITS = 2,  /* ... and a whole piece shorter than this many */
  RUN_LEVEL = 1,
  JOIN_BYTES = 8 /* room for the end pngjoin.c appends (at most 5 bytes) */
};

struct shoal_pngpiece_coder {
  struct libdeflate_compressor *c;   /* at the job's level */
  struct libdeflate_compressor *run; /* for runs of equal rows; made when first needed */
  unsigned char *raw;                /* packed rows of one piece */
  int w, ch, rows, level;
};

shoal_pngpiece_coder *shoal_pngpiece_coder_new(int w, int ch, int rows, int level)
{
  shoal_pngpiece_coder *k = calloc(1, sizeof *k);
  if (!k)
    return NULL;
  *k = (shoal_pngpiece_coder){.w = w, .ch = ch, .rows = rows, .level = level};
  k->c = libdeflate_alloc_compressor(level);
  k->raw = malloc((1 + (size_t)w * ch) * (size_t)rows);
  if (!k->c || !k->raw) {
    shoal_pngpiece_coder_free(k);
    return NULL;
  }
  return k;
}

void shoal_pngpiece_coder_free(shoal_pngpiece_coder *k)
{
  if (!k)
    return;
  if (k->c)
    libdeflate_free_compressor(k->c);
  if (k->run)
    libdeflate_free_compressor(k->run);
  free(k->raw);
  free(k);
}

uint32_t shoal_pngpiece_adler_combine(uint32_t a, uint32_t b, size_t blen)
{
  /* B's running sums restart from A's: s1 = a1 + b1 - 1, s2 = a2 + b2 + blen * (a1 - 1) */
  uint64_t n = blen % ADLER_MOD;
  uint64_t a1 = a & 0xffff, a2 = a >> 16, b1 = b & 0xffff, b2 = b >> 16;
  uint64_t s1 = (a1 + b1 + ADLER_MOD - 1) % ADLER_MOD;
  uint64_t s2 = (a2 + b2 + n * a1 + ADLER_MOD - n) % ADLER_MOD;
  return (uint32_t)(s1 | s2 << 16);
}

bool shoal_pngpiece_opaque(const unsigned char *data, int w, int h, int stride)
{
  for (int y = 0; y < h; y++) {
    const unsigned char *row = data + (size_t)y * stride;
    /* and-ed over the row two pixels a word, four words a step: alpha bytes stay 0xff only
     * when every pixel's is */
    uint64_t a0 = ~0ull, a1 = ~0ull, a2 = ~0ull, a3 = ~0ull;
    int x = 0;
    for (; x + 8 <= w; x += 8) {
      const unsigned char *p = row + (size_t)x * 4;
      uint64_t v0, v1, v2, v3;
      memcpy(&v0, p, 8);
      memcpy(&v1, p + 8, 8);
      memcpy(&v2, p + 16, 8);
      memcpy(&v3, p + 24, 8);
      a0 &= v0;
      a1 &= v1;
      a2 &= v2;
      a3 &= v3;
    }
    uint64_t a = a0 & a1 & a2 & a3;
    uint32_t left = (uint32_t)a & (uint32_t)(a >> 32);
    for (; x < w; x++) {
      uint32_t p;
      memcpy(&p, row + (size_t)x * 4, 4);
      left &= p;
    }
    if ((left >> 24) != 0xff)
      return false;
  }
  return true;
}

/* One row as PNG wants it: filter byte 0 (none), then R G B [A], alpha un-premultiplied. */
static void pack_row(const uint32_t *row, int w, int ch, unsigned char *o)
{
  if (ch == 3) { /* opaque: the common case */
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Right to left, pixel x stored as the 32 bits A R G B (byte-swapped) from byte 3x of the
     * row: its A lands on the byte before, which pixel x - 1 (or, for the first, the filter
     * byte) overwrites next. Nothing is written past the row. */
    unsigned char *px = o + 1;
    int x = w;
    for (; x >= 4; x -= 4) {
      uint32_t v3 = __builtin_bswap32(row[x - 1]), v2 = __builtin_bswap32(row[x - 2]);
      uint32_t v1 = __builtin_bswap32(row[x - 3]), v0 = __builtin_bswap32(row[x - 4]);
      memcpy(px + 3 * (size_t)(x - 1) - 1, &v3, 4);
      memcpy(px + 3 * (size_t)(x - 2) - 1, &v2, 4);
      memcpy(px + 3 * (size_t)(x - 3) - 1, &v1, 4);
      memcpy(px + 3 * (size_t)(x - 4) - 1, &v0, 4);
    }
    for (; x > 0; x--) {
      uint32_t v = __builtin_bswap32(row[x - 1]);
      memcpy(px + 3 * (size_t)(x - 1) - 1, &v, 4);
    }
#else
    for (int x = 0; x < w; x++) {
      uint32_t p = row[x];
      o[1 + 3 * x] = (unsigned char)(p >> 16);
      o[2 + 3 * x] = (unsigned char)(p >> 8);
      o[3 + 3 * x] = (unsigned char)p;
    }
#endif
    o[0] = 0;
    return;
  }
  *o++ = 0;
  for (int x = 0; x < w; x++) {
    uint32_t p = row[x];
    unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
    if (a && a != 255) { /* cairo stores premultiplied alpha */
      r = (r * 255 + a / 2) / a;
      g = (g * 255 + a / 2) / a;
      b = (b * 255 + a / 2) / a;
    }
    o[0] = (unsigned char)r;
    o[1] = (unsigned char)g;
    o[2] = (unsigned char)b;
    o[3] = (unsigned char)a;
    o += 4;
  }
}

/* The first run of at least min equal rows among rows [y, n): its first row (n if none), its
 * end in *end. */
static int next_run(const unsigned char *data, int stride, size_t bytes, int y, int n, int min,
                    int *end)
{
  int start = y;
  for (int i = y + 1; i <= n; i++) {
    if (i < n && !memcmp(data + (size_t)i * stride, data + (size_t)(i - 1) * stride, bytes))
      continue;
    if (i - start >= min) {
      *end = i;
      return start;
    }
    start = i;
  }
  *end = n;
  return n;
}

typedef struct outbuf {
  shoal_pngpiece *p;
  size_t cap;
} outbuf;

static bool reserve(outbuf *o, size_t more)
{
  size_t need = o->p->len + more;
  return need >= more && shoal_grow((void **)&o->p->out, &o->cap, need, 1, need, SIZE_MAX / 2);
}

/* Compress len packed bytes as one more stream of the piece, joinable unless final; its length
 * (0: out of memory). */
static size_t add_stream(outbuf *o, struct libdeflate_compressor *c, const unsigned char *raw,
                         size_t len, bool final)
{
  size_t bound = libdeflate_deflate_compress_bound(c, len) + JOIN_BYTES;
  if (!reserve(o, bound))
    return 0;
  unsigned char *at = o->p->out + o->p->len;
  size_t n = libdeflate_deflate_compress(c, raw, len, at, bound);
  if (n && !final)
    n = shoal_pngjoin_unfinal(at, n, bound);
  o->p->len += n;
  return n;
}

/* The Adler-32 of count copies of bytes whose own is a, len bytes each (by doubling). */
static uint32_t adler_repeat(uint32_t a, size_t len, size_t count)
{
  uint32_t all = 1;
  for (; count; count >>= 1, a = shoal_pngpiece_adler_combine(a, a, len), len *= 2)
    if (count & 1)
      all = shoal_pngpiece_adler_combine(all, a, len);
  return all;
}

static bool one_colour(const uint32_t *row, int w)
{
  for (int x = 1; x < w; x++)
    if (row[x] != row[0])
      return false;
  return true;
}

/* count rows equal to row: of one colour, written straight (pngflat.c); else a unit of m of
 * them compressed once and its bytes repeated, then the rest as a shorter unit. Never final. */
static bool add_run(shoal_pngpiece_coder *k, outbuf *o, const unsigned char *row, int count)
{
  size_t rowlen = 1 + (size_t)k->w * k->ch;
  pack_row((const uint32_t *)row, k->w, k->ch, k->raw);
  uint32_t adler = libdeflate_adler32(1, k->raw, rowlen);
  o->p->adler = shoal_pngpiece_adler_combine(o->p->adler, adler_repeat(adler, rowlen, count),
                                             rowlen * (size_t)count);
  o->p->raw += rowlen * (size_t)count;
  if (one_colour((const uint32_t *)row, k->w)) {
    size_t bound = shoal_pngflat_bound(k->ch, k->w, count), n;
    if (!reserve(o, bound) ||
        !(n = shoal_pngflat_encode(o->p->out + o->p->len, bound, k->raw + 1, k->ch, k->w, count)))
      return false;
    o->p->len += n;
    return true;
  }
  int m = (int)(UNIT_BYTES / rowlen);
  m = m < 1 ? 1 : m > count ? count : m;
  for (int i = 1; i < m; i++)
    memcpy(k->raw + rowlen * (size_t)i, k->raw, rowlen);
  if (!k->run &&
      !(k->run = libdeflate_alloc_compressor(k->level < RUN_LEVEL ? k->level : RUN_LEVEL)))
    return false;
  for (int left = count; left > 0;) {
    int u = left < m ? left : m, copies = left / u;
    size_t at = o->p->len;
    size_t ulen = add_stream(o, k->run, k->raw, rowlen * (size_t)u, false);
    if (!ulen || !reserve(o, ulen * (size_t)(copies - 1)))
      return false;
    for (int i = 1; i < copies; i++, o->p->len += ulen)
      memcpy(o->p->out + o->p->len, o->p->out + at, ulen);
    left -= u * copies;
  }
  return true;
}

/* Rows [y0, y1) packed and compressed as one stream. */
static bool add_rows(shoal_pngpiece_coder *k, outbuf *o, const unsigned char *data, int stride,
                     int y0, int y1, bool final)
{
  size_t rowlen = 1 + (size_t)k->w * k->ch, len = rowlen * (size_t)(y1 - y0);
  for (int y = y0; y < y1; y++)
    pack_row((const uint32_t *)(data + (size_t)y * stride), k->w, k->ch,
             k->raw + rowlen * (size_t)(y - y0));
  o->p->adler = libdeflate_adler32(o->p->adler, k->raw, len);
  o->p->raw += len;
  return add_stream(o, k->c, k->raw, len, final) > 0;
}

bool shoal_pngpiece_compress(shoal_pngpiece_coder *k, const unsigned char *data, int stride, int n,
                             shoal_pngpiece *p, bool last)
{
  *p = (shoal_pngpiece){.adler = 1};
  outbuf o = {p, 0};
  size_t rowlen = 1 + (size_t)k->w * k->ch;
  size_t min = (size_t)RUN_UNITS * UNIT_BYTES / rowlen;
  /* a piece of equal rows is a run (no neighbours to lose the context of) unless it is too
   * small to gain anything */
  int min_rows = min <= (size_t)n                                     ? (int)min
                 : rowlen * (size_t)n >= PIECE_RUN_UNITS * UNIT_BYTES ? n
                                                                      : n + 1;
  if (min_rows < 2)
    min_rows = 2;
  bool ended = false; /* the last stream written was final */
  for (int y = 0, end; y < n; y = end) {
    int a = next_run(data, stride, (size_t)k->w * 4, y, n, min_rows, &end);
    if (a > y && !add_rows(k, &o, data, stride, y, a, last && a == n))
      return false;
    ended = a == n;
    if (a < n && !add_run(k, &o, data + (size_t)a * stride, end - a))
      return false;
  }
  if (last && !ended) { /* ended by a run: an empty final block (fixed codes, end of block) */
    if (!reserve(&o, 2))
      return false;
    p->out[p->len++] = 0x03;
    p->out[p->len++] = 0x00;
  }
  /* kept until every piece is done: only what it holds (a map compresses to a few percent) */
  unsigned char *fit = realloc(p->out, p->len);
  if (fit)
    p->out = fit;
  return true;
}
