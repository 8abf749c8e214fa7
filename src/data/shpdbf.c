/* The .dbf of a source: its size and record count checked against its header and the .shp
 * when it opens, and attribute reads that report a record they cannot read instead of
 * passing it off as empty. */
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/mem.h"

shoal_status shoal_shp_check_dbf(shoal_source *s, shoal_diag *d)
{
  char eb[128];
  struct stat sb;
  if (stat(s->dbf_path, &sb) != 0) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s': %s", s->dbf_path,
                     shoal_shp_errstr(errno, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  shoal_status st = SHOAL_OK;
  /* shapelib reads past the end as empty values: a cut-short file would silently drop labels
   * and make filters see nothing. 64-bit: the header's fields are 32 and 16 bits. */
  unsigned long long hl = (unsigned long long)s->dbf->nHeaderLength,
                     rl = (unsigned long long)s->dbf->nRecordLength,
                     nrec = (unsigned long long)(s->dbf_records > 0 ? s->dbf_records : 0),
                     want = hl + nrec * rl, have = (unsigned long long)sb.st_size;
  if (have < want) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is cut short: its header says %llu records of %llu bytes after a "
                     "%llu-byte header, %llu bytes in all, but the file has %llu bytes",
                     s->dbf_path, nrec, rl, hl, want, have);
  }
  /* Attributes are matched to shapes by record number: with another count some shapes would
   * have none, or all of them perhaps another shape's (a .dbf from another version). */
  if (s->dbf_records != s->nshapes) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' has %d records but the .shp has %d shapes: its attributes do not "
                     "match the shapes",
                     s->dbf_path, s->dbf_records, s->nshapes);
  }
  return st;
}

/* The raw text of a value (shapelib's scratch buffer, valid until the next read), or NULL
 * when null or when the record cannot be read (*failed). Called with s->mu held. */
static const char *read_locked(shoal_source *s, int id, int field, bool *failed)
{
  /* DBFIsAttributeNULL calls a value it cannot read null; DBFReadStringAttribute returns
   * NULL only then. */
  if (DBFIsAttributeNULL(s->dbf, id, field)) {
    *failed = DBFReadStringAttribute(s->dbf, id, field) == NULL;
    return NULL;
  }
  const char *v = DBFReadStringAttribute(s->dbf, id, field);
  *failed = v == NULL;
  return v;
}

char *shoal_shp_dbf_raw(shoal_source *s, int id, int field, size_t cap, bool *failed)
{
  if (s->ogr)
    return shoal_ogr_attr_raw(s, id, field, failed);
  *failed = false;
  if (field < 0 || field >= s->nfields || id < 0 || id >= s->dbf_records)
    return NULL;
  pthread_mutex_lock(&s->mu);
  const char *v = read_locked(s, id, field, failed);
  char *r = v ? shoal_strndup(v, strnlen(v, cap)) : NULL;
  pthread_mutex_unlock(&s->mu);
  return r;
}

void shoal_source_attr_error(const shoal_source *s, int id, shoal_diag *d)
{
  if (s->ogr) {
    shoal_ogr_attr_error(s, id, d);
    return;
  }
  shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                   "cannot read record %d of '%s' (the file changed or cannot be read since it "
                   "was opened)",
                   id + 1, s->dbf_path);
}

char *shoal_source_attr_read(shoal_source *s, int id, int field, bool *failed)
{
  if (s->ogr)
    return shoal_ogr_attr(s, id, field, failed);
  bool dummy;
  if (!failed)
    failed = &dummy;
  *failed = false;
  if (field < 0 || field >= s->nfields || id < 0 || id >= s->dbf_records)
    return NULL;
  char *raw = NULL;
  pthread_mutex_lock(&s->mu);
  /* The returned pointer is shapelib's scratch buffer: copy before anything else runs. */
  const char *v = read_locked(s, id, field, failed);
  if (v) {
    size_t n = strnlen(v, 4096);
    if (s->fields[field].type == SHOAL_FIELD_STRING)
      raw = shoal_shp_text_to_utf8(&s->text, v, n);
    else
      raw = shoal_strndup(v, n);
  }
  pthread_mutex_unlock(&s->mu);
  return shoal_shp_format_value(s, field, raw);
}

char *shoal_source_attr(shoal_source *s, int id, int field)
{
  return shoal_source_attr_read(s, id, field, NULL);
}
