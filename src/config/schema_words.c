/* The words the furniture writes itself (the credit line's "Data: " and separators, the scale
 * bar's unit names) in each language the maps are made in, and the furniture `texts:` key
 * that overrides them per map. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/furn_model.h"
#include "config/node.h"
#include "config/schema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const word_keys[SHOAL_WORD_COUNT] = {
    "data", "separator", "sentence", "end", "km", "nmi", "mi", "north", "south", "east", "west"};

/* Built-in words. Chinese takes full-width punctuation (：；。); Vietnamese, Malay and
 * Indonesian write the nautical mile out (hải lý, batu nautika, mil laut), as their charts and
 * press do; Filipino uses the Spanish-derived "datos". Hemisphere letters: Vietnamese Bắc,
 * Nam, Đông, Tây; Malay Utara, Selatan, Timur, Barat; Indonesian lintang utara / selatan and
 * bujur timur / barat (LU, LS, BT, BB); Chinese and Filipino maps use N, S, E, W. */
static const struct {
  const char *lang;
  const char *w[SHOAL_WORD_COUNT];
} builtin[] = {
    {"en", {"Data: ", "; ", ". ", ".", "km", "nmi", "mi", "N", "S", "E", "W"}},
    {"vi",
     {"D\u1eef li\u1ec7u: ", "; ", ". ", ".", "km", "h\u1ea3i l\u00fd", "d\u1eb7m", "B", "N",
      "\u0110", "T"}},
    {"zh",
     {"\u6570\u636e\uff1a", "\uff1b", "\u3002", "\u3002", "\u516c\u91cc", "\u6d77\u91cc",
      "\u82f1\u91cc", "N", "S", "E", "W"}},
    {"fil", {"Datos: ", "; ", ". ", ".", "km", "nmi", "mi", "N", "S", "E", "W"}},
    {"ms", {"Data: ", "; ", ". ", ".", "km", "batu nautika", "batu", "U", "S", "T", "B"}},
    {"id", {"Data: ", "; ", ". ", ".", "km", "mil laut", "mil", "LU", "LS", "BT", "BB"}},
};

/* The table row for lang: exact, else its primary subtag ("zh-Hans" -> "zh"), else English. */
static size_t row_for(const char *lang)
{
  size_t n = lang ? strcspn(lang, "-_") : 0;
  for (size_t i = 0; lang && i < COUNT(builtin); i++)
    if (strlen(builtin[i].lang) == n && strncmp(builtin[i].lang, lang, n) == 0)
      return i;
  return 0;
}

void shoal_schema_words_defaults(struct shoal_furnspec *f, const char *lang)
{
  size_t r = row_for(lang);
  for (int i = 0; i < SHOAL_WORD_COUNT; i++) {
    free(f->words[i]);
    f->words[i] = shoal_strdup(builtin[r].w[i]);
  }
}

void shoal_schema_words(shoal_schema *sc, shoal_node *n, struct shoal_furnspec *f)
{
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "texts"))
    return;
  const char *const *lists[] = {word_keys};
  size_t lens[] = {COUNT(word_keys)};
  shoal_schema_keys(sc, n, "texts", lists, lens, 1);
  for (int i = 0; i < SHOAL_WORD_COUNT; i++) {
    shoal_node *v = shoal_schema_pick_lang(sc, shoal_node_get(n, word_keys[i]), word_keys[i]);
    if (v)
      shoal_schema_str(sc, v, word_keys[i], &f->words[i]);
  }
}
