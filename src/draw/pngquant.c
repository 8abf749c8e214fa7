/* Palette PNG through libimagequant: Cairo's premultiplied ARGB32 rows are handed to the
 * quantizer one row at a time (no RGBA copy of the page), the page is remapped to the palette
 * it chose, and pngenc.c writes the indexes. The translucent palette entries are moved to the
 * front so that tRNS lists only them; an opaque map gets no tRNS at all. This is the only file
 * that includes libimagequant.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libimagequant.h>

#include "draw/pngquant.h"

typedef struct src {
  const unsigned char *data;
  int stride;
} src;

/* One row as the quantizer wants it: R, G, B, A, alpha un-premultiplied. It may ask for a row
 * more than once and from several threads: this only reads the surface. */
static void get_row(liq_color out[], int y, int w, void *user)
{
  const src *s = user;
  const uint32_t *row = (const uint32_t *)(s->data + (size_t)y * s->stride);
  for (int x = 0; x < w; x++) {
    uint32_t p = row[x];
    unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
    if (a && a != 255) {
      r = (r * 255 + a / 2) / a;
      g = (g * 255 + a / 2) / a;
      b = (b * 255 + a / 2) / a;
    }
    out[x] = (liq_color){(unsigned char)r, (unsigned char)g, (unsigned char)b, (unsigned char)a};
  }
}

/* The palette with its translucent entries first (their count in *ntrans), and the indexes
 * renumbered to match. */
static void order_palette(const liq_palette *p, unsigned char *idx, size_t n, unsigned char *pal,
                          int *ntrans)
{
  unsigned char to[256];
  int k = 0;
  for (int pass = 0; pass < 2; pass++)
    for (unsigned i = 0; i < p->count; i++) {
      bool opaque = p->entries[i].a == 255;
      if (opaque != (pass == 1))
        continue;
      to[i] = (unsigned char)k;
      pal[4 * k] = p->entries[i].r;
      pal[4 * k + 1] = p->entries[i].g;
      pal[4 * k + 2] = p->entries[i].b;
      pal[4 * k + 3] = p->entries[i].a;
      k++;
    }
  int t = 0;
  while (t < (int)p->count && pal[4 * t + 3] != 255)
    t++;
  *ntrans = t;
  for (size_t i = 0; i < n; i++)
    idx[i] = to[idx[i]];
}

/* Quantize and remap; the indexes go to idx (w x h bytes), the ordered palette to pal. */
static shoal_status quantize(liq_attr *attr, liq_image *image, unsigned char *idx, int w, int h,
                             unsigned char *pal, int *ncolors, int *ntrans,
                             shoal_pngquant_info *info)
{
  liq_result *res = NULL;
  if (liq_image_quantize(image, attr, &res) != LIQ_OK)
    return SHOAL_ERR_INTERNAL;
  /* Maps are flat fills with antialiased edges: little dithering keeps the fills flat (smaller
   * files, no speckle on the sea) while edges and any gradients still blend. */
  liq_set_dithering_level(res, 0.5f);
  shoal_status st = SHOAL_ERR_INTERNAL;
  if (liq_write_remapped_image(res, image, idx, (size_t)w * h) == LIQ_OK) {
    const liq_palette *p = liq_get_palette(res);
    order_palette(p, idx, (size_t)w * h, pal, ntrans);
    *ncolors = (int)p->count;
    if (info)
      *info = (shoal_pngquant_info){.colors = (int)p->count,
                                    .quality = liq_get_remapping_quality(res),
                                    .mse = liq_get_remapping_error(res)};
    st = SHOAL_OK;
  }
  liq_result_destroy(res);
  return st;
}

shoal_status shoal_pngquant_write(cairo_surface_t *img, FILE *f, int max_colors, int zlevel,
                                  shoal_pngquant_info *info)
{
  cairo_surface_flush(img);
  src s = {cairo_image_surface_get_data(img), cairo_image_surface_get_stride(img)};
  int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  if (w <= 0 || h <= 0 || !s.data)
    return SHOAL_ERR_CANTCREAT;
  liq_attr *attr = liq_attr_create();
  if (!attr)
    return SHOAL_ERR_NOMEM;
  liq_set_max_colors(attr, max_colors < 2 ? 2 : max_colors > 256 ? 256 : max_colors);
  liq_image *image = liq_image_create_custom(attr, get_row, &s, w, h, 0);
  unsigned char *idx = malloc((size_t)w * h);
  unsigned char pal[4 * 256];
  int ncolors = 0, ntrans = 0;
  shoal_status st = image && idx ? quantize(attr, image, idx, w, h, pal, &ncolors, &ntrans, info)
                                 : SHOAL_ERR_NOMEM;
  if (image)
    liq_image_destroy(image);
  liq_attr_destroy(attr);
  if (st == SHOAL_OK)
    st = shoal_png_write_indexed(f, idx, w, h, pal, ncolors, ntrans, zlevel);
  free(idx);
  return st;
}
