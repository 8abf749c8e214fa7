/* CRS definitions that PROJ can take without proj.db: opening the database (SQLite schema,
 * then queries for each EPSG code and CRS pair) cost ~38 M instructions of every render, more
 * than all of an empty map's own work. The commonest maps need nothing from it: EPSG:4326,
 * EPSG:3857, the WGS84 UTM zones and PROJ strings of a projection on WGS84 are each the same
 * as a PROJ string that PROJ parses by itself, and the operation from lon/lat to them is the
 * CRS's own conversion. Every context starts with the database out of reach and turns it on
 * when it meets anything else, so only those definitions skip it; tests/unit/test_xform.c
 * checks that the operations, bounds and facts are what the database route gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "geo/xform_priv.h"

/* A folder that cannot hold proj.db (/dev/null is not a folder): with it as the only search
 * path PROJ finds no database, and asking for one fails at once, without a trace. */
static const char *const NO_DB_PATH[] = {"/dev/null"};

void shoal_xform_priv_db_off(shoal_proj *p)
{
  proj_context_set_search_paths(p->ctx, 1, NO_DB_PATH);
  p->db = false;
}

void shoal_xform_priv_need_db(shoal_proj *p)
{
  if (p->db)
    return;
  /* PROJ's default search (PROJ_DATA, then its install folder), as a fresh context has. */
  proj_context_set_search_paths(p->ctx, 0, NULL);
  p->db = true;
}

/* Parameters a PROJ string may use and still be taken without proj.db: the projection's own
 * numbers. Anything else (other datums, grids, +towgs84, units, axis order, +init) goes to
 * PROJ with its database, as before. */
static const char *const PLAIN_KEYS[] = {"lon_0", "lat_0", "lat_1", "lat_2", "lat_ts", "k",
                                         "k_0",   "x_0",   "y_0",   "zone",  "south",  "no_defs"};
/* Projections checked against the database route in tests/unit/test_xform.c. */
static const char *const PLAIN_PROJS[] = {"merc",    "tmerc",   "utm",  "laea",  "lcc",   "aea",
                                          "eqc",     "robin",   "moll", "ortho", "stere", "aeqd",
                                          "eqearth", "webmerc", "mill", "cea",   "sinu",  "gnom"};

static bool in_list(const char *s, size_t n, const char *const *list, size_t nlist)
{
  for (size_t i = 0; i < nlist; i++)
    if (strlen(list[i]) == n && strncmp(s, list[i], n) == 0)
      return true;
  return false;
}

#define NELEM(a) (sizeof(a) / sizeof *(a))

/* Whether def is a PROJ string of one of PLAIN_PROJS on +datum=WGS84 with only PLAIN_KEYS. */
static bool plain_proj_string(const char *def)
{
  bool proj = false, datum = false;
  for (const char *s = def;;) {
    s += strspn(s, " \t\r\n");
    if (!*s)
      break;
    size_t n = strcspn(s, " \t\r\n");
    const char *tok = *s == '+' ? s + 1 : s, *eq = memchr(tok, '=', n - (size_t)(tok - s));
    size_t klen = eq ? (size_t)(eq - tok) : n - (size_t)(tok - s);
    size_t vlen = eq ? n - (size_t)(eq + 1 - s) : 0;
    const char *v = eq ? eq + 1 : "";
    if (klen == 4 && !strncmp(tok, "proj", 4) && !proj)
      proj = in_list(v, vlen, PLAIN_PROJS, NELEM(PLAIN_PROJS));
    else if (klen == 5 && !strncmp(tok, "datum", 5))
      datum = vlen == 5 && !strncmp(v, "WGS84", 5);
    else if (klen == 5 && !strncmp(tok, "units", 5) ? !(vlen == 1 && *v == 'm')
             : klen == 4 && !strncmp(tok, "type", 4)
                 ? !(vlen == 3 && !strncmp(v, "crs", 3))
                 : !in_list(tok, klen, PLAIN_KEYS, NELEM(PLAIN_KEYS)))
      return false;
    if (!proj)
      return false; /* +proj= first, and a known one */
    s += n;
  }
  return proj && datum;
}

/* 1..60 for "EPSG:326NN" (north) or "EPSG:327NN" (south), else 0. */
static int utm_zone(const char *def, bool *south)
{
  if (strncmp(def, "EPSG:32", 7) != 0 || strlen(def) != 10)
    return 0;
  const char *d = def + 7;
  for (int i = 0; i < 3; i++)
    if (d[i] < '0' || d[i] > '9')
      return 0;
  int code = (d[0] - '0') * 100 + (d[1] - '0') * 10 + (d[2] - '0');
  int zone = code % 100;
  if ((code / 100 != 6 && code / 100 != 7) || zone < 1 || zone > 60)
    return 0;
  *south = code / 100 == 7;
  return zone;
}

bool shoal_xform_priv_known(const char *def, shoal_knowncrs *k)
{
  memset(k, 0, sizeof *k);
  if (!def)
    return false;
  bool south = false;
  int zone = 0;
  /* The areas of use are proj.db's (PROJ 9.1, EPSG 10.076). */
  if (!strcmp(def, "EPSG:4326")) {
    snprintf(k->crs, sizeof k->crs, "+proj=longlat +datum=WGS84 +no_defs +type=crs");
    k->geographic = k->has_area = true;
    memcpy(k->area, (double[4]){-180, -90, 180, 90}, sizeof k->area);
    k->area_name = "World.";
  } else if (!strcmp(def, "EPSG:3857")) {
    snprintf(k->crs, sizeof k->crs, "+proj=webmerc +datum=WGS84 +type=crs");
    k->has_area = true;
    memcpy(k->area, (double[4]){-180, -85.06, 180, 85.06}, sizeof k->area);
    k->area_name = "World between 85.06°S and 85.06°N.";
  } else if ((zone = utm_zone(def, &south)) > 0) {
    snprintf(k->crs, sizeof k->crs, "+proj=utm +zone=%d%s +datum=WGS84 +units=m +no_defs +type=crs",
             zone, south ? " +south" : "");
    k->has_area = true;
    double w = -180 + 6.0 * (zone - 1);
    memcpy(k->area, (double[4]){w, south ? -80 : 0, w + 6, south ? 0 : 84}, sizeof k->area);
    /* proj.db's name in its own words, less the list of countries it goes on with. */
    int w0 = (int)w, e0 = (int)w + 6;
    snprintf(k->name, sizeof k->name,
             "Between %d°%s and %d°%s, %s hemisphere between %s, onshore and offshore.", abs(w0),
             w0 < 0 ? "W" : "E", abs(e0), e0 <= 0 ? "W" : "E", south ? "southern" : "northern",
             south ? "80°S and equator" : "equator and 84°N");
    k->area_name = k->name;
  } else if (plain_proj_string(def)) {
    k->crs[0] = '\0'; /* def itself (shoal_xform_priv_crs adds +type=crs) */
  } else {
    return false;
  }
  return true;
}
