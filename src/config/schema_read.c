/* Typed reads of YAML nodes for the schema readers: numbers, strings, booleans, colours,
 * enums and lists, and the unknown-key check with its did-you-mean. Each reports a problem at
 * the node's file:line:col. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

void shoal_schema_err(shoal_schema *sc, const shoal_node *n, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  shoal_diag_verror(sc->d, SHOAL_ERR_DATA, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, fmt,
                    ap);
  va_end(ap);
}

static const char *kind_name(const shoal_node *n)
{
  switch (n->kind) {
  case SHOAL_NODE_MAP: return "a mapping";
  case SHOAL_NODE_SEQ: return "a list";
  default: return "a scalar";
  }
}

bool shoal_schema_want(shoal_schema *sc, const shoal_node *n, shoal_node_kind k, const char *what)
{
  if (n->kind == k)
    return true;
  const char *want = k == SHOAL_NODE_MAP ? "a mapping" : k == SHOAL_NODE_SEQ ? "a list" : "a value";
  shoal_schema_err(sc, n, "%s must be %s, not %s", what, want, kind_name(n));
  return false;
}

/* Keys people write for a real one that spelling distance cannot find: British spellings and
 * the names other styling languages (CSS, Mapnik, QGIS) use. Alternatives in order; only those
 * known where the key was written are offered. */
static const struct {
  const char *word;
  const char *alts[3];
} synonyms[] = {
    {"colour", {"color", "fill", "stroke"}},
    {"color", {"fill", "stroke", NULL}},
    {"fill-color", {"fill", NULL, NULL}},
    {"fill-colour", {"fill", NULL, NULL}},
    {"background-color", {"background", "fill", NULL}},
    {"background-colour", {"background", "fill", NULL}},
    {"stroke-color", {"stroke", NULL, NULL}},
    {"stroke-colour", {"stroke", NULL, NULL}},
    {"line-color", {"stroke", NULL, NULL}},
    {"line-colour", {"stroke", NULL, NULL}},
    {"outline", {"stroke", NULL, NULL}},
    {"border", {"stroke", NULL, NULL}},
    {"halo-color", {"halo", NULL, NULL}},
    {"halo-colour", {"halo", NULL, NULL}},
    {"width", {"stroke-width", "size", NULL}},
    {"line-width", {"stroke-width", NULL, NULL}},
    {"font-family", {"font", NULL, NULL}},
    {"font-size", {"size", NULL, NULL}},
    {"font-weight", {"weight", NULL, NULL}},
    {"language", {"lang", NULL, NULL}},
    {"languages", {"lang", "fallback", NULL}},
    {"hidden", {"visible", NULL, NULL}},
    {"visibility", {"visible", NULL, NULL}},
    {"transparency", {"opacity", NULL, NULL}},
    {"alpha", {"opacity", NULL, NULL}},
    {"source", {"data", NULL, NULL}},
    {"file", {"data", NULL, NULL}},
    {"includes", {"include", NULL, NULL}},
};

static bool in_list(const char *w, const char *const *cands, size_t nc)
{
  for (size_t i = 0; w && i < nc; i++)
    if (strcmp(w, cands[i]) == 0)
      return true;
  return false;
}

/* Up to two synonyms of key among cands (see synonyms[]); a key with "colour" in it is also
 * tried with "color". Returns how many were put in out. */
static size_t synonyms_of(const char *key, const char *const *cands, size_t nc, const char *out[2])
{
  size_t n = 0;
  for (size_t i = 0; i < COUNT(synonyms) && n == 0; i++)
    if (strcmp(key, synonyms[i].word) == 0)
      for (size_t j = 0; j < 3 && n < 2; j++)
        if (in_list(synonyms[i].alts[j], cands, nc))
          out[n++] = synonyms[i].alts[j];
  const char *brit = strstr(key, "colour");
  if (n == 0 && brit && strlen(key) < 64) {
    char us[64];
    snprintf(us, sizeof us, "%.*scolor%s", (int)(brit - key), key, brit + 6);
    const char *s = shoal_suggest(us, cands, nc);
    if (s)
      out[n++] = s;
  }
  return n;
}

/* Unknown keys: error with the closest known key from all the lists given. */
void shoal_schema_keys(shoal_schema *sc, const shoal_node *map, const char *what,
                       const char *const *const *lists, const size_t *lens, size_t nlists)
{
  for (size_t i = 0; i < map->n; i++) {
    const shoal_node *k = map->pairs[i].key;
    bool known = false;
    const char *cands[64];
    size_t nc = 0;
    for (size_t l = 0; l < nlists && !known; l++)
      for (size_t j = 0; j < lens[l]; j++) {
        if (strcmp(k->str, lists[l][j]) == 0) {
          known = true;
          break;
        }
        if (nc < COUNT(cands))
          cands[nc++] = lists[l][j];
      }
    if (known)
      continue;
    const char *alt[2];
    size_t nalt = synonyms_of(k->str, cands, nc, alt);
    if (nalt == 0 && (alt[0] = shoal_suggest(k->str, cands, nc)))
      nalt = 1;
    if (nalt == 2)
      shoal_schema_err(sc, k, "unknown key '%s' in %s (did you mean '%s' or '%s'?)", k->str, what,
                       alt[0], alt[1]);
    else if (nalt == 1)
      shoal_schema_err(sc, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, what, alt[0]);
    else
      shoal_schema_err(sc, k, "unknown key '%s' in %s", k->str, what);
  }
}

/* Locale-independent decimal parser: the house rule bans atof and locale-dependent strtod. */
bool shoal_parse_double(const char *s, double *out)
{
  const char *p = s;
  while (*p == ' ')
    p++;
  double sign = 1;
  if (*p == '+' || *p == '-')
    sign = *p++ == '-' ? -1 : 1;
  double v = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9') {
    v = v * 10 + (*p++ - '0');
    digits++;
  }
  if (*p == '.') {
    p++;
    double f = 0.1;
    while (*p >= '0' && *p <= '9') {
      v += (*p++ - '0') * f;
      f *= 0.1;
      digits++;
    }
  }
  if (!digits)
    return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    int es = 1, e = 0, ed = 0;
    if (*p == '+' || *p == '-')
      es = *p++ == '-' ? -1 : 1;
    while (*p >= '0' && *p <= '9' && e < 400) {
      e = e * 10 + (*p++ - '0');
      ed++;
    }
    if (!ed)
      return false;
    v *= pow(10, es * e);
  }
  while (*p == ' ')
    p++;
  if (*p)
    return false;
  *out = sign * v;
  return isfinite(*out);
}

bool shoal_parse_size(const char *s, int *w, int *h)
{
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || (*end != 'x' && *end != 'X'))
    return false;
  const char *p = end + 1;
  long b = strtol(p, &end, 10);
  if (end == p || *end || a < 16 || b < 16 || a > 20000 || b > 20000)
    return false;
  *w = (int)a;
  *h = (int)b;
  return true;
}

bool shoal_schema_num(shoal_schema *sc, const shoal_node *n, const char *what, double lo, double hi,
                      double *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  double v;
  if (!shoal_parse_double(n->str, &v)) {
    shoal_schema_err(sc, n, "%s must be a number, not '%s'", what, n->str);
    return false;
  }
  if (v < lo || v > hi) {
    shoal_schema_err(sc, n, "%s must be between %g and %g, not %s", what, lo, hi, n->str);
    return false;
  }
  *out = v;
  return true;
}

bool shoal_schema_str(shoal_schema *sc, const shoal_node *n, const char *what, char **out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  char *c = shoal_strdup(n->str);
  if (!c)
    return false;
  free(*out);
  *out = c;
  return true;
}

bool shoal_schema_bool(shoal_schema *sc, const shoal_node *n, const char *what, bool *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
  for (size_t i = 0; i < 3; i++) {
    if (strcmp(n->str, yes[i]) == 0)
      return *out = true, true;
    if (strcmp(n->str, no[i]) == 0)
      return *out = false, true;
  }
  shoal_schema_err(sc, n, "%s must be true or false, not '%s'", what, n->str);
  return false;
}

bool shoal_schema_color(shoal_schema *sc, const shoal_node *n, const char *what, shoal_color *out)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return false;
  if (shoal_color_parse(n->str, out))
    return true;
  const char *s = shoal_color_suggest(n->str);
  if (s)
    shoal_schema_err(sc, n, "bad colour '%s' for %s (did you mean '%s'?)", n->str, what, s);
  else
    shoal_schema_err(sc, n, "bad colour '%s' for %s (use #rgb, #rrggbb, #rrggbbaa or a CSS name)",
                     n->str, what);
  return false;
}

int shoal_schema_enum(shoal_schema *sc, const shoal_node *n, const char *what,
                      const char *const *names, size_t nnames)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SCALAR, what))
    return -1;
  for (size_t i = 0; i < nnames; i++)
    if (strcmp(n->str, names[i]) == 0)
      return (int)i;
  const char *s = shoal_suggest(n->str, names, nnames);
  char list[256] = "";
  size_t used = 0;
  for (size_t i = 0; i < nnames && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
  if (s)
    shoal_schema_err(sc, n, "unknown %s '%s' (did you mean '%s'?)", what, n->str, s);
  else
    shoal_schema_err(sc, n, "unknown %s '%s' (expected one of: %s)", what, n->str, list);
  return -1;
}

/* [a, b, ...] of exactly n numbers. */
bool shoal_schema_nums(shoal_schema *sc, const shoal_node *n, const char *what, double *out,
                       size_t count)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_SEQ, what))
    return false;
  if (n->n != count) {
    shoal_schema_err(sc, n, "%s must have %zu numbers, not %zu", what, count, n->n);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < count; i++)
    ok &= shoal_schema_num(sc, n->items[i], what, -HUGE_VAL, HUGE_VAL, &out[i]);
  return ok;
}

shoal_node *shoal_schema_pick_lang(shoal_schema *sc, shoal_node *n, const char *what)
{
  if (!n || n->kind != SHOAL_NODE_MAP)
    return n;
  const char *lang = sc->lang ? sc->lang : "en";
  shoal_node *pick = NULL, *en = NULL;
  for (size_t i = 0; i < n->n; i++) {
    shoal_node *k = n->pairs[i].key;
    k->used = n->pairs[i].val->used = true;
    if (!pick && strcmp(k->str, lang) == 0)
      pick = n->pairs[i].val;
    if (!en && strcmp(k->str, "en") == 0)
      en = n->pairs[i].val;
  }
  if (!pick)
    pick = en;
  if (!pick)
    shoal_schema_err(sc, n, "%s has no text for language '%s' (nor 'en')", what, lang);
  return pick;
}
