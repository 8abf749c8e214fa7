/* Diagnostics: exact printed format, caret placement with tabs and UTF-8, counts, status,
 * merging, and did-you-mean. */
#include <stdlib.h>

#include "check.h"
#include "base/diag.h"

/* Everything shoal_diag_print writes, as a string the caller frees. */
static char *printed(const shoal_diag *d, int warnings)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return NULL;
  shoal_diag_print(d, f, warnings);
  fclose(f);
  return buf;
}

static void test_format(void)
{
  shoal_diag *d = shoal_diag_new();
  const char *text = "page:\n  size: a4\n    strok: red\n";
  const char *f = shoal_diag_add_file(d, "styles/a.yaml", text, strlen(text));
  CHECK_STR(f, "styles/a.yaml");
  CHECK(shoal_diag_add_file(d, "styles/a.yaml", text, strlen(text)) == f); /* interned */
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 3, 5, "unknown key '%s' (did you mean '%s'?)", "strok",
                   "stroke");
  char *out = printed(d, 1);
  CHECK_STR(out, "styles/a.yaml:3:5: error: unknown key 'strok' (did you mean 'stroke'?)\n"
                 "    3 |     strok: red\n"
                 "      |     ^\n");
  free(out);
  shoal_diag_free(d);

  /* The example of the design document, line 12 column 7. */
  d = shoal_diag_new();
  char big[512];
  size_t o = 0;
  for (int i = 1; i < 12; i++)
    o += (size_t)snprintf(big + o, sizeof big - o, "# filler\n");
  snprintf(big + o, sizeof big - o, "      strok: red\n");
  f = shoal_diag_add_file(d, "styles/a.yaml", big, strlen(big));
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 12, 7, "unknown key 'strok' (did you mean 'stroke'?)");
  out = printed(d, 1);
  CHECK_STR(out, "styles/a.yaml:12:7: error: unknown key 'strok' (did you mean 'stroke'?)\n"
                 "   12 |       strok: red\n"
                 "      |       ^\n");
  free(out);
  shoal_diag_free(d);
}

static void test_shapes(void)
{
  shoal_diag *d = shoal_diag_new();
  const char *text = "a: 1\r\n\tb:\t2\nzoë: ü x\n";
  const char *f = shoal_diag_add_file(d, "m.yaml", text, strlen(text));
  const char *shp = shoal_diag_intern(d, "shapes/eez.shp");
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 1, 0, "line only");   /* no caret */
  shoal_diag_warn(d, f, 2, 4, "tab %s", "kept");               /* tab in padding */
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 3, 8, "after UTF-8"); /* columns are chars */
  shoal_diag_note(d, f, 1, 1, "a note");
  shoal_diag_error(d, SHOAL_ERR_NOINPUT, shp, 0, 0, "cannot open"); /* file, no line */
  shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "no file");      /* no file at all */
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 99, 1, "past the end");    /* no quote */
  shoal_diag_error(d, SHOAL_ERR_DATA, f, 1, 40, "caret clamps");    /* at end of line */
  char *out = printed(d, 1);
  CHECK_STR(out, "m.yaml:1: error: line only\n"
                 "    1 | a: 1\n"
                 "m.yaml:2:4: warning: tab kept\n"
                 "    2 | \tb:\t2\n"
                 "      | \t  ^\n"
                 "m.yaml:3:8: error: after UTF-8\n"
                 "    3 | zoë: ü x\n"
                 "      |        ^\n"
                 "m.yaml:1:1: note: a note\n"
                 "    1 | a: 1\n"
                 "      | ^\n"
                 "shapes/eez.shp: error: cannot open\n"
                 "shoal: error: no file\n"
                 "m.yaml:99:1: error: past the end\n"
                 "m.yaml:1:40: error: caret clamps\n"
                 "    1 | a: 1\n"
                 "      |     ^\n");
  free(out);
  /* Without warnings, a warning's notes go with it; an error's notes stay. */
  shoal_diag *d2 = shoal_diag_new();
  shoal_diag_warn(d2, NULL, 0, 0, "w");
  shoal_diag_note(d2, NULL, 0, 0, "about w");
  shoal_diag_error(d2, SHOAL_ERR_DATA, NULL, 0, 0, "e");
  shoal_diag_note(d2, NULL, 0, 0, "about e");
  out = printed(d2, 0);
  CHECK_STR(out, "shoal: error: e\nshoal: note: about e\n");
  free(out);
  shoal_diag_free(d2);

  CHECK(shoal_diag_count(d) == 8);
  CHECK(shoal_diag_nerrors(d) == 6);
  CHECK(shoal_diag_nwarnings(d) == 1);
  CHECK(shoal_diag_status(d) == SHOAL_ERR_DATA); /* the first error's status */
  const shoal_msg *m = shoal_diag_get(d, 4);
  CHECK(m && m->sev == SHOAL_SEV_ERROR && m->status == SHOAL_ERR_NOINPUT);
  CHECK_STR(m ? m->file : NULL, "shapes/eez.shp");
  CHECK(shoal_diag_get(d, 8) == NULL);
  shoal_diag_free(d);
}

static void test_status_and_take(void)
{
  shoal_diag *a = shoal_diag_new(), *b = shoal_diag_new();
  CHECK(shoal_diag_status(a) == SHOAL_OK);
  shoal_diag_warn(a, NULL, 0, 0, "only a warning");
  CHECK(shoal_diag_status(a) == SHOAL_OK);
  const char *t = "x: 1\n";
  const char *f = shoal_diag_add_file(b, "job.yaml", t, strlen(t));
  shoal_diag_error(b, SHOAL_ERR_NOINPUT, f, 1, 4, "first");
  shoal_diag_error(b, SHOAL_ERR_DATA, f, 1, 1, "second");
  CHECK(shoal_diag_status(b) == SHOAL_ERR_NOINPUT);
  shoal_diag_take(a, b);
  shoal_diag_free(b); /* messages and the file text must survive in a */
  CHECK(shoal_diag_count(a) == 3);
  CHECK(shoal_diag_nerrors(a) == 2);
  CHECK(shoal_diag_status(a) == SHOAL_ERR_NOINPUT);
  char *out = printed(a, 1);
  CHECK_STR(out, "shoal: warning: only a warning\n"
                 "job.yaml:1:4: error: first\n"
                 "    1 | x: 1\n"
                 "      |    ^\n"
                 "job.yaml:1:1: error: second\n"
                 "    1 | x: 1\n"
                 "      | ^\n");
  free(out);
  shoal_diag_free(a);

  /* Long messages are truncated, not overflowed. */
  shoal_diag *d = shoal_diag_new();
  char longs[10000];
  memset(longs, 'x', sizeof longs - 1);
  longs[sizeof longs - 1] = '\0';
  shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "%s", longs);
  CHECK(strlen(shoal_diag_get(d, 0)->text) < sizeof longs);
  shoal_diag_free(d);
}

static void test_suggest(void)
{
  static const char *const keys[] = {"stroke", "fill", "stroke_width", "opacity", "label"};
  CHECK_STR(shoal_suggest("strok", keys, 5), "stroke");
  CHECK_STR(shoal_suggest("STROKE", keys, 5), "stroke"); /* case-insensitive */
  CHECK_STR(shoal_suggest("flil", keys, 5), "fill");     /* transposition counts 1 */
  CHECK_STR(shoal_suggest("opactiy", keys, 5), "opacity");
  CHECK_STR(shoal_suggest("stroke_widht", keys, 5), "stroke_width");
  CHECK_STR(shoal_suggest("lable", keys, 5), "label");
  CHECK(shoal_suggest("colour", keys, 5) == NULL); /* too far */
  CHECK(shoal_suggest("", keys, 5) == NULL);
  CHECK(shoal_suggest("x", keys, 0) == NULL);
  /* The limit is max(1, len/3): 2 edits are fine for a 6-letter word, not for a 5-letter one. */
  static const char *const one[] = {"abcdef"};
  CHECK_STR(shoal_suggest("abcxyf", one, 1), "abcdef");
  static const char *const five[] = {"abcde"};
  CHECK(shoal_suggest("abxye", five, 1) == NULL);
  static const char *const ties[] = {"cat", "bat"};
  CHECK_STR(shoal_suggest("hat", ties, 2), "cat"); /* first of equals */
}

int main(void)
{
  test_format();
  test_shapes();
  test_status_and_take();
  test_suggest();
  return check_done();
}
