/* Shared source cache keyed by canonical path (so "a/../b.shp" and "b.shp" share one handle). */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "data/cache.h"

#define CACHE_MAX 4096

typedef struct entry {
  char *key;
  shoal_source *src;
} entry;

struct shoal_datacache {
  pthread_mutex_t mu;
  entry *e;
  size_t n, cap;
};

shoal_datacache *shoal_datacache_new(void)
{
  shoal_datacache *c = calloc(1, sizeof *c);
  if (c)
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
  pthread_mutex_destroy(&c->mu);
  free(c);
}

shoal_status shoal_datacache_open(shoal_datacache *c, const char *path, shoal_diag *d,
                                  shoal_source **out)
{
  char real[PATH_MAX];
  const char *key = realpath(path, real) ? real : path;
  pthread_mutex_lock(&c->mu);
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->e[i].key, key) == 0) {
      *out = c->e[i].src;
      pthread_mutex_unlock(&c->mu);
      return SHOAL_OK;
    }
  /* Opening under the lock keeps two jobs from reading the same file twice. */
  shoal_status st = shoal_source_open(path, d, out);
  if (st == SHOAL_OK) {
    if (c->n == c->cap) {
      size_t nc = c->cap ? c->cap * 2 : 16;
      entry *ne = nc <= CACHE_MAX ? realloc(c->e, nc * sizeof *ne) : NULL;
      if (!ne) {
        pthread_mutex_unlock(&c->mu);
        shoal_source_close(*out);
        *out = NULL;
        shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "too many data files open");
        return SHOAL_ERR_NOMEM;
      }
      c->e = ne;
      c->cap = nc;
    }
    size_t kl = strlen(key) + 1;
    char *k = malloc(kl);
    if (k) {
      memcpy(k, key, kl);
      c->e[c->n++] = (entry){k, *out};
    }
  }
  pthread_mutex_unlock(&c->mu);
  return st;
}
