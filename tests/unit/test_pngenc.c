/* Unit tests for the PNG encoder (draw/pngenc.c, draw/pngjoin.c): images big enough to be cut
 * into several pieces, with flat areas, noise (stored blocks) and transparency, decode with
 * libpng to exactly the surface's pixels at every level; the joined deflate stream is valid
 * (libpng checks the CRCs and zlib the Adler-32). A page drawn in bands on every core
 * (shoal_png_write_bands, shoal_png_draw_bands) gives the very bytes and pixels of the page
 * drawn whole; a band that fails or a cancel stops it with one report. */
#include <math.h>
#include <png.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw/surface.h"
#include "check.h"
#include "pngcheck.h"
#include "testpage.h"

/* Flat bands, a gradient, a noisy square and, when !opaque, translucent and clear areas. */
static cairo_surface_t *make_image(int w, int h, bool opaque, bool all_noise)
{
  cairo_surface_t *s = testpage_draw(w, h, opaque);
  unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  uint32_t seed = 12345;
  int y0 = all_noise ? 0 : h / 4, y1 = all_noise ? h : h / 4 + h / 5;
  int x0 = all_noise ? 0 : w / 4, x1 = all_noise ? w : w / 4 + w / 5;
  for (int y = y0; y < y1; y++) {
    uint32_t *row = (uint32_t *)(d + (size_t)y * stride);
    for (int x = x0; x < x1; x++) {
      seed = seed * 1103515245u + 12345u;
      uint32_t v = seed >> 8;
      row[x] = opaque ? 0xff000000u | (v & 0xffffff) : 0x80000000u | (v & 0x7f7f7f);
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

/* Encode at level, decode with libpng as RGBA and compare with the surface un-premultiplied. */
static void roundtrip(int w, int h, bool opaque, int level, bool all_noise)
{
  cairo_surface_t *s = make_image(w, h, opaque, all_noise);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(shoal_png_write(s, f, level) == SHOAL_OK);
  fclose(f);
  png_image img = {.version = PNG_IMAGE_VERSION};
  CHECK(png_image_begin_read_from_memory(&img, buf, len));
  CHECK(img.width == (png_uint_32)w && img.height == (png_uint_32)h);
  CHECK(opaque == !(img.format & PNG_FORMAT_FLAG_ALPHA));
  img.format = PNG_FORMAT_RGBA;
  unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
  CHECK(px && png_image_finish_read(&img, NULL, px, 0, NULL));
  long bad = px ? pngcheck_differences(s, px) : 0;
  CHECK(bad == 0);
  if (bad)
    fprintf(stderr, "%dx%d opaque=%d level %d: %ld values differ\n", w, h, opaque, level, bad);
  free(px);
  free(buf);
  cairo_surface_destroy(s);
}

typedef struct drawing {
  int w, h;
  int fail_row;         /* a band holding this row fails (-1: none) */
  const atomic_int *go; /* set: cancel */
} drawing;

/* A map-like page: a flat sea, polygons with holes, thick dashed and plain lines crossing many
 * bands, small markers; drawn in page coordinates whatever cr's translation. */
static shoal_status draw_page(void *ctx, cairo_t *cr, int y0, int y1, shoal_diag *d)
{
  const drawing *g = ctx;
  if (g->fail_row >= y0 && g->fail_row < y1) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "band at %d fails", g->fail_row);
    return SHOAL_ERR_DATA;
  }
  cairo_set_source_rgb(cr, 0.87, 0.91, 0.94);
  cairo_rectangle(cr, 0, 0, g->w, g->h);
  cairo_fill(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  for (int k = 0; k < 7; k++) {
    double cx = g->w * (0.15 + 0.12 * k), cy = g->h * (0.1 + 0.13 * k), r = 40 + 30 * k;
    for (int i = 0; i < 90; i++) {
      double a = i * 2 * M_PI / 90, rr = r * (1 + 0.2 * sin(7 * a + k));
      (i ? cairo_line_to : cairo_move_to)(cr, cx + rr * cos(a), cy + rr * sin(a) * 1.7);
    }
    cairo_close_path(cr);
    cairo_arc(cr, cx, cy, r / 3, 0, 2 * M_PI);
    cairo_set_source_rgba(cr, 0.95, 0.94, 0.92, 1);
    cairo_fill(cr);
  }
  double dash[2] = {9, 4};
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 2.2);
  cairo_set_source_rgba(cr, 0.78, 0.06, 0.18, 0.8);
  cairo_move_to(cr, 3.3, 2.7);
  cairo_line_to(cr, g->w - 7.1, g->h * 0.6);
  cairo_line_to(cr, g->w * 0.2, g->h - 3.9);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_set_line_width(cr, 0.6);
  cairo_move_to(cr, g->w * 0.5 + 0.25, 0);
  cairo_line_to(cr, g->w * 0.5 + 0.25, g->h);
  cairo_stroke(cr);
  for (int i = 0; i < 40; i++) {
    cairo_rectangle(cr, 17.5 + i * g->w / 41.0, 11.3 + i * g->h / 41.0, 6.5, 6.5);
    cairo_set_source_rgb(cr, 0.2, 0.3, 0.4);
    cairo_fill(cr);
  }
  return SHOAL_OK;
}

static char *encode_whole(const drawing *g, size_t *len)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, g->w, g->h);
  cairo_t *cr = cairo_create(s);
  draw_page((void *)g, cr, 0, g->h, NULL);
  cairo_destroy(cr);
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  CHECK(shoal_png_write(s, f, 8) == SHOAL_OK);
  fclose(f);
  cairo_surface_destroy(s);
  return buf;
}

/* Bands give the bytes of the whole page, and the page drawn in bands its pixels. */
static void bands_same(int w, int h)
{
  drawing g = {.w = w, .h = h, .fail_row = -1};
  size_t n1 = 0, n2 = 0;
  char *whole = encode_whole(&g, &n1), *banded = NULL;
  shoal_diag *d = shoal_diag_new();
  FILE *f = open_memstream(&banded, &n2);
  CHECK(shoal_png_write_bands(w, h, draw_page, &g, NULL, f, 8, 0, d) == SHOAL_OK);
  fclose(f);
  CHECK(n1 == n2 && memcmp(whole, banded, n1) == 0);
  if (n1 != n2 || memcmp(whole, banded, n1) != 0)
    fprintf(stderr, "%dx%d: banded PNG differs (%zu / %zu bytes)\n", w, h, n1, n2);
  cairo_surface_t *page = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  CHECK(shoal_png_draw_bands(page, draw_page, &g, NULL, d) == SHOAL_OK);
  char *again = NULL;
  size_t n3 = 0;
  f = open_memstream(&again, &n3);
  CHECK(shoal_png_write(page, f, 8) == SHOAL_OK);
  fclose(f);
  CHECK(n1 == n3 && memcmp(whole, again, n1) == 0);
  /* one worker (a batch job's share of the cores): the same bytes again */
  char *one = NULL;
  size_t n4 = 0;
  f = open_memstream(&one, &n4);
  CHECK(shoal_png_write_bands(w, h, draw_page, &g, NULL, f, 8, 1, d) == SHOAL_OK);
  fclose(f);
  CHECK(n1 == n4 && memcmp(whole, one, n1) == 0);
  free(one);
  CHECK(shoal_diag_count(d) == 0);
  cairo_surface_destroy(page);
  shoal_diag_free(d);
  free(whole);
  free(banded);
  free(again);
}

/* A failing band reports once and fails the page; a cancel stops it without a word. */
static void bands_fail(void)
{
  atomic_int stop;
  atomic_init(&stop, 1);
  drawing g = {.w = 900, .h = 2500, .fail_row = 1500};
  shoal_diag *d = shoal_diag_new();
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  CHECK(shoal_png_write_bands(g.w, g.h, draw_page, &g, NULL, f, 8, 0, d) == SHOAL_ERR_DATA);
  CHECK(shoal_diag_nerrors(d) == 1);
  g.fail_row = -1;
  CHECK(shoal_png_write_bands(g.w, g.h, draw_page, &g, &stop, f, 8, 0, d) == SHOAL_ERR_INTERRUPTED);
  CHECK(shoal_diag_nerrors(d) == 1);
  fclose(f);
  free(buf);
  shoal_diag_free(d);
}

int main(void)
{
  bands_same(2000, 2000); /* several pieces per band */
  bands_same(1024, 1024);
  bands_same(333, 5000);
  bands_same(50, 1);
  bands_fail();
  for (int level = 1; level <= 12; level += 3) {
    roundtrip(1200, 1000, true, level, false); /* several pieces of rows */
    roundtrip(1200, 1000, false, level, false);
    roundtrip(600, 1200, true, level, true); /* noise: stored blocks */
  }
  roundtrip(1, 1, true, 8, false);
  roundtrip(3, 700, false, 8, false);
  roundtrip(32000, 40, true, 6, false); /* Cairo's widest */
  return check_done();
}
