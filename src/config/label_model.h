/* Model of labels and annotations: a layer's `label:` block and the top-level `annotations:`
 * list (markers, callouts, area labels, highlighted areas, distance notes), plus the language
 * table that turns `lang` into a name field and a Pango language tag. */
#ifndef SHOAL_LABEL_MODEL_H
#define SHOAL_LABEL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "config/model.h"

/* How a piece of text looks. Shared by layer labels and every annotation that shows text. */
typedef struct shoal_textstyle {
  char *font; /* family; NULL = the map's font */
  shoal_loc font_loc;
  double size; /* CSS px */
  int weight;  /* 100..1000 (400 regular, 600 semibold, 700 bold) */
  bool italic;
  bool upper;            /* transform: upper */
  double letter_spacing; /* CSS px */
  double wrap;           /* wrap width in CSS px; 0 = one line */
  shoal_color color;
  shoal_color halo;
  bool halo_set;     /* false: the map's background colour */
  double halo_width; /* CSS px; 0 = no halo */
} shoal_textstyle;

typedef enum shoal_label_placement {
  SHOAL_LABEL_AUTO = 0, /* from the geometry: point, line or area */
  SHOAL_LABEL_POINT,
  SHOAL_LABEL_LINE,
  SHOAL_LABEL_AREA
} shoal_label_placement;

/* Cap on the fallback languages of one label. */
#define SHOAL_MAX_FALLBACK 8

/* A layer's label: block. */
typedef struct shoal_labelspec {
  char *text;         /* template as written, e.g. "{name_*}" or "{name_en} ({name_zh})" */
  shoal_loc text_loc; /* first character of the template (after an opening quote) */
  char *lang;         /* NULL = the map's lang */
  shoal_loc lang_loc;
  char *fallback[SHOAL_MAX_FALLBACK]; /* languages tried after lang, in order */
  shoal_loc fallback_loc[SHOAL_MAX_FALLBACK];
  size_t nfallback;
  shoal_textstyle ts;
  double priority; /* higher is placed first */
  shoal_label_placement placement;
  char *filter_text; /* which features get labels; NULL = all */
  shoal_expr *filter;
  shoal_loc filter_loc;
  double offset; /* CSS px between a marker's edge (or a line) and the text */
  bool leaders;  /* may move away from the point with a leader line */
  shoal_loc loc; /* the label: block */
} shoal_labelspec;

typedef enum shoal_annot_kind {
  SHOAL_ANNOT_MARKER = 0,
  SHOAL_ANNOT_CALLOUT,
  SHOAL_ANNOT_AREA_LABEL,
  SHOAL_ANNOT_HIGHLIGHT,
  SHOAL_ANNOT_DISTANCE
} shoal_annot_kind;

/* A point: a place id (looked up in the `id` field of a layer when the scene is prepared) or
 * [lon, lat] in WGS84 degrees. */
typedef struct shoal_placeref {
  bool set;
  char *place; /* NULL when given by coordinates */
  double lon, lat;
  shoal_loc loc;
} shoal_placeref;

/* One entry of annotations:. Which fields matter depends on kind (see docs/labels.md). */
typedef struct shoal_annot {
  shoal_annot_kind kind;
  shoal_loc loc;
  char *layer; /* layer that holds the place ids / the highlighted features; NULL = any */
  shoal_loc layer_loc;
  shoal_placeref at; /* marker, callout, area-label: the point; distance: from */
  shoal_placeref to; /* distance: to */
  shoal_style style; /* marker look; highlight fill/hatch/outline; distance line; callout box */
  char *text;        /* template: marker label, callout text, area label, distance label */
  shoal_loc text_loc;
  shoal_textstyle ts;
  double priority;
  double offset;   /* marker label: gap between marker and text, CSS px */
  bool leaders;    /* marker label: may move away with a leader line */
  int position;    /* callout: -1 automatic, else 0..7 = n ne e se s sw w nw */
  bool has_anchor; /* callout: anchor [dx, dy] given (CSS px, x east, y north) */
  double anchor[2];
  double distance;    /* callout: leader length for `position`, CSS px */
  double gap;         /* callout: space left between the leader's end and the point */
  double padding;     /* callout: space inside the box, CSS px */
  shoal_color leader; /* callout leader colour */
  double leader_width;
  double *coords; /* area-label path / highlight polygon: lon,lat pairs */
  size_t ncoords; /* number of pairs */
  shoal_loc coords_loc;
  char *legend;     /* highlight, marker: legend entry, or NULL */
  double radius_nm; /* highlight: geodesic circle of this radius around `at` (0 = none) */
  bool has_within;  /* highlight: only the part inside this lon/lat box */
  double within[4];
  /* distance to-coast: the polygon layer whose coastline is the target, only its polygons
   * that contain `containing` (when has_containing) and pass `filter` */
  char *coast_layer;
  shoal_loc coast_loc;
  bool has_containing;
  double containing[2];
  shoal_loc containing_loc;
  char *mask_layer; /* highlight: its outline is not drawn on this polygon layer (land) */
  shoal_loc mask_loc;
  char *filter_text; /* highlight: which features of `layer`; distance: of the coast layer */
  shoal_expr *filter;
  shoal_loc filter_loc;
} shoal_annot;

typedef struct shoal_annots {
  shoal_annot *v;
  size_t n;
} shoal_annots;

/* A language the labels know without looking at the data. */
typedef struct shoal_lang_info {
  const char *code;    /* as written in lang: */
  const char *field;   /* DBF field holding names in it */
  const char *tag;     /* BCP 47 tag for Pango (picks e.g. the Simplified Chinese face) */
  const char *group;   /* thousands separator of formatted numbers ({x:,.0f}) */
  const char *decimal; /* decimal mark of formatted numbers */
} shoal_lang_info;

/* The table entry for code (case-insensitive), or NULL when the code is not in the table.
 * Static: never freed. */
const shoal_lang_info *shoal_lang_find(const char *code);
/* All table entries (borrowed, static). */
const shoal_lang_info *shoal_lang_table(size_t *n);
/* Name field of a language: the table's, else "name_" + code in lower case with '-' as '_'.
 * False when it does not fit in buf or code is not [A-Za-z0-9_-]+. */
bool shoal_lang_field(const char *code, char *buf, size_t buflen);

/* Rewrite every "name_*" alternative inside the braces of a label template into the given
 * fields joined by '|' ("{name_*}" with {name_vi, name_en} -> "{name_vi|name_en}"). When
 * colmap is not NULL it receives an array (caller frees) giving, for each character (code
 * point) of the result and one past its end, the 0-based character index in the template it
 * came from, so an error column found in the result can point into what the user wrote. With
 * nfields 0 a "name_*" stays as it is. Caller frees the result; NULL when out of memory. */
char *shoal_label_expand_names(const char *text, const char *const *fields, size_t nfields,
                               size_t **colmap);
/* True when the template text uses "name_*". */
bool shoal_label_uses_names(const char *text);

#endif
