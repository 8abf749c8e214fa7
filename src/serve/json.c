/* JSON text for the serve API (json.h). */
#include "serve/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

/* The biggest answer: the label overlay of a dense map. */
#define MAX_JSON ((size_t)64 << 20)

static void put(shoal_json *j, const char *p, size_t n)
{
  if (j->failed || !SHOAL_GROW(&j->s, &j->cap, j->n + n + 1, 256, MAX_JSON)) {
    j->failed = true;
    return;
  }
  memcpy(j->s + j->n, p, n);
  j->n += n;
  j->s[j->n] = 0;
}

void shoal_json_raw(shoal_json *j, const char *text) { put(j, text, strlen(text)); }

void shoal_json_printf(shoal_json *j, const char *fmt, ...)
{
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof buf) {
    j->failed = true;
    return;
  }
  put(j, buf, (size_t)n);
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
  size_t n = s[0] >= 0xF0 && s[0] < 0xF5 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  for (size_t k = 1; k < n; k++)
    if ((s[k] & 0xC0) != 0x80)
      return 0;
  return n;
}

void shoal_json_str(shoal_json *j, const char *s)
{
  if (!s) {
    put(j, "null", 4);
    return;
  }
  put(j, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    if (*p == '"' || *p == '\\') {
      char e[2] = {'\\', (char)*p++};
      put(j, e, 2);
    } else if (*p == '\n') {
      put(j, "\\n", 2), p++;
    } else if (*p < 0x20 || *p == 0x7f) {
      char e[8];
      snprintf(e, sizeof e, "\\u%04x", *p++);
      put(j, e, 6);
    } else if (*p < 0x80) {
      put(j, (const char *)p++, 1);
    } else {
      size_t n = utf8_len(p);
      if (n) {
        put(j, (const char *)p, n);
        p += n;
      } else {
        put(j, "\xEF\xBF\xBD", 3), p++;
      }
    }
  }
  put(j, "\"", 1);
}

void shoal_json_key(shoal_json *j, const char *key, bool first)
{
  if (!first)
    put(j, ",", 1);
  shoal_json_str(j, key);
  put(j, ":", 1);
}

void shoal_json_num(shoal_json *j, double v)
{
  if (!isfinite(v))
    put(j, "null", 4);
  else
    shoal_json_printf(j, "%.10g", v);
}
