/* Fitting a map extent to the page and converting between map units and device pixels. */
#include "geo/view.h"

#include <limits.h>
#include <math.h>

bool shoal_view_fit(shoal_view *v, double width, double height, double scale, const double want[4])
{
  if (!(width >= 0.5) || !(height >= 0.5) || !(width < INT_MAX) || !(height < INT_MAX) ||
      !(scale > 0.0) || !isfinite(scale))
    return false;
  for (int i = 0; i < 4; i++)
    if (!isfinite(want[i]))
      return false;
  double ww = want[2] - want[0], wh = want[3] - want[1];
  if (!(ww > 0.0) || !(wh > 0.0) || !isfinite(ww) || !isfinite(wh))
    return false;
  /* k comes from the exact page (CSS px x scale), not from the surface rounded to whole
   * pixels: at scale 1.5 an 801 px page is 1201.5 px, and fitting 1202 would stretch the map
   * half a pixel toward the bottom-right. The rounding only shows a sliver more map. */
  double kx = width / ww, ky = height / wh;
  double k = kx < ky ? kx : ky;
  if (!(k > 0.0) || !isfinite(k))
    return false;
  v->width = (int)(width + 0.5);
  v->height = (int)(height + 0.5);
  v->scale = scale;
  v->k = k;
  v->ox = 0.0;
  v->oy = 0.0;
  /* The tight axis keeps the requested numbers exactly (no round trip through the centre),
   * so a map asked for 99..125 shows exactly 99..125 on that axis. */
  if (kx <= ky) {
    double pad = (height / k - wh) / 2.0;
    v->ext[0] = want[0];
    v->ext[2] = want[2];
    v->ext[1] = want[1] - pad;
    v->ext[3] = want[3] + pad;
  } else {
    double pad = (width / k - ww) / 2.0;
    v->ext[0] = want[0] - pad;
    v->ext[2] = want[2] + pad;
    v->ext[1] = want[1];
    v->ext[3] = want[3];
  }
  /* The whole surface, with the sliver rounding added on the right and at the bottom. */
  v->ext[2] += (v->width - width) / k;
  v->ext[1] -= (v->height - height) / k;
  return true;
}

void shoal_view_apply(const shoal_view *v, double *xy, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    double *p = xy + 2 * i;
    if (!isfinite(p[0]) || !isfinite(p[1])) {
      p[0] = p[1] = HUGE_VAL;
      continue;
    }
    p[0] = shoal_view_px(v, p[0]);
    p[1] = shoal_view_py(v, p[1]);
  }
}

void shoal_view_unapply(const shoal_view *v, double px, double py, double *x, double *y)
{
  *x = (px - v->ox) / v->k + v->ext[0];
  *y = v->ext[3] - (py - v->oy) / v->k;
}
