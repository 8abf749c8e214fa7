/* Attributes: the DBF fields of a source, code pages (.cpg names, language-driver bytes) to
 * UTF-8, and each value as display text. */
#include "data/shp_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"

/* DBF language driver ids (byte 29 of the header) and the code page each stands for, after
 * the table ESRI publishes and GDAL uses. 0x57 means "the system's ANSI page", which for
 * shapefiles in the wild is almost always Windows-1252. */
static const struct {
  unsigned char ldid;
  const char *cp;
} ldid_table[] = {
    {0x01, "CP437"},  {0x02, "CP850"},  {0x03, "CP1252"}, {0x04, "MACINTOSH"}, {0x08, "CP865"},
    {0x09, "CP437"},  {0x0A, "CP850"},  {0x0B, "CP437"},  {0x0D, "CP437"},     {0x0E, "CP850"},
    {0x0F, "CP437"},  {0x10, "CP850"},  {0x11, "CP437"},  {0x12, "CP850"},     {0x13, "CP932"},
    {0x14, "CP850"},  {0x15, "CP437"},  {0x16, "CP850"},  {0x17, "CP865"},     {0x18, "CP437"},
    {0x19, "CP437"},  {0x1A, "CP850"},  {0x1B, "CP437"},  {0x1C, "CP863"},     {0x1D, "CP850"},
    {0x1F, "CP852"},  {0x22, "CP852"},  {0x23, "CP852"},  {0x24, "CP860"},     {0x25, "CP850"},
    {0x26, "CP866"},  {0x37, "CP850"},  {0x40, "CP852"},  {0x4D, "CP936"},     {0x4E, "CP949"},
    {0x4F, "CP950"},  {0x50, "CP874"},  {0x57, "CP1252"}, {0x58, "CP1252"},    {0x59, "CP1252"},
    {0x64, "CP852"},  {0x65, "CP866"},  {0x66, "CP865"},  {0x67, "CP861"},     {0x6A, "CP737"},
    {0x6B, "CP857"},  {0x6C, "CP863"},  {0x78, "CP950"},  {0x79, "CP949"},     {0x7A, "CP936"},
    {0x7B, "CP932"},  {0x7C, "CP874"},  {0x86, "CP737"},  {0x87, "CP852"},     {0x88, "CP857"},
    {0xC8, "CP1250"}, {0xC9, "CP1251"}, {0xCA, "CP1254"}, {0xCB, "CP1253"},    {0xCC, "CP1257"},
};

void shoal_shp_text_init(shp_text *t)
{
  t->mode = SHP_TEXT_GUESS;
  t->cd = (iconv_t)-1;
  t->iconv_name[0] = '\0';
}

void shoal_shp_text_fini(shp_text *t)
{
  if (t->cd != (iconv_t)-1)
    iconv_close(t->cd);
  t->cd = (iconv_t)-1;
}

static bool all_digits(const char *s)
{
  if (!*s)
    return false;
  for (; *s; s++)
    if (!isdigit((unsigned char)*s))
      return false;
  return true;
}

/* Map a code page name as found in a .cpg (ESRI writes "UTF-8", "1252", "88591", "ANSI 1251",
 * "ISO 8859-1" ...) to a name iconv knows. Returns false for UTF-8 itself. */
static bool cpg_to_iconv(const char *in, char *out, size_t outsz)
{
  char name[24];
  size_t n = 0;
  /* Normalise: drop spaces, upper-case; names are short, longer ones are nonsense. */
  for (const char *p = in; *p && n + 1 < sizeof name; p++)
    if (!isspace((unsigned char)*p))
      name[n++] = (char)toupper((unsigned char)*p);
  name[n] = '\0';
  if (!strcmp(name, "UTF-8") || !strcmp(name, "UTF8") || !strcmp(name, "65001"))
    return false;
  if (!strncmp(name, "LDID/", 5) && all_digits(name + 5) && strlen(name + 5) <= 3) {
    long id = strtol(name + 5, NULL, 10);
    for (size_t i = 0; i < sizeof ldid_table / sizeof ldid_table[0]; i++)
      if (ldid_table[i].ldid == id) {
        snprintf(out, outsz, "%s", ldid_table[i].cp);
        return true;
      }
    snprintf(out, outsz, "LDID/%ld", id); /* unknown: iconv_open fails, caller guesses */
    return true;
  }
  if (!strncmp(name, "ANSI", 4) && all_digits(name + 4)) {
    snprintf(out, outsz, "CP%s", name + 4);
    return true;
  }
  if (!strncmp(name, "8859", 4) && all_digits(name + 4) && strlen(name + 4) <= 2) {
    snprintf(out, outsz, "ISO-8859-%s", name + 4);
    return true;
  }
  if (!strncmp(name, "8859-", 5) || !strncmp(name, "8859_", 5)) {
    snprintf(out, outsz, "ISO-8859-%s", name + 5);
    return true;
  }
  if (all_digits(name)) {
    /* Other numbers (ESRI's 88591.. were handled above) are Windows/DOS code pages. */
    snprintf(out, outsz, "CP%s", name);
    return true;
  }
  if (!strncmp(name, "ISO8859", 7) && name[7] && name[7] != '-') {
    snprintf(out, outsz, "ISO-8859-%.8s", name[7] == '_' ? name + 8 : name + 7);
    return true;
  }
  snprintf(out, outsz, "%s", name);
  return true;
}

void shoal_shp_text_guess(shp_text *t, const char *single_byte)
{
  shoal_shp_text_fini(t);
  t->mode = SHP_TEXT_GUESS;
  snprintf(t->iconv_name, sizeof t->iconv_name, "%s", single_byte);
  t->cd = iconv_open("UTF-8", single_byte);
}

bool shoal_shp_cpg_name_ok(const char *name)
{
  bool alnum = false;
  const char *p = name;
  if (!strncasecmp(p, "LDID/", 5))
    p += 5;
  for (; *p; p++) {
    unsigned char c = (unsigned char)*p;
    /* glibc's iconv drops what it does not know from a name, so "??" would open the locale's
     * charset (ASCII in C) and turn every accented letter into U+FFFD: refuse it first. */
    if (isalnum(c))
      alnum = true;
    else if (!strchr(" _.:-", c))
      return false;
  }
  return alnum && p - name < 40;
}

bool shoal_shp_text_setup(shp_text *t, const char *codepage)
{
  shoal_shp_text_fini(t);
  t->iconv_name[0] = '\0';
  if (!codepage || !*codepage) {
    shoal_shp_text_guess(t, "CP1252");
    return true;
  }
  char name[48];
  if (!cpg_to_iconv(codepage, name, sizeof name)) {
    t->mode = SHP_TEXT_UTF8;
    snprintf(t->iconv_name, sizeof t->iconv_name, "UTF-8");
    return true;
  }
  t->cd = shoal_shp_cpg_name_ok(name) ? iconv_open("UTF-8", name) : (iconv_t)-1;
  if (t->cd != (iconv_t)-1) {
    t->mode = SHP_TEXT_ICONV;
    snprintf(t->iconv_name, sizeof t->iconv_name, "%.31s", name);
    return true;
  }
  /* Unknown to iconv: fall back to guessing rather than refusing the whole file. */
  shoal_shp_text_guess(t, "CP1252");
  return false;
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
  unsigned c = s[0];
  if (c < 0x80)
    return 1;
  size_t len;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < len)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

bool shoal_shp_utf8_valid(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    size_t k = utf8_seq(p + i, len - i);
    if (!k)
      return false;
    i += k;
  }
  return true;
}

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Copy UTF-8, replacing each malformed byte with U+FFFD so that later text shaping never sees
 * invalid input. out has room for 3 * len + 1 bytes. */
static size_t utf8_sanitize(const char *in, size_t len, char *out)
{
  const unsigned char *p = (const unsigned char *)in;
  size_t i = 0, o = 0;
  while (i < len) {
    size_t k = utf8_seq(p + i, len - i);
    if (!k) {
      memcpy(out + o, replacement, 3);
      o += 3;
      i++;
      continue;
    }
    memcpy(out + o, in + i, k);
    o += k;
    i += k;
  }
  out[o] = '\0';
  return o;
}

/* iconv with a byte it cannot convert replaced by U+FFFD; out has room for 4 * len + 1. */
static size_t iconv_all(iconv_t cd, const char *in, size_t len, char *out)
{
  char *ip = (char *)in, *op = out;
  size_t il = len, ol = 4 * len;
  iconv(cd, NULL, NULL, NULL, NULL); /* reset shift state left by an earlier value */
  while (il > 0) {
    if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
      break;
    if ((errno == EILSEQ || errno == EINVAL) && ol >= 3) {
      memcpy(op, replacement, 3);
      op += 3;
      ol -= 3;
      ip++;
      il--;
      continue;
    }
    break; /* E2BIG cannot happen with 4 bytes per input byte; stop rather than loop */
  }
  *op = '\0';
  return (size_t)(op - out);
}

char *shoal_shp_text_to_utf8(shp_text *t, const char *in, size_t len)
{
  /* DBF values are at most 255 bytes, so 4 output bytes per input byte cannot overflow. */
  if (len > 4096)
    len = 4096;
  char *out = malloc(4 * len + 1);
  if (!out)
    return NULL;
  size_t n;
  if (t->mode == SHP_TEXT_UTF8 || t->cd == (iconv_t)-1 ||
      (t->mode == SHP_TEXT_GUESS && shoal_shp_utf8_valid(in, len)))
    n = utf8_sanitize(in, len, out);
  else
    n = iconv_all(t->cd, in, len, out);
  while (n > 0 && out[n - 1] == ' ')
    out[--n] = '\0';
  return out;
}

/* Integer text as written, without '+', leading zeros or padding; false when not an integer. */
static bool plain_integer(const char *s, char *out, size_t outsz)
{
  const char *p = s;
  bool neg = false;
  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  if (!isdigit((unsigned char)*p))
    return false;
  while (*p == '0' && isdigit((unsigned char)p[1]))
    p++;
  const char *digits = p;
  while (isdigit((unsigned char)*p))
    p++;
  if (*p)
    return false;
  bool zero = digits[0] == '0';
  snprintf(out, outsz, "%s%s", neg && !zero ? "-" : "", digits);
  return true;
}

/* Number text in the C locale as %.15g, so "12.500000" becomes "12.5" whatever LC_NUMERIC is. */
static bool plain_double(shoal_source *s, const char *txt, char *out, size_t outsz)
{
  locale_t old = uselocale(s->cloc);
  char *end;
  errno = 0;
  double v = strtod(txt, &end);
  bool ok = end != txt && *end == '\0' && errno != ERANGE;
  if (ok) {
    if (v == 0)
      v = 0; /* no "-0" */
    snprintf(out, outsz, "%.15g", v);
  }
  uselocale(old);
  return ok;
}

char *shoal_shp_format_value(shoal_source *s, int field, char *raw)
{
  if (!raw)
    return NULL;
  const shoal_field_info *f = &s->fields[field];
  char buf[64];
  /* Numbers, dates and logicals are ASCII by definition; trim padding on both sides. */
  if (f->type != SHOAL_FIELD_STRING) {
    char *p = raw;
    while (*p == ' ')
      p++;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == ' ')
      n--;
    memmove(raw, p, n);
    raw[n] = '\0';
    if (!n) {
      free(raw);
      return NULL;
    }
  }
  switch (f->type) {
  case SHOAL_FIELD_STRING:
    if (!raw[0]) {
      free(raw);
      return NULL;
    }
    return raw;
  case SHOAL_FIELD_INTEGER:
    if (plain_integer(raw, buf, sizeof buf) || plain_double(s, raw, buf, sizeof buf))
      break;
    free(raw);
    return NULL; /* "*****" overflow markers and junk read as null, as shapelib does */
  case SHOAL_FIELD_DOUBLE:
    if (plain_double(s, raw, buf, sizeof buf))
      break;
    free(raw);
    return NULL;
  case SHOAL_FIELD_LOGICAL:
    if (strchr("TtYy", raw[0]))
      snprintf(buf, sizeof buf, "T");
    else if (strchr("FfNn", raw[0]))
      snprintf(buf, sizeof buf, "F");
    else {
      free(raw);
      return NULL;
    }
    break;
  case SHOAL_FIELD_DATE:
    /* YYYYMMDD shows as ISO 8601; anything else is passed through as written. */
    if (strlen(raw) == 8 && all_digits(raw)) {
      snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", raw, raw + 4, raw + 6);
      break;
    }
    return raw;
  }
  /* The text can outgrow the raw value (a date gains its dashes): return a fresh copy. */
  free(raw);
  return shoal_strdup(buf);
}

int shoal_source_nfields(const shoal_source *s) { return s->nfields; }

const shoal_field_info *shoal_source_field(const shoal_source *s, int i)
{
  return i >= 0 && i < s->nfields ? &s->fields[i] : NULL;
}

int shoal_source_field_index(void *source, const char *name)
{
  const shoal_source *s = source;
  for (int i = 0; i < s->nfields; i++)
    if (!strcasecmp(s->fields[i].name, name))
      return i;
  return -1;
}
