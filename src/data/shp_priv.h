/* Internals of the shapefile reader (shpfile.c, shpkind.c, shpopen.c, shpread.c, shptext.c,
 * shpindex.c, shpinfo.c), also used by the importers and the CSV reader; not for use outside
 * src/data/. */
#ifndef SHOAL_SHP_PRIV_H
#define SHOAL_SHP_PRIV_H

#include <iconv.h>
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
  SHP_TEXT_GUESS = 2  /* unknown: UTF-8 when valid, else iconv_name (CP1252 or ISO-8859-1) */
} shp_text_mode;

typedef struct shp_text {
  shp_text_mode mode;
  iconv_t cd;          /* (iconv_t)-1 when unused; stateful, so used under the source mutex */
  char iconv_name[32]; /* what cd converts from, for `shoal info` */
} shp_text;

struct shoal_ogr; /* data/ogr_priv.h */

struct shoal_source {
  pthread_mutex_t mu;    /* guards shp, dbf, text.cd and the lazily built index (and ogr) */
  struct shoal_ogr *ogr; /* a file read through GDAL (then shp, dbf and the index are unused) */
  char *path;            /* as the caller gave it, for messages */
  char *base;            /* path without the .shp extension */
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
  char *dbf_path; /* owned: the .dbf as found (.dbf or .DBF), for messages */

  /* Spatial index: either a .qix read into memory or per-shape boxes built on first query. */
  bool has_qix;
  bool qix_ignored; /* a .qix was there but damaged or out of date (warned at open) */
  unsigned char *qix;
  size_t qix_len;
  bool qix_swap;
  bool boxes_built;
  double *boxes; /* 4 per shape: minx miny maxx maxy; null shapes have minx = +inf */

  /* Chunk index of the giant rings (.scx, shpchunk.c) read into memory; NULL when there is
   * none or it was ignored (then giant rings are read whole and culled). */
  unsigned char *scx;
  size_t scx_len;
  size_t scx_nrings;
};

/* What a caller that reads shapefiles expects, for "'x' is a YAML file, not a shapefile: ..." */
#define SHOAL_SHP_WHAT "shapefiles (.shp with .shx and .dbf beside it)"
#define SHOAL_SHP_EXPECT "data files are " SHOAL_SHP_WHAT

/* shpfile.c */
/* a followed by b. Caller frees with free(); NULL when out of memory. */
char *shoal_shp_concat(const char *a, const char *b);
/* Read a whole small file (at most cap bytes) into a NUL-terminated buffer that the caller
 * frees with free(). Returns 0, or the errno; EFBIG when over the cap. */
int shoal_shp_slurp(const char *path, size_t cap, char **out, size_t *len);
/* The file that exists among base+ext_lower and base+ext_upper, or NULL. Caller frees with
 * free(). */
char *shoal_shp_sidecar(const char *base, const char *ext_lower);
/* Text of errno e in buf (thread-safe); returns buf. */
const char *shoal_shp_errstr(int e, char *buf, size_t n);
/* Default shapelib hooks with its error messages dropped (ours say what went wrong). */
void shoal_shp_hooks(SAHooks *hooks);

/* shpkind.c */
/* Check what path is before it is opened as a shapefile: a .shp (or a base name whose .shp
 * exists) gives SHOAL_OK and *shp_path, which the caller frees with free(). Else the error is
 * in d: SHOAL_ERR_NOINPUT "cannot open 'x': No such file or directory" when nothing is there,
 * SHOAL_ERR_DATA "'x' is a YAML file, not a shapefile: EXPECT" when it is something else
 * (expect NULL means SHOAL_SHP_EXPECT). */
shoal_status shoal_shp_resolve(const char *path, const char *expect, shoal_diag *d,
                               char **shp_path);
/* What an existing path is when it is not a shapefile ("a folder", "a YAML file", "the attribute
 * table (.dbf) of a shapefile", "a text file", ...), borrowed static text, or NULL when nothing
 * is there. *csv_ok: it may be read as CSV text. hint gets "; ..." advice or "". */
const char *shoal_shp_describe(const char *path, bool *csv_ok, char *hint, size_t hintsz);
/* What follows a description in a message: ", not its .shp" for a shapefile's .dbf, .shx, ...;
 * "" when the description says it all; else other (", not a shapefile"). Static text. */
const char *shoal_shp_not(const char *what, const char *other);

/* shpopen.c */
/* shoal_source_open with the caller's EXPECT for a path that is not a shapefile, and want_qix
 * false when the caller is about to replace the .qix (an old one is not news). Caller closes
 * *out with shoal_source_close. */
shoal_status shoal_shp_open(const char *path, bool want_qix, const char *expect, shoal_diag *d,
                            shoal_source **out);
/* "Polygon", "PolyLineZ", ... (static text) for a shapelib type, or NULL when unknown. */
const char *shoal_shp_type_name(int t);
/* Geometry kind of a shapelib type (SHOAL_GEOM_NONE for Null and MultiPatch). */
shoal_geom_kind shoal_shp_kind_of(int t);

/* shptext.c */
void shoal_shp_text_init(shp_text *t);
/* Choose the conversion for a .cpg text or LDID code page string ("LDID/87"); "" or NULL means
 * unknown. Returns false (and sets up GUESS) when the name is not known to iconv. */
bool shoal_shp_text_setup(shp_text *t, const char *codepage);
void shoal_shp_text_fini(shp_text *t);
/* GUESS mode: UTF-8 where a string is valid UTF-8, else the single-byte page given. */
void shoal_shp_text_guess(shp_text *t, const char *single_byte);
/* Could name (a .cpg's text) be a code page: letters or digits with " _.:-" between them? */
bool shoal_shp_cpg_name_ok(const char *name);
/* Convert len bytes to a new NUL-terminated UTF-8 string with trailing spaces trimmed. Caller
 * frees with free(); NULL when out of memory. */
char *shoal_shp_text_to_utf8(shp_text *t, const char *in, size_t len);
/* True when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
bool shoal_shp_utf8_valid(const char *s, size_t len);
/* Turn one raw DBF value (already copied) of the given field into display text; consumes raw
 * (frees it or returns it). NULL for null/empty values; the caller frees the result with
 * free(). */
char *shoal_shp_format_value(shoal_source *s, int field, char *raw);

/* shpdbf.c */
/* The .dbf against its header (a file cut short) and the .shp (the record count): errors
 * naming the .dbf, SHOAL_ERR_DATA. */
shoal_status shoal_shp_check_dbf(shoal_source *s, shoal_diag *d);
/* The raw DBF text of a value (at most cap bytes; numbers, dates and logicals as written), or
 * NULL when null, out of memory, or when the record cannot be read (*failed true). Caller frees
 * with free(). */
char *shoal_shp_dbf_raw(shoal_source *s, int id, int field, size_t cap, bool *failed);

/* shpindex.c */
/* Read path's .qix into s (ignored, with a warning in d, when damaged or out of date). */
void shoal_shp_index_open_qix(shoal_source *s, const char *qix_path, shoal_diag *d);
/* Validate a .qix image: structure, depth, ids below nshapes. Returns false with a reason. */
bool shoal_shp_qix_check(const unsigned char *buf, size_t len, int nshapes, const char **why);
/* Read a 32-bit integer / a double, byte-swapped when swap. Inline: checking and searching a
 * .qix reads a few hundred thousand of them. */
static inline uint32_t shoal_shp_rd32(const unsigned char *p, bool swap)
{
  uint32_t v;
  memcpy(&v, p, 4);
  return swap ? __builtin_bswap32(v) : v;
}
static inline double shoal_shp_rdf64(const unsigned char *p, bool swap)
{
  uint64_t u;
  memcpy(&u, p, 8);
  if (swap)
    u = __builtin_bswap64(u);
  double v;
  memcpy(&v, &u, 8);
  return v;
}
/* Bounding box of record id read straight from the .shp (no vertices); false on I/O error or
 * a damaged record header. Null shapes give minx = +inf. */
bool shoal_shp_read_box(const shoal_source *s, int id, double b[4]);
/* The record's header and box: the most bytes shoal_shp_read_box reads of a record. */
#define SHP_BOX_HEAD 44
/* How many bytes from its start shoal_shp_read_box reads of record id (0: a record too short
 * to have a type, whose box cannot be read). */
size_t shoal_shp_box_bytes(const shoal_source *s, int id);
/* shoal_shp_read_box from r, those first bytes of the record already read. */
bool shoal_shp_box_from(const shoal_source *s, int id, const unsigned char *r, double b[4]);

/* shpchunk.c: the chunk index (.scx) of giant rings, see shpchunk.c for its layout. */
#define SHP_SCX_HEAD 48  /* bytes of the header */
#define SHP_SCX_ENTRY 24 /* bytes of one ring's entry in the table after it */
/* Read base's .scx into s when it belongs to s's .shp (ignored, with a warning in d, when
 * damaged, of another version or out of date). */
void shoal_shp_chunks_open(shoal_source *s, shoal_diag *d);
/* Write s's .scx (or remove an old one when s has no giant rings); SHOAL_OK or the error in
 * d. */
shoal_status shoal_shp_chunks_write(shoal_source *s, shoal_diag *d);
/* Little-endian numbers of the .scx and the .shp records, whatever the host. */
uint32_t shoal_shp_le32(const unsigned char *p);
uint64_t shoal_shp_le64(const unsigned char *p);
double shoal_shp_lef64(const unsigned char *p);

/* shpchunkread.c */
enum { SHP_DIRECT_OK, SHP_DIRECT_NOMEM, SHP_DIRECT_NO };
/* Read record id of a PolyLine or Polygon file into g (cleared, kind set) straight from the
 * .shp with one pread, as shoal_source_read would: SHP_DIRECT_OK; SHP_DIRECT_NO (g cleared)
 * for other types (Z, M, points) and for any record that looks wrong, which the caller then
 * reads through shapelib to report it. from, when not NULL, holds the record's bytes (its
 * 8-byte header and the .shx's size of content) already read: no pread then. */
int shoal_shp_read_direct(const shoal_source *s, int id, const unsigned char *from, shoal_geom *g);
/* Does record id have giant rings in the chunk index (read by shoal_shp_read_chunked)? */
bool shoal_shp_has_chunks(const shoal_source *s, int id);
/* Record id read through the chunk index against q, as shoal_source_read_culled reads it:
 * SHP_DIRECT_OK, SHP_DIRECT_NOMEM, or SHP_DIRECT_NO (g cleared) when it has no giant rings
 * there or disagrees with the index: then read it whole and cull it. */
int shoal_shp_read_chunked(const shoal_source *s, int id, const double q[4], shoal_geom *g);

/* shpreader.c */
/* The boxes of records ids[0..n) (every record when ids is NULL) into boxes (4 doubles each, as
 * shoal_shp_read_box gives them), records close together in the .shp read with one pread; ids
 * in file order read fastest. False when one cannot be read (as shoal_shp_read_box). */
bool shoal_shp_read_boxes(const shoal_source *s, const int *ids, size_t n, double *boxes);

/* shpread.c */
/* shoal_source_read of a shapefile's record id, from rec (its bytes already read, as
 * shoal_shp_read_direct takes them) or, when rec is NULL, from the .shp. */
shoal_status shoal_shp_read_rec(shoal_source *s, int id, const unsigned char *rec, shoal_geom *g);

/* shpqixmatch.c */
/* Does a well-formed .qix image (checked by shoal_shp_qix_check) belong to s's .shp: not
 * older than it, the same bounds at its root, every shape listed once (only null shapes may be
 * missing) and a sample of the records' boxes inside the nodes that list them? False with the
 * reason in why ("it is older than 'x.shp' ..."). */
bool shoal_shp_qix_matches(const shoal_source *s, const char *qix_path, const unsigned char *buf,
                           bool swap, char *why, size_t wsz);

/* Parts of `shoal info` shared by shapefiles and GDAL sources (shpinfo.c): the extent line
 * (printed in the C locale) and the field table. */
void shoal_info_print_extent(const shoal_source *s, FILE *out);
void shoal_info_print_fields(const shoal_source *s, FILE *out);

#endif
