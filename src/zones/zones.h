/* Maritime zones computed from coastlines: each state's 12/24/200-nm limits (sea within that
 * geodesic distance of its baselines, land removed), the median lines between states whose
 * outer limits overlap, each state's modelled zone (its outer limit up to the median lines),
 * the overlapping entitlements, and a claim line's area inside each modelled zone, with
 * geodesic areas. Geometry is lon/lat on WGS84; polygon overlay goes through GEOS (one
 * context per worker), distances through the geodesic routines. docs/zones.md has the method
 * and its accuracy. */
#ifndef SHOAL_ZONES_H
#define SHOAL_ZONES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/status.h"
#include "geo/geom.h"

#define SHOAL_NM 1852.0 /* metres in a nautical mile */

/* One state's input: its land polygons and its straight baselines (lines; may be empty). */
typedef struct shoal_zones_state {
  char *name;
  shoal_geom land;  /* SHOAL_GEOM_POLYGON */
  shoal_geom lines; /* SHOAL_GEOM_LINE */
  bool land_only;   /* its land is land, but no zones are computed for it */
} shoal_zones_state;

typedef struct shoal_zones_in {
  shoal_zones_state *states;
  size_t nstates, cap;
  shoal_geom claim; /* SHOAL_GEOM_LINE: the claim line's parts in order; npts 0 = none */
} shoal_zones_in;

void shoal_zones_in_init(shoal_zones_in *in);
void shoal_zones_in_free(shoal_zones_in *in);
/* The state named name (added, empty, when new); NULL when out of memory. Borrowed until
 * shoal_zones_in_free. */
shoal_zones_state *shoal_zones_in_state(shoal_zones_in *in, const char *name);

typedef struct shoal_zones_opts {
  const double *nm; /* limits in nautical miles, ascending; the largest also gives the modelled
                       zones, overlaps and median lines */
  size_t nnm;
  int threads;   /* workers (>= 1) */
  double tol_nm; /* refinement tolerance at edge midpoints; 0 = 0.02 nm */
  /* Called (from any worker, one at a time) after each step: done of total. May be NULL. */
  void (*progress)(void *ctx, size_t done, size_t total);
  void *progress_ctx;
} shoal_zones_opts;

typedef enum shoal_zone_kind {
  SHOAL_ZONE_LIMIT = 0,    /* a: state; nm; polygon (land removed) and line (the limit) */
  SHOAL_ZONE_MODELLED = 1, /* a: state; polygon */
  SHOAL_ZONE_OVERLAP = 2,  /* a, b: states; polygon */
  SHOAL_ZONE_MEDIAN = 3,   /* a, b: states; line */
  SHOAL_ZONE_CLAIM = 4     /* a: state; polygon: the closed claim line inside its zone */
} shoal_zone_kind;

typedef struct shoal_zone_feat {
  shoal_zone_kind kind;
  int a, b; /* state indexes into the input; b -1 when one state */
  double nm;
  shoal_geom poly; /* polygon result (outer rings clockwise, holes counter-clockwise) */
  shoal_geom line; /* limit: the limit line before land was removed; median: the line */
  double area_m2;  /* geodesic area of poly */
} shoal_zone_feat;

typedef struct shoal_zones_result {
  shoal_zone_feat *f;
  size_t n, cap;
  long work; /* distance evaluations done while refining (for the benchmark) */
} shoal_zones_result;

/* Compute everything for in. Errors (out of memory, a GEOS failure naming the step) go to
 * d. The caller frees r with shoal_zones_result_free, also after an error. */
shoal_status shoal_zones_compute(const shoal_zones_in *in, const shoal_zones_opts *o,
                                 shoal_zones_result *r, shoal_diag *d);
void shoal_zones_result_free(shoal_zones_result *r);

/* Geodesic area in square metres of polygon g (rings as parts, holes subtracted). */
double shoal_zones_area(const shoal_geom *g);

/* Mark every state not in the comma-separated list as land only; false (with a usage error
 * naming it) when the list names a state the layer does not have. */
bool shoal_zones_select(shoal_zones_in *in, const char *list, shoal_diag *d);

/* Read the land layer (polygons; field names each feature's state), optional straight
 * baselines (lines, same field) and an optional claim line into in. Errors: a missing file
 * (66), a layer of the wrong geometry, an empty layer or an unknown field (65, naming the
 * file and, for the field, the fields it has). */
shoal_status shoal_zones_read(const char *land, const char *field, const char *baselines,
                              const char *claim, shoal_zones_in *in, shoal_diag *d);

/* Write limits.shp, limit_lines.shp, zones.shp, overlaps.shp, medians.shp, claim.shp (when
 * computed) and areas.csv into the folder dir (which must exist). State fields are named
 * state_field (pairs: its first 8 letters and _a, _b). */
shoal_status shoal_zones_write(const shoal_zones_in *in, const shoal_zones_result *r,
                               const char *state_field, const char *dir, shoal_diag *d);

#endif
