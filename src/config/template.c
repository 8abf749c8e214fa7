/* Label templates: literal text with {field|fallback} substitutions, parsed once, expanded
 * per feature. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/expr.h"
#include "config/expr_priv.h"

typedef struct tpart {
  char *lit; /* literal text, or NULL for a substitution */
  size_t len;
  size_t first; /* substitution: refs[first .. first+nalt) are the fallbacks in order */
  size_t nalt;
} tpart;

struct shoal_template {
  tpart *parts;
  size_t nparts, capparts;
  shoal_expr_refs refs;
};

void shoal_template_free(shoal_template *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < t->nparts; i++)
    free(t->parts[i].lit);
  free(t->parts);
  shoal_expr_refs_free(&t->refs);
  free(t);
}

static tpart *add_part(shoal_expr_parser *p, shoal_template *t)
{
  if (!SHOAL_GROW(&t->parts, &t->capparts, t->nparts + 1, 4, EXPR_MAX_TEXT)) {
    shoal_expr_fail(p, p->pos, "out of memory");
    return NULL;
  }
  tpart *r = &t->parts[t->nparts++];
  memset(r, 0, sizeof *r);
  return r;
}

/* Literal run from the cursor up to the next single brace, with {{ and }} unescaped. */
static bool parse_literal(shoal_expr_parser *p, shoal_template *t)
{
  char *buf = malloc(p->n - p->pos + 1);
  if (!buf) {
    shoal_expr_fail(p, p->pos, "out of memory");
    return false;
  }
  size_t o = 0;
  while (p->pos < p->n) {
    char c = p->s[p->pos];
    if ((c == '{' || c == '}') && p->pos + 1 < p->n && p->s[p->pos + 1] == c) {
      buf[o++] = c;
      p->pos += 2;
    } else if (c == '}') {
      free(buf);
      shoal_expr_fail(p, p->pos, "unmatched '}' (write '}}' for a literal brace)");
      return false;
    } else if (c == '{') {
      break;
    } else {
      buf[o++] = c;
      p->pos++;
    }
  }
  tpart *part = add_part(p, t);
  if (!part) {
    free(buf);
    return false;
  }
  buf[o] = '\0';
  part->lit = buf;
  part->len = o;
  return true;
}

static bool parse_subst(shoal_expr_parser *p, shoal_template *t)
{
  size_t open = p->pos++;
  tpart *part = add_part(p, t);
  if (!part)
    return false;
  part->first = t->refs.n;
  for (;;) {
    size_t s = p->pos;
    while (p->pos < p->n && p->s[p->pos] != '|' && p->s[p->pos] != '}' && p->s[p->pos] != '{')
      p->pos++;
    if (p->pos >= p->n || p->s[p->pos] == '{') {
      shoal_expr_fail(p, open, "unclosed '{'");
      return false;
    }
    size_t e = p->pos, at = s;
    while (s < e && shoal_expr_blank((unsigned char)p->s[s]))
      s++;
    while (e > s && shoal_expr_blank((unsigned char)p->s[e - 1]))
      e--;
    if (s == e) {
      shoal_expr_fail(p, at, "empty field name");
      return false;
    }
    if (!shoal_expr_ref_add(p, &t->refs, p->s + s, e - s, s))
      return false;
    t->parts[t->nparts - 1].nalt++;
    if (p->s[p->pos++] == '}')
      return true;
  }
}

shoal_template *shoal_template_parse(const char *text, char *err, size_t errlen, int *errcol)
{
  if (err && errlen)
    err[0] = '\0';
  if (errcol)
    *errcol = 0;
  shoal_expr_parser p = {text ? text : "", 0, 0, err, errlen, errcol, false, 0};
  p.n = strlen(p.s);
  if (p.n > EXPR_MAX_TEXT) {
    shoal_expr_fail(&p, 0, "template longer than %d bytes", EXPR_MAX_TEXT);
    return NULL;
  }
  shoal_template *t = calloc(1, sizeof *t);
  if (!t) {
    shoal_expr_fail(&p, 0, "out of memory");
    return NULL;
  }
  while (p.pos < p.n && !p.failed) {
    if (p.s[p.pos] == '{' && !(p.pos + 1 < p.n && p.s[p.pos + 1] == '{'))
      parse_subst(&p, t);
    else
      parse_literal(&p, t);
  }
  if (p.failed) {
    shoal_template_free(t);
    return NULL;
  }
  return t;
}

bool shoal_template_bind(shoal_template *t, shoal_field_lookup_fn lookup, void *ctx,
                         const char **missing, int *col)
{
  return t && shoal_expr_refs_bind(&t->refs, lookup, ctx, missing, col);
}

static bool blank_str(const char *v)
{
  if (!v)
    return true;
  while (shoal_expr_blank((unsigned char)*v))
    v++;
  return *v == '\0';
}

/* First non-blank fallback of a substitution, or NULL. May point into buf. */
static const char *subst_value(const shoal_template *t, const tpart *part, shoal_attr_fn get,
                               void *ctx, char *buf, size_t buflen)
{
  for (size_t k = 0; k < part->nalt; k++) {
    int idx = t->refs.v[part->first + k].index;
    if (idx < 0 || !get)
      continue;
    const char *v = get(ctx, idx, buf, buflen);
    if (!blank_str(v))
      return v;
  }
  return NULL;
}

char *shoal_template_expand(const shoal_template *t, shoal_attr_fn get, void *ctx)
{
  size_t cap = 0, n = 0;
  char *out = NULL;
  if (!SHOAL_GROW(&out, &cap, 1, 64, EXPR_MAX_EXPAND + 1))
    return NULL;
  out[0] = '\0';
  if (!t)
    return out;
  char buf[ATTR_BUF];
  for (size_t i = 0; i < t->nparts; i++) {
    const tpart *part = &t->parts[i];
    const char *v = part->lit;
    size_t len = part->len;
    if (!v) {
      v = subst_value(t, part, get, ctx, buf, sizeof buf);
      len = v ? strlen(v) : 0;
    }
    if (!len)
      continue;
    if (len > EXPR_MAX_EXPAND - n)
      len = EXPR_MAX_EXPAND - n; /* cap, not fail: it's a label */
    if (!SHOAL_GROW(&out, &cap, n + len + 1, 64, EXPR_MAX_EXPAND + 1)) {
      free(out);
      return NULL;
    }
    memcpy(out + n, v, len);
    n += len;
    out[n] = '\0';
  }
  return out;
}

bool shoal_template_has_value(const shoal_template *t, shoal_attr_fn get, void *ctx)
{
  if (!t)
    return false;
  char buf[ATTR_BUF];
  for (size_t i = 0; i < t->nparts; i++)
    if (!t->parts[i].lit && subst_value(t, &t->parts[i], get, ctx, buf, sizeof buf))
      return true;
  return false;
}
