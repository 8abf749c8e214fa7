/* Unit tests for the PROJ adapter: CRS checks, transforms, bounds and geodesics. Reference
 * values come from PROJ's own cs2cs and geod (proj-bin 9.1.1), noted at each check. */
#include <math.h>
#include <pthread.h>
#include <proj.h>
#include <string.h>

#include "check.h"
#include "geo/xform.h"
#include "geo/xform_priv.h"

static const double R = 6378137.0;
static const double DEG = 3.14159265358979323846 / 180.0;

static void test_crs_checks(shoal_proj *p)
{
  char err[256];
  CHECK(shoal_proj_check_crs(p, "EPSG:3857", err, sizeof err) == SHOAL_OK);
  CHECK(shoal_proj_check_crs(p, "+proj=lcc +lat_1=4 +lat_2=20 +lon_0=114 +datum=WGS84", err,
                             sizeof err) == SHOAL_OK);

  err[0] = '\0';
  CHECK(shoal_proj_check_crs(p, "EPSG:999999", err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(err[0] != '\0');
  CHECK(strstr(err, "EPSG:999999") != NULL);
  CHECK_STR(err, "cannot use CRS 'EPSG:999999': crs not found");

  err[0] = '\0';
  CHECK(shoal_proj_check_crs(p, "garbage", err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(err[0] != '\0' && strstr(err, "garbage") != NULL);
  err[0] = '\0';
  CHECK(shoal_proj_check_crs(p, "+proj=nosuch", err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(err[0] != '\0');
  err[0] = '\0';
  CHECK(shoal_proj_check_crs(p, "", err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(err[0] != '\0');
  /* an operation, not a CRS */
  err[0] = '\0';
  CHECK(shoal_proj_check_crs(p, "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad",
                             err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(err[0] != '\0');
  /* a tiny buffer is truncated, not overrun */
  char small[8];
  CHECK(shoal_proj_check_crs(p, "EPSG:999999", small, sizeof small) == SHOAL_ERR_DATA);
  CHECK(strlen(small) == 7);

  CHECK(shoal_proj_is_geographic(p, "EPSG:4326"));
  CHECK(shoal_proj_is_geographic(p, "+proj=longlat +datum=WGS84"));
  CHECK(shoal_proj_is_geographic(p, "+proj=longlat +ellps=intl +towgs84=-133,-77,-51"));
  CHECK(!shoal_proj_is_geographic(p, "EPSG:3857"));
  CHECK(!shoal_proj_is_geographic(p, "EPSG:999999"));

  shoal_xform *t = (shoal_xform *)&err; /* must be reset to NULL on failure */
  err[0] = '\0';
  CHECK(shoal_xform_new(p, "EPSG:4326", "EPSG:999999", &t, err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(t == NULL && err[0] != '\0');
  err[0] = '\0';
  CHECK(shoal_xform_new(p, "not a crs", "EPSG:3857", &t, err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(t == NULL && err[0] != '\0');
}

static void test_identity(shoal_proj *p)
{
  char err[256];
  shoal_xform *t = NULL;
  CHECK(shoal_xform_new(p, "EPSG:3857", "EPSG:3857", &t, err, sizeof err) == SHOAL_OK);
  CHECK(t && shoal_xform_is_identity(t));
  double xy[] = {1, 2, HUGE_VAL, 5, 3, 4};
  CHECK(shoal_xform_fwd(t, xy, 3) == 2);
  CHECK(xy[0] == 1 && xy[1] == 2 && xy[2] == HUGE_VAL && xy[3] == HUGE_VAL && xy[5] == 4);
  shoal_xform_free(t);

  /* same CRS spelt two ways; axis order differs but both ends are normalised */
  CHECK(shoal_xform_new(p, "EPSG:4326", "+proj=longlat +datum=WGS84 +no_defs", &t, err,
                        sizeof err) == SHOAL_OK);
  CHECK(t && shoal_xform_is_identity(t));
  shoal_xform_free(t);
  shoal_xform_free(NULL);
}

static void test_mercator(shoal_proj *p)
{
  char err[256];
  shoal_xform *t = NULL;
  CHECK(shoal_xform_new(p, "EPSG:4326", "EPSG:3857", &t, err, sizeof err) == SHOAL_OK);
  if (!t)
    return;
  CHECK(!shoal_xform_is_identity(t));

  /* `echo 114 10 | cs2cs -f %.6f +proj=longlat +datum=WGS84 +to EPSG:3857` */
  double xy[] = {114, 10};
  CHECK(shoal_xform_fwd(t, xy, 1) == 1);
  CHECK_NEAR(xy[0], 12690421.950433, 1e-3);
  CHECK_NEAR(xy[1], 1118889.974858, 1e-3);
  /* and the spherical formula */
  CHECK_NEAR(xy[0], R * 114 * DEG, 1e-3);
  CHECK_NEAR(xy[1], R * log(tan(3.14159265358979323846 / 4 + 10 * DEG / 2)), 1e-3);

  /* round trip, one batch, with a failure in the middle that must not spoil the others */
  double pts[] = {99, -3, 125, 25, 0, 0, -179.5, 84, 114, 95, 121.25, 14.5, 179.9, -60};
  const double orig[] = {99, -3, 125, 25, 0, 0, -179.5, 84, 114, 95, 121.25, 14.5, 179.9, -60};
  CHECK(shoal_xform_fwd(t, pts, 7) == 6);
  CHECK(pts[8] == HUGE_VAL && pts[9] == HUGE_VAL); /* no such latitude */
  CHECK(shoal_xform_inv(t, pts, 7) == 6);
  for (int i = 0; i < 14; i++) {
    if (i == 8 || i == 9)
      continue;
    CHECK_NEAR(pts[i], orig[i], 1e-9);
  }
  CHECK(pts[8] == HUGE_VAL && pts[9] == HUGE_VAL);
  /* a later batch starts clean after failures */
  double again[] = {114, 10};
  CHECK(shoal_xform_fwd(t, again, 1) == 1);
  CHECK_NEAR(again[0], 12690421.950433, 1e-3);
  CHECK(shoal_xform_fwd(t, again, 0) == 0);

  /* bounds of the South China Sea box are its corners (cs2cs of each corner) */
  const double scs[4] = {99, -3, 125, 25};
  double b[4];
  CHECK(shoal_xform_bounds(t, scs, b, 21, false) == SHOAL_OK);
  CHECK_NEAR(b[0], 11020629.588534, 1e-3);
  CHECK_NEAR(b[1], -334111.171402, 1e-3);
  CHECK_NEAR(b[2], 13914936.349159, 1e-3);
  CHECK_NEAR(b[3], 2875744.624352, 1e-3);
  double back[4];
  CHECK(shoal_xform_bounds(t, b, back, 21, true) == SHOAL_OK);
  for (int i = 0; i < 4; i++)
    CHECK_NEAR(back[i], scs[i], 1e-9);
  /* partly beyond mercator's domain (the pole): what transformed is bounded */
  const double polar[4] = {100, 60, 120, 90};
  CHECK(shoal_xform_bounds(t, polar, b, 21, false) == SHOAL_OK);
  CHECK_NEAR(b[0], R * 100 * DEG, 1e-3);
  CHECK_NEAR(b[2], R * 120 * DEG, 1e-3);
  CHECK_NEAR(b[1], R * log(tan(3.14159265358979323846 / 4 + 60 * DEG / 2)), 1e-3);
  CHECK(isfinite(b[3]) && b[3] > b[1]);
  const double bad[4] = {0, 0, NAN, 1};
  CHECK(shoal_xform_bounds(t, bad, b, 21, false) == SHOAL_ERR_DATA);
  shoal_xform_free(t);
}

static void round_trip(shoal_proj *p, const char *dst, const double *ll, size_t n, double x0,
                       double y0)
{
  char err[256];
  shoal_xform *t = NULL;
  CHECK(shoal_xform_new(p, "EPSG:4326", dst, &t, err, sizeof err) == SHOAL_OK);
  if (!t) {
    fprintf(stderr, "  %s\n", err);
    return;
  }
  double xy[16];
  memcpy(xy, ll, 2 * n * sizeof *xy);
  CHECK(shoal_xform_fwd(t, xy, n) == n);
  CHECK_NEAR(xy[0], x0, 1e-3);
  CHECK_NEAR(xy[1], y0, 1e-3);
  CHECK(shoal_xform_inv(t, xy, n) == n);
  for (size_t i = 0; i < 2 * n; i++)
    CHECK_NEAR(xy[i], ll[i], 1e-9);
  shoal_xform_free(t);
}

static void test_round_trips(shoal_proj *p)
{
  const double ll[] = {117, 10, 114.3, 3.5, 120.75, 22.1, 112, 16.5};
  /* `echo 117 10 | cs2cs -f %.6f +proj=longlat +datum=WGS84 +to EPSG:32650` */
  round_trip(p, "EPSG:32650", ll, 4, 500000.0, 1105412.491301);
  round_trip(p, "+proj=utm +zone=50 +datum=WGS84", ll, 4, 500000.0, 1105412.491301);
  const double ll2[] = {114, 10, 100, -2, 124.5, 24, 109, 12};
  /* `echo 114 10 | cs2cs -f %.6f +proj=longlat +datum=WGS84 +to +proj=lcc ...` */
  round_trip(p, "+proj=lcc +lat_1=4 +lat_2=20 +lon_0=114 +datum=WGS84", ll2, 4, 0.0,
             1104753.364776);
}

static void test_ortho(shoal_proj *p)
{
  char err[256];
  shoal_xform *t = NULL;
  CHECK(shoal_xform_new(p, "EPSG:4326", "+proj=ortho +lat_0=10 +lon_0=114", &t, err, sizeof err) ==
        SHOAL_OK);
  if (!t)
    return;
  double xy[] = {-66, 10, 114, 10, -66, -10};
  CHECK(shoal_xform_fwd(t, xy, 3) == 1);
  CHECK(xy[0] == HUGE_VAL && xy[1] == HUGE_VAL);
  CHECK_NEAR(xy[2], 0.0, 1e-6);
  CHECK_NEAR(xy[3], 0.0, 1e-6);
  CHECK(xy[4] == HUGE_VAL && xy[5] == HUGE_VAL);

  /* a box wholly on the far side: nothing to show */
  const double far[4] = {-80, -10, -50, 10};
  double b[4];
  CHECK(shoal_xform_bounds(t, far, b, 21, false) == SHOAL_ERR_DATA);
  /* a box larger than the visible hemisphere: its edges fail, the interior does not */
  const double world[4] = {-180, -90, 180, 90};
  CHECK(shoal_xform_bounds(t, world, b, 21, false) == SHOAL_OK);
  for (int i = 0; i < 4; i++)
    CHECK(isfinite(b[i]) && fabs(b[i]) <= 6378137.0 + 1e-6);
  CHECK(b[0] < -5e6 && b[2] > 5e6 && b[1] < -5e6 && b[3] > 5e6);
  shoal_xform_free(t);
}

static void test_geodesics(void)
{
  /* Manila (120.9842E 14.5995N) -> Hanoi (105.8342E 21.0278N); reference from
   * `echo 14.5995 120.9842 21.0278 105.8342 | geod +ellps=WGS84 -I -f %.9f -F %.6f` */
  double a1 = 0, a2 = 0;
  double s = shoal_geod_inverse(120.9842, 14.5995, 105.8342, 21.0278, &a1, &a2);
  CHECK_NEAR(s, 1755256.315371, 1e-3);
  CHECK_NEAR(a1, -63.909930114, 1e-8);
  CHECK_NEAR(a2, 111.423211669 - 180.0, 1e-8); /* geod prints the back azimuth */
  CHECK_NEAR(shoal_geod_inverse(120.9842, 14.5995, 105.8342, 21.0278, NULL, NULL), s, 0.0);
  CHECK_NEAR(shoal_geod_inverse(114, 10, 114, 10, NULL, NULL), 0.0, 0.0);
  /* one degree of longitude on the equator: a * pi / 180 */
  CHECK_NEAR(shoal_geod_inverse(0, 0, 1, 0, NULL, NULL), R * DEG, 1e-6);

  double lon, lat;
  shoal_geod_direct(120.9842, 14.5995, a1, s, &lon, &lat);
  CHECK_NEAR(lon, 105.8342, 1e-9);
  CHECK_NEAR(lat, 21.0278, 1e-9);
  /* 200 nm due east from a reef and back */
  shoal_geod_direct(114.0, 10.0, 90.0, 200 * 1852.0, &lon, &lat);
  CHECK(lon > 117.3 && lon < 117.5);
  double back = 0;
  CHECK_NEAR(shoal_geod_inverse(114.0, 10.0, lon, lat, NULL, &back), 200 * 1852.0, 1e-6);
  double lon0, lat0;
  shoal_geod_direct(lon, lat, back + 180.0, 200 * 1852.0, &lon0, &lat0);
  CHECK_NEAR(lon0, 114.0, 1e-9);
  CHECK_NEAR(lat0, 10.0, 1e-9);
  /* `echo 14.5995 120.9842 -63.909930 500000 | geod +ellps=WGS84 -f %.10f` */
  shoal_geod_direct(120.9842, 14.5995, -63.909930, 500000, &lon, &lat);
  CHECK_NEAR(lat, 16.5474918789, 1e-9);
  CHECK_NEAR(lon, 116.7776871617, 1e-9);
}

/* The ESRI .prj of the shipped shapefiles, with the blanks and line end an editor may add. */
static const char ESRI_WGS84[] =
    "GEOGCS[\"GCS_WGS_1984\", DATUM[\"D_WGS_1984\", SPHEROID[\"WGS_1984\",6378137.0,"
    "298.257223563]],\n PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]\r\n";

/* What the shared cache takes a definition for: WGS84 lon/lat WKTs become EPSG:4326 (known
 * texts without parsing, others through PROJ), everything else stays as written. */
static void test_identify(void)
{
  shoal_projcache *c = shoal_projcache_new();
  CHECK(c != NULL);
  if (!c)
    return;
  const char *k = shoal_projcache_canon(c, ESRI_WGS84);
  CHECK(k && strcmp(k, "EPSG:4326") == 0);
  /* Not in the table of known texts (an AUTHORITY, other digits): PROJ decides. */
  k = shoal_projcache_canon(c, "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\","
                               "6378137.000,298.257223563]],PRIMEM[\"Greenwich\",0.000],UNIT[\"Deg"
                               "ree\",0.0174532925199433],AUTHORITY[\"EPSG\",4326]]");
  CHECK(k && strcmp(k, "EPSG:4326") == 0);
  k = shoal_projcache_canon(c, "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
                               "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\","
                               "0.0174532925199433]]");
  CHECK(k && strcmp(k, "EPSG:4326") == 0);
  /* Another datum, another prime meridian, not a WKT, not a CRS: left alone. */
  static const char *const keep[] = {
      "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\",SPHEROID[\"GRS_1980\","
      "6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
      "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]]"
      ","
      "PRIMEM[\"Paris\",2.33722917],UNIT[\"Degree\",0.0174532925199433]]",
      "+proj=longlat +datum=WGS84",
      "EPSG:3857",
      "GARBAGE[",
      ""};
  for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
    k = shoal_projcache_canon(c, keep[i]);
    CHECK(k && strcmp(k, keep[i]) == 0);
  }
  /* The texts known without parsing are what PROJ itself takes for EPSG:4326. */
  PJ_CONTEXT *ctx = proj_context_create();
  PJ *ref = proj_create(ctx, "EPSG:4326");
  static const char *const known[] = {
      "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
      "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]",
      "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137,"
      "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"Degree\",0.0174532925199433]]"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
    PJ *crs = proj_create(ctx, known[i]);
    CHECK(crs && proj_is_equivalent_to(crs, ref, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS));
    proj_destroy(crs);
    k = shoal_projcache_canon(c, known[i]);
    CHECK(k && strcmp(k, "EPSG:4326") == 0);
  }
  proj_destroy(ref);
  proj_context_destroy(ctx);
  shoal_projcache_free(c);
}

/* One transformation used by several threads, each with its own context sharing the cache. */
typedef struct share_run {
  shoal_projcache *c;
  const shoal_xform *from; /* copy this one, or make a new one when NULL */
  double x;                /* projected x of lon 114 */
  bool ok;
} share_run;

static void *share_thread(void *arg)
{
  share_run *r = arg;
  shoal_proj *p = shoal_proj_new_shared(r->c);
  shoal_xform *t = NULL;
  r->ok = p && (r->from ? shoal_xform_copy(p, r->from, &t, NULL, 0)
                        : shoal_xform_new(p, ESRI_WGS84, "EPSG:3857", &t, NULL, 0)) == SHOAL_OK;
  double xy[200];
  for (int i = 0; r->ok && i < 100; i++)
    xy[2 * i] = 114, xy[2 * i + 1] = 10;
  r->ok = r->ok && shoal_xform_fwd(t, xy, 100) == 100 && shoal_xform_seam(t)->cut &&
          shoal_xform_seam(t)->periodic;
  r->x = r->ok ? xy[198] : 0;
  shoal_xform_free(t);
  shoal_proj_free(p);
  return NULL;
}

static void test_shared(void)
{
  shoal_projcache *c = shoal_projcache_new();
  shoal_proj *a = c ? shoal_proj_new_shared(c) : NULL;
  shoal_xform *t = NULL;
  char err[256];
  CHECK(a && shoal_xform_new(a, ESRI_WGS84, "EPSG:3857", &t, err, sizeof err) == SHOAL_OK);
  if (!t) {
    shoal_proj_free(a);
    shoal_projcache_free(c);
    return;
  }
  CHECK(shoal_xform_cache(t) == c);
  /* `echo 10 114 | cs2cs EPSG:4326 EPSG:3857 -f %.6f` */
  double xy[] = {114, 10};
  CHECK(shoal_xform_fwd(t, xy, 1) == 1);
  CHECK_NEAR(xy[0], 12690421.950433, 1e-3);
  CHECK_NEAR(xy[1], 1118889.974858, 1e-3);
  share_run r[3] = {{c, t, 0, false}, {c, NULL, 0, false}, {c, t, 0, false}};
  pthread_t th[3];
  bool started[3];
  for (int i = 0; i < 3; i++)
    started[i] = pthread_create(&th[i], NULL, share_thread, &r[i]) == 0;
  for (int i = 0; i < 3; i++) {
    if (started[i])
      pthread_join(th[i], NULL);
    CHECK(started[i] && r[i].ok);
    CHECK(r[i].x == xy[0]); /* the same operation: the very same numbers */
  }
  /* Facts about a CRS come from the shared cache the second time, the same as the first. */
  double box1[4], box2[4];
  char n1[128], n2[128];
  CHECK(shoal_proj_area_of_use(a, "EPSG:32650", box1, n1, sizeof n1));
  CHECK(shoal_proj_area_of_use(a, "EPSG:32650", box2, n2, sizeof n2));
  CHECK(memcmp(box1, box2, sizeof box1) == 0 && strcmp(n1, n2) == 0 && n1[0]);
  CHECK_NEAR(box1[0], 114, 1e-9);
  CHECK(shoal_proj_is_geographic(a, ESRI_WGS84) && !shoal_proj_is_geographic(a, "EPSG:32650"));
  CHECK(shoal_proj_check_crs(a, ESRI_WGS84, err, sizeof err) == SHOAL_OK);
  for (int i = 0; i < 2; i++) {
    CHECK(shoal_proj_check_crs(a, "EPSG:999999", err, sizeof err) == SHOAL_ERR_DATA);
    CHECK(strstr(err, "EPSG:999999") != NULL);
  }
  /* An unknown CRS still fails with PROJ's reason, shared cache or not. */
  shoal_xform *bad = NULL;
  CHECK(shoal_xform_new(a, ESRI_WGS84, "EPSG:999999", &bad, err, sizeof err) == SHOAL_ERR_DATA);
  CHECK(bad == NULL && strstr(err, "EPSG:999999") != NULL);
  shoal_xform_free(t);
  shoal_proj_free(a);
  shoal_projcache_free(c);
}

/* Lon/lat -> a map CRS given as a PROJ string, taken as the inverse of the map's "to lon/lat"
 * operation when that was built first: the very same numbers as when built on its own. */
static void test_reverse(void)
{
  static const char MERC[] = "+proj=merc +lon_0=112 +datum=WGS84 +units=m +no_defs";
  shoal_projcache *c1 = shoal_projcache_new(), *c2 = shoal_projcache_new();
  shoal_proj *a = c1 ? shoal_proj_new_shared(c1) : NULL, *b = c2 ? shoal_proj_new_shared(c2) : NULL;
  shoal_xform *to_ll = NULL, *fa = NULL, *fb = NULL;
  CHECK(a && shoal_xform_new(a, MERC, "EPSG:4326", &to_ll, NULL, 0) == SHOAL_OK);
  CHECK(a && shoal_xform_new(a, ESRI_WGS84, MERC, &fa, NULL, 0) == SHOAL_OK);
  CHECK(b && shoal_xform_new(b, ESRI_WGS84, MERC, &fb, NULL, 0) == SHOAL_OK);
  if (to_ll && fa && fb) {
    double p[40], q[40];
    for (int i = 0; i < 20; i++) {
      p[2 * i] = q[2 * i] = -179.5 + 18.7 * i;
      p[2 * i + 1] = q[2 * i + 1] = -84 + 8.3 * i;
    }
    CHECK(shoal_xform_fwd(fa, p, 20) == 20 && shoal_xform_fwd(fb, q, 20) == 20);
    CHECK(memcmp(p, q, sizeof p) == 0);
    CHECK(shoal_xform_inv(fa, p, 20) == 20 && shoal_xform_inv(fb, q, 20) == 20);
    CHECK(memcmp(p, q, sizeof p) == 0);
  }
  shoal_xform_free(to_ll);
  shoal_xform_free(fa);
  shoal_xform_free(fb);
  shoal_proj_free(a);
  shoal_proj_free(b);
  shoal_projcache_free(c1);
  shoal_projcache_free(c2);
}

int main(void)
{
  shoal_proj *p = shoal_proj_new();
  CHECK(p != NULL);
  if (!p)
    return check_done();
  test_crs_checks(p);
  test_identity(p);
  test_mercator(p);
  test_round_trips(p);
  test_ortho(p);
  shoal_proj_free(p);

  /* two contexts live at once, as two batch jobs would have */
  shoal_proj *a = shoal_proj_new(), *b = shoal_proj_new();
  char err[256];
  shoal_xform *ta = NULL, *tb = NULL;
  CHECK(a && b);
  if (a && b) {
    CHECK(shoal_xform_new(a, "EPSG:4326", "EPSG:3857", &ta, err, sizeof err) == SHOAL_OK);
    CHECK(shoal_proj_check_crs(b, "EPSG:999999", err, sizeof err) == SHOAL_ERR_DATA);
    double xy[] = {114, 10};
    CHECK(ta && shoal_xform_fwd(ta, xy, 1) == 1);
    CHECK_NEAR(xy[0], 12690421.950433, 1e-3);
  }
  shoal_xform_free(ta);
  shoal_xform_free(tb);
  shoal_proj_free(a);
  shoal_proj_free(b);
  shoal_proj_free(NULL);

  test_geodesics();
  test_identify();
  test_shared();
  test_reverse();
  return check_done();
}
