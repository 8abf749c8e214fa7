/* A layer drawn in bands: styles chosen once, then each band builds only the paths that can
 * put ink in its rows. What a band leaves out must not change one of its pixels:
 * - a part whose vertices (grown by the ink's reach) miss the band has no edge in its rows,
 *   so it neither covers nor changes the winding of any of its pixels, and its outline is a
 *   contour of its own (Cairo's stroker works sub-path by sub-path);
 * - for a polygon's fill, a run of vertices all above (or all below) the band keeps only its
 *   first and last: the short cut between them stays on that side and the edges into and out
 *   of the run are kept whole. Not for hatched fills, whose lines are laid out from the whole
 *   outline's extents;
 * - an outline is cut to the runs of its segments that reach the band, each grown to where
 *   Cairo would build the same edges in the band's rows as for the whole outline (put_outline
 *   says how); not a dashed one, whose dashes are laid out from its start;
 * - Cairo draws a path of only horizontal and vertical edges another way than other paths:
 *   a band's path must be such a path exactly when the whole one is, else it is drawn whole. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "draw/band.h"

enum {
  BAND_CULL_PARTS = 1, /* parts missing the band may be left out */
  BAND_CULL_RUNS = 2,  /* and runs of vertices beyond it shortened */
  BAND_AXIS = 4,       /* every edge is horizontal or vertical (in Cairo's fixed point) */
  BAND_CUT_LINE = 8    /* the outline may be cut to the segments that reach the band */
};

/* Cairo's fixed point: 24.8, rounded to nearest. */
static long long fx(double v) { return llrint(v * 256.0); }

static bool has_stroke(const shoal_style *st)
{
  return (st->set & SHOAL_STY_STROKE) && st->stroke.a > 0 && st->stroke_width > 0;
}

/* How far ink reaches past the vertices: half the line, times Cairo's default miter limit (10)
 * for miter joins, square caps or the star marker's spikes; markers add their size; one pixel
 * more for antialiasing and rounding. */
static double reach(const shoal_style *st, double scale, bool point)
{
  double r = 2;
  if (has_stroke(st))
    r += st->stroke_width * scale / 2 * (st->join == 0 || point ? 10 : 1.5);
  if (point)
    r += st->marker_size * scale * 0.75;
  return r;
}

static bool part_axis(const shoal_geom *g, size_t a, size_t b, bool closed)
{
  for (size_t i = a + 1; i <= b; i++) {
    size_t p = i - 1, q = i < b ? i : a;
    if (i == b && !closed)
      break;
    if (fx(g->xy[2 * p]) != fx(g->xy[2 * q]) && fx(g->xy[2 * p + 1]) != fx(g->xy[2 * q + 1]))
      return false;
  }
  return true;
}

/* Part boxes, reach and what may be culled of feature f drawn with sty. */
static void measure(shoal_bandgeo *bg, size_t f, const shoal_style *sty, double scale)
{
  const shoal_layergeo *lg = bg->lg;
  const shoal_geom *g = &lg->g;
  bool point = lg->kind == SHOAL_GEOM_POINT, poly = lg->kind == SHOAL_GEOM_POLYGON;
  bool axis = true;
  double *fr = bg->frows + 2 * f;
  fr[0] = INFINITY;
  fr[1] = -INFINITY;
  for (size_t p = lg->first_part[f]; p < lg->first_part[f + 1]; p++) {
    size_t a = g->parts[p], b = g->parts[p + 1];
    /* Comparisons, not fmin/fmax (calls into libm; the vertices are finite, as projected). */
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = a; i < b; i++) {
      double y = g->xy[2 * i + 1];
      lo = y < lo ? y : lo;
      hi = y > hi ? y : hi;
    }
    bg->pbox[2 * p] = lo;
    bg->pbox[2 * p + 1] = hi;
    fr[0] = lo < fr[0] ? lo : fr[0];
    fr[1] = hi > fr[1] ? hi : fr[1];
    if (!point && b - a >= 2 && axis)
      axis = part_axis(g, a, b, poly);
  }
  bg->margin[f] = reach(sty, scale, point);
  bool hatch = (sty->set & SHOAL_STY_HATCH) && sty->hatch.a > 0;
  unsigned char how = hatch ? 0 : BAND_CULL_PARTS;
  if (!hatch && poly)
    how |= BAND_CULL_RUNS;
  /* a dash pattern runs along the whole outline: cut, it would start again at the cut */
  if (!hatch && !point && has_stroke(sty) && sty->ndash == 0)
    how |= BAND_CUT_LINE;
  if (axis)
    how |= BAND_AXIS;
  bg->how[f] = how;
}

shoal_status shoal_bandgeo_prepare(shoal_bandgeo *bg, const shoal_layerctx *lc,
                                   const shoal_layergeo *lg, shoal_layergeo *own,
                                   shoal_render_stats *stats, shoal_diag *d)
{
  memset(bg, 0, sizeof *bg);
  bg->lc = lc;
  bg->lg = lg;
  bg->own = own;
  size_t nf = lg->nfeat ? lg->nfeat : 1, np = lg->g.nparts ? lg->g.nparts : 1;
  shoal_featattr fa;
  bool ok = shoal_featattr_init(&fa, lc->src);
  bg->sty = calloc(nf, sizeof *bg->sty);
  bg->pbox = malloc(2 * np * sizeof *bg->pbox);
  bg->frows = malloc(2 * nf * sizeof *bg->frows);
  bg->margin = calloc(nf, sizeof *bg->margin);
  bg->how = calloc(nf, 1);
  if (!ok || !bg->sty || !bg->pbox || !bg->frows || !bg->margin || !bg->how) {
    shoal_featattr_free(&fa);
    return shoal_render_nomem(lc, d);
  }
  stats->pts_read += lg->pts_read;
  for (size_t f = 0; f < lg->nfeat && fa.failed_id < 0; f++) {
    const shoal_style *sty = shoal_render_feature_style(&fa, lc, lg, f, stats);
    if (!sty)
      continue;
    bg->sty[f] = sty;
    measure(bg, f, sty, lc->view->scale);
  }
  shoal_status st = shoal_featattr_report(&fa, d) ? SHOAL_ERR_DATA : SHOAL_OK;
  shoal_featattr_free(&fa);
  return st;
}

void shoal_bandgeo_fini(shoal_bandgeo *bg)
{
  if (!bg)
    return;
  free(bg->sty);
  free(bg->pbox);
  free(bg->frows);
  free(bg->margin);
  free(bg->how);
  shoal_layergeo_free(bg->own);
  memset(bg, 0, sizeof *bg);
}

/* -1 above lo, +1 below hi, 0 between. */
static int side(double y, double lo, double hi) { return y < lo ? -1 : y > hi ? 1 : 0; }

/* One part onto cr, runs beyond [lo, hi] shortened when runs is set. *diag is set when an
 * edge drawn is neither horizontal nor vertical; *last is the fixed-point point drawn last. */
static void put_part(cairo_t *cr, const shoal_geom *g, size_t a, size_t b, bool closed, bool runs,
                     double lo, double hi, bool *diag)
{
  const double *xy = g->xy;
  long long px = fx(xy[2 * a]), py = fx(xy[2 * a + 1]);
  long long x0 = px, y0 = py;
  cairo_move_to(cr, xy[2 * a], xy[2 * a + 1]);
  int sprev = side(xy[2 * a + 1], lo, hi), s = sprev;
  for (size_t i = a + 1; i < b; i++) {
    int snext = i + 1 < b ? side(xy[2 * i + 3], lo, hi) : 0;
    s = side(xy[2 * i + 1], lo, hi);
    bool inner = runs && s != 0 && sprev == s && snext == s;
    sprev = s;
    if (inner)
      continue;
    long long qx = fx(xy[2 * i]), qy = fx(xy[2 * i + 1]);
    if (qx != px && qy != py)
      *diag = true;
    px = qx;
    py = qy;
    cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
  }
  if (closed) {
    if (px != x0 && py != y0)
      *diag = true;
    cairo_close_path(cr);
  }
}

/* Whether segment i-j of g reaches rows [lo, hi]. */
static bool seg_near(const double *xy, size_t i, size_t j, double lo, double hi)
{
  double y0 = xy[2 * i + 1], y1 = xy[2 * j + 1];
  return (y0 > y1 ? y0 : y1) >= lo && (y0 < y1 ? y0 : y1) <= hi;
}

/* Cairo merges a line_to that goes on in the same direction as the one before (in its fixed
 * point) into it and skips empty ones, and a stroke's edges come from those merged segments: a
 * cut outline gives the whole one's edges only where it starts and ends at a vertex where the
 * whole one's segments break. Vertex v of the part (k vertices from a; vertex k of a ring is
 * vertex 0) breaks when it is where the part starts or ends, or when the segments on both
 * sides are not empty and turn. */
static bool breaks_at(const double *xy, size_t a, size_t k, bool closed, size_t v)
{
  if (v == 0 || v >= (closed ? k : k - 1))
    return true;
  size_t p = a + v - 1, c = a + v, q = a + (v + 1 == k ? 0 : v + 1);
  long long dx1 = fx(xy[2 * c]) - fx(xy[2 * p]), dy1 = fx(xy[2 * c + 1]) - fx(xy[2 * p + 1]);
  long long dx2 = fx(xy[2 * q]) - fx(xy[2 * c]), dy2 = fx(xy[2 * q + 1]) - fx(xy[2 * c + 1]);
  if ((dx1 == 0 && dy1 == 0) || (dx2 == 0 && dy2 == 0))
    return false;
  return dx1 * dy2 != dx2 * dy1;
}

/* One part's outline being cut to rows [lo, hi] (put_outline): k vertices from a; segment i
 * runs from vertex i to vertex i + 1, vertex k of a ring being vertex 0 again. */
typedef struct outline {
  const double *xy;
  size_t a, k, nseg;
  bool closed, miter;
  double lo, hi;
} outline;

static bool reaches(const outline *o, size_t i)
{
  return seg_near(o->xy, o->a + i, o->a + (i + 1 == o->k ? 0 : i + 1), o->lo, o->hi);
}

static bool breaks(const outline *o, size_t v)
{
  return breaks_at(o->xy, o->a, o->k, o->closed, v);
}

/* Whether a segment of i..j-1 reaches the rows. */
static bool any_reaches(const outline *o, size_t i, size_t j)
{
  for (; i < j; i++)
    if (reaches(o, i))
      return true;
  return false;
}

/* The nearest vertex after v (before v) where the outline's segments break. */
static size_t next_break(const outline *o, size_t v)
{
  do
    v++;
  while (v < o->nseg && !breaks(o, v));
  return v;
}

static size_t prev_break(const outline *o, size_t v)
{
  do
    v--;
  while (v > 0 && !breaks(o, v));
  return v;
}

/* Vertices s..e of the outline as an open sub-path. */
static void put_run(cairo_t *cr, const outline *o, size_t s, size_t e, bool *diag)
{
  const double *xy = o->xy;
  size_t a = o->a;
  cairo_move_to(cr, xy[2 * (a + s)], xy[2 * (a + s) + 1]);
  for (size_t v = s + 1; v <= e; v++) {
    size_t i = a + (v == o->k ? 0 : v), h = a + v - 1;
    if (fx(xy[2 * i]) != fx(xy[2 * h]) && fx(xy[2 * i + 1]) != fx(xy[2 * h + 1]))
      *diag = true;
    cairo_line_to(cr, xy[2 * i], xy[2 * i + 1]);
  }
}

/* The end of the run of segments from i (which reaches the rows): where its last segment
 * that reaches them ends, grown to the end of Cairo's segment, and for miter joins by one
 * segment of Cairo's more that stays beyond the rows. */
static size_t run_end(const outline *o, size_t e)
{
  for (;;) {
    while (e < o->nseg && reaches(o, e))
      e++;
    while (e < o->nseg && !breaks(o, e))
      e++;
    if (e == o->nseg || !o->miter)
      return e;
    size_t e2 = next_break(o, e);
    bool more = any_reaches(o, e, e2);
    e = e2;
    if (!more)
      return e;
  }
}

/* The outline of one part for rows [lo, hi] as open sub-paths: the runs of segments that reach
 * the rows. The rows get the whole outline's pixels: Cairo's stroker makes each segment's
 * edges from that segment alone and each join from its two segments, so what changes is at a
 * run's ends (caps instead of joins), at vertices beyond the rows (the first vertex of a
 * segment that misses them) whose ink stays within the ink's reach of that vertex. Where it
 * could change more, the runs grow:
 * - Cairo merges a line_to that goes on in the same direction into the one before: each run
 *   starts and ends where the whole outline's segments break (breaks_at);
 * - a miter join moves the ends of its two segments' edges to its tip, and those edges may
 *   cross the rows: with miter joins a run also takes the segment of Cairo's beyond each end;
 * - a ring's ends are joined another way (a round join turns into a miter when nearly
 *   straight): a ring whose first or last segment of Cairo's reaches the rows is drawn whole. */
static void put_outline(cairo_t *cr, const shoal_geom *g, size_t a, size_t b, bool closed,
                        bool miter, double lo, double hi, bool *diag)
{
  size_t k = b - a;
  outline o = {g->xy, a, k, closed ? k : k - 1, closed, miter, lo, hi};
  if (closed && (any_reaches(&o, 0, next_break(&o, 0)) || any_reaches(&o, prev_break(&o, k), k))) {
    put_part(cr, g, a, b, true, false, lo, hi, diag);
    return;
  }
  size_t i = 0;
  while (i < o.nseg) {
    if (!reaches(&o, i)) {
      i++;
      continue;
    }
    size_t s = i;
    while (s > 0 && !breaks(&o, s))
      s--;
    if (miter && s > 0)
      s = prev_break(&o, s);
    size_t e = run_end(&o, i);
    if (s == 0 && e == o.nseg) { /* nothing left out */
      put_part(cr, g, a, b, closed, false, lo, hi, diag);
      return;
    }
    put_run(cr, &o, s, e, diag);
    i = e;
  }
}

/* How a band builds a feature's path. */
typedef enum { PATH_WHOLE, PATH_PARTS, PATH_FILL, PATH_STROKE } path_mode;

/* Appends the path of feature f for rows [lo, hi]: every part (PATH_WHOLE), the parts reaching the
 * rows (PATH_PARTS), those with runs of vertices beyond the rows shortened when the feature allows
 * it (PATH_FILL), or cut to the segments reaching them (PATH_STROKE). False when no part
 * reaches them. */
static bool append_path(cairo_t *cr, const shoal_bandgeo *bg, size_t f, path_mode mode, double lo,
                        double hi, bool *diag)
{
  const shoal_layergeo *lg = bg->lg;
  bool poly = lg->kind == SHOAL_GEOM_POLYGON, any = false;
  bool runs = mode == PATH_FILL && (bg->how[f] & BAND_CULL_RUNS);
  for (size_t p = lg->first_part[f]; p < lg->first_part[f + 1]; p++) {
    size_t a = lg->g.parts[p], b = lg->g.parts[p + 1];
    if (b - a < 2)
      continue;
    if (mode != PATH_WHOLE && (bg->pbox[2 * p + 1] < lo || bg->pbox[2 * p] > hi))
      continue;
    if (mode == PATH_STROKE && (bg->pbox[2 * p] < lo || bg->pbox[2 * p + 1] > hi))
      put_outline(cr, &lg->g, a, b, poly, bg->sty[f]->join == SHOAL_JOIN_MITER, lo, hi, diag);
    else
      put_part(cr, &lg->g, a, b, poly, runs, lo, hi, diag);
    any = true;
  }
  return any || mode == PATH_WHOLE;
}

/* feature_path's path on its own (a new path on cr). */
static bool feature_path(cairo_t *cr, const shoal_bandgeo *bg, size_t f, path_mode mode, double lo,
                         double hi, bool *diag)
{
  cairo_new_path(cr);
  return append_path(cr, bg, f, mode, lo, hi, diag);
}

static void draw_points(cairo_t *cr, const shoal_bandgeo *bg, size_t f, double lo, double hi)
{
  const shoal_layergeo *lg = bg->lg;
  bool cull = bg->how[f] & BAND_CULL_PARTS;
  for (size_t p = lg->first_part[f]; p < lg->first_part[f + 1]; p++) {
    size_t i = lg->g.parts[p];
    if (cull && (bg->pbox[2 * p + 1] < lo || bg->pbox[2 * p] > hi))
      continue;
    shoal_marker_draw(cr, bg->sty[f], lg->g.xy[2 * i], lg->g.xy[2 * i + 1], bg->lc->view->scale);
  }
}

/* The path of feature f for rows [lo, hi] as feature_path, but whole when Cairo would draw the
 * cut one another way (only horizontal and vertical edges left of a path with others), or when
 * the feature may not be cut. False when nothing of it reaches the rows. */
static bool band_path(cairo_t *cr, const shoal_bandgeo *bg, size_t f, path_mode mode, double lo,
                      double hi)
{
  bool diag = false;
  if (!(bg->how[f] & BAND_CULL_PARTS))
    mode = PATH_WHOLE;
  if (!feature_path(cr, bg, f, mode, lo, hi, &diag))
    return false;
  if (mode != PATH_WHOLE && !diag && !(bg->how[f] & BAND_AXIS))
    feature_path(cr, bg, f, PATH_WHOLE, lo, hi, &diag);
  return true;
}

/* Whether every part of feature f either lies within rows [lo, hi] or misses them: then its
 * fill and outline paths for them are the same. */
static bool parts_whole(const shoal_bandgeo *bg, size_t f, double lo, double hi)
{
  const shoal_layergeo *lg = bg->lg;
  for (size_t p = lg->first_part[f]; p < lg->first_part[f + 1]; p++) {
    const double *pb = bg->pbox + 2 * p;
    if (pb[1] >= lo && pb[0] <= hi && (pb[0] < lo || pb[1] > hi))
      return false;
  }
  return true;
}

/* A polygon as shoal_polygon_paint: its fill from a path with runs beyond the rows shortened,
 * its outline from one cut to the segments that reach them (one path for both when they are
 * the same). */
static void draw_polygon(cairo_t *cr, const shoal_bandgeo *bg, size_t f, double lo, double hi,
                         double scale)
{
  const shoal_style *sty = bg->sty[f];
  if (!has_stroke(sty) || parts_whole(bg, f, lo, hi)) {
    if (band_path(cr, bg, f, PATH_FILL, lo, hi))
      shoal_polygon_paint(cr, sty, scale);
    return;
  }
  if (!band_path(cr, bg, f, PATH_FILL, lo, hi))
    return;
  shoal_polygon_fill(cr, sty);
  if (band_path(cr, bg, f, bg->how[f] & BAND_CUT_LINE ? PATH_STROKE : PATH_PARTS, lo, hi))
    shoal_polygon_stroke(cr, sty, scale);
}

/* Small polygons drawn with one fill and one outline: a Cairo fill or stroke costs thousands of
 * instructions before its first pixel, and full-resolution coast is mostly islets (job A of
 * bench/vs-mapserver.sh: 12,500 of them, 25,000 calls). Consecutive features join a group while
 * - they share one style, with no hatching or dashes (a dash pattern starts again with each
 *   contour), and have few vertices;
 * - each lies wholly within the band's rows (its fill and outline are then its whole path,
 *   uncut) and has a slanted edge (Cairo draws a path of only horizontal and vertical edges
 *   another way);
 * - their rows, grown by their ink's reach, do not meet: no pixel takes ink from two of them, so
 *   the order of fills and outlines cannot matter and even-odd filling of the joined path covers
 *   each pixel as each feature's own path would; and Cairo's rasteriser, which samples a row of
 *   pixels finer when any edge in it starts or ends there, meets each row as it would for the
 *   feature alone (features apart only side by side changed pixels by up to 14 levels).
 * A few pixels still come out a level or two apart (job A: 12 of 4 million, at most 2). */
enum { GROUP_MAX = 32, GROUP_VERTS = 256 };

typedef struct group {
  const shoal_style *sty;
  size_t n, nverts;
  size_t f[GROUP_MAX];
  double rows[GROUP_MAX][2]; /* each member's rows grown by its reach */
} group;

static size_t nverts(const shoal_layergeo *lg, size_t f)
{
  return lg->g.parts[lg->first_part[f + 1]] - lg->g.parts[lg->first_part[f]];
}

static bool groupable(const shoal_bandgeo *bg, size_t f, double lo, double hi)
{
  const shoal_style *sty = bg->sty[f];
  const double *fr = bg->frows + 2 * f;
  return (bg->how[f] & BAND_CULL_PARTS) && !(bg->how[f] & BAND_AXIS) && sty->ndash == 0 &&
         fr[0] >= lo && fr[1] <= hi && nverts(bg->lg, f) <= GROUP_VERTS;
}

static void group_flush(cairo_t *cr, const shoal_bandgeo *bg, group *gr, double y0, double y1,
                        double scale)
{
  if (gr->n == 1) {
    size_t f = gr->f[0];
    draw_polygon(cr, bg, f, y0 - bg->margin[f], y1 + bg->margin[f], scale);
  } else if (gr->n > 1) {
    bool diag = false;
    cairo_new_path(cr);
    for (size_t k = 0; k < gr->n; k++) {
      size_t f = gr->f[k];
      append_path(cr, bg, f, PATH_FILL, y0 - bg->margin[f], y1 + bg->margin[f], &diag);
    }
    shoal_polygon_paint(cr, gr->sty, scale);
  }
  gr->n = gr->nverts = 0;
}

/* Whether feature f (rows: its rows grown by its reach) can join gr as it stands (else gr is
 * drawn first). */
static bool group_takes(const shoal_bandgeo *bg, const group *gr, size_t f, const double rows[2])
{
  if (gr->n == 0)
    return true;
  if (gr->sty != bg->sty[f] || gr->n == GROUP_MAX || gr->nverts + nverts(bg->lg, f) > GROUP_VERTS)
    return false;
  for (size_t k = 0; k < gr->n; k++) {
    const double *o = gr->rows[k];
    if (rows[0] <= o[1] && o[0] <= rows[1])
      return false;
  }
  return true;
}

static void draw_polygons(cairo_t *cr, const shoal_bandgeo *bg, double y0, double y1, double scale)
{
  group gr = {.n = 0};
  for (size_t f = 0; f < bg->lg->nfeat; f++) {
    if (!bg->sty[f])
      continue;
    double m = bg->margin[f], lo = y0 - m, hi = y1 + m;
    const double *fr = bg->frows + 2 * f;
    if ((bg->how[f] & BAND_CULL_PARTS) && (fr[1] < lo || fr[0] > hi))
      continue; /* nothing of it reaches these rows */
    if (!groupable(bg, f, lo, hi)) {
      group_flush(cr, bg, &gr, y0, y1, scale);
      draw_polygon(cr, bg, f, lo, hi, scale);
      continue;
    }
    double rows[2] = {fr[0] - m, fr[1] + m};
    if (!group_takes(bg, &gr, f, rows))
      group_flush(cr, bg, &gr, y0, y1, scale);
    gr.sty = bg->sty[f];
    gr.f[gr.n] = f;
    memcpy(gr.rows[gr.n++], rows, sizeof rows);
    gr.nverts += nverts(bg->lg, f);
  }
  group_flush(cr, bg, &gr, y0, y1, scale);
}

void shoal_bandgeo_draw(cairo_t *cr, const shoal_bandgeo *bg, double y0, double y1)
{
  const shoal_layergeo *lg = bg->lg;
  double scale = bg->lc->view->scale;
  if (lg->kind == SHOAL_GEOM_POLYGON) {
    draw_polygons(cr, bg, y0, y1, scale);
    return;
  }
  for (size_t f = 0; f < lg->nfeat; f++) {
    const shoal_style *sty = bg->sty[f];
    if (!sty)
      continue;
    double lo = y0 - bg->margin[f], hi = y1 + bg->margin[f];
    if (lg->kind == SHOAL_GEOM_POINT)
      draw_points(cr, bg, f, lo, hi);
    else if (has_stroke(sty) &&
             band_path(cr, bg, f, bg->how[f] & BAND_CUT_LINE ? PATH_STROKE : PATH_PARTS, lo, hi)) {
      shoal_style_apply_stroke(cr, sty, scale);
      shoal_svg_stroke(cr, false);
    }
  }
}
