/* Fuzz target: the filter and template parsers, binding against a fixed field list,
 * evaluation and expansion over a few fixed features (numbers, strings, nulls, empties). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/expr.h"
#include "fuzz_util.h"

static const char *const names[] = {"iso2",    "kind",    "pop",  "area",           "name_en",
                                    "name_vi", "name_zh", "note", "Sovereign Name", "code"};
#define NFIELDS ((int)(sizeof names / sizeof names[0]))

/* Feature values per field (NULL = null value). */
static const char *const feats[][NFIELDS] = {
    {"PH", "reef", "1500", "2.5", "Thitu", "", NULL, NULL, "Philippines", "007"},
    {"VN", "island", "-0", "1e308", "Đảo Trường Sa", "Trường Sa", "南威岛", "x", "", "0x10"},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"", "", "", "", "", "", "", "", "", ""},
    {"'", "\"", "nan", "inf", "{name_en}", "}{", "\xff\xfe", " 1 ", "a b", "9e999"},
};
#define NFEATS (sizeof feats / sizeof feats[0])

static int lookup(void *ctx, const char *name)
{
  (void)ctx;
  for (int i = 0; i < NFIELDS; i++)
    if (!strcasecmp(names[i], name))
      return i;
  return -1;
}

/* Odd fields come back through buf, as the shapefile reader formats numbers into it. */
static const char *get(void *ctx, int field, char *buf, size_t buflen)
{
  const char *const *vals = ctx;
  if (field < 0 || field >= NFIELDS || !vals[field])
    return NULL;
  if (field % 2 && buflen) {
    snprintf(buf, buflen, "%s", vals[field]);
    return buf;
  }
  return vals[field];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size > 65536)
    return 0;
  double num;
  shoal_expr_parse_number((const char *)data, size, &num);

  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';

  char err[128];
  int col = 0;
  const char *missing = NULL;
  shoal_expr *e = shoal_expr_parse(text, err, sizeof err, &col);
  if (e) {
    const char *const *fields;
    size_t nf = shoal_expr_fields(e, &fields);
    for (size_t i = 0; i < nf; i++)
      if (!fields[i])
        abort(); /* the API promises names */
    if (shoal_expr_bind(e, lookup, NULL, &missing, &col))
      for (size_t k = 0; k < NFEATS; k++)
        shoal_expr_eval(e, get, (void *)feats[k]);
    shoal_expr_free(e);
  }

  shoal_template *t = shoal_template_parse(text, err, sizeof err, &col);
  if (t) {
    if (shoal_template_bind(t, lookup, NULL, &missing, &col))
      for (size_t k = 0; k < NFEATS; k++) {
        shoal_template_has_value(t, get, (void *)feats[k]);
        char *s = shoal_template_expand(t, get, (void *)feats[k]);
        free(s);
      }
    shoal_template_free(t);
  }
  free(text);
  return 0;
}
