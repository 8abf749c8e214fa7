/* Furniture: the furniture: section (defaults, values, exact error texts), graticule step and
 * labels, and a drawn map checked by its pixels: legend swatches, graticule position, inset
 * box, north arrow, and that no two pieces overlap. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "config/furn_model.h"
#include "config/model.h"
#include "core/scene.h"
#include "data/cache.h"
#include "data/import.h"
#include "furniture/furn_priv.h"
#include "furniture/furniture.h"

#include "scratch.h"

static const char *const base_map = "map:\n"
                                    "  size: [400, 400]\n"
                                    "  extent: [100, 0, 120, 20]\n";

/* Load base_map followed by `furn` (a furniture: section or more). */
static shoal_map *load(const char *furn, shoal_diag *d)
{
  char text[4096];
  snprintf(text, sizeof text, "%s%s", base_map, furn);
  put("m.yaml", text);
  return shoal_map_load(tpath("m.yaml"), NULL, 0, d);
}

static void test_defaults(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = load("", d);
  CHECK(m && m->furn);
  if (m && m->furn) {
    const shoal_furnspec *f = m->furn;
    CHECK(!f->title_band);
    CHECK(f->legend.show && f->legend.position == SHOAL_CORNER_BOTTOM_LEFT && !f->legend.title);
    CHECK(f->scalebar.show && f->scalebar.position == SHOAL_CORNER_BOTTOM_LEFT);
    CHECK(f->scalebar.nunits == 2 && f->scalebar.units[0] == SHOAL_UNIT_KM &&
          f->scalebar.units[1] == SHOAL_UNIT_NMI);
    CHECK(f->graticule.show && f->graticule.step == 0 && f->graticule.labels);
    CHECK_NEAR(f->graticule.width, 0.4, 0);
    CHECK_NEAR(f->graticule.color.r, 0xc9 / 255.0, 1e-9);
    CHECK(f->north.show == SHOAL_TRI_AUTO);
    CHECK(!f->inset.show);
    CHECK_STR(f->inset.crs, "EPSG:4326");
  }
  shoal_map_free(m);
  shoal_diag_free(d);
}

static void test_values(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = load("furniture:\n"
                      "  title-band: \"#fafafa\"\n"
                      "  legend: {position: top-left, title: Key, max-width: 300}\n"
                      "  scale-bar: {position: bottom-right, units: nmi, max-length: 150}\n"
                      "  graticule: {step: 2, labels: false, label-edges: [top, right],\n"
                      "              color: red, width: 1}\n"
                      "  north-arrow: true\n"
                      "  inset:\n"
                      "    extent: [70, -15, 150, 50]\n"
                      "    position: bottom-left\n"
                      "    size: [200, 150]\n"
                      "    crs: \"EPSG:3857\"\n"
                      "    data: land.shp\n",
                      d);
  shoal_diag_print(d, stderr, 1);
  CHECK(m != NULL && shoal_diag_count(d) == 0);
  if (m) {
    const shoal_furnspec *f = m->furn;
    CHECK(f->title_band && f->band_color.r > 0.97 && f->band_color.r < 0.99);
    CHECK(f->legend.position == SHOAL_CORNER_TOP_LEFT);
    CHECK_STR(f->legend.title, "Key");
    CHECK_NEAR(f->legend.max_width, 300, 0);
    CHECK(f->scalebar.position == SHOAL_CORNER_BOTTOM_RIGHT && f->scalebar.nunits == 1 &&
          f->scalebar.units[0] == SHOAL_UNIT_NMI);
    CHECK_NEAR(f->scalebar.max_length, 150, 0);
    CHECK_NEAR(f->graticule.step, 2, 0);
    CHECK(!f->graticule.labels && f->graticule.edges == (SHOAL_EDGE_TOP | SHOAL_EDGE_RIGHT));
    CHECK(f->north.show == SHOAL_TRI_ON);
    CHECK(f->inset.show && f->inset.position == SHOAL_CORNER_BOTTOM_LEFT);
    CHECK_NEAR(f->inset.extent[0], 70, 0);
    CHECK_NEAR(f->inset.extent[3], 50, 0);
    CHECK_NEAR(f->inset.size[1], 150, 0);
    CHECK_STR(f->inset.crs, "EPSG:3857");
    CHECK_STR(f->inset.data, tpath("land.shp")); /* relative to the map file */
  }
  shoal_map_free(m);
  shoal_diag_free(d);

  d = shoal_diag_new();
  m = load("furniture: {legend: false, scale-bar: false, graticule: false, north-arrow: off}\n", d);
  CHECK(m && !m->furn->legend.show && !m->furn->scalebar.show && !m->furn->graticule.show &&
        m->furn->north.show == SHOAL_TRI_OFF);
  shoal_map_free(m);
  shoal_diag_free(d);
}

/* The one error `furn` causes, at line/col of m.yaml (base_map is three lines). */
static void check_error(const char *furn, int line, int col, const char *text)
{
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = load(furn, d);
  CHECK(m == NULL);
  CHECK(shoal_diag_nerrors(d) == 1);
  const shoal_msg *e = shoal_diag_get(d, 0);
  if (e) {
    CHECK_STR(e->text, text);
    CHECK(e->line == line && e->col == col);
    if (e->line != line || e->col != col)
      fprintf(stderr, "  at %d:%d, expected %d:%d\n", e->line, e->col, line, col);
  }
  shoal_map_free(m);
  shoal_diag_free(d);
}

static void test_errors(void)
{
  check_error("furniture:\n  lgend: false\n", 5, 3,
              "unknown key 'lgend' in furniture (did you mean 'legend'?)");
  check_error("furniture:\n  legend: {position: bottom-lft}\n", 5, 22,
              "unknown position 'bottom-lft' (did you mean 'bottom-left'?)");
  check_error("furniture:\n  legend: {position: middle}\n", 5, 22,
              "unknown position 'middle' (expected one of: top-left, top-right, bottom-left, "
              "bottom-right, left, right)");
  check_error("furniture:\n  scale-bar: {units: [km, parsec]}\n", 5, 27,
              "unknown unit 'parsec' (expected one of: km, nmi, mi)");
  check_error("furniture:\n  scale-bar: {units: [km, nmi, mi]}\n", 5, 22,
              "units must list one or two of km, nmi, mi");
  check_error("furniture:\n  graticule: {stpe: 5}\n", 5, 15,
              "unknown key 'stpe' in graticule (did you mean 'step'?)");
  check_error("furniture:\n  graticule: {step: 0}\n", 5, 21,
              "graticule step must be between 0.0166667 and 90, not 0");
  check_error("furniture:\n  north-arrow: sometimes\n", 5, 16,
              "unknown north-arrow setting 'sometimes' (expected one of: auto, true, false, yes, "
              "no, on, off)");
  check_error("furniture:\n  title-band: maybe\n", 5, 15,
              "title-band must be true, false or a colour");
  check_error("furniture:\n  inset: {extent: [70, -15, 150, 50]}\n", 5, 10,
              "inset needs 'data' (a land shapefile for the locator)");
  check_error("furniture:\n  inset: {extent: [-170, -15, 200, 50], data: x.shp}\n", 5, 19,
              "inset extent must be [west, south, east, north] in degrees with south < north, at "
              "most 360 degrees wide (one crossing 180 may say [100, -50, -120, 60] or [100, -50, "
              "240, 60])");
  check_error("furniture:\n  inset: {extent: [150, 50, 170, -15], data: x.shp}\n", 5, 19,
              "inset extent must be [west, south, east, north] in degrees with south < north, at "
              "most 360 degrees wide (one crossing 180 may say [100, -50, -120, 60] or [100, -50, "
              "240, 60])");
}

static void test_graticule_text(void)
{
  char b[32];
  shoal_graticule_format(110, false, b, sizeof b);
  CHECK_STR(b, "110\xc2\xb0"
               "E");
  shoal_graticule_format(-75, false, b, sizeof b);
  CHECK_STR(b, "75\xc2\xb0W");
  shoal_graticule_format(180, false, b, sizeof b);
  CHECK_STR(b, "180\xc2\xb0");
  shoal_graticule_format(190, false, b, sizeof b);
  CHECK_STR(b, "170\xc2\xb0W");
  shoal_graticule_format(0, true, b, sizeof b);
  CHECK_STR(b, "0\xc2\xb0");
  shoal_graticule_format(5, true, b, sizeof b);
  CHECK_STR(b, "5\xc2\xb0N");
  shoal_graticule_format(-5, true, b, sizeof b);
  CHECK_STR(b, "5\xc2\xb0S");
  shoal_graticule_format(112.5, false, b, sizeof b);
  CHECK_STR(b, "112\xc2\xb0"
               "30\xe2\x80\xb2"
               "E");
  /* 2 for zooms, 5 for the overview (per the cartographic brief). */
  CHECK_NEAR(shoal_graticule_auto_step(6.4, 4.7), 2, 0);   /* Spratlys */
  CHECK_NEAR(shoal_graticule_auto_step(8.5, 7.5), 2, 0);   /* North Natuna Sea */
  CHECK_NEAR(shoal_graticule_auto_step(26, 28), 5, 0);     /* overview */
  CHECK_NEAR(shoal_graticule_auto_step(30.3, 30.3), 5, 0); /* overview, conic */
  CHECK_NEAR(shoal_graticule_auto_step(1.2, 1), 0.25, 0);
  CHECK_NEAR(shoal_graticule_auto_step(170, 120), 30, 0);
}

/* ---- a drawn map ---------------------------------------------------------------------- */

static void make_data(void)
{
  put("lines.csv", "id,seq,lon,lat\n1,1,101,2\n1,2,105,5\n2,1,95,-5\n2,2,128,25\n");
  put("points.csv", "name,held,lon,lat\nA,PH,115,18\nB,VN,118,16\n");
  shoal_diag *d = shoal_diag_new();
  shoal_import_opts o = {.in = tpath("lines.csv"),
                         .out = tpath("lines.shp"),
                         .lines = true,
                         .group = "id",
                         .order = "seq"};
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  shoal_import_opts p = {.in = tpath("points.csv"), .out = tpath("points.shp")};
  CHECK(shoal_import_csv(&p, d) == SHOAL_OK);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
}

/* A macro, not a variable: the format must be a literal for -Wformat-nonliteral. */
#define DRAWN_MAP                                                                                  \
  "map:\n"                                                                                         \
  "  size: [400, 400]\n"                                                                           \
  "  crs: %s\n"                                                                                    \
  "  extent: [100, 0, 120, 20]\n"                                                                  \
  "  background: \"#ffffff\"\n"                                                                    \
  "  title: Test\n"                                                                                \
  "  credit: \"Map: test\"\n"                                                                      \
  "layers:\n"                                                                                      \
  "  - name: claim\n"                                                                              \
  "    data: lines.shp\n"                                                                          \
  "    stroke: \"#c8102e\"\n"                                                                      \
  "    stroke-width: 2\n"                                                                          \
  "    dash: [6, 3]\n"                                                                             \
  "    legend: Claim line\n"                                                                       \
  "    attribution: lines test\n"                                                                  \
  "  - name: places\n"                                                                             \
  "    data: points.shp\n"                                                                         \
  "    marker: circle\n"                                                                           \
  "    marker-size: 8\n"                                                                           \
  "    stroke: \"#222222\"\n"                                                                      \
  "    rules:\n"                                                                                   \
  "      - filter: \"held = 'PH'\"\n"                                                              \
  "        fill: \"#0072b2\"\n"                                                                    \
  "        legend: Held by the Philippines\n"                                                      \
  "      - fill: \"#ffffff\"\n"                                                                    \
  "        legend: Other\n"                                                                        \
  "furniture:\n"                                                                                   \
  "  graticule: {step: 5, color: \"#ff00ff\", width: 2}\n"                                         \
  "  inset: {extent: [90, -10, 130, 30], data: lines.shp, box: \"#00ff00\", size: [120, 100]}\n"   \
  "%s"

typedef struct image {
  cairo_surface_t *s;
  unsigned char *px;
  int stride, w, h;
} image;

static bool near_rgb(const image *im, int x, int y, unsigned rgb, int tol)
{
  if (x < 0 || y < 0 || x >= im->w || y >= im->h)
    return false;
  uint32_t p = *(const uint32_t *)(im->px + (size_t)y * (size_t)im->stride + 4 * (size_t)x);
  int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
  return abs(r - (int)((rgb >> 16) & 255)) <= tol && abs(g - (int)((rgb >> 8) & 255)) <= tol &&
         abs(b - (int)(rgb & 255)) <= tol;
}

static int count_in(const image *im, shoal_box b, unsigned rgb, int tol)
{
  int n = 0;
  for (int y = (int)b.y0; y < (int)b.y1; y++)
    for (int x = (int)b.x0; x < (int)b.x1; x++)
      n += near_rgb(im, x, y, rgb, tol);
  return n;
}

/* DRAWN_MAP in crs, with more furniture lines extra, drawn into im. */
static shoal_scene *draw(const char *crs, const char *extra, shoal_datacache *cache, shoal_map **mp,
                         image *im)
{
  char text[4096];
  snprintf(text, sizeof text, DRAWN_MAP, crs, extra);
  put("d.yaml", text);
  shoal_diag *d = shoal_diag_new();
  shoal_scene *sc = NULL;
  *mp = shoal_map_load(tpath("d.yaml"), NULL, 0, d);
  CHECK(*mp != NULL);
  if (*mp)
    CHECK(shoal_scene_prepare(*mp, cache, NULL, false, d, &sc) == SHOAL_OK);
  im->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 400, 400);
  cairo_t *cr = cairo_create(im->s);
  if (sc)
    CHECK(shoal_scene_draw(sc, cr, NULL, d) == SHOAL_OK);
  cairo_destroy(cr);
  cairo_surface_flush(im->s);
  im->px = cairo_image_surface_get_data(im->s);
  im->stride = cairo_image_surface_get_stride(im->s);
  im->w = im->h = 400;
  CHECK(shoal_diag_nerrors(d) == 0);
  shoal_diag_print(d, stderr, 0);
  shoal_diag_free(d);
  return sc;
}

static bool overlaps(shoal_box a, shoal_box b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static void test_drawn(shoal_datacache *cache)
{
  shoal_map *m = NULL;
  image im;
  shoal_scene *sc = draw("\"EPSG:4326\"", "", cache, &m, &im);
  struct shoal_furnstate *fs = sc ? sc->furn : NULL;
  CHECK(fs != NULL);
  if (fs) {
    /* Run the layout again to read the boxes the drawing used. */
    CHECK(shoal_furniture_layout(fs, NULL, NULL) == SHOAL_OK);
    CHECK(fs->has_title && fs->has_credit && fs->has_legend && fs->has_scalebar && fs->has_inset);
    CHECK(!fs->has_north && !fs->north_shown); /* lon/lat: north is up */
    CHECK_NEAR(fs->north_angle, 0, 1e-6);
    shoal_box all[6] = {fs->title, fs->credit, fs->legend, fs->scalebar, fs->inset};
    int n = 5, bad = 0;
    for (int i = 0; i < n; i++) {
      if (all[i].x0 < 0 || all[i].y0 < 0 || all[i].x1 > 400 || all[i].y1 > 400)
        bad++;
      for (int j = i + 1; j < n; j++)
        bad += overlaps(all[i], all[j]);
    }
    CHECK(bad == 0);
    /* Bottom-left stack read upward: credit, scale bar, legend. Inset top-right. */
    CHECK(fs->scalebar.y1 <= fs->credit.y0 && fs->legend.y1 <= fs->scalebar.y0);
    CHECK(fs->inset.x1 <= 400 && fs->inset.x0 > 200 && fs->inset.y0 < 100);
    /* Legend swatches: the claim's red as dashes (red and white alternate along the row) and
     * the marker's blue. */
    CHECK(count_in(&im, fs->legend, 0xc8102e, 40) > 10);
    CHECK(count_in(&im, fs->legend, 0x0072b2, 40) > 10);
    int runs = 0;
    for (int y = (int)fs->legend.y0; y < (int)fs->legend.y1 && runs < 3; y++) {
      int r = 0;
      bool was = false;
      for (int x = (int)fs->legend.x0; x < (int)fs->legend.x0 + 60; x++) {
        bool red = near_rgb(&im, x, y, 0xc8102e, 40);
        r += red && !was;
        was = red;
      }
      if (r > runs)
        runs = r;
    }
    CHECK(runs >= 3);
    /* The 110 E meridian is at x = 200 (20 px per degree), 2 px wide: pixels 199 and 200. */
    CHECK(near_rgb(&im, 199, 150, 0xff00ff, 20) && near_rgb(&im, 200, 150, 0xff00ff, 20));
    CHECK(near_rgb(&im, 196, 150, 0xffffff, 0));
    /* The 10 N parallel at y = 200. */
    CHECK(near_rgb(&im, 300, 199, 0xff00ff, 20) && near_rgb(&im, 300, 200, 0xff00ff, 20));
    /* Degree labels: 110 E on the frame, all on the page, none on the furniture. */
    bool found = false;
    for (size_t i = 0; i < fs->nglabels; i++) {
      found |= strcmp(fs->glabels[i].text, "110\xc2\xb0"
                                           "E") == 0;
      shoal_box b = {fs->glabels[i].x, fs->glabels[i].y, fs->glabels[i].x + 1,
                     fs->glabels[i].y + 1};
      for (int j = 0; j < n; j++)
        CHECK(!overlaps(b, all[j]));
    }
    CHECK(found);
    /* The inset shows the main frame as a green box. */
    CHECK(count_in(&im, fs->inset, 0x00ff00, 60) > 40);
  }
  shoal_scene_free(sc);
  shoal_map_free(m);
  cairo_surface_destroy(im.s);

  /* A conic map centred far west of its central meridian: north leans clockwise. */
  sc = draw("\"+proj=lcc +lat_1=4 +lat_2=20 +lat_0=10 +lon_0=150 +datum=WGS84\"", "", cache, &m,
            &im);
  fs = sc ? sc->furn : NULL;
  if (fs) {
    CHECK(fs->north_shown);
    /* Convergence of a Lambert conic: n (lon0 - lon), n = 0.2086 for parallels 4 and 20. */
    double expect = (150 - sc->centre_lon) * 0.2086;
    CHECK_NEAR(fs->north_angle * 180 / M_PI, expect, 0.05);
    CHECK(shoal_furniture_layout(fs, NULL, NULL) == SHOAL_OK && fs->has_north);
    CHECK(count_in(&im, fs->north, 0x333333, 30) > 20);
  }
  shoal_scene_free(sc);
  shoal_map_free(m);
  cairo_surface_destroy(im.s);
}

/* Legend and scale bar half-way down the right edge: the legend centred on the map area, the
 * scale bar moved down below it, both clear of the inset in the top-right corner. */
static void test_middle(shoal_datacache *cache)
{
  shoal_map *m = NULL;
  image im;
  shoal_scene *sc =
      draw("\"EPSG:4326\"", "  legend: {position: right}\n  scale-bar: {position: right}\n", cache,
           &m, &im);
  struct shoal_furnstate *fs = sc ? sc->furn : NULL;
  CHECK(fs != NULL);
  if (fs) {
    CHECK(shoal_furniture_layout(fs, NULL, NULL) == SHOAL_OK);
    CHECK(fs->has_legend && fs->has_scalebar && fs->has_inset);
    const shoal_box *fr = &fs->frame, *l = &fs->legend, *sb = &fs->scalebar;
    CHECK_NEAR((l->y0 + l->y1) / 2, (fr->y0 + fr->y1) / 2, 0.5);
    CHECK(l->x1 > fr->x1 - 20 && l->x1 <= fr->x1 && sb->x1 > fr->x1 - 20);
    CHECK(sb->y0 >= l->y1 && sb->y1 <= fr->y1);
    CHECK(!overlaps(*l, fs->inset) && !overlaps(*sb, fs->inset) && !overlaps(*l, *sb));
    CHECK(count_in(&im, fs->legend, 0xc8102e, 40) > 10); /* drawn where it was laid out */
  }
  shoal_scene_free(sc);
  shoal_map_free(m);
  cairo_surface_destroy(im.s);
}

static void test_missing_inset_data(shoal_datacache *cache)
{
  put("bad.yaml", "map:\n  extent: [100, 0, 120, 20]\n"
                  "furniture:\n  inset: {extent: [90, 0, 130, 30], data: nowhere.shp}\n");
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = shoal_map_load(tpath("bad.yaml"), NULL, 0, d);
  shoal_scene *sc = NULL;
  CHECK(m && shoal_scene_prepare(m, cache, NULL, false, d, &sc) == SHOAL_ERR_NOINPUT);
  const shoal_msg *e = shoal_diag_get(d, 0);
  CHECK(e && e->line == 4 && e->col == 43);
  char want[512];
  snprintf(want, sizeof want, "cannot open inset data file '%s': No such file or directory",
           tpath("nowhere.shp"));
  if (e)
    CHECK_STR(e->text, want);
  shoal_scene_free(sc);
  shoal_map_free(m);
  shoal_diag_free(d);
}

static void cleanup(void)
{
  static const char *const names[] = {"m.yaml", "d.yaml", "bad.yaml", "lines.csv", "points.csv"};
  static const char *const stems[] = {"lines", "points"};
  static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink(tpath(names[i]));
  for (size_t i = 0; i < 2; i++)
    for (size_t j = 0; j < sizeof exts / sizeof exts[0]; j++) {
      char n[64];
      snprintf(n, sizeof n, "%s%s", stems[i], exts[j]);
      unlink(tpath(n));
    }
  rmdir(dir);
}

int main(void)
{
  if (!scratch_begin("furniture"))
    return 1;
  test_defaults();
  test_values();
  test_errors();
  test_graticule_text();
  make_data();
  shoal_datacache *cache = shoal_datacache_new();
  test_drawn(cache);
  test_middle(cache);
  test_missing_inset_data(cache);
  shoal_datacache_free(cache);
  cleanup();
  scratch_end();
  return check_done();
}
