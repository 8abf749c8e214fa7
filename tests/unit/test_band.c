/* Unit tests for drawing a layer in bands (draw/band.c): every band, drawn as the PNG encoder
 * draws it (its own image, a row more above and below), holds exactly the pixels of the whole
 * page drawn feature by feature (draw/render.c). The shapes are made to meet the band edges in
 * every way the bands cut them: outlines cut to the runs of segments that reach a band, rings
 * whose first vertex lies in a band or outside it, runs of collinear and repeated vertices where
 * a cut falls, holes, open lines, dashed lines, and miter, round and bevel joins, thin and
 * thick, at band heights from 3 rows to 97; and islets, which bands draw several at a time. */
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/source.h"
#include "draw/band.h"
#include "draw/render.h"

enum { W = 300, H = 420, MAXF = 160 };

typedef struct shapes {
  shoal_layergeo lg;
  int ids[MAXF];
  size_t first[MAXF + 1];
} shapes;

static void begin_feature(shapes *s)
{
  s->ids[s->lg.nfeat] = (int)s->lg.nfeat;
  s->first[s->lg.nfeat] = s->lg.g.nparts;
  s->lg.nfeat++;
  s->first[s->lg.nfeat] = s->lg.g.nparts;
}

static void add_part(shapes *s, const double *xy, size_t n, bool closed)
{
  shoal_geom_begin_part(&s->lg.g);
  for (size_t i = 0; i < n; i++)
    shoal_geom_add(&s->lg.g, xy[2 * i], xy[2 * i + 1]);
  if (closed)
    shoal_geom_add(&s->lg.g, xy[0], xy[1]); /* closed as in a shapefile */
  shoal_geom_end_part(&s->lg.g, 1);
  s->first[s->lg.nfeat] = s->lg.g.nparts;
}

/* A wiggly coast round (cx, cy) starting at angle a0 (its first vertex), n vertices. */
static void coast(shapes *s, double cx, double cy, double rx, double ry, double a0, size_t n)
{
  double *xy = malloc(2 * n * sizeof *xy);
  for (size_t i = 0; i < n; i++) {
    double t = a0 + 2 * M_PI * (double)i / (double)n;
    double k = 1 + 0.06 * sin(23 * t) + 0.02 * sin(211 * t);
    xy[2 * i] = cx + rx * k * cos(t);
    xy[2 * i + 1] = cy + ry * k * sin(t);
  }
  add_part(s, xy, n, true);
  free(xy);
}

/* A polygon (or line) through the corners c, each side split into m collinear vertices, every
 * seventh one repeated: cuts fall on vertices where Cairo merges or skips segments. */
static void subdivided(shapes *s, const double *c, size_t nc, size_t m, bool closed)
{
  size_t cap = 2 * (2 * nc * m + 4), n = 0;
  double *xy = malloc(cap * sizeof *xy);
  for (size_t i = 0; i + (closed ? 0 : 1) < nc; i++) {
    const double *p = c + 2 * i, *q = c + 2 * ((i + 1) % nc);
    for (size_t j = 0; j < m; j++) {
      double t = (double)j / (double)m;
      xy[2 * n] = p[0] + (q[0] - p[0]) * t;
      xy[2 * n + 1] = p[1] + (q[1] - p[1]) * t;
      n++;
      if ((n % 7) == 0 && 2 * n + 2 <= cap) {
        xy[2 * n] = xy[2 * n - 2];
        xy[2 * n + 1] = xy[2 * n - 1];
        n++;
      }
    }
  }
  if (!closed) {
    xy[2 * n] = c[2 * nc - 2];
    xy[2 * n + 1] = c[2 * nc - 1];
    n++;
  }
  add_part(s, xy, n, closed);
  free(xy);
}

/* A vertical wavy line from top to bottom of the page and beyond. */
static void wave(shapes *s, double x, double amp, size_t n)
{
  double *xy = malloc(2 * n * sizeof *xy);
  for (size_t i = 0; i < n; i++) {
    double y = -30 + (H + 60) * (double)i / (double)(n - 1);
    xy[2 * i] = x + amp * sin(y / 9.0) + 0.5 * amp * sin(y / 2.3);
    xy[2 * i + 1] = y;
  }
  add_part(s, xy, n, false);
  free(xy);
}

static void polygons(shapes *s)
{
  shoal_geom_init(&s->lg.g, SHOAL_GEOM_POLYGON);
  s->lg.kind = SHOAL_GEOM_POLYGON;
  begin_feature(s); /* first vertex at mid-height: in a band */
  coast(s, 110, 200, 90, 180, 0, 900);
  coast(s, 110, 200, 40, 90, M_PI / 3, 300); /* a hole */
  begin_feature(s);                          /* first vertex at the top, above most bands */
  coast(s, 220, 230, 60, 190, -M_PI / 2, 700);
  begin_feature(s);
  static const double diamond[] = {250, 10, 295, 200, 250, 410, 150, 200};
  subdivided(s, diamond, 4, 40, true);
  begin_feature(s);
  static const double square[] = {20, 20, 100, 20, 100, 400, 20, 400}; /* axis edges only */
  subdivided(s, square, 4, 13, true);
  begin_feature(s); /* a star: long edges across many bands between joins beyond them */
  double star[20];
  for (int i = 0; i < 10; i++) {
    double t = -M_PI / 2 + 1.3 + M_PI * i / 5, r = (i % 2) ? 60 : 215;
    star[2 * i] = 150 + r * cos(t) * 0.7;
    star[2 * i + 1] = 210 + r * sin(t);
  }
  add_part(s, star, 10, false);
  begin_feature(s); /* nearly straight where the rings close, their first segments long */
  for (int i = 0; i < 4; i++) {
    double x = 170 + 9 * i, d = 0.11 * (i + 1);
    double bend[] = {x, 90 + 7 * i, x + d * 3, 415, x - 50, 415, x - 50, -200, x - d, -200};
    add_part(s, bend, 5, false);
  }
  begin_feature(s); /* rings that start at a corner with a long first segment */
  for (int i = 0; i < 3; i++) {
    double x = 20 + 90 * i, t = 3.7 * i;
    double hook[] = {x, 100 + t, x + 10 + t, 400, x + 60, 405 - t, x + 61 + t, 100, x + 40, 50};
    add_part(s, hook, 5, false);
  }
  for (int i = 0; i < 6; i++) { /* islands */
    begin_feature(s);
    coast(s, 30 + 45 * i, 40 + 61 * i, 6 + i, 4 + 2 * i, i, 24);
  }
}

/* An archipelago: islets small enough to be drawn together (band.c groups them), most apart,
 * some pairs close enough that their ink could meet, some overlapping (the later drawn over the
 * earlier), one with a hole and one with only horizontal and vertical edges. */
static void islets(shapes *s)
{
  shoal_geom_init(&s->lg.g, SHOAL_GEOM_POLYGON);
  s->lg.kind = SHOAL_GEOM_POLYGON;
  for (int i = 0; i < 120; i++) {
    /* down each column in turn: consecutive islets keep to rows of their own */
    double cx = 14 + 28 * (i / 12), cy = 12 + 34 * (i % 12), r = 3 + (i * 7 % 6);
    if (i % 9 == 4)
      cy -= 22 - r; /* rows shared with the islet before it */
    if (i % 13 == 6)
      cy -= 30; /* drawn over the islet before it */
    begin_feature(s);
    if (i == 57) {
      static const double box[] = {0, 0, 9, 0, 9, 7, 0, 7};
      double sq[8];
      for (int k = 0; k < 8; k++)
        sq[k] = box[k] + (k % 2 ? cy - 3 : cx - 4);
      add_part(s, sq, 4, true);
      continue;
    }
    coast(s, cx, cy, r, r * 0.8, i, (size_t)(10 + i % 15));
    if (i == 33)
      coast(s, cx, cy, r * 0.4, r * 0.3, 1, 9); /* a lagoon */
  }
}

/* Lines across every band; fine adds one of 1500 vertices (segments of a third of a pixel). */
static void lines(shapes *s, bool fine)
{
  shoal_geom_init(&s->lg.g, SHOAL_GEOM_LINE);
  s->lg.kind = SHOAL_GEOM_LINE;
  begin_feature(s);
  wave(s, 60, 20, 400);
  begin_feature(s);
  wave(s, 150, 35, 61);
  if (fine)
    wave(s, 240, 8, 1500);
  begin_feature(s);
  static const double zigzag[] = {10, -20, 290, 100, 10, 210, 290, 330, 10, 440};
  subdivided(s, zigzag, 5, 30, false);
}

static void background(cairo_t *cr)
{
  cairo_set_source_rgb(cr, 0.87, 0.91, 0.94);
  cairo_rectangle(cr, 0, 0, W, H);
  cairo_fill(cr);
}

/* Whether two rows of n bytes differ by more than tol in some byte. */
static bool rows_differ(const unsigned char *a, const unsigned char *b, size_t n, int tol)
{
  if (tol == 0)
    return memcmp(a, b, n) != 0;
  for (size_t i = 0; i < n; i++)
    if (abs(a[i] - b[i]) > tol)
      return true;
  return false;
}

/* Compare every band of height hb drawn from bg with the rows of page, each byte within tol;
 * false on a difference. */
static bool bands_match(const shoal_bandgeo *bg, cairo_surface_t *page, int hb, int tol)
{
  const unsigned char *pd = cairo_image_surface_get_data(page);
  int ps = cairo_image_surface_get_stride(page);
  bool same = true;
  for (int y0 = 0; y0 < H && same; y0 += hb) {
    int y1 = y0 + hb < H ? y0 + hb : H;
    int top = y0 > 0 ? y0 - 1 : y0, bot = y1 < H ? y1 + 1 : y1;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, bot - top);
    cairo_t *cr = cairo_create(img);
    cairo_translate(cr, 0, -top);
    background(cr);
    shoal_bandgeo_draw(cr, bg, top, bot);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    const unsigned char *bd = cairo_image_surface_get_data(img);
    int bs = cairo_image_surface_get_stride(img);
    for (int y = y0; y < y1 && same; y++)
      if (rows_differ(pd + (size_t)y * ps, bd + (size_t)(y - top) * bs, (size_t)W * 4, tol)) {
        fprintf(stderr, "band of %d rows at %d: row %d differs\n", hb, y0, y);
        if (getenv("DBG"))
          for (int x = 0; x < W; x++)
            if (memcmp(pd + (size_t)y * ps + 4 * x, bd + (size_t)(y - top) * bs + 4 * x, 4))
              fprintf(stderr, "   x=%d page %08x band %08x\n", x,
                      ((const unsigned *)(pd + (size_t)y * ps))[x],
                      ((const unsigned *)(bd + (size_t)(y - top) * bs))[x]);
        same = false;
      }
    cairo_surface_destroy(img);
  }
  return same;
}

/* The shapes drawn with style st: whole, then in bands of several heights, each byte of the
 * bands within tol of the whole page's. */
static void check_style_tol(shoal_source *src, shapes *s, const shoal_style *st, const char *what,
                            int tol)
{
  shoal_layer L = {.name = (char *)what, .visible = true, .style = *st};
  shoal_view v = {.width = W, .height = H, .scale = 1};
  shoal_layerctx lc = {.layer = &L, .src = src, .view = &v};
  shoal_diag *d = shoal_diag_new();
  shoal_render_stats rs = {0};
  cairo_surface_t *page = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
  cairo_t *cr = cairo_create(page);
  background(cr);
  CHECK(shoal_layergeo_draw(cr, &lc, &s->lg, &rs, d) == SHOAL_OK);
  cairo_destroy(cr);
  cairo_surface_flush(page);
  shoal_bandgeo bg;
  CHECK(shoal_bandgeo_prepare(&bg, &lc, &s->lg, NULL, &rs, d) == SHOAL_OK);
  static const int heights[] = {3, 7, 16, 41, 97};
  for (size_t i = 0; i < sizeof heights / sizeof *heights; i++) {
    bool same = bands_match(&bg, page, heights[i], tol);
    CHECK(same);
    if (!same)
      fprintf(stderr, "  (%s)\n", what);
  }
  shoal_bandgeo_fini(&bg);
  cairo_surface_destroy(page);
  shoal_diag_free(d);
}

/* check_style_tol with every pixel exactly the whole page's. */
static void check_style(shoal_source *src, shapes *s, const shoal_style *st, const char *what)
{
  check_style_tol(src, s, st, what, 0);
}

static shoal_style style(bool fill, double width, shoal_join join, shoal_cap cap, int ndash)
{
  shoal_style st = {.set = SHOAL_STY_STROKE | SHOAL_STY_WIDTH | SHOAL_STY_JOIN | SHOAL_STY_CAP,
                    .stroke = {0.54, 0.54, 0.54, 1},
                    .stroke_width = width,
                    .opacity = 1,
                    .join = join,
                    .cap = cap,
                    .ndash = ndash,
                    .dash = {3, 2}};
  if (fill) {
    st.set |= SHOAL_STY_FILL;
    st.fill = (shoal_color){0.95, 0.94, 0.92, 1};
  }
  return st;
}

int main(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *src = NULL;
  CHECK(shoal_source_open("shapes/nine_dash_line.shp", d, &src) == SHOAL_OK);
  shoal_diag_free(d);
  if (!src)
    return check_done();
  shapes poly = {0}, line = {0}, coarse = {0};
  polygons(&poly);
  poly.lg.ids = poly.ids;
  poly.lg.first_part = poly.first;
  lines(&line, true);
  line.lg.ids = line.ids;
  line.lg.first_part = line.first;
  lines(&coarse, false);
  coarse.lg.ids = coarse.ids;
  coarse.lg.first_part = coarse.first;
  shapes isl = {0};
  islets(&isl);
  isl.lg.ids = isl.ids;
  isl.lg.first_part = isl.first;

  shoal_style coastline = style(true, 0.5, SHOAL_JOIN_ROUND, SHOAL_CAP_BUTT, 0);
  check_style(src, &poly, &coastline, "fill, 0.5 px round");
  shoal_style miter = style(true, 2.2, SHOAL_JOIN_MITER, SHOAL_CAP_BUTT, 0);
  check_style(src, &poly, &miter, "fill, 2.2 px miter");
  shoal_style bevel = style(false, 3, SHOAL_JOIN_BEVEL, SHOAL_CAP_SQUARE, 0);
  check_style(src, &poly, &bevel, "3 px bevel, no fill");
  shoal_style thick = style(true, 6, SHOAL_JOIN_ROUND, SHOAL_CAP_ROUND, 0);
  check_style(src, &poly, &thick, "fill, 6 px round");
  shoal_style dashpoly = style(true, 0.8, SHOAL_JOIN_ROUND, SHOAL_CAP_BUTT, 2);
  check_style(src, &poly, &dashpoly, "fill, dashed outline");

  /* Islets drawn together (band.c) on rows of their own: here every pixel is the page's, on
   * real coast a few come out a level or two apart; an islet drawn out of turn, or two inked
   * into one pixel, would be off by tens of levels. Dashed outlines are not grouped. */
  check_style_tol(src, &isl, &coastline, "islets, fill, 0.5 px round", 2);
  check_style_tol(src, &isl, &thick, "islets, fill, 6 px round", 2);
  check_style_tol(src, &isl, &dashpoly, "islets, fill, dashed outline", 0);
  shoal_style fillonly = style(true, 0, SHOAL_JOIN_ROUND, SHOAL_CAP_BUTT, 0);
  check_style_tol(src, &isl, &fillonly, "islets, fill only", 2);

  check_style(src, &line, &coastline, "line 0.5 px round");
  shoal_style nine = style(false, 2.2, SHOAL_JOIN_ROUND, SHOAL_CAP_BUTT, 0);
  check_style(src, &line, &nine, "line 2.2 px round, butt");
  /* Not the fine line with miter joins: there a few pixels of the whole line drawn in a band
   * differ by one level with the row where the band's image starts (its miter tips, some
   * rows above, are cut by the image's top), cut or not. */
  check_style(src, &coarse, &miter, "line 2.2 px miter");
  shoal_style square = style(false, 1.3, SHOAL_JOIN_BEVEL, SHOAL_CAP_SQUARE, 0);
  check_style(src, &line, &square, "line 1.3 px bevel, square caps");
  shoal_style dashed = style(false, 0.6, SHOAL_JOIN_ROUND, SHOAL_CAP_BUTT, 2);
  check_style(src, &line, &dashed, "dashed line");

  shoal_geom_free(&poly.lg.g);
  shoal_geom_free(&line.lg.g);
  shoal_geom_free(&coarse.lg.g);
  shoal_geom_free(&isl.lg.g);
  shoal_source_close(src);
  return check_done();
}
