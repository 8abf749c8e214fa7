/* Feature drawing. The per-vertex work (transform, view, clip, simplify) happens on reused
 * buffers before anything reaches Cairo, which is the expensive step per vertex. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw/render.h"
#include "geo/clip.h"

bool shoal_featattr_init(shoal_featattr *fa, shoal_source *src)
{
  memset(fa, 0, sizeof *fa);
  fa->src = src;
  fa->id = -1;
  fa->nfields = shoal_source_nfields(src);
  fa->vals = calloc(fa->nfields ? (size_t)fa->nfields : 1, sizeof *fa->vals);
  fa->have = calloc(fa->nfields ? (size_t)fa->nfields : 1, 1);
  return fa->vals && fa->have;
}

void shoal_featattr_set(shoal_featattr *fa, int id)
{
  for (int i = 0; i < fa->nfields; i++)
    if (fa->have[i]) {
      free(fa->vals[i]);
      fa->vals[i] = NULL;
      fa->have[i] = 0;
    }
  fa->id = id;
}

void shoal_featattr_free(shoal_featattr *fa)
{
  shoal_featattr_set(fa, -1);
  free(fa->vals);
  free(fa->have);
}

const char *shoal_featattr_get(void *ctx, int field, char *buf, size_t buflen)
{
  (void)buf, (void)buflen;
  shoal_featattr *fa = ctx;
  if (field < 0 || field >= fa->nfields)
    return NULL;
  if (!fa->have[field]) {
    fa->vals[field] = shoal_source_attr(fa->src, fa->id, field);
    fa->have[field] = 1;
  }
  return fa->vals[field];
}

static void set_rgba(cairo_t *cr, shoal_color c, double opacity)
{
  cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * opacity);
}

void shoal_style_apply_stroke(cairo_t *cr, const shoal_style *st, double scale)
{
  set_rgba(cr, st->stroke, st->opacity);
  cairo_set_line_width(cr, st->stroke_width * scale);
  static const cairo_line_join_t joins[] = {CAIRO_LINE_JOIN_MITER, CAIRO_LINE_JOIN_ROUND,
                                            CAIRO_LINE_JOIN_BEVEL};
  static const cairo_line_cap_t caps[] = {CAIRO_LINE_CAP_BUTT, CAIRO_LINE_CAP_ROUND,
                                          CAIRO_LINE_CAP_SQUARE};
  cairo_set_line_join(cr, joins[st->join]);
  cairo_set_line_cap(cr, caps[st->cap]);
  if (st->ndash > 0) {
    double d[SHOAL_MAX_DASH];
    for (int i = 0; i < st->ndash; i++)
      d[i] = st->dash[i] * scale;
    cairo_set_dash(cr, d, st->ndash, 0);
  } else {
    cairo_set_dash(cr, NULL, 0, 0);
  }
}

static bool has_stroke(const shoal_style *st)
{
  return (st->set & SHOAL_STY_STROKE) && st->stroke.a > 0 && st->stroke_width > 0;
}

static bool has_fill(const shoal_style *st) { return (st->set & SHOAL_STY_FILL) && st->fill.a > 0; }

static void hatch_current_path(cairo_t *cr, const shoal_style *st, double scale)
{
  double x0, y0, x1, y1;
  /* The hatch lines replace the current path; keep the outline for the stroke that follows. */
  cairo_path_t *outline = cairo_copy_path(cr);
  cairo_save(cr);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_clip_preserve(cr);
  cairo_fill_extents(cr, &x0, &y0, &x1, &y1);
  cairo_new_path(cr);
  double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, r = hypot(x1 - x0, y1 - y0) / 2 + 1;
  double a = st->hatch_angle * M_PI / 180, sp = st->hatch_spacing * scale;
  double dx = cos(a), dy = -sin(a); /* direction of the lines (y down) */
  double nx = -dy, ny = dx;         /* step between lines */
  long k = (long)ceil(r / sp);
  if (k > 20000)
    k = 20000;
  for (long i = -k; i <= k; i++) {
    double ox = cx + nx * sp * (double)i, oy = cy + ny * sp * (double)i;
    cairo_move_to(cr, ox - dx * r, oy - dy * r);
    cairo_line_to(cr, ox + dx * r, oy + dy * r);
  }
  set_rgba(cr, st->hatch, st->opacity);
  cairo_set_line_width(cr, st->hatch_width * scale);
  cairo_set_dash(cr, NULL, 0, 0);
  cairo_stroke(cr);
  cairo_restore(cr);
  cairo_new_path(cr);
  cairo_append_path(cr, outline);
  cairo_path_destroy(outline);
}

void shoal_polygon_paint(cairo_t *cr, const shoal_style *st, double scale)
{
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  if (has_fill(st)) {
    set_rgba(cr, st->fill, st->opacity);
    cairo_fill_preserve(cr);
  }
  if ((st->set & SHOAL_STY_HATCH) && st->hatch.a > 0)
    hatch_current_path(cr, st, scale);
  if (has_stroke(st)) {
    shoal_style_apply_stroke(cr, st, scale);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
}

void shoal_marker_path(cairo_t *cr, shoal_marker_shape shape, double x, double y, double size)
{
  double r = size / 2;
  switch (shape) {
  case SHOAL_MARKER_NONE: break;
  case SHOAL_MARKER_CIRCLE:
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_SQUARE:
    cairo_rectangle(cr, x - r * 0.886, y - r * 0.886, r * 1.772,
                    r * 1.772); /* same area as circle */
    break;
  case SHOAL_MARKER_TRIANGLE:
    r *= 1.2;
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
    cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_DIAMOND:
    r *= 1.2;
    cairo_move_to(cr, x, y - r);
    cairo_line_to(cr, x + r * 0.8, y);
    cairo_line_to(cr, x, y + r);
    cairo_line_to(cr, x - r * 0.8, y);
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_STAR:
    r *= 1.25;
    for (int i = 0; i < 10; i++) {
      double a = -M_PI / 2 + i * M_PI / 5, rr = (i % 2) ? r * 0.45 : r;
      if (i == 0)
        cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
      else
        cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
    }
    cairo_close_path(cr);
    break;
  case SHOAL_MARKER_CROSS: {
    double w = r * 0.35;
    cairo_move_to(cr, x - w, y - r);
    cairo_line_to(cr, x + w, y - r);
    cairo_line_to(cr, x + w, y - w);
    cairo_line_to(cr, x + r, y - w);
    cairo_line_to(cr, x + r, y + w);
    cairo_line_to(cr, x + w, y + w);
    cairo_line_to(cr, x + w, y + r);
    cairo_line_to(cr, x - w, y + r);
    cairo_line_to(cr, x - w, y + w);
    cairo_line_to(cr, x - r, y + w);
    cairo_line_to(cr, x - r, y - w);
    cairo_line_to(cr, x - w, y - w);
    cairo_close_path(cr);
    break;
  }
  }
}

void shoal_marker_draw(cairo_t *cr, const shoal_style *st, double x, double y, double scale)
{
  shoal_marker_shape shape = st->marker ? st->marker : SHOAL_MARKER_CIRCLE;
  cairo_new_path(cr);
  shoal_marker_path(cr, shape, x, y, st->marker_size * scale);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
  if (has_fill(st)) {
    set_rgba(cr, st->fill, st->opacity);
    cairo_fill_preserve(cr);
  }
  if (has_stroke(st)) {
    shoal_style_apply_stroke(cr, st, scale);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_stroke_preserve(cr);
  }
  cairo_new_path(cr);
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

static const shoal_style *pick_style(const shoal_layer *L, shoal_featattr *fa)
{
  if (L->nrules == 0)
    return &L->style;
  for (size_t i = 0; i < L->nrules; i++) {
    const shoal_rule *r = &L->rules[i];
    if (!r->filter || shoal_expr_eval(r->filter, shoal_featattr_get, fa))
      return &r->style;
  }
  return NULL; /* no rule matched: not drawn */
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
    size_t nc = lg->capfeat ? lg->capfeat * 2 : 256;
    if (nc > ((size_t)1 << 26))
      return false;
    int *ni = realloc(lg->ids, nc * sizeof *ni);
    if (!ni)
      return false;
    lg->ids = ni;
    size_t *np = realloc(lg->first_part, (nc + 1) * sizeof *np);
    if (!np)
      return false;
    lg->first_part = np;
    lg->capfeat = nc;
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
  shoal_source *src;
  shoal_xform *xf; /* NULL in a worker until it has made its own */
  const int *ids;
  size_t nids;
  shoal_layergeo *lg;
  shoal_status st;
  int bad_id; /* the record whose read failed (st is its status), or -1 */
} build_part;

static void build_range(build_part *b)
{
  shoal_layergeo *lg = b->lg;
  const shoal_view *v = b->v;
  const double *rect = b->rect;
  shoal_status st = SHOAL_OK;
  shoal_geom g, c;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  shoal_geom_init(&c, SHOAL_GEOM_NONE);
  for (size_t i = 0; i < b->nids && st == SHOAL_OK; i++) {
    st = shoal_source_read(b->src, b->ids[i], &g);
    if (st != SHOAL_OK) {
      b->bad_id = b->ids[i];
      break;
    }
    if (g.npts == 0)
      continue;
    lg->pts_read += g.npts;
    if (b->pre_tol > 0)
      shoal_thin_geom(&g, b->pre_tol);
    shoal_xform_fwd(b->xf, g.xy, g.npts);
    shoal_view_apply(v, g.xy, g.npts);
    const shoal_geom *keep = &c;
    if (g.kind == SHOAL_GEOM_POINT) {
      shoal_geom_clear(&c);
      c.kind = SHOAL_GEOM_POINT;
      for (size_t p = 0; p < g.npts; p++) {
        double x = g.xy[2 * p], y = g.xy[2 * p + 1];
        if (x >= rect[0] && x <= rect[2] && y >= rect[1] && y <= rect[3] &&
            (!shoal_geom_begin_part(&c) || !shoal_geom_add(&c, x, y)))
          st = SHOAL_ERR_NOMEM;
      }
    } else if (g.kind == SHOAL_GEOM_POLYGON) {
      shoal_clip_polygon(&g, rect, &c);
    } else {
      shoal_clip_lines(&g, rect, &c);
    }
    if (keep->npts == 0 || st != SHOAL_OK)
      continue;
    if (b->tol > 0 && c.kind != SHOAL_GEOM_POINT)
      shoal_simplify_geom(&c, b->tol);
    if (!push_feature(lg, b->ids[i]) || !append_parts(lg, &c))
      st = SHOAL_ERR_NOMEM;
  }
  shoal_geom_free(&g);
  shoal_geom_free(&c);
  b->st = st;
}

/* The second thread: its own PROJ context and transformation (PJ objects are per context). */
static void *build_worker(void *arg)
{
  build_part *b = arg;
  shoal_proj *p = shoal_proj_new();
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

/* Splitting pays only for big layers: the second thread spends a few ms making its own PROJ
 * context and transformation (proj.db lookups), and reads share the source's lock. */
#define SPLIT_MIN_IDS 2000
#define SPLIT_MIN_BYTES ((size_t)100000 * 16) /* ~100k vertices */

/* Index at which to split ids between the calling thread and a worker, or 0 for no split.
 * Halves by record size; the worker gets a little less for its setup. */
static size_t split_point(shoal_source *src, const int *ids, size_t nids)
{
  if (nids < SPLIT_MIN_IDS || sysconf(_SC_NPROCESSORS_ONLN) < 2)
    return 0;
  size_t total = 0;
  for (size_t i = 0; i < nids; i++)
    total += shoal_source_record_bytes(src, ids[i]) + 1;
  if (total < SPLIT_MIN_BYTES)
    return 0;
  size_t want = total / 100 * 52, sum = 0, k = 0;
  while (k < nids && sum < want)
    sum += shoal_source_record_bytes(src, ids[k++]) + 1;
  return k < nids ? k : 0;
}

shoal_status shoal_layergeo_build(const shoal_view *v, double simplify, shoal_source *src,
                                  shoal_xform *xf, shoal_diag *d, shoal_layergeo **out)
{
  *out = NULL;
  shoal_layergeo *lg = calloc(1, sizeof *lg);
  if (!lg)
    return SHOAL_ERR_NOMEM;
  shoal_geom_init(&lg->g, shoal_source_kind(src));
  lg->kind = shoal_source_kind(src);
  /* Margin keeps strokes and markers of features just off the page from being cut. */
  double margin = 16 * v->scale;
  double rect[4] = {-margin, -margin, v->width + margin, v->height + margin};
  double mext[4] = {v->ext[0] - margin / v->k, v->ext[1] - margin / v->k, v->ext[2] + margin / v->k,
                    v->ext[3] + margin / v->k};
  double qbox[4];
  if (shoal_xform_bounds(xf, mext, qbox, SHOAL_DENSIFY, true) != SHOAL_OK) {
    *out = lg; /* the view is outside the source CRS's domain: nothing to draw */
    return SHOAL_OK;
  }
  int *ids = NULL;
  size_t nids = 0;
  shoal_status st = shoal_source_query(src, qbox, &ids, &nids);
  if (st != SHOAL_OK) {
    shoal_layergeo_free(lg);
    return st;
  }
  double tol = simplify * v->scale;
  /* A quarter of the screen tolerance, in source units: invisible after simplification. */
  double pre_tol = tol > 0 ? tol * 0.25 * source_units_per_px(xf, v) : 0;
  build_part head = {v, rect, tol, pre_tol, src, xf, ids, nids, lg, SHOAL_OK, -1};
  /* A big layer is built on two threads: the first ids here, the rest by a worker into its
   * own layergeo that is appended afterwards, so the features keep their order. */
  size_t k = split_point(src, ids, nids);
  build_part tail = head;
  pthread_t worker;
  bool threaded = false;
  if (k > 0 && (tail.lg = calloc(1, sizeof *tail.lg))) {
    shoal_geom_init(&tail.lg->g, lg->kind);
    tail.lg->kind = lg->kind;
    tail.ids = ids + k;
    tail.nids = nids - k;
    head.nids = k;
    threaded = pthread_create(&worker, NULL, build_worker, &tail) == 0;
    if (!threaded) {
      shoal_layergeo_free(tail.lg);
      tail.lg = NULL;
      head.nids = nids;
    }
  }
  build_range(&head);
  st = head.st;
  if (threaded) {
    pthread_join(worker, NULL);
    if (tail.st == SHOAL_ERR_INTERNAL && tail.bad_id < 0 && st == SHOAL_OK) {
      /* The worker could not set up PROJ: build its half here instead. */
      shoal_layergeo_free(tail.lg);
      head.ids = ids + k;
      head.nids = nids - k;
      build_range(&head);
      st = head.st;
    } else if (st == SHOAL_OK) {
      /* The first error in id order, as a single thread would have met it. */
      head.bad_id = tail.bad_id;
      st = tail.st;
      if (st == SHOAL_OK && !append_layergeo(lg, tail.lg))
        st = SHOAL_ERR_NOMEM;
      shoal_layergeo_free(tail.lg);
    } else {
      shoal_layergeo_free(tail.lg);
    }
  }
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

void shoal_layergeo_draw(cairo_t *cr, const shoal_view *v, const shoal_layer *L, shoal_source *src,
                         const shoal_layergeo *lg, shoal_render_stats *stats)
{
  shoal_featattr fa;
  if (!shoal_featattr_init(&fa, src))
    return;
  bool poly = lg->kind == SHOAL_GEOM_POLYGON;
  stats->pts_read += lg->pts_read;
  for (size_t f = 0; f < lg->nfeat; f++) {
    shoal_featattr_set(&fa, lg->ids[f]);
    const shoal_style *sty = pick_style(L, &fa);
    if (!sty)
      continue;
    size_t p0 = lg->first_part[f], p1 = lg->first_part[f + 1];
    stats->features++;
    stats->pts_drawn += lg->g.parts[p1] - lg->g.parts[p0];
    if (lg->kind == SHOAL_GEOM_POINT) {
      for (size_t p = p0; p < p1; p++) {
        size_t i = lg->g.parts[p];
        shoal_marker_draw(cr, sty, lg->g.xy[2 * i], lg->g.xy[2 * i + 1], v->scale);
      }
      continue;
    }
    cairo_new_path(cr);
    for (size_t p = p0; p < p1; p++) {
      size_t a = lg->g.parts[p], b = lg->g.parts[p + 1];
      if (b - a < 2)
        continue;
      cairo_move_to(cr, lg->g.xy[2 * a], lg->g.xy[2 * a + 1]);
      for (size_t i = a + 1; i < b; i++)
        cairo_line_to(cr, lg->g.xy[2 * i], lg->g.xy[2 * i + 1]);
      if (poly)
        cairo_close_path(cr);
    }
    if (poly) {
      shoal_polygon_paint(cr, sty, v->scale);
    } else if (has_stroke(sty)) {
      shoal_style_apply_stroke(cr, sty, v->scale);
      cairo_stroke(cr);
    } else {
      cairo_new_path(cr);
    }
  }
  shoal_featattr_free(&fa);
}

shoal_status shoal_render_layer(cairo_t *cr, const shoal_view *v, const shoal_layer *L,
                                shoal_source *src, shoal_xform *xf, shoal_diag *d,
                                shoal_render_stats *stats)
{
  shoal_layergeo *lg = NULL;
  shoal_status st = shoal_layergeo_build(v, L->simplify, src, xf, d, &lg);
  if (st != SHOAL_OK)
    return st;
  shoal_layergeo_draw(cr, v, L, src, lg, stats);
  shoal_layergeo_free(lg);
  return SHOAL_OK;
}
