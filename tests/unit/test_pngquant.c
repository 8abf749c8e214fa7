/* Unit tests for palette PNGs (draw/pngquant.c, shoal_png_write_indexed in draw/pngenc.c): a
 * map-like page (flat fills, antialiased edges, translucency) goes the histogram path, a noisy
 * page of more distinct colours than it takes goes libimagequant's image path; both decode with
 * libpng as 8-bit palette images of at most the colours asked for, close to the surface. */
#include <png.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "draw/pngquant.h"
#include "check.h"
#include "testpage.h"

static cairo_surface_t *make_page(int w, int h, bool opaque, bool noise)
{
  cairo_surface_t *s = testpage_draw(w, h, opaque);
  unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  uint32_t seed = 99;
  for (int y = 0; noise && y < h; y++)
    for (int x = 0; x < w; x++) {
      seed = seed * 1103515245u + 12345u;
      ((uint32_t *)(d + (size_t)y * stride))[x] = 0xff000000u | (seed >> 8 & 0xffffff);
    }
  cairo_surface_mark_dirty(s);
  return s;
}

/* Encode with at most colors, decode with libpng, compare; the largest channel difference. */
static int roundtrip(int w, int h, bool opaque, bool noise, int colors, shoal_pngquant_info *info)
{
  cairo_surface_t *s = make_page(w, h, opaque, noise);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  CHECK(shoal_pngquant_write(s, f, colors, 8, info) == SHOAL_OK);
  fclose(f);
  CHECK(len > 33 && buf[25] == 3 && buf[24] == 8); /* IHDR: colour type 3, 8 bits */
  CHECK(info->colors >= 1 && info->colors <= colors);
  png_image img = {.version = PNG_IMAGE_VERSION};
  CHECK(png_image_begin_read_from_memory(&img, buf, len));
  CHECK(img.width == (png_uint_32)w && img.height == (png_uint_32)h);
  CHECK((img.format & PNG_FORMAT_FLAG_COLORMAP) && img.colormap_entries <= (png_uint_32)colors);
  CHECK(opaque == !(img.format & PNG_FORMAT_FLAG_ALPHA)); /* tRNS only when translucent */
  img.format = PNG_FORMAT_RGBA;
  unsigned char *px = malloc(PNG_IMAGE_SIZE(img));
  CHECK(px && png_image_finish_read(&img, NULL, px, 0, NULL));
  const unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s), worst = 0;
  for (int y = 0; y < h && px; y++)
    for (int x = 0; x < w; x++) {
      uint32_t p = ((const uint32_t *)(d + (size_t)y * stride))[x];
      unsigned a = p >> 24, c[4] = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff, a};
      const unsigned char *q = px + ((size_t)y * w + x) * 4;
      for (int i = 0; i < 4; i++) {
        /* compare premultiplied, as the eye sees it over black */
        int want = i < 3 ? (int)c[i] : (int)a, got = i < 3 ? q[i] * q[3] / 255 : q[3];
        int diff = abs(want - got);
        worst = diff > worst ? diff : worst;
      }
    }
  free(px);
  free(buf);
  cairo_surface_destroy(s);
  return worst;
}

int main(void)
{
  shoal_pngquant_info info;
  int worst = roundtrip(400, 300, true, false, 256, &info); /* histogram path */
  CHECK(worst <= 24 && info.quality >= 90 && info.mse < 1);
  fprintf(stderr, "map-like: %d colours, quality %d, mse %.3f, worst %d\n", info.colors,
          info.quality, info.mse, worst);
  worst = roundtrip(400, 300, false, false, 64, &info); /* translucent: tRNS */
  CHECK(worst <= 32 && info.colors <= 64);
  fprintf(stderr, "translucent: %d colours, worst %d\n", info.colors, worst);
  worst = roundtrip(320, 240, true, true, 16, &info); /* 76,800 distinct: the image path */
  CHECK(info.colors <= 16);
  fprintf(stderr, "noise: %d colours, quality %d, worst %d\n", info.colors, info.quality, worst);
  roundtrip(1, 1, true, false, 2, &info);
  return check_done();
}
