/* Reading shapes: one record through shapelib under the handle's mutex, copied into a geometry
 * buffer with its parts checked, and the message for a record that cannot be read. */
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Copy one SHPObject into g; SHOAL_ERR_DATA when its parts or coordinates make no sense. */
static shoal_status copy_shape(const shoal_source *s, const SHPObject *o, shoal_geom *g)
{
  if (o->nSHPType == SHPT_NULL)
    return SHOAL_OK;
  /* A record of another (or an unknown) type is damage even when shapelib gives no points. */
  if (shoal_shp_kind_of(o->nSHPType) != s->kind)
    return SHOAL_ERR_DATA;
  if (o->nVertices <= 0)
    return SHOAL_OK;
  if (!o->padfX || !o->padfY)
    return SHOAL_ERR_DATA;
  size_t nv = (size_t)o->nVertices;
  if (!shoal_geom_reserve(g, nv))
    return SHOAL_ERR_NOMEM;
  /* The query trusts each record's box: a vertex outside it would be lost from the map. */
  if (!isfinite(o->dfXMin) || !isfinite(o->dfYMin) || !isfinite(o->dfXMax) || !isfinite(o->dfYMax))
    return SHOAL_ERR_DATA;
  double tx = 1e-9 * (fabs(o->dfXMin) + fabs(o->dfXMax) + 1);
  double ty = 1e-9 * (fabs(o->dfYMin) + fabs(o->dfYMax) + 1);
  for (size_t i = 0; i < nv; i++)
    if (!isfinite(o->padfX[i]) || !isfinite(o->padfY[i]) || o->padfX[i] < o->dfXMin - tx ||
        o->padfX[i] > o->dfXMax + tx || o->padfY[i] < o->dfYMin - ty ||
        o->padfY[i] > o->dfYMax + ty)
      return SHOAL_ERR_DATA;
  if (s->kind == SHOAL_GEOM_POINT) {
    for (size_t i = 0; i < nv; i++)
      if (!shoal_geom_begin_part(g) || !shoal_geom_add(g, o->padfX[i], o->padfY[i]))
        return SHOAL_ERR_NOMEM;
    return SHOAL_OK;
  }
  /* A line or ring record with no part table is one part of all its vertices. */
  int np = o->nParts > 0 && o->panPartStart ? o->nParts : 1;
  for (int p = 0; p < np; p++) {
    long a = o->nParts > 0 && o->panPartStart ? o->panPartStart[p] : 0;
    long b = p + 1 < np ? o->panPartStart[p + 1] : (long)nv;
    if ((p == 0 && a != 0) || a < 0 || a > b || b > (long)nv) /* points before part 1 */
      return SHOAL_ERR_DATA;
    if (!shoal_geom_begin_part(g))
      return SHOAL_ERR_NOMEM;
    for (long i = a; i < b; i++)
      if (!shoal_geom_add(g, o->padfX[i], o->padfY[i]))
        return SHOAL_ERR_NOMEM;
    shoal_geom_end_part(g, 1);
  }
  return SHOAL_OK;
}

size_t shoal_source_record_bytes(const shoal_source *s, int id)
{
  if (s->ogr)
    return shoal_ogr_record_bytes(s, id);
  /* The .shx table is filled at open and never written afterwards: no lock needed. */
  return id >= 0 && id < s->nshapes ? s->shp->panRecSize[id] : 0;
}

shoal_status shoal_source_read(shoal_source *s, int id, shoal_geom *g)
{
  if (s->ogr)
    return shoal_ogr_read(s, id, g);
  return shoal_shp_read_rec(s, id, NULL, g);
}

shoal_status shoal_shp_read_rec(shoal_source *s, int id, const unsigned char *rec, shoal_geom *g)
{
  shoal_geom_clear(g);
  g->kind = s->kind;
  if (id < 0 || id >= s->nshapes)
    return SHOAL_ERR_INTERNAL;
  int direct = shoal_shp_read_direct(s, id, rec, g); /* no lock: shpchunkread.c */
  if (direct != SHP_DIRECT_NO)
    return direct == SHP_DIRECT_OK ? SHOAL_OK : SHOAL_ERR_NOMEM;
  pthread_mutex_lock(&s->mu);
  SHPObject *o = SHPReadObject(s->shp, id);
  shoal_status st = o ? copy_shape(s, o, g) : SHOAL_ERR_DATA;
  if (o)
    SHPDestroyObject(o);
  pthread_mutex_unlock(&s->mu);
  if (st != SHOAL_OK)
    shoal_geom_clear(g);
  return st;
}

/* A .shp cut short or rewritten while open (under a running batch) fails reads that worked a
 * moment before: say that it changed, and name the first record it no longer holds. */
static bool changed_why(const shoal_source *s, char *why, size_t n)
{
  struct stat sb;
  if (s->fd < 0 || fstat(s->fd, &sb) != 0 || (unsigned long long)sb.st_size == s->shp_size)
    return false;
  unsigned long long now = (unsigned long long)sb.st_size;
  int gone = -1;
  for (int i = 0; i < s->nshapes && gone < 0; i++)
    if ((unsigned long long)s->shp->panRecOffset[i] + 8 + s->shp->panRecSize[i] > now)
      gone = i;
  int len = snprintf(why, n, "changed while it was being read (%llu bytes when opened, %llu now)",
                     s->shp_size, now);
  if (gone >= 0 && len > 0 && (size_t)len < n)
    snprintf(why + len, n - (size_t)len, ": record %d (shape id %d) is no longer in it", gone + 1,
             gone);
  return true;
}

/* Record contents, little-endian whatever the host. */
static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static double le64f(const unsigned char *p)
{
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  double d;
  memcpy(&d, &v, sizeof d);
  return d;
}

/* What is wrong in the part table and vertices of a PolyLine/Polygon/MultiPoint record r of
 * n content bytes (the type already checked); false when nothing is found. */
static bool parts_why(const unsigned char *r, size_t n, bool multipoint, char *why, size_t wsz)
{
  size_t head = multipoint ? 40 : 44;
  if (n < head) {
    snprintf(why, wsz, "its %zu bytes are too short for the part and point counts", n);
    return true;
  }
  int32_t np = multipoint ? 0 : (int32_t)le32(r + 36);
  int32_t nv = (int32_t)le32(r + head - 4);
  if (np < 0 || nv < 0 || (!multipoint && np == 0 && nv > 0) || (nv == 0 && np > 0)) {
    snprintf(why, wsz, "bad counts: %d parts, %d points", (int)np, (int)nv);
    return true;
  }
  unsigned long long need = head + 4ull * (unsigned)np + 16ull * (unsigned)nv;
  if (need > n) {
    snprintf(why, wsz, "%d parts and %d points need %llu bytes but the record has %zu", (int)np,
             (int)nv, need, n);
    return true;
  }
  for (int32_t p = 0; p < np; p++) {
    int32_t a = (int32_t)le32(r + head + 4 * (size_t)p);
    int32_t prev = p ? (int32_t)le32(r + head + 4 * (size_t)(p - 1)) : 0;
    if (p == 0 && a != 0) {
      snprintf(why, wsz, "part 1 starts at point %d instead of 0", (int)a);
      return true;
    }
    if (a >= nv) {
      snprintf(why, wsz, "part %d starts at point %d, past the end (%d points)", (int)p + 1, (int)a,
               (int)nv);
      return true;
    }
    if (p > 0 && a <= prev) {
      snprintf(why, wsz, "part %d starts at point %d, not after part %d (at point %d)", (int)p + 1,
               (int)a, (int)p, (int)prev);
      return true;
    }
  }
  const unsigned char *xy = r + head + 4 * (size_t)np;
  double box[4] = {le64f(r + 4), le64f(r + 12), le64f(r + 20), le64f(r + 28)};
  if (!isfinite(box[0]) || !isfinite(box[1]) || !isfinite(box[2]) || !isfinite(box[3])) {
    snprintf(why, wsz, "its bounding box is not finite");
    return true;
  }
  for (int32_t i = 0; i < nv; i++) {
    double x = le64f(xy + 16 * (size_t)i), y = le64f(xy + 16 * (size_t)i + 8);
    if (!isfinite(x) || !isfinite(y)) {
      snprintf(why, wsz, "point %d is not a finite number", (int)i + 1);
      return true;
    }
    if (x < box[0] || x > box[2] || y < box[1] || y > box[3]) {
      snprintf(why, wsz, "point %d (%g, %g) lies outside the record's bounding box", (int)i + 1, x,
               y);
      return true;
    }
  }
  return false;
}

/* Why record id cannot be read, from its bytes in the .shp; false when no reason is found. */
static bool record_why(const shoal_source *s, int id, char *why, size_t wsz)
{
  unsigned long long off = s->shp->panRecOffset[id];
  size_t size = s->shp->panRecSize[id];
  if (size > ((size_t)256 << 20))
    return false;
  unsigned char *r = malloc(size + 8);
  bool found = true;
  if (!r || pread(s->fd, r, size + 8, (off_t)off) != (ssize_t)(size + 8)) {
    found = false;
  } else if ((((uint32_t)r[4] << 24 | (uint32_t)r[5] << 16 | (uint32_t)r[6] << 8 | r[7]) * 2ull !=
              size) ||
             size < 4) {
    snprintf(why, wsz, "the .shx and the .shp disagree about its length (the .shx is wrong?)");
  } else {
    int t = (int)le32(r + 8);
    const char *tn = shoal_shp_type_name(t);
    if (t != SHPT_NULL && shoal_shp_kind_of(t) != s->kind)
      snprintf(why, wsz, "shape type %d (%s) in a file whose header says %s", t,
               tn ? tn : "unknown", shoal_shp_type_name(s->shptype));
    else if (t == SHPT_NULL)
      found = false;
    else if (s->kind == SHOAL_GEOM_POINT && t != SHPT_MULTIPOINT && t != SHPT_MULTIPOINTZ &&
             t != SHPT_MULTIPOINTM)
      found = false; /* a point has nothing that can be out of place but its length */
    else
      found = parts_why(r + 8, size, s->kind == SHOAL_GEOM_POINT, why, wsz);
  }
  free(r);
  return found;
}

void shoal_source_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d)
{
  if (s->ogr) {
    shoal_ogr_read_error(s, id, st, d);
    return;
  }
  char changed[200];
  if (st != SHOAL_ERR_NOMEM && changed_why(s, changed, sizeof changed)) {
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' %s", s->path, changed);
    return;
  }
  char why[160];
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory reading record %d of '%s'", id + 1, s->path);
  else if (id < 0)
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: a record's bounding box cannot be read",
                     s->path);
  else if (id < s->nshapes && record_why(s, id, why, sizeof why))
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: record %d (shape id %d) cannot be read: %s",
                     s->path, id + 1, id, why);
  else
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: record %d (shape id %d) cannot be read",
                     s->path, id + 1, id);
}
