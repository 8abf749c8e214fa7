/* The language table (lang: -> name field and Pango tag) and the rewriting of {name_*} in
 * label templates into the fields of a language chain. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/label_model.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define SB_MAX (1u << 24) /* a label template is one line; this only stops runaway growth */

/* ---- languages ------------------------------------------------------------------------- */

/* zh names in the data are Simplified Chinese, hence zh-Hans; name_zh_py holds pinyin (the
 * DBF field name is cut to 10 bytes, so it cannot be name_zh_pinyin).
 * Number marks (thousands separator, decimal mark) for template formats such as
 * "{area_km2:,.0f}" follow the Unicode CLDR number symbols of each language (latn digits):
 * en, zh, fil and ms write 1,234.5; vi and id write 1.234,5. All group by threes. This is
 * the one place they are kept; a code not in the table formats numbers as en does. */
static const shoal_lang_info lang_table[] = {
    {"en", "name_en", "en", ",", "."},
    {"zh", "name_zh", "zh-Hans", ",", "."},
    {"zh-Hans", "name_zh", "zh-Hans", ",", "."},
    {"zh-Latn", "name_zh_py", "zh-Latn", ",", "."},
    {"zh_py", "name_zh_py", "zh-Latn", ",", "."},
    {"vi", "name_vi", "vi", ".", ","},
    {"fil", "name_fil", "fil", ",", "."},
    {"tl", "name_fil", "fil", ",", "."},
    {"ms", "name_ms", "ms", ",", "."},
    {"id", "name_id", "id", ".", ","},
};

const shoal_lang_info *shoal_lang_table(size_t *n)
{
  *n = COUNT(lang_table);
  return lang_table;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static bool ascii_caseeq(const char *a, const char *b)
{
  while (*a && *b && ascii_lower((unsigned char)*a) == ascii_lower((unsigned char)*b))
    a++, b++;
  return *a == *b;
}

const shoal_lang_info *shoal_lang_find(const char *code)
{
  for (size_t i = 0; code && i < COUNT(lang_table); i++)
    if (ascii_caseeq(code, lang_table[i].code))
      return &lang_table[i];
  return NULL;
}

bool shoal_lang_field(const char *code, char *buf, size_t buflen)
{
  const shoal_lang_info *li = shoal_lang_find(code);
  if (li) {
    size_t n = strlen(li->field);
    if (n + 1 > buflen)
      return false;
    memcpy(buf, li->field, n + 1);
    return true;
  }
  size_t n = strlen(code);
  if (n == 0 || n + 6 > buflen)
    return false;
  memcpy(buf, "name_", 5);
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)code[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok)
      return false;
    buf[5 + i] = c == '-' ? '_' : (char)ascii_lower(c);
  }
  buf[5 + n] = '\0';
  return true;
}

/* ---- {name_*} in templates ------------------------------------------------------------- */

typedef struct sbuf {
  char *s;
  size_t n, cap;
  size_t *map; /* per character of s: character index in the source */
  size_t nch, mapcap;
  bool oom;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t len, size_t srcchar, bool advance)
{
  if (b->oom)
    return;
  if (!SHOAL_GROW(&b->s, &b->cap, b->n + len + 1, 64, SB_MAX)) {
    b->oom = true;
    return;
  }
  memcpy(b->s + b->n, s, len);
  b->n += len;
  b->s[b->n] = '\0';
  for (size_t i = 0; i < len; i++) {
    if (((unsigned char)s[i] & 0xC0) == 0x80)
      continue;
    if (!SHOAL_GROW(&b->map, &b->mapcap, b->nch + 2, 64, SB_MAX)) {
      b->oom = true;
      return;
    }
    /* Inserted text maps to the start of what it replaced; copied text to itself. */
    b->map[b->nch++] = advance ? srcchar++ : srcchar;
  }
}

static size_t nchars(const char *s, size_t len)
{
  size_t c = 0;
  for (size_t i = 0; i < len; i++)
    c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static bool is_blank(int c) { return c == ' ' || c == '\t'; }

char *shoal_label_expand_names(const char *text, const char *const *fields, size_t nfields,
                               size_t **colmap)
{
  sbuf b = {0};
  size_t i = 0, n = strlen(text);
  bool inside = false;
  sb_put(&b, "", 0, 0, true);
  while (i < n && !b.oom) {
    char c = text[i];
    size_t ci = nchars(text, i);
    if (!inside && (c == '{' || c == '}') && i + 1 < n && text[i + 1] == c) {
      sb_put(&b, text + i, 2, ci, true);
      i += 2;
      continue;
    }
    if (!inside || c == '|' || c == '}' || c == '{') {
      if (c == '{')
        inside = true;
      else if (c == '}')
        inside = false;
      size_t len = 1;
      while (i + len < n && ((unsigned char)text[i + len] & 0xC0) == 0x80)
        len++;
      sb_put(&b, text + i, len, ci, true);
      i += len;
      continue;
    }
    /* One alternative inside braces: up to the next '|' or '}'. */
    size_t e = i;
    while (e < n && text[e] != '|' && text[e] != '}' && text[e] != '{')
      e++;
    size_t s0 = i, e0 = e;
    while (s0 < e0 && is_blank((unsigned char)text[s0]))
      s0++;
    while (e0 > s0 && is_blank((unsigned char)text[e0 - 1]))
      e0--;
    if (nfields > 0 && e0 - s0 == 6 && memcmp(text + s0, "name_*", 6) == 0) {
      size_t at = nchars(text, s0);
      for (size_t k = 0; k < nfields; k++) {
        if (k)
          sb_put(&b, "|", 1, at, false);
        sb_put(&b, fields[k], strlen(fields[k]), at, false);
      }
    } else {
      sb_put(&b, text + i, e - i, ci, true);
    }
    i = e;
  }
  if (!b.oom && b.nch + 1 <= b.mapcap)
    b.map[b.nch] = nchars(text, n);
  if (b.oom) {
    free(b.s);
    free(b.map);
    return NULL;
  }
  if (colmap)
    *colmap = b.map;
  else
    free(b.map);
  return b.s;
}

bool shoal_label_uses_names(const char *text)
{
  for (const char *p = text; (p = strstr(p, "name_*")); p += 6) {
    /* Only as a whole alternative: preceded by '{' or '|' (blanks allowed). */
    const char *q = p;
    while (q > text && is_blank((unsigned char)q[-1]))
      q--;
    if (q > text && (q[-1] == '{' || q[-1] == '|'))
      return true;
  }
  return false;
}
