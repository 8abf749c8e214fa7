/* Where a map CRS tears or hides lon/lat geometry (shoal_xform_seam): its seam, the period of
 * a cylindrical map, the latitude a Mercator stops at, or the cap an azimuthal view shows,
 * read from PROJ's description of the CRS and worked out by transforming points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/xform_priv.h"

/* The value of +key= in a PROJ string, or dflt when absent. */
static double proj_param(const char *s, const char *key, double dflt)
{
  char pat[24];
  snprintf(pat, sizeof pat, "+%s=", key);
  const char *at = strstr(s, pat);
  if (!at)
    return dflt;
  char *end = NULL;
  double v = strtod(at + strlen(pat), &end);
  return end && end != at + strlen(pat) && isfinite(v) ? v : dflt;
}

/* Radius (degrees) of the cap an azimuthal projection can show, or 0 for projections that
 * show the whole globe with a seam. Conservative: a little inside the true horizon, well
 * inside where a gnomonic or stereographic map explodes. */
static double cap_radius(const char *ps)
{
  char name[16] = "";
  const char *at = strstr(ps, "+proj=");
  if (at)
    snprintf(name, sizeof name, "%.*s", (int)strcspn(at + 6, " "), at + 6);
  double R = proj_param(ps, "R", proj_param(ps, "a", 6378137.0));
  if (strcmp(name, "ortho") == 0)
    return 89.5;
  if (strcmp(name, "nsper") == 0 || strcmp(name, "tpers") == 0 || strcmp(name, "geos") == 0) {
    double h = proj_param(ps, "h", strcmp(name, "geos") == 0 ? 35785831.0 : 0);
    return h > 0 ? acos(R / (R + h)) * 180.0 / M_PI - 0.5 : 89.5;
  }
  if (strcmp(name, "gnom") == 0)
    return 70;
  if (strcmp(name, "stere") == 0 || strcmp(name, "ups") == 0 || strcmp(name, "sterea") == 0)
    return 120;
  if (strcmp(name, "aeqd") == 0 || strcmp(name, "laea") == 0)
    return 179;
  return 0;
}

/* Whether lon0 - 180 .. lon0 + 180 repeats every period in x (same x at the equator and at
 * 50 degrees on both edges): lon/lat, Mercator, equirectangular, Miller... */
static void find_period(shoal_xform *t, shoal_seam *s)
{
  double e = 1e-7, lo = s->lon0 - 180 + e, hi = s->lon0 + 180 - e;
  double xy[8] = {lo, 0, hi, 0, lo, 50, hi, 50};
  if (shoal_xform_priv_trans(t, PJ_FWD, xy, 4) != 4)
    return;
  double w = xy[2] - xy[0], tol = fabs(w) * 1e-6;
  if (!(w > 0) || !isfinite(w) || fabs(xy[4] - xy[0]) > tol || fabs(xy[6] - xy[2]) > tol)
    return;
  s->periodic = true;
  s->period = w * 360.0 / (360.0 - 2 * e);
  s->wx0 = xy[0];
  s->wx1 = xy[2];
}

/* The highest latitude that projects at the central meridian, when the poles do not (a
 * Mercator), else 0. */
static double find_latmax(shoal_xform *t, double lon0)
{
  double xy[4] = {lon0, 90, lon0, -90};
  if (shoal_xform_priv_trans(t, PJ_FWD, xy, 2) == 2)
    return 0;
  double lo = 60, hi = 90;
  xy[0] = lon0;
  xy[1] = lo;
  if (shoal_xform_priv_trans(t, PJ_FWD, xy, 1) != 1)
    return 0;
  for (int i = 0; i < 40; i++) {
    xy[0] = lon0;
    xy[1] = (lo + hi) / 2;
    if (shoal_xform_priv_trans(t, PJ_FWD, xy, 1) == 1)
      lo = (lo + hi) / 2;
    else
      hi = (lo + hi) / 2;
  }
  return lo - 1e-6;
}

static void find_seam(shoal_xform *t)
{
  shoal_seam *s = &t->seam;
  memset(s, 0, sizeof *s);
  /* What the source stands for ("EPSG:4326" for an ESRI .prj) is quicker to parse. */
  const char *src = t->p->share ? shoal_projcache_canon(t->p->share, t->src) : NULL;
  if (!shoal_proj_is_geographic(t->p, src ? src : t->src))
    return; /* cutting works in lon/lat: only geographic sources */
  PJ *d = shoal_xform_priv_base_crs(t->p, t->dst);
  if (!d)
    return;
  PJ_TYPE ty = proj_get_type(d);
  const char *ps = NULL;
  if (ty == PJ_TYPE_GEOGRAPHIC_2D_CRS || ty == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
      ty == PJ_TYPE_GEOGRAPHIC_CRS) {
    s->cut = true; /* lon0 0: the map runs -180..180 */
  } else if ((ps = proj_as_proj_string(t->p->ctx, d, PJ_PROJ_5, NULL))) {
    double zone = proj_param(ps, "zone", 0);
    s->lon0 = zone > 0 ? 6 * zone - 183 : proj_param(ps, "lon_0", 0);
    s->crad = cap_radius(ps);
    if (s->crad > 0) {
      s->cap = true;
      s->clon = s->lon0;
      s->clat = proj_param(ps, "lat_0", 0);
      if (strstr(ps, "+proj=ups"))
        s->clat = strstr(ps, "+south") ? -90 : 90;
    } else {
      s->cut = true;
    }
  }
  proj_destroy(d);
  if (s->cut) {
    find_period(t, s);
    s->latmax = find_latmax(t, s->lon0);
  }
}

const shoal_seam *shoal_xform_seam(shoal_xform *t)
{
  if (t->seam_done)
    return &t->seam;
  xcache_entry *e = t->entry ? &t->p->cache[t->entry - 1] : NULL;
  shoal_projcache *c = t->p->share;
  if (e && e->seam_done) {
    t->seam = e->seam;
  } else if (!c || !shoal_projcache_seam_get(c, t->slot, &t->seam)) {
    find_seam(t);
    if (c)
      shoal_projcache_seam_put(c, t->slot, &t->seam);
  }
  if (e) {
    e->seam = t->seam;
    e->seam_done = true;
  }
  t->seam_done = true;
  return &t->seam;
}
