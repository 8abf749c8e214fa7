/* GDAL's C API as the adapter (ogr.c, ogrfeat.c; nobody else includes this) calls it: through
 * a table of the library's functions, looked up when GDAL is first needed. Linking libgdal
 * would load it and its ~65 libraries into every process, shapefile-only ones too (about
 * 0.1 s and 20 MB more at each start); loaded on demand, a map of shapefiles never pays. */
#ifndef SHOAL_OGRGDAL_H
#define SHOAL_OGRGDAL_H

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* Every GDAL function the adapter uses. */
#define SHOAL_GDAL_FUNCS(X)                                                                        \
  X(GDALAllRegister)                                                                               \
  X(GDALOpenEx)                                                                                    \
  X(GDALClose)                                                                                     \
  X(GDALDatasetGetLayerCount)                                                                      \
  X(GDALDatasetGetLayer)                                                                           \
  X(GDALDatasetGetLayerByName)                                                                     \
  X(CPLPushErrorHandler)                                                                           \
  X(CPLPushErrorHandlerEx)                                                                         \
  X(CPLPopErrorHandler)                                                                            \
  X(CPLGetErrorHandlerUserData)                                                                    \
  X(CPLQuietErrorHandler)                                                                          \
  X(VSIMalloc)                                                                                     \
  X(VSIFree)                                                                                       \
  X(VSIFileFromMemBuffer)                                                                          \
  X(VSIFCloseL)                                                                                    \
  X(VSIUnlink)                                                                                     \
  X(OSRGetAuthorityName)                                                                           \
  X(OSRGetAuthorityCode)                                                                           \
  X(OSRExportToWktEx)                                                                              \
  X(OGR_GT_Flatten)                                                                                \
  X(OGR_GT_IsSubClassOf)                                                                           \
  X(OGR_GT_IsSurface)                                                                              \
  X(OGR_GT_IsNonLinear)                                                                            \
  X(OGR_GT_IsCurve)                                                                                \
  X(OGR_L_ResetReading)                                                                            \
  X(OGR_L_GetNextFeature)                                                                          \
  X(OGR_L_GetName)                                                                                 \
  X(OGR_L_GetLayerDefn)                                                                            \
  X(OGR_L_SetIgnoredFields)                                                                        \
  X(OGR_L_TestCapability)                                                                          \
  X(OGR_L_SetSpatialFilterRect)                                                                    \
  X(OGR_L_SetSpatialFilter)                                                                        \
  X(OGR_L_GetSpatialRef)                                                                           \
  X(OGR_L_GetGeomType)                                                                             \
  X(OGR_L_GetFeature)                                                                              \
  X(OGR_L_GetExtent)                                                                               \
  X(OGR_F_Destroy)                                                                                 \
  X(OGR_F_GetFID)                                                                                  \
  X(OGR_F_GetGeometryRef)                                                                          \
  X(OGR_F_IsFieldSetAndNotNull)                                                                    \
  X(OGR_F_GetFieldAsString)                                                                        \
  X(OGR_F_GetFieldAsInteger64)                                                                     \
  X(OGR_F_GetFieldAsInteger)                                                                       \
  X(OGR_F_GetFieldAsDouble)                                                                        \
  X(OGR_F_GetFieldAsDateTimeEx)                                                                    \
  X(OGR_FD_GetFieldDefn)                                                                           \
  X(OGR_FD_GetFieldCount)                                                                          \
  X(OGR_FD_GetGeomFieldCount)                                                                      \
  X(OGR_Fld_GetNameRef)                                                                            \
  X(OGR_Fld_GetWidth)                                                                              \
  X(OGR_Fld_GetType)                                                                               \
  X(OGR_Fld_GetSubType)                                                                            \
  X(OGR_Fld_GetPrecision)                                                                          \
  X(OGR_G_IsEmpty)                                                                                 \
  X(OGR_G_GetGeometryType)                                                                         \
  X(OGR_G_GetGeometryRef)                                                                          \
  X(OGR_G_GetGeometryCount)                                                                        \
  X(OGR_G_GetY)                                                                                    \
  X(OGR_G_GetX)                                                                                    \
  X(OGR_G_GetPointCount)                                                                           \
  X(OGR_G_GetLinearGeometry)                                                                       \
  X(OGR_G_DestroyGeometry)

typedef struct shoal_gdal_api {
#define SHOAL_GDAL_MEMBER(f) __typeof__(f) *f;
  SHOAL_GDAL_FUNCS(SHOAL_GDAL_MEMBER)
#undef SHOAL_GDAL_MEMBER
} shoal_gdal_api;

/* Load GDAL (once per process, drivers registered) and return its functions, or NULL with
 * the reason in why (a static or thread-local string) when it cannot be loaded. */
const shoal_gdal_api *shoal_gdal_load(const char **why);
/* The loaded functions; only after shoal_gdal_load succeeded. */
const shoal_gdal_api *shoal_gdal(void);

/* Calls below go through the table (except in ogrload.c, which fills it). CPLFree is GDAL's own
 * macro for VSIFree. */
#ifndef SHOAL_GDAL_LOADER
#define GDALAllRegister (shoal_gdal()->GDALAllRegister)
#define GDALOpenEx (shoal_gdal()->GDALOpenEx)
#define GDALClose (shoal_gdal()->GDALClose)
#define GDALDatasetGetLayerCount (shoal_gdal()->GDALDatasetGetLayerCount)
#define GDALDatasetGetLayer (shoal_gdal()->GDALDatasetGetLayer)
#define GDALDatasetGetLayerByName (shoal_gdal()->GDALDatasetGetLayerByName)
#define CPLPushErrorHandler (shoal_gdal()->CPLPushErrorHandler)
#define CPLPushErrorHandlerEx (shoal_gdal()->CPLPushErrorHandlerEx)
#define CPLPopErrorHandler (shoal_gdal()->CPLPopErrorHandler)
#define CPLGetErrorHandlerUserData (shoal_gdal()->CPLGetErrorHandlerUserData)
#define CPLQuietErrorHandler (shoal_gdal()->CPLQuietErrorHandler)
#define VSIMalloc (shoal_gdal()->VSIMalloc)
#define VSIFree (shoal_gdal()->VSIFree)
#define VSIFileFromMemBuffer (shoal_gdal()->VSIFileFromMemBuffer)
#define VSIFCloseL (shoal_gdal()->VSIFCloseL)
#define VSIUnlink (shoal_gdal()->VSIUnlink)
#define OSRGetAuthorityName (shoal_gdal()->OSRGetAuthorityName)
#define OSRGetAuthorityCode (shoal_gdal()->OSRGetAuthorityCode)
#define OSRExportToWktEx (shoal_gdal()->OSRExportToWktEx)
#define OGR_GT_Flatten (shoal_gdal()->OGR_GT_Flatten)
#define OGR_GT_IsSubClassOf (shoal_gdal()->OGR_GT_IsSubClassOf)
#define OGR_GT_IsSurface (shoal_gdal()->OGR_GT_IsSurface)
#define OGR_GT_IsNonLinear (shoal_gdal()->OGR_GT_IsNonLinear)
#define OGR_GT_IsCurve (shoal_gdal()->OGR_GT_IsCurve)
#define OGR_L_ResetReading (shoal_gdal()->OGR_L_ResetReading)
#define OGR_L_GetNextFeature (shoal_gdal()->OGR_L_GetNextFeature)
#define OGR_L_GetName (shoal_gdal()->OGR_L_GetName)
#define OGR_L_GetLayerDefn (shoal_gdal()->OGR_L_GetLayerDefn)
#define OGR_L_SetIgnoredFields (shoal_gdal()->OGR_L_SetIgnoredFields)
#define OGR_L_TestCapability (shoal_gdal()->OGR_L_TestCapability)
#define OGR_L_SetSpatialFilterRect (shoal_gdal()->OGR_L_SetSpatialFilterRect)
#define OGR_L_SetSpatialFilter (shoal_gdal()->OGR_L_SetSpatialFilter)
#define OGR_L_GetSpatialRef (shoal_gdal()->OGR_L_GetSpatialRef)
#define OGR_L_GetGeomType (shoal_gdal()->OGR_L_GetGeomType)
#define OGR_L_GetFeature (shoal_gdal()->OGR_L_GetFeature)
#define OGR_L_GetExtent (shoal_gdal()->OGR_L_GetExtent)
#define OGR_F_Destroy (shoal_gdal()->OGR_F_Destroy)
#define OGR_F_GetFID (shoal_gdal()->OGR_F_GetFID)
#define OGR_F_GetGeometryRef (shoal_gdal()->OGR_F_GetGeometryRef)
#define OGR_F_IsFieldSetAndNotNull (shoal_gdal()->OGR_F_IsFieldSetAndNotNull)
#define OGR_F_GetFieldAsString (shoal_gdal()->OGR_F_GetFieldAsString)
#define OGR_F_GetFieldAsInteger64 (shoal_gdal()->OGR_F_GetFieldAsInteger64)
#define OGR_F_GetFieldAsInteger (shoal_gdal()->OGR_F_GetFieldAsInteger)
#define OGR_F_GetFieldAsDouble (shoal_gdal()->OGR_F_GetFieldAsDouble)
#define OGR_F_GetFieldAsDateTimeEx (shoal_gdal()->OGR_F_GetFieldAsDateTimeEx)
#define OGR_FD_GetFieldDefn (shoal_gdal()->OGR_FD_GetFieldDefn)
#define OGR_FD_GetFieldCount (shoal_gdal()->OGR_FD_GetFieldCount)
#define OGR_FD_GetGeomFieldCount (shoal_gdal()->OGR_FD_GetGeomFieldCount)
#define OGR_Fld_GetNameRef (shoal_gdal()->OGR_Fld_GetNameRef)
#define OGR_Fld_GetWidth (shoal_gdal()->OGR_Fld_GetWidth)
#define OGR_Fld_GetType (shoal_gdal()->OGR_Fld_GetType)
#define OGR_Fld_GetSubType (shoal_gdal()->OGR_Fld_GetSubType)
#define OGR_Fld_GetPrecision (shoal_gdal()->OGR_Fld_GetPrecision)
#define OGR_G_IsEmpty (shoal_gdal()->OGR_G_IsEmpty)
#define OGR_G_GetGeometryType (shoal_gdal()->OGR_G_GetGeometryType)
#define OGR_G_GetGeometryRef (shoal_gdal()->OGR_G_GetGeometryRef)
#define OGR_G_GetGeometryCount (shoal_gdal()->OGR_G_GetGeometryCount)
#define OGR_G_GetY (shoal_gdal()->OGR_G_GetY)
#define OGR_G_GetX (shoal_gdal()->OGR_G_GetX)
#define OGR_G_GetPointCount (shoal_gdal()->OGR_G_GetPointCount)
#define OGR_G_GetLinearGeometry (shoal_gdal()->OGR_G_GetLinearGeometry)
#define OGR_G_DestroyGeometry (shoal_gdal()->OGR_G_DestroyGeometry)
#endif

#endif
