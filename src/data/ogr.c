/* The GDAL/OGR adapter (with ogrfeat.c and ogrload.c, the only files that include GDAL): opens
 * GeoJSON, GeoPackage, KML/KMZ, FlatGeobuf and CSV files as sources (the layer, its kind, fields
 * and CRS; features read whole, or their ids listed when the format has a spatial index) and lists
 * a file's layers for `shoal info`. Every call into GDAL installs its own error handler, so
 * GDAL never prints and its reason reaches the message. Built without GDAL
 * (-DSHOAL_GDAL=OFF), opening such a file is an error (ogrstore.c). */
#include "data/ogr_priv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/mem.h"

#ifdef SHOAL_HAVE_GDAL

#include "data/ogrgdal.h"

/* The GDAL drivers that may read a format (so that a .json that is no GeoJSON is refused with
 * GeoJSON's reason rather than read by whatever else recognises it). */
static void drivers_for(const char *format, const char *drv[3])
{
  drv[1] = drv[2] = NULL;
  if (!strcmp(format, "GeoJSON"))
    drv[0] = "GeoJSON";
  else if (!strcmp(format, "GeoPackage"))
    drv[0] = "GPKG";
  else if (!strcmp(format, "KML")) {
    drv[0] = "LIBKML";
    drv[1] = "KML";
  } else if (!strcmp(format, "KMZ"))
    drv[0] = "LIBKML";
  else if (!strcmp(format, "FlatGeobuf"))
    drv[0] = "FlatGeobuf";
  else
    drv[0] = "CSV";
}

/* Open options of a CSV file: the coordinate columns (given, or the usual names, matched
 * without regard to case), kept out of the attributes, numbers typed as numbers. */
static void csv_options(const shoal_source_opts *o, char *xo, size_t xsz, char *yo, size_t ysz,
                        const char *oo[6])
{
  snprintf(xo, xsz, "X_POSSIBLE_NAMES=%s", o && o->lon ? o->lon : "lon,lng,long,longitude,x");
  snprintf(yo, ysz, "Y_POSSIBLE_NAMES=%s", o && o->lat ? o->lat : "lat,latitude,y");
  oo[0] = xo;
  oo[1] = yo;
  oo[2] = "KEEP_GEOM_COLUMNS=NO";
  oo[3] = "AUTODETECT_TYPE=YES";
  oo[4] = "EMPTY_STRING_AS_NULL=YES";
  oo[5] = NULL;
}

/* A CSV file that starts with '#' comment lines (which `shoal import` reads too) is opened as
 * a copy without them, in GDAL's memory file system under vsi (the same base name, so that
 * the layer keeps its name); vsi stays "" for any other file. False when out of memory. */
static bool csv_uncomment(const char *path, char *vsi, size_t vsisz)
{
  vsi[0] = '\0';
  FILE *f = fopen(path, "rb");
  int c = f ? fgetc(f) : EOF;
  if (f)
    fclose(f);
  char *txt = NULL;
  size_t len = 0;
  if (c != '#' || shoal_shp_slurp(path, (size_t)1 << 30, &txt, &len) != 0)
    return c != '#' || errno != ENOMEM;
  size_t k = 0;
  while (k < len && txt[k] == '#') {
    const char *nl = memchr(txt + k, '\n', len - k);
    k = nl ? (size_t)(nl - txt) + 1 : len;
  }
  GByte *copy = VSIMalloc(len - k + 1);
  if (copy)
    memcpy(copy, txt + k, len - k);
  free(txt);
  const char *base = strrchr(path, '/');
  snprintf(vsi, vsisz, "/vsimem/shoal-%p/%s", (void *)copy, base ? base + 1 : path);
  if (copy && VSIFCloseL(VSIFileFromMemBuffer(vsi, copy, (vsi_l_offset)(len - k), TRUE)) == 0)
    return true;
  VSIFree(copy);
  vsi[0] = '\0';
  return false;
}

static void close_ds(GDALDatasetH ds, const char *vsi)
{
  ogr_errs e;
  shoal_ogr_errs_push(&e);
  if (ds)
    GDALClose(ds);
  if (vsi[0])
    VSIUnlink(vsi);
  shoal_ogr_errs_pop();
}

/* Open path as a dataset of its format into *ds, or the error in d. vsi (at least 4352 bytes)
 * gets the name of a memory copy that close_ds removes, or "". */
static shoal_status open_ds(const char *path, const shoal_source_opts *o, shoal_diag *d,
                            GDALDatasetH *ds, char *vsi, size_t vsisz)
{
  *ds = NULL;
  vsi[0] = '\0';
  shoal_status st = shoal_ogr_check_path(path, o, d);
  if (st != SHOAL_OK)
    return st;
  /* GDAL is loaded and its drivers registered the first time a file needs them (a map of
   * shapefiles never pays for it). */
  const char *why;
  const char *format = shoal_ogr_format_of(path);
  if (!shoal_gdal_load(&why)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, o ? o->loc : (shoal_loc){0},
                        "'%s' is a %s file, read through GDAL: %s", path, format, why);
    return SHOAL_ERR_DATA;
  }
  if (!strcmp(format, "CSV") && !csv_uncomment(path, vsi, vsisz)) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory reading '%s'", path);
    return SHOAL_ERR_NOMEM;
  }
  const char *drv[3], *oo[6] = {NULL};
  char xo[300], yo[300];
  drivers_for(format, drv);
  if (!strcmp(format, "CSV"))
    csv_options(o, xo, sizeof xo, yo, sizeof yo, oo);
  ogr_errs e;
  shoal_ogr_errs_push(&e);
  *ds = GDALOpenEx(vsi[0] ? vsi : path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                   drv, oo, NULL);
  shoal_ogr_errs_pop();
  if (*ds)
    return SHOAL_OK;
  close_ds(NULL, vsi);
  shoal_diag_error_at(d, SHOAL_ERR_DATA, o ? o->loc : (shoal_loc){0},
                      "'%s' cannot be read as a %s file: %s", path, format,
                      e.msg[0] ? e.msg : "GDAL gives no reason");
  return SHOAL_ERR_DATA;
}

/* "a, b, c" of the dataset's layer names into buf. */
static void layer_list(GDALDatasetH ds, char *buf, size_t n)
{
  buf[0] = '\0';
  size_t len = 0;
  for (int i = 0; i < GDALDatasetGetLayerCount(ds) && len + 1 < n; i++) {
    int w = snprintf(buf + len, n - len, "%s'%s'", i ? ", " : "",
                     OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    if (w < 0)
      break;
    len += (size_t)w;
  }
}

/* The layer o asks for, or the only one; NULL with the error in d. */
static OGRLayerH pick_layer(GDALDatasetH ds, const char *path, const shoal_source_opts *o,
                            shoal_diag *d)
{
  shoal_loc loc = o ? o->loc : (shoal_loc){0};
  int n = GDALDatasetGetLayerCount(ds);
  char list[1024];
  layer_list(ds, list, sizeof list);
  if (o && o->layer) {
    OGRLayerH l = GDALDatasetGetLayerByName(ds, o->layer);
    if (!l)
      shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "'%s' has no layer '%s' (its layers: %s)", path,
                          o->layer, n ? list : "none");
    return l;
  }
  if (n == 1)
    return GDALDatasetGetLayer(ds, 0);
  if (n == 0)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc,
                        "'%s' has no layers (GDAL finds none: empty, or cut short?)", path);
  else
    shoal_diag_error_at(
        d, SHOAL_ERR_DATA, loc,
        "'%s' has %d layers (%s): choose one with `layer:` (in a map) or --layer (shoal import)",
        path, n, list);
  return NULL;
}

static shoal_geom_kind kind_of(OGRwkbGeometryType t)
{
  t = OGR_GT_Flatten(t);
  if (t == wkbPoint || t == wkbMultiPoint)
    return SHOAL_GEOM_POINT;
  if (OGR_GT_IsCurve(t) || OGR_GT_IsSubClassOf(t, wkbMultiCurve))
    return SHOAL_GEOM_LINE;
  if (OGR_GT_IsSurface(t) || OGR_GT_IsSubClassOf(t, wkbMultiSurface) ||
      OGR_GT_IsSubClassOf(t, wkbPolyhedralSurface))
    return SHOAL_GEOM_POLYGON;
  return SHOAL_GEOM_NONE;
}

void shoal_ogr_close_ds(struct shoal_ogr *o)
{
  close_ds(o->ds, o->vsi);
  o->ds = o->lyr = NULL;
  o->vsi[0] = '\0';
}

/* The layer's kind: its declared type, else its first geometry's (GeoJSON and KML layers often
 * declare none). *multi: the declared or first type holds several points. */
static shoal_geom_kind layer_kind(OGRLayerH l, bool *multi)
{
  OGRwkbGeometryType t = OGR_GT_Flatten(OGR_L_GetGeomType(l));
  shoal_geom_kind k = kind_of(t);
  OGRFeatureH f;
  OGR_L_ResetReading(l);
  while (k == SHOAL_GEOM_NONE && (f = OGR_L_GetNextFeature(l))) {
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g && !OGR_G_IsEmpty(g))
      k = kind_of(t = OGR_GT_Flatten(OGR_G_GetGeometryType(g)));
    OGR_F_Destroy(f);
  }
  OGR_L_ResetReading(l);
  *multi = t == wkbMultiPoint;
  return k;
}

static void field_type(OGRFieldDefnH fl, shoal_field_info *fi, char *native)
{
  int w = OGR_Fld_GetWidth(fl), p = OGR_Fld_GetPrecision(fl);
  switch (OGR_Fld_GetType(fl)) {
  case OFTInteger:
    if (OGR_Fld_GetSubType(fl) == OFSTBoolean) {
      *fi = (shoal_field_info){.type = SHOAL_FIELD_LOGICAL, .width = 1};
      *native = 'L';
      return;
    }
    /* fall through */
  case OFTInteger64:
    *fi = (shoal_field_info){.type = SHOAL_FIELD_INTEGER, .width = w > 0 ? w : 18};
    *native = 'N';
    return;
  case OFTReal:
    /* Most formats declare no width: a DBF copy (`shoal import`) gets room for any double. */
    *fi = (shoal_field_info){
        .type = SHOAL_FIELD_DOUBLE, .width = w > 0 ? w : 24, .decimals = w > 0 ? p : 15};
    *native = 'N';
    return;
  case OFTDate:
    *fi = (shoal_field_info){.type = SHOAL_FIELD_DATE, .width = 8};
    *native = 'D';
    return;
  default:
    *fi = (shoal_field_info){.type = SHOAL_FIELD_STRING, .width = w > 0 ? w : 1};
    *native = 'C';
  }
}

static shoal_status open_fields(shoal_source *s)
{
  OGRFeatureDefnH fd = OGR_L_GetLayerDefn(s->ogr->lyr);
  int n = OGR_FD_GetFieldCount(fd);
  size_t m = n > 0 ? (size_t)n : 1;
  s->fields = calloc(m, sizeof *s->fields);
  s->native = calloc(m, 1);
  s->ogr->ogr_field = calloc(m, sizeof *s->ogr->ogr_field);
  if (!s->fields || !s->native || !s->ogr->ogr_field)
    return SHOAL_ERR_NOMEM;
  for (int i = 0; i < n; i++) {
    OGRFieldDefnH fl = OGR_FD_GetFieldDefn(fd, i);
    field_type(fl, &s->fields[i], &s->native[i]);
    snprintf(s->fields[i].name, sizeof s->fields[i].name, "%s", OGR_Fld_GetNameRef(fl));
    s->ogr->ogr_field[i] = i;
  }
  s->nfields = s->ogr->nfields = n;
  return SHOAL_OK;
}

/* The layer's CRS for PROJ: AUTHORITY:CODE when it has one, else WKT2; WGS84 without any. */
static shoal_status open_crs(shoal_source *s)
{
  OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(s->ogr->lyr);
  const char *an = srs ? OSRGetAuthorityName(srs, NULL) : NULL;
  const char *ac = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
  char buf[128];
  if (!srs) {
    s->crs = shoal_strdup("EPSG:4326");
  } else if (an && ac) {
    snprintf(buf, sizeof buf, "%s:%s", an, ac);
    s->crs = shoal_strdup(buf);
  } else {
    char *wkt = NULL;
    const char *opts[] = {"FORMAT=WKT2_2019", NULL};
    if (OSRExportToWktEx(srs, &wkt, opts) == OGRERR_NONE && wkt)
      s->crs = shoal_strdup(wkt);
    else
      s->crs = shoal_strdup("EPSG:4326");
    VSIFree(wkt);
  }
  s->has_prj = srs != NULL;
  char *wkt = NULL;
  const char *esri[] = {"FORMAT=WKT1_ESRI", NULL};
  /* For `shoal import`: the .prj of a shapefile copy. */
  if (srs && OSRExportToWktEx(srs, &wkt, esri) == OGRERR_NONE && wkt)
    s->ogr->prj = shoal_strdup(wkt);
  VSIFree(wkt);
  return s->crs ? SHOAL_OK : SHOAL_ERR_NOMEM;
}

/* Make room for feature n (fids and feat grow together). */
static bool grow_feat(struct shoal_ogr *o, size_t *cap, size_t n)
{
  size_t c2 = *cap;
  if (!SHOAL_GROW(&o->fids, &c2, n + 1, 256, (size_t)SHP_MAX_RECORDS))
    return false;
  if (!SHOAL_GROW(&o->feat, cap, n + 1, 256, (size_t)SHP_MAX_RECORDS))
    return false;
  memset(&o->feat[n], 0, sizeof o->feat[n]);
  return true;
}

/* Formats without a spatial index are read whole at open (their drivers hold them in memory
 * anyway); queries then test the stored boxes. */
static shoal_status load_all(shoal_source *s)
{
  struct shoal_ogr *o = s->ogr;
  size_t cap = 0;
  shoal_status st = SHOAL_OK;
  shoal_geom g;
  shoal_geom_init(&g, s->kind);
  OGRFeatureH f;
  OGR_L_ResetReading(o->lyr);
  while (st == SHOAL_OK && (f = OGR_L_GetNextFeature(o->lyr))) {
    if (!grow_feat(o, &cap, (size_t)o->nfeat))
      st = SHOAL_ERR_NOMEM;
    else {
      o->fids[o->nfeat] = (long long)OGR_F_GetFID(f);
      st = shoal_ogr_fill(s, f, o->nfeat++, &g);
    }
    OGR_F_Destroy(f);
  }
  shoal_geom_free(&g);
  s->bounds[0] = s->bounds[1] = HUGE_VAL;
  s->bounds[2] = s->bounds[3] = -HUGE_VAL;
  for (int i = 0; i < o->nfeat; i++) {
    const ogr_feat *ft = &o->feat[i];
    if (ft->nparts > 1 && s->kind == SHOAL_GEOM_POINT)
      s->shptype = SHPT_MULTIPOINT;
    if (ft->box[0] > ft->box[2])
      continue;
    s->bounds[0] = fmin(s->bounds[0], ft->box[0]);
    s->bounds[1] = fmin(s->bounds[1], ft->box[1]);
    s->bounds[2] = fmax(s->bounds[2], ft->box[2]);
    s->bounds[3] = fmax(s->bounds[3], ft->box[3]);
  }
  if (s->bounds[0] > s->bounds[2])
    memset(s->bounds, 0, sizeof s->bounds);
  return st;
}

/* Formats with a spatial index: only the feature ids are listed at open (attributes and
 * geometry skipped, which GeoPackage answers from its table alone); features are read as
 * queries meet them. */
static shoal_status list_fids(shoal_source *s)
{
  struct shoal_ogr *o = s->ogr;
  const char **ign = calloc((size_t)s->nfields + 3, sizeof *ign);
  if (!ign)
    return SHOAL_ERR_NOMEM;
  OGRFeatureDefnH fd = OGR_L_GetLayerDefn(o->lyr);
  for (int i = 0; i < s->nfields; i++)
    ign[i] = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i));
  ign[s->nfields] = "OGR_GEOMETRY";
  ign[s->nfields + 1] = "OGR_STYLE";
  OGR_L_SetIgnoredFields(o->lyr, ign);
  size_t cap = 0;
  shoal_status st = SHOAL_OK;
  OGRFeatureH f;
  OGR_L_ResetReading(o->lyr);
  while (st == SHOAL_OK && (f = OGR_L_GetNextFeature(o->lyr))) {
    if (!grow_feat(o, &cap, (size_t)o->nfeat))
      st = SHOAL_ERR_NOMEM;
    else
      o->fids[o->nfeat++] = (long long)OGR_F_GetFID(f);
    OGR_F_Destroy(f);
  }
  OGR_L_SetIgnoredFields(o->lyr, NULL);
  free(ign);
  qsort(o->fids, (size_t)o->nfeat, sizeof *o->fids, shoal_ogr_cmp_fid);
  OGREnvelope env;
  if (o->nfeat > 0 && OGR_L_GetExtent(o->lyr, &env, TRUE) == OGRERR_NONE) {
    s->bounds[0] = env.MinX;
    s->bounds[1] = env.MinY;
    s->bounds[2] = env.MaxX;
    s->bounds[3] = env.MaxY;
  }
  return st;
}

/* What the layer is: CSV coordinates found, lon/lat only for CSV, its kind and type. */
static shoal_status check_layer(shoal_source *s, const char *format, const shoal_source_opts *op,
                                shoal_diag *d)
{
  shoal_loc loc = op ? op->loc : (shoal_loc){0};
  bool csv = !strcmp(format, "CSV");
  if (!csv && op && (op->lon || op->lat)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc,
                        "'%s' is a %s file: `lon:` and `lat:` name the coordinate columns of a "
                        "CSV file",
                        s->path, format);
    return SHOAL_ERR_DATA;
  }
  OGRFeatureDefnH fd = OGR_L_GetLayerDefn(s->ogr->lyr);
  if (csv && OGR_FD_GetGeomFieldCount(fd) == 0) {
    char cols[1024] = "";
    size_t len = 0;
    for (int i = 0; i < OGR_FD_GetFieldCount(fd) && len + 1 < sizeof cols; i++) {
      int w = snprintf(cols + len, sizeof cols - len, "%s%s", i ? ", " : "",
                       OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)));
      len += w > 0 ? (size_t)w : 0;
    }
    shoal_diag_error_at(
        d, SHOAL_ERR_DATA, loc,
        "'%s' has no %s column (its columns: %s): name the coordinate columns "
        "with the layer's `lon:` and `lat:` keys, or call them lon and lat",
        s->path, op && (op->lon || op->lat) ? "such longitude/latitude" : "longitude/latitude",
        cols[0] ? cols : "none");
    return SHOAL_ERR_DATA;
  }
  bool multi;
  s->kind = layer_kind(s->ogr->lyr, &multi);
  s->shptype = s->kind == SHOAL_GEOM_POINT     ? (multi ? SHPT_MULTIPOINT : SHPT_POINT)
               : s->kind == SHOAL_GEOM_LINE    ? SHPT_ARC
               : s->kind == SHOAL_GEOM_POLYGON ? SHPT_POLYGON
                                               : SHPT_NULL;
  return SHOAL_OK;
}

static shoal_status make_key(shoal_source *s, const shoal_source_opts *op)
{
  const char *lon = op && op->lon ? op->lon : "", *lat = op && op->lat ? op->lat : "";
  size_t n = strlen(s->path) + strlen(s->ogr->layer) + strlen(lon) + strlen(lat) + 4;
  if (!(s->ogr->key = malloc(n)))
    return SHOAL_ERR_NOMEM;
  snprintf(s->ogr->key, n, "%s\n%s\n%s\n%s", s->path, s->ogr->layer, lon, lat);
  return SHOAL_OK;
}

shoal_status shoal_ogr_layer_names(const char *path, char ***names, int *n, shoal_diag *d)
{
  *names = NULL;
  *n = 0;
  GDALDatasetH ds;
  char vsi[4352];
  shoal_status st = open_ds(path, NULL, d, &ds, vsi, sizeof vsi);
  if (st != SHOAL_OK)
    return st;
  int k = GDALDatasetGetLayerCount(ds);
  if (k > 0 && !(*names = calloc((size_t)k, sizeof **names)))
    st = SHOAL_ERR_NOMEM;
  for (int i = 0; st == SHOAL_OK && i < k; i++)
    if (!((*names)[(*n)++] = shoal_strdup(OGR_L_GetName(GDALDatasetGetLayer(ds, i)))))
      st = SHOAL_ERR_NOMEM;
  close_ds(ds, vsi);
  return st;
}

shoal_status shoal_ogr_open(const char *path, const shoal_source_opts *op, shoal_diag *d,
                            shoal_source **out)
{
  *out = NULL;
  shoal_source *s = shoal_ogr_source_new(path);
  if (!s) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory opening '%s'", path);
    return SHOAL_ERR_NOMEM;
  }
  struct shoal_ogr *o = s->ogr;
  o->format = shoal_ogr_format_of(path);
  shoal_status st = open_ds(path, op, d, &o->ds, o->vsi, sizeof o->vsi);
  if (st != SHOAL_OK)
    goto fail;
  if (!(o->lyr = pick_layer(o->ds, path, op, d)) ||
      !(o->layer = shoal_strdup(OGR_L_GetName(o->lyr)))) {
    st = o->lyr ? SHOAL_ERR_NOMEM : SHOAL_ERR_DATA;
    goto fail;
  }
  ogr_errs e;
  shoal_ogr_errs_push(&e);
  o->indexed = OGR_L_TestCapability(o->lyr, OLCFastSpatialFilter) != 0;
  if ((st = check_layer(s, o->format, op, d)) == SHOAL_OK && (st = open_fields(s)) == SHOAL_OK &&
      (st = open_crs(s)) == SHOAL_OK && (st = make_key(s, op)) == SHOAL_OK)
    st = o->indexed ? list_fids(s) : load_all(s);
  shoal_ogr_errs_pop();
  s->nshapes = o->nfeat;
  if (st == SHOAL_OK && e.failed) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error_at(d, st, op ? op->loc : (shoal_loc){0}, "'%s' cannot be read: %s", path,
                        e.msg);
  }
  if (st != SHOAL_OK)
    goto fail;
  if (o->skipped)
    shoal_diag_warn_at(d, op ? op->loc : (shoal_loc){0},
                       "'%s': %zu feature%s of layer '%s' %s geometry of another kind than its "
                       "first (%s), not drawn",
                       path, o->skipped, o->skipped == 1 ? "" : "s", o->layer,
                       o->skipped == 1 ? "has" : "have", shoal_source_type_name(s));
  *out = s;
  return SHOAL_OK;
fail:
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory opening '%s'", path);
  shoal_source_close(s);
  return st;
}

#endif
