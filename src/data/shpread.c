/* Reading shapes: one record through shapelib under the handle's mutex, copied into a geometry
 * buffer with its parts checked, and the message for a record that cannot be read. */
#include "data/shp_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Copy one SHPObject into g; SHOAL_ERR_DATA when its parts or coordinates make no sense. */
static shoal_status copy_shape(const shoal_source *s, const SHPObject *o, shoal_geom *g)
{
  if (o->nSHPType == SHPT_NULL || o->nVertices <= 0)
    return SHOAL_OK;
  if (shoal_shp_kind_of(o->nSHPType) != s->kind || !o->padfX || !o->padfY)
    return SHOAL_ERR_DATA;
  size_t nv = (size_t)o->nVertices;
  if (!shoal_geom_reserve(g, nv))
    return SHOAL_ERR_NOMEM;
  for (size_t i = 0; i < nv; i++)
    if (!isfinite(o->padfX[i]) || !isfinite(o->padfY[i]))
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
    if (a < 0 || a > b || b > (long)nv)
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
  /* The .shx table is filled at open and never written afterwards: no lock needed. */
  return id >= 0 && id < s->nshapes ? s->shp->panRecSize[id] : 0;
}

shoal_status shoal_source_read(shoal_source *s, int id, shoal_geom *g)
{
  shoal_geom_clear(g);
  g->kind = s->kind;
  if (id < 0 || id >= s->nshapes)
    return SHOAL_ERR_INTERNAL;
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

void shoal_source_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d)
{
  char changed[200];
  if (st != SHOAL_ERR_NOMEM && changed_why(s, changed, sizeof changed)) {
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' %s", s->path, changed);
    return;
  }
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory reading record %d of '%s'", id + 1, s->path);
  else if (id < 0)
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: a record's bounding box cannot be read",
                     s->path);
  else
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: record %d (shape id %d) cannot be read",
                     s->path, id + 1, id);
}
