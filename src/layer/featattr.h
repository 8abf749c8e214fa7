/* A feature's attributes for filters, templates and style rules: each field's text is read
 * from the source the first time it is asked for and kept until the next feature. */
#ifndef SHOAL_FEATATTR_H
#define SHOAL_FEATATTR_H

#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"
#include "data/source.h"

typedef struct shoal_featattr {
  shoal_source *src; /* borrowed */
  int id;
  int nfields;
  char **vals; /* nfields entries, owned */
  unsigned char *have;
  int failed_id; /* first record whose attributes could not be read, or -1 */
} shoal_featattr;

/* Start with no feature. False when out of memory; free with shoal_featattr_free either way. */
bool shoal_featattr_init(shoal_featattr *fa, shoal_source *src);
/* Move to feature id, forgetting the previous feature's values. */
void shoal_featattr_set(shoal_featattr *fa, int id);
void shoal_featattr_free(shoal_featattr *fa);
/* A shoal_attr_fn over a shoal_featattr (ctx): the field's text of the current feature, or
 * NULL. Borrowed until the next shoal_featattr_set or shoal_featattr_free. A record that
 * cannot be read (the .dbf changed after it was opened) gives NULL and is remembered for
 * shoal_featattr_report. */
const char *shoal_featattr_get(void *ctx, int field, char *buf, size_t buflen);
/* The style the current feature is drawn with: L's own when it has no rules, else the first
 * rule whose filter matches; NULL when none does (the feature is not drawn). Borrowed from L. */
const shoal_style *shoal_featattr_style(const shoal_layer *L, shoal_featattr *fa);
/* True, with the error recorded in d (naming the .dbf and the record), when a read through fa
 * failed: what was drawn or labelled from it would silently miss attributes. */
bool shoal_featattr_report(const shoal_featattr *fa, shoal_diag *d);

#endif
