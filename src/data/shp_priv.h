/* Internals of the shapefile reader (shp.c, shpindex.c, shptext.c), also used by the importers
 * and the CSV reader; not for use outside src/data/. */
#ifndef SHOAL_SHP_PRIV_H
#define SHOAL_SHP_PRIV_H

#include <iconv.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include <shapefil.h>

#include "data/source.h"

/* Caps that keep a hostile or broken file from making us allocate without bound. */
#define SHP_MAX_RECORDS (1 << 28)           /* .shx can index at most this many shapes */
#define SHP_MAX_QIX_BYTES ((size_t)1 << 29) /* whole .qix is read into memory */
#define SHP_MAX_PRJ_BYTES ((size_t)64 << 10)
#define SHP_MAX_QIX_DEPTH 64

/* How DBF strings become UTF-8. */
typedef enum shp_text_mode {
  SHP_TEXT_UTF8 = 0,  /* declared UTF-8: validate, replace bad bytes with U+FFFD */
  SHP_TEXT_ICONV = 1, /* a known code page: iconv to UTF-8 */
  SHP_TEXT_GUESS = 2  /* unknown: UTF-8 when valid, else CP1252 (the usual ANSI page) */
} shp_text_mode;

typedef struct shp_text {
  shp_text_mode mode;
  iconv_t cd;          /* (iconv_t)-1 when unused; stateful, so used under the source mutex */
  char iconv_name[32]; /* what cd converts from, for `shoal info` */
} shp_text;

struct shoal_source {
  pthread_mutex_t mu; /* guards shp, dbf, text.cd and the lazily built index */
  char *path;         /* as the caller gave it, for messages */
  char *base;         /* path without the .shp extension */
  SHPHandle shp;
  DBFHandle dbf;
  int fd; /* our own read-only descriptor on the .shp for pread of record boxes */
  unsigned long long shp_size;
  int nshapes;
  int shptype;
  shoal_geom_kind kind;
  double bounds[4];
  char *crs; /* .prj text or "EPSG:4326" */
  bool has_prj;
  char *codepage;   /* as read, "" when unknown */
  bool cp_from_cpg; /* codepage came from a .cpg, not the DBF header */
  shp_text text;
  locale_t cloc; /* the C locale, for number parsing/formatting whatever the process uses */
  int nfields;
  shoal_field_info *fields;
  char *native; /* DBF native type letter of each field */
  int dbf_records;

  /* Spatial index: either a .qix read into memory or per-shape boxes built on first query. */
  bool has_qix;
  unsigned char *qix;
  size_t qix_len;
  bool qix_swap;
  bool boxes_built;
  double *boxes; /* 4 per shape: minx miny maxx maxy; null shapes have minx = +inf */
};

/* shptext.c */
void shoal_shp_text_init(shp_text *t);
/* Choose the conversion for a .cpg text or LDID code page string ("LDID/87"); "" or NULL means
 * unknown. Returns false (and sets up GUESS) when the name is not known to iconv. */
bool shoal_shp_text_setup(shp_text *t, const char *codepage);
void shoal_shp_text_fini(shp_text *t);
/* Convert len bytes to a new NUL-terminated UTF-8 string with trailing spaces trimmed. Caller
 * frees; NULL when out of memory. */
char *shoal_shp_text_to_utf8(shp_text *t, const char *in, size_t len);
/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
bool shoal_shp_utf8_valid(const char *s, size_t len);
/* Turn one raw DBF value (already copied) of the given field into display text; consumes raw
 * (frees it or returns it). NULL for null/empty values. */
char *shoal_shp_format_value(shoal_source *s, int field, char *raw);

/* shpindex.c */
/* Read path's .qix into s (ignored, with a warning in d, when damaged or out of date). */
void shoal_shp_index_open_qix(shoal_source *s, const char *qix_path, shoal_diag *d);
/* Validate a .qix image: structure, depth, ids below nshapes. Returns false with a reason. */
bool shoal_shp_qix_check(const unsigned char *buf, size_t len, int nshapes, const char **why);
/* Bounding box of record id read straight from the .shp (no vertices); false on I/O error or
 * a damaged record header. Null shapes give minx = +inf. */
bool shoal_shp_read_box(const shoal_source *s, int id, double b[4]);

/* shp.c */
/* a followed by b. Caller frees with free(); NULL when out of memory. */
char *shoal_shp_concat(const char *a, const char *b);
/* Read a whole small file (at most cap bytes) into a NUL-terminated buffer. Returns 0, or the
 * errno; EFBIG when over the cap. */
int shoal_shp_slurp(const char *path, size_t cap, char **out, size_t *len);
/* The file that exists among base+ext_lower and base+ext_upper, or NULL (caller frees). */
char *shoal_shp_sidecar(const char *base, const char *ext_lower);

#endif
