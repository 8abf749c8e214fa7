/* Features of a file read through GDAL, kept as plain vertices and UTF-8 text once read: the
 * source calls (read, query, attributes, messages) answer from here, fetching through ogr.c
 * what has not been read yet. No GDAL header here. */
#include "data/ogr_priv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/mem.h"

const char *shoal_ogr_format_of(const char *path)
{
  static const struct {
    const char *ext, *format;
  } exts[] = {{".geojson", "GeoJSON"}, {".json", "GeoJSON"}, {".gpkg", "GeoPackage"},
              {".kml", "KML"},         {".kmz", "KMZ"},      {".fgb", "FlatGeobuf"},
              {".csv", "CSV"}};
  size_t n = strlen(path);
  for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
    size_t e = strlen(exts[i].ext);
    if (n > e && !strcasecmp(path + n - e, exts[i].ext))
      return exts[i].format;
  }
  return NULL;
}

shoal_source *shoal_ogr_source_new(const char *path)
{
  shoal_source *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->fd = -1;
  shoal_shp_text_init(&s->text);
  if (pthread_mutex_init(&s->mu, NULL) != 0) {
    free(s);
    return NULL;
  }
  s->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  s->ogr = calloc(1, sizeof *s->ogr);
  if (s->ogr)
    s->ogr->bad_fid_id = -1;
  /* GDAL gives UTF-8: checked, bad bytes shown as U+FFFD. */
  if (!s->cloc || !s->ogr || !(s->path = shoal_strdup(path)) ||
      !(s->codepage = shoal_strdup("UTF-8")) || !shoal_shp_text_setup(&s->text, "UTF-8")) {
    shoal_source_close(s);
    return NULL;
  }
  return s;
}

void shoal_ogr_feat_clear(ogr_feat *f, int nfields)
{
  free(f->xy);
  free(f->parts);
  if (f->vals)
    for (int i = 0; i < nfields; i++)
      free(f->vals[i]);
  free(f->vals);
  memset(f, 0, sizeof *f);
}

bool shoal_ogr_feat_set_geom(ogr_feat *f, const shoal_geom *g)
{
  f->box[0] = HUGE_VAL;
  f->box[1] = f->box[2] = f->box[3] = -HUGE_VAL;
  if (g->npts == 0 || g->nparts == 0)
    return true;
  f->xy = malloc(2 * g->npts * sizeof *f->xy);
  f->parts = malloc((g->nparts + 1) * sizeof *f->parts);
  if (!f->xy || !f->parts)
    return false;
  memcpy(f->xy, g->xy, 2 * g->npts * sizeof *f->xy);
  memcpy(f->parts, g->parts, (g->nparts + 1) * sizeof *f->parts);
  f->npts = g->npts;
  f->nparts = g->nparts;
  if (!shoal_geom_bbox(g, f->box))
    f->box[0] = HUGE_VAL;
  return true;
}

void shoal_ogr_free(struct shoal_ogr *o)
{
  if (!o)
    return;
  shoal_ogr_close_ds(o);
  for (int i = 0; o->feat && i < o->nfeat; i++)
    shoal_ogr_feat_clear(&o->feat[i], o->nfields);
  free(o->feat);
  free(o->fids);
  free(o->ogr_field);
  free(o->key);
  free(o->layer);
  free(o->prj);
  free(o);
}

shoal_status shoal_ogr_read(shoal_source *s, int id, shoal_geom *g)
{
  shoal_geom_clear(g);
  g->kind = s->kind;
  if (id < 0 || id >= s->nshapes)
    return SHOAL_ERR_INTERNAL;
  pthread_mutex_lock(&s->mu);
  shoal_status st = shoal_ogr_fetch(s, id);
  const ogr_feat *f = &s->ogr->feat[id];
  if (st == SHOAL_OK && f->npts > 0 && !shoal_geom_reserve(g, f->npts))
    st = SHOAL_ERR_NOMEM;
  for (size_t p = 0; st == SHOAL_OK && p < f->nparts; p++) {
    if (!shoal_geom_begin_part(g)) {
      st = SHOAL_ERR_NOMEM;
      break;
    }
    for (size_t i = f->parts[p]; i < f->parts[p + 1]; i++)
      if (!shoal_geom_add(g, f->xy[2 * i], f->xy[2 * i + 1])) {
        st = SHOAL_ERR_NOMEM;
        break;
      }
    shoal_geom_end_part(g, 1);
  }
  pthread_mutex_unlock(&s->mu);
  if (st != SHOAL_OK)
    shoal_geom_clear(g);
  return st;
}

static int cmp_int(const void *a, const void *b)
{
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

shoal_status shoal_ogr_query(shoal_source *s, const double bbox[4], int **ids, size_t *n)
{
  *ids = NULL;
  *n = 0;
  pthread_mutex_lock(&s->mu);
  shoal_status st = SHOAL_OK;
  if (s->ogr->indexed) {
    st = shoal_ogr_index_query(s, bbox, ids, n);
    if (st == SHOAL_OK && *n > 1)
      qsort(*ids, *n, sizeof **ids, cmp_int);
    pthread_mutex_unlock(&s->mu);
    return st;
  }
  /* Everything was read at open: the same box test as a shapefile without a .qix. */
  size_t cap = 0;
  for (int id = 0; id < s->nshapes; id++) {
    const double *b = s->ogr->feat[id].box;
    if (b[0] > bbox[2] || b[2] < bbox[0] || b[1] > bbox[3] || b[3] < bbox[1])
      continue;
    if (!SHOAL_GROW(ids, &cap, *n + 1, 64, (size_t)s->nshapes)) {
      st = SHOAL_ERR_NOMEM;
      break;
    }
    (*ids)[(*n)++] = id;
  }
  pthread_mutex_unlock(&s->mu);
  if (st != SHOAL_OK) {
    free(*ids);
    *ids = NULL;
    *n = 0;
  }
  return st;
}

/* The stored text of a value, copied, or NULL; under no lock. */
static char *attr_copy(shoal_source *s, int id, int field, bool *failed)
{
  bool dummy;
  if (!failed)
    failed = &dummy;
  *failed = false;
  if (field < 0 || field >= s->nfields || id < 0 || id >= s->nshapes)
    return NULL;
  pthread_mutex_lock(&s->mu);
  char *r = NULL;
  if (shoal_ogr_fetch(s, id) != SHOAL_OK)
    *failed = true;
  else if (s->ogr->feat[id].vals && s->ogr->feat[id].vals[field])
    r = shoal_strdup(s->ogr->feat[id].vals[field]);
  pthread_mutex_unlock(&s->mu);
  return r;
}

char *shoal_ogr_attr(shoal_source *s, int id, int field, bool *failed)
{
  return attr_copy(s, id, field, failed);
}

char *shoal_ogr_attr_raw(shoal_source *s, int id, int field, bool *failed)
{
  char *v = attr_copy(s, id, field, failed);
  /* Stored as YYYY-MM-DD (what a shapefile's date shows as); a DBF holds YYYYMMDD. */
  if (v && s->fields[field].type == SHOAL_FIELD_DATE && strlen(v) == 10 && v[4] == '-' &&
      v[7] == '-') {
    memmove(v + 4, v + 5, 2);
    memmove(v + 6, v + 8, 3);
  }
  return v;
}

/* The source's lock from a const handle: readers of a shared source also change it (features
 * are stored as they are met), so the lock guards reads too. */
static pthread_mutex_t *mu_of(const shoal_source *s) { return (pthread_mutex_t *)&s->mu; }

size_t shoal_ogr_record_bytes(const shoal_source *s, int id)
{
  /* Only read features know their size; the rest count as small (the split is a heuristic). */
  if (id < 0 || id >= s->nshapes)
    return 0;
  pthread_mutex_lock(mu_of(s));
  size_t n = s->ogr->feat[id].loaded ? 16 * s->ogr->feat[id].npts : 16;
  pthread_mutex_unlock(mu_of(s));
  return n;
}

/* GDAL's reason for the last failed read (copied under the lock), or a stand-in. */
static void last_error(const shoal_source *s, char *buf, size_t n)
{
  pthread_mutex_lock(mu_of(s));
  snprintf(buf, n, "%s", s->ogr->err[0] ? s->ogr->err : "no reason given");
  pthread_mutex_unlock(mu_of(s));
}

void shoal_ogr_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d)
{
  char why[512];
  last_error(s, why, sizeof why);
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory reading feature %d of '%s'", id + 1,
                     s->path);
  else if (id < 0)
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' (layer '%s'): the spatial query failed: %s", s->path,
                     s->ogr->layer, why);
  else
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' (layer '%s'): feature %d cannot be read: %s", s->path,
                     s->ogr->layer, id + 1, why);
}

void shoal_ogr_attr_error(const shoal_source *s, int id, shoal_diag *d)
{
  char why[512];
  last_error(s, why, sizeof why);
  shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                   "cannot read the attributes of feature %d of '%s' (layer '%s'): %s", id + 1,
                   s->path, s->ogr->layer, why);
}

/* Checked in every build: a path that names a folder or nothing. */
shoal_status shoal_ogr_check_path(const char *path, const shoal_source_opts *o, shoal_diag *d)
{
  struct stat st;
  shoal_loc loc = o ? o->loc : (shoal_loc){0};
  if (stat(path, &st) != 0) {
    char eb[128];
    shoal_diag_error_at(d, SHOAL_ERR_NOINPUT, loc, "cannot open '%s': %s", path,
                        shoal_shp_errstr(errno, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  if (S_ISDIR(st.st_mode)) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "'%s' is a folder, not a %s file", path,
                        shoal_ogr_format_of(path));
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* Without GDAL the adapter's calls are these: opening says how to get it. */
#ifndef SHOAL_HAVE_GDAL

shoal_status shoal_ogr_open(const char *path, const shoal_source_opts *o, shoal_diag *d,
                            shoal_source **out)
{
  *out = NULL;
  shoal_status st = shoal_ogr_check_path(path, o, d);
  if (st != SHOAL_OK)
    return st;
  shoal_diag_error_at(d, SHOAL_ERR_DATA, o ? o->loc : (shoal_loc){0},
                      "'%s' is a %s file, and this Shoal was built without GDAL "
                      "(-DSHOAL_GDAL=OFF), so it reads shapefiles only: %s, or build Shoal "
                      "with -DSHOAL_GDAL=ON",
                      path, shoal_ogr_format_of(path),
                      strcmp(shoal_ogr_format_of(path), "CSV") == 0
                          ? "make a shapefile with `shoal import FILE.csv -o FILE.shp`"
                          : "convert the file to a shapefile");
  return SHOAL_ERR_DATA;
}

shoal_status shoal_ogr_fetch(shoal_source *s, int id) { return SHOAL_ERR_INTERNAL; }

shoal_status shoal_ogr_index_query(shoal_source *s, const double bbox[4], int **ids, size_t *n)
{
  return SHOAL_ERR_INTERNAL;
}

void shoal_ogr_close_ds(struct shoal_ogr *o) {}

shoal_status shoal_ogr_layer_names(const char *path, char ***names, int *n, shoal_diag *d)
{
  shoal_source *s;
  *names = NULL;
  *n = 0;
  return shoal_ogr_open(path, NULL, d, &s);
}

#endif
