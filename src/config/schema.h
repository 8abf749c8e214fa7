/* The schema: from the merged YAML tree to the validated model. Shared by its readers
 * (schema.c map/layers/classes, schema_style.c styles, schema_label.c, schema_annot.c,
 * schema_furn.c): typed reads of YAML nodes (schema_read.c) that report problems at the
 * node's position, and data file resolution (schema_path.c). */
#ifndef SHOAL_SCHEMA_H
#define SHOAL_SCHEMA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/searchpath.h"
#include "config/model.h"
#include "config/node.h"

typedef struct shoal_schema {
  shoal_diag *d;
  shoal_node *root;
  shoal_node *classes;            /* the classes: mapping, or NULL */
  bool style_only;                /* a style file (no layers): map.extent not required */
  const char *lang;               /* the map's language, once read (borrowed from the model) */
  const shoal_searchpath *search; /* where data files are looked for after the map file's own
                                     folder; NULL = there only (borrowed) */
} shoal_schema;

/* The keys of a style block (fill, stroke, ..., use), for shoal_schema_keys. */
extern const char *const shoal_style_keys[];
extern const size_t shoal_nstyle_keys;

/* "WIDTHxHEIGHT" in pixels, each 16..20000 (for --size and batch files). */
bool shoal_parse_size(const char *s, int *w, int *h);
/* Locale-independent number parse of the whole string. */
bool shoal_parse_double(const char *s, double *out);

/* Report an error (SHOAL_ERR_DATA) at n's position (none when n is NULL). */
void shoal_schema_err(shoal_schema *sc, const shoal_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool shoal_schema_want(shoal_schema *sc, const shoal_node *n, shoal_node_kind k, const char *what);
/* Report every key of map that is in none of the lists, with the closest known key (or, where
 * spelling is no help, a synonym such as colour -> color) as a did-you-mean. */
void shoal_schema_keys(shoal_schema *sc, const shoal_node *map, const char *what,
                       const char *const *const *lists, const size_t *lens, size_t nlists);
bool shoal_schema_num(shoal_schema *sc, const shoal_node *n, const char *what, double lo, double hi,
                      double *out);
bool shoal_schema_nums(shoal_schema *sc, const shoal_node *n, const char *what, double *out,
                       size_t count);
/* Replaces *out (freeing the old value). */
bool shoal_schema_str(shoal_schema *sc, const shoal_node *n, const char *what, char **out);
bool shoal_schema_bool(shoal_schema *sc, const shoal_node *n, const char *what, bool *out);
bool shoal_schema_color(shoal_schema *sc, const shoal_node *n, const char *what, shoal_color *out);
/* Index of n's value in names, or -1 after reporting. */
int shoal_schema_enum(shoal_schema *sc, const shoal_node *n, const char *what,
                      const char *const *names, size_t nnames);
/* The shapefile a data: value n names: beside the file n came from when something of that name
 * is there, else the first readable one along sc->search. Reports (at n) a file found nowhere
 * (naming every place looked), a folder, or a file that is not a .shp, and returns NULL then.
 * When must_exist is false a file found nowhere is no error here: the path beside the file is
 * returned, for the reader to report when it opens it (the inset, drawn only when shown).
 * Caller frees with free(). */
char *shoal_schema_data_path(shoal_schema *sc, const shoal_node *n, bool must_exist);
void shoal_style_defaults(shoal_style *st);
/* A text may be written per language: {en: "South China Sea", vi: "Biển Đông", zh: "南海"}.
 * Returns the node for the map's language, else for "en" (reporting when neither exists); a
 * scalar or NULL is returned as it is. Borrowed from the tree. */
shoal_node *shoal_schema_pick_lang(shoal_schema *sc, shoal_node *n, const char *what);
void shoal_schema_style(shoal_schema *sc, shoal_node *m, shoal_style *st, int depth);

/* Build the model from a merged tree, finding data files along sp (NULL: beside the file that
 * names them only). Every problem is reported, not just the first; the model is filled as far
 * as it could be either way. False when any error was reported. */
bool shoal_schema_build(shoal_node *root, const shoal_searchpath *sp, shoal_diag *d, shoal_map *m);

/* Section readers implemented next to their models. Each reports into sc->d. */
void shoal_schema_label(shoal_schema *sc, shoal_node *n, shoal_layer *L); /* layer label: */
void shoal_schema_zones(shoal_schema *sc, shoal_node *n, shoal_layer *L); /* layer zones: */
void shoal_zonesspec_free(shoal_zonesspec *z);
void shoal_schema_annots(shoal_schema *sc, shoal_node *n, shoal_map *m); /* annotations: */
/* furniture: (n may be NULL: fill m->furn with defaults) */
void shoal_schema_furniture(shoal_schema *sc, shoal_node *n, shoal_map *m);
void shoal_labelspec_free(struct shoal_labelspec *l);
void shoal_annots_free(struct shoal_annots *a);
void shoal_furnspec_free(struct shoal_furnspec *f);
/* The furniture's own words (schema_words.c): the built-in ones for lang (English for a
 * language without a table entry), then a furniture `texts:` mapping laid over them. */
void shoal_schema_words_defaults(struct shoal_furnspec *f, const char *lang);
void shoal_schema_words(shoal_schema *sc, shoal_node *n, struct shoal_furnspec *f);

#endif
