/* Growable vertex and part buffers shared by the readers, the projector and the clipper. */
#include "geo/geom.h"

#include "base/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* First allocation size: big enough that most small features never regrow. */
#define GEOM_MIN_PTS 64
#define GEOM_MIN_PARTS 8

void shoal_geom_init(shoal_geom *g, shoal_geom_kind kind)
{
  g->kind = kind;
  g->xy = NULL;
  g->npts = g->cap_pts = 0;
  g->parts = NULL;
  g->nparts = g->cap_parts = 0;
}

void shoal_geom_clear(shoal_geom *g)
{
  g->npts = 0;
  g->nparts = 0;
  if (g->parts)
    g->parts[0] = 0;
}

void shoal_geom_free(shoal_geom *g)
{
  free(g->xy);
  free(g->parts);
  shoal_geom_init(g, g->kind);
}

bool shoal_geom_reserve(shoal_geom *g, size_t npts)
{
  void *buf = g->xy;
  bool ok =
      shoal_grow(&buf, &g->cap_pts, npts, 2 * sizeof(double), GEOM_MIN_PTS, SHOAL_GEOM_MAX_POINTS);
  g->xy = buf;
  return ok;
}

bool shoal_geom_begin_part(shoal_geom *g)
{
  /* Room for the new part's sentinel; a part can be empty, so the cap on parts is the same
   * as on points plus the sentinel rather than tied to npts. */
  void *buf = g->parts;
  bool ok = shoal_grow(&buf, &g->cap_parts, g->nparts + 2, sizeof(size_t), GEOM_MIN_PARTS,
                       SHOAL_GEOM_MAX_POINTS + 1);
  g->parts = buf;
  if (!ok)
    return false;
  g->parts[g->nparts] = g->npts;
  g->nparts++;
  g->parts[g->nparts] = g->npts;
  return true;
}

bool shoal_geom_add(shoal_geom *g, double x, double y)
{
  /* A vertex before any begin_part still belongs somewhere: open the first part. */
  if (g->nparts == 0 && !shoal_geom_begin_part(g))
    return false;
  if (g->npts == g->cap_pts && !shoal_geom_reserve(g, g->npts + 1))
    return false;
  g->xy[2 * g->npts] = x;
  g->xy[2 * g->npts + 1] = y;
  g->npts++;
  g->parts[g->nparts] = g->npts;
  return true;
}

void shoal_geom_end_part(shoal_geom *g, size_t min_pts)
{
  if (g->nparts == 0)
    return;
  if (shoal_geom_part_len(g, g->nparts - 1) < min_pts) {
    g->nparts--;
    g->npts = g->parts[g->nparts];
  }
}

bool shoal_geom_bbox(const shoal_geom *g, double b[4])
{
  bool any = false;
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  for (size_t i = 0; i < g->npts; i++) {
    double x = g->xy[2 * i], y = g->xy[2 * i + 1];
    /* Failed projections are HUGE_VAL; they must not blow the box up to infinity. */
    if (!isfinite(x) || !isfinite(y))
      continue;
    if (!any) {
      minx = maxx = x;
      miny = maxy = y;
      any = true;
      continue;
    }
    if (x < minx)
      minx = x;
    if (x > maxx)
      maxx = x;
    if (y < miny)
      miny = y;
    if (y > maxy)
      maxy = y;
  }
  b[0] = minx;
  b[1] = miny;
  b[2] = maxx;
  b[3] = maxy;
  return any;
}

double shoal_geom_ring_area2(const shoal_geom *g, size_t part)
{
  if (part >= g->nparts)
    return 0.0;
  size_t s = g->parts[part], n = shoal_geom_part_len(g, part);
  if (n < 3)
    return 0.0;
  const double *v = g->xy + 2 * s;
  /* Relative to the first vertex: projected metres are ~1e7, and the cross products of raw
   * coordinates would cancel catastrophically for small rings. */
  double x0 = v[0], y0 = v[1], a = 0.0;
  for (size_t i = 1; i + 1 < n; i++) {
    double x1 = v[2 * i] - x0, y1 = v[2 * i + 1] - y0;
    double x2 = v[2 * i + 2] - x0, y2 = v[2 * i + 3] - y0;
    a += x1 * y2 - x2 * y1;
  }
  return a;
}

double shoal_path_length(const double *xy, size_t n)
{
  double len = 0;
  for (size_t i = 1; i < n; i++)
    len += hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
  return len;
}

void shoal_path_point(const double *xy, size_t n, double s, double *x, double *y)
{
  for (size_t i = 1; i < n; i++) {
    double sl = hypot(xy[2 * i] - xy[2 * i - 2], xy[2 * i + 1] - xy[2 * i - 1]);
    if (s <= sl || i == n - 1) {
      double u = sl > 0 ? fmin(fmax(s / sl, 0), 1) : 0;
      *x = xy[2 * i - 2] + (xy[2 * i] - xy[2 * i - 2]) * u;
      *y = xy[2 * i - 1] + (xy[2 * i + 1] - xy[2 * i - 1]) * u;
      return;
    }
    s -= sl;
  }
  *x = xy[0];
  *y = xy[1];
}
