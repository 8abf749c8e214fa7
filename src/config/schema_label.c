/* Schema of a layer's `label:` block (config/label_model.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/label_model.h"
#include "config/node.h"
#include "config/schema.h"
#include "config/schema_text.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const placement_names[] = {"auto", "point", "line", "area"};

/* ---- label: -------------------------------------------------------------------------- */

static const char *const label_keys[] = {"text",      "lang",   "fallback", "priority",
                                         "placement", "filter", "offset",   "leaders"};

static bool read_lang(shoal_schema *sc, shoal_node *v, const char *what, char **out, shoal_loc *loc)
{
  if (!shoal_schema_str(sc, v, what, out))
    return false;
  *loc = shoal_schema_text_loc(v);
  char buf[64];
  if (!shoal_lang_field(v->str, buf, sizeof buf)) {
    shoal_schema_err(sc, v, "bad language code '%s' (use e.g. en, zh, vi, fil)", v->str);
    free(*out);
    *out = NULL;
    return false;
  }
  return true;
}

/* Fill a labelspec from a mapping (or a scalar: the template alone). */
void shoal_schema_labelspec(shoal_schema *sc, shoal_node *n, shoal_labelspec *l)
{
  l->loc = shoal_node_loc(n);
  if (n->kind == SHOAL_NODE_SCALAR) {
    shoal_schema_template(sc, n, "label text", &l->text, &l->text_loc);
    return;
  }
  if (!shoal_schema_want(sc, n, SHOAL_NODE_MAP, "label"))
    return;
  shoal_schema_keys_text(sc, n, "label", label_keys, COUNT(label_keys), true);
  shoal_schema_textstyle(sc, n, &l->ts);
  shoal_node *v;
  if ((v = shoal_node_get(n, "text")))
    shoal_schema_template(sc, shoal_schema_pick_lang(sc, v, "label text"), "label text", &l->text,
                          &l->text_loc);
  else
    shoal_schema_err(sc, n, "label needs a 'text' template, e.g. \"{name_*}\"");
  if ((v = shoal_node_get(n, "lang")))
    read_lang(sc, v, "lang", &l->lang, &l->lang_loc);
  if ((v = shoal_node_get(n, "fallback"))) {
    for (size_t i = 0; i < l->nfallback; i++) {
      free(l->fallback[i]);
      l->fallback[i] = NULL;
    }
    l->nfallback = 0;
    if (v->kind == SHOAL_NODE_SCALAR) {
      if (read_lang(sc, v, "fallback", &l->fallback[0], &l->fallback_loc[0]))
        l->nfallback = 1;
    } else if (shoal_schema_want(sc, v, SHOAL_NODE_SEQ, "fallback")) {
      if (v->n > SHOAL_MAX_FALLBACK)
        shoal_schema_err(sc, v, "fallback lists at most %d languages", SHOAL_MAX_FALLBACK);
      for (size_t i = 0; i < v->n && l->nfallback < SHOAL_MAX_FALLBACK; i++)
        if (read_lang(sc, v->items[i], "fallback", &l->fallback[l->nfallback],
                      &l->fallback_loc[l->nfallback]))
          l->nfallback++;
    }
  }
  if ((v = shoal_node_get(n, "priority")))
    shoal_schema_num(sc, v, "priority", -1e6, 1e6, &l->priority);
  int e;
  if ((v = shoal_node_get(n, "placement")) &&
      (e = shoal_schema_enum(sc, v, "placement", placement_names, COUNT(placement_names))) >= 0)
    l->placement = (shoal_label_placement)e;
  if ((v = shoal_node_get(n, "filter")))
    shoal_schema_filter(sc, v, &l->filter_text, &l->filter, &l->filter_loc);
  if ((v = shoal_node_get(n, "offset")))
    shoal_schema_num(sc, v, "offset", 0, 200, &l->offset);
  if ((v = shoal_node_get(n, "leaders")))
    shoal_schema_bool(sc, v, "leaders", &l->leaders);
}

void shoal_schema_labelspec_defaults(shoal_labelspec *l)
{
  memset(l, 0, sizeof *l);
  shoal_schema_textstyle_defaults(&l->ts, 11, 0x222222, 1.5);
  l->fallback[0] = shoal_strdup("en");
  l->nfallback = l->fallback[0] ? 1 : 0;
  l->priority = 50;
  l->offset = 3;
  l->leaders = true;
}

void shoal_schema_label(shoal_schema *sc, shoal_node *n, shoal_layer *L)
{
  shoal_labelspec *l = malloc(sizeof *l);
  if (!l)
    return;
  shoal_schema_labelspec_defaults(l);
  shoal_schema_labelspec(sc, n, l);
  shoal_labelspec_free(L->label);
  L->label = l;
}

void shoal_labelspec_free(struct shoal_labelspec *l)
{
  if (!l)
    return;
  free(l->text);
  free(l->lang);
  for (size_t i = 0; i < l->nfallback; i++)
    free(l->fallback[i]);
  shoal_schema_textstyle_free(&l->ts);
  free(l->filter_text);
  shoal_expr_free(l->filter);
  free(l);
}
