/* Process-wide cache of open data sources, so a batch reads and indexes each file once and
 * every job (thread) shares it. Thread-safe. */
#ifndef SHOAL_CACHE_H
#define SHOAL_CACHE_H

#include "base/diag.h"
#include "data/source.h"
#include "geo/xform.h"

typedef struct shoal_datacache shoal_datacache;

/* Caller frees with shoal_datacache_free after every job using it has ended. */
shoal_datacache *shoal_datacache_new(void);
void shoal_datacache_free(shoal_datacache *c);
/* Open path once (keyed by its real path, and o's layer and coordinate columns; o may be
 * NULL); later calls return the same source. A file that failed to open is retried each time
 * (errors go to each caller's diag). The source is borrowed until the cache is freed. */
shoal_status shoal_datacache_open(shoal_datacache *c, const char *path, const shoal_source_opts *o,
                                  shoal_diag *d, shoal_source **out);
/* The PROJ cache every job using c shares (each source's CRS identified once, each CRS pair's
 * operation built once): for shoal_proj_new_shared. Borrowed until c is freed. */
shoal_projcache *shoal_datacache_proj(shoal_datacache *c);

#endif
