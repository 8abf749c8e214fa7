/* Palette PNG through libimagequant. A map has few distinct colours (flat fills, antialiased
 * edges, text: 2,400 on the 2000x2000 overview, 6,500 on an article map at 2x), so the page is
 * counted into a table of its distinct pixel values, libimagequant chooses the palette from that
 * histogram, each distinct value is mapped once to its nearest palette entry, and the page is
 * written through the table: no float copy of the page (libimagequant's own image path keeps
 * 16 bytes a pixel) and no dithering, which flat fills do not need. A page of more distinct
 * colours (a photograph) goes through libimagequant's image path, rows handed to it one at a
 * time, with light dithering. The translucent palette entries are moved to the front so that
 * tRNS lists only them; an opaque map gets no tRNS at all. This is the only file that includes
 * libimagequant.h. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libimagequant.h>

#include "draw/pngquant.h"
#include "draw/quant_load.h"

typedef struct src {
  const unsigned char *data;
  int stride;
} src;

/* A pixel as the quantizer wants it: R, G, B, A, alpha un-premultiplied. */
static liq_color unpremultiply(uint32_t p)
{
  unsigned a = p >> 24, r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
  if (a && a != 255) {
    r = (r * 255 + a / 2) / a;
    g = (g * 255 + a / 2) / a;
    b = (b * 255 + a / 2) / a;
  }
  return (liq_color){(unsigned char)r, (unsigned char)g, (unsigned char)b, (unsigned char)a};
}

/* One row for the quantizer's image path. It may ask for a row more than once and from
 * several threads: this only reads the surface. */
static void get_row(liq_color out[], int y, int w, void *user)
{
  const src *s = user;
  const uint32_t *row = (const uint32_t *)(s->data + (size_t)y * s->stride);
  for (int x = 0; x < w; x++)
    out[x] = unpremultiply(row[x]);
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

/* ---------------------------------------------------------------- the histogram path */

enum { MAX_DISTINCT = 1 << 16 }; /* past this, libimagequant's image path */

/* Distinct pixel values (premultiplied ARGB32) with their counts, by open addressing. */
typedef struct hist {
  uint32_t *key, *count; /* count 0: an empty slot */
  unsigned char *idx;    /* each value's palette entry, once mapped */
  size_t cap, n;
} hist;

static size_t slot(const hist *h, uint32_t p)
{
  size_t i = (size_t)((p * 2654435761u) >> 7) & (h->cap - 1);
  while (h->count[i] && h->key[i] != p)
    i = (i + 1) & (h->cap - 1);
  return i;
}

static bool hist_alloc(hist *h, size_t cap)
{
  *h = (hist){.key = malloc(cap * sizeof *h->key),
              .count = calloc(cap, sizeof *h->count),
              .idx = malloc(cap),
              .cap = cap};
  return h->key && h->count && h->idx;
}

static void hist_free(hist *h)
{
  free(h->key);
  free(h->count);
  free(h->idx);
}

/* Add n pixels of value p; false when out of memory or past MAX_DISTINCT. */
static bool hist_add(hist *h, uint32_t p, uint32_t n)
{
  size_t i = slot(h, p);
  if (h->count[i]) {
    h->count[i] += n;
    return true;
  }
  if (2 * (h->n + 1) > h->cap) { /* grow to keep the table at most half full */
    hist g = {0};
    if (h->n >= MAX_DISTINCT || !hist_alloc(&g, 2 * h->cap)) {
      hist_free(&g);
      return false;
    }
    for (size_t k = 0; k < h->cap; k++)
      if (h->count[k]) {
        size_t j = slot(&g, h->key[k]);
        g.key[j] = h->key[k];
        g.count[j] = h->count[k];
      }
    g.n = h->n;
    hist_free(h);
    *h = g;
    i = slot(h, p);
  }
  h->key[i] = p;
  h->count[i] = n;
  h->n++;
  return true;
}

/* Count the page's pixel values, a run of equal pixels at a time. */
static bool count_pixels(hist *h, const src *s, int w, int hgt)
{
  for (int y = 0; y < hgt; y++) {
    const uint32_t *row = (const uint32_t *)(s->data + (size_t)y * s->stride);
    for (int x = 0; x < w;) {
      int x0 = x;
      while (x < w && row[x] == row[x0])
        x++;
      if (!hist_add(h, row[x0], (uint32_t)(x - x0)))
        return false;
    }
  }
  return true;
}

/* Each distinct value's nearest palette entry (squared distance of the premultiplied colour
 * and alpha); returns the count-weighted mean square error per channel. */
static double map_values(hist *h, const liq_palette *pal)
{
  int pe[256][4];
  for (unsigned k = 0; k < pal->count; k++) {
    liq_color c = pal->entries[k];
    pe[k][0] = c.r * c.a / 255, pe[k][1] = c.g * c.a / 255, pe[k][2] = c.b * c.a / 255;
    pe[k][3] = c.a;
  }
  double err = 0, total = 0;
  for (size_t i = 0; i < h->cap; i++) {
    if (!h->count[i])
      continue;
    uint32_t p = h->key[i];
    int v[4] = {(int)(p >> 16 & 0xff), (int)(p >> 8 & 0xff), (int)(p & 0xff), (int)(p >> 24)};
    long best = -1;
    for (unsigned k = 0; k < pal->count; k++) {
      long d = 0;
      for (int c = 0; c < 4; c++)
        d += (long)(v[c] - pe[k][c]) * (v[c] - pe[k][c]);
      if (best < 0 || d < best) {
        best = d;
        h->idx[i] = (unsigned char)k;
      }
    }
    err += (double)best * h->count[i];
    total += h->count[i];
  }
  return total > 0 ? err / total / 4 : 0;
}

/* The histogram path. *too_many (nothing done then) when the page has more distinct colours
 * than it takes. */
static shoal_status quantize_hist(liq_attr *attr, const src *s, int w, int hgt, unsigned char *idx,
                                  unsigned char *pal, int *ncolors, int *ntrans,
                                  shoal_pngquant_info *info, bool *too_many)
{
  hist h = {0};
  liq_histogram *lh = liq_histogram_create(attr);
  liq_histogram_entry *e = NULL;
  liq_result *res = NULL;
  shoal_status st = SHOAL_ERR_NOMEM;
  if (!lh || !hist_alloc(&h, 1024))
    goto done;
  if (!count_pixels(&h, s, w, hgt)) {
    *too_many = h.n >= MAX_DISTINCT;
    goto done;
  }
  if (!(e = malloc(h.n * sizeof *e)))
    goto done;
  size_t n = 0;
  for (size_t i = 0; i < h.cap; i++)
    if (h.count[i])
      e[n++] = (liq_histogram_entry){.color = unpremultiply(h.key[i]), .count = h.count[i]};
  st = SHOAL_ERR_INTERNAL;
  if (liq_histogram_add_colors(lh, attr, e, (int)n, 0) != LIQ_OK ||
      liq_histogram_quantize(lh, attr, &res) != LIQ_OK)
    goto done;
  const liq_palette *p = liq_get_palette(res);
  double mse = map_values(&h, p);
  uint32_t last = 0;
  unsigned char li = 0;
  for (int y = 0; y < hgt; y++) {
    const uint32_t *row = (const uint32_t *)(s->data + (size_t)y * s->stride);
    for (int x = 0; x < w; x++) {
      if (row[x] != last || (x == 0 && y == 0))
        li = h.idx[slot(&h, last = row[x])];
      idx[(size_t)y * w + x] = li;
    }
  }
  order_palette(p, idx, (size_t)w * hgt, pal, ntrans);
  *ncolors = (int)p->count;
  if (info)
    *info = (shoal_pngquant_info){
        .colors = (int)p->count, .quality = liq_get_quantization_quality(res), .mse = mse};
  st = SHOAL_OK;
done:
  if (res)
    liq_result_destroy(res);
  if (lh)
    liq_histogram_destroy(lh);
  free(e);
  hist_free(&h);
  return st;
}

shoal_status shoal_pngquant_write(cairo_surface_t *img, FILE *f, int max_colors, int zlevel,
                                  shoal_pngquant_info *info)
{
  if (shoal_quant_load()) /* the caller says why (core/job.c checks before drawing) */
    return SHOAL_ERR_INTERNAL;
  cairo_surface_flush(img);
  src s = {cairo_image_surface_get_data(img), cairo_image_surface_get_stride(img)};
  int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  if (w <= 0 || h <= 0 || !s.data)
    return SHOAL_ERR_CANTCREAT;
  liq_attr *attr = liq_attr_create();
  if (!attr)
    return SHOAL_ERR_NOMEM;
  liq_set_max_colors(attr, max_colors < 2 ? 2 : max_colors > 256 ? 256 : max_colors);
  unsigned char *idx = malloc((size_t)w * h);
  unsigned char pal[4 * 256];
  int ncolors = 0, ntrans = 0;
  bool too_many = false;
  shoal_status st =
      idx ? quantize_hist(attr, &s, w, h, idx, pal, &ncolors, &ntrans, info, &too_many)
          : SHOAL_ERR_NOMEM;
  if (too_many) {
    liq_image *image = liq_image_create_custom(attr, get_row, &s, w, h, 0);
    st = image ? quantize(attr, image, idx, w, h, pal, &ncolors, &ntrans, info) : SHOAL_ERR_NOMEM;
    if (image)
      liq_image_destroy(image);
  }
  liq_attr_destroy(attr);
  if (st == SHOAL_OK)
    st = shoal_png_write_indexed(f, idx, w, h, pal, ncolors, ntrans, zlevel);
  free(idx);
  return st;
}
