/* Internal interface between the furniture modules (furniture.c lays out and dispatches;
 * legend.c, scalebar.c, graticule.c and inset.c measure and draw one piece each). */
#ifndef SHOAL_FURN_PRIV_H
#define SHOAL_FURN_PRIV_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/furn_model.h"
#include "data/source.h"
#include "draw/svgwrite.h"
#include "draw/text.h"
#include "furniture/furniture.h"
#include "label/collide.h"
#include "geo/view.h"
#include "geo/xform.h"

#define SHOAL_GRAT_MAX_LABELS 256

/* One degree label on the frame (device px, top-left of its box). */
typedef struct shoal_gratlabel {
  char text[24];
  double x, y;
} shoal_gratlabel;

/* Furniture state hung off the scene: prepared once (shoal_furniture_check), laid out per
 * drawing (shoal_furniture_layout). Freed with shoal_furniture_free. */
struct shoal_furnstate {
  shoal_furnenv env; /* the map, view, transforms and layers (borrowed from the scene) */
  shoal_textctx *tc; /* owned */

  /* Inset locator (only when the spec shows it). */
  shoal_source *inset_src;   /* owned */
  shoal_xform *inset_xf;     /* inset source CRS -> inset CRS; owned */
  shoal_xform *map_to_inset; /* map CRS -> inset CRS; owned */
  shoal_view inset_view;     /* inset CRS -> px with the inset's top-left at 0,0 */
  shoal_seam inset_seam;     /* seam of the inset CRS, so the main frame is drawn across it */
  shoal_layer inset_layer;   /* the land style used to draw the inset source */

  shoal_box frame;    /* the map area, device px: the page, or between the bands */
  double north_angle; /* radians, clockwise from straight up, of north at the centre */
  bool north_shown;
  double grat_step; /* degrees, after `auto` was resolved */

  /* Layout, device px; recomputed by each shoal_furniture_layout. */
  bool laid_out;
  bool has_title, has_legend, has_scalebar, has_north, has_inset, has_credit;
  shoal_box title, legend, scalebar, north, inset, credit;
  shoal_gratlabel *glabels; /* SHOAL_GRAT_MAX_LABELS entries */
  size_t nglabels;
};

/* Text helpers shared by the pieces. Caller frees the text with shoal_text_free. */
shoal_text *shoal_furn_text(const struct shoal_furnstate *fs, const char *utf8, double size,
                            int weight, double max_width);

/* --- legend.c --- */
/* Size of the legend in device px; false when no visible layer or rule has a legend entry. */
bool shoal_legend_measure(const struct shoal_furnstate *fs, double *w, double *h);
void shoal_legend_draw(const struct shoal_furnstate *fs, cairo_t *cr, double x, double y);

/* --- scalebar.c --- */
/* Round length (1, 2 or 5 x 10^n units of unit_m metres) of the longest bar that fits in
 * max_px device px at metres_per_px; *len in units, *px its length in device px. False when
 * the inputs are not positive and finite. */
bool shoal_scalebar_pick(double metres_per_px, double max_px, double unit_m, double *len,
                         double *px);
/* Metres per device px along a horizontal segment of seg_px device px centred on the map
 * centre, from the geodesic between its ends (to_ll: map CRS -> lon/lat). 0 on failure. */
double shoal_scalebar_metres_per_px(const shoal_view *v, shoal_xform *to_ll, double seg_px);
/* Metres in one unit (km 1000, nmi 1852, mi 1609.344) and its short name (static). */
double shoal_unit_metres(shoal_unit u);
const char *shoal_unit_name(shoal_unit u);
bool shoal_scalebar_measure(const struct shoal_furnstate *fs, double *w, double *h);
void shoal_scalebar_draw(const struct shoal_furnstate *fs, cairo_t *cr, double x, double y);

/* --- graticule.c --- */
/* Step in degrees for a view spanning lon_span x lat_span degrees: the smallest of 0.25, 0.5,
 * 1, 2, 5, 10, 15, 30 that fits at most 6.25 steps in the wider span (5 for a 26-30 degree
 * overview, 2 for a 5-12 degree zoom). */
double shoal_graticule_auto_step(double lon_span, double lat_span);
/* "110°E", "5°N", "0°", "5°S", "180°", "112°30′E" (minutes when not whole). */
void shoal_graticule_format(double deg, bool is_lat, char *buf, size_t len);
/* The same with the hemisphere letters hemis = {north, south, east, west} ("5°B" in
 * Vietnamese); the furniture takes them from furniture texts:. */
void shoal_graticule_format_in(double deg, bool is_lat, const char *const hemis[4], char *buf,
                               size_t len);
shoal_status shoal_graticule_draw(struct shoal_furnstate *fs, cairo_t *cr);
/* Place degree labels on the frame edges avoiding `avoid` (furniture boxes) and each other;
 * stores them in fs and adds their boxes to taken (may be NULL). */
void shoal_graticule_layout(struct shoal_furnstate *fs, const shoal_box *avoid, size_t navoid,
                            shoal_collide *taken);
void shoal_graticule_draw_labels(struct shoal_furnstate *fs, cairo_t *cr);

/* --- inset.c --- */
/* Open the inset's data and build its transforms and view. Errors at the spec's lines. */
shoal_status shoal_inset_prepare(struct shoal_furnstate *fs, shoal_diag *d);
void shoal_inset_release(struct shoal_furnstate *fs);
shoal_status shoal_inset_draw(struct shoal_furnstate *fs, cairo_t *cr, double x, double y,
                              shoal_diag *d);

#endif
