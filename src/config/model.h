/* The map model: what one map file says to draw, after includes, overrides, variables and
 * classes are resolved and every value is validated. Built by schema.c, read by core and draw. */
#ifndef SHOAL_MODEL_H
#define SHOAL_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/searchpath.h"
#include "config/color.h"
#include "config/expr.h"

/* Where a value was written, for messages raised after loading (missing data, bad CRS). */
typedef enum shoal_marker_shape {
  SHOAL_MARKER_NONE = 0,
  SHOAL_MARKER_CIRCLE,
  SHOAL_MARKER_SQUARE,
  SHOAL_MARKER_TRIANGLE,
  SHOAL_MARKER_DIAMOND,
  SHOAL_MARKER_STAR,
  SHOAL_MARKER_CROSS
} shoal_marker_shape;

typedef enum shoal_join { SHOAL_JOIN_MITER, SHOAL_JOIN_ROUND, SHOAL_JOIN_BEVEL } shoal_join;
typedef enum shoal_cap { SHOAL_CAP_BUTT, SHOAL_CAP_ROUND, SHOAL_CAP_SQUARE } shoal_cap;

/* Bits of shoal_style.set: which properties a style block gave, so class, layer and rule
 * styles can be layered (later wins only where it says something). */
enum {
  SHOAL_STY_FILL = 1u << 0,
  SHOAL_STY_STROKE = 1u << 1,
  SHOAL_STY_WIDTH = 1u << 2,
  SHOAL_STY_DASH = 1u << 3,
  SHOAL_STY_OPACITY = 1u << 4,
  SHOAL_STY_JOIN = 1u << 5,
  SHOAL_STY_CAP = 1u << 6,
  SHOAL_STY_MARKER = 1u << 7,
  SHOAL_STY_MSIZE = 1u << 8,
  SHOAL_STY_HATCH = 1u << 9,
  SHOAL_STY_HATCH_ANGLE = 1u << 10,
  SHOAL_STY_HATCH_SPACING = 1u << 11,
  SHOAL_STY_HATCH_WIDTH = 1u << 12
};

#define SHOAL_MAX_DASH 8

typedef struct shoal_style {
  unsigned set;
  shoal_color fill;            /* fill of polygons and markers */
  shoal_color stroke;          /* outline / line colour */
  double stroke_width;         /* CSS px */
  double dash[SHOAL_MAX_DASH]; /* CSS px, on/off lengths */
  int ndash;
  double opacity; /* whole-feature opacity 0..1 */
  shoal_join join;
  shoal_cap cap;
  shoal_marker_shape marker;
  double marker_size; /* CSS px, the marker's diameter */
  shoal_color hatch;  /* vector hatching over the fill (alpha 0 = none) */
  double hatch_angle, hatch_spacing, hatch_width;
} shoal_style;

/* One file of a layer, with the range of scale denominators (1:N) it serves. */
typedef struct shoal_datafile {
  char *path;                  /* resolved relative to the file that named it */
  char *layer;                 /* layer (table) of a multi-layer file, or NULL for the only one */
  char *lon, *lat;             /* coordinate columns of a CSV file, or NULL to find them */
  double min_scale, max_scale; /* 0 / INFINITY when open */
  shoal_loc loc;
} shoal_datafile;

typedef struct shoal_rule {
  char *filter_text; /* NULL = else/always */
  shoal_expr *filter;
  shoal_loc filter_loc; /* position of the filter's first character */
  shoal_style style;    /* layer style with this rule's properties laid over */
  char *legend;         /* legend entry, or NULL */
} shoal_rule;

/* Computed zones as a layer's data (the zones: key): what the zones module computes and which
 * of the files it writes the layer draws. Computed once and cached (layer/zonesrc.h). */
#define SHOAL_ZONES_MAX_NM 16
typedef struct shoal_zonesspec {
  char *from;                    /* land polygons, resolved like data: */
  char *state_field;             /* the field naming each feature's state */
  char *baselines;               /* straight baselines (lines), or NULL */
  char *claim;                   /* a claim line, or NULL */
  double nm[SHOAL_ZONES_MAX_NM]; /* ascending, distinct */
  size_t nnm;
  char *states;  /* "CN,VN": the states zones are computed for, or NULL for all */
  char *show;    /* limits, limit_lines, zones, overlaps, medians or claim */
  shoal_loc loc; /* the zones: key, for the messages of computing them */
} shoal_zonesspec;

struct shoal_labelspec; /* a layer's label: block (config/label_model.h) */
struct shoal_annots;    /* the annotations: section (config/label_model.h) */
struct shoal_furnspec;  /* the furniture: section (config/furn_model.h) */

typedef struct shoal_layer {
  char *name;
  shoal_datafile *data;
  size_t ndata;
  bool visible;
  double simplify;     /* tolerance in device px (0 = off) */
  bool label_obstacle; /* labels keep off this layer's lines (e.g. the claim line) */
  shoal_style style;
  shoal_rule *rules; /* drawn with the first matching rule; none = layer style for all */
  size_t nrules;
  char *legend;
  char *attribution; /* credit text for the source line */
  shoal_loc loc;
  struct shoal_labelspec *label; /* NULL = no labels */
  shoal_zonesspec *zones;        /* data computed from zones:, or NULL (data[0].path NULL then) */
} shoal_layer;

typedef struct shoal_map {
  char *path;
  int width, height;             /* CSS px */
  double scale;                  /* device pixels per CSS px */
  shoal_loc size_loc, scale_loc; /* where size and scale were written (zero when defaulted) */
  char *crs;
  shoal_loc crs_loc;
  double extent[4]; /* in extent_crs */
  char *extent_crs;
  shoal_loc extent_loc;
  shoal_color background;
  char *title, *subtitle, *credit;
  char *lang;
  shoal_loc lang_loc; /* where lang was written (zero when defaulted) */
  char *font;         /* base font family for furniture, e.g. "Noto Sans" */
  bool svg_outlines;  /* map.svg-text: outlines: SVG text as glyph outlines (Cairo's SVG) */
  int png_palette;    /* map.png-palette: PNGs with at most this many colours (2..256), 0 = RGB */
  shoal_loc font_loc; /* where font was written (zero when defaulted) */
  shoal_layer *layers;
  size_t nlayers;
  bool style_only; /* a style file (no layers:), for include; `check` validates it alone */
  char **deps;     /* every file the map reads: map, includes, data (.shp/.shx/.dbf/.prj/.cpg) */
  size_t ndeps;
  struct shoal_annots *annots; /* NULL = none */
  struct shoal_furnspec *furn; /* never NULL after loading (defaults) */
} shoal_map;

/* Load path with its includes, apply --set overrides (each "key=value"), expand variables and
 * build the model. All problems go to d (every one, not just the first). Returns NULL when
 * there was any error. Caller frees with shoal_map_free. Includes and data files are looked
 * for beside the file naming them only; shoal_map_read takes a search path. */
shoal_map *shoal_map_load(const char *path, const char *const *sets, size_t nsets, shoal_diag *d);
/* The same, looking for includes and data files beside the file naming them, then along sp
 * (may be NULL), and keeping the model when the schema reported errors, so that later checks
 * (languages, fonts) can still run and every error of a map is reported in one pass. Returns
 * NULL only when the file could not be read or parsed at all; compare shoal_diag_nerrors(d)
 * before and after to know whether the model is sound (a model with errors must not be drawn:
 * some of its values are missing). Caller frees with shoal_map_free. */
shoal_map *shoal_map_read(const char *path, const char *const *sets, size_t nsets,
                          const shoal_searchpath *sp, shoal_diag *d);
void shoal_map_free(shoal_map *m);
/* Command-line or viewer overrides of the page: each value > 0 replaces the map's own. */
void shoal_map_set_page(shoal_map *m, int width, int height, double scale);

#endif
