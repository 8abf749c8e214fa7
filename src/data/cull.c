/* Chunk culling for giant rings (a continent's coast read for a view of a few reefs): the ring
 * is walked in chunks of SHOAL_CULL_CHUNK segments with their bounding boxes; a run of chunks
 * whose boxes all miss the box q is replaced by the clamps onto q's outline of the vertices
 * where the chunks meet. A chunk's box misses q, so its clamped image is a piece of one side
 * of q, and the straight line from a vertex to its clamp never enters q: the new ring is the
 * old one moved within the plane less q's interior, and every point of q keeps its winding
 * number. The caller passes a q that holds the whole view with room to spare, so that the
 * stand-ins stay off the page after projection too. Runs before projecting: what is dropped is
 * never projected, clipped or simplified. shpchunkread.c makes the same result from the chunk
 * index without reading the dropped chunks: a change here must be made there too. */
#include <stdbool.h>

#include "data/cull.h"

static bool box_misses(const double *xy, size_t a, size_t b, const double q[4])
{
  double x0 = xy[2 * a], x1 = x0, y0 = xy[2 * a + 1], y1 = y0;
  for (size_t i = a + 1; i <= b; i++) {
    double x = xy[2 * i], y = xy[2 * i + 1];
    x0 = x < x0 ? x : x0;
    x1 = x > x1 ? x : x1;
    y0 = y < y0 ? y : y0;
    y1 = y > y1 ? y : y1;
  }
  return x1 < q[0] || x0 > q[2] || y1 < q[1] || y0 > q[3];
}

static void put_clamped(double *xy, size_t *w, const double *v, const double q[4])
{
  double x = v[0] < q[0] ? q[0] : v[0] > q[2] ? q[2] : v[0];
  double y = v[1] < q[1] ? q[1] : v[1] > q[3] ? q[3] : v[1];
  xy[2 * *w] = x;
  xy[2 * *w + 1] = y;
  (*w)++;
}

/* Cull one ring of n vertices at xy in place; returns its new length. Writing never overtakes
 * reading: a run of m full chunks (m * CHUNK segments) becomes m + 2 vertices. */
static size_t cull_ring(double *xy, size_t n, const double q[4])
{
  size_t nseg = n - 1, w = 1; /* vertex 0 stays */
  bool out = false;           /* inside a run of missing chunks */
  for (size_t a = 0; a < nseg; a += SHOAL_CULL_CHUNK) {
    size_t b = a + SHOAL_CULL_CHUNK;
    bool miss = b <= nseg && box_misses(xy, a, b, q);
    if (b > nseg)
      b = nseg;
    if (miss) {
      if (!out)
        put_clamped(xy, &w, xy + 2 * a, q);
      put_clamped(xy, &w, xy + 2 * b, q);
      out = true;
      continue;
    }
    if (out) { /* back from a run: the vertex where it ends */
      xy[2 * w] = xy[2 * a];
      xy[2 * w + 1] = xy[2 * a + 1];
      w++;
      out = false;
    }
    for (size_t i = a + 1; i <= b; i++, w++) {
      xy[2 * w] = xy[2 * i];
      xy[2 * w + 1] = xy[2 * i + 1];
    }
  }
  if (out) { /* the ring ends in a run: close it on its first vertex */
    xy[2 * w] = xy[2 * nseg];
    xy[2 * w + 1] = xy[2 * nseg + 1];
    w++;
  }
  return w;
}

size_t shoal_cull_rings(shoal_geom *g, const double q[4])
{
  if (g->kind != SHOAL_GEOM_POLYGON)
    return 0;
  size_t w = 0, dropped = 0;
  for (size_t p = 0; p < g->nparts; p++) {
    size_t a = g->parts[p], n = g->parts[p + 1] - a;
    if (w != a) /* move the part down to where the culled parts before it end */
      for (size_t i = 0; i < 2 * n; i++)
        g->xy[2 * w + i] = g->xy[2 * a + i];
    size_t m = n >= SHOAL_CULL_MIN_POINTS ? cull_ring(g->xy + 2 * w, n, q) : n;
    g->parts[p] = w;
    dropped += n - m;
    w += m;
  }
  g->parts[g->nparts] = w;
  g->npts = w;
  return dropped;
}
