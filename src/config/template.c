/* Label templates: literal text with {field|fallback} and {field:,.0f} substitutions, parsed
 * once, expanded per feature. */
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

typedef struct tfmt {
  bool on; /* the reference has a number format */
  shoal_numfmt f;
} tfmt;

struct shoal_template {
  tpart *parts;
  size_t nparts, capparts;
  shoal_expr_refs refs;
  tfmt *fmts; /* one per reference */
  size_t capfmts;
  char lang[16]; /* whose number marks; "" = en */
};

void shoal_template_free(shoal_template *t)
{
  if (!t)
    return;
  for (size_t i = 0; i < t->nparts; i++)
    free(t->parts[i].lit);
  free(t->parts);
  shoal_expr_refs_free(&t->refs);
  free(t->fmts);
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

/* The number format after ':' of the reference just added, up to the next '|' or '}'. */
static bool parse_format(shoal_expr_parser *p, shoal_template *t)
{
  size_t s = ++p->pos;
  while (p->pos < p->n && p->s[p->pos] != '|' && p->s[p->pos] != '}' && p->s[p->pos] != '{')
    p->pos++;
  tfmt *f = &t->fmts[t->refs.n - 1];
  size_t bad = 0;
  if (!shoal_numfmt_parse(p->s + s, p->pos - s, &f->f, &bad)) {
    shoal_expr_fail(p, s + bad,
                    "bad number format '%.*s' (write e.g. ',.0f', '.1f', ',' or 'd' after ':')",
                    (int)(p->pos - s), p->s + s);
    return false;
  }
  f->on = true;
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
    while (p->pos < p->n && !strchr("|}{:", p->s[p->pos]))
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
    if (!SHOAL_GROW(&t->fmts, &t->capfmts, t->refs.n, 4, EXPR_MAX_TEXT)) {
      shoal_expr_fail(p, s, "out of memory");
      return false;
    }
    t->fmts[t->refs.n - 1].on = false;
    if (p->s[p->pos] == ':' && !parse_format(p, t))
      return false;
    if (p->pos >= p->n || p->s[p->pos] == '{') {
      shoal_expr_fail(p, open, "unclosed '{'");
      return false;
    }
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

void shoal_template_set_lang(shoal_template *t, const char *lang)
{
  size_t n = lang ? strlen(lang) : 0;
  if (!t || n >= sizeof t->lang)
    return; /* no language code is that long; keep en */
  memcpy(t->lang, lang ? lang : "", n);
  t->lang[n] = '\0';
}

bool shoal_template_number_ref(const shoal_template *t, size_t i, int *field, const char **name,
                               int *col)
{
  for (size_t k = 0; t && k < t->refs.n; k++)
    if (t->fmts[k].on && i-- == 0) {
      *field = t->refs.v[k].index;
      *name = t->refs.v[k].name;
      *col = t->refs.v[k].col;
      return true;
    }
  return false;
}

/* First non-blank fallback of a substitution, or NULL. May point into buf or num (ATTR_BUF
 * bytes): a formatted field is written there, and one that is not a number counts as blank. */
static const char *subst_value(const shoal_template *t, const tpart *part, shoal_attr_fn get,
                               void *ctx, char *buf, size_t buflen, char *num)
{
  for (size_t k = 0; k < part->nalt; k++) {
    int idx = t->refs.v[part->first + k].index;
    if (idx < 0 || !get)
      continue;
    const char *v = get(ctx, idx, buf, buflen);
    const tfmt *f = &t->fmts[part->first + k];
    double x;
    if (f->on && v && shoal_expr_parse_number(v, strlen(v), &x) &&
        shoal_numfmt_format(x, &f->f, t->lang, num, ATTR_BUF))
      return num;
    if (!f->on && !blank_str(v))
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
  char buf[ATTR_BUF], num[ATTR_BUF];
  for (size_t i = 0; i < t->nparts; i++) {
    const tpart *part = &t->parts[i];
    const char *v = part->lit;
    size_t len = part->len;
    if (!v) {
      v = subst_value(t, part, get, ctx, buf, sizeof buf, num);
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
  char buf[ATTR_BUF], num[ATTR_BUF];
  for (size_t i = 0; i < t->nparts; i++)
    if (!t->parts[i].lit && subst_value(t, &t->parts[i], get, ctx, buf, sizeof buf, num))
      return true;
  return false;
}
