/* Shared by the importers (import.c for CSV, importshp.c for shapefiles): output under
 * temporary names, DBF field naming rules, --rename/--add-field parsing. Internal to src/data/. */
#ifndef SHOAL_IMPORT_PRIV_H
#define SHOAL_IMPORT_PRIV_H

#include <stdbool.h>

#include <shapefil.h>

#include "base/diag.h"
#include "data/import.h"
#include "data/shp_priv.h"
#include "data/source.h"

#define DBF_MAX_NAME 10
#define DBF_MAX_STRING 254
#define DBF_MAX_RECORD 65535
#define DBF_MAX_FIELDS 255
#define IMPORT_MAX_ERRORS 20 /* per import, so a broken file does not print thousands */

/* The WKT every CSV import gets: the ESRI form of WGS84 that the shapes/ .prj files use. */
#define SHOAL_WGS84_WKT                                                                            \
  "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"                  \
  "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]"

/* What `shoal import` says it expects of an input that is something else. */
#define SHOAL_IMPORT_EXPECT "`shoal import` reads CSV files and " SHOAL_SHP_WHAT

/* One field of the output DBF. */
typedef struct imp_field {
  char name[DBF_MAX_NAME + 1];
  char native; /* 'C', 'N', 'L', 'D' */
  int width, decimals;
  int src;           /* input column / field index, or -1 for an --add-field constant */
  const char *value; /* the constant of an --add-field, borrowed from the options */
} imp_field;

typedef struct imp_out {
  char *final_base; /* OUT without ".shp" */
  char *tmp_base;   /* OUT without ".shp" plus a per-process suffix */
  const char *out;  /* as given, for messages */
  SHPHandle shp;
  DBFHandle dbf;
  int nrec;
  bool fid; /* no fields were asked for: a record-number FID field stands in */
} imp_out;

/* ASCII letter, then letters, digits or '_', at most 10 bytes. */
bool shoal_import_name_ok(const char *name);
/* NEW for a --rename OLD=NEW whose OLD equals col (exactly, else ignoring case), or NULL.
 * Borrowed from o->renames. */
const char *shoal_import_renamed(const shoal_import_opts *o, const char *col);
/* Check the syntax of every --rename and --add-field (USAGE errors, file NULL). */
bool shoal_import_check_opts(const shoal_import_opts *o, shoal_diag *d);
/* Append the --add-field constants to fields (room for nadd_fields more is the caller's). */
void shoal_import_add_constants(const shoal_import_opts *o, imp_field *fields, int *nf);
/* Two fields whose names are equal ignoring case (DBF names are): index of the later, or -1. */
int shoal_import_name_clash(const imp_field *f, int nf, int *first);

/* Create OUT's temporary .shp/.shx/.dbf with the given fields. Errors (CANTCREAT, USAGE for a
 * name not ending in .shp, DATA for a record over 65535 bytes) go to d. */
shoal_status shoal_import_out_begin(imp_out *w, const char *out, int shptype, const imp_field *f,
                                    int nf, shoal_diag *d);
/* Write one shape (consumed) and its record's fields from vals (NULL = null). Numbers are text
 * already formatted for the field (right-aligned here). */
shoal_status shoal_import_out_record(imp_out *w, SHPObject *obj, const imp_field *f, int nf,
                                     const char *const *vals, shoal_diag *d);
/* Close, add .prj and .cpg, read the set back, then rename all five files into place. */
shoal_status shoal_import_out_finish(imp_out *w, const char *prj, shoal_diag *d);
/* Remove whatever temporary files exist; safe after finish. */
void shoal_import_out_abort(imp_out *w);

#endif
