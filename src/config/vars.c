/* $variables: the top-level variables: mapping and its uses, "$name" and "${name}". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"

#define MAX_VAR_LEVEL 32
#define MAX_VAR_NODES 1000000u
#define MAX_TEXT_LEN SHOAL_CONF_MAX_SCALAR

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
    verr(c, SHOAL_ERR_DATA, at, col, "variables expand to more than %u nodes", MAX_VAR_NODES);
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

/* The text a "${name}" at s[i] stands for: *piece and *plen set (borrowed from the definition);
 * *adv the bytes it spans. False after reporting. Not a reference at all: *plen 1, *adv 1. */
static bool ref_piece(vctx *c, shoal_node *n, size_t i, int at, const char **piece, size_t *plen,
                      size_t *adv)
{
  const char *s = n->str;
  *piece = s + i;
  *plen = *adv = 1;
  if (s[i] != '$')
    return true;
  if (s[i + 1] == '$') { /* "$$" is a literal '$' */
    *adv = 2;
    return true;
  }
  if (s[i + 1] != '{')
    return true;
  const char *close = strchr(s + i + 2, '}');
  size_t nl = close ? (size_t)(close - (s + i + 2)) : 0;
  if (!close || !is_var_name(s + i + 2, nl))
    return true;
  *adv = nl + 3;
  *plen = 0;
  const shoal_node *v = get_var(c, s + i + 2, nl, n, at);
  if (v && v->kind != SHOAL_NODE_SCALAR) {
    verr(c, SHOAL_ERR_DATA, n, at, "variable '$%.*s' is a %s and cannot be used inside text",
         (int)(nl < 100 ? nl : 100), s + i + 2, v->kind == SHOAL_NODE_MAP ? "mapping" : "list");
    return false;
  }
  if (!v)
    return false;
  *piece = v->str;
  *plen = strlen(v->str);
  return true;
}

/* "text ${name} text": splice scalar variables into the string; "$$" is a literal '$'. */
static void interpolate(vctx *c, shoal_node *n)
{
  const char *s = n->str;
  size_t len = strlen(s), cap = 0, o = 0;
  char *out = NULL;
  bool failed = false, oneline = strchr(s, '\n') == NULL;
  int col = n->col + (n->quoted ? 1 : 0); /* exact for one-line scalars without escapes */
  for (size_t i = 0; i < len;) {
    const char *piece;
    size_t plen, adv;
    if (!ref_piece(c, n, i, oneline ? col : n->col, &piece, &plen, &adv))
      failed = true;
    if (!SHOAL_GROW(&out, &cap, o + plen + 1, len + 1, MAX_TEXT_LEN)) {
      verr(c, SHOAL_ERR_DATA, n, n->col, "text longer than %u bytes after variable expansion",
           MAX_TEXT_LEN);
      failed = true;
      break;
    }
    memcpy(out + o, piece, plen);
    o += plen;
    for (size_t k = 0; k < adv; k++) /* the column counts characters, not bytes */
      if (((unsigned char)s[i + k] & 0xC0) != 0x80)
        col++;
    i += adv;
  }
  if (failed || !out) {
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
      shoal_diag_error_at(d, SHOAL_ERR_DATA, shoal_node_loc(vp->val),
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
