/* The node tree of a YAML document: constructors, lookups, deep copies and the unused-key
 * warning. Knows nothing of libyaml (yamlread.c builds trees from text). */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"
#include "config/node_priv.h"

shoal_node *shoal_node_new(shoal_node_kind kind, const char *file, int line, int col)
{
  shoal_node *n = calloc(1, sizeof *n);
  if (!n)
    return NULL;
  n->kind = kind;
  n->file = file;
  n->line = line;
  n->col = col;
  return n;
}

shoal_node *shoal_node_new_scalar(const char *file, int line, int col, const char *text)
{
  shoal_node *n = shoal_node_new(SHOAL_NODE_SCALAR, file, line, col);
  if (!n)
    return NULL;
  n->str = shoal_strdup(text ? text : "");
  if (!n->str) {
    free(n);
    return NULL;
  }
  return n;
}

shoal_node *shoal_node_new_map(const char *file, int line, int col)
{
  return shoal_node_new(SHOAL_NODE_MAP, file, line, col);
}

shoal_node *shoal_node_new_seq(const char *file, int line, int col)
{
  return shoal_node_new(SHOAL_NODE_SEQ, file, line, col);
}

void shoal_node_free(shoal_node *n)
{
  if (!n)
    return;
  free(n->str);
  for (size_t i = 0; n->items && i < n->n; i++)
    shoal_node_free(n->items[i]);
  for (size_t i = 0; n->pairs && i < n->n; i++) {
    shoal_node_free(n->pairs[i].key);
    shoal_node_free(n->pairs[i].val);
  }
  free(n->items);
  free(n->pairs);
  free(n);
}

/* Array arr of n elements (capacity *cap) with room for one more: doubling, overflow-checked,
 * capped. Returns the array (perhaps moved), or NULL with arr intact. */
bool shoal_node_map_add(shoal_node *map, shoal_node *key, shoal_node *val)
{
  if (!map || map->kind != SHOAL_NODE_MAP || !key || !val ||
      !SHOAL_GROW(&map->pairs, &map->cap, map->n + 1, 4, CONF_MAX_ITEMS)) {
    shoal_node_free(key);
    shoal_node_free(val);
    return false;
  }
  map->pairs[map->n].key = key;
  map->pairs[map->n].val = val;
  map->n++;
  return true;
}

bool shoal_node_seq_add(shoal_node *seq, shoal_node *item)
{
  if (!seq || seq->kind != SHOAL_NODE_SEQ || !item ||
      !SHOAL_GROW(&seq->items, &seq->cap, seq->n + 1, 4, CONF_MAX_ITEMS)) {
    shoal_node_free(item);
    return false;
  }
  seq->items[seq->n++] = item;
  return true;
}

shoal_pair *shoal_node_find(const shoal_node *map, const char *key)
{
  if (!map || map->kind != SHOAL_NODE_MAP || !key)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->pairs[i].key->str, key) == 0)
      return &map->pairs[i];
  return NULL;
}

shoal_node *shoal_node_get(shoal_node *map, const char *key)
{
  shoal_pair *p = shoal_node_find(map, key);
  if (!p)
    return NULL;
  p->key->used = true;
  p->val->used = true;
  return p->val;
}

shoal_node *shoal_node_clone_counted(const shoal_node *n, size_t *budget)
{
  if (!n)
    return NULL;
  if (budget && (*budget)++ >= CONF_MAX_NODES)
    return NULL;
  if (budget && n->kind == SHOAL_NODE_SCALAR &&
      (*budget += strlen(n->str) / CONF_TEXT_PER_NODE) >= CONF_MAX_NODES)
    return NULL;
  shoal_node *c = shoal_node_new(n->kind, n->file, n->line, n->col);
  if (!c)
    return NULL;
  c->quoted = n->quoted;
  c->used = n->used;
  if (n->kind == SHOAL_NODE_SCALAR) {
    if (!(c->str = shoal_strdup(n->str)))
      goto fail;
  } else if (n->n) {
    if (n->kind == SHOAL_NODE_SEQ) {
      c->items = calloc(n->n, sizeof *c->items);
      if (!c->items)
        goto fail;
      c->cap = n->n;
      for (size_t i = 0; i < n->n; i++, c->n++)
        if (!(c->items[i] = shoal_node_clone_counted(n->items[i], budget)))
          goto fail;
    } else {
      c->pairs = calloc(n->n, sizeof *c->pairs);
      if (!c->pairs)
        goto fail;
      c->cap = n->n;
      for (size_t i = 0; i < n->n; i++) {
        shoal_node *k = shoal_node_clone_counted(n->pairs[i].key, budget);
        shoal_node *v = k ? shoal_node_clone_counted(n->pairs[i].val, budget) : NULL;
        if (!v) {
          shoal_node_free(k);
          goto fail;
        }
        c->pairs[i].key = k;
        c->pairs[i].val = v;
        c->n++;
      }
    }
  }
  return c;
fail:
  shoal_node_free(c);
  return NULL;
}

shoal_node *shoal_node_clone(const shoal_node *n) { return shoal_node_clone_counted(n, NULL); }

void shoal_node_warn_unused(const shoal_node *root, shoal_diag *d)
{
  if (!root)
    return;
  if (root->kind == SHOAL_NODE_SEQ) {
    for (size_t i = 0; i < root->n; i++)
      shoal_node_warn_unused(root->items[i], d);
  } else if (root->kind == SHOAL_NODE_MAP) {
    for (size_t i = 0; i < root->n; i++) {
      const shoal_pair *p = &root->pairs[i];
      /* One warning per unused subtree: its inner keys are unused by implication. */
      if (!p->key->used)
        shoal_diag_warn_at(d, shoal_node_loc(p->key), "key '%s' is not used", p->key->str);
      else
        shoal_node_warn_unused(p->val, d);
    }
  }
}
