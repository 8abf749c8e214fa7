/* The GDAL/OGR adapter's second half (with ogr.c and ogrload.c, the only files that include GDAL):
 * GDAL's features turned into plain vertices and UTF-8 text, read by id or met by a query through
 * the format's own spatial index, and the error handler every call into GDAL installs. */
#include "data/ogr_priv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#ifdef SHOAL_HAVE_GDAL

#include "data/ogrgdal.h"

/* GDAL's messages during one call of ours, kept instead of printed: the first failure, else
 * the first warning; debug output is dropped. */
static void CPL_STDCALL on_error(CPLErr cls, CPLErrorNum no, const char *msg)
{
  (void)no;
  ogr_errs *e = CPLGetErrorHandlerUserData();
  if (!e || !msg || (e->failed && cls >= CE_Failure) || (e->msg[0] && cls < CE_Failure))
    return;
  if (cls < CE_Warning)
    return; /* debug output */
  snprintf(e->msg, sizeof e->msg, "%s", msg);
  e->failed = cls >= CE_Failure;
}

void shoal_ogr_errs_push(ogr_errs *e)
{
  memset(e, 0, sizeof *e);
  CPLPushErrorHandlerEx(on_error, e);
}

void shoal_ogr_errs_pop(void) { CPLPopErrorHandler(); }

/* The vertices of a line or ring as one part of out; false when out of memory. Non-finite
 * vertices are left out (they cannot be drawn or projected). */
static bool add_points(OGRGeometryH g, shoal_geom *out, bool one_part_each)
{
  int n = OGR_G_GetPointCount(g);
  if (!one_part_each && n > 0 && !shoal_geom_begin_part(out))
    return false;
  for (int i = 0; i < n; i++) {
    double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
    if (!isfinite(x) || !isfinite(y))
      continue;
    if ((one_part_each && !shoal_geom_begin_part(out)) || !shoal_geom_add(out, x, y))
      return false;
  }
  if (!one_part_each && n > 0)
    shoal_geom_end_part(out, 1);
  return true;
}

/* Append g's parts of the layer's kind to out; *other counts geometry of another kind. */
static bool add_geom(OGRGeometryH g, shoal_geom_kind kind, shoal_geom *out, bool *other, int depth)
{
  if (!g || OGR_G_IsEmpty(g) || depth > 32)
    return true;
  OGRwkbGeometryType t = OGR_GT_Flatten(OGR_G_GetGeometryType(g));
  if (OGR_GT_IsNonLinear(t)) {
    OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
    bool ok = !lin || add_geom(lin, kind, out, other, depth + 1);
    OGR_G_DestroyGeometry(lin);
    return ok;
  }
  switch (t) {
  case wkbPoint:
    if (kind == SHOAL_GEOM_POINT)
      return add_points(g, out, true);
    break;
  case wkbLineString:
    if (kind == SHOAL_GEOM_LINE)
      return add_points(g, out, false);
    break;
  case wkbPolygon:
  case wkbTriangle:
    if (kind != SHOAL_GEOM_POLYGON)
      break;
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
      if (!add_points(OGR_G_GetGeometryRef(g, i), out, false))
        return false;
    return true;
  case wkbMultiPoint:
  case wkbMultiLineString:
  case wkbMultiPolygon:
  case wkbGeometryCollection:
  case wkbTIN:
  case wkbPolyhedralSurface:
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
      if (!add_geom(OGR_G_GetGeometryRef(g, i), kind, out, other, depth + 1))
        return false;
    return true;
  default: break;
  }
  *other = true;
  return true;
}

/* The text of field i of f, as a shapefile's value of that type shows (numbers without
 * trailing zeros, dates as YYYY-MM-DD, logicals T/F, empty strings as null); NULL when null. */
static char *field_text(shoal_source *s, OGRFeatureH f, int i)
{
  int k = s->ogr->ogr_field[i];
  if (!OGR_F_IsFieldSetAndNotNull(f, k))
    return NULL;
  char buf[64];
  switch (s->fields[i].type) {
  case SHOAL_FIELD_INTEGER:
    snprintf(buf, sizeof buf, "%lld", (long long)OGR_F_GetFieldAsInteger64(f, k));
    return shoal_strdup(buf);
  case SHOAL_FIELD_DOUBLE: {
    double v = OGR_F_GetFieldAsDouble(f, k);
    if (!isfinite(v))
      return NULL;
    locale_t old = uselocale(s->cloc);
    snprintf(buf, sizeof buf, "%.15g", v == 0 ? 0.0 : v); /* no "-0" */
    uselocale(old);
    return shoal_strdup(buf);
  }
  case SHOAL_FIELD_LOGICAL: return shoal_strdup(OGR_F_GetFieldAsInteger(f, k) ? "T" : "F");
  case SHOAL_FIELD_DATE: {
    int y, m, dd, h, mi, tz;
    float sec;
    if (!OGR_F_GetFieldAsDateTimeEx(f, k, &y, &m, &dd, &h, &mi, &sec, &tz))
      return NULL;
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, dd);
    return shoal_strdup(buf);
  }
  case SHOAL_FIELD_STRING: break;
  }
  const char *v = OGR_F_GetFieldAsString(f, k);
  /* GDAL gives UTF-8 for these formats; bad bytes (a CSV in another encoding) become U+FFFD
   * and trailing blanks go, as for a shapefile's strings. */
  char *r = v ? shoal_shp_text_to_utf8(&s->text, v, strlen(v)) : NULL;
  if (r && !r[0]) {
    free(r);
    r = NULL;
  }
  return r;
}

/* Store feature f as id: geometry of the layer's kind and every attribute as text. */
shoal_status shoal_ogr_fill(shoal_source *s, void *f, int id, shoal_geom *scratch)
{
  ogr_feat *ft = &s->ogr->feat[id];
  shoal_geom_clear(scratch);
  scratch->kind = s->kind;
  bool other = false;
  if (!add_geom(OGR_F_GetGeometryRef(f), s->kind, scratch, &other, 0) ||
      !shoal_ogr_feat_set_geom(ft, scratch))
    return SHOAL_ERR_NOMEM;
  if (other)
    s->ogr->skipped++;
  if (s->nfields > 0) {
    if (!(ft->vals = calloc((size_t)s->nfields, sizeof *ft->vals)))
      return SHOAL_ERR_NOMEM;
    for (int i = 0; i < s->nfields; i++)
      ft->vals[i] = field_text(s, f, i);
  }
  ft->loaded = true;
  return SHOAL_OK;
}

shoal_status shoal_ogr_fetch(shoal_source *s, int id)
{
  struct shoal_ogr *o = s->ogr;
  if (o->feat[id].loaded)
    return SHOAL_OK;
  ogr_errs e;
  shoal_ogr_errs_push(&e);
  OGRFeatureH f = OGR_L_GetFeature(o->lyr, (GIntBig)o->fids[id]);
  shoal_status st = SHOAL_ERR_DATA;
  if (f) {
    shoal_geom g;
    shoal_geom_init(&g, s->kind);
    st = shoal_ogr_fill(s, f, id, &g);
    shoal_geom_free(&g);
    OGR_F_Destroy(f);
  }
  shoal_ogr_errs_pop();
  if (st != SHOAL_OK) {
    shoal_ogr_feat_clear(&o->feat[id], s->nfields);
    snprintf(o->err, sizeof o->err, "%s",
             e.msg[0] ? e.msg : "the file changed or cannot be read since it was opened");
  }
  return st;
}

int shoal_ogr_cmp_fid(const void *a, const void *b)
{
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

/* The id of a feature id, or -1 when it is not one the source listed at open. */
static int id_of(const struct shoal_ogr *o, long long fid)
{
  const long long *p = bsearch(&fid, o->fids, (size_t)o->nfeat, sizeof fid, shoal_ogr_cmp_fid);
  return p ? (int)(p - o->fids) : -1;
}

shoal_status shoal_ogr_index_query(shoal_source *s, const double bbox[4], int **ids, size_t *n)
{
  struct shoal_ogr *o = s->ogr;
  ogr_errs e;
  shoal_ogr_errs_push(&e);
  OGR_L_SetSpatialFilterRect(o->lyr, bbox[0], bbox[1], bbox[2], bbox[3]);
  OGR_L_ResetReading(o->lyr);
  shoal_status st = SHOAL_OK;
  size_t cap = 0;
  shoal_geom g;
  shoal_geom_init(&g, s->kind);
  OGRFeatureH f;
  while (st == SHOAL_OK && (f = OGR_L_GetNextFeature(o->lyr))) {
    int id = id_of(o, (long long)OGR_F_GetFID(f));
    if (id >= 0 && !o->feat[id].loaded && (st = shoal_ogr_fill(s, f, id, &g)) != SHOAL_OK)
      shoal_ogr_feat_clear(&o->feat[id], s->nfields);
    if (id >= 0 && st == SHOAL_OK) {
      if (SHOAL_GROW(ids, &cap, *n + 1, 64, (size_t)o->nfeat + 1))
        (*ids)[(*n)++] = id;
      else
        st = SHOAL_ERR_NOMEM;
    }
    OGR_F_Destroy(f);
  }
  if (st == SHOAL_OK && e.failed)
    st = SHOAL_ERR_DATA;
  OGR_L_SetSpatialFilter(o->lyr, NULL);
  shoal_ogr_errs_pop();
  shoal_geom_free(&g);
  if (st != SHOAL_OK) {
    snprintf(o->err, sizeof o->err, "%s", e.msg[0] ? e.msg : "no reason given");
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return st;
}

#endif
