/* The per-state limit job: an approximate buffer in the state's azimuthal equidistant plane,
 * refined geodesically, land removed (zpriv.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "zones/refine.h"
#include "zones/zpriv.h"

/* z buffered by d in the plane a, back in lon/lat: the approximation to refine. Coast detail
 * far below the limit's curvature is simplified away first (the topology-preserving
 * simplifier keeps every island, so no small island loses its own circle). */
static shoal_zg *approx_buffer(shoal_zgeos *c, const shoal_zg *z, shoal_aeqd *a, double d)
{
  if (!z)
    return NULL;
  shoal_zg *p = shoal_zgeos_transform(c, z, shoal_aeqd_fwd, a);
  shoal_zg *s = p ? shoal_zgeos_simplify(c, p, d / 40.0) : NULL;
  shoal_zg *b = s ? shoal_zgeos_buffer_each(c, s, d, 8) : NULL;
  shoal_zg *r = b ? shoal_zgeos_transform(c, b, shoal_aeqd_inv, a) : NULL;
  shoal_zgeos_drop(c, p);
  shoal_zgeos_drop(c, s);
  shoal_zgeos_drop(c, b);
  return r;
}

static bool fail_state(zwork *w, shoal_zgeos *c, const char *what, size_t i, double nm)
{
  char msg[200];
  snprintf(msg, sizeof msg, "%s of '%s' at %g nm", what, w->in->states[i].name, nm);
  return shoal_zwork_fail(w, SHOAL_ERR_INTERNAL, msg, c);
}

/* The approximate limit of state i at d (its coast and straight baselines), in lon/lat. */
static shoal_zg *approx_limit(zwork *w, shoal_zgeos *c, size_t i, double d)
{
  const shoal_zones_state *s = &w->in->states[i];
  const zblob *lb = &w->land[i];
  double b[4] = {lb->bbox[0], lb->bbox[1], lb->bbox[2], lb->bbox[3]}, lbb[4];
  if (s->lines.npts && shoal_geom_bbox(&s->lines, lbb)) {
    b[0] = fmin(b[0], lbb[0]), b[1] = fmin(b[1], lbb[1]);
    b[2] = fmax(b[2], lbb[2]), b[3] = fmax(b[3], lbb[3]);
  }
  shoal_aeqd a = {(b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0};
  /* the coast, not the land's rings: a land border is no baseline (coast.c) */
  const shoal_geom *in[3] = {&w->isles[i], &w->coast[i], &s->lines};
  shoal_zg *u = NULL;
  for (int k = 0; k < 3; k++) {
    shoal_zg *z = in[k]->npts ? shoal_zgeos_from(c, in[k]) : NULL;
    shoal_zg *bz = approx_buffer(c, z, &a, d);
    /* a state whose every shore is border (or with only straight baselines) still gets what
     * the other inputs give */
    shoal_zg *v = u || bz ? shoal_zgeos_op(c, SHOAL_ZG_UNION, u, bz) : NULL;
    shoal_zgeos_drop(c, z);
    shoal_zgeos_drop(c, bz);
    shoal_zgeos_drop(c, u);
    u = v;
    if (in[k]->npts && !u)
      return NULL;
  }
  return u;
}

typedef struct within {
  shoal_zgeos *c;
  const shoal_zprep *land; /* the state's land */
  const shoal_znear *z;
  double d;
} within;

/* 1 when (x, y) lies on the state's land (whose interior can be farther than d from any
 * coast) or within the limit's distance of its baselines. */
static int inside(void *ctx, double x, double y)
{
  const within *q = ctx;
  return (q->land && shoal_zgeos_covers_xy(q->c, q->land, x, y)) ||
         shoal_znear_dist(q->z, x, y, NULL, NULL) <= q->d;
}

bool shoal_zones_limit_job(zwork *w, shoal_zgeos *c, const shoal_zg *land, size_t k)
{
  size_t i = k / w->o->nnm, j = k % w->o->nnm;
  if (w->in->states[i].land_only)
    return true;
  double nm = w->o->nm[j], d = nm * SHOAL_NM;
  shoal_zg *u = approx_limit(w, c, i, d);
  if (!u)
    return fail_state(w, c, "cannot buffer the coast", i, nm);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  bool ok = shoal_zgeos_to(c, u, &g);
  shoal_zgeos_drop(c, u);
  long work = ok ? shoal_zrefine_limit(&w->near[i], d, w->tol, &g) : -1;
  /* The refined rings may still cross themselves (or each other) where arcs meet: the limit
   * is the faces they enclose that lie within d, which no ring repair can get wrong. */
  g.kind = SHOAL_GEOM_LINE;
  shoal_zg *sl = work >= 0 ? shoal_zblob_get(&w->land[i], c) : NULL;
  within q = {c, sl ? shoal_zgeos_prepare(c, sl) : NULL, &w->near[i], d};
  shoal_zg *rings = work >= 0 && (!sl || q.land) ? shoal_zgeos_from(c, &g) : NULL;
  shoal_zg *outer = rings ? shoal_zgeos_faces(c, rings, inside, &q) : NULL;
  shoal_zgeos_unprepare(c, (shoal_zprep *)q.land);
  shoal_zgeos_drop(c, sl);
  shoal_zgeos_drop(c, rings);
  if (!outer) {
    shoal_geom_free(&g);
    return fail_state(w, c, "cannot refine the limit", i, nm);
  }
  pthread_mutex_lock(&w->mu);
  w->r->work += work;
  pthread_mutex_unlock(&w->mu);
  if (j + 1 == w->o->nnm)
    ok = shoal_zblob_set(&w->outer[i], c, outer);
  double bb[4];
  shoal_zg *cl =
      ok && land && shoal_zgeos_bbox(c, outer, bb) ? shoal_zgeos_clip_box(c, land, bb) : NULL;
  shoal_zg *lim = ok ? shoal_zgeos_op(c, SHOAL_ZG_DIFFERENCE, outer, cl) : NULL;
  ok = lim && shoal_zwork_add_zg(w, c, SHOAL_ZONE_LIMIT, (int)i, -1, nm, lim, &g);
  shoal_geom_free(&g);
  shoal_zgeos_drop(c, cl);
  shoal_zgeos_drop(c, lim);
  shoal_zgeos_drop(c, outer);
  return ok || fail_state(w, c, "cannot remove the land from the limit", i, nm);
}
