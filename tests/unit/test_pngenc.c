/* Unit tests for the PNG encoder (draw/pngenc.c, draw/pngjoin.c): images big enough to be cut
 * into several pieces, with flat areas, noise (stored blocks) and transparency, decode with
 * libpng to exactly the surface's pixels at every level; the joined deflate stream is valid
 * (libpng checks the CRCs and zlib the Adler-32). */
#include <png.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw/surface.h"
#include "check.h"

/* Flat bands, a gradient, a noisy square and, when !opaque, translucent and clear areas. */
static cairo_surface_t *make_image(int w, int h, bool opaque, bool all_noise)
{
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create(s);
  if (opaque) {
    cairo_set_source_rgb(cr, 0.87, 0.91, 0.94);
    cairo_paint(cr);
  }
  cairo_set_source_rgba(cr, 0.95, 0.94, 0.92, opaque ? 1 : 0.6);
  cairo_arc(cr, w / 2.0, h / 2.0, h / 3.0, 0, 6.3);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0.78, 0.06, 0.18);
  cairo_set_line_width(cr, 2.2);
  cairo_move_to(cr, 0, 0);
  cairo_line_to(cr, w, h);
  cairo_stroke(cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
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
  const unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  long bad = 0;
  for (int y = 0; y < h && px; y++)
    for (int x = 0; x < w; x++) {
      uint32_t p = ((const uint32_t *)(d + (size_t)y * stride))[x];
      unsigned a = p >> 24, c[3] = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
      const unsigned char *q = px + ((size_t)y * w + x) * 4;
      for (int i = 0; i < 3; i++) {
        unsigned v = a && a != 255 ? (c[i] * 255 + a / 2) / a : c[i];
        bad += a && q[i] != v;
      }
      bad += q[3] != a;
    }
  CHECK(bad == 0);
  if (bad)
    fprintf(stderr, "%dx%d opaque=%d level %d: %ld values differ\n", w, h, opaque, level, bad);
  free(px);
  free(buf);
  cairo_surface_destroy(s);
}

int main(void)
{
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
