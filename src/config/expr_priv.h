/* Shared by the filter parser (expr.c) and the template parser (template.c): parse state,
 * error reporting and field references. Internal to src/config/. */
#ifndef SHOAL_EXPR_PRIV_H
#define SHOAL_EXPR_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "config/expr.h"

/* Caps: filters and templates are one line in a style file; these only stop abuse. */
#define EXPR_MAX_TEXT 65536
#define EXPR_MAX_EXPAND (1u << 20)
#define ATTR_BUF 1024

typedef struct shoal_expr_ref {
  char *name;
  int col;   /* 1-based, in characters */
  int index; /* bound field, -1 until bound */
} shoal_expr_ref;

typedef struct shoal_expr_refs {
  shoal_expr_ref *v;
  size_t n, cap;
} shoal_expr_refs;

typedef struct shoal_expr_parser {
  const char *s;
  size_t n, pos;
  char *err;
  size_t errlen;
  int *errcol;
  bool failed;
  int depth;
} shoal_expr_parser;

static inline int shoal_expr_blank(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Column of byte offset off, counting UTF-8 characters like the YAML positions do. */
int shoal_expr_col(const char *s, size_t off);
/* Record the first error (message and column); later ones are ignored. */
void shoal_expr_fail(shoal_expr_parser *p, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Append a copy of name[0..len) found at byte offset at; false (after failing p) on OOM/cap. */
bool shoal_expr_ref_add(shoal_expr_parser *p, shoal_expr_refs *r, const char *name, size_t len,
                        size_t at);
void shoal_expr_refs_free(shoal_expr_refs *r);
bool shoal_expr_refs_bind(shoal_expr_refs *r, shoal_field_lookup_fn lookup, void *ctx,
                          const char **missing, int *col);

#endif
