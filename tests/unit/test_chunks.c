/* Unit tests for the chunk index of giant rings (data/shpchunk.c, data/shpchunkread.c): a
 * shapefile with giant rings (a wiggly coast with a hole and an islet, a spiral, small rings)
 * indexed by shoal_source_write_index gives from shoal_source_read_culled exactly the geometry
 * of a whole read culled by shoal_cull_rings, for views on the coast, inland, at sea and far
 * away; thinned, clipped, simplified and drawn as the pipeline does, it gives the same pixels as
 * the whole ring thinned before culling (as Shoal did before the index), within 2 rows of the
 * 160 px view. An index of another version of the .shp, or a damaged one, is ignored with a
 * warning and reads give the same geometry; a file without giant rings gets no index. The
 * direct read of records (one pread into the vertex buffer) gives what shapelib reads. */
#include <cairo.h>
#include <fcntl.h>
#include <math.h>
#include <shapefil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "check.h"
#include "data/cull.h"
#include "data/source.h"
#include "geo/clip.h"
#include "geo/geom.h"
#include "scratch.h"

enum { VIEW = 160 };

/* A coast: n vertices round (cx, cy) at radius r with a wiggle, closed, appended to xy at *k. */
static void coast(double *x, double *y, int *k, double cx, double cy, double r, int n, double turns,
                  bool ccw)
{
  for (int i = 0; i <= n; i++) {
    int j = i == n ? 0 : i;
    double t = 2 * M_PI * turns * j / n * (ccw ? 1 : -1);
    double rr = r * (1 + 0.08 * sin(37 * t) + 0.03 * sin(301 * t)) *
                (turns > 1 ? 1 - 0.5 * (double)j / n : 1);
    x[*k] = cx + rr * cos(t);
    y[*k] = cy + rr * sin(t);
    (*k)++;
  }
}

/* giant.shp: record 0 a small ring; 1 a coast of 200k vertices with a hole of 50k and an islet
 * of 100; 2 a spiral of 120k; 3 a small ring far away. */
static void write_giant(const char *name, bool small_only)
{
  SHPHandle h = SHPCreate(tpath(name), SHPT_POLYGON);
  double *x = malloc(400000 * sizeof *x), *y = malloc(400000 * sizeof *y);
  int k = 0, starts[3];
  coast(x, y, &k, 0, 0, 100, 1000, 1, true);
  SHPObject *o = SHPCreateSimpleObject(SHPT_POLYGON, k, x, y, NULL);
  SHPWriteObject(h, -1, o);
  SHPDestroyObject(o);
  if (!small_only) {
    k = 0;
    starts[0] = k;
    coast(x, y, &k, 5000, 5000, 4000, 200000, 1, true);
    starts[1] = k;
    coast(x, y, &k, 5000, 5000, 2000, 50000, 1, false);
    starts[2] = k;
    coast(x, y, &k, 5000, 9500, 60, 100, 1, true);
    o = SHPCreateObject(SHPT_POLYGON, -1, 3, starts, NULL, k, x, y, NULL, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
    k = 0;
    coast(x, y, &k, 5000, 5000, 4000, 120000, 3, true);
    o = SHPCreateSimpleObject(SHPT_POLYGON, k, x, y, NULL);
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
  }
  k = 0;
  coast(x, y, &k, 20000, 20000, 50, 500, 1, false);
  o = SHPCreateSimpleObject(SHPT_POLYGON, k, x, y, NULL);
  SHPWriteObject(h, -1, o);
  SHPDestroyObject(o);
  SHPClose(h);
  DBFHandle dbf = DBFCreate(tpath(name));
  DBFAddField(dbf, "id", FTInteger, 6, 0);
  for (int i = 0; i < (small_only ? 2 : 4); i++)
    DBFWriteIntegerAttribute(dbf, i, 0, i);
  DBFClose(dbf);
  free(x);
  free(y);
}

/* The box culling uses for a 160 px view with its top-left corner at (vx, vy). */
static void view_q(double vx, double vy, double q[4])
{
  q[0] = vx - 0.75 * VIEW;
  q[1] = vy - 0.75 * VIEW;
  q[2] = vx + VIEW + 0.75 * VIEW;
  q[3] = vy + VIEW + 0.75 * VIEW;
}

static bool same_geom(const shoal_geom *a, const shoal_geom *b)
{
  return a->npts == b->npts && a->nparts == b->nparts &&
         memcmp(a->xy, b->xy, 2 * a->npts * sizeof *a->xy) == 0 &&
         memcmp(a->parts, b->parts, (a->nparts + 1) * sizeof *a->parts) == 0;
}

/* Every record read culled for q equals the whole record culled; returns the vertices the
 * culled reads hold. */
static size_t check_equal(shoal_source *s, const double q[4])
{
  shoal_geom a, b;
  shoal_geom_init(&a, SHOAL_GEOM_NONE);
  shoal_geom_init(&b, SHOAL_GEOM_NONE);
  size_t n = 0;
  for (int id = 0; id < shoal_source_count(s); id++) {
    CHECK(shoal_source_read_culled(s, id, q, &a) == SHOAL_OK);
    CHECK(shoal_source_read(s, id, &b) == SHOAL_OK);
    shoal_cull_rings(&b, q);
    CHECK(same_geom(&a, &b));
    n += a.npts;
  }
  shoal_geom_free(&a);
  shoal_geom_free(&b);
  return n;
}

/* g thinned by 1/16 px, clipped to the view and a 16 px margin, simplified to 0.25 px and drawn
 * (filled, stroked) with the view's corner at the origin. */
static cairo_surface_t *draw(shoal_geom *g, double vx, double vy)
{
  double rect[4] = {vx - 16, vy - 16, vx + VIEW + 16, vy + VIEW + 16};
  shoal_geom c;
  shoal_geom_init(&c, SHOAL_GEOM_POLYGON);
  shoal_clip_polygon(g, rect, &c);
  shoal_simplify_geom(&c, 0.25);
  cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, VIEW, VIEW);
  cairo_t *cr = cairo_create(sf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (size_t p = 0; p < c.nparts; p++)
    for (size_t i = c.parts[p]; i < c.parts[p + 1]; i++)
      (i == c.parts[p] ? cairo_move_to : cairo_line_to)(cr, c.xy[2 * i] - vx, c.xy[2 * i + 1] - vy);
  cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
  cairo_set_source_rgba(cr, 0.2, 0.5, 0.3, 0.7);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(cr, 1.3);
  cairo_stroke(cr);
  cairo_destroy(cr);
  shoal_geom_free(&c);
  cairo_surface_flush(sf);
  return sf;
}

/* Rows that differ between the whole record thinned then culled (the order before the index)
 * and the record read culled then thinned (the order with it). */
static long rows_differing(shoal_source *s, int id, double vx, double vy)
{
  double q[4];
  view_q(vx, vy, q);
  shoal_geom a, b;
  shoal_geom_init(&a, SHOAL_GEOM_NONE);
  shoal_geom_init(&b, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, id, &a) == SHOAL_OK);
  shoal_thin_geom(&a, 1.0 / 16);
  shoal_cull_rings(&a, q);
  CHECK(shoal_source_read_culled(s, id, q, &b) == SHOAL_OK);
  shoal_thin_geom(&b, 1.0 / 16);
  cairo_surface_t *sa = draw(&a, vx, vy), *sb = draw(&b, vx, vy);
  const unsigned char *pa = cairo_image_surface_get_data(sa),
                      *pb = cairo_image_surface_get_data(sb);
  int stride = cairo_image_surface_get_stride(sa);
  long n = 0;
  for (int r = 0; r < VIEW; r++)
    n += memcmp(pa + (size_t)r * stride, pb + (size_t)r * stride, (size_t)VIEW * 4) != 0;
  cairo_surface_destroy(sa);
  cairo_surface_destroy(sb);
  shoal_geom_free(&a);
  shoal_geom_free(&b);
  return n;
}

/* Open name; *warned: a warning about its .scx was given. */
static shoal_source *open_src(const char *name, bool *warned)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath(name), d, &s) == SHOAL_OK);
  *warned = false;
  for (size_t i = 0; i < shoal_diag_count(d); i++) {
    const shoal_msg *m = shoal_diag_get(d, i);
    if (m->sev == SHOAL_SEV_WARNING && strstr(m->text, ".scx") && strstr(m->text, "ignoring"))
      *warned = true;
  }
  shoal_diag_free(d);
  return s;
}

static const double views[][2] = {{8920, 4960}, {5000, 1000}, {3000, 3000}, {9500, 9500},
                                  {4920, 4920}, {6920, 4960}, {5000, 9400}, {1e5, 1e5}};

static void test_index(void)
{
  write_giant("giant.shp", false);
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("giant.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  struct stat st;
  CHECK(stat(tpath("giant.scx"), &st) == 0);
  bool warned;
  shoal_source *s = open_src("giant.shp", &warned);
  CHECK(!warned);
  size_t nv = 0;
  for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
    double q[4];
    view_q(views[v][0], views[v][1], q);
    nv += check_equal(s, q);
  }
  double all[4] = {-1e9, -1e9, 1e9, 1e9};
  CHECK(check_equal(s, all) > 370000); /* nothing culled */
  CHECK(nv < 8 * 370000 / 2);          /* most views read a small part */
  for (size_t v = 0; v < sizeof views / sizeof views[0]; v++)
    for (int id = 1; id <= 2; id++) {
      long n = rows_differing(s, id, views[v][0], views[v][1]);
      if (n > 2)
        fprintf(stderr, "record %d, view %g,%g: %ld rows differ\n", id, views[v][0], views[v][1],
                n);
      CHECK(n <= 2);
    }
  shoal_source_close(s);

  /* The .shp changes (its time): the index is ignored with a warning; reads are the same. */
  struct timespec ts[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
  CHECK(utimensat(AT_FDCWD, tpath("giant.shp"), ts, 0) == 0);
  s = open_src("giant.shp", &warned);
  CHECK(warned);
  double q[4];
  view_q(8920, 4960, q);
  check_equal(s, q);
  shoal_source_close(s);

  /* Rebuilt, then damaged (another version number): ignored with a warning. */
  d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("giant.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  s = open_src("giant.shp", &warned);
  CHECK(!warned);
  shoal_source_close(s);
  FILE *f = fopen(tpath("giant.scx"), "r+b");
  CHECK(f && fseek(f, 8, SEEK_SET) == 0 && fputc(9, f) == 9);
  if (f)
    fclose(f);
  s = open_src("giant.shp", &warned);
  CHECK(warned);
  check_equal(s, q);
  shoal_source_close(s);

  /* Without giant rings no index is written, and an old one goes. */
  write_giant("giant.shp", true);
  d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("giant.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  CHECK(stat(tpath("giant.scx"), &st) != 0);
}

/* shoal_source_read (one pread straight into the buffer) gives what shapelib reads, part for
 * part, for every record of path. */
static void test_direct(const char *path)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(path, d, &s) == SHOAL_OK);
  shoal_diag_free(d);
  SHPHandle h = SHPOpen(path, "rb");
  CHECK(s && h);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  for (int id = 0; s && h && id < shoal_source_count(s); id++) {
    CHECK(shoal_source_read(s, id, &g) == SHOAL_OK);
    SHPObject *o = SHPReadObject(h, id);
    bool same = o && (size_t)o->nVertices == g.npts && (size_t)o->nParts == g.nparts;
    for (int p = 0; same && p < o->nParts; p++)
      same = g.parts[p] == (size_t)o->panPartStart[p];
    for (size_t i = 0; same && i < g.npts; i++)
      same = g.xy[2 * i] == o->padfX[i] && g.xy[2 * i + 1] == o->padfY[i];
    CHECK(same);
    SHPDestroyObject(o);
  }
  shoal_geom_free(&g);
  if (h)
    SHPClose(h);
  shoal_source_close(s);
}

int main(void)
{
  (void)put; /* scratch.h helper this test does not need */
  if (!scratch_begin("chunks"))
    return 1;
  test_index();
  test_direct(tpath("giant.shp"));
  test_direct("shapes/land_f.shp");
  test_direct("shapes/zones_modelled_lines.shp");
  scratch_end();
  return check_done();
}
