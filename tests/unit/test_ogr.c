/* Sources read through GDAL (tests/data/formats): the same features and attributes as the
 * shapefile copy, queries through a GeoPackage's index and in memory, one source per layer in
 * the data cache, errors at the data: value, concurrent use of one handle. Skipped (passing)
 * in a build without GDAL. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/diag.h"
#include "data/cache.h"
#include "data/source.h"
#include "geo/geom.h"

#define FORMATS SHOAL_SOURCE_DIR "/tests/data/formats/"

static shoal_source *open_layer(const char *file, const char *layer)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  shoal_source_opts o = {.layer = layer};
  if (shoal_source_open_opts(file, &o, d, &s) != SHOAL_OK)
    shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  return s;
}

/* The feature of s whose name is name, or -1 (a FlatGeobuf file with an index keeps its
 * features in index order, not the order they were written in). */
static int by_name(shoal_source *s, const char *name)
{
  int f = shoal_source_field_index(s, "name"), found = -1;
  for (int id = 0; id < shoal_source_count(s) && found < 0 && name; id++) {
    char *v = shoal_source_attr(s, id, f);
    if (v && strcmp(v, name) == 0)
      found = id;
    free(v);
  }
  return found;
}

/* Every feature of b (a GDAL source) equals a's (the shapefile): vertices and attributes. */
static void same_features(shoal_source *a, shoal_source *b)
{
  CHECK(shoal_source_count(a) == shoal_source_count(b));
  CHECK(shoal_source_kind(a) == shoal_source_kind(b));
  shoal_geom ga, gb;
  shoal_geom_init(&ga, SHOAL_GEOM_NONE);
  shoal_geom_init(&gb, SHOAL_GEOM_NONE);
  for (int id = 0; id < shoal_source_count(a); id++) {
    char *name = shoal_source_attr(a, id, shoal_source_field_index(a, "name"));
    int ib = by_name(b, name);
    free(name);
    CHECK(ib >= 0);
    if (ib < 0)
      continue;
    CHECK(shoal_source_read(a, id, &ga) == SHOAL_OK);
    CHECK(shoal_source_read(b, ib, &gb) == SHOAL_OK);
    CHECK(ga.npts == gb.npts && ga.nparts == gb.nparts);
    if (ga.npts == gb.npts)
      CHECK(memcmp(ga.xy, gb.xy, 2 * ga.npts * sizeof *ga.xy) == 0);
    for (int f = 0; f < shoal_source_nfields(a); f++) {
      char *va = shoal_source_attr(a, id, f);
      char *vb =
          shoal_source_attr(b, ib, shoal_source_field_index(b, shoal_source_field(a, f)->name));
      CHECK_STR(vb, va);
      free(va);
      free(vb);
    }
  }
  shoal_geom_free(&ga);
  shoal_geom_free(&gb);
}

static void test_same_as_shapefile(void)
{
  static const char *const layers[] = {"areas", "routes", "ports"};
  static const char *const exts[] = {".geojson", ".fgb", ".kml"};
  for (int l = 0; l < 3; l++) {
    char shp[512], other[512];
    snprintf(shp, sizeof shp, FORMATS "%s.shp", layers[l]);
    shoal_source *a = open_layer(shp, NULL);
    for (int e = 0; e < 3; e++) {
      snprintf(other, sizeof other, FORMATS "%s%s", layers[l], exts[e]);
      shoal_source *b = open_layer(other, NULL);
      CHECK(a && b);
      if (a && b)
        same_features(a, b);
      shoal_source_close(b);
    }
    shoal_source *g = open_layer(FORMATS "all.gpkg", layers[l]);
    CHECK(g != NULL);
    if (a && g)
      same_features(a, g);
    shoal_source_close(g);
    shoal_source_close(a);
  }
  shoal_source *a = open_layer(FORMATS "ports.shp", NULL),
               *c = open_layer(FORMATS "ports.csv", NULL);
  CHECK(a && c);
  if (a && c)
    same_features(a, c);
  shoal_source_close(a);
  shoal_source_close(c);
}

static void test_queries(void)
{
  /* Through the GeoPackage's R-tree, and in memory for GeoJSON: the same answer. */
  const double box[4] = {113.6, 11.0, 114.0, 12.0}; /* only the second route's east leg */
  shoal_source *g = open_layer(FORMATS "all.gpkg", "routes");
  shoal_source *j = open_layer(FORMATS "routes.geojson", NULL);
  CHECK(g && j);
  if (!g || !j)
    return;
  int *ids = NULL;
  size_t n = 0;
  CHECK(shoal_source_query(g, box, &ids, &n) == SHOAL_OK);
  CHECK(n == 1 && ids[0] == 1);
  free(ids);
  CHECK(shoal_source_query(j, box, &ids, &n) == SHOAL_OK);
  CHECK(n == 1 && ids[0] == 1);
  free(ids);
  const double all[4] = {100, 0, 120, 20};
  CHECK(shoal_source_query(g, all, &ids, &n) == SHOAL_OK);
  CHECK(n == 2 && ids[0] == 0 && ids[1] == 1);
  free(ids);
  char *v = shoal_source_attr(g, 1, shoal_source_field_index(g, "name"));
  CHECK_STR(v, "航线乙");
  free(v);
  CHECK(strcmp(shoal_source_key(g), shoal_source_key(j)) != 0);
  shoal_source_close(g);
  shoal_source_close(j);
}

static void test_cache_per_layer(void)
{
  shoal_datacache *c = shoal_datacache_new();
  shoal_diag *d = shoal_diag_new();
  shoal_source *a = NULL, *b = NULL, *a2 = NULL;
  shoal_source_opts oa = {.layer = "areas"}, ob = {.layer = "ports"};
  CHECK(shoal_datacache_open(c, FORMATS "all.gpkg", &oa, d, &a) == SHOAL_OK);
  CHECK(shoal_datacache_open(c, FORMATS "all.gpkg", &ob, d, &b) == SHOAL_OK);
  CHECK(shoal_datacache_open(c, FORMATS "../formats/all.gpkg", &oa, d, &a2) == SHOAL_OK);
  CHECK(a && b && a != b && a == a2);
  CHECK(a && shoal_source_kind(a) == SHOAL_GEOM_POLYGON);
  CHECK(b && shoal_source_kind(b) == SHOAL_GEOM_POINT);
  shoal_diag_free(d);
  shoal_datacache_free(c);
}

static void test_errors(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  shoal_source_opts o = {.layer = "nosuch", .loc = {"map.yaml", 7, 11}};
  CHECK(shoal_source_open_opts(FORMATS "all.gpkg", &o, d, &s) == SHOAL_ERR_DATA && !s);
  const shoal_msg *m = shoal_diag_count(d) ? shoal_diag_get(d, 0) : NULL;
  CHECK(m && m->line == 7 && m->col == 11 && strstr(m->text, "has no layer 'nosuch'"));
  shoal_source_opts none = {.loc = {"map.yaml", 3, 9}};
  CHECK(shoal_source_open_opts(FORMATS "missing.geojson", &none, d, &s) == SHOAL_ERR_NOINPUT);
  CHECK(shoal_source_open_opts(FORMATS "all.gpkg", NULL, d, &s) == SHOAL_ERR_DATA);
  shoal_diag_free(d);
}

/* Two threads query and read one GeoPackage source at once (features are fetched lazily). */
typedef struct worker {
  shoal_source *s;
  int ok;
} worker;

static void *work(void *arg)
{
  worker *w = arg;
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  for (int round = 0; round < 200; round++) {
    const double box[4] = {110 + (round % 4), 8, 111 + (round % 4), 12};
    int *ids = NULL;
    size_t n = 0;
    if (shoal_source_query(w->s, box, &ids, &n) != SHOAL_OK)
      w->ok = 0;
    for (size_t i = 0; i < n; i++) {
      char *v = shoal_source_attr(w->s, ids[i], 0);
      if (shoal_source_read(w->s, ids[i], &g) != SHOAL_OK || g.npts == 0 || !v)
        w->ok = 0;
      free(v);
    }
    free(ids);
  }
  shoal_geom_free(&g);
  return NULL;
}

static void test_threads(void)
{
  shoal_source *s = open_layer(FORMATS "all.gpkg", "areas");
  CHECK(s != NULL);
  if (!s)
    return;
  worker w[2] = {{s, 1}, {s, 1}};
  pthread_t t[2];
  for (int i = 0; i < 2; i++)
    pthread_create(&t[i], NULL, work, &w[i]);
  for (int i = 0; i < 2; i++)
    pthread_join(t[i], NULL);
  CHECK(w[0].ok && w[1].ok);
  shoal_source_close(s);
}

int main(void)
{
  shoal_source *probe = open_layer(FORMATS "ports.geojson", NULL);
  if (!probe) {
    printf("built without GDAL: nothing to test\n");
    return check_done();
  }
  shoal_source_close(probe);
  test_same_as_shapefile();
  test_queries();
  test_cache_per_layer();
  test_errors();
  test_threads();
  return check_done();
}
