/* Readers shared by the label (schema_label.c) and annotation (schema_annot.c) schemas.
 * Internal to src/config/. Each reports problems into sc->d at the node's file:line:col. */
#ifndef SHOAL_SCHEMA_TEXT_H
#define SHOAL_SCHEMA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/label_model.h"
#include "config/schema.h"

/* Where the text of a scalar starts: one column after an opening quote. */
static inline shoal_loc shoal_schema_text_loc(const shoal_node *n)
{
  return (shoal_loc){n->file, n->line, n->col + (n->quoted ? 1 : 0)};
}

/* 0xRRGGBB with alpha a. */
shoal_color shoal_schema_hex(unsigned v, double a);
void shoal_schema_textstyle_defaults(shoal_textstyle *ts, double size, unsigned color,
                                     double halo_width);
/* The text keys of mapping m (font, size, weight, ...) laid over ts. */
void shoal_schema_textstyle(shoal_schema *sc, shoal_node *m, shoal_textstyle *ts);
void shoal_schema_textstyle_free(shoal_textstyle *ts);
/* Unknown keys of m: a kind's own list, plus the text keys when with_text. */
void shoal_schema_keys_text(shoal_schema *sc, shoal_node *m, const char *what,
                            const char *const *own, size_t nown, bool with_text);
/* A template kept as text in *out (replacing it; bound to fields when the scene is prepared),
 * its syntax checked now; *loc where its text starts. v may be NULL. */
void shoal_schema_template(shoal_schema *sc, shoal_node *v, const char *what, char **out,
                           shoal_loc *loc);
/* Check the number formats of "{count:FORMAT}" in a legend text v (the legend's count). */
void shoal_schema_legend_count(shoal_schema *sc, const shoal_node *v);
/* A filter: its text in *text (replaced) and the parsed expression in *e (NULL after
 * reporting a syntax error). */
void shoal_schema_filter(shoal_schema *sc, shoal_node *f, char **text, shoal_expr **e,
                         shoal_loc *loc);
/* [lon, lat] in degrees. */
bool shoal_schema_lonlat(shoal_schema *sc, shoal_node *v, const char *what, double *lon,
                         double *lat);
/* A point given as a place id (scalar) or [lon, lat] (list). */
void shoal_schema_placeref(shoal_schema *sc, shoal_node *v, const char *what, shoal_placeref *r);
/* A list of at least min [lon, lat] pairs into a->coords (replacing them). */
void shoal_schema_coords(shoal_schema *sc, shoal_node *v, const char *what, size_t min,
                         shoal_annot *a);

/* A label: block (a mapping, or a scalar: the template alone) laid over l, which
 * shoal_schema_labelspec_defaults set up. Markers use it for their own label. */
void shoal_schema_labelspec_defaults(shoal_labelspec *l);
void shoal_schema_labelspec(shoal_schema *sc, shoal_node *n, shoal_labelspec *l);

#endif
