/* Unit tests for the furniture's built-in words per language (config/schema_words.c). */
#include <stdlib.h>

#include "check.h"
#include "config/furn_model.h"
#include "config/schema.h"

static void with(const char *lang, void (*fn)(const shoal_furnspec *))
{
  shoal_furnspec f = {0};
  shoal_schema_words_defaults(&f, lang);
  fn(&f);
  for (int i = 0; i < SHOAL_WORD_COUNT; i++)
    free(f.words[i]);
}

static void en(const shoal_furnspec *f)
{
  CHECK_STR(f->words[SHOAL_WORD_DATA], "Data: ");
  CHECK_STR(f->words[SHOAL_WORD_SEPARATOR], "; ");
  CHECK_STR(f->words[SHOAL_WORD_SENTENCE], ". ");
  CHECK_STR(f->words[SHOAL_WORD_END], ".");
  CHECK_STR(f->words[SHOAL_WORD_NMI], "nmi");
  CHECK_STR(f->words[SHOAL_WORD_EAST], "E");
}

static void vi(const shoal_furnspec *f)
{
  CHECK_STR(f->words[SHOAL_WORD_DATA], "D\xe1\xbb\xaf li\xe1\xbb\x87u: "); /* Dữ liệu */
  CHECK_STR(f->words[SHOAL_WORD_NMI], "h\xe1\xba\xa3i l\xc3\xbd");         /* hải lý */
  CHECK_STR(f->words[SHOAL_WORD_NORTH], "B");                              /* Bắc */
  CHECK_STR(f->words[SHOAL_WORD_EAST], "\xc4\x90");                        /* Đông */
}

static void zh(const shoal_furnspec *f)
{
  CHECK_STR(f->words[SHOAL_WORD_DATA], "\xe6\x95\xb0\xe6\x8d\xae\xef\xbc\x9a"); /* 数据： */
  CHECK_STR(f->words[SHOAL_WORD_SEPARATOR], "\xef\xbc\x9b");                    /* ； */
  CHECK_STR(f->words[SHOAL_WORD_END], "\xe3\x80\x82");                          /* 。 */
  CHECK_STR(f->words[SHOAL_WORD_NMI], "\xe6\xb5\xb7\xe9\x87\x8c");              /* 海里 */
  CHECK_STR(f->words[SHOAL_WORD_KM], "\xe5\x85\xac\xe9\x87\x8c");               /* 公里 */
}

static void id(const shoal_furnspec *f)
{
  CHECK_STR(f->words[SHOAL_WORD_NMI], "mil laut");
  CHECK_STR(f->words[SHOAL_WORD_NORTH], "LU");
}

int main(void)
{
  with("en", en);
  with(NULL, en);  /* no language: English */
  with("xx", en);  /* a language without a table entry: English */
  with("env", en); /* a prefix is no match */
  with("vi", vi);
  with("zh", zh);
  with("zh-Hans", zh); /* the primary subtag picks the row */
  with("zh_Hans", zh);
  with("id", id);
  return check_done();
}
