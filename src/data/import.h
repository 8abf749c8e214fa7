/* `shoal import`: CSV (UTF-8, RFC 4180 quoting, '#' comment lines before the header) to a
 * shapefile written with shapelib, with a WGS84 .prj and a UTF-8 .cpg. */
#ifndef SHOAL_IMPORT_H
#define SHOAL_IMPORT_H

#include <stdbool.h>

#include "core/diag.h"
#include "core/status.h"

typedef struct shoal_import_opts {
  const char *in;        /* CSV path */
  const char *out;       /* .shp path (the .shx/.dbf/.prj/.cpg beside it) */
  bool lines;            /* one line per group instead of one point per row */
  const char *group;     /* --group COLUMN (lines) */
  const char *order;     /* --order COLUMN (lines; numeric sort within a group) */
  const char *lon, *lat; /* coordinate column names; default "lon", "lat" */
  /* --rename OLD=NEW pairs for DBF field names (max 10 bytes). */
  const char *const *renames;
  int nrenames;
} shoal_import_opts;

/* Points: one per row, every other column a DBF field typed by its values (integer if all are
 * integers, double if all numeric, else string sized to the longest UTF-8 value). Lines: one
 * feature per group value in order of first appearance; non-coordinate columns that are
 * constant within a group become fields (others are dropped, with a note). Bad input (missing
 * column, non-numeric coordinate, latitude outside -90..90 or longitude outside -180..360,
 * ragged row, field name clash) is "file:line: error: ..." with SHOAL_ERR_DATA. Output is
 * written under temporary names and renamed into place only on success. */
shoal_status shoal_import_csv(const shoal_import_opts *o, shoal_diag *d);

#endif
