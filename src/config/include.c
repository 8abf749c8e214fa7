/* include: loading a map file with the files it includes, merged under it. An include is
 * looked for beside the file that names it, then along the search path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/searchpath.h"
#include "config/node.h"

#define MAX_INCLUDE_DEPTH 32
#define MAX_PATH_LEN 4096

typedef struct inc_frame {
  dev_t dev; /* file identity, to recognise a file reached by another spelling */
  ino_t ino;
  bool known;        /* stat worked */
  const char *shown; /* path as messages show it */
} inc_frame;

typedef struct inc_stack {
  inc_frame v[MAX_INCLUDE_DEPTH];
  size_t n;
} inc_stack;

/* rel resolved against the directory of the file that names it; caller frees. */
static char *join_path(const char *from, const char *rel)
{
  while (rel[0] == '.' && rel[1] == '/')
    rel += 2;
  size_t dl = 0;
  if (rel[0] != '/') {
    const char *slash = strrchr(from, '/');
    if (slash)
      dl = (size_t)(slash - from) + 1;
  }
  size_t rl = strlen(rel);
  if (dl + rl >= MAX_PATH_LEN)
    return NULL;
  char *p = malloc(dl + rl + 1);
  if (!p)
    return NULL;
  memcpy(p, from, dl);
  memcpy(p + dl, rel, rl + 1);
  return p;
}

static void remove_pair(shoal_node *map, size_t i)
{
  memmove(map->pairs + i, map->pairs + i + 1, (map->n - i - 1) * sizeof *map->pairs);
  map->n--;
}

/* Merge under into over (over wins; nested mappings merge key by key). Consumes both and
 * returns the result. Keys keep their own positions, so messages name the right file. */
static shoal_node *merge(shoal_node *over, shoal_node *under, shoal_diag *d)
{
  if (over->kind != SHOAL_NODE_MAP || under->kind != SHOAL_NODE_MAP) {
    shoal_node_free(under);
    return over;
  }
  size_t total = over->n + under->n;
  shoal_pair *np = malloc((total ? total : 1) * sizeof *np);
  bool *taken = calloc(over->n ? over->n : 1, sizeof *taken);
  if (!np || !taken) {
    free(np);
    free(taken);
    shoal_diag_error_at(d, SHOAL_ERR_NOMEM, shoal_node_loc(over),
                        "out of memory while merging an include");
    shoal_node_free(under);
    return over;
  }
  size_t k = 0;
  /* The included keys come first, as if the file had been pasted where include: stood. */
  for (size_t i = 0; i < under->n; i++) {
    shoal_pair *u = &under->pairs[i];
    size_t j = 0;
    while (j < over->n && (taken[j] || strcmp(over->pairs[j].key->str, u->key->str) != 0))
      j++;
    if (j < over->n) {
      taken[j] = true;
      np[k].key = over->pairs[j].key;
      np[k].val = merge(over->pairs[j].val, u->val, d);
      shoal_node_free(u->key);
    } else {
      np[k] = *u;
    }
    k++;
  }
  for (size_t j = 0; j < over->n; j++)
    if (!taken[j])
      np[k++] = over->pairs[j];
  free(taken);
  free(over->pairs);
  over->pairs = np;
  over->n = k;
  over->cap = total ? total : 1;
  free(under->pairs);
  under->pairs = NULL;
  under->n = 0;
  shoal_node_free(under);
  return over;
}

static shoal_node *load_rec(const char *path, shoal_diag *d, const shoal_node *from, inc_stack *st,
                            const shoal_searchpath *sp);

/* The file an include item names: beside the including file when something of that name is
 * there (so a folder or an unreadable file is reported as such), else the first readable one
 * along the search path. NULL after reporting. Caller frees. */
static char *find_include(const char *path, const shoal_node *item, const shoal_searchpath *sp,
                          shoal_diag *d)
{
  char *joined = join_path(path, item->str);
  if (!joined) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(item),
                        "include path too long or out of memory");
    return NULL;
  }
  struct stat sb;
  if (stat(joined, &sb) == 0)
    return joined;
  char *tried = NULL;
  char *found = shoal_searchpath_find(sp, path, item->str, &tried);
  if (!found)
    shoal_diag_error_at(d, SHOAL_ERR_NOINPUT, shoal_node_loc(item),
                        "cannot find included file '%s' (looked in %s)", item->str,
                        tried ? tried : "no folder");
  free(tried);
  free(joined);
  return found;
}

/* Report an include cycle: the chain from the first visit of the file back to it. */
static void report_cycle(const inc_stack *st, size_t from, const char *joined,
                         const shoal_node *item, shoal_diag *d)
{
  char chain[1024];
  size_t o = 0;
  for (size_t j = from; j < st->n && o < sizeof chain; j++) {
    int w = snprintf(chain + o, sizeof chain - o, "%s -> ", st->v[j].shown);
    if (w > 0)
      o += (size_t)w;
  }
  if (o < sizeof chain)
    snprintf(chain + o, sizeof chain - o, "%s", joined);
  shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(item), "include cycle: %s", chain);
}

/* Load one include item, refusing cycles. Returns the included tree or NULL. */
static shoal_node *load_item(const char *path, const shoal_node *item, shoal_diag *d, inc_stack *st,
                             const shoal_searchpath *sp)
{
  if (item->kind != SHOAL_NODE_SCALAR || !item->str[0]) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(item), "an include must be a file path");
    return NULL;
  }
  char *joined = find_include(path, item, sp, d);
  if (!joined)
    return NULL;
  struct stat sb;
  bool known = stat(joined, &sb) == 0;
  for (size_t i = 0; known && i < st->n; i++) {
    if (!st->v[i].known || st->v[i].dev != sb.st_dev || st->v[i].ino != sb.st_ino)
      continue;
    report_cycle(st, i, joined, item, d);
    free(joined);
    return NULL;
  }
  if (st->n >= MAX_INCLUDE_DEPTH) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(item),
                        "includes nest deeper than %d files", MAX_INCLUDE_DEPTH);
    free(joined);
    return NULL;
  }
  shoal_node *sub = load_rec(joined, d, item, st, sp);
  free(joined);
  if (sub && sub->kind != SHOAL_NODE_MAP) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(sub),
                        "an included file must be a mapping of keys");
    shoal_node_free(sub);
    return NULL;
  }
  return sub;
}

static shoal_node *load_rec(const char *path, shoal_diag *d, const shoal_node *from, inc_stack *st,
                            const shoal_searchpath *sp)
{
  shoal_node *root = shoal_conf_load(path, d, from ? from->file : NULL, from ? from->line : 0,
                                     from ? from->col : 0);
  if (!root || root->kind != SHOAL_NODE_MAP)
    return root;
  size_t at = 0;
  while (at < root->n && strcmp(root->pairs[at].key->str, "include") != 0)
    at++;
  if (at == root->n)
    return root;
  shoal_node *key = root->pairs[at].key, *inc = root->pairs[at].val;
  remove_pair(root, at);

  bool ok = true;
  shoal_node *base = NULL;
  struct stat sb;
  inc_frame *fr = &st->v[st->n];
  fr->known = stat(path, &sb) == 0;
  fr->dev = fr->known ? sb.st_dev : 0;
  fr->ino = fr->known ? sb.st_ino : 0;
  fr->shown = root->file;
  st->n++;
  if (inc->kind == SHOAL_NODE_MAP) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(inc),
                        "'include' must be a file path or a list of paths");
    ok = false;
  }
  size_t n = inc->kind == SHOAL_NODE_SEQ ? inc->n : inc->kind == SHOAL_NODE_SCALAR ? 1 : 0;
  if (inc->kind == SHOAL_NODE_SCALAR && !inc->quoted && !inc->str[0])
    n = 0; /* "include:" */
  for (size_t i = 0; i < n; i++) {
    const shoal_node *item = inc->kind == SHOAL_NODE_SEQ ? inc->items[i] : inc;
    shoal_node *sub = load_item(path, item, d, st, sp);
    if (!sub)
      ok = false;
    else
      base = base ? merge(sub, base, d) : sub; /* later includes override earlier ones */
  }
  st->n--;
  shoal_node_free(key);
  shoal_node_free(inc);
  if (!ok) {
    shoal_node_free(base);
    shoal_node_free(root);
    return NULL;
  }
  return base ? merge(root, base, d) : root;
}

shoal_node *shoal_conf_load_map(const char *path, const shoal_searchpath *sp, shoal_diag *d)
{
  inc_stack st;
  st.n = 0;
  return load_rec(path, d, NULL, &st, sp);
}
