/* Reading a polygon with its giant rings culled against a box (shoal_source_read_culled): from
 * the chunk index (.scx, shpchunk.c) only the chunks whose boxes meet the box are read from the
 * .shp, and the others become the stand-ins data/cull.c would make, from the chunk ends the
 * index keeps. The result is the very geometry of a whole read followed by shoal_cull_rings;
 * without an index, or when anything in the record disagrees with it, that is what is done. */
#include "data/shp_priv.h"
#include "data/cull.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum { CH_OK, CH_NOMEM, CH_WHOLE } ch_result; /* CH_WHOLE: read it the ordinary way */

/* One record being read: its vertices' place in the .shp and the box every vertex must lie in
 * (with copy_shape's tolerance). */
typedef struct ch_rec {
  int fd;
  unsigned long long xyoff; /* file offset of the record's first vertex */
  double box[4], tx, ty;
} ch_rec;

static bool host_le(void)
{
  const uint16_t one = 1;
  unsigned char c;
  memcpy(&c, &one, 1);
  return c == 1;
}

/* Append vertices first .. first + n - 1 of the record to g's current part. */
static ch_result read_range(const ch_rec *r, size_t first, size_t n, shoal_geom *g)
{
  if (!shoal_geom_reserve(g, g->npts + n))
    return CH_NOMEM;
  double *xy = g->xy + 2 * g->npts;
  size_t bytes = 16 * n;
  if (pread(r->fd, xy, bytes, (off_t)(r->xyoff + 16 * first)) != (ssize_t)bytes)
    return CH_WHOLE;
  if (!host_le())
    for (size_t i = 0; i < 2 * n; i++)
      xy[i] = shoal_shp_lef64((const unsigned char *)(xy + i));
  for (size_t i = 0; i < n; i++) {
    double x = xy[2 * i], y = xy[2 * i + 1];
    if (!isfinite(x) || !isfinite(y) || x < r->box[0] - r->tx || x > r->box[2] + r->tx ||
        y < r->box[1] - r->ty || y > r->box[3] + r->ty)
      return CH_WHOLE; /* the ordinary read says what is wrong */
  }
  g->npts += n;
  g->parts[g->nparts] = g->npts;
  return CH_OK;
}

/* Append vertex v of the index (16 bytes), clamped onto q when clamp. */
static bool put_vertex(shoal_geom *g, const unsigned char *v, const double q[4], bool clamp)
{
  double x = shoal_shp_lef64(v), y = shoal_shp_lef64(v + 8);
  if (clamp) {
    x = x < q[0] ? q[0] : x > q[2] ? q[2] : x;
    y = y < q[1] ? q[1] : y > q[3] ? q[3] : y;
  }
  return shoal_geom_add(g, x, y);
}

/* Ring of n vertices starting at vertex first of the record, whose chunk data is at data:
 * the vertices cull.c's cull_ring keeps, read from the .shp a run of kept chunks at a time,
 * and its stand-ins from the index. */
static ch_result read_ring(const ch_rec *r, size_t first, size_t n, const unsigned char *data,
                           const double q[4], shoal_geom *g)
{
  size_t nseg = n - 1, nfull = nseg / SHOAL_CULL_CHUNK;
  const unsigned char *verts = data + 32 * nfull;
  size_t r0 = 0; /* the pending run of kept vertices r0 .. a (none while out) */
  bool out = false;
  ch_result res = CH_OK;
  for (size_t k = 0, a = 0; a < nseg && res == CH_OK; k++, a += SHOAL_CULL_CHUNK) {
    const unsigned char *b = data + 32 * k;
    bool miss = k < nfull && (shoal_shp_lef64(b + 16) < q[0] || shoal_shp_lef64(b) > q[2] ||
                              shoal_shp_lef64(b + 24) < q[1] || shoal_shp_lef64(b + 8) > q[3]);
    if (!miss) {
      if (out) /* back from a run: the kept run starts where it ends */
        r0 = a;
      out = false;
      continue;
    }
    if (!out && (res = read_range(r, first + r0, a - r0 + 1, g)) != CH_OK)
      break;
    if ((!out && !put_vertex(g, verts + 16 * k, q, true)) ||
        !put_vertex(g, verts + 16 * (k + 1), q, true))
      res = CH_NOMEM;
    out = true;
  }
  if (res != CH_OK)
    return res;
  if (!out) /* the last run of kept chunks, up to the ring's last vertex */
    return read_range(r, first + r0, nseg - r0 + 1, g);
  /* the ring ends in a run: close it on its last vertex, a chunk end */
  return put_vertex(g, verts + 16 * nfull, q, false) ? CH_OK : CH_NOMEM;
}

/* The index's entries of record id: *e0 and *ne; false when it has none. */
static bool find_rings(const shoal_source *s, int id, size_t *e0, size_t *ne)
{
  size_t lo = 0, hi = s->scx_nrings;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if ((int32_t)shoal_shp_le32(s->scx + SHP_SCX_HEAD + mid * SHP_SCX_ENTRY) < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  size_t end = lo;
  while (end < s->scx_nrings &&
         (int32_t)shoal_shp_le32(s->scx + SHP_SCX_HEAD + end * SHP_SCX_ENTRY) == id)
    end++;
  *e0 = lo;
  *ne = end - lo;
  return end > lo;
}

/* The record's header and part table (np starts, the last followed by nv), checked as
 * copy_shape and record_why check them; false when anything is off. */
static bool read_head(const shoal_source *s, int id, ch_rec *r, uint32_t **parts, size_t *np)
{
  unsigned char h[44];
  unsigned long long off = s->shp->panRecOffset[id] + 8;
  size_t size = s->shp->panRecSize[id];
  if (size < 44 || pread(s->fd, h, 44, (off_t)off) != 44 ||
      shoal_shp_kind_of((int)shoal_shp_le32(h)) != s->kind)
    return false;
  for (int i = 0; i < 4; i++)
    r->box[i] = shoal_shp_lef64(h + 4 + 8 * i);
  uint32_t n = shoal_shp_le32(h + 36), nv = shoal_shp_le32(h + 40);
  if (n == 0 || n > SHOAL_GEOM_MAX_POINTS || nv > SHOAL_GEOM_MAX_POINTS ||
      44 + 4ull * n + 16ull * nv > size || !isfinite(r->box[0]) || !isfinite(r->box[1]) ||
      !isfinite(r->box[2]) || !isfinite(r->box[3]))
    return false;
  uint32_t *p = malloc(4 * ((size_t)n + 1));
  if (!p || pread(s->fd, p, 4 * (size_t)n, (off_t)(off + 44)) != (ssize_t)(4 * n)) {
    free(p);
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    p[i] = shoal_shp_le32((const unsigned char *)(p + i));
    if ((i == 0 && p[i] != 0) || (i > 0 && p[i] < p[i - 1]) || p[i] > nv) {
      free(p);
      return false;
    }
  }
  p[n] = nv;
  r->fd = s->fd;
  r->xyoff = off + 44 + 4ull * n;
  r->tx = 1e-9 * (fabs(r->box[0]) + fabs(r->box[2]) + 1);
  r->ty = 1e-9 * (fabs(r->box[1]) + fabs(r->box[3]) + 1);
  *parts = p;
  *np = n;
  return true;
}

/* Record id through the index (entries e0 .. e0 + ne - 1). */
static ch_result read_indexed(const shoal_source *s, int id, size_t e0, size_t ne,
                              const double q[4], shoal_geom *g)
{
  ch_rec r;
  uint32_t *parts;
  size_t np;
  if (!read_head(s, id, &r, &parts, &np))
    return CH_WHOLE;
  const unsigned char *data = s->scx + SHP_SCX_HEAD + s->scx_nrings * SHP_SCX_ENTRY;
  size_t e = e0;
  ch_result res = CH_OK;
  for (size_t p = 0; p < np && res == CH_OK; p++) {
    size_t a = parts[p], n = parts[p + 1] - a;
    const unsigned char *ent = s->scx + SHP_SCX_HEAD + e * SHP_SCX_ENTRY;
    bool giant = e < e0 + ne && shoal_shp_le32(ent + 4) == a;
    if (giant && shoal_shp_le32(ent + 8) != n)
      res = CH_WHOLE;
    else if (!shoal_geom_begin_part(g))
      res = CH_NOMEM;
    else if (giant)
      res = read_ring(&r, a, n, data + shoal_shp_le64(ent + 16), q, g);
    else if (n > 0)
      res = read_range(&r, a, n, g);
    e += giant;
    shoal_geom_end_part(g, 1);
  }
  free(parts);
  return res == CH_OK && e != e0 + ne ? CH_WHOLE : res;
}

/* The part starts of the record in buf (np of them, then nv); false when out of order. */
static bool direct_parts(const unsigned char *buf, uint32_t *parts, size_t np, size_t nv)
{
  for (size_t i = 0; i < np; i++) {
    parts[i] = shoal_shp_le32(buf + 44 + 4 * i);
    if ((i == 0 && parts[i] != 0) || (i > 0 && parts[i] < parts[i - 1]) || parts[i] > nv)
      return false;
  }
  parts[np] = (uint32_t)nv;
  return true;
}

/* Do all n vertices lie within lo .. hi (finite)? A NaN or infinity fails the compares too.
 * No early exit and no branch: a valid record is read to its end anyway, and this way the
 * loop is a few instructions a vertex. */
static bool all_inside(const double *xy, size_t n, const double lo[2], const double hi[2])
{
  int ok = 1;
  for (size_t i = 0; i < n; i++) {
    double x = xy[2 * i], y = xy[2 * i + 1];
    ok &= (x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]);
  }
  return ok;
}

int shoal_shp_read_direct(const shoal_source *s, int id, const unsigned char *from, shoal_geom *g)
{
  size_t size = s->shp->panRecSize[id];
  if ((s->kind != SHOAL_GEOM_POLYGON && s->kind != SHOAL_GEOM_LINE) || size < 44 ||
      size / 16 >= SHOAL_GEOM_MAX_POINTS)
    return SHP_DIRECT_NO;
  /* The record is read into the vertex buffer itself and its vertices moved to its start:
   * one read, no second copy of a big coast. */
  if (!shoal_geom_reserve(g, size / 16 + 2))
    return SHP_DIRECT_NOMEM;
  const unsigned char *rec = from ? from : (const unsigned char *)g->xy, *buf = rec + 8;
  /* With the record's own header, whose length must be the .shx's (as record_why checks). */
  if ((!from &&
       pread(s->fd, g->xy, size + 8, (off_t)s->shp->panRecOffset[id]) != (ssize_t)(size + 8)) ||
      ((uint32_t)rec[4] << 24 | (uint32_t)rec[5] << 16 | (uint32_t)rec[6] << 8 | rec[7]) * 2ull !=
          size)
    return SHP_DIRECT_NO;
  int t = (int)shoal_shp_le32(buf);
  size_t np = shoal_shp_le32(buf + 36), nv = shoal_shp_le32(buf + 40);
  ch_rec r;
  for (int i = 0; i < 4; i++)
    r.box[i] = shoal_shp_lef64(buf + 4 + 8 * i);
  /* Z and M records, and anything odd, are left to shapelib and copy_shape's messages. */
  if ((t != SHPT_POLYGON && t != SHPT_ARC) || shoal_shp_kind_of(t) != s->kind || np == 0 ||
      nv == 0 || np > size / 4 || nv > size / 16 || 44 + 4 * np + 16 * nv > size ||
      !isfinite(r.box[0]) || !isfinite(r.box[1]) || !isfinite(r.box[2]) || !isfinite(r.box[3]))
    return SHP_DIRECT_NO;
  uint32_t small[64], *parts = np < 64 ? small : malloc(4 * (np + 1));
  if (!parts)
    return SHP_DIRECT_NOMEM;
  int res = SHP_DIRECT_NO;
  if (direct_parts(buf, parts, np, nv)) {
    memmove(g->xy, buf + 44 + 4 * np, 16 * nv);
    double *xy = g->xy;
    if (!host_le())
      for (size_t i = 0; i < 2 * nv; i++)
        xy[i] = shoal_shp_lef64((const unsigned char *)(xy + i));
    r.tx = 1e-9 * (fabs(r.box[0]) + fabs(r.box[2]) + 1);
    r.ty = 1e-9 * (fabs(r.box[1]) + fabs(r.box[3]) + 1);
    double lo[2] = {r.box[0] - r.tx, r.box[1] - r.ty}, hi[2] = {r.box[2] + r.tx, r.box[3] + r.ty};
    /* Bounds past the doubles' range are left to shapelib, which checks finiteness itself. */
    res = isfinite(lo[0]) && isfinite(lo[1]) && isfinite(hi[0]) && isfinite(hi[1]) &&
                  all_inside(xy, nv, lo, hi)
              ? SHP_DIRECT_OK
              : SHP_DIRECT_NO;
    /* The parts as copy_shape makes them: empty ones dropped. */
    for (size_t p = 0; p < np && res == SHP_DIRECT_OK; p++) {
      g->npts = parts[p];
      if (!shoal_geom_begin_part(g)) {
        res = SHP_DIRECT_NOMEM;
        break;
      }
      g->npts = parts[p + 1];
      g->parts[g->nparts] = g->npts;
      shoal_geom_end_part(g, 1);
    }
    g->npts = res == SHP_DIRECT_OK ? nv : 0;
  }
  if (parts != small)
    free(parts);
  if (res != SHP_DIRECT_OK)
    shoal_geom_clear(g);
  return res;
}

bool shoal_shp_has_chunks(const shoal_source *s, int id)
{
  size_t e0, ne;
  return !s->ogr && s->scx && s->kind == SHOAL_GEOM_POLYGON && id >= 0 && id < s->nshapes &&
         find_rings(s, id, &e0, &ne);
}

int shoal_shp_read_chunked(const shoal_source *s, int id, const double q[4], shoal_geom *g)
{
  size_t e0, ne;
  if (!shoal_shp_has_chunks(s, id) || !find_rings(s, id, &e0, &ne))
    return SHP_DIRECT_NO;
  shoal_geom_clear(g);
  g->kind = s->kind;
  ch_result res = read_indexed(s, id, e0, ne, q, g);
  if (res == CH_OK)
    return SHP_DIRECT_OK;
  shoal_geom_clear(g);
  return res == CH_NOMEM ? SHP_DIRECT_NOMEM : SHP_DIRECT_NO;
}

shoal_status shoal_source_read_culled(shoal_source *s, int id, const double q[4], shoal_geom *g)
{
  int res = shoal_shp_read_chunked(s, id, q, g);
  if (res != SHP_DIRECT_NO)
    return res == SHP_DIRECT_OK ? SHOAL_OK : SHOAL_ERR_NOMEM;
  shoal_status st = shoal_source_read(s, id, g);
  if (st == SHOAL_OK)
    shoal_cull_rings(g, q);
  return st;
}
