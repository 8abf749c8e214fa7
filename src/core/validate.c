/* Checks of a loaded map beyond the schema: fonts through Pango, and languages when the scene
 * will not be prepared (see validate.h). */
#include "core/validate.h"

#include <string.h>

#include "config/label_model.h"
#include "data/source.h"
#include "draw/text.h"

#define MAX_CANDS 128

/* Families people mean when they misspell one; offered only when fontconfig has them. */
static const char *const known_fonts[] = {
    "Noto Sans",         "Noto Serif",        "Noto Sans Mono",    "Noto Sans CJK SC",
    "Noto Serif CJK SC", "Noto Sans Display", "Noto Serif Display"};

static void check_font(shoal_textctx *tc, const char *font, shoal_loc loc, shoal_diag *d)
{
  if (!font || !loc.file || shoal_text_has_family(tc, font) || shoal_textctx_error(tc))
    return;
  const char *cands[sizeof known_fonts / sizeof known_fonts[0]];
  size_t nc = 0;
  for (size_t i = 0; i < sizeof known_fonts / sizeof known_fonts[0]; i++)
    if (shoal_text_has_family(tc, known_fonts[i]))
      cands[nc++] = known_fonts[i];
  const char *s = shoal_suggest(font, cands, nc);
  if (s)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "unknown font '%s' (did you mean '%s'?)", font, s);
  else
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc,
                        "unknown font '%s' (fontconfig has no such family; try 'Noto Sans')", font);
}

/* The data's name fields, opened on the side (the scene, which would share them, is never
 * built for a model with errors) and only when a code is not in the language table. */
typedef struct lang_ctx {
  const shoal_map *m;
  bool opened;
  shoal_source *srcs[64];
  size_t nsrc;
} lang_ctx;

static void open_sources(lang_ctx *lc)
{
  const shoal_map *m = lc->m;
  if (lc->opened)
    return;
  lc->opened = true;
  shoal_diag *quiet = shoal_diag_new(); /* a broken data file is not a language problem */
  for (size_t i = 0; quiet && i < m->nlayers; i++)
    for (size_t j = 0; j < m->layers[i].ndata && lc->nsrc < 64; j++) {
      shoal_source *s = NULL;
      const shoal_datafile *f = &m->layers[i].data[j];
      shoal_source_opts so = {f->layer, f->lon, f->lat, f->loc};
      if (f->path && shoal_source_open_opts(f->path, &so, quiet, &s) == SHOAL_OK)
        lc->srcs[lc->nsrc++] = s;
    }
  shoal_diag_free(quiet);
}

static bool lang_known(lang_ctx *lc, const char *code)
{
  if (shoal_lang_find(code))
    return true;
  char f[64];
  if (!shoal_lang_field(code, f, sizeof f))
    return false;
  open_sources(lc);
  for (size_t i = 0; i < lc->nsrc; i++)
    if (shoal_source_field_index(lc->srcs[i], f) >= 0)
      return true;
  return false;
}

static void check_lang(lang_ctx *lc, const char *code, shoal_loc loc, shoal_diag *d)
{
  if (!code || !loc.file || lang_known(lc, code))
    return;
  const char *cands[MAX_CANDS];
  size_t nc = 0, nt;
  const shoal_lang_info *t = shoal_lang_table(&nt);
  for (size_t i = 0; i < nt && nc < MAX_CANDS; i++)
    cands[nc++] = t[i].code;
  for (size_t i = 0; i < lc->nsrc; i++)
    for (int f = 0; f < shoal_source_nfields(lc->srcs[i]) && nc < MAX_CANDS; f++) {
      const char *name = shoal_source_field(lc->srcs[i], f)->name;
      if (strncmp(name, "name_", 5) == 0 && name[5])
        cands[nc++] = name + 5;
    }
  const char *s = shoal_suggest(code, cands, nc);
  if (s)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc, "unknown language '%s' (did you mean '%s'?)", code,
                        s);
  else
    shoal_diag_error_at(d, SHOAL_ERR_DATA, loc,
                        "unknown language '%s' (known: en, zh, zh-Latn, vi, fil, ms, id; or give "
                        "the data a name_%s field)",
                        code, code);
}

static void check_langs(const shoal_map *m, shoal_diag *d)
{
  lang_ctx lc = {.m = m, .opened = false, .nsrc = 0};
  check_lang(&lc, m->lang, m->lang_loc, d);
  for (size_t i = 0; i < m->nlayers; i++) {
    const shoal_labelspec *l = m->layers[i].label;
    if (!l)
      continue;
    check_lang(&lc, l->lang, l->lang_loc, d);
    for (size_t k = 0; k < l->nfallback; k++)
      check_lang(&lc, l->fallback[k], l->fallback_loc[k], d);
  }
  for (size_t i = 0; i < lc.nsrc; i++)
    shoal_source_close(lc.srcs[i]);
}

void shoal_validate_map(const shoal_map *m, bool sound, shoal_diag *d)
{
  if (!m)
    return;
  if (!sound)
    check_langs(m, d);
  if (sound && !m->font_loc.file)
    return; /* nothing to check: the scene checks label and annotation fonts itself */
  shoal_textctx *tc = shoal_textctx_new(m->scale > 0 ? m->scale : 1);
  if (!tc) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return;
  }
  check_font(tc, m->font, m->font_loc, d);
  for (size_t i = 0; !sound && i < m->nlayers; i++)
    if (m->layers[i].label)
      check_font(tc, m->layers[i].label->ts.font, m->layers[i].label->ts.font_loc, d);
  for (size_t i = 0; !sound && m->annots && i < m->annots->n; i++)
    check_font(tc, m->annots->v[i].ts.font, m->annots->v[i].ts.font_loc, d);
  if (shoal_textctx_error(tc)) /* Pango would not load: no font could be checked */
    shoal_diag_error(d, SHOAL_ERR_INTERNAL, NULL, 0, 0, "%s", shoal_textctx_error(tc));
  shoal_textctx_free(tc);
}
