/* Filters and templates: grammar, precedence, comparisons, nulls, binding and error texts. */
#include <stdbool.h>
#include <stdlib.h>

#include "check.h"
#include "config/expr.h"

/* A feature: field names and values (NULL = null). */
typedef struct feature {
  const char *const *names;
  const char *const *vals;
  int n;
} feature;

static int lookup(void *ctx, const char *name)
{
  const feature *f = ctx;
  for (int i = 0; i < f->n; i++) {
    const char *a = f->names[i], *b = name;
    while (*a && *b && (*a | 0x20) == (*b | 0x20))
      a++, b++;
    if (!*a && !*b)
      return i;
  }
  return -1;
}

static const char *get(void *ctx, int field, char *buf, size_t buflen)
{
  (void)buf;
  (void)buflen;
  const feature *f = ctx;
  return field >= 0 && field < f->n ? f->vals[field] : NULL;
}

static const char *const names[] = {"iso2",    "kind",    "pop",  "area",           "name_en",
                                    "name_vi", "name_zh", "note", "Sovereign Name", "code"};
static const char *const vals[] = {"PH", "reef", "1500", "2.5",         "Thitu",
                                   "",   NULL,   NULL,   "Philippines", "007"};
static feature feat = {names, vals, 10};

/* Parse, bind and evaluate; -1 when parsing or binding fails. */
static int ev(const char *text)
{
  char err[128];
  int col = 0;
  shoal_expr *e = shoal_expr_parse(text, err, sizeof err, &col);
  if (!e)
    return -1;
  const char *missing = NULL;
  int r = shoal_expr_bind(e, lookup, &feat, &missing, &col) ? shoal_expr_eval(e, get, &feat) : -1;
  shoal_expr_free(e);
  return r;
}

/* The parse error as "col: message", or "ok". */
static char errbuf[200];
static const char *perr(const char *text)
{
  char err[128] = "";
  int col = -1;
  shoal_expr *e = shoal_expr_parse(text, err, sizeof err, &col);
  if (e) {
    shoal_expr_free(e);
    return "ok";
  }
  snprintf(errbuf, sizeof errbuf, "%d: %s", col, err);
  return errbuf;
}

static const char *terr(const char *text)
{
  char err[128] = "";
  int col = -1;
  shoal_template *t = shoal_template_parse(text, err, sizeof err, &col);
  if (t) {
    shoal_template_free(t);
    return "ok";
  }
  snprintf(errbuf, sizeof errbuf, "%d: %s", col, err);
  return errbuf;
}

static void test_numbers(void)
{
  double v = 0;
  CHECK(shoal_expr_parse_number("42", 2, &v) && v == 42);
  CHECK(shoal_expr_parse_number(" -1.5 ", 6, &v) && v == -1.5);
  CHECK(shoal_expr_parse_number("+.5", 3, &v) && v == 0.5);
  CHECK(shoal_expr_parse_number("5.", 2, &v) && v == 5);
  CHECK(shoal_expr_parse_number("1e3", 3, &v) && v == 1000);
  CHECK(shoal_expr_parse_number("2.5E-2", 6, &v) && v == 0.025);
  CHECK(shoal_expr_parse_number("0.1", 3, &v) && v == 0.1);
  CHECK(shoal_expr_parse_number("123456789012345678901234", 24, &v));
  CHECK_NEAR(v, 1.2345678901234568e23, 1e9);
  CHECK(shoal_expr_parse_number("1e-400", 6, &v) && v == 0);
  CHECK(!shoal_expr_parse_number("1e400", 5, &v));
  CHECK(!shoal_expr_parse_number("", 0, &v));
  CHECK(!shoal_expr_parse_number(".", 1, &v));
  CHECK(!shoal_expr_parse_number("-", 1, &v));
  CHECK(!shoal_expr_parse_number("1,5", 3, &v));
  CHECK(!shoal_expr_parse_number("0x10", 4, &v));
  CHECK(!shoal_expr_parse_number("inf", 3, &v));
  CHECK(!shoal_expr_parse_number("nan", 3, &v));
  CHECK(!shoal_expr_parse_number("1e", 2, &v));
  CHECK(!shoal_expr_parse_number("12abc", 5, &v));
  CHECK(shoal_expr_parse_number("12abc", 2, &v) && v == 12); /* explicit length */
}

static void test_filters(void)
{
  /* every operator, string and numeric */
  CHECK(ev("iso2 = 'PH'") == 1);
  CHECK(ev("iso2 == \"PH\"") == 1);
  CHECK(ev("iso2 != 'VN'") == 1);
  CHECK(ev("iso2 <> 'PH'") == 0);
  CHECK(ev("pop > 1000") == 1);
  CHECK(ev("pop >= 1500") == 1);
  CHECK(ev("pop < 1500") == 0);
  CHECK(ev("pop <= 1500.0") == 1);
  CHECK(ev("area > 2.25") == 1);
  CHECK(ev("area<3e0") == 1);
  CHECK(ev("pop = 1.5e3") == 1);
  /* numeric vs string comparison: '1500' > '900' is false as text, true as numbers */
  CHECK(ev("pop > 900") == 1);
  CHECK(ev("pop > '900'") == 0);
  CHECK(ev("code = 7") == 1);   /* "007" as a number */
  CHECK(ev("code = '7'") == 0); /* ...but not as text */
  CHECK(ev("iso2 > 10") == 1);  /* field not numeric: byte-wise "PH" > "10" */
  /* in / not in */
  CHECK(ev("kind in ('reef','island')") == 1);
  CHECK(ev("kind IN ('rock', \"island\")") == 0);
  CHECK(ev("kind not in ('rock','island')") == 1);
  CHECK(ev("pop in (1, 1500, 3)") == 1);
  CHECK(ev("iso2 in ('PH')") == 1);
  /* null handling */
  CHECK(ev("note is null") == 1);
  CHECK(ev("note IS NOT NULL") == 0);
  CHECK(ev("name_vi is null") == 0); /* empty is not null */
  CHECK(ev("note = 'x'") == 0);
  CHECK(ev("note != 'x'") == 1);
  CHECK(ev("note < 'x'") == 0);
  CHECK(ev("note in ('x')") == 0);
  CHECK(ev("note not in ('x')") == 1);
  /* precedence: not > and > or */
  CHECK(ev("iso2 = 'VN' and kind = 'reef' or pop > 1000") == 1);
  CHECK(ev("iso2 = 'VN' and (kind = 'reef' or pop > 1000)") == 0);
  CHECK(ev("pop > 1000 or iso2 = 'VN' and kind = 'x'") == 1);
  CHECK(ev("not iso2 = 'VN' and kind = 'reef'") == 1);
  CHECK(ev("not (iso2 = 'PH' and kind = 'reef')") == 0);
  CHECK(ev("not not iso2 = 'PH'") == 1);
  CHECK(ev("iso2 = 'PH' and not kind in ('reef','island')") == 0);
  CHECK(ev("((iso2 = 'PH'))") == 1);
  CHECK(ev("iso2 = 'PH' AND Kind = 'reef' Or 0 = 1") == -1); /* 0 is not a field */
  /* bracketed field names, quotes inside strings */
  CHECK(ev("[Sovereign Name] = 'Philippines'") == 1);
  CHECK(ev("name_en = 'Thi''tu'") == 0);
  CHECK(ev("name_en != 'It\\'s'") == 1);
  CHECK(ev("name_vi = ''") == 1);
  CHECK(ev("ISO2 = 'PH'") == 1); /* field lookup is the caller's (case-insensitive here) */
  CHECK(ev("  iso2='PH'  ") == 1);
}

static void test_filter_errors(void)
{
  CHECK_STR(perr(""), "1: empty filter");
  CHECK_STR(perr("   "), "4: empty filter");
  CHECK_STR(perr("iso2 = "), "8: expected a value after '='");
  CHECK_STR(perr("iso2 = PH"), "8: expected a value after '=' (quote text: 'PH')");
  CHECK_STR(perr("iso2 >= )"), "9: expected a value after '>='");
  CHECK_STR(perr("iso2 = 'PH"), "8: unterminated string");
  CHECK_STR(perr("kind in ('a', 'b'"), "18: expected ')' to close 'in' list");
  CHECK_STR(perr("kind in ('a' 'b')"), "14: expected ')' to close 'in' list");
  CHECK_STR(perr("kind in 'a'"), "9: expected '(' after 'in'");
  CHECK_STR(perr("kind in ()"), "10: expected a value after '('");
  CHECK_STR(perr("kind in ('a',)"), "14: expected a value after ','");
  CHECK_STR(perr("kind not ('a')"), "10: expected 'in' after 'not'");
  CHECK_STR(perr("iso2 = 'PH' && pop > 1"), "13: unexpected character '&' (use 'and')");
  CHECK_STR(perr("iso2 = 'PH' || pop > 1"), "13: unexpected character '|' (use 'or')");
  CHECK_STR(perr("iso2 = 'PH' pop > 1"), "13: expected 'and' or 'or' before 'pop'");
  CHECK_STR(perr("iso2 = 'PH')"), "12: unmatched ')'");
  CHECK_STR(perr("(iso2 = 'PH'"), "13: expected ')' to close '(' at column 1");
  CHECK_STR(perr("iso2"), "5: expected an operator after 'iso2'");
  CHECK_STR(perr("iso2 ~ 'x'"), "6: unexpected character '~'");
  CHECK_STR(perr("iso2 like 'x'"), "6: expected an operator after 'iso2'");
  CHECK_STR(perr("iso2 is 'x'"), "9: expected 'null' after 'is'");
  CHECK_STR(perr("iso2 is not nul"), "13: expected 'null' after 'is not'");
  CHECK_STR(perr("= 'PH'"), "1: unexpected character '='");
  CHECK_STR(perr("'PH' = iso2"), "1: expected a field name before the value");
  CHECK_STR(perr("iso2 = 'PH' and"), "16: expected a field name");
  CHECK_STR(perr("[iso2 = 1"), "1: unterminated field name: missing ']'");
  CHECK_STR(perr("[] = 1"), "1: empty field name");
  CHECK_STR(perr("pop > 12abc"), "7: bad number '12abc'");
  CHECK_STR(perr("pop > 1e999"), "7: number '1e999' out of range");
  CHECK_STR(perr("tên = 'x'"), "2: unexpected character 'ê'"); /* column in characters */
  CHECK_STR(perr("đảo = 'x' ! y"), "1: unexpected character 'đ'");
  CHECK_STR(perr("a = 'ê' &"), "9: unexpected character '&' (use 'and')");
  /* nesting is capped rather than overflowing the stack */
  char deep[400];
  memset(deep, '(', 300);
  memcpy(deep + 300, "a = 1", 6);
  CHECK_STR(perr(deep), "65: filter nests too deeply");
  /* the error buffer may be NULL or tiny */
  CHECK(shoal_expr_parse("iso2 =", NULL, 0, NULL) == NULL);
  char tiny[4];
  CHECK(shoal_expr_parse("iso2 =", tiny, sizeof tiny, NULL) == NULL && strlen(tiny) == 3);
}

static void test_binding(void)
{
  char err[64];
  int col = 0;
  shoal_expr *e = shoal_expr_parse("iso2 = 'PH' and (Kind = 'x' or nmae_en = 'y' or kind = 'z')",
                                   err, sizeof err, &col);
  CHECK(e != NULL);
  const char *const *fields = NULL;
  size_t nf = shoal_expr_fields(e, &fields);
  CHECK(nf == 3); /* Kind and kind are one field */
  CHECK_STR(nf == 3 ? fields[0] : NULL, "iso2");
  CHECK_STR(nf == 3 ? fields[1] : NULL, "Kind");
  CHECK_STR(nf == 3 ? fields[2] : NULL, "nmae_en");
  const char *missing = NULL;
  CHECK(!shoal_expr_bind(e, lookup, &feat, &missing, &col));
  CHECK_STR(missing, "nmae_en");
  CHECK(col == 32);
  shoal_expr_free(e);

  e = shoal_expr_parse("[Sovereign Nam] = 'x'", err, sizeof err, &col);
  CHECK(e && !shoal_expr_bind(e, lookup, &feat, &missing, &col));
  CHECK_STR(missing, "Sovereign Nam");
  CHECK(col == 2); /* the name, not the bracket */
  shoal_expr_free(e);
  /* unbound fields evaluate as null rather than crashing */
  e = shoal_expr_parse("x is null", err, sizeof err, &col);
  CHECK(e && shoal_expr_eval(e, get, &feat));
  shoal_expr_free(e);
  shoal_expr_free(NULL);
}

/* Expand a template over feat; returns a static copy. */
static char expanded[256];
static const char *tx(const char *text, bool *has)
{
  char err[128];
  int col;
  shoal_template *t = shoal_template_parse(text, err, sizeof err, &col);
  if (!t)
    return "(parse error)";
  const char *missing;
  if (!shoal_template_bind(t, lookup, &feat, &missing, &col)) {
    shoal_template_free(t);
    return "(bind error)";
  }
  char *s = shoal_template_expand(t, get, &feat);
  if (has)
    *has = shoal_template_has_value(t, get, &feat);
  snprintf(expanded, sizeof expanded, "%s", s ? s : "(oom)");
  free(s);
  shoal_template_free(t);
  return expanded;
}

static void test_templates(void)
{
  bool has = false;
  CHECK_STR(tx("{name_en}", &has), "Thitu");
  CHECK(has);
  CHECK_STR(tx("{name_en} ({iso2})", NULL), "Thitu (PH)");
  CHECK_STR(tx("{name_vi|name_en}", NULL), "Thitu");         /* empty falls through */
  CHECK_STR(tx("{ name_zh | name_vi | iso2 }", NULL), "PH"); /* null falls through */
  CHECK_STR(tx("{name_zh}", &has), "");
  CHECK(!has);
  CHECK_STR(tx("{name_zh|name_vi}", &has), "");
  CHECK(!has);
  CHECK_STR(tx("({name_zh})", &has), "()");
  CHECK(!has);
  CHECK_STR(tx("", &has), "");
  CHECK(!has);
  CHECK_STR(tx("plain", &has), "plain");
  CHECK(!has);
  CHECK_STR(tx("{{{iso2}}}", NULL), "{PH}");
  CHECK_STR(tx("a {{b}} c", NULL), "a {b} c");
  CHECK_STR(tx("{Sovereign Name}: {pop}", NULL), "Philippines: 1500");
  CHECK_STR(tx("{nope}", NULL), "(bind error)");

  CHECK_STR(terr("{name_en"), "1: unclosed '{'");
  CHECK_STR(terr("ab {name_en {x}"), "4: unclosed '{'");
  CHECK_STR(terr("x }"), "3: unmatched '}' (write '}}' for a literal brace)");
  CHECK_STR(terr("{}"), "2: empty field name");
  CHECK_STR(terr("{a||b}"), "4: empty field name");
  CHECK_STR(terr("đảo {  }"), "6: empty field name");
  CHECK_STR(terr("{{ok}}"), "ok");

  char err[64];
  int col = 0;
  const char *missing = NULL;
  shoal_template *t = shoal_template_parse("{name_en} / {name_vi|nmae_zh}", err, sizeof err, &col);
  CHECK(t && !shoal_template_bind(t, lookup, &feat, &missing, &col));
  CHECK_STR(missing, "nmae_zh");
  CHECK(col == 22);
  shoal_template_free(t);
  shoal_template_free(NULL);
}

int main(void)
{
  test_numbers();
  test_filters();
  test_filter_errors();
  test_binding();
  test_templates();
  return check_done();
}
