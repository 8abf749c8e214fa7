/* --set overrides: "a.b.c=value" edits of a loaded tree. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"

#define MAX_SET_SEGMENTS 32

static void set_error(shoal_diag *d, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_error(shoal_diag *d, const char *path, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--set %s: %s", path, msg);
}

static void set_file(shoal_node *n, const char *file)
{
  n->file = file;
  for (size_t i = 0; i < n->n; i++) {
    if (n->kind == SHOAL_NODE_SEQ)
      set_file(n->items[i], file);
    else if (n->kind == SHOAL_NODE_MAP) {
      set_file(n->pairs[i].key, file);
      set_file(n->pairs[i].val, file);
    }
  }
}

/* The value of a --set: YAML flow syntax when it starts like a list, mapping or quoted string;
 * otherwise the text itself, so that "#fff" and "Spratly: 2024" need no quoting. */
static shoal_node *make_value(const char *path, const char *name, const char *text, shoal_diag *d)
{
  while (*text == ' ' || *text == '\t')
    text++;
  size_t len = strlen(text);
  while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  if (len > SHOAL_CONF_MAX_SCALAR) {
    set_error(d, path, "a value of %zu bytes; the limit is %u bytes (64 KiB)", len,
              SHOAL_CONF_MAX_SCALAR);
    return NULL;
  }
  const char *file = shoal_diag_add_file(d, name, text, len);
  if (!file) {
    set_error(d, path, "out of memory");
    return NULL;
  }
  if (len && strchr("[{\"'", text[0])) {
    shoal_diag *tmp = shoal_diag_new();
    shoal_node *v = tmp ? shoal_conf_parse(name, text, len, tmp) : NULL;
    if (!v) {
      const shoal_msg *m = tmp ? shoal_diag_get(tmp, 0) : NULL;
      if (m)
        set_error(d, path, "bad value: %s", m->text);
      else
        set_error(d, path, "bad value");
    } else {
      set_file(v, file); /* names were interned in tmp, which is going away */
    }
    shoal_diag_free(tmp);
    return v;
  }
  char *copy = shoal_strndup(text, len);
  shoal_node *v = copy ? shoal_node_new_scalar(file, 1, 1, copy) : NULL;
  free(copy);
  if (!v)
    set_error(d, path, "out of memory");
  return v;
}

/* Put val under key in map, replacing an existing value. Consumes val. */
static bool put(shoal_node *map, const char *key, size_t klen, shoal_node *val, const char *file)
{
  for (size_t i = 0; i < map->n; i++) {
    if (strlen(map->pairs[i].key->str) == klen && !memcmp(map->pairs[i].key->str, key, klen)) {
      shoal_node_free(map->pairs[i].val);
      map->pairs[i].val = val;
      return true;
    }
  }
  char *k = shoal_strndup(key, klen);
  shoal_node *kn = k ? shoal_node_new_scalar(file, 0, 0, k) : NULL;
  free(k);
  if (!kn) {
    shoal_node_free(val);
    return false;
  }
  return shoal_node_map_add(map, kn, val);
}

/* Index of the sequence item a path segment names: a 0-based number or an item's name:. */
static bool seq_index(shoal_diag *d, const char *path, int parent_len, const shoal_node *seq,
                      const char *seg, size_t slen, size_t *idx)
{
  size_t digits = 0;
  while (digits < slen && seg[digits] >= '0' && seg[digits] <= '9')
    digits++;
  if (digits == slen && slen <= 9) {
    size_t v = 0;
    for (size_t i = 0; i < slen; i++)
      v = v * 10 + (size_t)(seg[i] - '0');
    if (v >= seq->n) {
      set_error(d, path, "index %zu is out of range ('%.*s' has %zu item%s)", v, parent_len, path,
                seq->n, seq->n == 1 ? "" : "s");
      return false;
    }
    *idx = v;
    return true;
  }
  const char **names = calloc(seq->n ? seq->n : 1, sizeof *names);
  size_t nn = 0;
  for (size_t i = 0; i < seq->n; i++) {
    shoal_pair *p = shoal_node_find(seq->items[i], "name");
    if (!p || p->val->kind != SHOAL_NODE_SCALAR)
      continue;
    if (strlen(p->val->str) == slen && !memcmp(p->val->str, seg, slen)) {
      free(names);
      *idx = i;
      return true;
    }
    if (names)
      names[nn++] = p->val->str;
  }
  char want[256];
  snprintf(want, sizeof want, "%.*s", (int)(slen < 200 ? slen : 200), seg);
  const char *s = names ? shoal_suggest(want, names, nn) : NULL;
  if (s)
    set_error(d, path, "no item named '%s' in '%.*s' (did you mean '%s'?)", want, parent_len, path,
              s);
  else
    set_error(d, path, "no item named '%s' in '%.*s'", want, parent_len, path);
  free(names);
  return false;
}

/* The key path of a --set, cut into segments (offsets into path). */
typedef struct set_path {
  char path[520];
  size_t len;
  size_t at[MAX_SET_SEGMENTS], seglen[MAX_SET_SEGMENTS];
  size_t n;
} set_path;

/* Cut path->path at the dots; false after reporting an empty or over-long path. */
static bool split_path(set_path *sp, shoal_diag *d)
{
  for (size_t i = 0; i <= sp->len; sp->n++) {
    if (sp->n == MAX_SET_SEGMENTS) {
      set_error(d, sp->path, "more than %d path segments", MAX_SET_SEGMENTS);
      return false;
    }
    size_t j = i;
    while (j < sp->len && sp->path[j] != '.')
      j++;
    if (j == i) {
      set_error(d, sp->path, "empty path segment");
      return false;
    }
    sp->at[sp->n] = i;
    sp->seglen[sp->n] = j - i;
    i = j + 1;
  }
  return true;
}

/* A bare key means the first match among the top level and map:, else a new key under map:
 * (where titles and languages live) when there is one. Consumes val. */
static bool set_bare(shoal_node *root, const set_path *sp, shoal_node *val, shoal_diag *d)
{
  shoal_node *target = root;
  shoal_pair *mp = shoal_node_find(root, "map");
  if (!shoal_node_find(root, sp->path) && mp && mp->val->kind == SHOAL_NODE_MAP)
    target = mp->val;
  if (!put(target, sp->path, sp->len, val, val->file)) {
    set_error(d, sp->path, "out of memory");
    return false;
  }
  return true;
}

/* The value under segment seg of mapping cur, created as an empty mapping when missing;
 * NULL when out of memory. */
static shoal_node *map_child(shoal_node *cur, const char *seg, size_t slen, const char *file)
{
  for (size_t k = 0; k < cur->n; k++)
    if (strlen(cur->pairs[k].key->str) == slen && !memcmp(cur->pairs[k].key->str, seg, slen))
      return cur->pairs[k].val;
  shoal_node *m = shoal_node_new_map(file, 0, 0);
  if (!m || !put(cur, seg, slen, m, file))
    return NULL;
  return cur->pairs[cur->n - 1].val;
}

/* Follow the segments from root and put val at the end. Consumes val. */
static bool set_walk(shoal_node *root, const set_path *sp, shoal_node *val, shoal_diag *d)
{
  shoal_node *cur = root;
  const char *path = sp->path;
  for (size_t i = 0; i < sp->n; i++) {
    const char *seg = path + sp->at[i];
    size_t slen = sp->seglen[i];
    bool last = i + 1 == sp->n;
    int parent_len = i ? (int)(sp->at[i] - 1) : 0;
    if (cur->kind == SHOAL_NODE_SCALAR && !cur->quoted && !cur->str[0]) {
      /* "legend:" with nothing after it is an empty mapping waiting to be filled. */
      free(cur->str);
      cur->str = NULL;
      cur->kind = SHOAL_NODE_MAP;
    }
    if (cur->kind == SHOAL_NODE_MAP && last) {
      if (put(cur, seg, slen, val, val->file))
        return true;
      set_error(d, path, "out of memory");
      return false;
    } else if (cur->kind == SHOAL_NODE_MAP) {
      if (!(cur = map_child(cur, seg, slen, val->file))) {
        set_error(d, path, "out of memory");
        break;
      }
    } else if (cur->kind == SHOAL_NODE_SEQ) {
      size_t idx;
      if (!seq_index(d, path, parent_len, cur, seg, slen, &idx))
        break;
      if (last) {
        shoal_node_free(cur->items[idx]);
        cur->items[idx] = val;
        return true;
      }
      cur = cur->items[idx];
    } else {
      set_error(d, path, "'%.*s' is a single value, not a mapping or list", parent_len, path);
      break;
    }
  }
  shoal_node_free(val);
  return false;
}

bool shoal_conf_set(shoal_node *root, const char *assignment, shoal_diag *d)
{
  if (!assignment)
    return false;
  const char *eq = strchr(assignment, '=');
  const char *ps = assignment;
  while (*ps == ' ')
    ps++;
  set_path sp = {.len = eq ? (size_t)(eq - ps) : strlen(ps)};
  while (sp.len && ps[sp.len - 1] == ' ')
    sp.len--;
  if (sp.len > 512)
    sp.len = 512;
  snprintf(sp.path, sizeof sp.path, "%.*s", (int)sp.len, ps);
  if (!eq) {
    set_error(d, sp.path, "expected key=value");
    return false;
  }
  if (!sp.len) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--set %s: empty key before '='", assignment);
    return false;
  }
  if (!root || root->kind != SHOAL_NODE_MAP) {
    set_error(d, sp.path, "the configuration is not a mapping");
    return false;
  }
  if (!split_path(&sp, d))
    return false;
  char name[600];
  snprintf(name, sizeof name, "--set %s", sp.path);
  shoal_node *val = make_value(sp.path, name, eq + 1, d);
  if (!val)
    return false;
  return sp.n == 1 ? set_bare(root, &sp, val, d) : set_walk(root, &sp, val, d);
}
