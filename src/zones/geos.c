/* GEOS adapter for the zones module (zgeos.h), first file (zones/geosprep.c is the other). Each
 * context owns one GEOS handle and keeps the last error message for reports. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "zones/geosctx.h"

static void on_error(const char *msg, void *user)
{
  shoal_zgeos *c = user;
  snprintf(c->err, sizeof c->err, "%s", msg);
}

shoal_zgeos *shoal_zgeos_new(void)
{
  shoal_zgeos *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->h = GEOS_init_r();
  if (!c->h) {
    free(c);
    return NULL;
  }
  GEOSContext_setErrorMessageHandler_r(c->h, on_error, c);
  return c;
}

void shoal_zgeos_free(shoal_zgeos *c)
{
  if (!c)
    return;
  GEOS_finish_r(c->h);
  free(c);
}

const char *shoal_zgeos_error(const shoal_zgeos *c) { return c->err; }

void shoal_zgeos_drop(shoal_zgeos *c, shoal_zg *z)
{
  if (z)
    GEOSGeom_destroy_r(c->h, (GEOSGeometry *)(void *)z);
}

bool shoal_zgeos_is_empty(shoal_zgeos *c, const shoal_zg *z)
{
  return !z || GEOSisEmpty_r(c->h, G(z)) != 0;
}

static GEOSGeometry *empty(shoal_zgeos *c, int dim)
{
  return dim == 2 ? GEOSGeom_createEmptyPolygon_r(c->h) : GEOSGeom_createEmptyLineString_r(c->h);
}

/* A coordinate sequence of part p of g, closed when ring is set. */
static GEOSCoordSequence *part_seq(shoal_zgeos *c, const shoal_geom *g, size_t p, bool ring)
{
  size_t n = shoal_geom_part_len(g, p);
  const double *xy = g->xy + 2 * g->parts[p];
  bool open = ring && (xy[0] != xy[2 * n - 2] || xy[1] != xy[2 * n - 1]);
  GEOSCoordSequence *s = GEOSCoordSeq_create_r(c->h, (unsigned)(n + open), 2);
  if (!s)
    return NULL;
  for (size_t i = 0; i < n; i++)
    GEOSCoordSeq_setXY_r(c->h, s, (unsigned)i, xy[2 * i], xy[2 * i + 1]);
  if (open)
    GEOSCoordSeq_setXY_r(c->h, s, (unsigned)n, xy[0], xy[1]);
  return s;
}

/* The polygon of one ring, made valid when it crosses itself; NULL when degenerate. */
static GEOSGeometry *ring_polygon(shoal_zgeos *c, const shoal_geom *g, size_t p)
{
  if (shoal_geom_part_len(g, p) < 3)
    return NULL;
  GEOSCoordSequence *s = part_seq(c, g, p, true);
  GEOSGeometry *r = s ? GEOSGeom_createLinearRing_r(c->h, s) : NULL;
  GEOSGeometry *poly = r ? GEOSGeom_createPolygon_r(c->h, r, NULL, 0) : NULL;
  if (poly && GEOSisValid_r(c->h, poly) != 1) {
    /* A zero buffer repairs a ring that crosses itself (small loops at cusps of a refined
     * limit) in near-linear time; GEOSMakeValid can take minutes on a long refined ring. */
    GEOSGeometry *v = GEOSBuffer_r(c->h, poly, 0.0, 8);
    GEOSGeom_destroy_r(c->h, poly);
    poly = v;
  }
  return poly;
}

/* The polygons of gs[0..n) as one multipolygon (gs consumed), when it is valid as it is: land
 * polygons are mostly disjoint islands, and checking that is far cheaper than a union, which
 * nodes every ring against every other. NULL (gs untouched) when it is not. */
static GEOSGeometry *disjoint_polygons(shoal_zgeos *c, GEOSGeometry **gs, size_t n)
{
  size_t np = 0, k = 0;
  for (size_t i = 0; i < n; i++) {
    int t = GEOSGeomTypeId_r(c->h, gs[i]);
    if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON)
      return NULL;
    np += (size_t)GEOSGetNumGeometries_r(c->h, gs[i]);
  }
  GEOSGeometry **ps = calloc(np ? np : 1, sizeof *ps);
  for (size_t i = 0; ps && i < n; i++)
    for (int j = 0; j < GEOSGetNumGeometries_r(c->h, gs[i]); j++)
      ps[k++] = GEOSGeom_clone_r(c->h, GEOSGetGeometryN_r(c->h, gs[i], j));
  GEOSGeometry *m =
      ps ? GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOLYGON, ps, (unsigned)k) : NULL;
  free(ps);
  if (m && GEOSisValid_r(c->h, m) == 1) {
    for (size_t i = 0; i < n; i++)
      GEOSGeom_destroy_r(c->h, gs[i]);
    return m;
  }
  if (m)
    GEOSGeom_destroy_r(c->h, m);
  return NULL;
}

/* Union of the given geometries (consumed). */
static GEOSGeometry *union_of(shoal_zgeos *c, GEOSGeometry **gs, size_t n, int dim)
{
  if (n == 0)
    return empty(c, dim);
  GEOSGeometry *d = dim == 2 && n > 1 ? disjoint_polygons(c, gs, n) : NULL;
  if (d)
    return d;
  GEOSGeometry *coll = GEOSGeom_createCollection_r(c->h, GEOS_GEOMETRYCOLLECTION, gs, (unsigned)n);
  if (!coll) {
    for (size_t i = 0; i < n; i++)
      GEOSGeom_destroy_r(c->h, gs[i]);
    return NULL;
  }
  GEOSGeometry *u = GEOSUnaryUnion_r(c->h, coll);
  GEOSGeom_destroy_r(c->h, coll);
  return u;
}

static GEOSGeometry *polygons_from(shoal_zgeos *c, const shoal_geom *g)
{
  GEOSGeometry **outer = calloc(g->nparts + 1, sizeof *outer);
  GEOSGeometry **holes = calloc(g->nparts + 1, sizeof *holes);
  size_t no = 0, nh = 0;
  bool any_cw = false;
  for (size_t p = 0; p < g->nparts; p++)
    any_cw = any_cw || shoal_geom_ring_area2(g, p) < 0;
  GEOSGeometry *res = NULL;
  if (!outer || !holes)
    goto done;
  for (size_t p = 0; p < g->nparts; p++) {
    GEOSGeometry *poly = ring_polygon(c, g, p);
    if (!poly)
      continue;
    if (!any_cw || shoal_geom_ring_area2(g, p) < 0)
      outer[no++] = poly;
    else
      holes[nh++] = poly;
  }
  GEOSGeometry *uo = union_of(c, outer, no, 2), *uh = union_of(c, holes, nh, 2);
  no = nh = 0;
  if (uo && uh)
    res = GEOSDifference_r(c->h, uo, uh);
  if (uo)
    GEOSGeom_destroy_r(c->h, uo);
  if (uh)
    GEOSGeom_destroy_r(c->h, uh);
done:
  for (size_t i = 0; i < no; i++)
    GEOSGeom_destroy_r(c->h, outer[i]);
  for (size_t i = 0; i < nh; i++)
    GEOSGeom_destroy_r(c->h, holes[i]);
  free(outer);
  free(holes);
  return res;
}

static GEOSGeometry *lines_from(shoal_zgeos *c, const shoal_geom *g)
{
  GEOSGeometry **ls = calloc(g->nparts + 1, sizeof *ls);
  size_t n = 0;
  if (!ls)
    return NULL;
  for (size_t p = 0; p < g->nparts; p++) {
    if (shoal_geom_part_len(g, p) < 2)
      continue;
    GEOSCoordSequence *s = part_seq(c, g, p, false);
    GEOSGeometry *l = s ? GEOSGeom_createLineString_r(c->h, s) : NULL;
    if (l)
      ls[n++] = l;
  }
  GEOSGeometry *m = GEOSGeom_createCollection_r(c->h, GEOS_MULTILINESTRING, ls, (unsigned)n);
  if (!m)
    for (size_t i = 0; i < n; i++)
      GEOSGeom_destroy_r(c->h, ls[i]);
  free(ls);
  return m;
}

shoal_zg *shoal_zgeos_from(shoal_zgeos *c, const shoal_geom *g)
{
  if (g->kind == SHOAL_GEOM_POLYGON)
    return Z(polygons_from(c, g));
  return Z(lines_from(c, g));
}

/* Append one ring or line, oriented clockwise (cw 1), counter-clockwise (cw -1) or as is. */
static bool add_seq(shoal_zgeos *c, const GEOSGeometry *line, shoal_geom *out, int cw)
{
  const GEOSCoordSequence *s = GEOSGeom_getCoordSeq_r(c->h, line);
  unsigned n = 0;
  if (!s || !GEOSCoordSeq_getSize_r(c->h, s, &n) || n < 2)
    return true;
  size_t base = out->npts;
  if (!shoal_geom_begin_part(out))
    return false;
  for (unsigned i = 0; i < n; i++) {
    double x, y;
    GEOSCoordSeq_getXY_r(c->h, s, i, &x, &y);
    if (!shoal_geom_add(out, x, y))
      return false;
  }
  double a2 = shoal_geom_ring_area2(out, out->nparts - 1);
  if ((cw > 0 && a2 > 0) || (cw < 0 && a2 < 0))
    for (size_t i = base, j = out->npts - 1; i < j; i++, j--) {
      double tx = out->xy[2 * i], ty = out->xy[2 * i + 1];
      out->xy[2 * i] = out->xy[2 * j];
      out->xy[2 * i + 1] = out->xy[2 * j + 1];
      out->xy[2 * j] = tx;
      out->xy[2 * j + 1] = ty;
    }
  return true;
}

static bool to_rec(shoal_zgeos *c, const GEOSGeometry *g, shoal_geom *out)
{
  int t = GEOSGeomTypeId_r(c->h, g);
  if (t == GEOS_POLYGON && out->kind == SHOAL_GEOM_POLYGON) {
    if (!add_seq(c, GEOSGetExteriorRing_r(c->h, g), out, 1))
      return false;
    int nh = GEOSGetNumInteriorRings_r(c->h, g);
    for (int i = 0; i < nh; i++)
      if (!add_seq(c, GEOSGetInteriorRingN_r(c->h, g, i), out, -1))
        return false;
  } else if ((t == GEOS_LINESTRING || t == GEOS_LINEARRING) && out->kind == SHOAL_GEOM_LINE) {
    return add_seq(c, g, out, 0);
  } else if (t == GEOS_MULTIPOLYGON || t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
    int n = GEOSGetNumGeometries_r(c->h, g);
    for (int i = 0; i < n; i++)
      if (!to_rec(c, GEOSGetGeometryN_r(c->h, g, i), out))
        return false;
  }
  return true;
}

bool shoal_zgeos_to(shoal_zgeos *c, const shoal_zg *z, shoal_geom *out)
{
  shoal_geom_clear(out);
  return !z || to_rec(c, G(z), out);
}

/* Collect the parts of g of dimension dim (clones) into arr. */
static bool collect_dim(shoal_zgeos *c, const GEOSGeometry *g, int dim, GEOSGeometry ***arr,
                        size_t *n, size_t *cap)
{
  int t = GEOSGeomTypeId_r(c->h, g);
  if (t == GEOS_MULTIPOLYGON || t == GEOS_MULTILINESTRING || t == GEOS_GEOMETRYCOLLECTION) {
    int k = GEOSGetNumGeometries_r(c->h, g);
    for (int i = 0; i < k; i++)
      if (!collect_dim(c, GEOSGetGeometryN_r(c->h, g, i), dim, arr, n, cap))
        return false;
    return true;
  }
  bool want = dim == 2 ? t == GEOS_POLYGON : (t == GEOS_LINESTRING || t == GEOS_LINEARRING);
  if (!want || GEOSisEmpty_r(c->h, g))
    return true;
  if (!SHOAL_GROW(arr, cap, *n + 1, 16, (size_t)1 << 28))
    return false;
  (*arr)[(*n)++] = GEOSGeom_clone_r(c->h, g);
  return true;
}

/* g (consumed) reduced to its parts of dimension dim, as one multi-geometry. */
static GEOSGeometry *keep_dim(shoal_zgeos *c, GEOSGeometry *g, int dim)
{
  if (!g)
    return NULL;
  int t = GEOSGeomTypeId_r(c->h, g);
  if ((dim == 2 && (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)) ||
      (dim == 1 && (t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING)))
    return g;
  GEOSGeometry **arr = NULL;
  size_t n = 0, cap = 0;
  bool ok = collect_dim(c, g, dim, &arr, &n, &cap);
  GEOSGeom_destroy_r(c->h, g);
  GEOSGeometry *m = NULL;
  if (ok)
    m = GEOSGeom_createCollection_r(c->h, dim == 2 ? GEOS_MULTIPOLYGON : GEOS_MULTILINESTRING, arr,
                                    (unsigned)n);
  if (!m)
    for (size_t i = 0; i < n; i++)
      GEOSGeom_destroy_r(c->h, arr[i]);
  free(arr);
  return m;
}

static int dim_of(shoal_zgeos *c, const shoal_zg *z)
{
  return z ? GEOSGeom_getDimensions_r(c->h, G(z)) : 2;
}

shoal_zg *shoal_zgeos_op(shoal_zgeos *c, shoal_zgeos_opkind op, const shoal_zg *a,
                         const shoal_zg *b)
{
  int dim = dim_of(c, a) >= 2 ? 2 : 1;
  if (!a || GEOSisEmpty_r(c->h, G(a))) {
    if (op == SHOAL_ZG_UNION && b)
      return shoal_zgeos_clone(c, b);
    return Z(empty(c, dim));
  }
  if (!b || GEOSisEmpty_r(c->h, G(b)))
    return op == SHOAL_ZG_INTERSECTION ? Z(empty(c, dim)) : shoal_zgeos_clone(c, a);
  GEOSGeometry *r = op == SHOAL_ZG_INTERSECTION ? GEOSIntersection_r(c->h, G(a), G(b))
                    : op == SHOAL_ZG_DIFFERENCE ? GEOSDifference_r(c->h, G(a), G(b))
                                                : GEOSUnion_r(c->h, G(a), G(b));
  return Z(keep_dim(c, r, dim));
}

shoal_zg *shoal_zgeos_buffer(shoal_zgeos *c, const shoal_zg *z, double dist, int quadsegs)
{
  return Z(keep_dim(c, GEOSBuffer_r(c->h, G(z), dist, quadsegs), 2));
}

shoal_zg *shoal_zgeos_simplify(shoal_zgeos *c, const shoal_zg *z, double tol)
{
  return Z(GEOSTopologyPreserveSimplify_r(c->h, G(z), tol));
}

shoal_zg *shoal_zgeos_clip_box(shoal_zgeos *c, const shoal_zg *z, const double b[4])
{
  int dim = dim_of(c, z) >= 2 ? 2 : 1;
  return Z(keep_dim(c, GEOSClipByRect_r(c->h, G(z), b[0], b[1], b[2], b[3]), dim));
}

shoal_zg *shoal_zgeos_voronoi_edges(shoal_zgeos *c, const double *xy, size_t n, const double env[4])
{
  GEOSGeometry **pts = calloc(n + 1, sizeof *pts);
  if (!pts)
    return NULL;
  for (size_t i = 0; i < n; i++)
    pts[i] = GEOSGeom_createPointFromXY_r(c->h, xy[2 * i], xy[2 * i + 1]);
  GEOSGeometry *mp = GEOSGeom_createCollection_r(c->h, GEOS_MULTIPOINT, pts, (unsigned)n);
  free(pts);
  GEOSGeometry *box = GEOSGeom_createRectangle_r(c->h, env[0], env[1], env[2], env[3]);
  GEOSGeometry *v = mp && box ? GEOSVoronoiDiagram_r(c->h, mp, box, 0.0, 1) : NULL;
  if (mp)
    GEOSGeom_destroy_r(c->h, mp);
  if (box)
    GEOSGeom_destroy_r(c->h, box);
  return Z(keep_dim(c, v, 1));
}

shoal_zg *shoal_zgeos_merge_lines(shoal_zgeos *c, const shoal_zg *lines)
{
  return Z(keep_dim(c, GEOSLineMerge_r(c->h, G(lines)), 1));
}

shoal_zg *shoal_zgeos_clone(shoal_zgeos *c, const shoal_zg *z)
{
  return Z(GEOSGeom_clone_r(c->h, G(z)));
}

bool shoal_zgeos_bbox(shoal_zgeos *c, const shoal_zg *z, double b[4])
{
  if (!z || GEOSisEmpty_r(c->h, G(z)))
    return false;
  return GEOSGeom_getExtent_r(c->h, G(z), &b[0], &b[1], &b[2], &b[3]) != 0;
}

/* The union of faces that tile without overlap (consumed): a coverage union only dissolves
 * their shared edges, where an overlay would node them all again; an overlay union is the
 * fallback should the faces not match edge for edge. */
static GEOSGeometry *union_faces(shoal_zgeos *c, GEOSGeometry **fs, size_t n)
{
  if (n == 0)
    return NULL;
  GEOSGeometry *coll = GEOSGeom_createCollection_r(c->h, GEOS_GEOMETRYCOLLECTION, fs, (unsigned)n);
  if (!coll) {
    for (size_t i = 0; i < n; i++)
      GEOSGeom_destroy_r(c->h, fs[i]);
    return NULL;
  }
  GEOSGeometry *u = GEOSCoverageUnion_r(c->h, coll);
  if (!u || GEOSisValid_r(c->h, u) != 1) {
    if (u)
      GEOSGeom_destroy_r(c->h, u);
    u = GEOSUnaryUnion_r(c->h, coll);
  }
  GEOSGeom_destroy_r(c->h, coll);
  return u ? keep_dim(c, u, 2) : NULL;
}

bool shoal_zgeos_split(shoal_zgeos *c, const shoal_zg *poly, const shoal_zg *lines,
                       int (*side)(void *ctx, double x, double y), void *ctx, shoal_zg *out[2])
{
  out[0] = out[1] = NULL;
  GEOSGeometry *bd = GEOSBoundary_r(c->h, G(poly));
  GEOSGeometry *noded = bd && lines ? GEOSUnion_r(c->h, bd, G(lines)) : NULL;
  const GEOSGeometry *in[1] = {noded};
  GEOSGeometry *faces = noded ? GEOSPolygonize_r(c->h, in, 1) : NULL;
  const GEOSPreparedGeometry *pp = faces ? GEOSPrepare_r(c->h, G(poly)) : NULL;
  int n = pp ? GEOSGetNumGeometries_r(c->h, faces) : 0;
  GEOSGeometry **fs = pp ? calloc(2 * (size_t)n + 2, sizeof *fs) : NULL;
  size_t k[2] = {0, 0};
  bool ok = fs != NULL;
  for (int i = 0; ok && i < n; i++) {
    const GEOSGeometry *f = GEOSGetGeometryN_r(c->h, faces, i);
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, f);
    double x, y;
    if (pt && GEOSGeomGetX_r(c->h, pt, &x) && GEOSGeomGetY_r(c->h, pt, &y) &&
        GEOSPreparedContains_r(c->h, pp, pt) == 1) {
      int s = side(ctx, x, y) ? 1 : 0;
      GEOSGeometry *cf = GEOSGeom_clone_r(c->h, f);
      ok = cf != NULL;
      if (ok)
        fs[s * ((size_t)n + 1) + k[s]++] = cf;
    }
    if (pt)
      GEOSGeom_destroy_r(c->h, pt);
  }
  for (int s = 0; s < 2; s++) {
    GEOSGeometry **part = fs ? fs + s * ((size_t)n + 1) : NULL;
    if (ok && k[s]) {
      out[s] = Z(union_faces(c, part, k[s]));
      ok = out[s] != NULL;
    } else
      for (size_t i = 0; part && i < k[s]; i++)
        GEOSGeom_destroy_r(c->h, part[i]);
  }
  free(fs);
  if (pp)
    GEOSPreparedGeom_destroy_r(c->h, pp);
  if (faces)
    GEOSGeom_destroy_r(c->h, faces);
  if (noded)
    GEOSGeom_destroy_r(c->h, noded);
  if (bd)
    GEOSGeom_destroy_r(c->h, bd);
  if (!ok)
    for (int s = 0; s < 2; s++) {
      if (out[s])
        GEOSGeom_destroy_r(c->h, (GEOSGeometry *)(void *)out[s]);
      out[s] = NULL;
    }
  return ok;
}

shoal_zg *shoal_zgeos_transform(shoal_zgeos *c, const shoal_zg *z,
                                int (*fn)(double *x, double *y, void *ctx), void *ctx)
{
  return Z(GEOSGeom_transformXY_r(c->h, G(z), fn, ctx));
}

unsigned char *shoal_zgeos_wkb(shoal_zgeos *c, const shoal_zg *z, size_t *len)
{
  GEOSWKBWriter *w = GEOSWKBWriter_create_r(c->h);
  if (!w)
    return NULL;
  unsigned char *g = GEOSWKBWriter_write_r(c->h, w, G(z), len);
  GEOSWKBWriter_destroy_r(c->h, w);
  if (!g)
    return NULL;
  /* Copy into malloc'd memory so the blob outlives the context that wrote it. */
  unsigned char *m = malloc(*len ? *len : 1);
  if (m)
    memcpy(m, g, *len);
  GEOSFree_r(c->h, g);
  return m;
}

shoal_zg *shoal_zgeos_from_wkb(shoal_zgeos *c, const unsigned char *wkb, size_t len)
{
  GEOSWKBReader *r = GEOSWKBReader_create_r(c->h);
  if (!r)
    return NULL;
  GEOSGeometry *g = GEOSWKBReader_read_r(c->h, r, wkb, len);
  GEOSWKBReader_destroy_r(c->h, r);
  return Z(g);
}

shoal_zg *shoal_zgeos_buffer_each(shoal_zgeos *c, const shoal_zg *z, double dist, int quadsegs)
{
  int n = GEOSGetNumGeometries_r(c->h, G(z));
  if (n <= 1)
    return shoal_zgeos_buffer(c, z, dist, quadsegs);
  GEOSGeometry **parts = calloc((size_t)n, sizeof *parts);
  if (!parts)
    return NULL;
  int k = 0;
  for (int i = 0; i < n; i++) {
    GEOSGeometry *b = GEOSBuffer_r(c->h, GEOSGetGeometryN_r(c->h, G(z), i), dist, quadsegs);
    if (b)
      parts[k++] = b;
  }
  /* A cascaded union of the parts' buffers: far cheaper than buffering thousands of islands
   * at once, whose offset curves all cross each other at a large distance. */
  GEOSGeometry *u = union_of(c, parts, (size_t)k, 2);
  free(parts);
  return Z(keep_dim(c, u, 2));
}

shoal_zg *shoal_zgeos_union_all(shoal_zgeos *c, shoal_zg **zs, size_t n)
{
  GEOSGeometry **gs = calloc(n ? n : 1, sizeof *gs);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (gs && zs[i])
      gs[k++] = (GEOSGeometry *)(void *)zs[i];
    else if (zs[i])
      GEOSGeom_destroy_r(c->h, (GEOSGeometry *)(void *)zs[i]);
    zs[i] = NULL;
  }
  GEOSGeometry *u = gs ? union_of(c, gs, k, 2) : NULL;
  free(gs);
  return u ? Z(keep_dim(c, u, 2)) : NULL;
}

shoal_zg *shoal_zgeos_faces(shoal_zgeos *c, const shoal_zg *lines,
                            int (*keep)(void *ctx, double x, double y), void *ctx)
{
  /* Vertices a refined limit piles up within a metre of where two arcs meet would cross each
   * other by the thousand and make noding blow up; a metre is far below the tolerance. */
  GEOSGeometry *thin = GEOSSimplify_r(c->h, G(lines), 1e-5);
  GEOSGeometry *noded = thin ? GEOSUnaryUnion_r(c->h, thin) : NULL;
  if (thin)
    GEOSGeom_destroy_r(c->h, thin);
  const GEOSGeometry *in[1] = {noded};
  GEOSGeometry *faces = noded ? GEOSPolygonize_r(c->h, in, 1) : NULL;
  int n = faces ? GEOSGetNumGeometries_r(c->h, faces) : 0;
  GEOSGeometry **fs = faces ? calloc((size_t)n + 1, sizeof *fs) : NULL;
  size_t k = 0;
  bool ok = fs != NULL;
  for (int i = 0; ok && i < n; i++) {
    const GEOSGeometry *f = GEOSGetGeometryN_r(c->h, faces, i);
    GEOSGeometry *pt = GEOSPointOnSurface_r(c->h, f);
    double x, y;
    ok = pt && GEOSGeomGetX_r(c->h, pt, &x) && GEOSGeomGetY_r(c->h, pt, &y);
    if (ok && keep(ctx, x, y))
      ok = (fs[k++] = GEOSGeom_clone_r(c->h, f)) != NULL;
    if (pt)
      GEOSGeom_destroy_r(c->h, pt);
  }
  GEOSGeometry *u = NULL;
  if (ok)
    u = k ? union_faces(c, fs, k) : GEOSGeom_createEmptyPolygon_r(c->h);
  else
    for (size_t i = 0; fs && i < k; i++)
      if (fs[i])
        GEOSGeom_destroy_r(c->h, fs[i]);
  free(fs);
  if (faces)
    GEOSGeom_destroy_r(c->h, faces);
  if (noded)
    GEOSGeom_destroy_r(c->h, noded);
  return Z(u);
}
