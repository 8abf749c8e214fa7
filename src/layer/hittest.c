/* Hit-testing a layer's features at one pixel (hittest.h): the index finds the features near
 * the pixel, then each is read whole, projected as for drawing and tested exactly. */
#include "layer/hittest.h"

#include <math.h>
#include <stdlib.h>

#include "base/mem.h"

/* Even-odd: a point is inside when a ray from it crosses the rings an odd number of times. */
static bool inside(const shoal_geom *g, double x, double y)
{
  bool in = false;
  for (size_t p = 0; p < g->nparts; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    for (size_t i = a, j = b - 1; i < b; j = i++) {
      double xi = g->xy[2 * i], yi = g->xy[2 * i + 1], xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        in = !in;
    }
  }
  return in;
}

static double seg_dist(double x, double y, double x0, double y0, double x1, double y1)
{
  double dx = x1 - x0, dy = y1 - y0, L2 = dx * dx + dy * dy;
  double t = L2 > 0 ? ((x - x0) * dx + (y - y0) * dy) / L2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return hypot(x - (x0 + t * dx), y - (y0 + t * dy));
}

static bool near(const shoal_geom *g, double x, double y, double tol)
{
  for (size_t p = 0; p < g->nparts; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    if (b - a == 1 && hypot(g->xy[2 * a] - x, g->xy[2 * a + 1] - y) <= tol)
      return true;
    for (size_t i = a + 1; i < b; i++)
      if (seg_dist(x, y, g->xy[2 * i - 2], g->xy[2 * i - 1], g->xy[2 * i], g->xy[2 * i + 1]) <= tol)
        return true;
  }
  return false;
}

/* The features whose index box meets a square of tol px around (x, y): the layer's query
 * over a view cut down to that square (same transform, smaller extent). */
static shoal_status candidates(const shoal_layerctx *lc, double x, double y, double tol, int **ids,
                               size_t *n)
{
  shoal_view v = *lc->view;
  double x0, y0, x1, y1;
  shoal_view_unapply(&v, x - tol, y + tol, &x0, &y0);
  shoal_view_unapply(&v, x + tol, y - tol, &x1, &y1);
  v.ox += (x0 - v.ext[0]) * v.k;
  v.oy += (v.ext[3] - y1) * v.k;
  v.ext[0] = x0, v.ext[1] = y0, v.ext[2] = x1, v.ext[3] = y1;
  shoal_layerctx small = *lc;
  small.view = &v;
  return shoal_layer_query(&small, 0, ids, n);
}

shoal_status shoal_layer_hit(const shoal_layerctx *lc, double x, double y, double tol, int **ids,
                             size_t *n)
{
  *ids = NULL;
  *n = 0;
  int *cand = NULL;
  size_t ncand = 0;
  shoal_status st = candidates(lc, x, y, tol, &cand, &ncand);
  if (st != SHOAL_OK || ncand == 0) {
    free(cand);
    return st;
  }
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  size_t nhit = 0;
  for (size_t i = 0; i < ncand && st == SHOAL_OK; i++) {
    shoal_geom_clear(&g);
    st = shoal_layer_feature(lc, cand[i], &g);
    if (st != SHOAL_OK || g.npts == 0)
      continue;
    bool hit = g.kind == SHOAL_GEOM_POLYGON ? inside(&g, x, y) : near(&g, x, y, tol);
    if (hit)
      cand[nhit++] = cand[i];
  }
  shoal_geom_free(&g);
  if (st != SHOAL_OK || nhit == 0) {
    free(cand);
    return st;
  }
  *ids = cand;
  *n = nhit;
  return SHOAL_OK;
}

int shoal_layer_rule_of(const shoal_layer *L, const shoal_style *chosen)
{
  for (size_t i = 0; i < L->nrules && chosen; i++)
    if (chosen == &L->rules[i].style)
      return (int)i;
  return -1;
}
