/* Operations on loaded config trees: include: merging, --set overrides and $variables. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/node.h"
#include "base/mem.h"

#define MAX_INCLUDE_DEPTH 32
#define MAX_SET_SEGMENTS 32
#define MAX_VAR_LEVEL 32
#define MAX_VAR_NODES 1000000u
#define MAX_PATH_LEN 4096
#define MAX_TEXT_LEN (1u << 20)

/* ---- include ---------------------------------------------------------------------------- */

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
    shoal_diag_error(d, SHOAL_ERR_NOMEM, over->file, over->line, over->col,
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

static shoal_node *load_rec(const char *path, shoal_diag *d, const shoal_node *from, inc_stack *st);

/* Load one include item, refusing cycles. Returns the included tree or NULL. */
static shoal_node *load_item(const char *path, const shoal_node *item, shoal_diag *d, inc_stack *st)
{
  if (item->kind != SHOAL_NODE_SCALAR || !item->str[0]) {
    shoal_diag_error(d, SHOAL_ERR_DATA, item->file, item->line, item->col,
                     "an include must be a file path");
    return NULL;
  }
  char *joined = join_path(path, item->str);
  if (!joined) {
    shoal_diag_error(d, SHOAL_ERR_DATA, item->file, item->line, item->col,
                     "include path too long or out of memory");
    return NULL;
  }
  struct stat sb;
  bool known = stat(joined, &sb) == 0;
  for (size_t i = 0; known && i < st->n; i++) {
    if (!st->v[i].known || st->v[i].dev != sb.st_dev || st->v[i].ino != sb.st_ino)
      continue;
    char chain[1024];
    size_t o = 0;
    for (size_t j = i; j < st->n && o < sizeof chain; j++) {
      int w = snprintf(chain + o, sizeof chain - o, "%s -> ", st->v[j].shown);
      if (w > 0)
        o += (size_t)w;
    }
    if (o < sizeof chain)
      snprintf(chain + o, sizeof chain - o, "%s", joined);
    shoal_diag_error(d, SHOAL_ERR_DATA, item->file, item->line, item->col, "include cycle: %s",
                     chain);
    free(joined);
    return NULL;
  }
  if (st->n >= MAX_INCLUDE_DEPTH) {
    shoal_diag_error(d, SHOAL_ERR_DATA, item->file, item->line, item->col,
                     "includes nest deeper than %d files", MAX_INCLUDE_DEPTH);
    free(joined);
    return NULL;
  }
  shoal_node *sub = load_rec(joined, d, item, st);
  free(joined);
  if (sub && sub->kind != SHOAL_NODE_MAP) {
    shoal_diag_error(d, SHOAL_ERR_DATA, sub->file, sub->line, sub->col,
                     "an included file must be a mapping of keys");
    shoal_node_free(sub);
    return NULL;
  }
  return sub;
}

static shoal_node *load_rec(const char *path, shoal_diag *d, const shoal_node *from, inc_stack *st)
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
    shoal_diag_error(d, SHOAL_ERR_DATA, inc->file, inc->line, inc->col,
                     "'include' must be a file path or a list of paths");
    ok = false;
  }
  size_t n = inc->kind == SHOAL_NODE_SEQ ? inc->n : inc->kind == SHOAL_NODE_SCALAR ? 1 : 0;
  if (inc->kind == SHOAL_NODE_SCALAR && !inc->quoted && !inc->str[0])
    n = 0; /* "include:" */
  for (size_t i = 0; i < n; i++) {
    const shoal_node *item = inc->kind == SHOAL_NODE_SEQ ? inc->items[i] : inc;
    shoal_node *sub = load_item(path, item, d, st);
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

shoal_node *shoal_conf_load_map(const char *path, shoal_diag *d)
{
  inc_stack st;
  st.n = 0;
  return load_rec(path, d, NULL, &st);
}

/* ---- --set ------------------------------------------------------------------------------ */

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

bool shoal_conf_set(shoal_node *root, const char *assignment, shoal_diag *d)
{
  if (!assignment)
    return false;
  const char *eq = strchr(assignment, '=');
  const char *ps = assignment;
  while (*ps == ' ')
    ps++;
  size_t plen = eq ? (size_t)(eq - ps) : strlen(ps);
  while (plen && ps[plen - 1] == ' ')
    plen--;
  if (plen > 512)
    plen = 512;
  char path[520];
  snprintf(path, sizeof path, "%.*s", (int)plen, ps);
  if (!eq) {
    set_error(d, path, "expected key=value");
    return false;
  }
  if (!plen) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--set %s: empty key before '='", assignment);
    return false;
  }
  if (!root || root->kind != SHOAL_NODE_MAP) {
    set_error(d, path, "the configuration is not a mapping");
    return false;
  }
  /* Split the path into segments (offsets into path[]). */
  size_t seg_at[MAX_SET_SEGMENTS], seg_len[MAX_SET_SEGMENTS], nseg = 0;
  for (size_t i = 0; i <= plen; nseg++) {
    if (nseg == MAX_SET_SEGMENTS) {
      set_error(d, path, "more than %d path segments", MAX_SET_SEGMENTS);
      return false;
    }
    size_t j = i;
    while (j < plen && path[j] != '.')
      j++;
    if (j == i) {
      set_error(d, path, "empty path segment");
      return false;
    }
    seg_at[nseg] = i;
    seg_len[nseg] = j - i;
    i = j + 1;
  }
  char name[600];
  snprintf(name, sizeof name, "--set %s", path);
  shoal_node *val = make_value(path, name, eq + 1, d);
  if (!val)
    return false;
  const char *file = val->file;

  if (nseg == 1) {
    /* A bare key means the first match among the top level and map:, else a new key under
     * map: (where titles and languages live) when there is one. */
    shoal_node *target = root;
    shoal_pair *mp = shoal_node_find(root, "map");
    if (!shoal_node_find(root, path) && mp && mp->val->kind == SHOAL_NODE_MAP)
      target = mp->val;
    if (!put(target, path, plen, val, file)) {
      set_error(d, path, "out of memory");
      return false;
    }
    return true;
  }

  shoal_node *cur = root;
  for (size_t i = 0; i < nseg; i++) {
    const char *seg = path + seg_at[i];
    size_t slen = seg_len[i];
    bool last = i + 1 == nseg;
    int parent_len = i ? (int)(seg_at[i] - 1) : 0;
    if (cur->kind == SHOAL_NODE_SCALAR && !cur->quoted && !cur->str[0]) {
      /* "legend:" with nothing after it is an empty mapping waiting to be filled. */
      free(cur->str);
      cur->str = NULL;
      cur->kind = SHOAL_NODE_MAP;
    }
    if (cur->kind == SHOAL_NODE_MAP) {
      if (last) {
        if (!put(cur, seg, slen, val, file)) {
          set_error(d, path, "out of memory");
          return false;
        }
        return true;
      }
      shoal_pair *p = NULL;
      for (size_t k = 0; k < cur->n && !p; k++)
        if (strlen(cur->pairs[k].key->str) == slen && !memcmp(cur->pairs[k].key->str, seg, slen))
          p = &cur->pairs[k];
      if (!p) {
        shoal_node *m = shoal_node_new_map(file, 0, 0);
        if (!m || !put(cur, seg, slen, m, file)) {
          shoal_node_free(val);
          set_error(d, path, "out of memory");
          return false;
        }
        p = &cur->pairs[cur->n - 1];
      }
      cur = p->val;
    } else if (cur->kind == SHOAL_NODE_SEQ) {
      size_t idx;
      if (!seq_index(d, path, parent_len, cur, seg, slen, &idx)) {
        shoal_node_free(val);
        return false;
      }
      if (last) {
        shoal_node_free(cur->items[idx]);
        cur->items[idx] = val;
        return true;
      }
      cur = cur->items[idx];
    } else {
      set_error(d, path, "'%.*s' is a single value, not a mapping or list", parent_len, path);
      shoal_node_free(val);
      return false;
    }
  }
  shoal_node_free(val); /* not reached: the last segment always returns */
  return false;
}

/* ---- $variables ------------------------------------------------------------------------- */

/* Each definition is expanded once, in place, the first time it is used (so chains like
 * "coast: $land" work and cycles are caught); uses then copy the expanded definition. */
typedef struct vctx {
  shoal_diag *d;
  shoal_node *vars;     /* the variables: mapping, or NULL */
  unsigned char *state; /* per definition: 0 untouched, 1 being expanded, 2 done */
  size_t stack[MAX_VAR_LEVEL];
  size_t depth;
  size_t budget; /* nodes copied so far, against MAX_VAR_NODES */
  bool ok;
} vctx;

static bool var_char(int c, bool first)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (!first && ((c >= '0' && c <= '9') || c == '-'));
}

static bool is_var_name(const char *s, size_t n)
{
  if (!n || !var_char((unsigned char)s[0], true))
    return false;
  for (size_t i = 1; i < n; i++)
    if (!var_char((unsigned char)s[i], false))
      return false;
  return true;
}

static size_t count_nodes(const shoal_node *n)
{
  size_t c = 1;
  for (size_t i = 0; i < n->n; i++)
    c += n->kind == SHOAL_NODE_SEQ   ? count_nodes(n->items[i])
         : n->kind == SHOAL_NODE_MAP ? 1 + count_nodes(n->pairs[i].val)
                                     : 0;
  return c;
}

static void set_used(shoal_node *n, bool used)
{
  n->used = used;
  for (size_t i = 0; i < n->n; i++) {
    if (n->kind == SHOAL_NODE_SEQ)
      set_used(n->items[i], used);
    else if (n->kind == SHOAL_NODE_MAP) {
      set_used(n->pairs[i].key, used);
      set_used(n->pairs[i].val, used);
    }
  }
}

static void expand(vctx *c, shoal_node **slot);

static void verr(vctx *c, shoal_status st, const shoal_node *at, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void verr(vctx *c, shoal_status st, const shoal_node *at, int col, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  shoal_diag_verror(c->d, st, at->file, at->line, col, fmt, ap);
  va_end(ap);
  c->ok = false;
}

/* The expanded definition of variable name (borrowed), or NULL after reporting why not. */
static const shoal_node *get_var(vctx *c, const char *name, size_t len, const shoal_node *at,
                                 int col)
{
  int shown = (int)(len < 100 ? len : 100);
  size_t i = 0;
  while (c->vars && i < c->vars->n &&
         (strlen(c->vars->pairs[i].key->str) != len ||
          memcmp(c->vars->pairs[i].key->str, name, len) != 0))
    i++;
  if (!c->vars || i == c->vars->n) {
    char want[128];
    snprintf(want, sizeof want, "%.*s", shown, name);
    const char *s = NULL;
    const char **names = c->vars ? malloc((c->vars->n + 1) * sizeof *names) : NULL;
    if (names) {
      for (size_t k = 0; k < c->vars->n; k++)
        names[k] = c->vars->pairs[k].key->str;
      s = shoal_suggest(want, names, c->vars->n);
      free(names);
    }
    if (s)
      verr(c, SHOAL_ERR_DATA, at, col, "unknown variable '$%s' (did you mean '$%s'?)", want, s);
    else
      verr(c, SHOAL_ERR_DATA, at, col, "unknown variable '$%s'", want);
    return NULL;
  }
  if (c->state[i] == 1) {
    char chain[512];
    size_t o = 0, k = 0;
    while (k < c->depth && c->stack[k] != i)
      k++;
    for (; k < c->depth && o < sizeof chain; k++) {
      int w =
          snprintf(chain + o, sizeof chain - o, "$%s -> ", c->vars->pairs[c->stack[k]].key->str);
      if (w > 0)
        o += (size_t)w;
    }
    if (o < sizeof chain)
      snprintf(chain + o, sizeof chain - o, "$%.*s", shown, name);
    verr(c, SHOAL_ERR_DATA, at, col, "variable cycle: %s", chain);
    return NULL;
  }
  if (c->state[i] == 0) {
    if (c->depth >= MAX_VAR_LEVEL) {
      verr(c, SHOAL_ERR_DATA, at, col, "variables refer to each other more than %d deep",
           MAX_VAR_LEVEL);
      return NULL;
    }
    c->state[i] = 1;
    c->stack[c->depth++] = i;
    expand(c, &c->vars->pairs[i].val);
    c->depth--;
    c->state[i] = 2;
  }
  return c->vars->pairs[i].val;
}

/* A fresh copy of a definition for one use; NULL after reporting. */
static shoal_node *use_var(vctx *c, const shoal_node *v, const shoal_node *at, int col)
{
  size_t n = count_nodes(v);
  if (n > MAX_VAR_NODES - c->budget) {
    verr(c, SHOAL_ERR_NOMEM, at, col, "variables expand to more than %u nodes", MAX_VAR_NODES);
    return NULL;
  }
  c->budget += n;
  shoal_node *copy = shoal_node_clone(v);
  if (!copy) {
    verr(c, SHOAL_ERR_NOMEM, at, col, "out of memory");
    return NULL;
  }
  set_used(copy, false); /* a copy is read (or not) in its new place */
  return copy;
}

/* "text ${name} text": splice scalar variables into the string; "$$" is a literal '$'. */
static void interpolate(vctx *c, shoal_node *n)
{
  const char *s = n->str;
  size_t len = strlen(s), cap = len + 1, o = 0;
  char *out = malloc(cap);
  if (!out) {
    verr(c, SHOAL_ERR_NOMEM, n, n->col, "out of memory");
    return;
  }
  bool failed = false, oneline = strchr(s, '\n') == NULL;
  int col = n->col + (n->quoted ? 1 : 0); /* exact for one-line scalars without escapes */
  for (size_t i = 0; i < len;) {
    const char *piece = s + i;
    size_t plen = 1, adv = 1;
    if (s[i] == '$' && s[i + 1] == '$') {
      adv = 2;
    } else if (s[i] == '$' && s[i + 1] == '{') {
      const char *close = strchr(s + i + 2, '}');
      size_t nl = close ? (size_t)(close - (s + i + 2)) : 0;
      if (close && is_var_name(s + i + 2, nl)) {
        adv = nl + 3;
        plen = 0;
        int at = oneline ? col : n->col;
        const shoal_node *v = get_var(c, s + i + 2, nl, n, at);
        if (v && v->kind != SHOAL_NODE_SCALAR) {
          verr(c, SHOAL_ERR_DATA, n, at, "variable '$%.*s' is a %s and cannot be used inside text",
               (int)(nl < 100 ? nl : 100), s + i + 2,
               v->kind == SHOAL_NODE_MAP ? "mapping" : "list");
          v = NULL;
        }
        if (v) {
          piece = v->str;
          plen = strlen(v->str);
        } else {
          failed = true;
        }
      }
    }
    if (o + plen + 1 > cap) {
      size_t ncap = cap;
      while (ncap < o + plen + 1 && ncap <= MAX_TEXT_LEN)
        ncap *= 2;
      char *no = ncap >= o + plen + 1 ? realloc(out, ncap) : NULL;
      if (!no) {
        verr(c, SHOAL_ERR_NOMEM, n, n->col, "text longer than %u bytes after variable expansion",
             MAX_TEXT_LEN);
        failed = true;
        break;
      }
      out = no;
      cap = ncap;
    }
    memcpy(out + o, piece, plen);
    o += plen;
    for (size_t k = 0; k < adv; k++) /* the column counts characters, not bytes */
      if (((unsigned char)s[i + k] & 0xC0) != 0x80)
        col++;
    i += adv;
  }
  if (failed) {
    free(out);
    return;
  }
  out[o] = '\0';
  free(n->str);
  n->str = out;
}

/* Name of a whole-scalar reference ("$name" or "${name}"), or NULL. */
static const char *whole_ref(const char *s, size_t *len)
{
  size_t n = strlen(s);
  if (n > 1 && s[0] == '$' && is_var_name(s + 1, n - 1)) {
    *len = n - 1;
    return s + 1;
  }
  if (n > 3 && s[0] == '$' && s[1] == '{' && s[n - 1] == '}' && is_var_name(s + 2, n - 3)) {
    *len = n - 3;
    return s + 2;
  }
  return NULL;
}

static void expand(vctx *c, shoal_node **slot)
{
  shoal_node *n = *slot;
  size_t len;
  const char *name;
  if (n->kind == SHOAL_NODE_SEQ) {
    for (size_t i = 0; i < n->n; i++)
      expand(c, &n->items[i]);
  } else if (n->kind == SHOAL_NODE_MAP) {
    for (size_t i = 0; i < n->n; i++)
      expand(c, &n->pairs[i].val);
  } else if ((name = whole_ref(n->str, &len))) {
    const shoal_node *v = get_var(c, name, len, n, n->col);
    shoal_node *copy = v ? use_var(c, v, n, n->col) : NULL;
    if (copy) {
      /* The copy keeps the definition's position: that is where a bad value is fixed. */
      shoal_node_free(n);
      *slot = copy;
    }
  } else if (strchr(n->str, '$')) {
    interpolate(c, n);
  }
}

bool shoal_conf_expand_vars(shoal_node *root, shoal_diag *d)
{
  if (!root)
    return false;
  vctx c;
  memset(&c, 0, sizeof c);
  c.d = d;
  c.ok = true;
  shoal_pair *vp = shoal_node_find(root, "variables");
  if (vp) {
    vp->key->used = true;
    if (vp->val->kind == SHOAL_NODE_MAP) {
      c.vars = vp->val;
      c.state = calloc(c.vars->n ? c.vars->n : 1, 1);
      if (!c.state) {
        shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return false;
      }
    } else if (vp->val->kind != SHOAL_NODE_SCALAR || vp->val->quoted || vp->val->str[0]) {
      shoal_diag_error(d, SHOAL_ERR_DATA, vp->val->file, vp->val->line, vp->val->col,
                       "'variables' must be a mapping of names to values");
      c.ok = false;
    }
  }
  /* Only a mapping can hold variables:, and the root node itself cannot be replaced. */
  for (size_t i = 0; root->kind == SHOAL_NODE_MAP && i < root->n; i++)
    if (!vp || &root->pairs[i] != vp)
      expand(&c, &root->pairs[i].val);
  /* Definitions are consumed by their uses; they are not keys a reader looks for. */
  if (vp)
    set_used(vp->val, true);
  free(c.state);
  return c.ok;
}
