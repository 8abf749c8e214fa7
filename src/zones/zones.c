/* Running the zone computation (zones.h): state preparation, then limits, then pairs of
 * states (overlaps and median lines), then modelled zones and the claim, each phase spread
 * over worker threads with one GEOS context each; geometry passes between phases as WKB. */
#include "zones/zones.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "geo/xform.h"
#include "zones/zpriv.h"

#define MAX_STATES 4096

void shoal_zones_in_init(shoal_zones_in *in)
{
  memset(in, 0, sizeof *in);
  shoal_geom_init(&in->claim, SHOAL_GEOM_LINE);
}

void shoal_zones_in_free(shoal_zones_in *in)
{
  for (size_t i = 0; i < in->nstates; i++) {
    free(in->states[i].name);
    shoal_geom_free(&in->states[i].land);
    shoal_geom_free(&in->states[i].lines);
  }
  free(in->states);
  shoal_geom_free(&in->claim);
  memset(in, 0, sizeof *in);
}

shoal_zones_state *shoal_zones_in_state(shoal_zones_in *in, const char *name)
{
  for (size_t i = 0; i < in->nstates; i++)
    if (!strcmp(in->states[i].name, name))
      return &in->states[i];
  if (!SHOAL_GROW(&in->states, &in->cap, in->nstates + 1, 16, MAX_STATES))
    return NULL;
  shoal_zones_state *s = &in->states[in->nstates];
  memset(s, 0, sizeof *s);
  if (!(s->name = shoal_strdup(name)))
    return NULL;
  shoal_geom_init(&s->land, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&s->lines, SHOAL_GEOM_LINE);
  in->nstates++;
  return s;
}

void shoal_zones_result_free(shoal_zones_result *r)
{
  for (size_t i = 0; i < r->n; i++) {
    shoal_geom_free(&r->f[i].poly);
    shoal_geom_free(&r->f[i].line);
  }
  free(r->f);
  memset(r, 0, sizeof *r);
}

double shoal_zones_area(const shoal_geom *g)
{
  double s = 0.0;
  for (size_t p = 0; p < g->nparts; p++)
    s += shoal_geod_ring_area(g->xy + 2 * g->parts[p], shoal_geom_part_len(g, p));
  return fabs(s);
}

bool shoal_zblob_set(zblob *b, shoal_zgeos *c, const shoal_zg *z)
{
  free(b->wkb);
  memset(b, 0, sizeof *b);
  if (!shoal_zgeos_bbox(c, z, b->bbox))
    b->bbox[0] = b->bbox[1] = HUGE_VAL, b->bbox[2] = b->bbox[3] = -HUGE_VAL;
  b->wkb = shoal_zgeos_wkb(c, z, &b->len);
  b->set = b->wkb != NULL;
  return b->set;
}

shoal_zg *shoal_zblob_get(const zblob *b, shoal_zgeos *c)
{
  return b->set ? shoal_zgeos_from_wkb(c, b->wkb, b->len) : NULL;
}

bool shoal_zblob_meets(const zblob *a, const zblob *b)
{
  return a->set && b->set && a->bbox[0] <= b->bbox[2] && b->bbox[0] <= a->bbox[2] &&
         a->bbox[1] <= b->bbox[3] && b->bbox[1] <= a->bbox[3];
}

bool shoal_zwork_fail(zwork *w, shoal_status st, const char *what, shoal_zgeos *c)
{
  pthread_mutex_lock(&w->mu);
  if (w->st == SHOAL_OK) {
    w->st = st;
    const char *ge = c ? shoal_zgeos_error(c) : "";
    snprintf(w->err, sizeof w->err, "%s%s%s", what, *ge ? ": " : "", ge);
  }
  pthread_mutex_unlock(&w->mu);
  return false;
}

bool shoal_zwork_add(zwork *w, shoal_zone_kind kind, int a, int b, double nm, shoal_geom *poly,
                     shoal_geom *line)
{
  shoal_zone_feat f = {.kind = kind, .a = a, .b = b, .nm = nm};
  shoal_geom_init(&f.poly, SHOAL_GEOM_POLYGON);
  shoal_geom_init(&f.line, SHOAL_GEOM_LINE);
  if (poly) {
    f.poly = *poly;
    shoal_geom_init(poly, SHOAL_GEOM_POLYGON);
    f.area_m2 = shoal_zones_area(&f.poly);
  }
  if (line) {
    f.line = *line;
    shoal_geom_init(line, SHOAL_GEOM_LINE);
  }
  pthread_mutex_lock(&w->mu);
  bool ok = SHOAL_GROW(&w->r->f, &w->r->cap, w->r->n + 1, 16, (size_t)1 << 24);
  if (ok)
    w->r->f[w->r->n++] = f;
  pthread_mutex_unlock(&w->mu);
  if (!ok) {
    shoal_geom_free(&f.poly);
    shoal_geom_free(&f.line);
    return shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  }
  return true;
}

bool shoal_zwork_add_zg(zwork *w, shoal_zgeos *c, shoal_zone_kind kind, int a, int b, double nm,
                        const shoal_zg *z, shoal_geom *line)
{
  shoal_geom poly;
  shoal_geom_init(&poly, SHOAL_GEOM_POLYGON);
  if (!shoal_zgeos_to(c, z, &poly)) {
    shoal_geom_free(&poly);
    return shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  }
  return shoal_zwork_add(w, kind, a, b, nm, &poly, line);
}

typedef bool (*job_fn)(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i);

typedef struct phase {
  zwork *w;
  job_fn fn;
  size_t n, next;
  pthread_mutex_t mu;
} phase;

static void *worker(void *arg)
{
  phase *p = arg;
  zwork *w = p->w;
  shoal_zgeos *c = shoal_zgeos_new();
  if (!c) {
    shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
    return NULL;
  }
  shoal_zg *land = shoal_zblob_get(&w->all_land, c);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    size_t i = p->next++;
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_lock(&w->mu);
    bool stop = w->st != SHOAL_OK;
    pthread_mutex_unlock(&w->mu);
    if (i >= p->n || stop)
      break;
    if (!p->fn(w, c, land, i))
      break;
    pthread_mutex_lock(&w->mu);
    w->done++;
    if (w->o->progress)
      w->o->progress(w->o->progress_ctx, w->done, w->total);
    pthread_mutex_unlock(&w->mu);
  }
  shoal_zgeos_drop(c, land);
  shoal_zgeos_free(c);
  return NULL;
}

/* Run fn for 0..n-1 on the workers; false after a failure (recorded in w). */
static bool run_phase(zwork *w, size_t n, job_fn fn)
{
  phase p = {.w = w, .fn = fn, .n = n};
  pthread_mutex_init(&p.mu, NULL);
  int nt = w->o->threads < 1 ? 1 : w->o->threads > 64 ? 64 : w->o->threads;
  pthread_t th[64];
  int started = 0;
  for (int t = 1; t < nt && (size_t)t < n; t++)
    if (pthread_create(&th[started], NULL, worker, &p) == 0)
      started++;
  worker(&p); /* the calling thread works too */
  for (int t = 0; t < started; t++)
    pthread_join(th[t], NULL);
  pthread_mutex_destroy(&p.mu);
  return w->st == SHOAL_OK;
}

/* Phase 0, per state: its baseline points and its land made valid. */
static bool prep_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i)
{
  (void)land;
  const shoal_zones_state *s = &w->in->states[i];
  /* Spacing so that the distance to the nearest point overestimates the distance to the
   * segment by at most ~2 m at the smallest limit, and by a few metres where a median line is
   * 12 nm from both coasts (sagitta s^2 / (8 d)). */
  double dmin = fmin(w->o->nm[0], 12.0) * SHOAL_NM, spacing = sqrt(8.0 * dmin * 2.0);
  double *pts = NULL;
  size_t n = 0, cap = 0;
  bool ok = s->land_only || (shoal_znear_densify(&w->coast[i], spacing, &pts, &n, &cap) &&
                             shoal_znear_densify(&w->isles[i], spacing, &pts, &n, &cap) &&
                             shoal_znear_densify(&s->lines, spacing, &pts, &n, &cap) &&
                             shoal_znear_build(&w->near[i], pts, n, spacing));
  free(pts);
  if (!ok)
    return shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  shoal_zg *z = shoal_zgeos_from(c, &s->land);
  ok = z && shoal_zblob_set(&w->land[i], c, z);
  shoal_zgeos_drop(c, z);
  if (!ok) {
    char what[160];
    snprintf(what, sizeof what, "cannot read the land of '%s'", s->name);
    return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, what, c);
  }
  return true;
}

/* Phase 3, per state: the modelled zone and the claim inside it. */
static bool zone_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t i)
{
  size_t n = w->in->nstates;
  if (w->in->states[i].land_only)
    return true;
  shoal_zg *z = shoal_zblob_get(&w->outer[i], c);
  for (size_t j = 0; z && j < n; j++) {
    shoal_zg *cut = shoal_zblob_get(&w->closer[i * n + j], c);
    if (!cut)
      continue;
    shoal_zg *t = shoal_zgeos_op(c, SHOAL_ZG_DIFFERENCE, z, cut);
    shoal_zgeos_drop(c, cut);
    shoal_zgeos_drop(c, z);
    z = t;
  }
  shoal_zg *t = z ? shoal_zgeos_op(c, SHOAL_ZG_DIFFERENCE, z, land) : NULL;
  shoal_zgeos_drop(c, z);
  z = t;
  if (!z)
    return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, "cannot cut a modelled zone", c);
  bool ok = shoal_zblob_set(&w->zone[i], c, z) &&
            shoal_zwork_add_zg(w, c, SHOAL_ZONE_MODELLED, (int)i, -1, w->dmax / SHOAL_NM, z, NULL);
  shoal_zg *cl = ok ? shoal_zblob_get(&w->claim, c) : NULL;
  if (cl) {
    shoal_zg *in = shoal_zgeos_op(c, SHOAL_ZG_INTERSECTION, cl, z);
    ok = in &&
         (shoal_zgeos_is_empty(c, in) ||
          shoal_zwork_add_zg(w, c, SHOAL_ZONE_CLAIM, (int)i, -1, w->dmax / SHOAL_NM, in, NULL));
    shoal_zgeos_drop(c, in);
    shoal_zgeos_drop(c, cl);
  }
  shoal_zgeos_drop(c, z);
  return ok || shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, "cannot cut the claim", c);
}

static double gap(const double *a, const double *b) { return hypot(a[0] - b[0], a[1] - b[1]); }

/* The claim closed into one ring: its parts joined in file order, each run from the end
 * nearer the last point so far (the first from the end farther from the second part), and the
 * last back to the first. A dashed line's dashes need not all be stored the same way round. */
static bool claim_ring(const shoal_geom *g, shoal_geom *ring)
{
  bool ok = shoal_geom_begin_part(ring);
  double lastxy[2];
  const double *last = NULL; /* lastxy once a part is in */
  for (size_t p = 0; ok && p < g->nparts; p++) {
    const double *v = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    const double *first = v, *end = v + 2 * (m - 1);
    bool rev;
    if (last) {
      rev = gap(last, end) < gap(last, first);
    } else if (g->nparts > 1) {
      const double *n0 = g->xy + 2 * g->parts[1], *n1 = g->xy + 2 * (g->parts[2] - 1);
      rev = fmin(gap(first, n0), gap(first, n1)) < fmin(gap(end, n0), gap(end, n1));
    } else {
      rev = false;
    }
    for (size_t i = 0; ok && i < m; i++) {
      const double *q = v + 2 * (rev ? m - 1 - i : i);
      ok = shoal_geom_add(ring, q[0], q[1]);
    }
    lastxy[0] = ring->xy[2 * (ring->npts - 1)];
    lastxy[1] = ring->xy[2 * (ring->npts - 1) + 1];
    last = lastxy;
  }
  return ok;
}

/* The union of every state's land, and the claim polygon (main thread, before the jobs). */
static bool prepare_shared(zwork *w, shoal_zgeos *c)
{
  size_t n = w->in->nstates;
  shoal_zg **ls = calloc(n ? n : 1, sizeof *ls);
  for (size_t i = 0; ls && i < n; i++)
    ls[i] = shoal_zblob_get(&w->land[i], c);
  /* One union, of only the polygons that can meet another state's (the rest are islands of one
   * state): joining the states one by one re-nodes the growing whole each time. */
  shoal_zg *all = ls ? shoal_zgeos_union_states(c, ls, n) : NULL;
  free(ls);
  if (!all)
    return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, "cannot join the land polygons", c);
  bool ok = all && shoal_zblob_set(&w->all_land, c, all);
  shoal_zgeos_drop(c, all);
  if (!ok || w->in->claim.npts < 3)
    return ok || shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  shoal_geom ring;
  shoal_geom_init(&ring, SHOAL_GEOM_POLYGON);
  ok = claim_ring(&w->in->claim, &ring);
  shoal_zg *cl = ok ? shoal_zgeos_from(c, &ring) : NULL;
  shoal_geom_free(&ring);
  ok = cl && shoal_zblob_set(&w->claim, c, cl);
  shoal_zgeos_drop(c, cl);
  return ok || shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, "cannot close the claim line", c);
}

/* A median line stops where a third state is nearer than both: cut it by the other zones. */
static bool clip_medians(zwork *w, shoal_zgeos *c)
{
  for (size_t k = 0; k < w->r->n; k++) {
    shoal_zone_feat *f = &w->r->f[k];
    if (f->kind != SHOAL_ZONE_MEDIAN)
      continue;
    shoal_zg *l = shoal_zgeos_from(c, &f->line);
    for (size_t s = 0; l && s < w->in->nstates; s++) {
      if ((int)s == f->a || (int)s == f->b)
        continue;
      shoal_zg *z = shoal_zblob_get(&w->zone[s], c);
      shoal_zg *t = z ? shoal_zgeos_op(c, SHOAL_ZG_DIFFERENCE, l, z) : shoal_zgeos_clone(c, l);
      shoal_zgeos_drop(c, z);
      shoal_zgeos_drop(c, l);
      l = t;
    }
    bool ok = l && shoal_zgeos_to(c, l, &f->line);
    shoal_zgeos_drop(c, l);
    if (!ok)
      return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, "cannot cut a median line", c);
  }
  return true;
}

static void free_blobs(zblob *b, size_t n)
{
  for (size_t i = 0; b && i < n; i++)
    free(b[i].wkb);
  free(b);
}

static bool run_all(zwork *w)
{
  size_t n = w->in->nstates;
  if (!run_phase(w, n, shoal_zones_rings_job) || !run_phase(w, n, shoal_zones_coast_job) ||
      !run_phase(w, n, prep_job))
    return false;
  for (size_t i = 0; i < n; i++) /* only the coasts needed them */
    shoal_znear_free(&w->rings[i]);
  shoal_zgeos *c = shoal_zgeos_new();
  if (!c)
    return shoal_zwork_fail(w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  bool ok = prepare_shared(w, c);
  ok = ok && run_phase(w, n * w->o->nnm, shoal_zones_limit_job);
  ok = ok && run_phase(w, n * (n - 1) / 2, shoal_zones_pair_job);
  ok = ok && run_phase(w, n, zone_job);
  ok = ok && clip_medians(w, c);
  shoal_zgeos_free(c);
  return ok;
}

shoal_status shoal_zones_compute(const shoal_zones_in *in, const shoal_zones_opts *o,
                                 shoal_zones_result *r, shoal_diag *d)
{
  memset(r, 0, sizeof *r);
  size_t n = in->nstates;
  if (n == 0 || o->nnm == 0) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "no states and limits to compute");
    return SHOAL_ERR_DATA;
  }
  zwork w = {.in = in, .o = o, .r = r};
  w.dmax = o->nm[o->nnm - 1] * SHOAL_NM;
  w.tol = (o->tol_nm > 0 ? o->tol_nm : 0.02) * SHOAL_NM;
  w.total = 3 * n + n * o->nnm + n * (n - 1) / 2 + n;
  pthread_mutex_init(&w.mu, NULL);
  w.near = calloc(n, sizeof *w.near);
  w.rings = calloc(n, sizeof *w.rings);
  w.bbox = calloc(n, sizeof *w.bbox);
  w.coast = calloc(n, sizeof *w.coast);
  w.isles = calloc(n, sizeof *w.isles);
  w.land = calloc(n, sizeof *w.land);
  w.outer = calloc(n, sizeof *w.outer);
  w.zone = calloc(n, sizeof *w.zone);
  w.closer = calloc(n * n, sizeof *w.closer);
  if (!w.near || !w.rings || !w.bbox || !w.coast || !w.isles || !w.land || !w.outer || !w.zone ||
      !w.closer)
    shoal_zwork_fail(&w, SHOAL_ERR_NOMEM, "out of memory", NULL);
  else
    run_all(&w);
  for (size_t i = 0; i < n; i++) {
    if (w.near)
      shoal_znear_free(&w.near[i]);
    if (w.rings)
      shoal_znear_free(&w.rings[i]);
    if (w.coast)
      shoal_geom_free(&w.coast[i]);
    if (w.isles)
      shoal_geom_free(&w.isles[i]);
  }
  free(w.near);
  free(w.rings);
  free(w.bbox);
  free(w.coast);
  free(w.isles);
  free_blobs(w.land, n);
  free_blobs(w.outer, n);
  free_blobs(w.zone, n);
  free_blobs(w.closer, n * n);
  free(w.all_land.wkb);
  free(w.claim.wkb);
  pthread_mutex_destroy(&w.mu);
  if (w.st != SHOAL_OK)
    shoal_diag_error(d, w.st, NULL, 0, 0, "computing zones: %s", w.err);
  return w.st;
}

bool shoal_zones_select(shoal_zones_in *in, const char *list, shoal_diag *d)
{
  for (size_t i = 0; i < in->nstates; i++)
    in->states[i].land_only = true;
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ",");
    bool found = false;
    for (size_t i = 0; i < in->nstates; i++)
      if (strlen(in->states[i].name) == len && !strncmp(in->states[i].name, p, len))
        in->states[i].land_only = false, found = true;
    if (!found) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "--states: the land layer has no state '%.*s'", (int)len, p);
      return false;
    }
    p += len + (p[len] == ',');
  }
  return true;
}
