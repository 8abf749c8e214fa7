/* One map from config to files. The job owns its PROJ context, text context and diagnostics,
 * so batch can run jobs side by side; only the data cache is shared. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "config/model.h"
#include "core/job.h"
#include "core/scene.h"
#include "core/validate.h"
#include "layer/geocache.h"
#include "draw/quant_load.h"
#include "draw/surface.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool mtime_of(const char *path, struct timespec *t)
{
  struct stat st;
  if (stat(path, &st) != 0)
    return false;
  *t = st.st_mtim;
  return true;
}

static bool newer(struct timespec a, struct timespec b)
{
  return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

/* Every output exists and is newer than the map, its includes, its data and the batch file. */
static bool outputs_fresh(const shoal_job_opts *o, const shoal_map *m)
{
  struct timespec oldest_out = {0, 0}, newest_in = {0, 0}, t;
  for (size_t i = 0; i < o->noutputs; i++) {
    if (!mtime_of(o->outputs[i], &t))
      return false;
    if (i == 0 || newer(oldest_out, t))
      oldest_out = t;
  }
  for (size_t i = 0; i < m->ndeps; i++) {
    if (!mtime_of(m->deps[i], &t))
      return false;
    if (newer(t, newest_in))
      newest_in = t;
  }
  if (o->extra_dep && mtime_of(o->extra_dep, &t) && newer(t, newest_in))
    newest_in = t;
  return o->noutputs > 0 && newer(oldest_out, newest_in);
}

/* For watch mode: the files to watch, also when the map failed to load (then the map file and
 * every file an error names, e.g. a broken include). */
static void copy_deps(const shoal_job_opts *o, const shoal_map *m, shoal_diag *d)
{
  char **list = NULL;
  size_t n = 0;
  size_t want = m ? m->ndeps : 1 + shoal_diag_count(d);
  list = calloc(want ? want : 1, sizeof *list);
  if (list) {
    if (m) {
      for (size_t i = 0; i < m->ndeps; i++)
        if ((list[n] = shoal_strdup(m->deps[i])))
          n++;
    } else {
      if ((list[n] = shoal_strdup(o->map_path)))
        n++;
      for (size_t i = 0; i < shoal_diag_count(d); i++) {
        const shoal_msg *msg = shoal_diag_get(d, i);
        if (msg->file && access(msg->file, F_OK) == 0 && (list[n] = shoal_strdup(msg->file)))
          n++;
      }
    }
  }
  *o->deps_out = list;
  *o->ndeps_out = n;
}

/* Every output's format is known from its name: checked before any work, so that a typo in a
 * name fails fast. */
/* An output's format: its extension's, else --format's (standard output has no name). */
static bool output_format(const shoal_job_opts *o, size_t i, shoal_format *f)
{
  return shoal_format_from_path(o->outputs[i], f) ||
         (o->format && shoal_format_from_name(o->format, f));
}

static shoal_status check_formats(const shoal_job_opts *o, shoal_diag *d)
{
  size_t nstdout = 0;
  for (size_t i = 0; i < o->noutputs; i++) {
    shoal_format f;
    if (strcmp(o->outputs[i], "-") == 0 && (nstdout++ || !o->format)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       nstdout > 1 ? "only one output can go to standard output (-o -)"
                                   : "-o - (standard output) needs --format png, pdf or svg");
      return SHOAL_ERR_USAGE;
    }
    if (!output_format(o, i, &f)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "cannot tell the format of '%s' (use .png, .pdf or .svg)", o->outputs[i]);
      return SHOAL_ERR_USAGE;
    }
  }
  return SHOAL_OK;
}

/* Read the map with every check that needs no data. Returns the model, or NULL when it has
 * errors (all of them reported: the scene is never built from a model with errors, so its
 * languages and fonts are checked here). Caller frees with shoal_map_free. */
static shoal_map *load_map(const shoal_job_opts *o, size_t before, shoal_diag *d)
{
  shoal_map *m = shoal_map_read(o->map_path, o->sets, o->nsets, o->search, d);
  if (m && shoal_diag_nerrors(d) == before)
    return m;
  shoal_validate_map(m, false, d);
  shoal_map_free(m);
  return NULL;
}

static bool cancelled(const shoal_job_opts *o) { return o->cancel && atomic_load(o->cancel) != 0; }

/* Draw every output of the prepared scene; stops at the first failure or when cancelled (the
 * surface removes its temporary file). */
static shoal_status draw_outputs(const shoal_job_opts *o, shoal_map *m, shoal_scene *sc,
                                 shoal_diag *d)
{
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; st == SHOAL_OK && i < o->noutputs; i++) {
    shoal_format f;
    output_format(o, i, &f);
    if (f == SHOAL_FMT_SVG && m->svg_outlines)
      f = SHOAL_FMT_SVG_OUTLINES;
    shoal_surface *s = NULL;
    if (cancelled(o))
      return SHOAL_ERR_INTERRUPTED;
    /* A PNG of a map with nothing over its layers is drawn in bands on every core, without a
     * page-sized image (core/sceneband.c says why the others are not). */
    int palette = o->png_palette ? (o->png_palette < 0 ? 0 : o->png_palette) : m->png_palette;
    /* (a palette PNG is quantised from the whole page, so it is not banded) */
    bool banded = f == SHOAL_FMT_PNG && !palette && shoal_scene_bandable(sc);
    const char *why = f == SHOAL_FMT_PNG && palette ? shoal_quant_load() : NULL;
    if (why) { /* libimagequant is loaded on first use: said before the page is drawn */
      shoal_diag_error(d, SHOAL_ERR_INTERNAL, NULL, 0, 0, "%s", why);
      st = SHOAL_ERR_INTERNAL;
      break;
    }
    if (banded)
      st = shoal_surface_new_banded(o->outputs[i], m->width, m->height, m->scale, d, &s);
    else
      st = shoal_surface_new(f, o->outputs[i], m->width, m->height, m->scale, m->title, d, &s);
    if (st != SHOAL_OK)
      break;
    shoal_surface_set_cancel(s, o->cancel);
    if (banded) {
      shoal_surface_set_threads(s, o->threads);
      st = shoal_scene_draw_banded(sc, s, o->cancel, d);
    } else {
      shoal_surface_set_palette(s, palette);
      st = shoal_scene_draw(sc, shoal_surface_cairo(s), o->cancel, d);
    }
    if (st == SHOAL_OK && cancelled(o))
      st = SHOAL_ERR_INTERRUPTED;
    if (st == SHOAL_OK)
      st = shoal_surface_finish(s, d);
    else
      shoal_surface_abort(s);
  }
  return st;
}

/* A style file has nothing to draw: check its font, and refuse to render it. */
static shoal_status style_only(const shoal_job_opts *o, shoal_map *m, size_t before, shoal_diag *d)
{
  shoal_validate_map(m, true, d);
  if (!o->check_only)
    shoal_diag_error(d, SHOAL_ERR_DATA, o->map_path, 0, 0,
                     "this is a style file (it has no 'layers:'); include it from a map file");
  shoal_map_free(m);
  return shoal_diag_nerrors(d) > before ? shoal_diag_status(d) : SHOAL_OK;
}

/* Cairo's largest image side, in device pixels. */
#define MAX_SIDE 32767

/* The page fits the pixel budget; checked before anything the size of the page is allocated.
 * The error points at what set the size: the size key, or the command line. */
static shoal_status check_pixels(const shoal_job_opts *o, const shoal_map *m, shoal_diag *d)
{
  double limit = o->max_pixels > 0 ? o->max_pixels : SHOAL_JOB_MAX_PIXELS;
  double dw = floor(m->width * m->scale + 0.5), dh = floor(m->height * m->scale + 0.5);
  if (dw * dh <= limit && dw <= MAX_SIDE && dh <= MAX_SIDE)
    return SHOAL_OK;
  bool cli_size = o->width > 0 || o->height > 0;
  shoal_loc at = cli_size ? (shoal_loc){0} : m->size_loc;
  if (!at.file && !cli_size)
    at = m->scale_loc;
  const char *what = !cli_size      ? "the page of "
                     : o->extra_dep ? "the batch job's size "
                                    : "--size ";
  if (dw * dh > limit)
    shoal_diag_error_at(d, SHOAL_ERR_DATA, at,
                        "%s%dx%d px at scale %g is %.0f device pixels, over the limit of %.0f "
                        "(%g megapixels%s)",
                        what, m->width, m->height, m->scale, dw * dh, limit, limit / 1e6,
                        o->extra_dep ? "; shoal batch --max-pixels raises it"
                                     : "; shoal render --max-pixels raises it");
  else
    shoal_diag_error_at(d, SHOAL_ERR_DATA, at,
                        "%s%dx%d px at scale %g is %.0fx%.0f device pixels; a side may have at "
                        "most %d",
                        what, m->width, m->height, m->scale, dw, dh, MAX_SIDE);
  return SHOAL_ERR_DATA;
}

/* Prepare the scene and draw the outputs (none when only checking). */
static shoal_status prepare_and_draw(const shoal_job_opts *o, shoal_map *m, size_t before,
                                     shoal_diag *d, shoal_job_stats *stats, double t0)
{
  shoal_datacache *own = NULL, *cache = o->cache;
  if (!cache)
    cache = own = shoal_datacache_new();
  shoal_geocache *own_geo = NULL, *geo = o->geo;
  if (!geo)
    geo = own_geo = shoal_geocache_new();
  shoal_scene *sc = NULL;
  shoal_status st =
      cache && geo ? shoal_scene_prepare(m, cache, geo, o->strict_labels, d, &sc) : SHOAL_ERR_NOMEM;
  /* After the scene, whose stages stop at errors already in d. */
  shoal_validate_map(m, true, d);
  if (st == SHOAL_OK && shoal_diag_nerrors(d) > before) /* e.g. an unknown map font */
    st = shoal_diag_status(d);
  if (st == SHOAL_OK && cancelled(o))
    st = SHOAL_ERR_INTERRUPTED;
  stats->seconds_load = now_s() - t0;
  double t1 = now_s();
  if (st == SHOAL_OK && !o->check_only)
    st = draw_outputs(o, m, sc, d);
  stats->seconds_draw = now_s() - t1;
  if (sc)
    shoal_scene_stats(sc, stats);
  shoal_scene_free(sc);
  shoal_geocache_free(own_geo);
  shoal_datacache_free(own);
  return st;
}

shoal_status shoal_job_run(const shoal_job_opts *o, shoal_diag *d, shoal_job_stats *stats)
{
  double t0 = now_s();
  shoal_job_stats ignored;
  if (!stats)
    stats = &ignored;
  memset(stats, 0, sizeof *stats);
  if (cancelled(o))
    return SHOAL_ERR_INTERRUPTED;
  if (check_formats(o, d) != SHOAL_OK)
    return SHOAL_ERR_USAGE;
  size_t before = shoal_diag_nerrors(d);
  shoal_map *m = load_map(o, before, d);
  if (o->deps_out)
    copy_deps(o, m, d);
  if (!m)
    return shoal_diag_status(d) ? shoal_diag_status(d) : SHOAL_ERR_DATA;
  if (m->style_only)
    return style_only(o, m, before, d);
  if (o->skip_fresh && outputs_fresh(o, m)) {
    stats->skipped = true;
    shoal_map_free(m);
    return SHOAL_OK;
  }
  shoal_map_set_page(m, o->width, o->height, o->scale);
  shoal_status st = check_pixels(o, m, d);
  if (st == SHOAL_OK)
    st = prepare_and_draw(o, m, before, d, stats, t0);
  shoal_map_free(m);
  if (st == SHOAL_OK && shoal_diag_nerrors(d))
    st = shoal_diag_status(d);
  return st;
}
