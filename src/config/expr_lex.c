/* Numbers and the parse helpers shared by filters (expr.c) and templates (template.c):
 * the locale-free number reader, error columns and field references. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/expr.h"
#include "config/expr_priv.h"

static int is_digit(int c) { return c >= '0' && c <= '9'; }

/* Length of the number at s (0 when none); the grammar of shoal_expr_parse_number. */
size_t shoal_expr_scan_number(const char *s, size_t n)
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
  if (!len || shoal_expr_scan_number(s, len) != len)
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
  if (!SHOAL_GROW(&r->v, &r->cap, r->n + 1, 4, EXPR_MAX_TEXT)) {
    shoal_expr_fail(p, at,
                    r->n + 1 > EXPR_MAX_TEXT ? "too many field references" : "out of memory");
    return false;
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
