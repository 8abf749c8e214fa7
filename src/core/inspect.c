/* Inspect for a live viewer (preview.h): the features of every drawn layer at a pixel, with
 * their attributes, the rule that styles them and the label placed for them. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/label_model.h"
#include "core/preview.h"
#include "core/scene.h"
#include "layer/featattr.h"
#include "layer/hittest.h"

/* Most features one click lists: a click on a dense layer stays readable. */
#define MAX_HITS 200

/* The label the last pass made for feature id of layer name, or NULL. */
static const shoal_labelrec *label_of(const shoal_preview *p, const char *name, int id)
{
  for (size_t i = 0; i < p->labels.n; i++) {
    const shoal_labelrec *r = &p->labels.v[i];
    if (r->feature == id && r->layer && !strcmp(r->layer, name))
      return r;
  }
  return NULL;
}

/* The label an annotation (a marker or callout at the feature's place id) made for feature
 * id of lc's layer, or NULL: annotations label what a layer's own label filter leaves out. */
static const shoal_labelrec *annot_label_of(const shoal_preview *p, const shoal_layerctx *lc,
                                            shoal_featattr *fa)
{
  const struct shoal_annots *as = p->map->annots;
  int field = shoal_source_field_index(lc->src, "id");
  char buf[256];
  const char *place = field >= 0 ? shoal_featattr_get(fa, field, buf, sizeof buf) : NULL;
  for (size_t i = 0; as && place && *place && i < as->n; i++) {
    const shoal_annot *a = &as->v[i];
    if ((a->kind != SHOAL_ANNOT_MARKER && a->kind != SHOAL_ANNOT_CALLOUT) || !a->at.place ||
        strcmp(a->at.place, place) != 0 || (a->layer && strcmp(a->layer, lc->layer->name) != 0))
      continue;
    for (size_t k = 0; k < p->labels.n; k++) {
      const shoal_labelrec *r = &p->labels.v[k];
      if (!r->layer && r->loc.file == a->loc.file && r->loc.line == a->loc.line &&
          r->loc.col == a->loc.col)
        return r;
    }
  }
  return NULL;
}

static bool fill_hit(const shoal_preview *p, const shoal_layerctx *lc, shoal_featattr *fa, int id,
                     shoal_hit *h)
{
  const shoal_layer *L = lc->layer;
  int nf = shoal_source_nfields(lc->src);
  memset(h, 0, sizeof *h);
  h->layer = L->name;
  h->id = id;
  h->names = calloc(nf > 0 ? (size_t)nf : 1, sizeof *h->names);
  h->vals = calloc(nf > 0 ? (size_t)nf : 1, sizeof *h->vals);
  if (!h->names || !h->vals)
    return false;
  shoal_featattr_set(fa, id);
  for (int k = 0; k < nf; k++) {
    char buf[256];
    const char *v = shoal_featattr_get(fa, k, buf, sizeof buf);
    h->names[k] = shoal_strdup(shoal_source_field(lc->src, k)->name);
    h->vals[k] = v && *v ? shoal_strdup(v) : NULL;
    h->nattrs++;
  }
  const shoal_style *st = shoal_featattr_style(L, fa);
  h->drawn = st != NULL;
  h->rule = shoal_layer_rule_of(L, st);
  if (h->rule >= 0) {
    h->filter = L->rules[h->rule].filter_text;
    h->rule_loc = L->rules[h->rule].filter_loc;
  }
  const shoal_labelrec *r = label_of(p, L->name, id);
  if (!r)
    r = annot_label_of(p, lc, fa);
  if (r) {
    h->label = r->text;
    h->label_placed = r->placed;
  }
  return true;
}

static shoal_status inspect_layer(shoal_preview *p, const shoal_layerctx *lc, double x, double y,
                                  double tol, shoal_diag *d, shoal_hit **hits, size_t *n,
                                  size_t *cap)
{
  int *ids = NULL;
  size_t nids = 0;
  shoal_status st = shoal_layer_hit(lc, x, y, tol, &ids, &nids);
  if (st != SHOAL_OK) {
    shoal_source_read_error(lc->src, -1, st, d);
    return st;
  }
  shoal_featattr fa;
  if (!shoal_featattr_init(&fa, lc->src)) {
    shoal_featattr_free(&fa);
    free(ids);
    return SHOAL_ERR_NOMEM;
  }
  for (size_t i = 0; i < nids && *n < MAX_HITS && st == SHOAL_OK; i++) {
    if (!SHOAL_GROW(hits, cap, *n + 1, 8, MAX_HITS))
      st = SHOAL_ERR_NOMEM;
    else if (!fill_hit(p, lc, &fa, ids[i], &(*hits)[(*n)++]))
      st = SHOAL_ERR_NOMEM;
  }
  if (shoal_featattr_report(&fa, d))
    st = SHOAL_ERR_DATA;
  shoal_featattr_free(&fa);
  free(ids);
  return st;
}

shoal_status shoal_preview_inspect(shoal_preview *p, double x, double y, double tol, shoal_diag *d,
                                   shoal_hit **hits, size_t *n)
{
  *hits = NULL;
  *n = 0;
  if (!p->scene)
    return SHOAL_ERR_DATA;
  size_t cap = 0;
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; i < p->scene->nlayers && st == SHOAL_OK; i++)
    if (p->scene->layers[i].layer->visible)
      st = inspect_layer(p, &p->scene->layers[i], x, y, tol, d, hits, n, &cap);
  return st;
}

void shoal_hits_free(shoal_hit *hits, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < hits[i].nattrs; k++) {
      free(hits[i].names[k]);
      free(hits[i].vals[k]);
    }
    free(hits[i].names);
    free(hits[i].vals);
  }
  free(hits);
}
