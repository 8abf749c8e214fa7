/* Process-wide cache of prepared layer geometry (shoal_layergeo), keyed by data file, map CRS,
 * view and simplification, so outputs and batch jobs that share a view project and simplify
 * each file once. Thread-safe; entries are immutable once built. */
#ifndef SHOAL_GEOCACHE_H
#define SHOAL_GEOCACHE_H

#include "layer/layer.h"

/* Caller frees with shoal_geocache_free once no job uses it. NULL when out of memory. */
shoal_geocache *shoal_geocache_new(void);
void shoal_geocache_free(shoal_geocache *c);
/* The geometry of lc's layer for its view (the key: lc's data file, lc->crs, lc->view and the
 * layer's simplify), built on first use. Threads asking for an entry being built wait for
 * it. *out is borrowed until the cache is freed. */
shoal_status shoal_geocache_get(shoal_geocache *c, const shoal_layerctx *lc, shoal_diag *d,
                                const shoal_layergeo **out);
/* Number of builds and hits so far (for -v and the benchmark). */
void shoal_geocache_counts(shoal_geocache *c, size_t *builds, size_t *hits);

#endif
