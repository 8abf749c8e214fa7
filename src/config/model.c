/* Loading a map file into the model (includes, overrides, variables, schema) and freeing it. */
#include <stdlib.h>

#include "config/model.h"
#include "config/node.h"
#include "config/schema.h"

static void free_layer(shoal_layer *L)
{
  free(L->name);
  for (size_t i = 0; i < L->ndata; i++)
    free(L->data[i].path);
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
  shoal_annots_free(m->annots);
  shoal_furnspec_free(m->furn);
  free(m);
}

shoal_map *shoal_map_load(const char *path, const char *const *sets, size_t nsets, shoal_diag *d)
{
  size_t before = shoal_diag_nerrors(d);
  shoal_node *root = shoal_conf_load_map(path, d);
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
  shoal_schema_build(root, d, m);
  shoal_node_free(root);
  if (shoal_diag_nerrors(d) != before) {
    shoal_map_free(m);
    return NULL;
  }
  return m;
}
