/* Shared by the filter parser (expr.c), its evaluator (expr_eval.c) and the template parser
 * (template.c): parse state, error reporting, field references and the filter tree. Internal
 * to src/config/. */
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

/* The parsed filter tree: expr.c builds it, expr_eval.c walks it. */
typedef enum ekind { E_OR, E_AND, E_NOT, E_CMP, E_IN, E_NULL } ekind;
typedef enum eop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } eop;

typedef struct evalue {
  char *text;
  bool isnum;
  double num;
} evalue;

typedef struct enode {
  ekind kind;
  struct enode *a, *b; /* OR, AND: both; NOT: a */
  size_t ref;          /* CMP, IN, NULL: index into the expr's refs */
  eop op;
  bool negate; /* 'not in', 'is not null' */
  evalue *vals;
  size_t nvals;
} enode;

struct shoal_expr {
  enode *root;
  shoal_expr_refs refs;
  const char **names; /* distinct field names, for shoal_expr_fields */
  size_t nnames;
};

/* Length of the number at s (0 when none): the grammar of shoal_expr_parse_number. */
size_t shoal_expr_scan_number(const char *s, size_t n);
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
