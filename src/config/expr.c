/* Attribute filters: the recursive-descent parser from text to the filter tree. */
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

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_ident_start(int c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static int is_ident(int c) { return is_ident_start(c) || is_digit(c); }
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static void skip_blank(shoal_expr_parser *p)
{
  while (p->pos < p->n && shoal_expr_blank((unsigned char)p->s[p->pos]))
    p->pos++;
}

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
  size_t len = shoal_expr_scan_number(p->s + at, p->n - at);
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

/* FIELD 'is' ['not'] 'null', after the 'is'. */
static enode *parse_null_test(shoal_expr_parser *p, size_t ref)
{
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

/* FIELD ['not'] 'in' '(' VALUE (',' VALUE)* ')', after the 'in'. */
static enode *parse_in_list(shoal_expr_parser *p, size_t ref, bool neg)
{
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
  size_t cap = 0;
  for (;;) {
    if (!SHOAL_GROW(&n->vals, &cap, n->nvals + 1, 4, EXPR_MAX_TEXT / 2)) {
      shoal_expr_fail(p, p->pos,
                      n->nvals + 1 > EXPR_MAX_TEXT / 2 ? "'in' list too long" : "out of memory");
      break;
    }
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

/* FIELD op VALUE, at the operator; NULL (without failing) when no operator is there. */
static enode *parse_compare(shoal_expr_parser *p, size_t ref, bool *matched)
{
  static const struct {
    const char *tok;
    eop op;
  } ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<>", OP_NE}, {"<=", OP_LE},
             {">=", OP_GE}, {"=", OP_EQ},  {"<", OP_LT},  {">", OP_GT}};
  *matched = false;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    size_t tl = strlen(ops[i].tok);
    if (p->pos + tl > p->n || memcmp(p->s + p->pos, ops[i].tok, tl) != 0)
      continue;
    *matched = true;
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
  return NULL;
}

static enode *parse_cmp(shoal_expr_parser *p, struct shoal_expr *e)
{
  size_t ref;
  if (!parse_field(p, e, &ref))
    return NULL;
  if (accept_kw(p, "is"))
    return parse_null_test(p, ref);
  bool neg = accept_kw(p, "not");
  if (neg && !accept_kw(p, "in")) {
    shoal_expr_fail(p, p->pos, "expected 'in' after 'not'");
    return NULL;
  }
  if (neg || accept_kw(p, "in"))
    return parse_in_list(p, ref, neg);
  skip_blank(p);
  bool matched;
  enode *n = parse_compare(p, ref, &matched);
  if (matched)
    return n;
  char what[96];
  snprintf(what, sizeof what, "expected an operator after '%.40s'", e->refs.v[ref].name);
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
