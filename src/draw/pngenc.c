/* PNG encoder for Cairo's ARGB32 image surfaces, written for maps: no row filter (flat map
 * colours repeat at distances deflate finds by itself; Sub/Up/Paeth residues compressed worse
 * on our maps, and libpng's per-row choice cost more than the deflate), libdeflate (about half
 * zlib's work for the same size), and the work spread over the cores: the image is cut into
 * pieces of rows of about 1 MB, compressed separately as raw deflate, then joined into one zlib
 * stream (pngjoin.c turns each piece's end into a byte-aligned non-final end); the Adler-32 of
 * the whole is combined from the pieces'. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>

#include "draw/surface.h"

#include "draw/pngjoin.h"
#include "draw/pngquant.h"

enum { MAX_THREADS = 8, PIECE_BYTES = 1 << 20, ADLER_MOD = 65521 };

typedef struct piece {
  unsigned char *out; /* raw deflate, not final unless the last piece */
  size_t len;
  uint32_t adler; /* of this piece's packed rows */
  size_t raw;     /* their length */
} piece;

typedef struct job {
  const unsigned char *data; /* the surface's first row */
  int w, h, stride, ch, level;
  int rows;        /* rows per piece */
  int npiece;      /* pieces in all */
  int first, step; /* this worker does pieces first, first + step, ... */
  piece *pieces;
  bool failed;
} job;

/* One row as PNG wants it: filter byte 0 (none), then R G B [A], alpha un-premultiplied. */
static void pack_row(const unsigned char *data, int stride, int w, int ch, int y, unsigned char *o)
{
  const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
  *o++ = 0;
  if (ch == 3) { /* opaque: the common case, kept tight */
    for (int x = 0; x < w; x++, o += 3) {
      uint32_t p = row[x];
      o[0] = (unsigned char)(p >> 16);
      o[1] = (unsigned char)(p >> 8);
      o[2] = (unsigned char)p;
    }
    return;
  }
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

/* Pack and compress one piece; every piece but the last is made joinable. */
static bool do_piece(job *j, struct libdeflate_compressor *c, unsigned char *raw, int k)
{
  size_t rowlen = 1 + (size_t)j->w * j->ch;
  int y0 = k * j->rows, y1 = y0 + j->rows > j->h ? j->h : y0 + j->rows;
  size_t n = rowlen * (size_t)(y1 - y0);
  for (int y = y0; y < y1; y++)
    pack_row(j->data, j->stride, j->w, j->ch, y, raw + rowlen * (size_t)(y - y0));
  piece *p = &j->pieces[k];
  size_t cap = libdeflate_deflate_compress_bound(c, n) + 8;
  if (!(p->out = malloc(cap)))
    return false;
  p->len = libdeflate_deflate_compress(c, raw, n, p->out, cap);
  p->adler = libdeflate_adler32(1, raw, n);
  p->raw = n;
  if (p->len && k + 1 < j->npiece)
    p->len = shoal_pngjoin_unfinal(p->out, p->len, cap);
  return p->len > 0;
}

static void *worker(void *arg)
{
  job *j = arg;
  size_t rowlen = 1 + (size_t)j->w * j->ch;
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(j->level);
  unsigned char *raw = malloc(rowlen * (size_t)j->rows);
  bool ok = c && raw;
  for (int k = j->first; ok && k < j->npiece; k += j->step)
    ok = do_piece(j, c, raw, k);
  j->failed = !ok;
  free(raw);
  libdeflate_free_compressor(c);
  return NULL;
}

/* Adler-32 of A followed by B from theirs and B's length: B's running sums restart from A's. */
static uint32_t adler_combine(uint32_t a, uint32_t b, size_t blen)
{
  uint64_t n = blen % ADLER_MOD;
  uint64_t a1 = a & 0xffff, a2 = a >> 16, b1 = b & 0xffff, b2 = b >> 16;
  uint64_t s1 = (a1 + b1 + ADLER_MOD - 1) % ADLER_MOD;
  uint64_t s2 = (a2 + b2 + n * a1 + ADLER_MOD - n) % ADLER_MOD;
  return (uint32_t)(s1 | s2 << 16);
}

static void put32(unsigned char *p, uint32_t v)
{
  p[0] = (unsigned char)(v >> 24);
  p[1] = (unsigned char)(v >> 16);
  p[2] = (unsigned char)(v >> 8);
  p[3] = (unsigned char)v;
}

/* One chunk: length, type, the bytes of head, body and tail, CRC over type and all three. */
static bool write_chunk(FILE *f, const char *type, const unsigned char *head, size_t nhead,
                        const unsigned char *body, size_t nbody, const unsigned char *tail,
                        size_t ntail)
{
  unsigned char len[4], crc[4];
  size_t n = nhead + nbody + ntail;
  if (n > 0x7fffffffu)
    return false;
  put32(len, (uint32_t)n);
  /* a NULL buffer restarts the CRC: skip the empty parts */
  uint32_t c = libdeflate_crc32(0, type, 4);
  if (nhead)
    c = libdeflate_crc32(c, head, nhead);
  if (nbody)
    c = libdeflate_crc32(c, body, nbody);
  if (ntail)
    c = libdeflate_crc32(c, tail, ntail);
  put32(crc, c);
  return fwrite(len, 1, 4, f) == 4 && fwrite(type, 1, 4, f) == 4 &&
         (!nhead || fwrite(head, 1, nhead, f) == nhead) &&
         (!nbody || fwrite(body, 1, nbody, f) == nbody) &&
         (!ntail || fwrite(tail, 1, ntail, f) == ntail) && fwrite(crc, 1, 4, f) == 4;
}

static bool is_opaque(const unsigned char *data, int w, int h, int stride)
{
  for (int y = 0; y < h; y++) {
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
    for (int x = 0; x < w; x++)
      if ((row[x] >> 24) != 0xff)
        return false;
  }
  return true;
}

/* Compress the pieces on up to one thread per core, this one included. */
static bool run_workers(const job *proto)
{
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  int n = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
  if (n > proto->npiece)
    n = proto->npiece;
  job jobs[MAX_THREADS];
  pthread_t th[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (int i = 0; i < n; i++) {
    jobs[i] = *proto;
    jobs[i].first = i;
    jobs[i].step = n;
  }
  for (int i = 1; i < n; i++)
    started[i] = pthread_create(&th[i], NULL, worker, &jobs[i]) == 0;
  worker(&jobs[0]);
  bool ok = !jobs[0].failed;
  for (int i = 1; i < n; i++) {
    if (started[i])
      pthread_join(th[i], NULL);
    else
      worker(&jobs[i]); /* no thread to be had: do it here */
    ok = ok && !jobs[i].failed;
  }
  return ok;
}

static bool write_png(FILE *f, const job *j)
{
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char ihdr[13] = {0};
  put32(ihdr, (uint32_t)j->w);
  put32(ihdr + 4, (uint32_t)j->h);
  ihdr[8] = 8;
  ihdr[9] = j->ch == 4 ? 6 : 2; /* RGBA or RGB */
  /* zlib header: deflate with a 32 KB window, "default" level class, valid check bits */
  static const unsigned char zhead[2] = {0x78, 0x9c};
  uint32_t adler = 1;
  for (int i = 0; i < j->npiece; i++)
    adler = adler_combine(adler, j->pieces[i].adler, j->pieces[i].raw);
  unsigned char ztail[4];
  put32(ztail, adler);
  if (fwrite(sig, 1, 8, f) != 8 || !write_chunk(f, "IHDR", NULL, 0, ihdr, 13, NULL, 0))
    return false;
  for (int i = 0; i < j->npiece; i++)
    if (!write_chunk(f, "IDAT", zhead, i == 0 ? 2 : 0, j->pieces[i].out, j->pieces[i].len, ztail,
                     i == j->npiece - 1 ? 4 : 0))
      return false;
  return write_chunk(f, "IEND", NULL, 0, NULL, 0, NULL, 0);
}

shoal_status shoal_png_write(cairo_surface_t *img, FILE *f, int zlevel)
{
  cairo_surface_flush(img);
  job j = {.data = cairo_image_surface_get_data(img),
           .w = cairo_image_surface_get_width(img),
           .h = cairo_image_surface_get_height(img),
           .stride = cairo_image_surface_get_stride(img),
           .level = zlevel < 1    ? 1
                    : zlevel > 12 ? 12
                                  : zlevel};
  if (j.w <= 0 || j.h <= 0 || !j.data)
    return SHOAL_ERR_CANTCREAT;
  /* An opaque map (the usual case) is written as RGB: a quarter less to compress. */
  j.ch = is_opaque(j.data, j.w, j.h, j.stride) ? 3 : 4;
  size_t rowlen = 1 + (size_t)j.w * j.ch;
  j.rows = rowlen >= PIECE_BYTES ? 1 : (int)(PIECE_BYTES / rowlen);
  if (j.rows > j.h)
    j.rows = j.h;
  j.npiece = (j.h + j.rows - 1) / j.rows;
  if (!(j.pieces = calloc((size_t)j.npiece, sizeof *j.pieces)))
    return SHOAL_ERR_NOMEM;
  shoal_status st = SHOAL_ERR_NOMEM;
  if (run_workers(&j))
    st = write_png(f, &j) ? SHOAL_OK : SHOAL_ERR_CANTCREAT;
  for (int i = 0; i < j.npiece; i++)
    free(j.pieces[i].out);
  free(j.pieces);
  return st;
}

/* ---------------------------------------------------------------- palette images */

/* A palette image (pngquant.c) is a quarter of the RGB rows' bytes: one piece, one thread. */
shoal_status shoal_png_write_indexed(FILE *f, const unsigned char *idx, int w, int h,
                                     const unsigned char *pal, int ncolors, int ntrans, int zlevel)
{
  if (w <= 0 || h <= 0 || ncolors < 1 || ncolors > 256 || ntrans < 0 || ntrans > ncolors)
    return SHOAL_ERR_INTERNAL;
  size_t rowlen = 1 + (size_t)w, n = rowlen * (size_t)h;
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(zlevel < 1    ? 1
                                                                : zlevel > 12 ? 12
                                                                              : zlevel);
  unsigned char *raw = malloc(n), *out = NULL;
  size_t cap = c ? libdeflate_zlib_compress_bound(c, n) : 0, len = 0;
  if (c && raw && (out = malloc(cap))) {
    for (int y = 0; y < h; y++) {
      raw[rowlen * (size_t)y] = 0; /* filter: none, as for RGB (see the top of this file) */
      memcpy(raw + rowlen * (size_t)y + 1, idx + (size_t)w * y, (size_t)w);
    }
    len = libdeflate_zlib_compress(c, raw, n, out, cap);
  }
  free(raw);
  libdeflate_free_compressor(c);
  if (!len) {
    free(out);
    return SHOAL_ERR_NOMEM;
  }
  static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  unsigned char ihdr[13] = {0}, plte[3 * 256], trns[256];
  put32(ihdr, (uint32_t)w);
  put32(ihdr + 4, (uint32_t)h);
  ihdr[8] = 8;
  ihdr[9] = 3; /* indexed colour */
  for (int i = 0; i < ncolors; i++) {
    memcpy(plte + 3 * i, pal + 4 * i, 3);
    trns[i] = pal[4 * i + 3];
  }
  bool ok = fwrite(sig, 1, 8, f) == 8 && write_chunk(f, "IHDR", NULL, 0, ihdr, 13, NULL, 0) &&
            write_chunk(f, "PLTE", NULL, 0, plte, 3 * (size_t)ncolors, NULL, 0) &&
            (!ntrans || write_chunk(f, "tRNS", NULL, 0, trns, (size_t)ntrans, NULL, 0)) &&
            write_chunk(f, "IDAT", NULL, 0, out, len, NULL, 0) &&
            write_chunk(f, "IEND", NULL, 0, NULL, 0, NULL, 0);
  free(out);
  return ok ? SHOAL_OK : SHOAL_ERR_CANTCREAT;
}
