/* A state's coast: the parts of its land's rings that meet the sea. A land polygon's rings
 * also run along its land borders, and a border is no baseline: measured from it, a state
 * would gain sea on the far side of its neighbour (Myanmar's border on the Kra isthmus lies a
 * few km from the Gulf of Thailand, Indonesia's on Borneo behind Sarawak). A stretch of ring
 * counts as border where another state's ring runs within a tolerance of it; the tolerance
 * also covers the small gaps and overlaps that country polygons digitised apart leave along
 * a shared border. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "geo/xform.h"
#include "zones/coast.h"
#include "zones/zpriv.h"

/* Ring points this far apart, and a border where another state's ring is within TOL_M: wider
 * than the gaps between neighbours' polygons in the shipped data (built apart, simplified to
 * 100 m), narrower than any strait that matters at 12 nm and beyond. */
enum { STEP_M = 250, TOL_M = 1000 };

bool shoal_zcoast_rings(const shoal_zones_state *s, double step, shoal_znear *z)
{
  double *pts = NULL;
  size_t n = 0, cap = 0;
  bool ok =
      shoal_znear_densify(&s->land, step, &pts, &n, &cap) && shoal_znear_build(z, pts, n, step);
  free(pts);
  return ok;
}

typedef struct coastctx {
  const shoal_zones_in *in;
  const shoal_znear *rings;
  const double (*bbox)[4];
  size_t self;
  double tol, tol_deg;
} coastctx;

/* Whether (lon, lat) lies within the tolerance of another state's rings. The chord between
 * unit vectors times the mean radius is within 0.5 % of the geodesic distance at these
 * lengths, finer than the tolerance itself needs, and far cheaper than the geodesic. */
static bool on_border(const coastctx *x, double lon, double lat)
{
  double v[3], d2;
  shoal_znear_unit(lon, lat, v);
  for (size_t o = 0; o < x->in->nstates; o++) {
    const double *b = x->bbox[o];
    if (o == x->self || !(b[0] <= b[2]) || lon < b[0] - x->tol_deg || lon > b[2] + x->tol_deg ||
        lat < b[1] - x->tol_deg || lat > b[3] + x->tol_deg)
      continue;
    if (shoal_kd_nearest(&x->rings[o].kd, v, &d2) != SIZE_MAX && sqrt(d2) * 6371008.8 < x->tol)
      return true;
  }
  return false;
}

/* Add (lon, lat) to the coast run being built (opening one if needed). */
static bool keep(shoal_geom *g, bool *open, double lon, double lat)
{
  if (!*open && !shoal_geom_begin_part(g))
    return false;
  *open = true;
  return shoal_geom_add(g, lon, lat);
}

static void cut(shoal_geom *g, bool *open)
{
  if (*open)
    shoal_geom_end_part(g, 2);
  *open = false;
}

/* Sample j of k along the edge from xy[0..1] to xy[2..3] (azimuth az, length s): its ends
 * exactly, the points between along the geodesic. */
static void edge_point(const double *xy, double az, double s, int j, int k, double *lon,
                       double *lat)
{
  if (j == 0)
    *lon = xy[0], *lat = xy[1];
  else if (j == k)
    *lon = xy[2], *lat = xy[3];
  else
    shoal_geod_direct(xy[0], xy[1], az, s * j / k, lon, lat);
}

/* Where along the edge from xy (azimuth az) between s0 (border when b0) and s1 (the other)
 * the ring crosses the tolerance, to a metre: a bisection, so a run ends where the distance
 * to the neighbour is the tolerance, not at the last sample before it. */
static void transition(const coastctx *x, const double *xy, double az, double s0, double s1,
                       bool b0, double *lon, double *lat)
{
  double lo = s0, hi = s1;
  while (hi - lo > 1.0) {
    double mid = (lo + hi) / 2, mlo, mla;
    shoal_geod_direct(xy[0], xy[1], az, mid, &mlo, &mla);
    if (on_border(x, mlo, mla) == b0)
      lo = mid;
    else
      hi = mid;
  }
  /* the coast side of the crossing */
  shoal_geod_direct(xy[0], xy[1], az, b0 ? hi : lo, lon, lat);
}

/* One ring: every vertex and every point step apart along each edge is tested; an edge whose
 * tested points are all coast is kept as the edge, one that is partly border only in its
 * coast points. *whole is set when no point of the ring is border. */
static bool ring_coast(const coastctx *x, const double *xy, size_t m, double step, shoal_geom *g,
                       bool *whole)
{
  bool open = false, ok = true;
  *whole = true;
  for (size_t i = 0; ok && i + 1 < m; i++) {
    double az,
        s = shoal_geod_inverse(xy[2 * i], xy[2 * i + 1], xy[2 * i + 2], xy[2 * i + 3], &az, NULL);
    int k = (int)ceil(s / step);
    if (k < 1)
      k = 1;
    bool all = true;
    for (int j = 0; j <= k && all; j++) {
      double lo, la;
      edge_point(xy + 2 * i, az, s, j, k, &lo, &la);
      all = !on_border(x, lo, la);
    }
    if (all) {
      if (!open)
        ok = keep(g, &open, xy[2 * i], xy[2 * i + 1]);
      ok = ok && keep(g, &open, xy[2 * i + 2], xy[2 * i + 3]);
      continue;
    }
    *whole = false;
    bool prev = false;
    for (int j = 0; ok && j <= k; j++) {
      double lo, la;
      edge_point(xy + 2 * i, az, s, j, k, &lo, &la);
      bool border = on_border(x, lo, la);
      if (j && border != prev) { /* the run ends or starts between the two samples */
        double tlo, tla;
        transition(x, xy + 2 * i, az, s * (j - 1) / k, s * j / k, prev, &tlo, &tla);
        ok = keep(g, &open, tlo, tla);
      }
      if (border)
        cut(g, &open);
      else if (ok && !(open && j == 0)) /* the edge's start ended the last edge already */
        ok = keep(g, &open, lo, la);
      prev = border;
    }
  }
  cut(g, &open);
  return ok;
}

/* Move g's last part (a whole ring) to rings. */
static bool move_last(shoal_geom *g, shoal_geom *rings)
{
  size_t p = g->nparts - 1, a = g->parts[p], n = g->parts[p + 1] - a;
  bool ok = shoal_geom_begin_part(rings);
  for (size_t i = 0; ok && i < n; i++)
    ok = shoal_geom_add(rings, g->xy[2 * (a + i)], g->xy[2 * (a + i) + 1]);
  shoal_geom_end_part(rings, 4);
  g->nparts = p;
  g->npts = a;
  return ok;
}

bool shoal_zcoast_build(const shoal_zones_in *in, const shoal_znear *rings, const double (*bbox)[4],
                        size_t i, double step, double tol, shoal_geom *coast, shoal_geom *whole)
{
  coastctx x = {in, rings, bbox, i, tol, tol / 1852.0 / 60.0 * 3.0};
  const shoal_geom *land = &in->states[i].land;
  shoal_geom_init(coast, SHOAL_GEOM_LINE);
  shoal_geom_init(whole, SHOAL_GEOM_POLYGON);
  for (size_t p = 0; p < land->nparts; p++) {
    size_t before = coast->nparts;
    bool all;
    if (!ring_coast(&x, land->xy + 2 * land->parts[p], shoal_geom_part_len(land, p), step, coast,
                    &all))
      return false;
    if (all && coast->nparts == before + 1 && !move_last(coast, whole))
      return false;
  }
  return true;
}

bool shoal_zones_rings_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i)
{
  (void)c, (void)land;
  const shoal_zones_state *s = &w->in->states[i];
  double *b = w->bbox[i];
  if (!shoal_geom_bbox(&s->land, b))
    b[0] = 1, b[2] = -1;
  return shoal_zcoast_rings(s, STEP_M, &w->rings[i]) ||
         shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
}

bool shoal_zones_coast_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i)
{
  (void)c, (void)land;
  if (w->in->states[i].land_only) {
    shoal_geom_init(&w->coast[i], SHOAL_GEOM_LINE);
    shoal_geom_init(&w->isles[i], SHOAL_GEOM_POLYGON);
    return true;
  }
  return shoal_zcoast_build(w->in, w->rings, (const double(*)[4])w->bbox, i, STEP_M, TOL_M,
                            &w->coast[i], &w->isles[i]) ||
         shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
}
