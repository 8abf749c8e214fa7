/* GEOS loaded on first use: only `shoal zones` needs it, and linking GEOS (a C++ library with
 * thousands of symbols to bind) into every process cost ~15 M instructions of each start-up.
 * This file defines the GEOS C functions that zones/geos.c and geosprep.c call, under their own
 * names, as calls through pointers looked up in libgeos_c the first time a GEOS context is made, so
 * geos.c is written against geos_c.h as before. A GEOS function used in geos.c but missing from
 * the list below still links (the build links libgeos_c with --as-needed: it then becomes a
 * start-up dependency again; bench/startup.sh lists the libraries a process loads). */
#include <geos_c.h>

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/dynload.h"

#ifndef SHOAL_GEOS_SONAME
#define SHOAL_GEOS_SONAME "libgeos_c.so.1"
#endif

/* Every GEOS function geos.c calls but GEOS_init_r: F(return type, name, (parameters),
 * (arguments)) for those that return a value, V(name, (parameters), (arguments)) for void
 * ones. Each takes a context handle, which only GEOS_init_r (below) hands out, so the table
 * is filled by the time any of them runs. */
// clang-format off
#define SHOAL_GEOS_FUNCS(F, V) \
  F(GEOSGeometry *, GEOSBoundary_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSBuffer_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double width, int quadsegs), (handle, g, width, quadsegs)) \
  F(GEOSGeometry *, GEOSClipByRect_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double xmin, double ymin, double xmax, double ymax), (handle, g, xmin, ymin, xmax, ymax)) \
  F(GEOSMessageHandler_r, GEOSContext_setErrorMessageHandler_r, (GEOSContextHandle_t extHandle, GEOSMessageHandler_r ef, void *userData), (extHandle, ef, userData)) \
  F(GEOSCoordSequence *, GEOSCoordSeq_create_r, (GEOSContextHandle_t handle, unsigned int size, unsigned int dims), (handle, size, dims)) \
  F(int, GEOSCoordSeq_getSize_r, (GEOSContextHandle_t handle, const GEOSCoordSequence *s, unsigned int *size), (handle, s, size)) \
  F(int, GEOSCoordSeq_getXY_r, (GEOSContextHandle_t handle, const GEOSCoordSequence *s, unsigned int idx, double *x, double *y), (handle, s, idx, x, y)) \
  F(int, GEOSCoordSeq_setXY_r, (GEOSContextHandle_t handle, GEOSCoordSequence *s, unsigned int idx, double x, double y), (handle, s, idx, x, y)) \
  F(GEOSGeometry *, GEOSCoverageUnion_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSDifference_r, (GEOSContextHandle_t handle, const GEOSGeometry *g1, const GEOSGeometry *g2), (handle, g1, g2)) \
  V(GEOSFree_r, (GEOSContextHandle_t handle, void *buffer), (handle, buffer)) \
  F(int, GEOSGeomGetX_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double *x), (handle, g, x)) \
  F(int, GEOSGeomGetY_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double *y), (handle, g, y)) \
  F(int, GEOSGeomTypeId_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSGeom_clone_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSGeom_createCollection_r, (GEOSContextHandle_t handle, int type, GEOSGeometry **geoms, unsigned int ngeoms), (handle, type, geoms, ngeoms)) \
  F(GEOSGeometry *, GEOSGeom_createEmptyLineString_r, (GEOSContextHandle_t handle), (handle)) \
  F(GEOSGeometry *, GEOSGeom_createEmptyPolygon_r, (GEOSContextHandle_t handle), (handle)) \
  F(GEOSGeometry *, GEOSGeom_createLineString_r, (GEOSContextHandle_t handle, GEOSCoordSequence *s), (handle, s)) \
  F(GEOSGeometry *, GEOSGeom_createLinearRing_r, (GEOSContextHandle_t handle, GEOSCoordSequence *s), (handle, s)) \
  F(GEOSGeometry *, GEOSGeom_createPointFromXY_r, (GEOSContextHandle_t handle, double x, double y), (handle, x, y)) \
  F(GEOSGeometry *, GEOSGeom_createPolygon_r, (GEOSContextHandle_t handle, GEOSGeometry *shell, GEOSGeometry **holes, unsigned int nholes), (handle, shell, holes, nholes)) \
  F(GEOSGeometry *, GEOSGeom_createRectangle_r, (GEOSContextHandle_t handle, double xmin, double ymin, double xmax, double ymax), (handle, xmin, ymin, xmax, ymax)) \
  V(GEOSGeom_destroy_r, (GEOSContextHandle_t handle, GEOSGeometry *g), (handle, g)) \
  F(const GEOSCoordSequence *, GEOSGeom_getCoordSeq_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(int, GEOSGeom_getDimensions_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(int, GEOSGeom_getExtent_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double *xmin, double *ymin, double *xmax, double *ymax), (handle, g, xmin, ymin, xmax, ymax)) \
  F(GEOSGeometry *, GEOSGeom_transformXY_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, GEOSTransformXYCallback callback, void *userdata), (handle, g, callback, userdata)) \
  F(const GEOSGeometry *, GEOSGetExteriorRing_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(const GEOSGeometry *, GEOSGetGeometryN_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, int n), (handle, g, n)) \
  F(const GEOSGeometry *, GEOSGetInteriorRingN_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, int n), (handle, g, n)) \
  F(int, GEOSGetNumGeometries_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(int, GEOSGetNumInteriorRings_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSIntersection_r, (GEOSContextHandle_t handle, const GEOSGeometry *g1, const GEOSGeometry *g2), (handle, g1, g2)) \
  F(GEOSGeometry *, GEOSLineMerge_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSPointOnSurface_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSPolygonize_r, (GEOSContextHandle_t handle, const GEOSGeometry *const geoms[], unsigned int ngeoms), (handle, geoms, ngeoms)) \
  F(const GEOSPreparedGeometry *, GEOSPrepare_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(char, GEOSPreparedContains_r, (GEOSContextHandle_t handle, const GEOSPreparedGeometry *pg1, const GEOSGeometry *g2), (handle, pg1, g2)) \
  F(char, GEOSPreparedCovers_r, (GEOSContextHandle_t handle, const GEOSPreparedGeometry *pg1, const GEOSGeometry *g2), (handle, pg1, g2)) \
  F(char, GEOSPreparedDistanceWithin_r, (GEOSContextHandle_t handle, const GEOSPreparedGeometry *pg1, const GEOSGeometry *g2, double dist), (handle, pg1, g2, dist)) \
  V(GEOSPreparedGeom_destroy_r, (GEOSContextHandle_t handle, const GEOSPreparedGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSSimplify_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double tolerance), (handle, g, tolerance)) \
  F(GEOSGeometry *, GEOSTopologyPreserveSimplify_r, (GEOSContextHandle_t handle, const GEOSGeometry *g, double tolerance), (handle, g, tolerance)) \
  F(GEOSGeometry *, GEOSUnaryUnion_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(GEOSGeometry *, GEOSUnion_r, (GEOSContextHandle_t handle, const GEOSGeometry *g1, const GEOSGeometry *g2), (handle, g1, g2)) \
  F(GEOSGeometry *, GEOSVoronoiDiagram_r, (GEOSContextHandle_t extHandle, const GEOSGeometry *g, const GEOSGeometry *env, double tolerance, int onlyEdges), (extHandle, g, env, tolerance, onlyEdges)) \
  F(GEOSWKBReader *, GEOSWKBReader_create_r, (GEOSContextHandle_t handle), (handle)) \
  V(GEOSWKBReader_destroy_r, (GEOSContextHandle_t handle, GEOSWKBReader *reader), (handle, reader)) \
  F(GEOSGeometry *, GEOSWKBReader_read_r, (GEOSContextHandle_t handle, GEOSWKBReader *reader, const unsigned char *wkb, size_t size), (handle, reader, wkb, size)) \
  F(GEOSWKBWriter *, GEOSWKBWriter_create_r, (GEOSContextHandle_t handle), (handle)) \
  V(GEOSWKBWriter_destroy_r, (GEOSContextHandle_t handle, GEOSWKBWriter *writer), (handle, writer)) \
  F(unsigned char *, GEOSWKBWriter_write_r, (GEOSContextHandle_t handle, GEOSWKBWriter *writer, const GEOSGeometry *g, size_t *size), (handle, writer, g, size)) \
  V(GEOS_finish_r, (GEOSContextHandle_t handle), (handle)) \
  F(char, GEOSisEmpty_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g)) \
  F(char, GEOSisValid_r, (GEOSContextHandle_t handle, const GEOSGeometry *g), (handle, g))

// clang-format on

typedef struct geos_api {
  GEOSContextHandle_t (*GEOS_init_r)(void);
  SHOAL_GEOS_FUNCS(SHOAL_DYN_FIELD_F, SHOAL_DYN_FIELD_V)
} geos_api;

static pthread_once_t geos_once = PTHREAD_ONCE_INIT;
/* Written once, under geos_once, then only read, as the dynamic loader's own tables are. */
static geos_api geos;
#define SHOAL_DYN_TABLE geos
static bool geos_loaded;

static void load_once(void)
{
  /* no reason kept: a GEOS context that cannot be made is reported by its caller */
  char why[512];
  const shoal_dynsym syms[] = {SHOAL_DYN_SYM(GEOS_init_r)
                                   SHOAL_GEOS_FUNCS(SHOAL_DYN_SYM_F, SHOAL_DYN_SYM_V)};
  geos_loaded =
      !shoal_dynload(SHOAL_GEOS_SONAME, syms, sizeof syms / sizeof *syms, why, sizeof why);
}

/* NULL when GEOS cannot be loaded, as when it cannot make a context: shoal_zgeos_new then
 * fails and its caller reports it. */
GEOSContextHandle_t GEOS_init_r(void)
{
  pthread_once(&geos_once, load_once);
  return geos_loaded ? geos.GEOS_init_r() : NULL;
}

SHOAL_GEOS_FUNCS(SHOAL_DYN_STUB_F, SHOAL_DYN_STUB_V)
