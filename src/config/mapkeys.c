/* Checks every just-read YAML mapping gets: duplicate keys are errors, and YAML 1.1 merge
 * keys ("<<: *base") are applied in place. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"
#include "config/node_priv.h"

/* The keys the '<<' value src supplies that map lacks, as a new mapping (NULL when out of
 * memory). Earlier sources win, as do the explicit keys of the mapping itself. */
static shoal_node *merged_keys(const shoal_node *map, const shoal_node *k, const shoal_node *v,
                               shoal_diag *d, bool *errors)
{
  shoal_node *extra = shoal_node_new(SHOAL_NODE_MAP, k->file, k->line, k->col);
  size_t nsrc = v->kind == SHOAL_NODE_SEQ ? v->n : 1;
  for (size_t s = 0; extra && s < nsrc; s++) {
    const shoal_node *src = v->kind == SHOAL_NODE_SEQ ? v->items[s] : v;
    if (src->kind != SHOAL_NODE_MAP) {
      shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(src),
                          "'<<' needs a mapping or a list of mappings");
      *errors = true;
      continue;
    }
    for (size_t j = 0; j < src->n; j++) {
      const char *key = src->pairs[j].key->str;
      if (shoal_node_find(map, key) || shoal_node_find(extra, key))
        continue;
      if (!shoal_node_map_add(extra, shoal_node_clone(src->pairs[j].key),
                              shoal_node_clone(src->pairs[j].val))) {
        shoal_node_free(extra);
        return NULL;
      }
    }
  }
  return extra;
}

bool shoal_node_merge_keys(shoal_node *map, shoal_diag *d, bool *errors)
{
  size_t i = 0;
  while (i < map->n) {
    shoal_node *k = map->pairs[i].key;
    if (k->quoted || strcmp(k->str, "<<") != 0) {
      i++;
      continue;
    }
    shoal_node *v = map->pairs[i].val;
    /* Take the '<<' pair out first so that the lookups below see only real keys. */
    memmove(map->pairs + i, map->pairs + i + 1, (map->n - i - 1) * sizeof *map->pairs);
    map->n--;
    shoal_node *extra = merged_keys(map, k, v, d, errors);
    shoal_loc at = shoal_node_loc(k);
    shoal_node_free(k);
    shoal_node_free(v);
    if (!extra || !SHOAL_GROW(&map->pairs, &map->cap, map->n + extra->n, 4, CONF_MAX_ITEMS)) {
      shoal_diag_error_at(d, SHOAL_ERR_NOMEM, at, "out of memory");
      *errors = true;
      shoal_node_free(extra);
      return false;
    }
    /* Splice the merged pairs in where the '<<' was, keeping document order. */
    if (extra->n) {
      memmove(map->pairs + i + extra->n, map->pairs + i, (map->n - i) * sizeof *map->pairs);
      memcpy(map->pairs + i, extra->pairs, extra->n * sizeof *map->pairs);
    }
    map->n += extra->n;
    i += extra->n;
    free(extra->pairs);
    free(extra);
  }
  return true;
}

typedef struct keyref {
  const char *key;
  size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
  const keyref *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Report duplicate keys in document order; sorting keeps big mappings O(n log n). */
bool shoal_node_check_duplicates(const shoal_node *map, shoal_diag *d)
{
  if (map->n < 2)
    return false;
  keyref *refs = malloc(map->n * sizeof *refs);
  size_t *first = malloc(map->n * sizeof *first);
  if (!refs || !first) {
    free(refs);
    free(first);
    return false;
  }
  for (size_t i = 0; i < map->n; i++) {
    refs[i] = (keyref){map->pairs[i].key->str, i};
    first[i] = SIZE_MAX;
  }
  qsort(refs, map->n, sizeof *refs, keyref_cmp);
  for (size_t i = 1; i < map->n; i++) {
    size_t j = i;
    while (j > 0 && strcmp(refs[j - 1].key, refs[i].key) == 0)
      j--;
    if (j != i)
      first[refs[i].idx] = refs[j].idx;
  }
  bool any = false;
  for (size_t i = 0; i < map->n; i++) {
    if (first[i] == SIZE_MAX)
      continue;
    const shoal_node *k = map->pairs[i].key, *f = map->pairs[first[i]].key;
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(k),
                        "duplicate key '%s' (first defined at line %d)", k->str, f->line);
    any = true;
  }
  free(refs);
  free(first);
  return any;
}
