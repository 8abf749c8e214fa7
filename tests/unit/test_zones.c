/* Zones computed by src/zones/ measured independently (zcheck.h): a single point's limit is
 * a geodesic circle (distance and area against the closed form), a straight coast's limits
 * are at their distance, and two mirrored islands have the meridian between them as their
 * median line. Every limit and median line is sampled at 1,000 points or more. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "zcheck.h"
#include "zones/zones.h"

#define NM 1852.0
#define TOL (0.1 * NM)

typedef struct errs {
  const zc_base *a, *b; /* b set: median (|dA - dB|); else limit (|dA - d|) */
  double d;
  double *e;
  size_t n;
} errs;

static void on_point(void *ctx, double lon, double lat)
{
  errs *x = ctx;
  double da = zc_dist(x->a, lon, lat);
  x->e = realloc(x->e, (x->n + 1) * sizeof *x->e);
  x->e[x->n++] = x->b ? fabs(da - zc_dist(x->b, lon, lat)) : fabs(da - x->d);
}

/* Sample g, check every error is within TOL; returns the max error. */
static double check_line(const char *what, const shoal_geom *g, const zc_base *a, const zc_base *b,
                         double d)
{
  errs x = {a, b, d, NULL, 0};
  size_t n = zc_sample(g, 1100, on_point, &x);
  double max, p99;
  zc_stats(x.e, x.n, &max, &p99);
  printf("%-28s %5zu points: max %.4f nm, p99 %.4f nm\n", what, n, max / NM, p99 / NM);
  CHECK(n >= 1000);
  CHECK(max <= TOL);
  free(x.e);
  return max;
}

/* A small square island (side 2*h degrees) as a clockwise ring. */
static void island(shoal_zones_in *in, const char *name, double lon, double lat, double h)
{
  shoal_zones_state *s = shoal_zones_in_state(in, name);
  shoal_geom_begin_part(&s->land);
  double r[5][2] = {{-h, -h}, {-h, h}, {h, h}, {h, -h}, {-h, -h}};
  for (int i = 0; i < 5; i++)
    shoal_geom_add(&s->land, lon + r[i][0], lat + r[i][1]);
}

static const shoal_zone_feat *find(const shoal_zones_result *r, shoal_zone_kind k, int a, double nm)
{
  for (size_t i = 0; i < r->n; i++)
    if (r->f[i].kind == k && r->f[i].a == a && (nm <= 0 || r->f[i].nm == nm))
      return &r->f[i];
  return NULL;
}

static void compute(shoal_zones_in *in, const double *nm, size_t nnm, shoal_zones_result *r)
{
  shoal_diag *d = shoal_diag_new();
  shoal_zones_opts o = {.nm = nm, .nnm = nnm, .threads = 2};
  CHECK(shoal_zones_compute(in, &o, r, d) == SHOAL_OK);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
}

/* A point's 200-nm limit: a geodesic circle. Its area against the cap of the sphere with the
 * Gaussian radius of curvature at the centre, 2 pi R^2 (1 - cos(r / R)). */
static void test_point(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  island(&in, "P", 114.0, 12.0, 1e-6);
  double nm[] = {200};
  shoal_zones_result r;
  compute(&in, nm, 1, &r);
  const shoal_zone_feat *f = find(&r, SHOAL_ZONE_LIMIT, 0, 200);
  CHECK(f != NULL);
  if (f) {
    zc_base b = {0};
    zc_add(&b, &in.states[0].land);
    check_line("point: 200-nm circle", &f->line, &b, NULL, 200 * NM);
    double a = 6378137.0, e2 = (2 - 1 / 298.257223563) / 298.257223563;
    double s = sin(12.0 * M_PI / 180), w = 1 - e2 * s * s;
    double R = sqrt(a * (1 - e2) / pow(w, 1.5) * a / sqrt(w)), rr = 200 * NM;
    double cap = 2 * M_PI * R * R * (1 - cos(rr / R));
    printf("circle area %.1f km2, closed form %.1f km2 (%.5f %%)\n", f->area_m2 / 1e6, cap / 1e6,
           100 * fabs(f->area_m2 - cap) / cap);
    CHECK(fabs(f->area_m2 - cap) <= 0.001 * cap);
    /* And against PROJ's area of a circle traced with geod_direct every 0.1 degree. */
    double *ring = malloc(3600 * 2 * sizeof *ring);
    for (int k = 0; k < 3600; k++)
      shoal_geod_direct(114.0, 12.0, -k * 0.1, rr, &ring[2 * k], &ring[2 * k + 1]);
    double direct = fabs(shoal_geod_ring_area(ring, 3600));
    CHECK(fabs(f->area_m2 - direct) <= 0.001 * direct);
    free(ring);
    free(b.s);
  }
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
}

/* A straight coast: a thin strip along the meridian 110 E from 0 to 8 N. */
static void test_straight(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  shoal_zones_state *s = shoal_zones_in_state(&in, "S");
  double r[5][2] = {{110, 0}, {110, 8}, {110.01, 8}, {110.01, 0}, {110, 0}};
  shoal_geom_begin_part(&s->land);
  for (int i = 0; i < 5; i++)
    shoal_geom_add(&s->land, r[i][0], r[i][1]);
  double nm[] = {12, 24, 200};
  shoal_zones_result res;
  compute(&in, nm, 3, &res);
  zc_base b = {0};
  zc_add(&b, &in.states[0].land);
  for (int k = 0; k < 3; k++) {
    const shoal_zone_feat *f = find(&res, SHOAL_ZONE_LIMIT, 0, nm[k]);
    CHECK(f != NULL);
    char what[64];
    snprintf(what, sizeof what, "straight coast: %g nm", nm[k]);
    if (f)
      check_line(what, &f->line, &b, NULL, nm[k] * NM);
  }
  free(b.s);
  shoal_zones_result_free(&res);
  shoal_zones_in_free(&in);
}

/* Two islands mirrored about 114 E at 10 N: their median line is the meridian 114 E. */
static void test_pair(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  island(&in, "A", 113.0, 10.0, 0.01);
  island(&in, "B", 115.0, 10.0, 0.01);
  double nm[] = {12, 200};
  shoal_zones_result r;
  compute(&in, nm, 2, &r);
  const shoal_zone_feat *m = find(&r, SHOAL_ZONE_MEDIAN, 0, -1);
  CHECK(m != NULL);
  if (m) {
    zc_base a = {0}, b = {0};
    zc_add(&a, &in.states[0].land);
    zc_add(&b, &in.states[1].land);
    check_line("island pair: median line", &m->line, &a, &b, 0);
    double off = 0;
    for (size_t i = 0; i < m->line.npts; i++)
      off = fmax(off, fabs(m->line.xy[2 * i] - 114.0) * cos(m->line.xy[2 * i + 1] * M_PI / 180));
    printf("median line off the meridian 114 E by at most %.4f nm\n", off * 60);
    CHECK(off * 60 <= 0.1);
    for (int k = 0; k < 2; k++)
      for (int st = 0; st < 2; st++) {
        const shoal_zone_feat *f = find(&r, SHOAL_ZONE_LIMIT, st, nm[k]);
        CHECK(f != NULL);
        if (f)
          check_line(st ? "island pair: B limit" : "island pair: A limit", &f->line, st ? &b : &a,
                     NULL, nm[k] * NM);
      }
    /* Each modelled zone is its half: the two are equal in area. */
    const shoal_zone_feat *za = find(&r, SHOAL_ZONE_MODELLED, 0, -1);
    const shoal_zone_feat *zb = find(&r, SHOAL_ZONE_MODELLED, 1, -1);
    CHECK(za && zb);
    if (za && zb)
      CHECK(fabs(za->area_m2 - zb->area_m2) <= 0.001 * za->area_m2);
    free(a.s);
    free(b.s);
  }
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
}

/* Even-odd point in polygon over all rings of g (lon/lat, planar: the test points are far
 * from any edge). */
static bool inside(const shoal_geom *g, double x, double y)
{
  bool in = false;
  for (size_t p = 0; p < g->nparts; p++) {
    const double *v = g->xy + 2 * g->parts[p];
    size_t m = shoal_geom_part_len(g, p);
    for (size_t i = 0, j = m - 1; i < m; j = i++)
      if ((v[2 * i + 1] > y) != (v[2 * j + 1] > y) &&
          x < (v[2 * j] - v[2 * i]) * (y - v[2 * i + 1]) / (v[2 * j + 1] - v[2 * i + 1]) + v[2 * i])
        in = !in;
  }
  return in;
}

/* A land border is no baseline: state A (lon 0..1, lat 0..1) borders B, a strip (lon 1..1.1,
 * lat -1..2) along its whole east side. B's east shore is 3 nm from (1.15, 0.5), A's nearest
 * coast (its north-east corner) 31 nm: the point is in B's 12-nm limit and not in A's, which it
 * would be, 9 nm from A, if the border counted. A's limit is at 12 nm from its coast, measured
 * independently (zcheck.h, the coast as the rings less 1 km around the neighbour's). */
static void test_border(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  double ra[5][2] = {{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}};
  double rb[5][2] = {{1, -1}, {1, 2}, {1.1, 2}, {1.1, -1}, {1, -1}};
  shoal_zones_state *a = shoal_zones_in_state(&in, "AA");
  for (int i = 0; i < 5; i++)
    shoal_geom_add(&a->land, ra[i][0], ra[i][1]);
  shoal_zones_state *b = shoal_zones_in_state(&in, "BB");
  for (int i = 0; i < 5; i++)
    shoal_geom_add(&b->land, rb[i][0], rb[i][1]);
  double nm[] = {12};
  shoal_zones_result r;
  compute(&in, nm, 1, &r);
  const shoal_zone_feat *la = find(&r, SHOAL_ZONE_LIMIT, 0, 12),
                        *lb = find(&r, SHOAL_ZONE_LIMIT, 1, 12);
  CHECK(la && lb);
  if (la && lb) {
    CHECK(inside(&lb->poly, 1.15, 0.5));
    CHECK(!inside(&la->poly, 1.15, 0.5));
    CHECK(inside(&la->poly, 0.5, 1.1)); /* 6 nm off A's north coast */
    zc_base ring_b = {0}, coast_a = {0};
    zc_add(&ring_b, &in.states[1].land);
    zc_add_coast(&coast_a, &in.states[0].land, &ring_b, 1, 1000.0, 250.0);
    check_line("AA 12-nm limit (border)", &la->line, &coast_a, NULL, 12 * NM);
    free(ring_b.s);
    free(coast_a.s);
  }
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
}

/* A claim of two "dashes" stored the same way round (both running north), west and east of
 * an island pair: joined naively they would cross (a bow tie); turned to continue from the
 * nearer end they enclose a box holding both modelled zones, so each state's claim area is its
 * whole modelled zone. */
static void test_claim_turned(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  island(&in, "A", 113.0, 10.0, 0.01);
  island(&in, "B", 115.0, 10.0, 0.01);
  double dash[2][4] = {{108, 4, 108, 16}, {120, 4, 120, 16}};
  for (int k = 0; k < 2; k++) {
    shoal_geom_begin_part(&in.claim);
    shoal_geom_add(&in.claim, dash[k][0], dash[k][1]);
    shoal_geom_add(&in.claim, dash[k][2], dash[k][3]);
  }
  double nm[] = {200};
  shoal_zones_result r;
  compute(&in, nm, 1, &r);
  for (int s = 0; s < 2; s++) {
    const shoal_zone_feat *z = find(&r, SHOAL_ZONE_MODELLED, s, -1),
                          *c = find(&r, SHOAL_ZONE_CLAIM, s, -1);
    CHECK(z && c);
    if (z && c)
      CHECK(fabs(c->area_m2 - z->area_m2) <= 0.001 * z->area_m2);
  }
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
}

/* A large island (4 degrees square): its interior lies farther than 12 nm from any coast, yet
 * the 12-nm limit before land is removed covers the whole island, and the limit polygon is
 * the band of sea around it (its area between that of the squares grown by 12 nm and 11 nm). */
static void test_large_island(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  island(&in, "L", 114.0, 5.0, 2.0);
  double nm[] = {12};
  shoal_zones_result r;
  compute(&in, nm, 1, &r);
  const shoal_zone_feat *f = find(&r, SHOAL_ZONE_LIMIT, 0, 12);
  CHECK(f != NULL);
  if (f) {
    double side = 4.0 * 111.0 * 1000.0, band = 12.0 * NM; /* ~metres at 5 N, rough */
    printf("large island: 12-nm band %.0f km2\n", f->area_m2 / 1e6);
    CHECK(f->area_m2 > 0.8 * 4.0 * side * band);
    CHECK(f->area_m2 < 1.3 * (4.0 * side * band + M_PI * band * band));
  }
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
}

int main(void)
{
  test_point();
  test_straight();
  test_pair();
  test_border();
  test_claim_turned();
  test_large_island();
  return check_done();
}
