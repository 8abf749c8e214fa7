/* Process-wide cache of prepared layer geometry (shoal_layergeo), keyed by data file, map CRS,
 * view and simplification, so outputs and batch jobs that share a view project and simplify
 * each file once. Thread-safe; entries are immutable once built. */
#ifndef SHOAL_GEOCACHE_H
#define SHOAL_GEOCACHE_H

#include "draw/render.h"

typedef struct shoal_geocache shoal_geocache;

/* Caller frees with shoal_geocache_free once no job uses it. */
shoal_geocache *shoal_geocache_new(void);
void shoal_geocache_free(shoal_geocache *c);
/* Return the geometry for (src, crs, v, simplify), building it with xf on first use. Threads
 * asking for an entry being built wait for it. Borrowed until the cache is freed. */
shoal_status shoal_geocache_get(shoal_geocache *c, const shoal_view *v, double simplify,
                                shoal_source *src, const char *crs, shoal_xform *xf, shoal_diag *d,
                                const shoal_layergeo **out);
/* Number of builds and hits so far (for -v and the benchmark). */
void shoal_geocache_counts(shoal_geocache *c, size_t *builds, size_t *hits);

#endif
