/* One map prepared and drawn in memory for a live viewer (`shoal serve`): the PNG of a view
 * with overrides the file does not hold (language, size, scale, hidden layers), the messages
 * as the CLI prints them, and the prepared scene kept for questions about it afterwards (what
 * is at a pixel, where the labels went). Not thread-safe: one thread at a time per preview. */
#ifndef SHOAL_PREVIEW_H
#define SHOAL_PREVIEW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/searchpath.h"
#include "draw/surface.h"
#include "label/labeldebug.h"

/* Most device pixels a preview or download may have: a viewer's image, not a print. */
#define SHOAL_PREVIEW_MAX_PIXELS 40e6

typedef struct shoal_preview_opts {
  const char *map_path;
  const shoal_searchpath *search; /* borrowed; may be NULL */
  const char *const *sets;        /* "key=value" overrides from the command line */
  size_t nsets;
  const char *lang;          /* NULL or "" = the map's */
  int width, height;         /* CSS px; 0 = the map's */
  double scale;              /* device px per CSS px; 0 = the map's */
  const char *const *hidden; /* names of layers not to draw (unknown names are ignored) */
  size_t nhidden;
  const atomic_int *cancel; /* borrowed; NULL = never */
  /* Open data and prepared geometry to reuse (another preview's, whose data files have not
   * changed since), or NULL to start afresh; see shoal_preview_take_caches. */
  struct shoal_datacache *cache;
  struct shoal_geocache *geo;
} shoal_preview_opts;

struct shoal_map;
struct shoal_scene;

typedef struct shoal_preview {
  shoal_status status; /* SHOAL_OK when the map loaded and drew */
  char *messages;      /* every message, exactly as `shoal render -v` prints them (owned) */
  size_t nerrors;
  char **deps; /* the files the map reads: watch these (owned) */
  size_t ndeps;
  char **langs; /* languages the map's title (or subtitle) is written in (owned) */
  size_t nlangs;
  char *lang;    /* the language drawn (owned) */
  char *title;   /* the map's title in that language (owned; NULL = none) */
  char **layers; /* every layer's name, in file order (owned) */
  bool *visible; /* and whether it is drawn */
  size_t nlayers;
  int width, height;  /* the page, CSS px */
  double scale;       /* device px per CSS px */
  unsigned char *png; /* the image (owned), NULL when the map failed */
  size_t png_len;
  shoal_labeldebug labels;   /* the label pass of the image */
  struct shoal_map *map;     /* owned; NULL when the map failed */
  struct shoal_scene *scene; /* owned; NULL when the map failed */
  struct shoal_datacache *cache;
  struct shoal_geocache *geo;
  bool own_caches;  /* cache and geo are freed with the preview */
  shoal_diag *diag; /* owned: the model's locations point at file names it holds */
} shoal_preview;

/* Load, prepare and draw the map as a PNG. Always sets *out (NULL only when out of memory);
 * whether it worked is (*out)->status, with every message in (*out)->messages. Caller frees
 * with shoal_preview_free. */
shoal_status shoal_preview_build(const shoal_preview_opts *o, shoal_preview **out);
void shoal_preview_free(shoal_preview *p);
/* p, built with from's caches (opts.cache and opts.geo), takes them over: they are freed with
 * p, no longer with from (which must be freed before p). */
void shoal_preview_take_caches(shoal_preview *p, shoal_preview *from);
/* Draw a working preview again as PNG, PDF or SVG into memory. *buf is the caller's to free
 * with free(). Problems go to d. */
shoal_status shoal_preview_export(shoal_preview *p, shoal_format f, shoal_diag *d,
                                  unsigned char **buf, size_t *len);
/* Device pixel (x, y) of a working preview to longitude/latitude; false off the map's CRS. */
bool shoal_preview_lonlat(const shoal_preview *p, double x, double y, double *lon, double *lat);
/* Longitude/latitude to the device pixel of a working preview; false when it has none. */
bool shoal_preview_pixel(const shoal_preview *p, double lon, double lat, double *x, double *y);

/* What inspect finds at a pixel (inspect.c). */
typedef struct shoal_hit {
  const char *layer;    /* borrowed from the preview */
  int id;               /* shape id */
  char **names, **vals; /* attributes (owned; a value NULL when empty) */
  size_t nattrs;
  int rule;           /* index of the rule that styles it, -1 = the layer's own style */
  const char *filter; /* that rule's filter text, NULL = none (borrowed) */
  shoal_loc rule_loc; /* where the rule's filter was written (file borrowed) */
  bool drawn;         /* false when no rule matched (the feature is not drawn) */
  const char *label;  /* the label text placed for it, or NULL (borrowed) */
  bool label_placed;
} shoal_hit;

/* The features of every drawn layer at device pixel (x, y): polygons containing it, lines and
 * points within tol device px, in drawing order (topmost last). *hits is the caller's to free
 * with shoal_hits_free. Read errors go to d. */
shoal_status shoal_preview_inspect(shoal_preview *p, double x, double y, double tol, shoal_diag *d,
                                   shoal_hit **hits, size_t *n);
void shoal_hits_free(shoal_hit *hits, size_t n);

#endif
