/* Fuzz target: the geometry path of a layer. Random shapes and coordinates are cut at the
 * seam or clipped to the horizon of a map CRS, projected, repeated across 180, put in device
 * px, clipped to the page, simplified and drawn with Cairo; the seam and cap results are
 * checked (everything inside the strip or the cap).
 *
 * Input: byte 0 picks the map CRS (of CRS_LIST) and the extent; byte 1: bits 0-1 the kind
 * (point, line, polygon), bit 2 raw doubles instead of 16-bit coordinates, bits 3-7 the
 * simplify tolerance; byte 2: vertices per part (0 = 256). Then the vertices: 16-bit
 * little-endian pairs, x / 50 and y / 300 degrees (so past 540 and past the poles), or raw
 * 8-byte doubles (NaN, inf, 1e300). */
#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "geo/clip.h"
#include "geo/seam.h"
#include "geo/view.h"
#include "geo/xform.h"

static const char *const CRS_LIST[] = {
    "EPSG:4326",
    "EPSG:3857",
    "+proj=robin +lon_0=180",
    "+proj=eqc +lon_0=150",
    "EPSG:3832",
    "+proj=ortho +lat_0=12 +lon_0=115",
    "EPSG:32650",
    "+proj=laea +lat_0=-90 +lon_0=0",
};
#define NCRS (sizeof CRS_LIST / sizeof CRS_LIST[0])

/* Extents in lon/lat: the world, the South China Sea, across 180 two ways. */
static const double EXTENTS[4][4] = {
    {-180, -80, 180, 80}, {105, 2, 122, 24}, {100, -50, 240, 60}, {170, -30, 190, -10}};

/* One PROJ context and transformation per CRS, made on first use and kept for the process
 * (making them costs milliseconds, more than the rest of a run). */
static shoal_proj *g_proj;
static shoal_xform *g_xf[NCRS];

static shoal_xform *xform_for(size_t i)
{
  if (!g_proj && !(g_proj = shoal_proj_new()))
    abort();
  if (!g_xf[i] && shoal_xform_new(g_proj, "EPSG:4326", CRS_LIST[i], &g_xf[i], NULL, 0))
    abort();
  return g_xf[i];
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* The shape of the input into g; false when it has no vertex. */
static bool read_shape(const uint8_t *data, size_t size, bool raw, size_t per_part, shoal_geom *g)
{
  size_t step = raw ? 16 : 4, n = 0;
  for (size_t off = 0; off + step <= size && n < 100000; off += step, n++) {
    double x, y;
    if (raw) {
      memcpy(&x, data + off, 8);
      memcpy(&y, data + off + 8, 8);
    } else {
      x = (int16_t)rd16(data + off) / 50.0;
      y = (int16_t)rd16(data + off + 2) / 300.0;
    }
    if ((n % per_part == 0 || g->kind == SHOAL_GEOM_POINT) && !shoal_geom_begin_part(g))
      abort();
    if (!shoal_geom_add(g, x, y))
      abort();
  }
  return n > 0;
}

/* After the seam or cap, every vertex lies in the strip or the cap (sane input only). */
static void check_seam(const shoal_seam *s, const shoal_geom *g)
{
  for (size_t i = 0; i < g->npts; i++) {
    double x = g->xy[2 * i], y = g->xy[2 * i + 1];
    if (!isfinite(x) || !isfinite(y))
      continue;
    if (s->cut && (x < s->lon0 - 180 || x > s->lon0 + 180))
      abort();
    if (s->cap) {
      double d = 180 / M_PI *
                 acos(fmax(-1, fmin(1, sin(y * M_PI / 180) * sin(s->clat * M_PI / 180) +
                                           cos(y * M_PI / 180) * cos(s->clat * M_PI / 180) *
                                               cos((x - s->clon) * M_PI / 180))));
      if (d > s->crad + 1e-6)
        abort();
    }
  }
}

static void draw(const shoal_geom *g, int w, int h)
{
  cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr = cairo_create(sf);
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p]; i < g->parts[p + 1]; i++) {
      double x = g->xy[2 * i], y = g->xy[2 * i + 1];
      if (!isfinite(x) || !isfinite(y) || fabs(x) > 1e6 || fabs(y) > 1e6)
        continue; /* points are not clipped: skip what falls far off the page */
      if (i == g->parts[p])
        cairo_move_to(cr, x, y);
      else
        cairo_line_to(cr, x, y);
    }
  if (g->kind == SHOAL_GEOM_POLYGON) {
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_fill_preserve(cr);
  }
  cairo_stroke(cr);
  cairo_destroy(cr);
  cairo_surface_destroy(sf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 3 || size > (1u << 20))
    return 0;
  size_t ci = data[0] % NCRS;
  const double *ext = EXTENTS[(data[0] / NCRS) % 4];
  int kind = 1 + data[1] % 3;
  bool raw = data[1] & 4;
  double tol = (data[1] >> 3) / 8.0;
  size_t per_part = data[2] ? data[2] : 256;
  shoal_xform *xf = xform_for(ci);
  const shoal_seam *s = shoal_xform_seam(xf);

  shoal_view v;
  double want[4];
  if (shoal_xform_bounds(xf, ext, want, SHOAL_DENSIFY, false) != SHOAL_OK ||
      !shoal_view_fit(&v, 64, 48, 1, want))
    return 0;
  shoal_geom g, tmp, out;
  shoal_geom_init(&g, (shoal_geom_kind)kind);
  shoal_geom_init(&tmp, SHOAL_GEOM_NONE);
  shoal_geom_init(&out, SHOAL_GEOM_NONE);
  if (read_shape(data + 3, size - 3, raw, per_part, &g)) {
    bool sane = true;
    for (size_t i = 0; i < g.npts && sane; i++)
      sane = fabs(g.xy[2 * i]) < 500 && fabs(g.xy[2 * i + 1]) <= 90;
    if (!shoal_seam_apply(s, &g, &tmp))
      abort();
    if (sane)
      check_seam(s, &g);
    shoal_xform_fwd(xf, g.xy, g.npts);
    if (!shoal_seam_repeat(s, &g, &tmp, v.ext[0], v.ext[2]))
      abort();
    shoal_view_apply(&v, g.xy, g.npts);
    double rect[4] = {-16, -16, 80, 64};
    if (g.kind == SHOAL_GEOM_POLYGON)
      shoal_clip_polygon(&g, rect, &out);
    else if (g.kind == SHOAL_GEOM_LINE)
      shoal_clip_lines(&g, rect, &out);
    if (out.npts > 0 && tol > 0)
      shoal_simplify_geom(&out, tol);
    draw(g.kind == SHOAL_GEOM_POINT ? &g : &out, 64, 48);
  }
  shoal_geom_free(&g);
  shoal_geom_free(&tmp);
  shoal_geom_free(&out);
  return 0;
}
