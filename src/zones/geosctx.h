/* The GEOS context behind a shoal_zgeos, shared by the two files of the GEOS adapter
 * (zones/geos.c, zones/geosprep.c); nothing else includes geos_c.h. Internal to zones/. */
#ifndef SHOAL_ZONES_GEOSCTX_H
#define SHOAL_ZONES_GEOSCTX_H

#include <geos_c.h>

#include "zones/zgeos.h"

struct shoal_zgeos {
  GEOSContextHandle_t h;
  char err[256];
};

#define G(z) ((const GEOSGeometry *)(const void *)(z))
#define Z(g) ((shoal_zg *)(void *)(g))

#endif
