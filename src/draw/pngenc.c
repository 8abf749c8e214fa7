/* PNG encoder for Cairo's ARGB32 image surfaces, written for maps: no row filter (flat map
 * colours repeat at distances deflate finds by itself; Sub/Up/Paeth residues compressed worse
 * on our maps, and libpng's per-row choice cost more than the deflate), libdeflate (about half
 * zlib's work for the same size), and the work spread over the cores: the image is cut into
 * pieces of rows of about 1 MB, compressed separately as raw deflate, then joined into one zlib
 * stream (pngjoin.c turns each piece's end into a byte-aligned non-final end); the Adler-32 of
 * the whole is combined from the pieces'. A piece is packed and compressed by pngpiece.c, which
 * keeps long runs of equal rows (a blank map, open sea) out of libdeflate's matching. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>

#include "draw/surface.h"

#include "base/mem.h"
#include "draw/pngpiece.h"
#include "draw/pngquant.h"

enum { MAX_THREADS = 8, PIECE_BYTES = 1 << 20, BANDS_PER_THREAD = 3 };

typedef struct job {
  const unsigned char *data; /* the surface's first row */
  int w, h, stride, ch, level;
  int rows;        /* rows per piece */
  int npiece;      /* pieces in all */
  int first, step; /* this worker does pieces first, first + step, ... */
  shoal_pngpiece *pieces;
  bool failed;
} job;

/* Pack and compress one piece; every piece but the last is made joinable. */
static bool do_piece(job *j, shoal_pngpiece_coder *c, int k)
{
  int y0 = k * j->rows, y1 = y0 + j->rows > j->h ? j->h : y0 + j->rows;
  return shoal_pngpiece_compress(c, j->data + (size_t)y0 * j->stride, j->stride, y1 - y0,
                                 &j->pieces[k], k + 1 == j->npiece);
}

static void *worker(void *arg)
{
  job *j = arg;
  shoal_pngpiece_coder *c = shoal_pngpiece_coder_new(j->w, j->ch, j->rows, j->level);
  bool ok = c;
  for (int k = j->first; ok && k < j->npiece; k += j->step)
    ok = do_piece(j, c, k);
  j->failed = !ok;
  shoal_pngpiece_coder_free(c);
  return NULL;
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
    adler = shoal_pngpiece_adler_combine(adler, j->pieces[i].adler, j->pieces[i].raw);
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
  j.ch = shoal_pngpiece_opaque(j.data, j.w, j.h, j.stride) ? 3 : 4;
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

/* ---------------------------------------------------------------- drawn in bands */

/* The page drawn band by band: each band is a few whole pieces (the same rows as above,
 * each compressed apart, so the file is byte for byte the one shoal_png_write makes of the
 * whole page), drawn into its own small image and compressed as soon as it is drawn, by one
 * worker per core taking the next band. */
typedef struct bandrun {
  job j; /* data unused: each band has its own image */
  shoal_band_fn draw;
  void *ctx;
  const atomic_int *cancel;
  atomic_int next;                             /* the next band to take */
  atomic_int failed;                           /* the first band that failed + 1, or 0 */
  atomic_bool nomem, interrupted, translucent; /* set by any worker */
  int per, nband, nthread;                     /* pieces per band, bands, workers */
  unsigned char *page; /* drawing a whole page image: its first row (bands are copied in) */
  int page_stride;
} bandrun;

typedef struct bandworker {
  bandrun *r;
  shoal_diag *d; /* this worker's messages, merged by the caller */
  int failed_at; /* the band whose drawing failed here, or -1 */
  /* The pixels of this worker's band images, reused from band to band: a fresh image of each
   * band cost ~700 page faults (job A: 3,900 of the process's 11,000). */
  unsigned char *pixels;
  size_t cap;
} bandworker;

/* An image of w x h over w's pixel buffer, cleared as a new Cairo image is (by pixman's fill:
 * glibc's memset of a few megabytes is one `rep stosb`, which callgrind counts byte by byte);
 * NULL when out of memory. Destroy it before the next. */
static cairo_surface_t *band_image(bandworker *w, int width, int h)
{
  int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
  size_t need = (size_t)stride * (size_t)h;
  if (stride <= 0 || !SHOAL_GROW(&w->pixels, &w->cap, need, need, need))
    return NULL;
  cairo_surface_t *img =
      cairo_image_surface_create_for_data(w->pixels, CAIRO_FORMAT_ARGB32, width, h, stride);
  cairo_t *cr = cairo_create(img);
  cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint(cr);
  cairo_destroy(cr);
  return img;
}

/* Draw band b (pieces b * per onward) into a fresh image and compress its pieces, or copy it
 * into the page. The image holds a row more above and below
 * the band: Cairo's rasteriser treats the first row of an image apart (every edge starts there,
 * so it samples that row where the whole page may take it in one step), which can change a
 * pixel of that row by one level; the extra rows take that and are dropped. False (with the
 * reason in r or w) on failure. */
static bool do_band(bandworker *w, shoal_pngpiece_coder *c, int b)
{
  bandrun *r = w->r;
  int k0 = b * r->per, k1 = k0 + r->per > r->j.npiece ? r->j.npiece : k0 + r->per;
  int y0 = k0 * r->j.rows, y1 = k1 * r->j.rows > r->j.h ? r->j.h : k1 * r->j.rows;
  int top = y0 > 0 ? y0 - 1 : y0, bot = y1 < r->j.h ? y1 + 1 : y1;
  cairo_surface_t *img = band_image(w, r->j.w, bot - top);
  cairo_t *cr = img ? cairo_create(img) : NULL;
  bool ok = cr && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
  if (!ok)
    r->nomem = true;
  /* a whole number of pixels: the band's pixels are the page's */
  cairo_translate(cr, 0, -top);
  shoal_status st = ok ? r->draw(r->ctx, cr, top, bot, w->d) : SHOAL_ERR_NOMEM;
  if (cr)
    cairo_destroy(cr);
  if (img)
    cairo_surface_flush(img);
  int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, r->j.w);
  const unsigned char *data = w->pixels + (size_t)(y0 - top) * stride;
  if (ok && st != SHOAL_OK) {
    ok = false;
    if (st == SHOAL_ERR_INTERRUPTED)
      r->interrupted = true;
    w->failed_at = b;
  }
  if (ok && r->page) { /* into the page: rows of its own, no other thread writes them */
    for (int y = y0; y < y1; y++)
      memcpy(r->page + (size_t)y * r->page_stride, data + (size_t)(y - y0) * stride,
             (size_t)r->j.w * 4);
  } else if (ok && !shoal_pngpiece_opaque(data, r->j.w, y1 - y0, stride)) {
    ok = false;
    r->translucent = true;
  }
  /* each piece of the band compressed apart, as shoal_png_write does */
  for (int k = k0; ok && !r->page && k < k1; k++) {
    int p0 = k * r->j.rows, p1 = p0 + r->j.rows > r->j.h ? r->j.h : p0 + r->j.rows;
    if (!shoal_pngpiece_compress(c, data + (size_t)(p0 - y0) * stride, stride, p1 - p0,
                                 &r->j.pieces[k], k + 1 == r->j.npiece)) {
      ok = false;
      r->nomem = true;
    }
  }
  if (img)
    cairo_surface_destroy(img);
  return ok;
}

static void *band_worker(void *arg)
{
  bandworker *w = arg;
  bandrun *r = w->r;
  /* drawing into a page: nothing to compress */
  shoal_pngpiece_coder *c =
      r->page ? NULL : shoal_pngpiece_coder_new(r->j.w, 3, r->j.rows, r->j.level);
  bool ok = r->page || c;
  if (!ok) {
    r->nomem = true;
    atomic_store(&r->failed, 1);
  }
  while (ok && atomic_load(&r->failed) == 0) {
    int k = atomic_fetch_add(&r->next, 1);
    if (k >= r->nband)
      break;
    if (r->cancel && atomic_load(r->cancel)) {
      r->interrupted = true;
      atomic_store(&r->failed, k + 1);
    } else if (!do_band(w, c, k)) {
      int none = 0;
      atomic_compare_exchange_strong(&r->failed, &none, k + 1);
    }
  }
  shoal_pngpiece_coder_free(c);
  return NULL;
}

/* Run the band workers (this thread is one); their messages go to d, only those of the worker
 * whose band failed first (the others saw the same fault, or nothing). */
static void run_band_workers(bandrun *r, shoal_diag *d)
{
  int n = r->nthread;
  bandworker ws[MAX_THREADS];
  pthread_t th[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (int i = 0; i < n; i++) {
    ws[i] = (bandworker){.r = r, .d = shoal_diag_new(), .failed_at = -1};
    if (!ws[i].d) {
      r->nomem = true;
      atomic_store(&r->failed, 1);
    }
  }
  for (int i = 1; i < n; i++)
    started[i] = pthread_create(&th[i], NULL, band_worker, &ws[i]) == 0;
  band_worker(&ws[0]);
  for (int i = 1; i < n; i++)
    if (started[i])
      pthread_join(th[i], NULL);
  int first = -1;
  for (int i = 0; i < n; i++)
    if (ws[i].failed_at >= 0 && (first < 0 || ws[i].failed_at < ws[first].failed_at))
      first = i;
  for (int i = 0; i < n; i++) {
    if (ws[i].d && (first < 0 || i == first))
      shoal_diag_take(d, ws[i].d);
    shoal_diag_free(ws[i].d);
    free(ws[i].pixels);
  }
}

/* The bands of a w x h page: those of the pieces of shoal_png_write for an opaque page. False
 * when out of memory (reported). */
static bool band_setup(bandrun *r, int w, int h, int threads, shoal_diag *d)
{
  size_t rowlen = 1 + (size_t)w * 3;
  r->j.w = w;
  r->j.h = h;
  r->j.ch = 3;
  r->j.rows = rowlen >= PIECE_BYTES ? 1 : (int)(PIECE_BYTES / rowlen);
  if (r->j.rows > h)
    r->j.rows = h;
  r->j.npiece = (h + r->j.rows - 1) / r->j.rows;
  /* Each band redraws every path that crosses it: a few bands per worker keep them all busy
   * till the end without drawing the long paths over and over. */
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (threads > 0 && threads < cores)
    cores = threads;
  r->nthread = cores < 1 ? 1 : cores > MAX_THREADS ? MAX_THREADS : (int)cores;
  r->per = r->j.npiece / (BANDS_PER_THREAD * r->nthread);
  if (r->per < 1)
    r->per = 1;
  r->nband = (r->j.npiece + r->per - 1) / r->per;
  if (r->nthread > r->nband)
    r->nthread = r->nband;
  atomic_init(&r->next, 0);
  atomic_init(&r->failed, 0);
  if ((r->j.pieces = calloc((size_t)r->j.npiece, sizeof *r->j.pieces)))
    return true;
  shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
  return false;
}

/* Run the bands; the outcome, reported in d unless a band reported it (errors since before). */
static shoal_status band_run(bandrun *r, shoal_diag *d)
{
  size_t before = shoal_diag_nerrors(d);
  run_band_workers(r, d);
  shoal_status st = SHOAL_OK;
  if (r->interrupted)
    st = SHOAL_ERR_INTERRUPTED;
  else if (atomic_load(&r->failed) && shoal_diag_nerrors(d) > before)
    st = shoal_diag_status(d);
  else if (r->translucent) /* the caller promised an opaque page */
    shoal_diag_error(d, st = SHOAL_ERR_INTERNAL, NULL, 0, 0, "a page drawn in bands is not opaque");
  else if (r->nomem || atomic_load(&r->failed))
    shoal_diag_error(d, st = SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory drawing the page");
  return st;
}

static void band_free(bandrun *r)
{
  for (int i = 0; r->j.pieces && i < r->j.npiece; i++)
    free(r->j.pieces[i].out);
  free(r->j.pieces);
}

shoal_status shoal_png_write_bands(int w, int h, shoal_band_fn draw, void *ctx,
                                   const atomic_int *cancel, FILE *f, int zlevel, int threads,
                                   shoal_diag *d)
{
  bandrun r = {.j.level = zlevel < 1    ? 1
                          : zlevel > 12 ? 12
                                        : zlevel,
               .draw = draw,
               .ctx = ctx,
               .cancel = cancel};
  if (w <= 0 || h <= 0)
    return SHOAL_ERR_CANTCREAT;
  if (!band_setup(&r, w, h, threads, d))
    return SHOAL_ERR_NOMEM;
  shoal_status st = band_run(&r, d);
  if (st == SHOAL_OK && !write_png(f, &r.j))
    st = SHOAL_ERR_CANTCREAT;
  band_free(&r);
  return st;
}

shoal_status shoal_png_draw_bands(cairo_surface_t *page, shoal_band_fn draw, void *ctx,
                                  const atomic_int *cancel, shoal_diag *d)
{
  cairo_surface_flush(page);
  bandrun r = {.j.level = 1, .draw = draw, .ctx = ctx, .cancel = cancel};
  r.page = cairo_image_surface_get_data(page);
  r.page_stride = cairo_image_surface_get_stride(page);
  int w = cairo_image_surface_get_width(page), h = cairo_image_surface_get_height(page);
  if (w <= 0 || h <= 0 || !r.page)
    return SHOAL_ERR_INTERNAL;
  if (!band_setup(&r, w, h, 0, d))
    return SHOAL_ERR_NOMEM;
  shoal_status st = band_run(&r, d);
  band_free(&r);
  cairo_surface_mark_dirty(page);
  return st;
}
