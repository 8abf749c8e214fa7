/* Compare a Cairo ARGB32 surface with the RGBA pixels a PNG decoder gave back for it (the PNG
 * tests: test_pngenc.c, test_pngflat.c): Cairo stores premultiplied alpha, a PNG does not, so
 * each colour is un-premultiplied as Shoal's encoder does before it is compared. */
#ifndef SHOAL_PNGCHECK_H
#define SHOAL_PNGCHECK_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

/* How many channel values of rgba (w x h, 4 bytes a pixel, rows packed) differ from s's. */
static long pngcheck_differences(cairo_surface_t *s, const unsigned char *rgba)
{
  int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const unsigned char *d = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  long bad = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++) {
      uint32_t p = ((const uint32_t *)(d + (size_t)y * stride))[x];
      unsigned a = p >> 24, c[3] = {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
      const unsigned char *q = rgba + ((size_t)y * w + x) * 4;
      for (int i = 0; i < 3; i++) {
        unsigned v = a && a != 255 ? (c[i] * 255 + a / 2) / a : c[i];
        bad += a && q[i] != v;
      }
      bad += q[3] != a;
    }
  return bad;
}

#endif
