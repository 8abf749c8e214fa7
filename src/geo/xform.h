/* Coordinate reference systems, batch transformations and geodesics. The only module that
 * talks to PROJ. Every handle belongs to one job or thread (one PJ_CONTEXT each), so jobs can
 * run in parallel threads; what is worked out once per process (which CRS a definition is,
 * the operation for a pair) lives in a thread-safe shoal_projcache that contexts share. */
#ifndef SHOAL_XFORM_H
#define SHOAL_XFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"
#include "geo/seam.h"

typedef struct shoal_proj shoal_proj;           /* per-job PROJ context */
typedef struct shoal_xform shoal_xform;         /* one source CRS -> one target CRS */
typedef struct shoal_projcache shoal_projcache; /* shared: identified CRSs, built operations */

/* The cache a process (a batch, a render) shares between its jobs and threads: each CRS
 * definition is identified once (an ESRI .prj of WGS84 lon/lat counts as EPSG:4326) and each
 * pair's operation is built once (proj.db searches) and cloned into every context that asks.
 * Thread-safe. Caller frees with shoal_projcache_free after every context using it is freed.
 * NULL when out of memory. */
shoal_projcache *shoal_projcache_new(void);
void shoal_projcache_free(shoal_projcache *c);

/* A context with a cache of its own. Caller frees with shoal_proj_free. NULL when out of
 * memory. */
shoal_proj *shoal_proj_new(void);
/* A context that uses c (borrowed: must outlive the context). Caller frees with
 * shoal_proj_free. NULL when out of memory. */
shoal_proj *shoal_proj_new_shared(shoal_projcache *c);
void shoal_proj_free(shoal_proj *p);
/* The shared cache t's context uses, for another thread's context (shoal_proj_new_shared).
 * Borrowed until that context's cache is freed. */
shoal_projcache *shoal_xform_cache(const shoal_xform *t);

/* Check that def names a CRS PROJ understands ("EPSG:3857", "+proj=lcc ...", WKT, PROJJSON).
 * On failure returns SHOAL_ERR_DATA and writes PROJ's reason to err. */
shoal_status shoal_proj_check_crs(shoal_proj *p, const char *def, char *err, size_t errlen);
/* True when def is a geographic (lon/lat) CRS. */
bool shoal_proj_is_geographic(shoal_proj *p, const char *def);

/* Create a transformation src -> dst with axis order normalised to x=east/lon, y=north/lat
 * (proj_normalize_for_visualization). Caller frees with shoal_xform_free. On failure returns
 * SHOAL_ERR_DATA with the reason in err. src/dst may be equal (identity, fast path). */
shoal_status shoal_xform_new(shoal_proj *p, const char *src, const char *dst, shoal_xform **out,
                             char *err, size_t errlen);
void shoal_xform_free(shoal_xform *t);
/* The same transformation as t in context p, so that another thread (with its own context)
 * can use it: a clone of the shared operation when p shares t's cache, else made afresh; same
 * arguments and results as shoal_xform_new. */
shoal_status shoal_xform_copy(shoal_proj *p, const shoal_xform *t, shoal_xform **out, char *err,
                              size_t errlen);
bool shoal_xform_is_identity(const shoal_xform *t);

/* Transform n interleaved x,y pairs in place, forward (src->dst) or inverse. Points that fail
 * (outside the projection's domain) are set to HUGE_VAL. Returns the number that succeeded. */
size_t shoal_xform_fwd(shoal_xform *t, double *xy, size_t n);
size_t shoal_xform_inv(shoal_xform *t, double *xy, size_t n);

/* Transform a box {minx,miny,maxx,maxy}, sampling `densify` points per edge (21 is good),
 * forward or inverse; the result bounds all points that transformed. PROJ's edge walk is
 * combined with a grid over the interior, so a box reaching past the CRS's domain (a world box
 * into an orthographic view) still yields the visible part. Returns SHOAL_ERR_DATA when no
 * point transformed (the CRS cannot show that area). */
/* Points per box edge (and grid lines) that every view and query box uses: enough that a
 * curved graticule in a conic or polar CRS is followed to well under a pixel. */
#define SHOAL_DENSIFY 21

shoal_status shoal_xform_bounds(shoal_xform *t, const double in[4], double out[4], int densify,
                                bool inverse);

/* Where the map CRS of t (its target) tears or hides lon/lat geometry of its source: its
 * seam (the antimeridian of its central meridian, read from PROJ) or, for an azimuthal view,
 * the cap it can show; nothing (all false) when the source is not lon/lat. Worked out on first
 * use; borrowed until t is freed. */
const shoal_seam *shoal_xform_seam(shoal_xform *t);

/* The area of use PROJ records for CRS def, degrees {west, south, east, north} (west > east
 * when it crosses 180), and its name into name. False when PROJ knows none. */
bool shoal_proj_area_of_use(shoal_proj *p, const char *def, double box[4], char *name,
                            size_t namelen);

/* Geodesic on the WGS84 ellipsoid. Distance in metres; azimuths in degrees (may be NULL). */
double shoal_geod_inverse(double lon1, double lat1, double lon2, double lat2, double *azi1,
                          double *azi2);
/* Point reached from (lon,lat) going dist metres at azimuth azi degrees. */
void shoal_geod_direct(double lon, double lat, double azi, double dist, double *lon2, double *lat2);
/* Signed area in square metres of the ring xy (n lon,lat vertices; closing vertex optional) on
 * the ellipsoid: positive when counter-clockwise (geod_polygonarea). */
double shoal_geod_ring_area(const double *xy, size_t n);

/* The version of PROJ running, "9.1.1" (proj_info().version; .release adds the date). Static
 * string. */
const char *shoal_proj_version(void);

#endif
