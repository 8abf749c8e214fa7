/* Placement: the README's first map (styles/minimal.yaml) rendered through the library has land
 * and sea where they are (Hainan, Luzon, the open sea), and markers in an EPSG:3857 map sit on
 * the pixel that PROJ and the view put them on, at scale 1 and 2. */
#include <cairo.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/job.h"
#include "data/import.h"
#include "geo/view.h"
#include "geo/xform.h"

#include "scratch.h"

/* Render map_path to out (PNG) with a scale override (0 = keep); true on success. */
static bool render(const char *map_path, const char *out, double scale)
{
  shoal_diag *d = shoal_diag_new();
  const char *outs[] = {out};
  shoal_job_opts o = {0};
  o.map_path = map_path;
  o.outputs = outs;
  o.noutputs = 1;
  o.scale = scale;
  shoal_job_stats stats;
  shoal_status st = shoal_job_run(&o, d, &stats);
  if (st != SHOAL_OK)
    shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  return st == SHOAL_OK;
}

/* A PNG read back; pixels as 0xRRGGBB (the test images are opaque). */
typedef struct image {
  cairo_surface_t *s;
  int w, h, stride;
  const unsigned char *data;
} image;

static bool image_load(image *im, const char *path)
{
  im->s = cairo_image_surface_create_from_png(path);
  if (cairo_surface_status(im->s) != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "cannot read %s: %s\n", path,
            cairo_status_to_string(cairo_surface_status(im->s)));
    cairo_surface_destroy(im->s);
    im->s = NULL;
    return false;
  }
  cairo_surface_flush(im->s);
  im->w = cairo_image_surface_get_width(im->s);
  im->h = cairo_image_surface_get_height(im->s);
  im->stride = cairo_image_surface_get_stride(im->s);
  im->data = cairo_image_surface_get_data(im->s);
  return true;
}

static void image_free(image *im)
{
  if (im->s)
    cairo_surface_destroy(im->s);
  im->s = NULL;
}

/* 0xRRGGBB at (x, y), or 0xff000000 outside the image (never equal to a colour). */
static uint32_t pixel(const image *im, int x, int y)
{
  if (x < 0 || y < 0 || x >= im->w || y >= im->h)
    return 0xff000000u;
  uint32_t v;
  memcpy(&v, im->data + (size_t)y * (size_t)im->stride + (size_t)x * 4, 4);
  return v & 0xffffffu;
}

/* CHECK that pixel (x, y) is (or is not) colour want, printing what it was. */
static void check_pixel(const image *im, int x, int y, uint32_t want, bool is, const char *what)
{
  uint32_t got = pixel(im, x, y);
  check_count++;
  if ((got == want) != is) {
    check_failures++;
    fprintf(stderr, "%s: pixel (%d, %d) is #%06x, expected %s#%06x\n", what, x, y, (unsigned)got,
            is ? "" : "anything but ", (unsigned)want);
  }
}

/* The README's first example: land_h in EPSG:4326, extent [105,2,122,20] on 800x600. */
static void test_minimal(void)
{
  const char *png = tpath("minimal.png");
  CHECK(render(SHOAL_SOURCE_DIR "/styles/minimal.yaml", png, 0));
  image im;
  if (!image_load(&im, png))
    return;
  CHECK(im.w == 800 && im.h == 600);

  /* The view as the renderer makes it: 18 degrees of latitude fill 600 px (k = 33.33 px per
   * degree), so 24 degrees of longitude show, 3.5 either side of 105..122. */
  const double want[4] = {105, 2, 122, 20};
  shoal_view v;
  CHECK(shoal_view_fit(&v, 800, 600, 1.0, want));
  CHECK_NEAR(v.k, 600.0 / 18.0, 1e-9);
  CHECK_NEAR(v.ext[0], 101.5, 1e-9);
  CHECK_NEAR(v.ext[2], 125.5, 1e-9);
  CHECK_NEAR(v.ext[1], 2, 1e-9);
  CHECK_NEAR(v.ext[3], 20, 1e-9);

  static const struct {
    const char *name;
    double lon, lat;
    uint32_t colour;
  } spots[] = {
      {"Hainan", 109.6, 19.2, 0x00ff00},         {"central Luzon", 121.0, 16.0, 0x00ff00},
      {"open sea", 113.0, 14.0, 0x0000ff},       {"Gulf of Tonkin", 107.5, 19.5, 0x0000ff},
      {"Borneo interior", 116.0, 4.0, 0x00ff00}, {"Mekong delta sea", 107.5, 8.0, 0x0000ff},
  };
  for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
    double px = shoal_view_px(&v, spots[i].lon), py = shoal_view_py(&v, spots[i].lat);
    /* the same pixel by hand, so the test does not only trust the view module */
    CHECK_NEAR(px, (spots[i].lon - 101.5) * 600.0 / 18.0, 1e-6);
    CHECK_NEAR(py, (20.0 - spots[i].lat) * 600.0 / 18.0, 1e-6);
    int x = (int)floor(px), y = (int)floor(py);
    for (int dy = -1; dy <= 1; dy++)
      for (int dx = -1; dx <= 1; dx++)
        check_pixel(&im, x + dx, y + dy, spots[i].colour, true, spots[i].name);
  }
  image_free(&im);
  unlink(png);
}

/* Web Mercator on the WGS84 sphere radius, independent of PROJ. */
static void merc(double lon, double lat, double *x, double *y)
{
  const double R = 6378137.0, d2r = M_PI / 180.0;
  *x = R * lon * d2r;
  *y = R * log(tan(M_PI / 4 + lat * d2r / 2));
}

/* Markers in EPSG:3857, placed where PROJ + the view say, to the pixel. */
static void test_markers(void)
{
  static const double pts[][2] = {{107.3, 4.2}, {114.55, 11.3}, {120.7, 18.9}, {109.91, 15.07}};
  enum { NPTS = sizeof pts / sizeof pts[0] };
  char csv[512];
  size_t o = (size_t)snprintf(csv, sizeof csv, "id,lon,lat\n");
  for (int i = 0; i < NPTS; i++)
    o += (size_t)snprintf(csv + o, sizeof csv - o, "p%d,%.2f,%.2f\n", i, pts[i][0], pts[i][1]);
  put("pts.csv", csv);
  shoal_diag *d = shoal_diag_new();
  shoal_import_opts io = {0};
  io.in = tpath("pts.csv");
  io.out = tpath("pts.shp");
  shoal_status st = shoal_import_csv(&io, d);
  CHECK(st == SHOAL_OK);
  if (st != SHOAL_OK) {
    shoal_diag_print(d, stderr, 1);
    shoal_diag_free(d);
    return;
  }
  shoal_diag_free(d);

  put("markers.yaml", "map:\n"
                      "  size: [600, 500]\n"
                      "  crs: \"EPSG:3857\"\n"
                      "  extent: [105, 2, 122, 20]\n"
                      "  background: \"#ffffff\"\n"
                      "layers:\n"
                      "  - name: pts\n"
                      "    data: pts.shp\n"
                      "    marker: circle\n"
                      "    marker-size: 8\n"
                      "    fill: \"#ff0000\"\n"
                      "    stroke: none\n"
                      "furniture:\n"
                      "  legend: false\n"
                      "  scale-bar: false\n"
                      "  graticule: false\n"
                      "  north-arrow: false\n");

  shoal_proj *p = shoal_proj_new();
  shoal_xform *t = NULL;
  char err[256];
  CHECK(p && shoal_xform_new(p, "EPSG:4326", "EPSG:3857", &t, err, sizeof err) == SHOAL_OK);
  if (!t) {
    shoal_proj_free(p);
    return;
  }
  const double ext[4] = {105, 2, 122, 20};
  double want[4];
  CHECK(shoal_xform_bounds(t, ext, want, 21, false) == SHOAL_OK);
  /* Mercator keeps a lon/lat box a box: the bounds are the projected corners. */
  double x0, y0, x1, y1;
  merc(105, 2, &x0, &y0);
  merc(122, 20, &x1, &y1);
  CHECK_NEAR(want[0], x0, 1e-3);
  CHECK_NEAR(want[1], y0, 1e-3);
  CHECK_NEAR(want[2], x1, 1e-3);
  CHECK_NEAR(want[3], y1, 1e-3);

  static const double scales[] = {1, 2};
  for (size_t si = 0; si < 2; si++) {
    double s = scales[si];
    const char *png = tpath(si ? "markers2.png" : "markers1.png");
    CHECK(render(tpath("markers.yaml"), png, s));
    image im;
    if (!image_load(&im, png))
      continue;
    int W = (int)(600 * s + 0.5), H = (int)(500 * s + 0.5);
    CHECK(im.w == W && im.h == H);
    shoal_view v;
    CHECK(shoal_view_fit(&v, W, H, s, want));
    int r_in = (int)(2 * s), r_out1 = (int)(5 * s), r_out2 = (int)(6 * s);
    for (int i = 0; i < NPTS; i++) {
      double xy[2] = {pts[i][0], pts[i][1]};
      CHECK(shoal_xform_fwd(t, xy, 1) == 1);
      double mx, my;
      merc(pts[i][0], pts[i][1], &mx, &my);
      CHECK_NEAR(xy[0], mx, 1e-3);
      CHECK_NEAR(xy[1], my, 1e-3);
      double px = shoal_view_px(&v, xy[0]), py = shoal_view_py(&v, xy[1]);
      int x = (int)floor(px), y = (int)floor(py);
      char what[64];
      snprintf(what, sizeof what, "marker p%d at scale %g (%.2f, %.2f)", i, s, px, py);
      /* Radius 4 CSS px: the centre pixel and those 2 px off it are fully covered... */
      check_pixel(&im, x, y, 0xff0000, true, what);
      check_pixel(&im, x - r_in, y, 0xff0000, true, what);
      check_pixel(&im, x + r_in, y, 0xff0000, true, what);
      check_pixel(&im, x, y - r_in, 0xff0000, true, what);
      check_pixel(&im, x, y + r_in, 0xff0000, true, what);
      /* ...and 5 and 6 px off it the marker has not reached: background, untouched. */
      const int off[2] = {r_out1, r_out2};
      for (int k = 0; k < 2; k++) {
        check_pixel(&im, x - off[k], y, 0xffffff, true, what);
        check_pixel(&im, x + off[k], y, 0xffffff, true, what);
        check_pixel(&im, x, y - off[k], 0xffffff, true, what);
        check_pixel(&im, x, y + off[k], 0xffffff, true, what);
      }
    }
    /* nothing else was drawn: every red pixel is within a marker's reach */
    size_t stray = 0;
    for (int y = 0; y < im.h; y++)
      for (int x = 0; x < im.w; x++) {
        if (pixel(&im, x, y) == 0xffffff)
          continue;
        bool near = false;
        for (int i = 0; i < NPTS && !near; i++) {
          double xy[2] = {pts[i][0], pts[i][1]};
          shoal_xform_fwd(t, xy, 1);
          double dx = x + 0.5 - shoal_view_px(&v, xy[0]), dy = y + 0.5 - shoal_view_py(&v, xy[1]);
          near = dx * dx + dy * dy <= (4 * s + 1.5) * (4 * s + 1.5);
        }
        stray += !near;
      }
    CHECK(stray == 0);
    if (stray)
      fprintf(stderr, "%zu non-background pixels away from every marker at scale %g\n", stray, s);
    image_free(&im);
    unlink(png);
  }
  shoal_xform_free(t);
  shoal_proj_free(p);
}

/* Render map_path at width x height CSS px and scale; true on success. */
static bool render_sized(const char *map_path, const char *out, int width, int height, double scale)
{
  shoal_diag *d = shoal_diag_new();
  const char *outs[] = {out};
  shoal_job_opts o = {0};
  o.map_path = map_path;
  o.outputs = outs;
  o.noutputs = 1;
  o.width = width;
  o.height = height;
  o.scale = scale;
  shoal_status st = shoal_job_run(&o, d, NULL);
  if (st != SHOAL_OK)
    shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  return st == SHOAL_OK;
}

/* Fractional scales and odd sizes: each marker's centre of coverage (red over white, so the
 * coverage of a pixel is 1 - green) lies within 0.25 device px of where PROJ puts the point on
 * the CSS-px layout, times the scale. Uses pts.shp and markers.yaml from test_markers. */
static void test_fractional(void)
{
  static const double pts[][2] = {{107.3, 4.2}, {114.55, 11.3}, {120.7, 18.9}, {109.91, 15.07}};
  static const struct {
    int w, h;
    double s;
  } cases[] = {{801, 601, 1.5},  {601, 401, 1.5},  {333, 257, 1.5},
               {801, 601, 1.25}, {799, 603, 0.75}, {600, 500, 1.5}};
  shoal_proj *p = shoal_proj_new();
  shoal_xform *t = NULL;
  char err[256];
  CHECK(p && shoal_xform_new(p, "EPSG:4326", "EPSG:3857", &t, err, sizeof err) == SHOAL_OK);
  const double ext[4] = {105, 2, 122, 20};
  double want[4];
  CHECK(t && shoal_xform_bounds(t, ext, want, 21, false) == SHOAL_OK);
  for (size_t c = 0; t && c < sizeof cases / sizeof cases[0]; c++) {
    const char *png = tpath("frac.png");
    double s = cases[c].s;
    CHECK(render_sized(tpath("markers.yaml"), png, cases[c].w, cases[c].h, s));
    image im;
    if (!image_load(&im, png))
      continue;
    int W = (int)(cases[c].w * s + 0.5), H = (int)(cases[c].h * s + 0.5);
    CHECK(im.w == W && im.h == H);
    /* Where PROJ puts the point on the page laid out in CSS px, times the scale: the layout
     * is the same at every scale, whatever the rounding of the page to whole pixels. */
    shoal_view css;
    CHECK(shoal_view_fit(&css, cases[c].w, cases[c].h, 1, want));
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
      double xy[2] = {pts[i][0], pts[i][1]};
      CHECK(shoal_xform_fwd(t, xy, 1) == 1);
      double px = s * shoal_view_px(&css, xy[0]), py = s * shoal_view_py(&css, xy[1]);
      int r = (int)ceil(4 * s) + 2;
      double sum = 0, sx = 0, sy = 0;
      for (int y = (int)floor(py) - r; y <= (int)floor(py) + r; y++)
        for (int x = (int)floor(px) - r; x <= (int)floor(px) + r; x++) {
          uint32_t v32 = pixel(&im, x, y);
          if (v32 == 0xff000000u)
            continue;
          double a = 1.0 - (double)((v32 >> 8) & 0xff) / 255.0;
          sum += a;
          sx += a * (x + 0.5);
          sy += a * (y + 0.5);
        }
      CHECK(sum > 0);
      if (sum <= 0)
        continue;
      double cx = sx / sum, cy = sy / sum;
      check_count++;
      if (!(fabs(cx - px) <= 0.25 && fabs(cy - py) <= 0.25)) {
        check_failures++;
        fprintf(stderr,
                "%dx%d at scale %g: marker p%zu drawn at (%.3f, %.3f), PROJ says (%.3f, %.3f)\n",
                cases[c].w, cases[c].h, s, i, cx, cy, px, py);
      }
    }
    image_free(&im);
    unlink(png);
  }
  shoal_xform_free(t);
  shoal_proj_free(p);
}

int main(void)
{
  if (!scratch_begin("placement"))
    return 1;
  test_minimal();
  test_markers();
  test_fractional();

  const char *names[] = {"pts.csv", "pts.shp", "pts.shx",     "pts.dbf",
                         "pts.prj", "pts.cpg", "markers.yaml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink(tpath(names[i]));
  scratch_end();
  return check_done();
}
