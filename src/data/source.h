/* Vector data sources: the shapefile reader (shapelib behind it) with its spatial index and
 * attribute access, and every other vector format (GeoJSON, GeoPackage, KML/KMZ, FlatGeobuf,
 * CSV) read through GDAL/OGR behind the same calls. A source is opened once per process and may be
 * shared by jobs running in parallel threads: every function here is thread-safe on the same
 * handle. */
#ifndef SHOAL_SOURCE_H
#define SHOAL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/status.h"
#include "geo/geom.h"

typedef struct shoal_source shoal_source;

typedef enum shoal_field_type {
  SHOAL_FIELD_STRING = 0,
  SHOAL_FIELD_INTEGER = 1,
  SHOAL_FIELD_DOUBLE = 2,
  SHOAL_FIELD_LOGICAL = 3,
  SHOAL_FIELD_DATE = 4
} shoal_field_type;

/* "string", "integer", "double", "logical" or "date" (static string; `shoal info` prints it). */
const char *shoal_field_type_name(shoal_field_type t);

typedef struct shoal_field_info {
  char name[64]; /* a DBF name has at most 11 bytes; other formats' may be longer */
  shoal_field_type type;
  int width, decimals;
} shoal_field_info;

/* Open path (.shp, or its base name without .shp; the .shx/.dbf beside it; .prj read as WKT;
 * .cpg or the DBF language driver byte gives the code page). Errors go to d naming the file: a
 * missing path is SHOAL_ERR_NOINPUT ("cannot open 'x': No such file or directory"); something
 * else than a shapefile is SHOAL_ERR_DATA saying what it is and what is expected ("'x.yaml' is
 * a YAML file, not a shapefile: data files are shapefiles (...)"); a broken shapefile is
 * SHOAL_ERR_DATA with the reason. A missing .prj is a warning (WGS84 assumed). The caller
 * closes *out with shoal_source_close. */
shoal_status shoal_source_open(const char *path, shoal_diag *d, shoal_source **out);

/* Which part of a file a source reads: the layer (table) of a GeoPackage, KML or other
 * multi-layer file, and the coordinate columns of a CSV file. NULL members mean "the only
 * layer" and "found by name" (lon/lng/long/longitude/x, lat/latitude/y, any case). loc is
 * where the file was named (the `data:` value), for the messages of a file that cannot be
 * read; zero for none. */
typedef struct shoal_source_opts {
  const char *layer;
  const char *lon, *lat;
  shoal_loc loc;
} shoal_source_opts;

/* shoal_source_open for any format: a path ending in .shp (or with no extension Shoal reads
 * through GDAL) is a shapefile as above; .geojson/.json, .gpkg, .kml/.kmz, .fgb and .csv are
 * read through GDAL/OGR. o may be NULL. Errors name o->loc, the path and GDAL's reason: a
 * missing path is SHOAL_ERR_NOINPUT; an unreadable file, a missing layer, a CSV file without
 * coordinate columns are SHOAL_ERR_DATA. The caller closes *out with shoal_source_close. */
shoal_status shoal_source_open_opts(const char *path, const shoal_source_opts *o, shoal_diag *d,
                                    shoal_source **out);
/* Is path read through GDAL (by its extension), not shapelib? */
bool shoal_source_path_is_ogr(const char *path);
void shoal_source_close(shoal_source *s);

/* What identifies the source among others of the same file (the path, plus the layer and
 * coordinate columns for files read through GDAL), for caches. Borrowed until
 * shoal_source_close. */
const char *shoal_source_key(const shoal_source *s);

/* The path as given; borrowed until shoal_source_close. */
const char *shoal_source_path(const shoal_source *s);
shoal_geom_kind shoal_source_kind(const shoal_source *s);
/* "Polygon", "PolyLineZ", ...: static text, never freed. */
const char *shoal_source_type_name(const shoal_source *s);
int shoal_source_count(const shoal_source *s);
void shoal_source_bounds(const shoal_source *s, double b[4]);
/* CRS definition to hand to PROJ: the .prj WKT, or "EPSG:4326" when there is none. Borrowed
 * until shoal_source_close. */
const char *shoal_source_crs(const shoal_source *s);
bool shoal_source_has_prj(const shoal_source *s);
/* Code page as read ("UTF-8", "LDID/87", "ISO-8859-1", ...), or "" when unknown. Borrowed
 * until shoal_source_close. */
const char *shoal_source_codepage(const shoal_source *s);
bool shoal_source_has_qix(const shoal_source *s); /* a .qix was found and is used */

int shoal_source_nfields(const shoal_source *s);
/* Field i, or NULL when out of range; borrowed until shoal_source_close. */
const shoal_field_info *shoal_source_field(const shoal_source *s, int i);
/* Field index by name (case-insensitive), or -1. Signature matches shoal_field_lookup_fn. */
int shoal_source_field_index(void *source, const char *name);

/* Ids of shapes whose bounding box intersects bbox (source CRS), ascending. Uses the .qix when
 * present, else an in-memory quadtree built on first use. Caller frees *ids with free(). */
shoal_status shoal_source_query(shoal_source *s, const double bbox[4], int **ids, size_t *n);

/* Size in bytes of shape id's record in the .shp (about 16 per vertex), from the .shx: a
 * cheap estimate of the work reading it takes. 0 for a bad id. */
size_t shoal_source_record_bytes(const shoal_source *s, int id);

/* Read shape id into g (cleared first; Z/M dropped; polygons keep all rings in file order as
 * parts; multipoints one part per point). Null shapes give npts 0. */
shoal_status shoal_source_read(shoal_source *s, int id, shoal_geom *g);
/* shoal_source_read followed by shoal_cull_rings(g, q) (data/cull.h): the same geometry, but
 * a shapefile's giant rings listed in its chunk index (.scx, written by
 * shoal_source_write_index) are read only where their chunks' boxes meet q; other sources and
 * rings are read whole and culled. */
shoal_status shoal_source_read_culled(shoal_source *s, int id, const double q[4], shoal_geom *g);
/* A reader of many shapes of one source for one thread, in ascending id order: records lying
 * close together in a shapefile's .shp are read with one pread of up to 1 MB and served from
 * it, instead of one pread each. */
typedef struct shoal_source_reader shoal_source_reader;
/* A reader of the shapes ids[0..n) (ascending; borrowed until shoal_source_reader_free), each
 * read as shoal_source_read_culled(s, id, q, g) reads it (q copied), or as shoal_source_read
 * when q is NULL. NULL when out of memory. Caller frees with shoal_source_reader_free. */
shoal_source_reader *shoal_source_reader_new(shoal_source *s, const int *ids, size_t n,
                                             const double *q);
/* Read shape id into g as the reader's source would; ids off the list are read on their own.
 * Errors are shoal_source_read's, reported with shoal_source_read_error. */
shoal_status shoal_source_reader_read(shoal_source_reader *r, int id, shoal_geom *g);
void shoal_source_reader_free(shoal_source_reader *r);

/* Record in d the message for a failed shoal_source_read (id >= 0) or shoal_source_query
 * (id -1) that returned st, e.g. "'x.shp' is not a valid shapefile: record 12 (shape id 11)
 * cannot be read". The read functions take no diag so that they stay cheap per shape. */
void shoal_source_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d);

/* Attribute of shape id as UTF-8 text (converted from the code page; numbers formatted
 * without trailing zeros), or NULL when null. Caller frees with free(). A record that cannot
 * be read also gives NULL here: use shoal_source_attr_read where that can be reported. */
char *shoal_source_attr(shoal_source *s, int id, int field);
/* shoal_source_attr, and *failed (when failed is not NULL) true when the record cannot be read
 * (the .dbf changed or became unreadable after it was opened: the size and record count were
 * checked then), which the caller reports with shoal_source_attr_error. Caller frees the
 * result with free(). */
char *shoal_source_attr_read(shoal_source *s, int id, int field, bool *failed);
/* Record in d that record id of s's .dbf cannot be read (SHOAL_ERR_DATA, naming the .dbf). */
void shoal_source_attr_error(const shoal_source *s, int id, shoal_diag *d);

/* Write a .qix for path (shapelib quadtree) so later opens use it: under a temporary name,
 * read back and checked, then renamed into place; and, for a polygon file with giant rings,
 * their chunk index (.scx, see shpchunk.c) the same way (an old .scx is removed when there are
 * none). */
shoal_status shoal_source_write_index(const char *path, shoal_diag *d);

/* Print what `shoal info` shows: geometry type, feature count, extent, CRS (the .prj's name
 * and WKT summary), code page, index, then each field with type/width/decimals. Errors are
 * those of shoal_source_open, with "`shoal info` reads shapefiles (...)" as what is expected.
 * A file read through GDAL is described layer by layer (geometry, count, extent, CRS, index,
 * fields). */
shoal_status shoal_source_print_info(const char *path, FILE *out, shoal_diag *d);

#endif
