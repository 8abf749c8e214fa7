/* The PROJ adapter: CRS parsing, batch transformations, box transforms and WGS84 geodesics. */
#include "geo/xform.h"
#include "base/mem.h"
#include "geo/xform_priv.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest CRS definition quoted back in a message; a WKT can be pages long. */
#define DEF_QUOTE_MAX 60
/* Points per proj_trans_generic call when sampling a box ourselves (a stack buffer). */
#define SAMPLE_CHUNK 256
/* Upper bound on densify so a bad argument cannot make bounds sample forever. */
#define DENSIFY_MAX 500

/* PROJ reports why something failed only through its log; keeping the first error line
 * (the most specific one) gives messages like "crs not found" instead of an errno code. */
static void log_capture(void *data, int level, const char *text)
{
  shoal_proj *p = data;
  if (level > PJ_LOG_ERROR || p->msg[0] || !text)
    return;
  /* "proj_create: crs not found" -> "crs not found": the function name means nothing to a
   * map author. */
  if (strncmp(text, "proj_", 5) == 0) {
    const char *c = strstr(text, ": ");
    if (c && (size_t)(c - text) < 40)
      text = c + 2;
  }
  snprintf(p->msg, sizeof p->msg, "%s", text);
}

static void msg_reset(shoal_proj *p) { p->msg[0] = '\0'; }

shoal_proj *shoal_xform_priv_context(void)
{
  shoal_proj *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->ctx = proj_context_create();
  if (!p->ctx) {
    free(p);
    return NULL;
  }
  /* Our log function replaces PROJ's stderr printer, so nothing reaches the terminal
   * behind our back; ERROR level still lets the reasons through to it. */
  proj_log_func(p->ctx, p, log_capture);
  proj_log_level(p->ctx, PJ_LOG_ERROR);
  shoal_xform_priv_db_off(p);
  return p;
}

void shoal_proj_free(shoal_proj *p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->ncache; i++) {
    proj_destroy(p->cache[i].fast.step);
    proj_destroy(p->cache[i].pj);
    free(p->cache[i].src);
    free(p->cache[i].dst);
  }
  proj_context_destroy(p->ctx);
  if (p->own_share)
    shoal_projcache_free(p->share);
  free(p);
}

static void write_err(shoal_proj *p, const char *def, const char *fallback, char *err,
                      size_t errlen)
{
  if (!err || errlen == 0)
    return;
  const char *why = p->msg[0] ? p->msg : fallback;
  size_t dl = def ? strlen(def) : 0;
  int shown = dl > DEF_QUOTE_MAX ? DEF_QUOTE_MAX : (int)dl;
  snprintf(err, errlen, "cannot use CRS '%.*s%s': %s", shown, def ? def : "",
           dl > DEF_QUOTE_MAX ? "..." : "", why);
}

/* A "+proj=..." string without "+type=crs" is an operation to PROJ, not a CRS, but map
 * authors copy such strings from everywhere and mean the CRS. */
static bool is_bare_proj_string(const char *def)
{
  while (*def == ' ' || *def == '\t' || *def == '\n' || *def == '\r')
    def++;
  return (def[0] == '+' || strncmp(def, "proj=", 5) == 0) && !strstr(def, "type=crs");
}

/* False, with the reason in p->msg, for a projected CRS whose projection method PROJ does not
 * know: PROJ accepts such a WKT (an ESRI .prj with a misspelt PROJECTION[...]) and every
 * point then transforms to infinity, which would draw an empty layer without a word. */
static bool method_known(shoal_proj *p, PJ *crs)
{
  PJ *base = proj_get_type(crs) == PJ_TYPE_BOUND_CRS ? proj_get_source_crs(p->ctx, crs) : NULL;
  PJ *c = base ? base : crs;
  bool ok = true;
  if (proj_get_type(c) == PJ_TYPE_PROJECTED_CRS) {
    PJ *op = proj_crs_get_coordoperation(p->ctx, c);
    if (op && !proj_coordoperation_is_instantiable(p->ctx, op)) {
      const char *name = NULL;
      proj_coordoperation_get_method_info(p->ctx, op, &name, NULL, NULL);
      snprintf(p->msg, sizeof p->msg, "unknown projection method '%s'", name ? name : "?");
      ok = false;
    }
    proj_destroy(op);
  }
  proj_destroy(base);
  return ok;
}

/* The CRS def names, made as def says (use_db) or, for a known definition, from the same CRS
 * as a PROJ string, without proj.db. */
static PJ *make_crs(shoal_proj *p, const char *def, bool use_db)
{
  if (!def || !def[0]) {
    snprintf(p->msg, sizeof p->msg, "empty definition");
    return NULL;
  }
  shoal_knowncrs k;
  if (!use_db && shoal_xform_priv_known(def, &k)) {
    if (k.crs[0])
      def = k.crs;
  } else {
    shoal_xform_priv_need_db(p);
  }
  PJ *crs = proj_create(p->ctx, def);
  if (crs && !proj_is_crs(crs) && is_bare_proj_string(def)) {
    proj_destroy(crs);
    static const char suffix[] = " +type=crs";
    size_t dl = strlen(def);
    if (dl > SIZE_MAX - sizeof suffix)
      return NULL;
    char *full = malloc(dl + sizeof suffix);
    if (!full) {
      snprintf(p->msg, sizeof p->msg, "out of memory");
      return NULL;
    }
    memcpy(full, def, dl);
    memcpy(full + dl, suffix, sizeof suffix);
    crs = proj_create(p->ctx, full);
    free(full);
  }
  if (crs && !proj_is_crs(crs)) {
    proj_destroy(crs);
    snprintf(p->msg, sizeof p->msg, "not a coordinate reference system");
    return NULL;
  }
  if (crs && !method_known(p, crs)) {
    proj_destroy(crs);
    return NULL;
  }
  return crs;
}

PJ *shoal_xform_priv_crs(shoal_proj *p, const char *def) { return make_crs(p, def, false); }

shoal_status shoal_proj_check_crs(shoal_proj *p, const char *def, char *err, size_t errlen)
{
  shoal_crsfacts f;
  if (p->share && shoal_projcache_facts(p->share, def, &f))
    return SHOAL_OK;
  msg_reset(p);
  PJ *crs = shoal_xform_priv_crs(p, def);
  if (!crs) {
    write_err(p, def, "unknown or invalid CRS", err, errlen);
    return SHOAL_ERR_DATA;
  }
  proj_destroy(crs);
  return SHOAL_OK;
}

bool shoal_proj_is_geographic(shoal_proj *p, const char *def)
{
  shoal_crsfacts f;
  if (p->share && shoal_projcache_facts(p->share, def, &f))
    return f.geographic;
  msg_reset(p);
  PJ *crs = shoal_xform_priv_crs(p, def);
  if (!crs)
    return false;
  PJ_TYPE ty = proj_get_type(crs);
  if (ty == PJ_TYPE_BOUND_CRS) {
    /* A CRS with +towgs84 is wrapped in a bound CRS; what it shows is its source. */
    PJ *src = proj_get_source_crs(p->ctx, crs);
    ty = src ? proj_get_type(src) : PJ_TYPE_UNKNOWN;
    proj_destroy(src);
  }
  proj_destroy(crs);
  return ty == PJ_TYPE_GEOGRAPHIC_2D_CRS || ty == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
         ty == PJ_TYPE_GEOGRAPHIC_CRS;
}

/* Hand pj to the context's cache; false when the cache is full (the caller keeps it). */
static bool remember(shoal_proj *p, const char *src, const char *dst, PJ *pj, size_t slot)
{
  if (p->ncache >= XFORM_CACHE_MAX)
    return false;
  char *a = shoal_strdup(src), *b = shoal_strdup(dst);
  if (!a || !b) {
    free(a);
    free(b);
    return false;
  }
  p->cache[p->ncache++] = (xcache_entry){a, b, pj, slot, false, {0}, {0, false, 0, NULL}};
  return true;
}

/* From lon/lat s to projected d, d's conversion (whose source is d's lon/lat CRS, east and
 * north in degrees: already the visualisation order); the other way its inverse. */
static PJ *known_op(shoal_proj *p, PJ *s, PJ *d, bool from_ll)
{
  PJ *conv = proj_crs_get_coordoperation(p->ctx, from_ll ? d : s);
  if (!conv || from_ll)
    return conv;
  PJ *inv = proj_coordoperation_create_inverse(p->ctx, conv);
  proj_destroy(conv);
  return inv;
}

shoal_status shoal_xform_priv_build(shoal_proj *p, const char *src, const char *dst, PJ **pj,
                                    char *err, size_t errlen)
{
  *pj = NULL;
  PJ *s = NULL, *d = NULL, *op = NULL;
  shoal_knowncrs ks, kd;
  /* Without proj.db when both are known and one is lon/lat: the operation is then the
   * projected CRS's own conversion (or its inverse), as PROJ's search finds. */
  bool plain = shoal_xform_priv_known(src, &ks) && shoal_xform_priv_known(dst, &kd) &&
               (strcmp(src, dst) == 0 || ks.geographic != kd.geographic);
  p->built_db = !plain;
  msg_reset(p);
  s = make_crs(p, src, !plain);
  if (!s) {
    write_err(p, src, "unknown or invalid CRS", err, errlen);
    goto fail;
  }
  msg_reset(p);
  d = make_crs(p, dst, !plain);
  if (!d) {
    write_err(p, dst, "unknown or invalid CRS", err, errlen);
    goto fail;
  }
  /* Both ends are normalised to lon/lat order, so a difference in axis order alone does not
   * stop the fast path. */
  if (strcmp(src, dst) == 0 ||
      proj_is_equivalent_to(s, d, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS)) {
    proj_destroy(s);
    proj_destroy(d);
    return SHOAL_OK;
  }
  msg_reset(p);
  if (plain)
    op = known_op(p, s, d, ks.geographic);
  else
    op = proj_create_crs_to_crs_from_pj(p->ctx, s, d, NULL, NULL);
  if (!op) {
    write_err(p, src, "no transformation to the map CRS", err, errlen);
    goto fail;
  }
  *pj = proj_normalize_for_visualization(p->ctx, op);
  if (!*pj) {
    write_err(p, src, "cannot normalise axis order", err, errlen);
    goto fail;
  }
  proj_destroy(op);
  proj_destroy(s);
  proj_destroy(d);
  return SHOAL_OK;

fail:
  proj_destroy(op);
  proj_destroy(s);
  proj_destroy(d);
  return SHOAL_ERR_DATA;
}

shoal_status shoal_xform_new(shoal_proj *p, const char *src, const char *dst, shoal_xform **out,
                             char *err, size_t errlen)
{
  *out = NULL;
  shoal_xform *t = calloc(1, sizeof *t);
  if (t) {
    t->p = p;
    t->src = shoal_strdup(src);
    t->dst = shoal_strdup(dst);
  }
  if (!t || !t->src || !t->dst) {
    if (err && errlen)
      snprintf(err, errlen, "out of memory");
    shoal_xform_free(t);
    return SHOAL_ERR_NOMEM;
  }
  for (size_t i = 0; i < p->ncache; i++)
    if (strcmp(p->cache[i].src, src) == 0 && strcmp(p->cache[i].dst, dst) == 0) {
      t->pj = p->cache[i].pj;
      t->slot = p->cache[i].slot;
      t->entry = i + 1;
      *out = t;
      return SHOAL_OK;
    }
  /* The shared operation when there is one; building it here instead (as when the shared
   * cache is full, or the pair fails) also gives the reason for a failure. */
  if (!p->share || !shoal_projcache_op(p->share, p, src, dst, &t->pj, &t->slot)) {
    shoal_status st = shoal_xform_priv_build(p, src, dst, &t->pj, err, errlen);
    if (st != SHOAL_OK) {
      shoal_xform_free(t);
      return st;
    }
  }
  t->owned = !remember(p, src, dst, t->pj, t->slot);
  t->entry = t->owned ? 0 : p->ncache;
  *out = t;
  return SHOAL_OK;
}

void shoal_xform_free(shoal_xform *t)
{
  if (!t)
    return;
  if (t->owned)
    proj_destroy(t->pj);
  free(t->src);
  free(t->dst);
  free(t);
}

shoal_status shoal_xform_copy(shoal_proj *p, const shoal_xform *t, shoal_xform **out, char *err,
                              size_t errlen)
{
  return shoal_xform_new(p, t->src, t->dst, out, err, errlen);
}

bool shoal_xform_is_identity(const shoal_xform *t) { return t->pj == NULL; }

size_t shoal_xform_priv_trans(shoal_xform *t, PJ_DIRECTION dir, double *xy, size_t n)
{
  if (n == 0)
    return 0;
  if (t->pj && !shoal_xform_priv_fast(t, dir, xy, n)) {
    /* A failed point leaves errno set on the PJ; clear it so the next batch starts clean. */
    proj_errno_reset(t->pj);
    proj_trans_generic(t->pj, dir, xy, 2 * sizeof(double), n, xy + 1, 2 * sizeof(double), n, NULL,
                       0, 0, NULL, 0, 0);
    proj_errno_reset(t->pj);
  }
  size_t ok = 0;
  for (size_t i = 0; i < n; i++) {
    double *v = xy + 2 * i;
    /* One bad coordinate means the point is unusable; both become HUGE_VAL so later stages
     * test one value consistently. */
    if (isfinite(v[0]) && isfinite(v[1]))
      ok++;
    else
      v[0] = v[1] = HUGE_VAL;
  }
  return ok;
}

size_t shoal_xform_fwd(shoal_xform *t, double *xy, size_t n)
{
  return shoal_xform_priv_trans(t, PJ_FWD, xy, n);
}

size_t shoal_xform_inv(shoal_xform *t, double *xy, size_t n)
{
  return shoal_xform_priv_trans(t, PJ_INV, xy, n);
}

/* Our own bounds: a (densify+2)^2 grid over the box, not just its edges, because when the
 * edges lie outside the CRS's domain (a world box into an orthographic hemisphere) the
 * interior still transforms, and proj_trans_bounds, which walks only the edges, then
 * reports a box far too small without failing. */
static shoal_status sample_bounds(shoal_xform *t, PJ_DIRECTION dir, const double in[4],
                                  double out[4], int densify)
{
  double buf[2 * SAMPLE_CHUNK];
  size_t steps = (size_t)densify + 1, total = (steps + 1) * (steps + 1), used = 0, ok = 0;
  double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
  for (size_t k = 0; k < total; k++) {
    size_t i = k % (steps + 1), j = k / (steps + 1);
    /* The last sample is the box edge itself, not a rounded sum of steps. */
    buf[2 * used] = i == steps ? in[2] : in[0] + (in[2] - in[0]) * ((double)i / (double)steps);
    buf[2 * used + 1] = j == steps ? in[3] : in[1] + (in[3] - in[1]) * ((double)j / (double)steps);
    used++;
    if (used < SAMPLE_CHUNK && k + 1 < total)
      continue;
    shoal_xform_priv_trans(t, dir, buf, used);
    for (size_t m = 0; m < used; m++) {
      double x = buf[2 * m], y = buf[2 * m + 1];
      if (x == HUGE_VAL)
        continue;
      ok++;
      b[0] = x < b[0] ? x : b[0];
      b[1] = y < b[1] ? y : b[1];
      b[2] = x > b[2] ? x : b[2];
      b[3] = y > b[3] ? y : b[3];
    }
    used = 0;
  }
  if (!ok)
    return SHOAL_ERR_DATA;
  memcpy(out, b, sizeof b);
  return SHOAL_OK;
}

shoal_status shoal_xform_bounds(shoal_xform *t, const double in[4], double out[4], int densify,
                                bool inverse)
{
  for (int i = 0; i < 4; i++)
    if (!isfinite(in[i]))
      return SHOAL_ERR_DATA;
  if (in[0] > in[2] || in[1] > in[3])
    return SHOAL_ERR_DATA;
  if (!t->pj) {
    memcpy(out, in, 4 * sizeof *in);
    return SHOAL_OK;
  }
  densify = densify < 0 ? 0 : densify > DENSIFY_MAX ? DENSIFY_MAX : densify;
  PJ_DIRECTION dir = inverse ? PJ_INV : PJ_FWD;
  double o[4], g[4];
  shoal_status gst = sample_bounds(t, dir, in, g, densify);
  proj_errno_reset(t->pj);
  int done = proj_trans_bounds(t->p->ctx, t->pj, dir, in[0], in[1], in[2], in[3], &o[0], &o[1],
                               &o[2], &o[3], densify);
  proj_errno_reset(t->pj);
  /* xmin > xmax is PROJ's way of saying "crosses the antimeridian"; callers want one plain
   * box, so the sampled box of what transformed stands alone then. Otherwise PROJ's answer
   * knows things sampling misses (a pole inside the box) and the grid knows the interior:
   * take both. */
  if (!done || !isfinite(o[0]) || !isfinite(o[1]) || !isfinite(o[2]) || !isfinite(o[3]) ||
      o[0] > o[2] || o[1] > o[3]) {
    if (gst != SHOAL_OK)
      return gst;
    memcpy(out, g, sizeof g);
    return SHOAL_OK;
  }
  if (gst == SHOAL_OK) {
    o[0] = g[0] < o[0] ? g[0] : o[0];
    o[1] = g[1] < o[1] ? g[1] : o[1];
    o[2] = g[2] > o[2] ? g[2] : o[2];
    o[3] = g[3] > o[3] ? g[3] : o[3];
  }
  memcpy(out, o, sizeof o);
  return SHOAL_OK;
}

PJ *shoal_xform_priv_base_crs(shoal_proj *p, const char *def)
{
  msg_reset(p);
  PJ *crs = shoal_xform_priv_crs(p, def);
  if (crs && proj_get_type(crs) == PJ_TYPE_BOUND_CRS) {
    PJ *src = proj_get_source_crs(p->ctx, crs);
    proj_destroy(crs);
    crs = src;
  }
  return crs;
}

bool shoal_proj_area_of_use(shoal_proj *p, const char *def, double box[4], char *name,
                            size_t namelen)
{
  shoal_crsfacts f;
  if (p->share && shoal_projcache_facts(p->share, def, &f)) {
    if (f.has_area) {
      memcpy(box, f.area, sizeof f.area);
      if (name && namelen)
        snprintf(name, namelen, "%s", f.area_name);
    }
    return f.has_area;
  }
  PJ *crs = shoal_xform_priv_base_crs(p, def);
  const char *nm = NULL;
  bool ok = crs && proj_get_area_of_use(p->ctx, crs, &box[0], &box[1], &box[2], &box[3], &nm) &&
            box[0] > -1000 && box[1] > -1000; /* PROJ says -1000 for "unknown" */
  if (ok && name && namelen)
    snprintf(name, namelen, "%s", nm ? nm : "");
  proj_destroy(crs);
  return ok;
}

const char *shoal_proj_version(void) { return proj_info().version; }
