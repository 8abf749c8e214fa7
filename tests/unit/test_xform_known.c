/* Unit tests for the definitions taken without proj.db (geo/xform_known.c): for each, the
 * operation from and to lon/lat, its box transforms and the CRS facts are exactly what PROJ
 * gives through proj.db (the way every definition was made before), and no context that
 * meets only them turns proj.db on. */
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "geo/xform.h"
#include "geo/xform_priv.h"

static const char *const KNOWN[] = {
    "EPSG:4326",
    "EPSG:3857",
    "EPSG:32650",
    "EPSG:32649",
    "EPSG:32601",
    "EPSG:32760",
    "+proj=merc +lon_0=112 +datum=WGS84 +units=m +no_defs",
    "+proj=merc +lon_0=108 +datum=WGS84 +units=m +no_defs",
    "+proj=tmerc +lon_0=115 +k=0.9996 +x_0=500000 +datum=WGS84",
    "+proj=utm +zone=50 +datum=WGS84",
    "+proj=utm +zone=49 +south +datum=WGS84 +units=m +no_defs",
    "+proj=laea +lat_0=10 +lon_0=115 +datum=WGS84",
    "+proj=lcc +lat_1=4 +lat_2=20 +lon_0=114 +datum=WGS84",
    "+proj=aea +lat_1=5 +lat_2=20 +lat_0=12 +lon_0=113 +datum=WGS84",
    "+proj=eqc +lon_0=150 +datum=WGS84",
    "+proj=robin +lon_0=180 +datum=WGS84",
    "+proj=moll +lon_0=110 +datum=WGS84",
    "+proj=ortho +lat_0=12 +lon_0=115 +datum=WGS84",
    "+proj=stere +lat_0=90 +lat_ts=70 +lon_0=0 +datum=WGS84",
    "+proj=aeqd +lat_0=10 +lon_0=114 +datum=WGS84",
    "+proj=eqearth +lon_0=120 +datum=WGS84",
    "+proj=webmerc +datum=WGS84",
    "+proj=mill +datum=WGS84",
    "+proj=cea +lat_ts=30 +datum=WGS84",
    "+proj=sinu +lon_0=110 +datum=WGS84",
    "+proj=gnom +lat_0=10 +lon_0=115 +datum=WGS84",
};

/* Not taken without proj.db. */
static const char *const OTHER[] = {
    "OGC:CRS84",
    "EPSG:3395",
    "EPSG:32661",
    "+proj=merc +lon_0=112 +ellps=intl +units=m",
    "+proj=merc +lon_0=112 +datum=WGS84 +units=km",
    "+proj=merc +lon_0=112 +datum=WGS84 +towgs84=1,2,3",
    "+proj=longlat +datum=WGS84",
    "+proj=merc +lon_0=112 +datum=WGS84 +axis=neu",
    "+init=epsg:3857",
};

/* The operation as the code before this file made it: both CRSs from proj.db, PROJ's search,
 * axis order normalised. Caller frees with proj_destroy. */
static PJ *db_op(PJ_CONTEXT *ctx, const char *src, const char *dst)
{
  char a[256], b[256];
  snprintf(a, sizeof a, "%s%s", src, src[0] == '+' ? " +type=crs" : "");
  snprintf(b, sizeof b, "%s%s", dst, dst[0] == '+' ? " +type=crs" : "");
  PJ *s = proj_create(ctx, a), *d = proj_create(ctx, b);
  PJ *op = s && d ? proj_create_crs_to_crs_from_pj(ctx, s, d, NULL, NULL) : NULL;
  PJ *n = op ? proj_normalize_for_visualization(ctx, op) : NULL;
  proj_destroy(s);
  proj_destroy(d);
  proj_destroy(op);
  return n;
}

/* t (shoal_xform_fwd or _inv) and PROJ's ref give the very same n points. */
static void same_points(shoal_xform *t, PJ *ref, PJ_DIRECTION dir, double *xy, double *ref_xy,
                        size_t n)
{
  if (dir == PJ_FWD)
    shoal_xform_fwd(t, xy, n);
  else
    shoal_xform_inv(t, xy, n);
  proj_trans_generic(ref, dir, ref_xy, 2 * sizeof(double), n, ref_xy + 1, 2 * sizeof(double), n,
                     NULL, 0, 0, NULL, 0, 0);
  for (size_t i = 0; i < 2 * n; i++) {
    bool same = xy[i] == ref_xy[i] || (xy[i] == HUGE_VAL && !isfinite(ref_xy[i]));
    CHECK(same);
    if (!same)
      fprintf(stderr, "  point %zu: %.17g, PROJ %.17g\n", i / 2, xy[i], ref_xy[i]);
  }
}

/* t and PROJ's own operation agree: the same pipeline, the same points to the last bit, the
 * same box transforms. */
static void same_op(PJ_CONTEXT *ctx, shoal_xform *t, const char *src, const char *dst)
{
  PJ *ref = db_op(ctx, src, dst);
  CHECK(ref != NULL);
  if (!ref || !t->pj) {
    CHECK(t->pj == NULL && strcmp(src, dst) == 0);
    proj_destroy(ref);
    return;
  }
  const char *a = proj_as_proj_string(ctx, ref, PJ_PROJ_5, NULL);
  const char *b = proj_as_proj_string(t->p->ctx, t->pj, PJ_PROJ_5, NULL);
  CHECK(a && b && strcmp(a, b) == 0);
  if (a && b && strcmp(a, b) != 0)
    fprintf(stderr, "  %s -> %s:\n  db:    %s\n  known: %s\n", src, dst, a, b);
  bool from_ll = strcmp(src, "EPSG:4326") == 0;
  double in[4] = {105, 2, 122, 20}, xy[2 * 64], ref_xy[2 * 64];
  if (!from_ll) /* a box in the map CRS: the lon/lat one forward */
    proj_trans_bounds(ctx, ref, PJ_INV, 105, 2, 122, 20, &in[0], &in[1], &in[2], &in[3], 21);
  for (int i = 0; i < 64; i++) {
    xy[2 * i] = in[0] + (in[2] - in[0]) * (i % 8) / 7.0;
    xy[2 * i + 1] = in[1] + (in[3] - in[1]) * (i / 8) / 7.0;
  }
  memcpy(ref_xy, xy, sizeof xy);
  shoal_xform_fwd(t, xy, 64);
  proj_trans_generic(ref, PJ_FWD, ref_xy, 2 * sizeof(double), 64, ref_xy + 1, 2 * sizeof(double),
                     64, NULL, 0, 0, NULL, 0, 0);
  for (int i = 0; i < 128; i++)
    CHECK(xy[i] == ref_xy[i] || (xy[i] == HUGE_VAL && !isfinite(ref_xy[i])));
  /* And back, then the whole world and past it (points PROJ cannot take fail both ways). */
  for (int i = 0; i < 128; i++)
    xy[i] = ref_xy[i] = isfinite(ref_xy[i]) ? ref_xy[i] : 0;
  same_points(t, ref, PJ_INV, xy, ref_xy, 64);
  if (from_ll) {
    for (int i = 0; i < 64; i++) {
      xy[2 * i] = ref_xy[2 * i] = -200 + 400 * (i % 8) / 7.0;
      xy[2 * i + 1] = ref_xy[2 * i + 1] = -95 + 190 * (i / 8) / 7.0;
    }
    same_points(t, ref, PJ_FWD, xy, ref_xy, 64);
  }
  for (int dir = PJ_INV; dir <= PJ_FWD; dir += 2) {
    double o[4] = {0}, r[4] = {0}, *from = dir == PJ_FWD ? in : NULL, back[4];
    if (!from) {
      proj_trans_bounds(ctx, ref, PJ_FWD, in[0], in[1], in[2], in[3], &back[0], &back[1], &back[2],
                        &back[3], 21);
      from = back;
    }
    int d1 = proj_trans_bounds(t->p->ctx, t->pj, dir, from[0], from[1], from[2], from[3], &o[0],
                               &o[1], &o[2], &o[3], 21);
    int d2 = proj_trans_bounds(ctx, ref, dir, from[0], from[1], from[2], from[3], &r[0], &r[1],
                               &r[2], &r[3], 21);
    CHECK(d1 == d2 && memcmp(o, r, sizeof o) == 0);
  }
  proj_destroy(ref);
}

static void test_known(PJ_CONTEXT *ctx, const char *def)
{
  shoal_knowncrs k;
  CHECK(shoal_xform_priv_known(def, &k));
  shoal_proj *p = shoal_proj_new();
  CHECK(p != NULL);
  if (!p)
    return;
  char err[256] = "";
  CHECK(shoal_proj_check_crs(p, def, err, sizeof err) == SHOAL_OK);
  /* The facts proj.db gives. */
  char b[256];
  snprintf(b, sizeof b, "%s%s", def, def[0] == '+' ? " +type=crs" : "");
  PJ *crs = proj_create(ctx, b);
  double ref[4] = {0}, box[4] = {0};
  const char *name = NULL;
  bool has = crs && proj_get_area_of_use(ctx, crs, &ref[0], &ref[1], &ref[2], &ref[3], &name) &&
             ref[0] > -1000;
  CHECK(shoal_proj_area_of_use(p, def, box, NULL, 0) == has);
  CHECK(!has || memcmp(box, ref, sizeof box) == 0);
  PJ_TYPE ty = crs ? proj_get_type(crs) : PJ_TYPE_UNKNOWN;
  CHECK(shoal_proj_is_geographic(p, def) == (ty == PJ_TYPE_GEOGRAPHIC_2D_CRS));
  proj_destroy(crs);
  shoal_xform *to = NULL, *from = NULL;
  CHECK(shoal_xform_new(p, "EPSG:4326", def, &to, err, sizeof err) == SHOAL_OK);
  CHECK(shoal_xform_new(p, def, "EPSG:4326", &from, err, sizeof err) == SHOAL_OK);
  if (to && from) {
    same_op(ctx, to, "EPSG:4326", def);
    same_op(ctx, from, def, "EPSG:4326");
    /* ... by way of the projection step alone (xform_fast.c) */
    bool id = strcmp(def, "EPSG:4326") == 0;
    CHECK(id || (to->entry && p->cache[to->entry - 1].fast.state == 1));
    CHECK(id || (from->entry && p->cache[from->entry - 1].fast.state == 1));
    const shoal_seam *s = shoal_xform_seam(to);
    CHECK(s != NULL);
  }
  CHECK(!p->db);
  shoal_xform_free(to);
  shoal_xform_free(from);
  shoal_proj_free(p);
}

/* The seam found without proj.db is the one found with it, for every known definition
 * (EPSG:3857 is a PROJ string of another spelling then: "webmerc" instead of "merc ...
 * +nadgrids=@null"). */
static void test_seams(void)
{
  const char *const *defs = KNOWN + 1; /* all but EPSG:4326 itself */
  for (size_t i = 0; i + 1 < sizeof KNOWN / sizeof *KNOWN; i++) {
    shoal_proj *p = shoal_proj_new(), *q = shoal_proj_new();
    shoal_xform *a = NULL, *b = NULL;
    CHECK(p && q);
    if (!p || !q) {
      shoal_proj_free(p);
      shoal_proj_free(q);
      continue;
    }
    shoal_xform_priv_need_db(q);
    CHECK(shoal_xform_new(p, "EPSG:4326", defs[i], &a, NULL, 0) == SHOAL_OK);
    /* OGC:CRS84 is lon/lat WGS84 as well, and not known: the database route. */
    CHECK(shoal_xform_new(q, "OGC:CRS84", defs[i], &b, NULL, 0) == SHOAL_OK);
    if (a && b)
      CHECK(memcmp(shoal_xform_seam(a), shoal_xform_seam(b), sizeof(shoal_seam)) == 0);
    CHECK(!p->db && q->db);
    shoal_xform_free(a);
    shoal_xform_free(b);
    shoal_proj_free(p);
    shoal_proj_free(q);
  }
}

int main(void)
{
  PJ_CONTEXT *ctx = proj_context_create();
  proj_log_level(ctx, PJ_LOG_NONE); /* points outside a projection fail on purpose */
  for (size_t i = 0; i < sizeof KNOWN / sizeof *KNOWN; i++)
    test_known(ctx, KNOWN[i]);
  for (size_t i = 0; i < sizeof OTHER / sizeof *OTHER; i++) {
    shoal_knowncrs k;
    CHECK(!shoal_xform_priv_known(OTHER[i], &k));
  }
  /* Anything else still turns proj.db on, and EPSG codes still reach it. */
  shoal_proj *p = shoal_proj_new();
  char err[256];
  CHECK(p && shoal_proj_check_crs(p, "EPSG:3395", err, sizeof err) == SHOAL_OK);
  CHECK(p && shoal_proj_check_crs(p, "EPSG:999999", err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(p && p->share);
  shoal_proj_free(p);
  test_seams();
  proj_context_destroy(ctx);
  return check_done();
}
