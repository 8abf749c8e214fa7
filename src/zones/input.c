/* Reading the land, straight-baseline and claim layers of a zone computation (zones.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/source.h"
#include "zones/zones.h"

static bool append_parts(shoal_geom *dst, const shoal_geom *src)
{
  for (size_t p = 0; p < src->nparts; p++) {
    if (!shoal_geom_begin_part(dst))
      return false;
    const double *xy = src->xy + 2 * src->parts[p];
    for (size_t i = 0; i < shoal_geom_part_len(src, p); i++)
      if (!shoal_geom_add(dst, xy[2 * i], xy[2 * i + 1]))
        return false;
  }
  return true;
}

/* Open path and check it holds shapes of kind (lines also accept polygons' rings). */
static shoal_status open_layer(const char *path, shoal_geom_kind kind, const char *role,
                               shoal_diag *d, shoal_source **out)
{
  shoal_status st = shoal_source_open(path, d, out);
  if (st != SHOAL_OK)
    return st;
  shoal_source *s = *out;
  shoal_geom_kind k = shoal_source_kind(s);
  const char *want = kind == SHOAL_GEOM_POLYGON ? "polygons" : "lines";
  if (k != kind && !(kind == SHOAL_GEOM_LINE && k == SHOAL_GEOM_POLYGON)) {
    shoal_diag_error(d, SHOAL_ERR_DATA, path, 0, 0,
                     "%s has %s shapes; the %s layer of `shoal zones` must hold %s", path,
                     shoal_source_type_name(s), role, want);
    st = SHOAL_ERR_DATA;
  } else if (shoal_source_count(s) == 0) {
    shoal_diag_error(d, SHOAL_ERR_DATA, path, 0, 0, "%s is empty: the %s layer needs %s", path,
                     role, want);
    st = SHOAL_ERR_DATA;
  } else {
    double b[4];
    shoal_source_bounds(s, b);
    if (b[0] < -180.0001 || b[2] > 180.0001 || b[1] < -90.0001 || b[3] > 90.0001) {
      shoal_diag_error(d, SHOAL_ERR_DATA, path, 0, 0,
                       "%s is not in longitude/latitude (extent %g..%g, %g..%g): zones are "
                       "computed from WGS84 coordinates",
                       path, b[0], b[2], b[1], b[3]);
      st = SHOAL_ERR_DATA;
    }
  }
  if (st != SHOAL_OK) {
    shoal_source_close(s);
    *out = NULL;
  }
  return st;
}

/* The field's index, or a usage error listing the fields there are. */
static int find_field(shoal_source *s, const char *field, shoal_diag *d)
{
  int k = shoal_source_field_index(s, field);
  if (k >= 0)
    return k;
  char names[512] = "";
  size_t used = 0;
  for (int i = 0; i < shoal_source_nfields(s) && used < sizeof names - 16; i++) {
    int n = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                     shoal_source_field(s, i)->name);
    used += n > 0 ? (size_t)n : 0;
  }
  shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                   "--state-field '%s': %s has no such field (its fields: %s)", field,
                   shoal_source_path(s), *names ? names : "none");
  return -1;
}

/* Each feature of s into its state's land (polygons) or lines; only_known skips states not
 * yet in in (straight baselines of a state without land). */
static shoal_status read_states(shoal_source *s, int field, bool lines, shoal_zones_in *in,
                                shoal_diag *d)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  shoal_status st = SHOAL_OK;
  int skipped = 0;
  for (int id = 0; id < shoal_source_count(s) && st == SHOAL_OK; id++) {
    bool failed = false;
    char *name = shoal_source_attr_read(s, id, field, &failed);
    if (failed) {
      shoal_source_attr_error(s, id, d);
      st = SHOAL_ERR_DATA;
    } else if (!name || !*name) {
      skipped++;
    } else if ((st = shoal_source_read(s, id, &g)) != SHOAL_OK) {
      shoal_source_read_error(s, id, st, d);
    } else {
      shoal_zones_state *z = shoal_zones_in_state(in, name);
      if (!z || !append_parts(lines ? &z->lines : &z->land, &g)) {
        shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory reading %s",
                         shoal_source_path(s));
        st = SHOAL_ERR_NOMEM;
      }
    }
    free(name);
  }
  if (skipped)
    shoal_diag_warn(d, shoal_source_path(s), 0, 0,
                    "%d feature(s) without a state name were left out", skipped);
  shoal_geom_free(&g);
  return st;
}

static shoal_status read_claim(const char *path, shoal_zones_in *in, shoal_diag *d)
{
  shoal_source *s = NULL;
  shoal_status st = open_layer(path, SHOAL_GEOM_LINE, "claim", d, &s);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_LINE);
  for (int id = 0; st == SHOAL_OK && id < shoal_source_count(s); id++) {
    if ((st = shoal_source_read(s, id, &g)) != SHOAL_OK)
      shoal_source_read_error(s, id, st, d);
    else if (!append_parts(&in->claim, &g))
      st = SHOAL_ERR_NOMEM;
  }
  shoal_geom_free(&g);
  shoal_source_close(s);
  return st;
}

shoal_status shoal_zones_read(const char *land, const char *field, const char *baselines,
                              const char *claim, shoal_zones_in *in, shoal_diag *d)
{
  shoal_source *s = NULL;
  shoal_status st = open_layer(land, SHOAL_GEOM_POLYGON, "land", d, &s);
  int k = st == SHOAL_OK ? find_field(s, field, d) : -1;
  if (st == SHOAL_OK && k < 0)
    st = SHOAL_ERR_USAGE;
  if (st == SHOAL_OK)
    st = read_states(s, k, false, in, d);
  shoal_source_close(s);
  if (st == SHOAL_OK && in->nstates == 0) {
    shoal_diag_error(d, SHOAL_ERR_DATA, land, 0, 0, "%s has no feature with a %s value", land,
                     field);
    st = SHOAL_ERR_DATA;
  }
  if (st == SHOAL_OK && baselines) {
    s = NULL;
    st = open_layer(baselines, SHOAL_GEOM_LINE, "baselines", d, &s);
    k = st == SHOAL_OK ? find_field(s, field, d) : -1;
    if (st == SHOAL_OK && k < 0)
      st = SHOAL_ERR_USAGE;
    if (st == SHOAL_OK)
      st = read_states(s, k, true, in, d);
    shoal_source_close(s);
  }
  if (st == SHOAL_OK && claim)
    st = read_claim(claim, in, d);
  return st;
}
