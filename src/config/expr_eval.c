/* Evaluating a parsed filter for one feature, binding its field names, and listing them. */
#include <stdlib.h>
#include <string.h>

#include "config/expr.h"
#include "config/expr_priv.h"

bool shoal_expr_bind(shoal_expr *e, shoal_field_lookup_fn lookup, void *ctx, const char **missing,
                     int *col)
{
  return e && shoal_expr_refs_bind(&e->refs, lookup, ctx, missing, col);
}

size_t shoal_expr_fields(const shoal_expr *e, const char *const **names)
{
  if (!e) {
    if (names)
      *names = NULL;
    return 0;
  }
  if (names)
    *names = e->names;
  return e->nnames;
}

static bool compare(const char *v, const evalue *lit, eop op)
{
  double fv;
  int c;
  if (lit->isnum && shoal_expr_parse_number(v, strlen(v), &fv))
    c = fv < lit->num ? -1 : fv > lit->num ? 1 : 0;
  else
    c = strcmp(v, lit->text);
  switch (op) {
  case OP_EQ: return c == 0;
  case OP_NE: return c != 0;
  case OP_LT: return c < 0;
  case OP_LE: return c <= 0;
  case OP_GT: return c > 0;
  case OP_GE: return c >= 0;
  }
  return false;
}

static bool eval_node(const shoal_expr *e, const enode *n, shoal_attr_fn get, void *ctx)
{
  switch (n->kind) {
  case E_OR: return eval_node(e, n->a, get, ctx) || eval_node(e, n->b, get, ctx);
  case E_AND: return eval_node(e, n->a, get, ctx) && eval_node(e, n->b, get, ctx);
  case E_NOT: return !eval_node(e, n->a, get, ctx);
  default: break;
  }
  char buf[ATTR_BUF];
  int idx = e->refs.v[n->ref].index;
  const char *v = idx >= 0 && get ? get(ctx, idx, buf, sizeof buf) : NULL;
  if (n->kind == E_NULL)
    return (v == NULL) != n->negate;
  if (!v) /* null matches nothing, so only the negative forms hold */
    return n->kind == E_IN ? n->negate : n->op == OP_NE;
  if (n->kind == E_CMP)
    return compare(v, &n->vals[0], n->op);
  for (size_t i = 0; i < n->nvals; i++)
    if (compare(v, &n->vals[i], OP_EQ))
      return !n->negate;
  return n->negate;
}

bool shoal_expr_eval(const shoal_expr *e, shoal_attr_fn get, void *ctx)
{
  return e && e->root && eval_node(e, e->root, get, ctx);
}
