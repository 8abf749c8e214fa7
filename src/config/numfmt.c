/* Number formats in templates ("{area_km2:,.0f} km²"): the format spec and the formatting with
 * a language's thousands separator and decimal mark (see expr.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "config/expr.h"
#include "config/label_model.h"

#define MAX_PREC 20
#define SHORTEST_MAX 17 /* decimals enough to give any double back exactly */

static bool is_digit(int c) { return c >= '0' && c <= '9'; }

bool shoal_numfmt_parse(const char *spec, size_t len, shoal_numfmt *f, size_t *bad)
{
  *f = (shoal_numfmt){false, -1, false};
  size_t i = 0;
  if (i < len && spec[i] == ',')
    f->group = true, i++;
  if (i < len && spec[i] == '.') {
    size_t s = ++i;
    int p = 0;
    while (i < len && is_digit((unsigned char)spec[i]) && p <= MAX_PREC)
      p = p * 10 + (spec[i++] - '0');
    if (i == s || p > MAX_PREC) {
      *bad = s;
      return false;
    }
    f->prec = p;
  }
  if (i < len && (spec[i] == 'f' || spec[i] == 'd')) {
    if (spec[i] == 'd' && f->prec >= 0) {
      *bad = i;
      return false; /* Python refuses a precision with 'd' too */
    }
    f->integer = spec[i] == 'd';
    i++;
  }
  if (i < len || len == 0) {
    *bad = i;
    return false;
  }
  return true;
}

/* v with prec decimals in the C notation, whatever the process locale: the decimal mark
 * snprintf wrote (if any) is replaced by '.'. False when it does not fit. */
static bool plain(double v, int prec, char *buf, size_t len)
{
  int n = snprintf(buf, len, "%.*f", prec, v);
  if (n < 0 || (size_t)n >= len)
    return false;
  char *p = buf + (*buf == '-');
  while (is_digit((unsigned char)*p))
    p++;
  if (*p) {
    char *q = p + 1;
    while (*q && !is_digit((unsigned char)*q))
      q++; /* a locale's mark may be several bytes */
    *p = '.';
    memmove(p + 1, q, strlen(q) + 1);
  }
  return true;
}

/* The fewest decimals that give v back exactly, so {x:,} shows 1234.5 as "1,234.5". */
static bool shortest(double v, char *buf, size_t len)
{
  for (int p = 0; p <= SHORTEST_MAX; p++) {
    double back;
    if (!plain(v, p, buf, len))
      return false;
    if (p == SHORTEST_MAX || (shoal_expr_parse_number(buf, strlen(buf), &back) && back == v))
      return true;
  }
  return false;
}

static bool put(char *buf, size_t buflen, size_t *o, const char *s, size_t n)
{
  if (n >= buflen - *o)
    return false;
  memcpy(buf + *o, s, n);
  *o += n;
  buf[*o] = '\0';
  return true;
}

static bool format(double v, const shoal_numfmt *f, const char *lang, char *buf, size_t buflen)
{
  if (!isfinite(v))
    return false;
  const shoal_lang_info *li = shoal_lang_find(lang);
  const char *group = li ? li->group : ",", *dec = li ? li->decimal : ".";
  char raw[400]; /* %.20f of the largest double */
  bool ok = f->integer || f->prec >= 0 ? plain(v, f->integer ? 0 : f->prec, raw, sizeof raw)
                                       : shortest(v, raw, sizeof raw);
  if (!ok)
    return false;
  const char *digits = raw + (raw[0] == '-');
  /* A value that rounds to zero prints without a sign: "-0 km²" reads as a mistake. */
  bool zero = strspn(digits, "0.") == strlen(digits);
  size_t nint = strcspn(digits, "."), o = 0;
  if (raw[0] == '-' && !zero && !put(buf, buflen, &o, "-", 1))
    return false;
  for (size_t i = 0; i < nint; i++) {
    if (f->group && i > 0 && (nint - i) % 3 == 0 && !put(buf, buflen, &o, group, strlen(group)))
      return false;
    if (!put(buf, buflen, &o, digits + i, 1))
      return false;
  }
  if (digits[nint] == '.' && digits[nint + 1])
    return put(buf, buflen, &o, dec, strlen(dec)) &&
           put(buf, buflen, &o, digits + nint + 1, strlen(digits + nint + 1));
  return true;
}

bool shoal_numfmt_format(double v, const shoal_numfmt *f, const char *lang, char *buf,
                         size_t buflen)
{
  if (!buflen)
    return false;
  buf[0] = '\0';
  if (format(v, f, lang, buf, buflen))
    return true;
  buf[0] = '\0';
  return false;
}

const char *shoal_numfmt_find_key(const char *text, const char *key, const char **end,
                                  const char **spec, size_t *speclen)
{
  size_t kl = strlen(key);
  for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
    if (strncmp(p + 1, key, kl) != 0)
      continue;
    const char *q = p + 1 + kl;
    if (*q == '}') {
      *end = q + 1, *spec = q, *speclen = 0;
      return p;
    }
    size_t n = *q == ':' ? strcspn(q + 1, "{}") : 0;
    if (*q == ':' && q[1 + n] == '}') {
      *end = q + 2 + n, *spec = q + 1, *speclen = n;
      return p;
    }
  }
  return NULL;
}
