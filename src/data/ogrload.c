/* Loading GDAL on demand (see ogrgdal.h): the library is opened and its functions looked up
 * the first time a file other than a shapefile is opened, once per process (pthread_once),
 * and its drivers registered then. */
#ifdef SHOAL_HAVE_GDAL

#define SHOAL_GDAL_LOADER 1
#include "data/ogrgdal.h"

#include <pthread.h>
#include <stdbool.h>

#include "base/dynload.h"

static pthread_once_t gdal_once = PTHREAD_ONCE_INIT;
/* Written once, under gdal_once, then only read: which library the process has loaded and
 * its functions, as the dynamic loader's own tables are. */
static shoal_gdal_api gdal_api;
static bool gdal_loaded;
static char gdal_why[512];

static void load_once(void)
{
#define SHOAL_GDAL_SYM(f) {#f, (void **)&gdal_api.f},
  const shoal_dynsym syms[] = {SHOAL_GDAL_FUNCS(SHOAL_GDAL_SYM)};
#undef SHOAL_GDAL_SYM
  if (shoal_dynload(SHOAL_GDAL_SONAME, syms, sizeof syms / sizeof *syms, gdal_why, sizeof gdal_why))
    return;
  gdal_api.CPLPushErrorHandler(gdal_api.CPLQuietErrorHandler);
  gdal_api.GDALAllRegister();
  gdal_api.CPLPopErrorHandler();
  gdal_loaded = true;
}

const shoal_gdal_api *shoal_gdal_load(const char **why)
{
  pthread_once(&gdal_once, load_once);
  *why = gdal_loaded ? NULL : gdal_why;
  return gdal_loaded ? &gdal_api : NULL;
}

const shoal_gdal_api *shoal_gdal(void) { return &gdal_api; }

#endif
