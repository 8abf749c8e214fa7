/* Number formats in templates ({area_km2:,.0f}): the spec grammar, the exact text per map
 * language, fallbacks for values that are not numbers, and the error columns. */
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "config/expr.h"

static char out[256];

/* v formatted by spec in lang, or "(bad spec)" / "(no number)". */
static const char *fmt(double v, const char *spec, const char *lang)
{
  shoal_numfmt f;
  size_t bad = 0;
  if (!shoal_numfmt_parse(spec, strlen(spec), &f, &bad))
    return "(bad spec)";
  if (!shoal_numfmt_format(v, &f, lang, out, sizeof out))
    return "(no number)";
  return out;
}

static void test_languages(void)
{
  /* en, zh, fil, ms (CLDR: group ',', decimal '.') */
  const char *const dot[] = {"en", "zh", "zh-Latn", "fil", "ms", "EN", NULL, "xx"};
  for (size_t i = 0; i < sizeof dot / sizeof *dot; i++) {
    CHECK_STR(fmt(1234567.891, ",.0f", dot[i]), "1,234,568");
    CHECK_STR(fmt(1234567.891, ",.1f", dot[i]), "1,234,567.9");
    CHECK_STR(fmt(1234.5, ",", dot[i]), "1,234.5");
  }
  /* vi, id (CLDR: group '.', decimal ',') */
  const char *const comma[] = {"vi", "id"};
  for (size_t i = 0; i < 2; i++) {
    CHECK_STR(fmt(1234567.891, ",.0f", comma[i]), "1.234.568");
    CHECK_STR(fmt(1234567.891, ",.1f", comma[i]), "1.234.567,9");
    CHECK_STR(fmt(1234.5, ",", comma[i]), "1.234,5");
    CHECK_STR(fmt(0.25, ".2f", comma[i]), "0,25");
    CHECK_STR(fmt(1234.5, ".1f", comma[i]), "1234,5");
  }
}

static void test_specs(void)
{
  CHECK_STR(fmt(1234567.891, ".1f", "en"), "1234567.9");
  CHECK_STR(fmt(1234567.891, ".0f", "en"), "1234568");
  CHECK_STR(fmt(1234567.891, ".3", "en"), "1234567.891");
  CHECK_STR(fmt(1234567.891, "d", "en"), "1234568");
  CHECK_STR(fmt(1234567.891, ",d", "en"), "1,234,568");
  CHECK_STR(fmt(2.5, ".2f", "en"), "2.50");
  CHECK_STR(fmt(999, ",", "en"), "999");
  CHECK_STR(fmt(1000, ",", "en"), "1,000");
  CHECK_STR(fmt(100000, ",.0f", "en"), "100,000");
  CHECK_STR(fmt(-1234.5, ",.1f", "en"), "-1,234.5");
  CHECK_STR(fmt(-0.4, ".0f", "en"), "0"); /* no "-0" */
  CHECK_STR(fmt(0.1, ",", "en"), "0.1");  /* the shortest text that gives the value back */
  CHECK_STR(fmt(12.0, ",", "en"), "12");
  CHECK_STR(fmt(1.0 / 0.0, ",", "en"), "(no number)");
  CHECK(strlen(fmt(1e200, ".0f", "en")) >= 200);
  CHECK_STR(fmt(1e300, ",.20f", "en"), "(no number)"); /* longer than the buffer */
  shoal_numfmt f = {true, 0, false};
  char tiny[4];
  CHECK(!shoal_numfmt_format(12345, &f, "en", tiny, sizeof tiny) && tiny[0] == '\0');

  const char *const bad[] = {"", "x", ".", ".f", ".1d", ",,", ".21f", "f,", "0f", ".1fx", "s"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK_STR(fmt(1, bad[i], "en"), "(bad spec)");
  size_t at = 99;
  shoal_numfmt g;
  CHECK(!shoal_numfmt_parse(".1d", 3, &g, &at) && at == 2);
  CHECK(!shoal_numfmt_parse(",.f", 3, &g, &at) && at == 2);
  CHECK(!shoal_numfmt_parse(",.0fx", 5, &g, &at) && at == 4);
}

/* A feature for templates. */
static const char *const names[] = {"area_km2", "name_en", "pop", "note", "neg"};
static const char *const vals[] = {"1234567.891", "Thitu", "  1500 ", "n/a", "-3.25"};

static int lookup(void *ctx, const char *name)
{
  (void)ctx;
  for (int i = 0; i < 5; i++)
    if (strcmp(names[i], name) == 0)
      return i;
  return -1;
}

static const char *get(void *ctx, int field, char *buf, size_t buflen)
{
  (void)ctx, (void)buf, (void)buflen;
  return field >= 0 && field < 5 ? vals[field] : NULL;
}

static char expanded[256];
static const char *tx(const char *text, const char *lang, bool *has)
{
  char err[160];
  int col = 0;
  shoal_template *t = shoal_template_parse(text, err, sizeof err, &col);
  if (!t) {
    snprintf(expanded, sizeof expanded, "%d: %s", col, err);
    return expanded;
  }
  const char *missing;
  if (!shoal_template_bind(t, lookup, NULL, &missing, &col)) {
    shoal_template_free(t);
    return "(bind error)";
  }
  if (lang)
    shoal_template_set_lang(t, lang);
  char *s = shoal_template_expand(t, get, NULL);
  if (has)
    *has = shoal_template_has_value(t, get, NULL);
  snprintf(expanded, sizeof expanded, "%s", s ? s : "(oom)");
  free(s);
  shoal_template_free(t);
  return expanded;
}

static void test_templates(void)
{
  bool has = false;
  CHECK_STR(tx("{area_km2:,.0f} km²", NULL, &has), "1,234,568 km²");
  CHECK(has);
  CHECK_STR(tx("{area_km2:,.0f} km²", "vi", NULL), "1.234.568 km²");
  CHECK_STR(tx("{area_km2:,.1f}", "id", NULL), "1.234.567,9");
  CHECK_STR(tx("{area_km2:,.1f}", "zh", NULL), "1,234,567.9");
  CHECK_STR(tx("{area_km2:,.1f}", "fil", NULL), "1,234,567.9");
  CHECK_STR(tx("{area_km2:,.1f}", "ms", NULL), "1,234,567.9");
  CHECK_STR(tx("{area_km2}", "vi", NULL), "1234567.891"); /* no format: as the data has it */
  CHECK_STR(tx("{pop:,}", "en", NULL), "1,500");
  CHECK_STR(tx("{ pop :,d}|{neg:.1f}", "en", NULL), "1,500|-3.2"); /* half to even */
  /* a value that is not a number counts as empty: the next fallback, or nothing */
  CHECK_STR(tx("{note:,.0f|name_en}", "en", NULL), "Thitu");
  CHECK_STR(tx("{name_en:.1f} km²", "en", &has), " km²");
  CHECK(!has);
  CHECK_STR(tx("{note|area_km2:.0f}", "en", NULL), "n/a");
  CHECK_STR(tx("{{area_km2:,.0f}}", "en", NULL), "{area_km2:,.0f}");

  CHECK_STR(tx("{pop:x}", NULL, NULL),
            "6: bad number format 'x' (write e.g. ',.0f', '.1f', ',' or 'd' after ':')");
  CHECK_STR(tx("{pop:}", NULL, NULL),
            "6: bad number format '' (write e.g. ',.0f', '.1f', ',' or 'd' after ':')");
  CHECK_STR(tx("đảo {pop:,.1d|x}", NULL, NULL),
            "13: bad number format ',.1d' (write e.g. ',.0f', '.1f', ',' or 'd' after ':')");
  CHECK_STR(tx("{pop:,.0f", NULL, NULL), "1: unclosed '{'");
  CHECK_STR(tx("{:,.0f}", NULL, NULL), "2: empty field name");

  char err[64];
  int col = 0, field = -2;
  const char *name = NULL;
  shoal_template *t =
      shoal_template_parse("{name_en} {pop:,} {note|neg:.1f}", err, sizeof err, &col);
  CHECK(t && shoal_template_bind(t, lookup, NULL, &name, &col));
  CHECK(shoal_template_number_ref(t, 0, &field, &name, &col) && field == 2 && col == 12);
  CHECK_STR(name, "pop");
  CHECK(shoal_template_number_ref(t, 1, &field, &name, &col) && field == 4 && col == 25);
  CHECK(!shoal_template_number_ref(t, 2, &field, &name, &col));
  shoal_template_free(t);
}

static void test_find_key(void)
{
  const char *end = NULL, *spec = NULL, *t = "a {countx} {count} {count:,d} {count:{x}";
  size_t n = 99;
  const char *p = shoal_numfmt_find_key(t, "count", &end, &spec, &n);
  CHECK(p == t + 11 && end == t + 18 && n == 0);
  p = shoal_numfmt_find_key(end, "count", &end, &spec, &n);
  CHECK(p == t + 19 && n == 2 && strncmp(spec, ",d", 2) == 0 && *end == ' ');
  CHECK(shoal_numfmt_find_key(end, "count", &end, &spec, &n) == NULL);
  CHECK(shoal_numfmt_find_key("no braces", "count", &end, &spec, &n) == NULL);
}

/* The process locale's decimal comma must not leak into the text. */
static void test_locale(void)
{
  const char *const tries[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "C.UTF-8"};
  for (size_t i = 0; i < 4; i++)
    if (setlocale(LC_NUMERIC, tries[i]))
      break;
  CHECK_STR(fmt(1234.5, ",.2f", "en"), "1,234.50");
  CHECK_STR(fmt(1234.5, ",", "vi"), "1.234,5");
  setlocale(LC_NUMERIC, "C");
}

int main(void)
{
  test_languages();
  test_specs();
  test_templates();
  test_find_key();
  test_locale();
  return check_done();
}
