/* Loading a map file into the model (includes, overrides, variables, schema) and freeing it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/model.h"
#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

static void free_layer(shoal_layer *L)
{
  free(L->name);
  for (size_t i = 0; i < L->ndata; i++) {
    free(L->data[i].path);
    free(L->data[i].layer);
    free(L->data[i].lon);
    free(L->data[i].lat);
  }
  free(L->data);
  for (size_t i = 0; i < L->nrules; i++) {
    free(L->rules[i].filter_text);
    shoal_expr_free(L->rules[i].filter);
    free(L->rules[i].legend);
  }
  free(L->rules);
  free(L->legend);
  free(L->attribution);
  shoal_labelspec_free(L->label);
  shoal_zonesspec_free(L->zones);
}

void shoal_map_free(shoal_map *m)
{
  if (!m)
    return;
  free(m->path);
  free(m->crs);
  free(m->extent_crs);
  free(m->title);
  free(m->subtitle);
  free(m->credit);
  free(m->lang);
  free(m->font);
  for (size_t i = 0; i < m->nlayers; i++)
    free_layer(&m->layers[i]);
  free(m->layers);
  for (size_t i = 0; i < m->ndeps; i++)
    free(m->deps[i]);
  free(m->deps);
  shoal_annots_free(m->annots);
  shoal_furnspec_free(m->furn);
  free(m);
}

#define MAX_DEPS 4096

static void add_dep(shoal_map *m, const char *path)
{
  for (size_t i = 0; i < m->ndeps; i++)
    if (strcmp(m->deps[i], path) == 0)
      return;
  if (m->ndeps >= MAX_DEPS)
    return;
  size_t cap = m->ndeps; /* the array is always exactly full: it grows one by one */
  if (!SHOAL_GROW(&m->deps, &cap, m->ndeps + 1, 1, MAX_DEPS))
    return;
  char *c = shoal_strdup(path);
  if (c)
    m->deps[m->ndeps++] = c;
}

/* Files of the map and its includes, from the positions the tree's nodes remember. */
static void collect_files(shoal_map *m, const shoal_node *n, int depth)
{
  if (!n || depth > 64)
    return;
  if (n->file && strncmp(n->file, "--set", 5) != 0 &&
      (m->ndeps == 0 || strcmp(m->deps[m->ndeps - 1], n->file) != 0))
    add_dep(m, n->file);
  if (n->kind == SHOAL_NODE_SEQ)
    for (size_t i = 0; i < n->n; i++)
      collect_files(m, n->items[i], depth + 1);
  else if (n->kind == SHOAL_NODE_MAP)
    for (size_t i = 0; i < n->n; i++)
      collect_files(m, n->pairs[i].val, depth + 1);
}

/* A data file with the shapefile's companions. */
static void add_data_dep(shoal_map *m, const char *p)
{
  static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix"};
  size_t n = p ? strlen(p) : 0;
  if (n < 4 || n > 4000)
    return;
  if (strcasecmp(p + n - 4, ".shp") != 0) { /* a file read through GDAL is one file */
    add_dep(m, p);
    return;
  }
  char buf[4100];
  memcpy(buf, p, n - 4);
  for (size_t e = 0; e < sizeof exts / sizeof exts[0]; e++) {
    memcpy(buf + n - 4, exts[e], 5);
    if (access(buf, F_OK) == 0)
      add_dep(m, buf);
  }
}

/* Data files (and the inputs of computed zones), for watch mode and up-to-date checks. */
static void collect_data(shoal_map *m)
{
  for (size_t i = 0; i < m->nlayers; i++) {
    for (size_t j = 0; j < m->layers[i].ndata; j++)
      add_data_dep(m, m->layers[i].data[j].path);
    const shoal_zonesspec *z = m->layers[i].zones;
    if (z) {
      add_data_dep(m, z->from);
      add_data_dep(m, z->baselines);
      add_data_dep(m, z->claim);
    }
  }
}

shoal_map *shoal_map_read(const char *path, const char *const *sets, size_t nsets,
                          const shoal_searchpath *sp, shoal_diag *d)
{
  shoal_node *root = shoal_conf_load_map(path, sp, d);
  if (!root)
    return NULL;
  for (size_t i = 0; i < nsets; i++)
    shoal_conf_set(root, sets[i], d);
  shoal_conf_expand_vars(root, d);
  shoal_map *m = calloc(1, sizeof *m);
  if (!m) {
    shoal_node_free(root);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory loading '%s'", path);
    return NULL;
  }
  m->path = shoal_strdup(path);
  shoal_schema_build(root, sp, d, m);
  add_dep(m, path);
  collect_files(m, root, 0);
  collect_data(m);
  shoal_node_free(root);
  return m;
}

shoal_map *shoal_map_load(const char *path, const char *const *sets, size_t nsets, shoal_diag *d)
{
  size_t before = shoal_diag_nerrors(d);
  shoal_map *m = shoal_map_read(path, sets, nsets, NULL, d);
  if (m && shoal_diag_nerrors(d) != before) {
    shoal_map_free(m);
    return NULL;
  }
  return m;
}

void shoal_map_set_page(shoal_map *m, int width, int height, double scale)
{
  if (width > 0)
    m->width = width;
  if (height > 0)
    m->height = height;
  if (scale > 0)
    m->scale = scale;
}
