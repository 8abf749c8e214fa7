/* The one per-layer pipeline: query by the view, read, thin, project, clip, simplify, for
 * drawing (shoal_layergeo, built on two threads when big) and for labels and highlights
 * (whole features, one at a time). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "geo/clip.h"
#include "layer/geocache.h"
#include "layer/layer.h"

/* Margin of prepared geometry, CSS px: keeps strokes and markers of features just off the
 * page from being cut. */
#define LAYER_MARGIN 16

/* Most features one layergeo holds. */
#define MAX_FEATURES ((size_t)1 << 26)

/* The view with a margin of margin_px, in source units; false when it is outside the source
 * CRS's domain. */
static bool view_box(const shoal_layerctx *lc, double margin_px, double qbox[4])
{
  const shoal_view *v = lc->view;
  double box[4] = {v->ext[0] - margin_px / v->k, v->ext[1] - margin_px / v->k,
                   v->ext[2] + margin_px / v->k, v->ext[3] + margin_px / v->k};
  return shoal_xform_bounds(lc->xf, box, qbox, SHOAL_DENSIFY, true) == SHOAL_OK;
}

shoal_status shoal_layer_query(const shoal_layerctx *lc, double margin_px, int **ids, size_t *n)
{
  *ids = NULL;
  *n = 0;
  double qbox[4];
  if (!view_box(lc, margin_px, qbox))
    return SHOAL_OK; /* the view is outside the source CRS's domain: nothing shows */
  /* A view past 180 shows data stored at -180..-120 as well as data stored past 180. */
  if (shoal_xform_seam(lc->xf)->cut && (qbox[0] < -180 || qbox[2] > 180)) {
    qbox[0] = fmin(qbox[0], -180);
    qbox[2] = fmax(qbox[2], 180);
  }
  return shoal_source_query(lc->src, qbox, ids, n);
}

/* The box outside which giant rings may be culled (data/cull.c): the view's box in source units
 * grown by half its size on every side, so that the stand-ins stay well off the page once
 * projected. Not where the map tears or hides geometry (a seam inside the box, an azimuthal
 * cap, a conic's far pole): there rings are cut before projecting, and whole rings are kept. */
static bool cull_box(const shoal_layerctx *lc, double margin_px, double q[4])
{
  const shoal_seam *seam = shoal_xform_seam(lc->xf);
  if (seam->cap || seam->latmax != 0 || !view_box(lc, margin_px, q))
    return false;
  double dx = (q[2] - q[0]) / 2, dy = (q[3] - q[1]) / 2;
  q[0] -= dx;
  q[1] -= dy;
  q[2] += dx;
  q[3] += dy;
  if (seam->cut && (q[0] <= seam->lon0 - 180 || q[2] >= seam->lon0 + 180))
    return false;
  return isfinite(q[0]) && isfinite(q[1]) && isfinite(q[2]) && isfinite(q[3]);
}

/* Project g (source units, as read) as read_projected says. */
static shoal_status project_read(shoal_xform *xf, const shoal_view *v, double pre_tol,
                                 shoal_geom *g, shoal_geom *tmp)
{
  if (pre_tol > 0)
    shoal_thin_geom(g, pre_tol);
  const shoal_seam *seam = shoal_xform_seam(xf);
  if (!shoal_seam_apply(seam, g, tmp))
    return SHOAL_ERR_NOMEM;
  shoal_xform_fwd(xf, g->xy, g->npts);
  double m = 4 * LAYER_MARGIN * v->scale / v->k;
  if (!shoal_seam_repeat(seam, g, tmp, v->ext[0] - m, v->ext[2] + m))
    return SHOAL_ERR_NOMEM;
  shoal_view_apply(v, g->xy, g->npts);
  return SHOAL_OK;
}

/* Read feature id into g with rd (a reader of a run of the layer's ids, which culls giant rings
 * as it was told) or, when rd is NULL, whole on its own; thin it by pre_tol source units (0: not
 * at all), cut it at the map's seam or horizon, project it with xf, repeat it for a view past the
 * map's edge and put it in device px. tmp is scratch. *nread is the number of vertices read
 * (after culling). */
static shoal_status read_projected(shoal_source *src, shoal_source_reader *rd, shoal_xform *xf,
                                   const shoal_view *v, int id, double pre_tol, shoal_geom *g,
                                   shoal_geom *tmp, size_t *nread)
{
  shoal_status st = rd ? shoal_source_reader_read(rd, id, g) : shoal_source_read(src, id, g);
  *nread = st == SHOAL_OK ? g->npts : 0;
  if (st != SHOAL_OK || g->npts == 0)
    return st;
  return project_read(xf, v, pre_tol, g, tmp);
}

shoal_status shoal_layer_feature(const shoal_layerctx *lc, int id, shoal_geom *g)
{
  size_t nread;
  shoal_geom tmp;
  shoal_geom_init(&tmp, SHOAL_GEOM_NONE);
  shoal_status st = read_projected(lc->src, NULL, lc->xf, lc->view, id, 0, g, &tmp, &nread);
  shoal_geom_free(&tmp);
  return st;
}

shoal_status shoal_layer_geom(const shoal_layerctx *lc, shoal_diag *d, const shoal_layergeo **lg,
                              shoal_layergeo **own)
{
  *lg = NULL;
  *own = NULL;
  if (lc->geo)
    return shoal_geocache_get(lc->geo, lc, d, lg);
  /* Without a cache (tests, tools, the inset) the caller gets its own copy to drop after use. */
  shoal_status st = shoal_layergeo_build(lc, d, own);
  *lg = *own;
  return st;
}

/* Smallest size of one device pixel in source units near the view (sampled on a grid), or 0
 * when it cannot be measured; bounds how much detail can be dropped before projecting. */
static double source_units_per_px(shoal_xform *xf, const shoal_view *v)
{
  double best = HUGE_VAL;
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) {
      double px = (i + 0.5) * v->width / 5, py = (j + 0.5) * v->height / 5, xy[6];
      shoal_view_unapply(v, px, py, &xy[0], &xy[1]);
      shoal_view_unapply(v, px + 1, py, &xy[2], &xy[3]);
      shoal_view_unapply(v, px, py + 1, &xy[4], &xy[5]);
      shoal_xform_inv(xf, xy, 3);
      if (xy[0] == HUGE_VAL || xy[2] == HUGE_VAL || xy[4] == HUGE_VAL)
        continue;
      double a = hypot(xy[2] - xy[0], xy[3] - xy[1]), b = hypot(xy[4] - xy[0], xy[5] - xy[1]);
      best = fmin(best, fmin(a, b));
    }
  return isfinite(best) ? best : 0;
}

void shoal_layergeo_free(shoal_layergeo *lg)
{
  if (!lg)
    return;
  shoal_geom_free(&lg->g);
  free(lg->ids);
  free(lg->first_part);
  free(lg);
}

static bool push_feature(shoal_layergeo *lg, int id)
{
  if (lg->nfeat == lg->capfeat) {
    /* ids and first_part grow together; first_part has one entry more (the end). */
    size_t ncap = lg->capfeat, pcap = lg->capfeat ? lg->capfeat + 1 : 0;
    if (!SHOAL_GROW(&lg->ids, &ncap, lg->nfeat + 1, 256, MAX_FEATURES) ||
        !SHOAL_GROW(&lg->first_part, &pcap, ncap + 1, ncap + 1, MAX_FEATURES + 1))
      return false;
    lg->capfeat = ncap;
  }
  lg->ids[lg->nfeat] = id;
  lg->first_part[lg->nfeat] = lg->g.nparts;
  lg->nfeat++;
  lg->first_part[lg->nfeat] = lg->g.nparts;
  return true;
}

/* Append every part of c to the layer's buffer as the current feature's parts. */
static bool append_parts(shoal_layergeo *lg, const shoal_geom *c)
{
  for (size_t p = 0; p < c->nparts; p++) {
    if (!shoal_geom_begin_part(&lg->g))
      return false;
    for (size_t i = c->parts[p]; i < c->parts[p + 1]; i++)
      if (!shoal_geom_add(&lg->g, c->xy[2 * i], c->xy[2 * i + 1]))
        return false;
    shoal_geom_end_part(&lg->g, 1);
  }
  lg->first_part[lg->nfeat] = lg->g.nparts;
  return true;
}

/* Copy the features of b after those of a (ids ascending in each, b's after a's). */
static bool append_layergeo(shoal_layergeo *a, const shoal_layergeo *b)
{
  if (b->g.npts > 0 && !shoal_geom_reserve(&a->g, a->g.npts + b->g.npts))
    return false;
  for (size_t f = 0; f < b->nfeat; f++) {
    if (!push_feature(a, b->ids[f]))
      return false;
    for (size_t p = b->first_part[f]; p < b->first_part[f + 1]; p++) {
      size_t i0 = b->g.parts[p], n = b->g.parts[p + 1] - i0;
      if (!shoal_geom_begin_part(&a->g))
        return false;
      memcpy(a->g.xy + 2 * a->g.npts, b->g.xy + 2 * i0, 2 * n * sizeof *b->g.xy);
      a->g.npts += n;
      a->g.parts[a->g.nparts] = a->g.npts;
    }
    a->first_part[a->nfeat] = a->g.nparts;
  }
  a->pts_read += b->pts_read;
  return true;
}

/* One contiguous run of a layer's ids, built into its own layergeo (one per thread). */
typedef struct build_part {
  const shoal_view *v;
  const double *rect;
  double tol, pre_tol;
  const double *cull; /* box outside which giant rings are culled, or NULL */
  shoal_source *src;
  shoal_xform *xf; /* NULL in a worker until it has made its own */
  const int *ids;
  size_t nids;
  shoal_layergeo *lg;
  shoal_status st;
  int bad_id; /* the record whose read failed (st is its status), or -1 */
} build_part;

/* The points of g inside rect, each its own part, into c. False when out of memory. */
static bool clip_points(const shoal_geom *g, const double *rect, shoal_geom *c)
{
  bool ok = true;
  shoal_geom_clear(c);
  c->kind = SHOAL_GEOM_POINT;
  for (size_t p = 0; p < g->npts; p++) {
    double x = g->xy[2 * p], y = g->xy[2 * p + 1];
    if (x >= rect[0] && x <= rect[2] && y >= rect[1] && y <= rect[3] &&
        (!shoal_geom_begin_part(c) || !shoal_geom_add(c, x, y)))
      ok = false;
  }
  return ok;
}

static void build_range(build_part *b)
{
  shoal_layergeo *lg = b->lg;
  const double *rect = b->rect;
  shoal_status st = SHOAL_OK;
  shoal_geom g, c;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  shoal_geom_init(&c, SHOAL_GEOM_NONE);
  /* The ids are read in order: the reader reads those close together in the file at once, and
   * culls giant rings before thinning, in the file's own chunks, so that a chunk index can leave
   * the chunks off the view unread. */
  shoal_source_reader *rd = shoal_source_reader_new(b->src, b->ids, b->nids, b->cull);
  if (!rd && b->nids > 0) { /* reported as out of memory reading the first record */
    st = SHOAL_ERR_NOMEM;
    b->bad_id = b->ids[0];
  }
  for (size_t i = 0; i < b->nids && st == SHOAL_OK; i++) {
    size_t nread;
    st = read_projected(b->src, rd, b->xf, b->v, b->ids[i], b->pre_tol, &g, &c, &nread);
    if (st != SHOAL_OK) {
      b->bad_id = b->ids[i];
      break;
    }
    if (nread == 0)
      continue;
    lg->pts_read += nread;
    if (g.kind == SHOAL_GEOM_POINT) {
      if (!clip_points(&g, rect, &c))
        st = SHOAL_ERR_NOMEM;
    } else if (g.kind == SHOAL_GEOM_POLYGON) {
      shoal_clip_polygon(&g, rect, &c);
    } else {
      shoal_clip_lines(&g, rect, &c);
    }
    if (c.npts == 0 || st != SHOAL_OK)
      continue;
    if (b->tol > 0 && c.kind != SHOAL_GEOM_POINT)
      shoal_simplify_geom(&c, b->tol);
    if (!push_feature(lg, b->ids[i]) || !append_parts(lg, &c))
      st = SHOAL_ERR_NOMEM;
  }
  shoal_source_reader_free(rd);
  shoal_geom_free(&g);
  shoal_geom_free(&c);
  b->st = st;
}

/* The second thread: its own PROJ context and transformation (PJ objects are per context),
 * cloned from the operation the process has already built rather than searched for again. */
static void *build_worker(void *arg)
{
  build_part *b = arg;
  shoal_proj *p = shoal_proj_new_shared(shoal_xform_cache(b->xf));
  shoal_xform *own = NULL;
  if (!p || shoal_xform_copy(p, b->xf, &own, NULL, 0) != SHOAL_OK) {
    b->st = SHOAL_ERR_INTERNAL; /* the caller builds this half itself */
  } else {
    b->xf = own;
    build_range(b);
  }
  shoal_xform_free(own);
  shoal_proj_free(p);
  return NULL;
}

/* Splitting pays only for big layers: the second thread spends a little making its own PROJ
 * context and cloning the transformation, and reads share the source's lock. */
#define SPLIT_MIN_IDS 2000
#define SPLIT_MIN_BYTES ((size_t)100000 * 16) /* ~100k vertices */

/* Index at which to split ids between the calling thread and a worker, or 0 for no split.
 * Halves by record size: the worker's own PROJ context costs less than the calling thread's
 * share of the rest (at 52 % for the calling thread the worker finished ~2 ms first on job A of
 * bench/vs-mapserver.sh). */
static size_t split_point(shoal_source *src, const int *ids, size_t nids)
{
  if (nids < SPLIT_MIN_IDS || sysconf(_SC_NPROCESSORS_ONLN) < 2)
    return 0;
  size_t total = 0;
  for (size_t i = 0; i < nids; i++)
    total += shoal_source_record_bytes(src, ids[i]) + 1;
  if (total < SPLIT_MIN_BYTES)
    return 0;
  size_t want = total / 2, sum = 0, k = 0;
  while (k < nids && sum < want)
    sum += shoal_source_record_bytes(src, ids[k++]) + 1;
  return k < nids ? k : 0;
}

/* Build head's ids, a big run split with a worker thread that builds the tail into its own
 * layergeo, appended afterwards so the features keep their order. The status of the first
 * error in id order, as a single thread would have met it; head->bad_id names its record. */
static shoal_status build_split(build_part *head)
{
  const int *ids = head->ids;
  size_t nids = head->nids;
  size_t k = split_point(head->src, ids, nids);
  build_part tail = *head;
  pthread_t worker;
  bool threaded = false;
  if (k > 0 && (tail.lg = calloc(1, sizeof *tail.lg))) {
    shoal_geom_init(&tail.lg->g, head->lg->kind);
    tail.lg->kind = head->lg->kind;
    tail.ids = ids + k;
    tail.nids = nids - k;
    head->nids = k;
    threaded = pthread_create(&worker, NULL, build_worker, &tail) == 0;
    if (!threaded) {
      shoal_layergeo_free(tail.lg);
      tail.lg = NULL;
      head->nids = nids;
    }
  }
  build_range(head);
  shoal_status st = head->st;
  if (!threaded)
    return st;
  pthread_join(worker, NULL);
  if (tail.st == SHOAL_ERR_INTERNAL && tail.bad_id < 0 && st == SHOAL_OK) {
    /* The worker could not set up PROJ: build its half here instead. */
    shoal_layergeo_free(tail.lg);
    head->ids = ids + k;
    head->nids = nids - k;
    build_range(head);
    return head->st;
  }
  if (st == SHOAL_OK) {
    head->bad_id = tail.bad_id;
    st = tail.st;
    if (st == SHOAL_OK && !append_layergeo(head->lg, tail.lg))
      st = SHOAL_ERR_NOMEM;
  }
  shoal_layergeo_free(tail.lg);
  return st;
}

shoal_status shoal_layergeo_build(const shoal_layerctx *lc, shoal_diag *d, shoal_layergeo **out)
{
  const shoal_view *v = lc->view;
  shoal_source *src = lc->src;
  *out = NULL;
  shoal_layergeo *lg = calloc(1, sizeof *lg);
  if (!lg)
    return SHOAL_ERR_NOMEM;
  shoal_geom_init(&lg->g, shoal_source_kind(src));
  lg->kind = shoal_source_kind(src);
  double margin = LAYER_MARGIN * v->scale;
  double rect[4] = {-margin, -margin, v->width + margin, v->height + margin};
  int *ids = NULL;
  size_t nids = 0;
  shoal_status st = shoal_layer_query(lc, margin, &ids, &nids);
  if (st != SHOAL_OK) {
    shoal_source_read_error(src, -1, st, d);
    shoal_layergeo_free(lg);
    return st;
  }
  double tol = lc->layer->simplify * v->scale;
  /* A quarter of the screen tolerance, in source units: invisible after simplification. */
  double pre_tol = tol > 0 && nids > 0 ? tol * 0.25 * source_units_per_px(lc->xf, v) : 0;
  double cull[4];
  bool culling = nids > 0 && cull_box(lc, margin, cull);
  build_part head = {v,    rect, tol,      pre_tol, culling ? cull : NULL, src, lc->xf, ids,
                     nids, lg,   SHOAL_OK, -1};
  st = build_split(&head);
  if (head.bad_id >= 0)
    shoal_source_read_error(src, head.bad_id, st, d);
  free(ids);
  if (st != SHOAL_OK) {
    shoal_layergeo_free(lg);
    return st;
  }
  *out = lg;
  return SHOAL_OK;
}
