/* A layer's geometry prepared for a view, in one place for everyone who needs it: the query
 * by the view (its box densified into the source CRS), reading, projecting into device px,
 * clipping, simplifying and the shared cache. Drawing, labels and annotations all get their
 * features here; they differ only in the parameters they ask with. */
#ifndef SHOAL_LAYER_H
#define SHOAL_LAYER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/status.h"
#include "config/model.h"
#include "data/source.h"
#include "geo/geom.h"
#include "geo/view.h"
#include "geo/xform.h"

typedef struct shoal_geocache shoal_geocache;

/* One layer of a map resolved for its view: what every user of the layer's geometry needs.
 * Filled in by whoever opens the layers (the scene); everything in it is borrowed. */
typedef struct shoal_layerctx {
  const shoal_layer *layer;   /* the layer's model (styles, rules, label spec) */
  const shoal_datafile *file; /* the resolution chosen for this scale */
  shoal_source *src;          /* open data, from the data cache */
  shoal_xform *xf;            /* source CRS -> map CRS */
  const shoal_view *view;     /* the map's view */
  const char *crs;            /* the map CRS (names the geometry in the cache; NULL without) */
  shoal_geocache *geo;        /* shared prepared geometry, or NULL to build a copy per use */
} shoal_layerctx;

/* A layer's features for one view, in device px: read, thinned, projected, clipped and
 * simplified once, then used any number of times (PNG and PDF of one job; all jobs of a batch
 * that share the view; drawing and the labels' obstacle lines). Immutable after building, so
 * threads may share it. */
typedef struct shoal_layergeo {
  shoal_geom_kind kind;
  shoal_geom g;       /* all parts of all features */
  int *ids;           /* feature i is shape ids[i] ... */
  size_t *first_part; /* ... with parts first_part[i] .. first_part[i+1]-1 */
  size_t nfeat, capfeat;
  size_t pts_read;
} shoal_layergeo;

/* The layer's prepared geometry for its view (margin of 16 CSS px around the page, clipped,
 * simplified by the layer's `simplify`): from the shared cache when lc->geo is set (*own NULL,
 * *lg borrowed until the cache is freed), else built for the caller (*lg == *own; the caller
 * frees it with shoal_layergeo_free). Read errors are reported to d naming the record. */
shoal_status shoal_layer_geom(const shoal_layerctx *lc, shoal_diag *d, const shoal_layergeo **lg,
                              shoal_layergeo **own);

/* Build lc's layer for its view without the cache (see shoal_layergeo). A big layer is built
 * on two threads (the second with its own PROJ context and a copy of lc->xf); the result is
 * the same as on one. Caller frees *out with shoal_layergeo_free. */
shoal_status shoal_layergeo_build(const shoal_layerctx *lc, shoal_diag *d, shoal_layergeo **out);
void shoal_layergeo_free(shoal_layergeo *lg);

/* The ids of the features of lc's layer that may show in its view grown by margin_px device
 * px on every side: the box densified (SHOAL_DENSIFY) into the source CRS, then the source's
 * index. None (SHOAL_OK, *n 0) when the view lies outside the source CRS's domain. Caller
 * frees *ids with free(). Errors are the source's status; the caller reports them. */
shoal_status shoal_layer_query(const shoal_layerctx *lc, double margin_px, int **ids, size_t *n);
/* One whole feature of lc's layer in device px, neither clipped nor simplified: what labels
 * and highlights work from, since a label's anchor depends on the entire shape. Reuses g's
 * buffer. A read error is returned for the caller to report (shoal_source_read_error). */
shoal_status shoal_layer_feature(const shoal_layerctx *lc, int id, shoal_geom *g);

#endif
