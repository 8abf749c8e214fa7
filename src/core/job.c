/* One map from config to files. The job owns its PROJ context, text context and diagnostics,
 * so batch can run jobs side by side; only the data cache is shared. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/model.h"
#include "core/job.h"
#include "core/scene.h"
#include "draw/geocache.h"
#include "draw/surface.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

shoal_status shoal_job_run(const shoal_job_opts *o, shoal_diag *d, shoal_job_stats *stats)
{
  double t0 = now_s();
  memset(stats, 0, sizeof *stats);
  /* Check the outputs before any work, so a typo in a name fails fast. */
  for (size_t i = 0; i < o->noutputs; i++) {
    shoal_format f;
    if (!shoal_format_from_path(o->outputs[i], &f)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "cannot tell the format of '%s' (use .png, .pdf or .svg)", o->outputs[i]);
      return SHOAL_ERR_USAGE;
    }
  }
  shoal_map *m = shoal_map_load(o->map_path, o->sets, o->nsets, d);
  if (!m)
    return shoal_diag_status(d) ? shoal_diag_status(d) : SHOAL_ERR_DATA;
  if (o->width > 0)
    m->width = o->width;
  if (o->height > 0)
    m->height = o->height;
  if (o->scale > 0)
    m->scale = o->scale;
  shoal_datacache *own = NULL, *cache = o->cache;
  if (!cache)
    cache = own = shoal_datacache_new();
  shoal_geocache *own_geo = NULL, *geo = o->geo;
  if (!geo)
    geo = own_geo = shoal_geocache_new();
  shoal_scene *sc = NULL;
  shoal_status st = cache && geo ? shoal_scene_prepare(m, cache, geo, o->strict_labels, d, &sc)
                                 : SHOAL_ERR_NOMEM;
  stats->seconds_load = now_s() - t0;
  double t1 = now_s();
  for (size_t i = 0; st == SHOAL_OK && !o->check_only && i < o->noutputs; i++) {
    shoal_format f;
    shoal_format_from_path(o->outputs[i], &f);
    shoal_surface *s = NULL;
    st = shoal_surface_new(f, o->outputs[i], m->width, m->height, m->scale, m->title, d, &s);
    if (st != SHOAL_OK)
      break;
    st = shoal_scene_draw(sc, shoal_surface_cairo(s), d);
    if (st == SHOAL_OK)
      st = shoal_surface_finish(s, d);
    else
      shoal_surface_abort(s);
  }
  stats->seconds_draw = now_s() - t1;
  if (sc)
    shoal_scene_stats(sc, stats);
  shoal_scene_free(sc);
  shoal_geocache_free(own_geo);
  shoal_datacache_free(own);
  shoal_map_free(m);
  if (st == SHOAL_OK && shoal_diag_nerrors(d))
    st = shoal_diag_status(d);
  return st;
}
