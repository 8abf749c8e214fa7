/* The shapelib version Shoal was built with; SHOAL_SHAPELIB_VERSION comes from CMake. */
#include "data/shpversion.h"

#ifndef SHOAL_SHAPELIB_VERSION
#define SHOAL_SHAPELIB_VERSION "unknown"
#endif

const char *shoal_shp_version(void) { return SHOAL_SHAPELIB_VERSION; }
