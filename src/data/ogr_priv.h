/* Internals of the GDAL/OGR reader: the adapter, ogr.c, ogrfeat.c and ogrload.c (the only
 * files that include GDAL, through ogrgdal.h; split to keep each under the size limit), and
 * ogrstore.c and ogrinfo.c (the features read, kept as plain geometry and UTF-8 text; `shoal
 * info`). Not for use outside src/data/. */
#ifndef SHOAL_OGR_PRIV_H
#define SHOAL_OGR_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "data/shp_priv.h"

/* One feature as read: its vertices (parts as in shoal_geom), its box and its attributes. */
typedef struct ogr_feat {
  bool loaded;
  double box[4]; /* minx = +inf when it has no geometry */
  double *xy;
  size_t npts;
  size_t *parts; /* nparts + 1 entries; NULL when nparts is 0 */
  size_t nparts;
  char **vals; /* one per field, UTF-8 text or NULL; NULL when there are no fields */
} ogr_feat;

struct shoal_ogr {
  void *ds, *lyr;     /* GDALDatasetH, OGRLayerH: used under the source's mutex only */
  bool indexed;       /* queries go through the format's spatial index (else the boxes below) */
  long long *fids;    /* feature id of each shoal id, ascending */
  ogr_feat *feat;     /* one per shoal id */
  int *ogr_field;     /* OGR field index of each of our fields */
  char *key;          /* shoal_source_key */
  char *layer;        /* the layer's name */
  char *prj;          /* the CRS as a .prj holds it (ESRI WKT), or NULL without a CRS */
  const char *format; /* "GeoPackage", ...: static text */
  char vsi[4352];     /* a CSV file's copy without comment lines in GDAL's memory, or "" */
  char err[512];      /* GDAL's message for the last failed read, for shoal_source_read_error */
  int bad_fid_id;     /* the id whose read failed, or -1 */
  size_t skipped;     /* features whose geometry is of another kind than the layer's */
  int nfeat, nfields; /* entries of feat, and of each feature's vals */
};

/* What GDAL said during one call of ours: the first failure (else the first warning). */
typedef struct ogr_errs {
  char msg[512];
  bool failed;
} ogr_errs;

/* ogrfeat.c (with ogr.c, the GDAL adapter) */
/* Install the handler that collects GDAL's messages into e for this thread (nothing is
 * printed); every call into GDAL is wrapped in a push and a pop. */
void shoal_ogr_errs_push(ogr_errs *e);
void shoal_ogr_errs_pop(void);
/* Store GDAL feature f (an OGRFeatureH) as id: geometry of the layer's kind, attributes as
 * text. scratch is a reusable buffer. */
shoal_status shoal_ogr_fill(shoal_source *s, void *f, int id, shoal_geom *scratch);
/* Order of two long long feature ids, for qsort and bsearch. */
int shoal_ogr_cmp_fid(const void *a, const void *b);
/* Read feature id from the file into the store when it is not there yet; under s->mu. */
shoal_status shoal_ogr_fetch(shoal_source *s, int id);
/* The ids of the features whose geometry meets bbox, through the format's index; under s->mu.
 * Features met are stored on the way, so that reading them costs nothing more. */
shoal_status shoal_ogr_index_query(shoal_source *s, const double bbox[4], int **ids, size_t *n);

/* ogr.c */
/* Open path through GDAL as the source *out (see shoal_source_open_opts). */
shoal_status shoal_ogr_open(const char *path, const shoal_source_opts *o, shoal_diag *d,
                            shoal_source **out);

/* Close the dataset (the store is freed by shoal_ogr_free). */
void shoal_ogr_close_ds(struct shoal_ogr *o);
/* The names of path's layers, in file order: *names[0 .. *n) each freed with free(), then
 * *names. Errors as for opening. */
shoal_status shoal_ogr_layer_names(const char *path, char ***names, int *n, shoal_diag *d);

/* ogrinfo.c */
/* `shoal info` for a file read through GDAL: each layer opened as a source and described. */
shoal_status shoal_ogr_print_info(const char *path, FILE *out, shoal_diag *d);

/* ogrstore.c */
/* A missing path (SHOAL_ERR_NOINPUT) or a folder (SHOAL_ERR_DATA), reported at o->loc. */
shoal_status shoal_ogr_check_path(const char *path, const shoal_source_opts *o, shoal_diag *d);
/* The format a path's extension names ("GeoJSON", "GeoPackage", "KML", "KMZ", "FlatGeobuf",
 * "CSV"), static text, or NULL for a path read as a shapefile. */
const char *shoal_ogr_format_of(const char *path);
/* A source shell for a file read through GDAL: path, C locale, mutex; NULL when out of
 * memory. Closed with shoal_source_close. */
shoal_source *shoal_ogr_source_new(const char *path);
/* Free o and the features it holds (the dataset closed first). */
void shoal_ogr_free(struct shoal_ogr *o);
/* The source functions for a file read through GDAL (s->ogr set). */
shoal_status shoal_ogr_read(shoal_source *s, int id, shoal_geom *g);
shoal_status shoal_ogr_query(shoal_source *s, const double bbox[4], int **ids, size_t *n);
char *shoal_ogr_attr(shoal_source *s, int id, int field, bool *failed);
/* The value as a DBF holds it (dates as YYYYMMDD), for `shoal import`. */
char *shoal_ogr_attr_raw(shoal_source *s, int id, int field, bool *failed);
size_t shoal_ogr_record_bytes(const shoal_source *s, int id);
void shoal_ogr_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d);
void shoal_ogr_attr_error(const shoal_source *s, int id, shoal_diag *d);
/* Keep a copy of g (exactly sized) as f's geometry, and its box; false when out of memory. */
bool shoal_ogr_feat_set_geom(ogr_feat *f, const shoal_geom *g);
void shoal_ogr_feat_clear(ogr_feat *f, int nfields);

#endif
