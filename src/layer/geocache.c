/* Shared prepared-geometry cache. One mutex guards the table; each entry has its own so a
 * slow build of one file does not hold up jobs that need another. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "layer/geocache.h"

#define GEOCACHE_MAX 4096

typedef struct gc_entry {
  char *key;
  pthread_mutex_t mu; /* held while building */
  bool built;
  shoal_status st;
  shoal_layergeo *lg;
} gc_entry;

struct shoal_geocache {
  pthread_mutex_t mu;
  gc_entry **e;
  size_t n, cap;
  size_t builds, hits;
};

shoal_geocache *shoal_geocache_new(void)
{
  shoal_geocache *c = calloc(1, sizeof *c);
  if (c)
    pthread_mutex_init(&c->mu, NULL);
  return c;
}

void shoal_geocache_free(shoal_geocache *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++) {
    pthread_mutex_destroy(&c->e[i]->mu);
    shoal_layergeo_free(c->e[i]->lg);
    free(c->e[i]->key);
    free(c->e[i]);
  }
  free(c->e);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

static char *make_key(const shoal_layerctx *lc)
{
  const shoal_view *v = lc->view;
  shoal_source *src = lc->src;
  const char *crs = lc->crs;
  double simplify = lc->layer->simplify;
  size_t n = strlen(shoal_source_key(src)) + strlen(crs) + 256;
  char *k = malloc(n);
  if (k)
    snprintf(k, n, "%s\n%s\n%.17g %.17g %.17g %.17g %d %d %.17g %.17g", shoal_source_key(src), crs,
             v->ext[0], v->ext[1], v->ext[2], v->ext[3], v->width, v->height, v->scale, simplify);
  return k;
}

static gc_entry *find_or_add(shoal_geocache *c, char *key, bool *added)
{
  *added = false;
  for (size_t i = 0; i < c->n; i++)
    if (strcmp(c->e[i]->key, key) == 0)
      return c->e[i];
  if (!SHOAL_GROW(&c->e, &c->cap, c->n + 1, 32, GEOCACHE_MAX))
    return NULL;
  gc_entry *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->key = key;
  pthread_mutex_init(&e->mu, NULL);
  c->e[c->n++] = e;
  *added = true;
  return e;
}

shoal_status shoal_geocache_get(shoal_geocache *c, const shoal_layerctx *lc, shoal_diag *d,
                                const shoal_layergeo **out)
{
  *out = NULL;
  char *key = make_key(lc);
  if (!key)
    return SHOAL_ERR_NOMEM;
  pthread_mutex_lock(&c->mu);
  bool added;
  gc_entry *e = find_or_add(c, key, &added);
  if (!added)
    free(key);
  if (!e) {
    pthread_mutex_unlock(&c->mu);
    return SHOAL_ERR_NOMEM;
  }
  /* Take the entry's lock before releasing the table, so a second asker waits for the build. */
  pthread_mutex_lock(&e->mu);
  pthread_mutex_unlock(&c->mu);
  bool built_now = !e->built;
  if (built_now) {
    e->st = shoal_layergeo_build(lc, d, &e->lg);
    e->built = e->st == SHOAL_OK; /* a failed build is tried again by the next asker */
  }
  shoal_status st = e->st;
  if (st != SHOAL_OK && !built_now) /* the builder's diag got the details; say it here too */
    shoal_diag_error(d, st, shoal_source_path(lc->src), 0, 0, "cannot read this data file");
  *out = e->lg;
  pthread_mutex_unlock(&e->mu);
  /* Counted after the entry is released: taking the table lock while holding an entry would
   * deadlock against a thread that holds the table and waits for this entry. */
  pthread_mutex_lock(&c->mu);
  if (built_now)
    c->builds++;
  else
    c->hits++;
  pthread_mutex_unlock(&c->mu);
  return st;
}

void shoal_geocache_counts(shoal_geocache *c, size_t *builds, size_t *hits)
{
  pthread_mutex_lock(&c->mu);
  *builds = c->builds;
  *hits = c->hits;
  pthread_mutex_unlock(&c->mu);
}
