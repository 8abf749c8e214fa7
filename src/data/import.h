/* `shoal import`: CSV (UTF-8, RFC 4180 quoting, '#' comment lines before the header) or a
 * shapefile to a shapefile written with shapelib, with a .prj (WGS84 for CSV) and a UTF-8 .cpg. */
#ifndef SHOAL_IMPORT_H
#define SHOAL_IMPORT_H

#include <stdbool.h>

#include "base/diag.h"
#include "base/status.h"

typedef struct shoal_import_opts {
  const char *in;        /* CSV path (or .shp for shoal_import_shp) */
  const char *out;       /* .shp path (the .shx/.dbf/.prj/.cpg beside it) */
  bool lines;            /* one line per group instead of one point per row */
  const char *group;     /* --group COLUMN (lines) */
  const char *order;     /* --order COLUMN (lines; numeric sort within a group) */
  const char *lon, *lat; /* coordinate column names; default "lon", "lat" */
  const char *layer;     /* layer of a multi-layer file read through GDAL, or NULL */
  bool lon_360;          /* --lon-range 0..360: longitudes in 0..360 instead of -180..180 */
  /* --rename OLD=NEW pairs for DBF field names (max 10 bytes). */
  const char *const *renames;
  int nrenames;
  /* --add-field NAME=VALUE: a string field holding VALUE in every record (e.g. to state that
   * a layer is a model). Appended after the input's fields. */
  const char *const *add_fields;
  int nadd_fields;
} shoal_import_opts;

/* Points: one per row, every other column a DBF field typed by its values (integer if all are
 * integers, double if all numeric, else string sized to the longest UTF-8 value). Lines: one
 * feature per group value in order of first appearance; non-coordinate columns that are
 * constant within a group become fields (others are dropped, with a note). Bad input (missing
 * column, a coordinate that is not a plain decimal number (hex, inf and nan are refused),
 * latitude outside -90..90, longitude outside -180..180 (0..360 with lon_360), ragged row,
 * field name clash) is "file:line: error: ..." with SHOAL_ERR_DATA. Output is
 * written under temporary names and renamed into place only on success. */
shoal_status shoal_import_csv(const shoal_import_opts *o, shoal_diag *d);

/* Copy a shapefile (geometry with Z/M dropped, attributes converted to UTF-8, the .prj kept)
 * applying renames and added fields. lines/group/order/lon/lat must be unset. Same output
 * rules and errors as shoal_import_csv. lon_360 must be unset too. */
shoal_status shoal_import_shp(const shoal_import_opts *o, shoal_diag *d);

/* shoal_import_shp when o->in ends in .shp (any case) or names a GeoJSON, GeoPackage, KML/KMZ
 * or FlatGeobuf file (read through GDAL, o->layer choosing the layer), else
 * shoal_import_csv. */
shoal_status shoal_import(const shoal_import_opts *o, shoal_diag *d);

#endif
