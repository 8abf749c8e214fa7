/* The view: map extent in the map CRS padded to the page's aspect, and the affine transform
 * from map coordinates to device pixels (y down). */
#ifndef SHOAL_VIEW_H
#define SHOAL_VIEW_H

#include <stdbool.h>
#include <stddef.h>

typedef struct shoal_view {
  int width, height; /* output size in device pixels (already multiplied by scale) */
  double scale;      /* device pixels per CSS pixel (2 = retina); styles are in CSS px */
  double ext[4];     /* shown extent in map CRS units: minx, miny, maxx, maxy */
  double k;          /* device pixels per map unit */
  double ox, oy;     /* px = (x - ext[0]) * k + ox; py = (ext[3] - y) * k + oy */
} shoal_view;

/* Fit `want` (map CRS box) into a width x height device-pixel page, centred, padded on one
 * axis to keep the aspect (never stretched). width and height are the exact page (CSS px x
 * scale, fractional at fractional scales); the view's whole-pixel size is them rounded as the
 * surface rounds them, the map is not stretched to fill the rounding. False when want is
 * empty or not finite. */
bool shoal_view_fit(shoal_view *v, double width, double height, double scale, const double want[4]);

static inline double shoal_view_px(const shoal_view *v, double x)
{
  return (x - v->ext[0]) * v->k + v->ox;
}
static inline double shoal_view_py(const shoal_view *v, double y)
{
  return (v->ext[3] - y) * v->k + v->oy;
}
/* In-place map -> device for n interleaved pairs; HUGE_VAL stays HUGE_VAL. */
void shoal_view_apply(const shoal_view *v, double *xy, size_t n);
/* Device pixel -> map coordinates. */
void shoal_view_unapply(const shoal_view *v, double px, double py, double *x, double *y);

#endif
