/* A layer's prepared geometry made ready to be drawn in horizontal bands of the page by several
 * threads at once: each feature's style chosen beforehand (attribute reads stay on one thread),
 * and each part's vertical extent, so a band builds only the paths that can reach it. */
#ifndef SHOAL_BAND_H
#define SHOAL_BAND_H

#include <cairo.h>
#include <stdbool.h>

#include "draw/render.h"

typedef struct shoal_bandgeo {
  const shoal_layerctx *lc;
  const shoal_layergeo *lg; /* borrowed from the cache, or own */
  shoal_layergeo *own;      /* built for this drawing when there is no cache (freed by fini) */
  const shoal_style **sty;  /* per feature: its style, NULL when it is not drawn */
  double *pbox;             /* per part: lowest and highest y (device px) */
  double *frows;            /* per feature: lowest and highest y of its vertices (device px) */
  double *margin;           /* per feature: how far its ink reaches past its vertices (px) */
  unsigned char *how;       /* per feature: BAND_* bits of band.c */
} shoal_bandgeo;

/* Choose every feature's style of lg (lc's layer; own, when set, is freed by fini) and measure
 * its parts, counting what will be drawn into stats as shoal_layergeo_draw does. Attributes
 * that cannot be read are errors in d, as there. On any return bg can be given to fini. */
shoal_status shoal_bandgeo_prepare(shoal_bandgeo *bg, const shoal_layerctx *lc,
                                   const shoal_layergeo *lg, shoal_layergeo *own,
                                   shoal_render_stats *stats, shoal_diag *d);
/* Draw the layer on cr for the device rows y0..y1 (cr's user space is the page's, translated by
 * a whole number of pixels): the same pixels in those rows as shoal_layergeo_draw on the whole
 * page, but for a level or two in a few pixels where islets are drawn together (band.c). Reads
 * bg only: several threads may draw the same bg at once. */
void shoal_bandgeo_draw(cairo_t *cr, const shoal_bandgeo *bg, double y0, double y1);
void shoal_bandgeo_fini(shoal_bandgeo *bg);

#endif
