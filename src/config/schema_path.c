/* Data files named in a map (a layer's data:, the inset's data:): found beside the file that
 * names them, then along the search path; a missing file, a folder or a file that is not a
 * shapefile is reported at the value that names it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "base/searchpath.h"
#include "config/node.h"
#include "config/schema.h"

/* p resolved against the folder of the file that wrote it, spelt as before the search path
 * existed (so paths found there, and the messages naming them, stay as they were). */
static char *beside(const shoal_node *n)
{
  const char *p = n->str;
  if (p[0] == '/' || !n->file)
    return shoal_strdup(p);
  const char *slash = strrchr(n->file, '/');
  size_t dl = slash ? (size_t)(slash - n->file) + 1 : 0;
  size_t pl = strlen(p);
  char *r = malloc(dl + pl + 1);
  if (!r)
    return NULL;
  memcpy(r, n->file, dl);
  memcpy(r + dl, p, pl + 1);
  return r;
}

static bool ends_with(const char *s, const char *ext)
{
  size_t n = strlen(s), e = strlen(ext);
  return n >= e && strcasecmp(s + n - e, ext) == 0;
}

/* True when path (which exists) can be a shapefile; otherwise reports what it is instead. */
static bool is_shapefile(shoal_schema *sc, const shoal_node *n, const char *path)
{
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    shoal_schema_err(sc, n, "'%s' is a folder, not a shapefile", path);
    return false;
  }
  /* The formats read through GDAL (src/data/ogr.c) besides shapefiles. */
  static const char *const ogr_exts[] = {".geojson", ".json", ".gpkg", ".kml",
                                         ".kmz",     ".fgb",  ".csv"};
  if (ends_with(path, ".shp"))
    return true;
  for (size_t i = 0; i < sizeof ogr_exts / sizeof ogr_exts[0]; i++)
    if (ends_with(path, ogr_exts[i]))
      return true;
  if (ends_with(path, ".yaml") || ends_with(path, ".yml"))
    shoal_schema_err(sc, n, "'%s' is a YAML file, not a shapefile", path);
  else if (ends_with(path, ".dbf") || ends_with(path, ".shx") || ends_with(path, ".prj") ||
           ends_with(path, ".cpg") || ends_with(path, ".qix"))
    shoal_schema_err(sc, n, "'%s' is part of a shapefile; name its .shp file", path);
  else
    shoal_schema_err(sc, n,
                     "'%s' is not a data file Shoal reads (the name does not end in .shp, "
                     ".geojson, .json, .gpkg, .kml, .kmz, .fgb or .csv)",
                     path);
  return false;
}

char *shoal_schema_data_path(shoal_schema *sc, const shoal_node *n, bool must_exist)
{
  if (!n->str[0] && must_exist) {
    shoal_schema_err(sc, n, "data file name is empty");
    return NULL;
  }
  char *p = beside(n);
  if (!p) {
    shoal_diag_error_at(sc->d, SHOAL_ERR_NOMEM, shoal_node_loc(n), "out of memory");
    return NULL;
  }
  if (!n->str[0])
    return p;
  struct stat st;
  if (stat(p, &st) != 0) {
    char *tried = NULL;
    char *found = shoal_searchpath_find(sc->search, n->file, n->str, must_exist ? &tried : NULL);
    if (!found && !must_exist)
      return p;
    if (!found)
      shoal_diag_error_at(sc->d, SHOAL_ERR_NOINPUT, shoal_node_loc(n),
                          "cannot find data file '%s' (looked in %s)", n->str,
                          tried ? tried : "no folder");
    free(tried);
    free(p);
    if (!found)
      return NULL;
    p = found;
  }
  if (!is_shapefile(sc, n, p)) {
    free(p);
    return NULL;
  }
  return p;
}
