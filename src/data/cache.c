/* Shared source cache keyed by canonical path (so "a/../b.shp" and "b.shp" share one handle). */
#include <limits.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "data/cache.h"

#include "base/mem.h"

#define CACHE_MAX 4096

typedef struct entry {
  char *key;
  shoal_source *src;
} entry;

struct shoal_datacache {
  pthread_mutex_t mu;
  entry *e;
  size_t n, cap;
  shoal_projcache *proj; /* owned; has its own lock */
};

shoal_datacache *shoal_datacache_new(void)
{
  shoal_datacache *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  if (!(c->proj = shoal_projcache_new())) {
    free(c);
    return NULL;
  }
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

void shoal_datacache_free(shoal_datacache *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    shoal_source_close(c->e[i].src);
    free(c->e[i].key);
  }
  free(c->e);
  shoal_projcache_free(c->proj);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

shoal_status shoal_datacache_open(shoal_datacache *c, const char *path, const shoal_source_opts *o,
                                  shoal_diag *d, shoal_source **out)
{
  char real[PATH_MAX], key[PATH_MAX + 1024];
  /* One file may give several sources (a GeoPackage's tables, a CSV's column choices). */
  snprintf(key, sizeof key, "%s\n%s\n%s\n%s", realpath(path, real) ? real : path,
           o && o->layer ? o->layer : "", o && o->lon ? o->lon : "", o && o->lat ? o->lat : "");
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->e[i].key, key) == 0) {
      *out = c->e[i].src;
      pthread_mutex_unlock(&c->mu);
      return SHOAL_OK;
    }
  /* Opening under the lock keeps two jobs from reading the same file twice. */
  shoal_status st = shoal_source_open_opts(path, o, d, out);
  if (st == SHOAL_OK) {
    char *k = shoal_strdup(key);
    if (!k || !SHOAL_GROW(&c->e, &c->cap, c->n + 1, 16, CACHE_MAX)) {
      /* Not kept, so not borrowable from the cache: close it rather than leak it. */
      free(k);
      shoal_source_close(*out);
      *out = NULL;
      st = SHOAL_ERR_NOMEM;
      shoal_diag_error(d, st, NULL, 0, 0, "too many data files open, or out of memory");
    } else {
      c->e[c->n++] = (entry){k, *out};
    }
  }
  pthread_mutex_unlock(&c->mu);
  return st;
}

shoal_projcache *shoal_datacache_proj(shoal_datacache *c) { return c->proj; }
