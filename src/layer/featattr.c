/* Feature attributes fetched lazily for filters, templates and style rules (see featattr.h). */
#include <stdlib.h>
#include <string.h>

#include "layer/featattr.h"

bool shoal_featattr_init(shoal_featattr *fa, shoal_source *src)
{
  memset(fa, 0, sizeof *fa);
  fa->src = src;
  fa->id = -1;
  fa->failed_id = -1;
  fa->nfields = shoal_source_nfields(src);
  fa->vals = calloc(fa->nfields ? (size_t)fa->nfields : 1, sizeof *fa->vals);
  fa->have = calloc(fa->nfields ? (size_t)fa->nfields : 1, 1);
  return fa->vals && fa->have;
}

void shoal_featattr_set(shoal_featattr *fa, int id)
{
  for (int i = 0; i < fa->nfields; i++)
    if (fa->have[i]) {
      free(fa->vals[i]);
      fa->vals[i] = NULL;
      fa->have[i] = 0;
    }
  fa->id = id;
}

void shoal_featattr_free(shoal_featattr *fa)
{
  shoal_featattr_set(fa, -1);
  free(fa->vals);
  free(fa->have);
}

const char *shoal_featattr_get(void *ctx, int field, char *buf, size_t buflen)
{
  (void)buf, (void)buflen;
  shoal_featattr *fa = ctx;
  if (field < 0 || field >= fa->nfields)
    return NULL;
  if (!fa->have[field]) {
    bool failed = false;
    fa->vals[field] = shoal_source_attr_read(fa->src, fa->id, field, &failed);
    fa->have[field] = 1;
    if (failed && fa->failed_id < 0)
      fa->failed_id = fa->id;
  }
  return fa->vals[field];
}

const shoal_style *shoal_featattr_style(const shoal_layer *L, shoal_featattr *fa)
{
  if (L->nrules == 0)
    return &L->style;
  for (size_t i = 0; i < L->nrules; i++) {
    const shoal_rule *r = &L->rules[i];
    if (!r->filter || shoal_expr_eval(r->filter, shoal_featattr_get, fa))
      return &r->style;
  }
  return NULL;
}

bool shoal_featattr_report(const shoal_featattr *fa, shoal_diag *d)
{
  if (fa->failed_id < 0)
    return false;
  shoal_source_attr_error(fa->src, fa->failed_id, d);
  return true;
}
