/* Unit tests for runs of equal rows in the PNG encoder (draw/pngpiece.c compresses such a run
 * once as a unit and repeats its bytes): flat pages, flat pieces between busy ones, runs that
 * start at the first row or end at the last, pages one pixel wide and pages whose rows are
 * longer than deflate's 32 KB window, opaque and translucent, decode with libpng (which checks
 * the CRCs; zlib checks the Adler-32) to exactly the surface's pixels; a flat page drawn in
 * bands gives the bytes of the page drawn whole and is no larger than level 8 makes it. Runs
 * of one colour are written by draw/pngflat.c, other runs (noise rows repeated) as units. */
#include <png.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/surface.h"
#include "check.h"
#include "pngcheck.h"

static const uint32_t SEA = 0xffdfe9f0u, GLASS = 0x80402010u; /* premultiplied */

/* A page of w x h: rows in [flat0, flat1) and [flat2, flat3) all equal (one colour, or when
 * striped the same noise in every such row), the others noise. */
typedef struct page {
  int w, h;
  int flat[4];
  bool opaque, striped;
} page;

static cairo_surface_t *make(const page *p)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, p->w, p->h);
  unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  uint32_t seed = 777;
  for (int y = 0; y < p->h; y++) {
    uint32_t *row = (uint32_t *)(d + (size_t)y * stride);
    bool flat = (y >= p->flat[0] && y < p->flat[1]) || (y >= p->flat[2] && y < p->flat[3]);
    for (int x = 0; x < p->w; x++) {
      seed = seed * 1103515245u + 12345u;
      uint32_t v = seed >> 8;
      if (flat && p->striped) /* noise that depends on x only */
        v = ((uint32_t)x * 2654435761u) >> 8;
      else if (flat)
        v = p->opaque ? SEA : GLASS;
      row[x] = flat && !p->striped ? v
               : p->opaque         ? 0xff000000u | (v & 0xffffff)
                                   : 0x80000000u | (v & 0x7f7f7f);
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

/* s encoded at level and decoded by libpng: the same pixels (un-premultiplied). The PNG's
 * length in *len. */
static bool same_pixels(cairo_surface_t *s, int level, size_t *len)
{
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  CHECK(shoal_png_write(s, f, level) == SHOAL_OK);
  fclose(f);
  png_image img = {.version = PNG_IMAGE_VERSION};
  bool ok = png_image_begin_read_from_memory(&img, buf, *len);
  CHECK(ok && img.width == (png_uint_32)w && img.height == (png_uint_32)h);
  img.format = PNG_FORMAT_RGBA;
  unsigned char *px = ok ? malloc(PNG_IMAGE_SIZE(img)) : NULL;
  ok = px && png_image_finish_read(&img, NULL, px, 0, NULL);
  CHECK(ok);
  long bad = ok ? pngcheck_differences(s, px) : 0;
  CHECK(bad == 0);
  if (bad)
    fprintf(stderr, "%dx%d level %d: %ld values differ\n", w, h, level, bad);
  free(px);
  free(buf);
  return ok && bad == 0;
}

static size_t check_page(page p, int level)
{
  size_t len = 0;
  cairo_surface_t *s = make(&p);
  if (!same_pixels(s, level, &len))
    fprintf(stderr, "  flat rows [%d,%d) [%d,%d) opaque=%d\n", p.flat[0], p.flat[1], p.flat[2],
            p.flat[3], p.opaque);
  cairo_surface_destroy(s);
  return len;
}

static shoal_status draw_flat(void *ctx, cairo_t *cr, int y0, int y1, shoal_diag *d)
{
  (void)ctx, (void)y0, (void)y1, (void)d;
  cairo_set_source_rgb(cr, 0.87, 0.91, 0.94);
  cairo_paint(cr);
  return SHOAL_OK;
}

/* A flat page in bands: the bytes of the page drawn whole, and small. */
static void bands_flat(int w, int h)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create(s);
  draw_flat(NULL, cr, 0, h, NULL);
  cairo_destroy(cr);
  char *whole = NULL, *banded = NULL;
  size_t n1 = 0, n2 = 0;
  FILE *f = open_memstream(&whole, &n1);
  CHECK(shoal_png_write(s, f, 8) == SHOAL_OK);
  fclose(f);
  shoal_diag *d = shoal_diag_new();
  f = open_memstream(&banded, &n2);
  CHECK(shoal_png_write_bands(w, h, draw_flat, NULL, NULL, f, 8, 0, d) == SHOAL_OK);
  fclose(f);
  CHECK(n1 == n2 && memcmp(whole, banded, n1) == 0);
  size_t unused = 0;
  CHECK(same_pixels(s, 8, &unused));
  /* small: no larger than level 8 makes the packed rows in one stream, give or take the PNG's
   * chunks (rows of one colour are written straight as deflate, pngflat.c) */
  size_t rowlen = 1 + (size_t)w * 3, n = rowlen * (size_t)h;
  unsigned char *raw = malloc(n), *z = malloc(n);
  uint32_t p = *(const uint32_t *)cairo_image_surface_get_data(s);
  unsigned char rgb[3] = {(unsigned char)(p >> 16), (unsigned char)(p >> 8), (unsigned char)p};
  for (int y = 0; y < h; y++) {
    raw[rowlen * (size_t)y] = 0;
    for (int x = 0; x < w; x++)
      memcpy(raw + rowlen * (size_t)y + 1 + 3 * (size_t)x, rgb, 3);
  }
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(8);
  size_t l8 = libdeflate_zlib_compress(c, raw, n, z, n);
  libdeflate_free_compressor(c);
  CHECK(l8 > 0 && n1 < l8 + 100);
  if (!l8 || n1 >= l8 + 100)
    fprintf(stderr, "flat %dx%d: %zu bytes, level 8 in one stream %zu\n", w, h, n1, l8);
  free(raw);
  free(z);
  shoal_diag_free(d);
  free(whole);
  free(banded);
  cairo_surface_destroy(s);
}

int main(void)
{
  for (int o = 0; o < 4; o++) {
    bool opaque = o % 2 == 0, striped = o >= 2; /* striped: the unit path, else pngflat.c */
    for (int level = 1; level <= 12; level += 7) {
      /* all flat: every piece one run (1500 x 1500: 7 pieces) */
      size_t flat = check_page((page){1500, 1500, {0, 1500, 0, 0}, opaque, striped}, level);
      CHECK(striped || flat < 1500 * 1500 / 100);
      /* flat pieces between busy ones, a run across piece boundaries, a run too short to be
       * taken out (100 rows) */
      check_page((page){1200, 2400, {300, 1900, 2000, 2100}, opaque, striped}, level);
      /* a run from the first row; a run to the last (the stream ends with an empty block) */
      check_page((page){900, 1500, {0, 1200, 0, 0}, opaque, striped}, level);
      check_page((page){900, 1500, {1, 1500, 0, 0}, opaque, striped}, level);
      check_page((page){900, 1500, {300, 1500, 0, 0}, opaque, striped}, level);
    }
    /* one pixel wide (Cairo's tallest page): translucent, one piece of 160 KB of equal rows,
     * a run; opaque, 128 KB less 4 bytes, too little to take out */
    check_page((page){1, 32767, {0, 32767, 0, 0}, opaque, striped}, 8);
    check_page((page){1, 32767, {0, 16000, 16001, 32760}, opaque, striped}, 8);
    /* rows longer than deflate's window (36,001 bytes): one row a unit, or copies of a pixel */
    check_page((page){12000, 120, {0, 60, 61, 120}, opaque, striped}, 8);
    check_page((page){12000, 90, {0, 90, 0, 0}, opaque, striped}, 1);
    check_page((page){2, 3, {0, 3, 0, 0}, opaque, striped}, 8);
    /* 2 and 3 pixels wide: rows shorter than one copy */
    check_page((page){2, 32767, {0, 32767, 0, 0}, opaque, striped}, 8);
    check_page((page){3, 20000, {5, 19990, 0, 0}, opaque, striped}, 8);
  }
  bands_flat(800, 600);
  bands_flat(2000, 2000);
  bands_flat(333, 5000);
  return check_done();
}
