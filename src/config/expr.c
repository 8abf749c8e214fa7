/* Attribute filters and label templates: recursive-descent parser, binding and evaluation. */
#include "config/expr.h"
#include "base/mem.h"
#include "config/expr_priv.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPR_MAX_DEPTH 64 /* parentheses and 'not's; stops a stack overflow, nothing else */

/* ---- numbers ---------------------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_ident_start(int c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static int is_ident(int c) { return is_ident_start(c) || is_digit(c); }
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Length of the number at s (0 when none); the grammar of shoal_expr_parse_number. */
static size_t scan_number(const char *s, size_t n)
{
  size_t i = 0, digits = 0;
  if (i < n && (s[i] == '+' || s[i] == '-'))
    i++;
  while (i < n && is_digit((unsigned char)s[i]))
    i++, digits++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && is_digit((unsigned char)s[i]))
      i++, digits++;
  }
  if (!digits)
    return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < n && (s[j] == '+' || s[j] == '-'))
      j++;
    if (j < n && is_digit((unsigned char)s[j])) {
      while (j < n && is_digit((unsigned char)s[j]))
        j++;
      i = j;
    }
  }
  return i;
}

bool shoal_expr_parse_number(const char *s, size_t len, double *out)
{
  if (!s)
    return false;
  while (len && shoal_expr_blank((unsigned char)*s))
    s++, len--;
  while (len && shoal_expr_blank((unsigned char)s[len - 1]))
    len--;
  if (!len || scan_number(s, len) != len)
    return false;
  size_t i = 0;
  bool neg = false;
  if (s[i] == '+' || s[i] == '-')
    neg = s[i++] == '-';
  /* Keep up to 19 significant digits in an integer and a decimal exponent: exact for the
   * numbers people write, and free of the locale's decimal separator. */
  uint64_t mant = 0;
  int sig = 0;
  long exp10 = 0;
  bool seen_dot = false;
  for (; i < len && (is_digit((unsigned char)s[i]) || s[i] == '.'); i++) {
    if (s[i] == '.') {
      seen_dot = true;
      continue;
    }
    int dgt = s[i] - '0';
    if (sig < 19) {
      if (mant || dgt) {
        mant = mant * 10 + (uint64_t)dgt;
        sig++;
      }
      if (seen_dot)
        exp10--;
    } else if (!seen_dot) {
      exp10++; /* digits past 19 only scale the value */
    }
  }
  if (i < len) { /* exponent */
    i++;
    bool eneg = false;
    if (s[i] == '+' || s[i] == '-')
      eneg = s[i++] == '-';
    long e = 0;
    for (; i < len; i++)
      if (e < 100000)
        e = e * 10 + (s[i] - '0');
    exp10 += eneg ? -e : e;
  }
  double v;
  static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (mant == 0) {
    v = 0.0;
  } else if (mant <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
    /* Exact operands and one rounding: correctly rounded (Clinger's fast path). */
    v = exp10 < 0 ? (double)mant / pow10[-exp10] : (double)mant * pow10[exp10];
  } else if (exp10 < -330) {
    v = 0.0;
  } else if (exp10 > 330) {
    return false;
  } else {
    v = (double)mant * pow(10.0, (double)exp10);
  }
  if (!isfinite(v))
    return false;
  *out = neg ? -v : v;
  return true;
}

/* ---- shared with template.c (expr_priv.h) ---------------------------------------------- */

int shoal_expr_col(const char *s, size_t off)
{
  int col = 1;
  for (size_t i = 0; i < off; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && col < INT_MAX)
      col++;
  return col;
}

void shoal_expr_fail(shoal_expr_parser *p, size_t at, const char *fmt, ...)
{
  if (p->failed)
    return; /* the first error is the one that explains the rest */
  p->failed = true;
  if (p->err && p->errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
  }
  if (p->errcol)
    *p->errcol = shoal_expr_col(p->s, at);
}

bool shoal_expr_ref_add(shoal_expr_parser *p, shoal_expr_refs *r, const char *name, size_t len,
                        size_t at)
{
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 4;
    if (cap > EXPR_MAX_TEXT) {
      shoal_expr_fail(p, at, "too many field references");
      return false;
    }
    shoal_expr_ref *nv = realloc(r->v, cap * sizeof *nv);
    if (!nv) {
      shoal_expr_fail(p, at, "out of memory");
      return false;
    }
    r->v = nv;
    r->cap = cap;
  }
  char *nm = shoal_strndup(name, len);
  if (!nm) {
    shoal_expr_fail(p, at, "out of memory");
    return false;
  }
  r->v[r->n++] = (shoal_expr_ref){nm, shoal_expr_col(p->s, at), -1};
  return true;
}

void shoal_expr_refs_free(shoal_expr_refs *r)
{
  for (size_t i = 0; i < r->n; i++)
    free(r->v[i].name);
  free(r->v);
}

bool shoal_expr_refs_bind(shoal_expr_refs *r, shoal_field_lookup_fn lookup, void *ctx,
                          const char **missing, int *col)
{
  for (size_t i = 0; i < r->n; i++) {
    int idx = lookup ? lookup(ctx, r->v[i].name) : -1;
    if (idx < 0) {
      if (missing)
        *missing = r->v[i].name;
      if (col)
        *col = r->v[i].col;
      return false;
    }
    r->v[i].index = idx;
  }
  return true;
}

static void skip_blank(shoal_expr_parser *p)
{
  while (p->pos < p->n && shoal_expr_blank((unsigned char)p->s[p->pos]))
    p->pos++;
}

/* ---- filters ---------------------------------------------------------------------------- */

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

static void free_node(enode *n)
{
  if (!n)
    return;
  free_node(n->a);
  free_node(n->b);
  for (size_t i = 0; i < n->nvals; i++)
    free(n->vals[i].text);
  free(n->vals);
  free(n);
}

static enode *new_node(shoal_expr_parser *p, ekind k)
{
  enode *n = calloc(1, sizeof *n);
  if (!n)
    shoal_expr_fail(p, p->pos, "out of memory");
  else
    n->kind = k;
  return n;
}

/* Length of the identifier at the cursor (0 when none). */
static size_t ident_len(const shoal_expr_parser *p)
{
  size_t i = p->pos;
  if (i >= p->n || !is_ident_start((unsigned char)p->s[i]))
    return 0;
  while (i < p->n && is_ident((unsigned char)p->s[i]))
    i++;
  return i - p->pos;
}

/* Consume keyword kw (case-insensitive, whole word) if it is next. */
static bool accept_kw(shoal_expr_parser *p, const char *kw)
{
  skip_blank(p);
  size_t len = ident_len(p), kl = strlen(kw);
  if (len != kl)
    return false;
  for (size_t i = 0; i < kl; i++)
    if (lower((unsigned char)p->s[p->pos + i]) != kw[i])
      return false;
  p->pos += len;
  return true;
}

static int print_len(size_t n) { return n > 40 ? 40 : (int)n; } /* keep quoted text short */

/* At a character no rule can start with, name that character (the likelier mistake, e.g. "&&");
 * otherwise report `what`. */
static void fail_unexpected(shoal_expr_parser *p, const char *what)
{
  size_t at = p->pos;
  if (at >= p->n) {
    shoal_expr_fail(p, at, "%s", what);
    return;
  }
  unsigned char c = (unsigned char)p->s[at];
  if (c >= 0x80) { /* quote the whole UTF-8 character */
    size_t len = 1;
    while (len < 4 && at + len < p->n && ((unsigned char)p->s[at + len] & 0xC0) == 0x80)
      len++;
    shoal_expr_fail(p, at, "unexpected character '%.*s'", (int)len, p->s + at);
  } else if (c < 0x20 || c == 0x7f) {
    shoal_expr_fail(p, at, "unexpected control character 0x%02x", c);
  } else if (!is_ident(c) && c != '\'' && c != '"' && c != '[' && c != '(' && c != ')' &&
             c != '-' && c != '+' && c != '.') {
    const char *hint = c == '&'   ? " (use 'and')"
                       : c == '|' ? " (use 'or')"
                       : c == '!' ? " (use 'not')"
                                  : "";
    shoal_expr_fail(p, at, "unexpected character '%c'%s", c, hint);
  } else {
    shoal_expr_fail(p, at, "%s", what);
  }
}

/* A quoted string starting at the cursor; backslash escapes the next byte and a doubled
 * quote stands for itself (the SQL habit). */
static char *parse_string(shoal_expr_parser *p)
{
  size_t start = p->pos;
  char q = p->s[p->pos++];
  char *out = malloc(p->n - p->pos + 1); /* the unescaped text is never longer */
  if (!out) {
    shoal_expr_fail(p, start, "out of memory");
    return NULL;
  }
  size_t o = 0;
  while (p->pos < p->n) {
    char c = p->s[p->pos++];
    if (c == '\\' && p->pos < p->n) {
      out[o++] = p->s[p->pos++];
    } else if (c == q) {
      if (p->pos < p->n && p->s[p->pos] == q) {
        out[o++] = q;
        p->pos++;
      } else {
        out[o] = '\0';
        return out;
      }
    } else {
      out[o++] = c;
    }
  }
  free(out);
  shoal_expr_fail(p, start, "unterminated string");
  return NULL;
}

static bool parse_value(shoal_expr_parser *p, evalue *v, const char *after)
{
  skip_blank(p);
  size_t at = p->pos;
  if (at < p->n && (p->s[at] == '\'' || p->s[at] == '"')) {
    v->text = parse_string(p);
    return v->text != NULL;
  }
  size_t len = scan_number(p->s + at, p->n - at);
  if (len) {
    if (at + len < p->n && (is_ident((unsigned char)p->s[at + len]) || p->s[at + len] == '.')) {
      size_t e = at + len;
      while (e < p->n && (is_ident((unsigned char)p->s[e]) || p->s[e] == '.'))
        e++;
      shoal_expr_fail(p, at, "bad number '%.*s'", print_len(e - at), p->s + at);
      return false;
    }
    v->text = shoal_strndup(p->s + at, len);
    if (!v->text) {
      shoal_expr_fail(p, at, "out of memory");
      return false;
    }
    if (!shoal_expr_parse_number(v->text, len, &v->num)) {
      shoal_expr_fail(p, at, "number '%.*s' out of range", print_len(len), p->s + at);
      return false;
    }
    v->isnum = true;
    p->pos += len;
    return true;
  }
  size_t il = ident_len(p);
  if (il) {
    shoal_expr_fail(p, at, "expected a value after %s (quote text: '%.*s')", after, print_len(il),
                    p->s + at);
    return false;
  }
  char what[64];
  snprintf(what, sizeof what, "expected a value after %s", after);
  fail_unexpected(p, what);
  return false;
}

static bool parse_field(shoal_expr_parser *p, struct shoal_expr *e, size_t *ref)
{
  skip_blank(p);
  size_t at = p->pos;
  const char *name;
  size_t len;
  if (at < p->n && p->s[at] == '[') {
    const char *close = memchr(p->s + at + 1, ']', p->n - at - 1);
    if (!close) {
      shoal_expr_fail(p, at, "unterminated field name: missing ']'");
      return false;
    }
    name = p->s + at + 1;
    len = (size_t)(close - name);
    if (!len) {
      shoal_expr_fail(p, at, "empty field name");
      return false;
    }
    p->pos = (size_t)(close - p->s) + 1;
    at++; /* the name's own column, not the bracket's */
  } else {
    len = ident_len(p);
    if (!len) {
      if (at >= p->n)
        shoal_expr_fail(p, at, "expected a field name");
      else if (p->s[at] == '\'' || p->s[at] == '"' || is_digit((unsigned char)p->s[at]))
        shoal_expr_fail(p, at, "expected a field name before the value");
      else
        fail_unexpected(p, "expected a field name");
      return false;
    }
    name = p->s + at;
    p->pos += len;
  }
  *ref = e->refs.n;
  return shoal_expr_ref_add(p, &e->refs, name, len, at);
}

static enode *parse_or(shoal_expr_parser *p, struct shoal_expr *e);

static enode *parse_cmp(shoal_expr_parser *p, struct shoal_expr *e)
{
  size_t ref;
  if (!parse_field(p, e, &ref))
    return NULL;
  const char *fname = e->refs.v[ref].name;
  if (accept_kw(p, "is")) {
    bool neg = accept_kw(p, "not");
    if (!accept_kw(p, "null")) {
      shoal_expr_fail(p, p->pos, "expected 'null' after '%s'", neg ? "is not" : "is");
      return NULL;
    }
    enode *n = new_node(p, E_NULL);
    if (n) {
      n->ref = ref;
      n->negate = neg;
    }
    return n;
  }
  bool neg = accept_kw(p, "not");
  if (neg && !accept_kw(p, "in")) {
    shoal_expr_fail(p, p->pos, "expected 'in' after 'not'");
    return NULL;
  }
  if (neg || accept_kw(p, "in")) {
    skip_blank(p);
    if (p->pos >= p->n || p->s[p->pos] != '(') {
      shoal_expr_fail(p, p->pos, "expected '(' after 'in'");
      return NULL;
    }
    p->pos++;
    enode *n = new_node(p, E_IN);
    if (!n)
      return NULL;
    n->ref = ref;
    n->negate = neg;
    for (;;) {
      if (n->nvals >= EXPR_MAX_TEXT / 2) {
        shoal_expr_fail(p, p->pos, "'in' list too long");
        break;
      }
      evalue *nv = realloc(n->vals, (n->nvals + 1) * sizeof *nv);
      if (!nv) {
        shoal_expr_fail(p, p->pos, "out of memory");
        break;
      }
      n->vals = nv;
      memset(&n->vals[n->nvals], 0, sizeof n->vals[0]);
      bool ok = parse_value(p, &n->vals[n->nvals], n->nvals ? "','" : "'('");
      n->nvals++;
      if (!ok)
        break;
      skip_blank(p);
      if (p->pos < p->n && p->s[p->pos] == ',') {
        p->pos++;
        continue;
      }
      if (p->pos < p->n && p->s[p->pos] == ')') {
        p->pos++;
        return n;
      }
      shoal_expr_fail(p, p->pos, "expected ')' to close 'in' list");
      break;
    }
    free_node(n);
    return NULL;
  }
  skip_blank(p);
  static const struct {
    const char *tok;
    eop op;
  } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<>", OP_NE}, {"<=", OP_LE},
             {">=", OP_GE}, {"=", OP_EQ},  {"<", OP_LT},  {">", OP_GT}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    size_t tl = strlen(ops[i].tok);
    if (p->pos + tl <= p->n && memcmp(p->s + p->pos, ops[i].tok, tl) == 0) {
      p->pos += tl;
      char after[8];
      snprintf(after, sizeof after, "'%s'", ops[i].tok);
      enode *n = new_node(p, E_CMP);
      if (!n)
        return NULL;
      n->ref = ref;
      n->op = ops[i].op;
      n->vals = calloc(1, sizeof *n->vals);
      if (!n->vals) {
        shoal_expr_fail(p, p->pos, "out of memory");
        free_node(n);
        return NULL;
      }
      n->nvals = 1;
      if (!parse_value(p, &n->vals[0], after)) {
        free_node(n);
        return NULL;
      }
      return n;
    }
  }
  char what[96];
  snprintf(what, sizeof what, "expected an operator after '%.40s'", fname);
  fail_unexpected(p, what);
  return NULL;
}

static enode *parse_unary(shoal_expr_parser *p, struct shoal_expr *e)
{
  if (++p->depth > EXPR_MAX_DEPTH) {
    shoal_expr_fail(p, p->pos, "filter nests too deeply");
    return NULL;
  }
  enode *r = NULL;
  skip_blank(p);
  size_t save = p->pos;
  if (accept_kw(p, "not")) {
    /* "not" followed by an operator is a field called "not", but that is what [not] is for. */
    enode *a = parse_unary(p, e);
    if (a && (r = new_node(p, E_NOT)))
      r->a = a;
    else
      free_node(a);
  } else if (p->pos < p->n && p->s[p->pos] == '(') {
    size_t open = p->pos++;
    r = parse_or(p, e);
    skip_blank(p);
    if (r && (p->pos >= p->n || p->s[p->pos] != ')')) {
      shoal_expr_fail(p, p->pos, "expected ')' to close '(' at column %d",
                      shoal_expr_col(p->s, open));
      free_node(r);
      r = NULL;
    } else if (r) {
      p->pos++;
    }
  } else {
    p->pos = save;
    r = parse_cmp(p, e);
  }
  p->depth--;
  return r;
}

static enode *parse_binary(shoal_expr_parser *p, struct shoal_expr *e, bool is_or)
{
  enode *l = is_or ? parse_binary(p, e, false) : parse_unary(p, e);
  while (l && accept_kw(p, is_or ? "or" : "and")) {
    enode *r = is_or ? parse_binary(p, e, false) : parse_unary(p, e);
    enode *n = r ? new_node(p, is_or ? E_OR : E_AND) : NULL;
    if (!n) {
      free_node(l);
      free_node(r);
      return NULL;
    }
    n->a = l;
    n->b = r;
    l = n;
  }
  return l;
}

static enode *parse_or(shoal_expr_parser *p, struct shoal_expr *e)
{
  return parse_binary(p, e, true);
}

void shoal_expr_free(shoal_expr *e)
{
  if (!e)
    return;
  free_node(e->root);
  shoal_expr_refs_free(&e->refs);
  free(e->names);
  free(e);
}

static bool same_name(const char *a, const char *b)
{
  for (; *a && *b; a++, b++)
    if (lower((unsigned char)*a) != lower((unsigned char)*b))
      return false;
  return *a == *b;
}

shoal_expr *shoal_expr_parse(const char *text, char *err, size_t errlen, int *errcol)
{
  if (err && errlen)
    err[0] = '\0';
  if (errcol)
    *errcol = 0;
  shoal_expr_parser p = {text ? text : "", 0, 0, err, errlen, errcol, false, 0};
  p.n = strlen(p.s);
  if (p.n > EXPR_MAX_TEXT) {
    shoal_expr_fail(&p, 0, "filter longer than %d bytes", EXPR_MAX_TEXT);
    return NULL;
  }
  skip_blank(&p);
  if (p.pos == p.n) {
    shoal_expr_fail(&p, p.pos, "empty filter");
    return NULL;
  }
  shoal_expr *e = calloc(1, sizeof *e);
  if (!e) {
    shoal_expr_fail(&p, 0, "out of memory");
    return NULL;
  }
  e->root = parse_or(&p, e);
  if (e->root) {
    skip_blank(&p);
    if (p.pos < p.n) {
      size_t il = ident_len(&p);
      if (p.s[p.pos] == ')')
        shoal_expr_fail(&p, p.pos, "unmatched ')'");
      else if (il)
        shoal_expr_fail(&p, p.pos, "expected 'and' or 'or' before '%.*s'", print_len(il),
                        p.s + p.pos);
      else
        fail_unexpected(&p, "unexpected text after the filter");
    }
  }
  if (!p.failed) {
    e->names = malloc((e->refs.n ? e->refs.n : 1) * sizeof *e->names);
    if (!e->names)
      shoal_expr_fail(&p, 0, "out of memory");
    for (size_t i = 0; e->names && i < e->refs.n; i++) {
      size_t j = 0;
      while (j < e->nnames && !same_name(e->names[j], e->refs.v[i].name))
        j++;
      if (j == e->nnames)
        e->names[e->nnames++] = e->refs.v[i].name;
    }
  }
  if (p.failed) {
    shoal_expr_free(e);
    return NULL;
  }
  return e;
}

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
