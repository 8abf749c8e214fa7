/* What the phases of shoal_zones_compute share (zones.c runs them; zlimit.c and zmedian.c
 * hold the per-state limit and per-pair median jobs). Internal to zones/. */
#ifndef SHOAL_ZONES_ZPRIV_H
#define SHOAL_ZONES_ZPRIV_H

#include <pthread.h>

#include "zones/near.h"
#include "zones/zgeos.h"
#include "zones/zones.h"

/* A geometry handed between phases (and so between GEOS contexts) as WKB. */
typedef struct zblob {
  unsigned char *wkb;
  size_t len;
  double bbox[4];
  bool set;
} zblob;

typedef struct zwork {
  const shoal_zones_in *in;
  const shoal_zones_opts *o;
  double dmax, tol;   /* metres */
  shoal_znear *near;  /* per state: its baseline points (coast and straight baselines) */
  shoal_znear *rings; /* per state: all its land's rings as points (to tell coast from border) */
  double (*bbox)[4];  /* per state: its land's bounding box (minx > maxx when it has none) */
  shoal_geom *coast;  /* per state: its coast where it meets a land border, lines (coast.c) */
  shoal_geom *isles;  /* per state: its rings that are coast all round, polygon rings */
  zblob *land;        /* per state: its land, made valid */
  zblob all_land;
  zblob *outer;  /* per state: its limit at dmax before land was removed */
  zblob *closer; /* nstates x nstates: [i*n+j] the part of i's outer limit nearer to j */
  zblob *zone;   /* per state: its modelled zone */
  zblob claim;
  shoal_zones_result *r;
  pthread_mutex_t mu; /* guards r, done, st, err */
  size_t done, total;
  shoal_status st;
  char err[512];
} zwork;

/* Keep z as a blob (z not consumed); false when out of memory. */
bool shoal_zblob_set(zblob *b, shoal_zgeos *c, const shoal_zg *z);
/* A geometry in c from b (caller drops it); NULL when b is unset or on failure. */
shoal_zg *shoal_zblob_get(const zblob *b, shoal_zgeos *c);
bool shoal_zblob_meets(const zblob *a, const zblob *b);

/* Record a failure of a job (first one wins) and return false. */
bool shoal_zwork_fail(zwork *w, shoal_status st, const char *what, shoal_zgeos *c);
/* Add a feature (poly and line moved in, area computed); false when out of memory. */
bool shoal_zwork_add(zwork *w, shoal_zone_kind kind, int a, int b, double nm, shoal_geom *poly,
                     shoal_geom *line);
/* Convert z to a polygon buffer and add it as a feature with line (may be NULL). */
bool shoal_zwork_add_zg(zwork *w, shoal_zgeos *c, shoal_zone_kind kind, int a, int b, double nm,
                        const shoal_zg *z, shoal_geom *line);

/* Phase jobs: job index i; c is the worker's context, land the union of all land in it. */
bool shoal_zones_rings_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i);
bool shoal_zones_coast_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i);
bool shoal_zones_limit_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i);
bool shoal_zones_pair_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i);

#endif
