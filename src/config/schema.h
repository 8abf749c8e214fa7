/* Helpers shared by the schema readers (schema.c for map/layers, annotations for furniture
 * and labels): typed reads of YAML nodes that report problems at the node's position. */
#ifndef SHOAL_SCHEMA_H
#define SHOAL_SCHEMA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"
#include "config/node.h"

typedef struct shoal_schema {
  shoal_diag *d;
  shoal_node *root;
  shoal_node *classes; /* the classes: mapping, or NULL */
  bool style_only;     /* a style file (no layers): map.extent not required */
  const char *lang;    /* the map's language, once read (borrowed from the model) */
} shoal_schema;

/* "WIDTHxHEIGHT" in pixels, each 16..20000 (for --size and batch files). */
bool shoal_parse_size(const char *s, int *w, int *h);
/* Locale-independent number parse of the whole string. */
bool shoal_parse_double(const char *s, double *out);

void shoal_schema_err(shoal_schema *sc, const shoal_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool shoal_schema_want(shoal_schema *sc, const shoal_node *n, shoal_node_kind k, const char *what);
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
/* Path relative to the directory of the file the node came from. Caller frees. */
char *shoal_schema_path(const shoal_node *n);
void shoal_style_defaults(shoal_style *st);
/* A text may be written per language: {en: "South China Sea", vi: "Biển Đông", zh: "南海"}.
 * Returns the node for the map's language, else for "en" (reporting when neither exists); a
 * scalar or NULL is returned as it is. */
shoal_node *shoal_schema_pick_lang(shoal_schema *sc, shoal_node *n, const char *what);
void shoal_schema_style(shoal_schema *sc, shoal_node *m, shoal_style *st, int depth);

/* Build the model from a merged tree. False when any error was reported. */
bool shoal_schema_build(shoal_node *root, shoal_diag *d, shoal_map *m);

/* Section readers implemented next to their models. Each reports into sc->d. */
void shoal_schema_label(shoal_schema *sc, shoal_node *n, shoal_layer *L); /* layer label: */
void shoal_schema_annots(shoal_schema *sc, shoal_node *n, shoal_map *m);  /* annotations: */
/* furniture: (n may be NULL: fill m->furn with defaults) */
void shoal_schema_furniture(shoal_schema *sc, shoal_node *n, shoal_map *m);
void shoal_labelspec_free(struct shoal_labelspec *l);
void shoal_annots_free(struct shoal_annots *a);
void shoal_furnspec_free(struct shoal_furnspec *f);

#endif
