/* Writing computed zones: one shapefile per kind of result with the states and areas as
 * fields, and areas.csv (zones.h). Features are sorted first, so the files do not depend on
 * the order the workers finished in. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/shpout.h"
#include "zones/zones.h"

#define KM2_PER_NM2 (SHOAL_NM * SHOAL_NM / 1e6)

static int cmp_feat(const void *pa, const void *pb)
{
  const shoal_zone_feat *a = *(const shoal_zone_feat *const *)pa;
  const shoal_zone_feat *b = *(const shoal_zone_feat *const *)pb;
  if (a->kind != b->kind)
    return (int)a->kind - (int)b->kind;
  if (a->a != b->a)
    return a->a - b->a;
  if (a->b != b->b)
    return a->b - b->b;
  return (a->nm > b->nm) - (a->nm < b->nm);
}

/* What each output holds. */
typedef struct layer {
  const char *file;
  shoal_zone_kind kind;
  bool pair, line;
  const char *status;
} layer;

static const layer layers[] = {
    {"limits.shp", SHOAL_ZONE_LIMIT, false, false, "modelled limit, not a legal boundary"},
    {"limit_lines.shp", SHOAL_ZONE_LIMIT, false, true, "modelled limit, not a legal boundary"},
    {"zones.shp", SHOAL_ZONE_MODELLED, false, false,
     "modelled equidistance zone, not a legal boundary"},
    {"overlaps.shp", SHOAL_ZONE_OVERLAP, true, false, "overlapping modelled entitlements"},
    {"medians.shp", SHOAL_ZONE_MEDIAN, true, true, "modelled median line, not a legal boundary"},
    {"claim.shp", SHOAL_ZONE_CLAIM, false, false,
     "claim line closed by joining its dashes (an approximation) inside a modelled zone"},
};

static const char *kind_word(const shoal_zone_feat *f, char *buf, size_t n)
{
  const char *w = f->kind == SHOAL_ZONE_LIMIT      ? "limit"
                  : f->kind == SHOAL_ZONE_MODELLED ? "modelled"
                  : f->kind == SHOAL_ZONE_OVERLAP  ? "overlap"
                  : f->kind == SHOAL_ZONE_CLAIM    ? "claim_in_zone"
                                                   : "equidistance";
  if (f->kind == SHOAL_ZONE_MEDIAN || f->kind == SHOAL_ZONE_CLAIM)
    snprintf(buf, n, "%s", w);
  else
    snprintf(buf, n, "%s_%gnm", w, f->nm);
  return buf;
}

/* Field names: the state field's name (a, b with _a/_b), then the rest. */
static int fields_of(const layer *l, const char *sf, char names[2][12], shoal_shpout_field *f)
{
  int n = 0;
  if (l->pair) {
    snprintf(names[0], 12, "%.8s_a", sf);
    snprintf(names[1], 12, "%.8s_b", sf);
    f[n++] = (shoal_shpout_field){names[0], 'C', 40, 0};
    f[n++] = (shoal_shpout_field){names[1], 'C', 40, 0};
  } else {
    snprintf(names[0], 12, "%.10s", sf);
    f[n++] = (shoal_shpout_field){names[0], 'C', 40, 0};
  }
  f[n++] = (shoal_shpout_field){"kind", 'C', 40, 0};
  f[n++] = (shoal_shpout_field){"nm", 'N', 8, 1};
  if (!l->line) {
    f[n++] = (shoal_shpout_field){"area_km2", 'N', 18, 3};
    f[n++] = (shoal_shpout_field){"area_nm2", 'N', 18, 3};
  }
  f[n++] = (shoal_shpout_field){"status", 'C', 100, 0};
  return n;
}

static shoal_status write_layer(const layer *l, const shoal_zones_in *in, const char *sf,
                                shoal_zone_feat **fs, size_t nf, const char *dir, shoal_diag *d)
{
  char path[4096], names[2][12], kb[40], nmb[32], a1[40], a2[40];
  shoal_shpout_field f[8];
  int n = fields_of(l, sf, names, f);
  snprintf(path, sizeof path, "%s/%s", dir, l->file);
  shoal_shpout *w = NULL;
  shoal_status st =
      shoal_shpout_begin(path, l->line ? SHOAL_GEOM_LINE : SHOAL_GEOM_POLYGON, f, n, d, &w);
  for (size_t k = 0; k < nf && st == SHOAL_OK; k++) {
    const shoal_zone_feat *z = fs[k];
    if (z->kind != l->kind)
      continue;
    const char *v[8];
    int m = 0;
    v[m++] = in->states[z->a].name;
    if (l->pair)
      v[m++] = in->states[z->b].name;
    v[m++] = kind_word(z, kb, sizeof kb);
    snprintf(nmb, sizeof nmb, "%.1f", z->nm);
    v[m++] = nmb;
    if (!l->line) {
      snprintf(a1, sizeof a1, "%.3f", z->area_m2 / 1e6);
      snprintf(a2, sizeof a2, "%.3f", z->area_m2 / 1e6 / KM2_PER_NM2);
      v[m++] = a1;
      v[m++] = a2;
    }
    v[m++] = l->status;
    st = shoal_shpout_write(w, l->line ? &z->line : &z->poly, v, d);
  }
  if (st == SHOAL_OK)
    return shoal_shpout_finish(w, d);
  shoal_shpout_abort(w);
  return st;
}

static shoal_status write_csv(const shoal_zones_in *in, shoal_zone_feat **fs, size_t nf,
                              const char *dir, shoal_diag *d)
{
  char path[4096], kb[40];
  snprintf(path, sizeof path, "%s/areas.csv", dir);
  FILE *fp = fopen(path, "w");
  if (!fp) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot create '%s': %s", path,
                     strerror(errno));
    return SHOAL_ERR_CANTCREAT;
  }
  fputs("kind,state_a,state_b,nm,area_km2,area_nm2\n", fp);
  for (size_t k = 0; k < nf; k++) {
    const shoal_zone_feat *z = fs[k];
    if (z->kind == SHOAL_ZONE_MEDIAN)
      continue;
    fprintf(fp, "%s,%s,%s,%.1f,%.3f,%.3f\n", kind_word(z, kb, sizeof kb), in->states[z->a].name,
            z->b >= 0 ? in->states[z->b].name : "", z->nm, z->area_m2 / 1e6,
            z->area_m2 / 1e6 / KM2_PER_NM2);
  }
  if (fclose(fp) != 0) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s'", path);
    return SHOAL_ERR_CANTCREAT;
  }
  return SHOAL_OK;
}

shoal_status shoal_zones_write(const shoal_zones_in *in, const shoal_zones_result *r,
                               const char *sf, const char *dir, shoal_diag *d)
{
  shoal_zone_feat **fs = malloc((r->n ? r->n : 1) * sizeof *fs);
  if (!fs) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  bool claim = false;
  for (size_t k = 0; k < r->n; k++) {
    fs[k] = &r->f[k];
    claim = claim || r->f[k].kind == SHOAL_ZONE_CLAIM;
  }
  qsort(fs, r->n, sizeof *fs, cmp_feat);
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; i < sizeof layers / sizeof layers[0] && st == SHOAL_OK; i++)
    if (layers[i].kind != SHOAL_ZONE_CLAIM || claim)
      st = write_layer(&layers[i], in, sf, fs, r->n, dir, d);
  if (st == SHOAL_OK)
    st = write_csv(in, fs, r->n, dir, d);
  free(fs);
  return st;
}
