/* The per-pair job: where two states' outer limits overlap, the overlap, the median line
 * (Voronoi edges between their baseline points in a shared azimuthal equidistant plane,
 * refined geodesically) and the parts of the overlap nearer to each (zpriv.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geo/xform.h"
#include "zones/refine.h"
#include "zones/zpriv.h"

#define MAX_SITES 20000 /* per state; the Voronoi edges are refined afterwards */

typedef struct sites {
  double *xy; /* plane coordinates */
  size_t n;
  shoal_kd kd;
} sites;

/* The baseline points of z inside box, thinned to at most MAX_SITES, in plane a. */
static bool take_sites(const shoal_znear *z, const double box[4], shoal_aeqd *a, sites *s)
{
  size_t n = 0;
  for (size_t k = 0; k < z->kd.n; k++) {
    const double *p = z->ll + 2 * k;
    n += p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3];
  }
  /* Sites every few km are plenty: the Voronoi edges are only the start of the refinement. */
  size_t stride = n / MAX_SITES + 1, seen = 0, every = (size_t)ceil(3000.0 / z->spacing);
  if (stride < every)
    stride = every;
  s->xy = malloc((n / stride + 2) * 2 * sizeof *s->xy);
  s->n = 0;
  if (!s->xy)
    return false;
  for (size_t k = 0; k < z->kd.n; k++) {
    const double *p = z->ll + 2 * k;
    if (!(p[0] >= box[0] && p[0] <= box[2] && p[1] >= box[1] && p[1] <= box[3]))
      continue;
    if (seen++ % stride)
      continue;
    double x = p[0], y = p[1];
    shoal_aeqd_fwd(&x, &y, a);
    s->xy[2 * s->n] = x;
    s->xy[2 * s->n + 1] = y;
    s->n++;
  }
  return shoal_kd_build(&s->kd, s->xy, s->n, 2);
}

static void free_sites(sites *s)
{
  free(s->xy);
  shoal_kd_free(&s->kd);
}

/* Keep the Voronoi edges whose two sites belong to different states. */
static bool keep_between(const shoal_geom *edges, const sites *sa, const sites *sb, shoal_geom *out)
{
  for (size_t p = 0; p < edges->nparts; p++) {
    if (shoal_geom_part_len(edges, p) != 2)
      continue;
    const double *e = edges->xy + 2 * edges->parts[p];
    double m[2] = {(e[0] + e[2]) / 2.0, (e[1] + e[3]) / 2.0}, da, db;
    shoal_kd_nearest(&sa->kd, m, &da);
    shoal_kd_nearest(&sb->kd, m, &db);
    da = sqrt(da), db = sqrt(db);
    if (fabs(da - db) > 1e-7 * (da + db) + 1e-3)
      continue;
    if (!shoal_geom_begin_part(out) || !shoal_geom_add(out, e[0], e[1]) ||
        !shoal_geom_add(out, e[2], e[3]))
      return false;
  }
  return true;
}

/* The approximate median line of i and j around box (lon/lat lines into out). */
static bool approx_median(zwork *w, shoal_zgeos *c, size_t i, size_t j, const double ob[4],
                          shoal_geom *out)
{
  double m = w->dmax + 50000.0, lat = fmax(fabs(ob[1]), fabs(ob[3]));
  double dlat = m / 110000.0, dlon = dlat / fmax(cos(fmin(lat + dlat, 89.0) * M_PI / 180), 0.05);
  double box[4] = {ob[0] - dlon, ob[1] - dlat, ob[2] + dlon, ob[3] + dlat};
  shoal_aeqd a = {(ob[0] + ob[2]) / 2.0, (ob[1] + ob[3]) / 2.0};
  sites sa = {0}, sb = {0};
  bool ok = take_sites(&w->near[i], box, &a, &sa) && take_sites(&w->near[j], box, &a, &sb);
  if (!ok || sa.n == 0 || sb.n == 0) {
    free_sites(&sa);
    free_sites(&sb);
    return ok;
  }
  double *all = malloc((sa.n + sb.n) * 2 * sizeof *all),
         env[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
  ok = all != NULL;
  for (size_t k = 0; ok && k < sa.n + sb.n; k++) {
    const double *p = k < sa.n ? sa.xy + 2 * k : sb.xy + 2 * (k - sa.n);
    all[2 * k] = p[0], all[2 * k + 1] = p[1];
    env[0] = fmin(env[0], p[0]), env[1] = fmin(env[1], p[1]);
    env[2] = fmax(env[2], p[0]), env[3] = fmax(env[3], p[1]);
  }
  /* The diagram must reach past the overlap, which lies up to dmax from the sites. */
  env[0] -= 1.5 * w->dmax, env[1] -= 1.5 * w->dmax, env[2] += 1.5 * w->dmax,
      env[3] += 1.5 * w->dmax;
  shoal_zg *v = ok ? shoal_zgeos_voronoi_edges(c, all, sa.n + sb.n, env) : NULL;
  free(all);
  shoal_geom edges, kept;
  shoal_geom_init(&edges, SHOAL_GEOM_LINE);
  shoal_geom_init(&kept, SHOAL_GEOM_LINE);
  ok = v && shoal_zgeos_to(c, v, &edges) && keep_between(&edges, &sa, &sb, &kept);
  shoal_zgeos_drop(c, v);
  free_sites(&sa);
  free_sites(&sb);
  shoal_zg *k = ok ? shoal_zgeos_from(c, &kept) : NULL;
  shoal_zg *mg = k ? shoal_zgeos_merge_lines(c, k) : NULL;
  shoal_zg *ll = mg ? shoal_zgeos_transform(c, mg, shoal_aeqd_inv, &a) : NULL;
  /* Only the overlap matters: the bisector far beyond it is left out before it is refined
   * (a margin keeps the line long enough to cross the overlap's edge). */
  double cb[4] = {ob[0] - 0.5, ob[1] - 0.5, ob[2] + 0.5, ob[3] + 0.5};
  shoal_zg *cl = ll ? shoal_zgeos_clip_box(c, ll, cb) : NULL;
  ok = cl && shoal_zgeos_to(c, cl, out);
  shoal_geom_free(&edges);
  shoal_geom_free(&kept);
  shoal_zgeos_drop(c, k);
  shoal_zgeos_drop(c, mg);
  shoal_zgeos_drop(c, ll);
  shoal_zgeos_drop(c, cl);
  return ok;
}

typedef struct faces {
  zwork *w;
  size_t i, j;
} faces;

/* 1 when (x, y) is nearer to j than to i. */
static int nearer_j(void *ctx, double x, double y)
{
  const faces *f = ctx;
  double di = shoal_znear_dist(&f->w->near[f->i], x, y, NULL, NULL);
  double dj = shoal_znear_dist(&f->w->near[f->j], x, y, NULL, NULL);
  return di > dj;
}

/* Split the overlap by the median line; keep each side for the zone job. */
static bool split_overlap(zwork *w, shoal_zgeos *c, size_t i, size_t j, const shoal_zg *ov,
                          const shoal_zg *ml)
{
  faces f = {.w = w, .i = i, .j = j};
  size_t n = w->in->nstates;
  shoal_zg *side[2];
  bool ok = shoal_zgeos_split(c, ov, ml, nearer_j, &f, side);
  if (ok && side[1])
    ok = shoal_zblob_set(&w->closer[i * n + j], c, side[1]);
  if (ok && side[0])
    ok = shoal_zblob_set(&w->closer[j * n + i], c, side[0]);
  shoal_zgeos_drop(c, side[0]);
  shoal_zgeos_drop(c, side[1]);
  return ok;
}

static bool pair_fail(zwork *w, shoal_zgeos *c, size_t i, size_t j)
{
  char msg[200];
  snprintf(msg, sizeof msg, "cannot compute the median line of '%s' and '%s'",
           w->in->states[i].name, w->in->states[j].name);
  return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, msg, c);
}

/* Where a median line is refined: at sea, but not in the slivers a simplified land layer
 * leaves between two states' land along their land border (there, the line would follow every
 * kink of the border for nothing). */
#define SLIVER_DEG 0.0015

typedef struct seaq {
  shoal_zgeos *c;
  shoal_zprep *sea, *land, *filled; /* filled: land with its holes (lakes, slivers) filled */
} seaq;

static bool at_sea(void *ctx, double lon, double lat)
{
  const seaq *q = ctx;
  return shoal_zgeos_covers_xy(q->c, q->sea, lon, lat) &&
         !(q->filled && shoal_zgeos_covers_xy(q->c, q->filled, lon, lat)) &&
         !(q->land && shoal_zgeos_near_xy(q->c, q->land, lon, lat, SLIVER_DEG));
}

/* The median line of i and j: approximate, refined where it runs at sea, its refined
 * stretches cut to sea (their overlap less land) for the output; the whole line splits ov
 * (their overlap, land included: its edges are only the two limits, cheap to node). */
static bool median(zwork *w, shoal_zgeos *c, size_t i, size_t j, const shoal_zg *ov,
                   const shoal_zg *sea, const shoal_zg *land)
{
  double ob[4];
  shoal_geom ml, kept;
  shoal_geom_init(&ml, SHOAL_GEOM_LINE);
  shoal_geom_init(&kept, SHOAL_GEOM_LINE);
  shoal_zg *filled = land ? shoal_zgeos_fill_holes(c, land) : NULL;
  seaq q = {c, shoal_zgeos_prepare(c, sea), land ? shoal_zgeos_prepare(c, land) : NULL,
            filled ? shoal_zgeos_prepare(c, filled) : NULL};
  bool ok = q.sea && (!land || (q.land && q.filled)) && shoal_zgeos_bbox(c, ov, ob) &&
            approx_median(w, c, i, j, ob, &ml);
  long work =
      ok ? shoal_zrefine_median(&w->near[i], &w->near[j], w->tol, at_sea, &q, &ml, &kept) : -1;
  shoal_zgeos_unprepare(c, q.sea);
  shoal_zgeos_unprepare(c, q.land);
  shoal_zgeos_unprepare(c, q.filled);
  shoal_zgeos_drop(c, filled);
  shoal_zg *mz = work >= 0 ? shoal_zgeos_from(c, &ml) : NULL;
  shoal_zg *kz = mz ? shoal_zgeos_from(c, &kept) : NULL;
  shoal_zg *cut = kz ? shoal_zgeos_op(c, SHOAL_ZG_INTERSECTION, kz, sea) : NULL;
  shoal_zg *cm = cut ? shoal_zgeos_merge_lines(c, cut) : NULL;
  ok = cm && shoal_zgeos_to(c, cm, &ml);
  ok = ok && split_overlap(w, c, i, j, ov, mz);
  if (ok && ml.npts)
    ok = shoal_zwork_add(w, SHOAL_ZONE_MEDIAN, (int)i, (int)j, w->dmax / SHOAL_NM, NULL, &ml);
  if (ok) {
    pthread_mutex_lock(&w->mu);
    w->r->work += work;
    pthread_mutex_unlock(&w->mu);
  }
  shoal_geom_free(&ml);
  shoal_geom_free(&kept);
  shoal_zgeos_drop(c, mz);
  shoal_zgeos_drop(c, kz);
  shoal_zgeos_drop(c, cut);
  shoal_zgeos_drop(c, cm);
  return ok || pair_fail(w, c, i, j);
}

bool shoal_zones_pair_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t k)
{
  size_t n = w->in->nstates, i = 0;
  while (k >= n - 1 - i) /* k-th pair (i, j), i < j, in row order */
    k -= n - 1 - i++;
  size_t j = i + 1 + k;
  if (!shoal_zblob_meets(&w->outer[i], &w->outer[j]))
    return true;
  shoal_zg *a = shoal_zblob_get(&w->outer[i], c), *b = shoal_zblob_get(&w->outer[j], c);
  shoal_zg *ov = a && b ? shoal_zgeos_op(c, SHOAL_ZG_INTERSECTION, a, b) : NULL;
  shoal_zgeos_drop(c, a);
  shoal_zgeos_drop(c, b);
  if (!ov)
    return pair_fail(w, c, i, j);
  bool ok = true;
  if (!shoal_zgeos_is_empty(c, ov)) {
    double bb[4];
    shoal_zg *cl = land && shoal_zgeos_bbox(c, ov, bb) ? shoal_zgeos_clip_box(c, land, bb) : NULL;
    shoal_zg *sea = shoal_zgeos_op(c, SHOAL_ZG_DIFFERENCE, ov, cl);
    ok = sea && shoal_zwork_add_zg(w, c, SHOAL_ZONE_OVERLAP, (int)i, (int)j, w->dmax / SHOAL_NM,
                                   sea, NULL);
    ok = ok && median(w, c, i, j, ov, sea, cl);
    shoal_zgeos_drop(c, cl);
    shoal_zgeos_drop(c, sea);
  }
  shoal_zgeos_drop(c, ov);
  return ok || pair_fail(w, c, i, j);
}
