/* Accuracy of zones computed from the shipped coastline (shapes/land_states.shp) for two
 * neighbours, Viet Nam and Cambodia, measured independently (zcheck.h): 1,000 points or more
 * along each 12-, 24- and 200-nm limit are at their distance from the state's baseline within 0.1
 * nm, the median line's points are equidistant within 0.1 nm, and every area equals PROJ's geodesic
 * polygon area.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "zcheck.h"
#include "zones/zones.h"

#define NM 1852.0

typedef struct errs {
  const zc_base *a, *b;
  double d, *e;
  size_t n;
  double worst, wlon, wlat;
} errs;

static void on_point(void *ctx, double lon, double lat)
{
  errs *x = ctx;
  double da = zc_dist(x->a, lon, lat);
  x->e = realloc(x->e, (x->n + 1) * sizeof *x->e);
  double e = x->b ? fabs(da - zc_dist(x->b, lon, lat)) : fabs(da - x->d);
  x->e[x->n++] = e;
  if (e > x->worst)
    x->worst = e, x->wlon = lon, x->wlat = lat;
}

static void check_line(const char *what, const shoal_geom *g, const zc_base *a, const zc_base *b,
                       double d)
{
  errs x = {a, b, d, NULL, 0, 0, 0, 0};
  size_t n = zc_sample(g, 1100, on_point, &x);
  double max, p99;
  zc_stats(x.e, x.n, &max, &p99);
  printf("%-24s %5zu points: max %.4f nm (at %.4f %.4f), p99 %.4f nm\n", what, n, max / NM, x.wlon,
         x.wlat, p99 / NM);
  CHECK(n >= 1000);
  CHECK(max <= 0.1 * NM);
  free(x.e);
}

int main(void)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_zones_read("shapes/land_states.shp", "iso2", NULL, NULL, &in, d) == SHOAL_OK);
  /* Zones of two states only, so the test stays quick; every other state's land is land. */
  CHECK(shoal_zones_select(&in, "KH,VN", d));
  int s_kh = -1, s_vn = -1;
  for (size_t i = 0; i < in.nstates; i++) {
    if (!strcmp(in.states[i].name, "KH"))
      s_kh = (int)i;
    if (!strcmp(in.states[i].name, "VN"))
      s_vn = (int)i;
  }
  CHECK(s_kh >= 0 && s_vn >= 0);
  double nm[] = {12, 24, 200};
  shoal_zones_opts o = {.nm = nm, .nnm = 3, .threads = 2};
  shoal_zones_result r;
  clock_t t0 = clock();
  CHECK(shoal_zones_compute(&in, &o, &r, d) == SHOAL_OK);
  printf("computed in %.1f s of CPU\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
  shoal_diag_print(d, stderr, 1);
  /* Baselines: each state's coast, its rings less where a neighbour's ring runs within 1 km
   * (a land border is no baseline; docs/zones.md), sampled every 250 m as the model does. */
  zc_base *rings = calloc(in.nstates, sizeof *rings), *base = calloc(in.nstates, sizeof *base);
  for (size_t i = 0; i < in.nstates; i++)
    zc_add(&rings[i], &in.states[i].land);
  for (int k = 0; k < 2; k++) {
    int st = k ? s_vn : s_kh;
    zc_base *others = calloc(in.nstates, sizeof *others);
    size_t no = 0;
    double bb[4], ob[4];
    shoal_geom_bbox(&in.states[st].land, bb);
    for (size_t i = 0; i < in.nstates; i++)
      if ((int)i != st && shoal_geom_bbox(&in.states[i].land, ob) && ob[0] < bb[2] + 0.1 &&
          ob[2] > bb[0] - 0.1 && ob[1] < bb[3] + 0.1 && ob[3] > bb[1] - 0.1)
        others[no++] = rings[i];
    zc_add_coast(&base[st], &in.states[st].land, others, no, 1000.0, 250.0);
    free(others);
  }
  for (size_t i = 0; i < in.nstates; i++)
    free(rings[i].s);
  free(rings);
  int nlim = 0, nmed = 0;
  for (size_t k = 0; k < r.n; k++) {
    const shoal_zone_feat *f = &r.f[k];
    char what[64];
    if (f->kind == SHOAL_ZONE_LIMIT) {
      snprintf(what, sizeof what, "%s %g-nm limit", in.states[f->a].name, f->nm);
      check_line(what, &f->line, &base[f->a], NULL, f->nm * NM);
      nlim++;
    } else if (f->kind == SHOAL_ZONE_MEDIAN) {
      check_line("KH-VN median line", &f->line, &base[f->a], &base[f->b], 0);
      nmed++;
    }
    /* Areas: the field against PROJ's polygon area of the same rings. */
    double sum = 0;
    for (size_t p = 0; p < f->poly.nparts; p++)
      sum +=
          shoal_geod_ring_area(f->poly.xy + 2 * f->poly.parts[p], shoal_geom_part_len(&f->poly, p));
    CHECK(fabs(fabs(sum) - f->area_m2) <= 0.001 * f->area_m2 + 1.0);
  }
  CHECK(nlim == 6);
  CHECK(nmed == 1);
  free(base[s_kh].s);
  free(base[s_vn].s);
  free(base);
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
  shoal_diag_free(d);
  return check_done();
}
