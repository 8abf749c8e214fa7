/* Opening a shapefile: what the path is, the .shp/.shx headers and record table checked before
 * shapelib trusts them, the .dbf fields, the optional .prj/.cpg/.qix; closing; plain getters. */
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

static const char WGS84_CRS[] = "EPSG:4326";

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

const char *shoal_shp_type_name(int t)
{
  switch (t) {
  case SHPT_NULL: return "Null";
  case SHPT_POINT: return "Point";
  case SHPT_ARC: return "PolyLine";
  case SHPT_POLYGON: return "Polygon";
  case SHPT_MULTIPOINT: return "MultiPoint";
  case SHPT_POINTZ: return "PointZ";
  case SHPT_ARCZ: return "PolyLineZ";
  case SHPT_POLYGONZ: return "PolygonZ";
  case SHPT_MULTIPOINTZ: return "MultiPointZ";
  case SHPT_POINTM: return "PointM";
  case SHPT_ARCM: return "PolyLineM";
  case SHPT_POLYGONM: return "PolygonM";
  case SHPT_MULTIPOINTM: return "MultiPointM";
  case SHPT_MULTIPATCH: return "MultiPatch";
  }
  return NULL;
}

shoal_geom_kind shoal_shp_kind_of(int t)
{
  switch (t) {
  case SHPT_POINT:
  case SHPT_POINTZ:
  case SHPT_POINTM:
  case SHPT_MULTIPOINT:
  case SHPT_MULTIPOINTZ:
  case SHPT_MULTIPOINTM: return SHOAL_GEOM_POINT;
  case SHPT_ARC:
  case SHPT_ARCZ:
  case SHPT_ARCM: return SHOAL_GEOM_LINE;
  case SHPT_POLYGON:
  case SHPT_POLYGONZ:
  case SHPT_POLYGONM: return SHOAL_GEOM_POLYGON;
  }
  return SHOAL_GEOM_NONE;
}

/* Check the 100-byte main header of a .shp or .shx; returns NULL or why it is bad. */
static const char *check_header(const unsigned char *h, unsigned long long size, bool shx,
                                char *why, size_t whysz)
{
  if (be32(h) != 9994) {
    snprintf(why, whysz, "bad file code %u (expected 9994)", be32(h));
    return why;
  }
  if (le32(h + 28) != 1000) {
    snprintf(why, whysz, "unsupported version %u", le32(h + 28));
    return why;
  }
  uint32_t t = le32(h + 32);
  if (!shoal_shp_type_name((int)t)) {
    snprintf(why, whysz, "unknown shape type %u", t);
    return why;
  }
  unsigned long long declared = (unsigned long long)be32(h + 24) * 2;
  if (size < declared) {
    snprintf(why, whysz, "header says %llu bytes but the file has %llu (truncated?)", declared,
             size);
    return why;
  }
  if (shx && (size - 100) % 8 != 0) {
    snprintf(why, whysz, "size %llu is not 100 + 8 per record", size);
    return why;
  }
  if (shx && (size - 100) / 8 > SHP_MAX_RECORDS) {
    snprintf(why, whysz, "more than %d records", SHP_MAX_RECORDS);
    return why;
  }
  return NULL;
}

/* Read the first 100 bytes of path into h; 0 or errno (EINVAL when shorter). The descriptor
 * is kept in *fdp when fdp is not NULL. */
static int read_header(const char *path, unsigned char h[100], unsigned long long *size, int *fdp)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close(fd);
    return e;
  }
  *size = (unsigned long long)st.st_size;
  ssize_t r = st.st_size >= 100 ? pread(fd, h, 100, 0) : 0;
  if (r != 100) {
    close(fd);
    return r < 0 ? errno : EINVAL;
  }
  if (fdp)
    *fdp = fd;
  else
    close(fd);
  return 0;
}

/* The .shp's own header; s->fd stays open on it for reading record boxes. */
static shoal_status check_shp(shoal_source *s, const char *shp_path, shoal_diag *d)
{
  char eb[128], why[160];
  unsigned char h[100];
  int e = read_header(shp_path, h, &s->shp_size, &s->fd);
  if (e == EINVAL) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "'%s' is not a valid shapefile: %llu bytes, shorter than the 100-byte header",
                     shp_path, s->shp_size);
    return SHOAL_ERR_DATA;
  }
  if (e) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s': %s", shp_path,
                     shoal_shp_errstr(e, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  if (check_header(h, s->shp_size, false, why, sizeof why)) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is not a valid shapefile: %s", shp_path,
                     why);
    return SHOAL_ERR_DATA;
  }
  s->shptype = (int)le32(h + 32); /* until shapelib's, read from the .shx, replaces it */
  if (le32(h + 32) == SHPT_MULTIPATCH) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s': MultiPatch shapefiles are not supported",
                     shp_path);
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* The file length the .shp's header gives, in bytes. */
static unsigned long long shp_declared(const shoal_source *s)
{
  unsigned char h[4];
  if (pread(s->fd, h, 4, 24) != 4)
    return 0;
  return (unsigned long long)be32(h) * 2;
}

/* The .shx beside it: present, and a header that matches an index of whole records. */
static shoal_status check_shx(const shoal_source *s, shoal_diag *d)
{
  char eb[128], why[160];
  unsigned char h[100];
  unsigned long long size = 0;
  char *shx_path = shoal_shp_sidecar(s->base, ".shx");
  int e = shx_path ? read_header(shx_path, h, &size, NULL) : ENOENT;
  shoal_status st = SHOAL_OK;
  if (e && e != EINVAL) {
    st = SHOAL_ERR_NOINPUT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot open '%s.shx': %s", s->base,
                     shoal_shp_errstr(e, eb, sizeof eb));
  } else if (e == EINVAL || check_header(h, size, true, why, sizeof why)) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' is not a valid shapefile index: %s", shx_path,
                     e == EINVAL ? "shorter than the 100-byte header" : why);
  } else if ((int)le32(h + 32) != s->shptype) {
    /* shapelib takes the type from the .shx: the two must agree. */
    st = SHOAL_ERR_DATA;
    shoal_diag_error(
        d, st, NULL, 0, 0, "'%s' does not match '%s.shp': its header says %s, the .shp's says %s",
        shx_path, s->base, shoal_shp_type_name((int)le32(h + 32)), shoal_shp_type_name(s->shptype));
  }
  free(shx_path);
  return st;
}

/* Does a record header for the record after the .shx's last one start at byte end? Space
 * after the last record can also be slack left by an editor that rewrote a record shorter in
 * place (shapelib does), which is harmless; a record that the .shx does not list is not. */
static bool next_record_follows(const shoal_source *s, unsigned long long end,
                                unsigned long long declared)
{
  unsigned char h[8];
  if (end + 8 > declared || pread(s->fd, h, 8, (off_t)end) != 8)
    return false;
  unsigned long long len = (unsigned long long)be32(h + 4) * 2;
  return be32(h) == (uint32_t)s->nshapes + 1 && end + 8 + len <= declared;
}

/* shapelib trusts the .shx offsets; a record past the end of a truncated .shp would only fail
 * later, one shape at a time, so the file is refused now with a clear reason. The .shx is
 * also held to the .shp: it must list records up to the end the .shp's header gives, or the
 * shapes after its last record would silently be missing from the map. */
static shoal_status check_records(const shoal_source *s, const char *shp_path,
                                  unsigned long long declared, shoal_diag *d)
{
  unsigned long long end = 100;
  for (int i = 0; i < s->nshapes; i++) {
    unsigned long long off = s->shp->panRecOffset[i], sz = s->shp->panRecSize[i];
    if (off < 100 || off + 8 + sz > s->shp_size) {
      if (declared == s->shp_size)
        shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                         "'%s.shx' does not match '%s': its record %d lies beyond the end of the "
                         ".shp (%llu bytes); the .shx is out of date or damaged",
                         s->base, shp_path, i + 1, s->shp_size);
      else
        shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                         "'%s' is not a valid shapefile: record %d lies beyond the end of the "
                         "file (%llu bytes; truncated?)",
                         shp_path, i + 1, s->shp_size);
      return SHOAL_ERR_DATA;
    }
    if (off + 8 + sz > end)
      end = off + 8 + sz;
  }
  if (end > declared) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "'%s' is not a valid shapefile: its header says %llu bytes but its records "
                     "end at byte %llu",
                     shp_path, declared, end);
    return SHOAL_ERR_DATA;
  }
  if (end < declared && next_record_follows(s, end, declared)) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "'%s.shx' does not match '%s': it lists %d record%s ending at byte %llu, "
                     "but the .shp's records go on to byte %llu; the .shx is out of date or cut "
                     "short",
                     s->base, shp_path, s->nshapes, s->nshapes == 1 ? "" : "s", end, declared);
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* The header's shape type against the first record's: a lying header would make every record
 * unreadable, or (a Point header over polygons) the layer silently empty. One read. */
static shoal_status check_first_type(const shoal_source *s, const char *shp_path, shoal_diag *d)
{
  unsigned char r[12];
  if (s->nshapes == 0 || s->shp->panRecSize[0] < 4 ||
      pread(s->fd, r, 12, (off_t)s->shp->panRecOffset[0]) != 12)
    return SHOAL_OK; /* nothing to compare; reads report what is wrong */
  int t = (int)le32(r + 8);
  if (t == SHPT_NULL || shoal_shp_kind_of(t) == s->kind)
    return SHOAL_OK;
  const char *tn = shoal_shp_type_name(t);
  char what[48];
  if (tn)
    snprintf(what, sizeof what, "a %s", tn);
  else
    snprintf(what, sizeof what, "of unknown type %d", t);
  shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                   "'%s' is not a valid shapefile: its header says %s but record 1 is %s", shp_path,
                   shoal_shp_type_name(s->shptype), what);
  return SHOAL_ERR_DATA;
}

/* The three files a shapefile cannot lack: .shp (header and records checked), .shx, .dbf. */
static shoal_status open_core(shoal_source *s, const char *expect, shoal_diag *d)
{
  char eb[128];
  char *shp_path = NULL, *dbf_path = NULL;
  shoal_status st = shoal_shp_resolve(s->path, expect, d, &shp_path);
  if (st != SHOAL_OK)
    return st;
  st = SHOAL_ERR_NOMEM;
  if (!(s->base = shoal_strndup(shp_path, strlen(shp_path) - 4))) /* resolve gave a .shp */
    goto fail;
  if ((st = check_shp(s, shp_path, d)) != SHOAL_OK || (st = check_shx(s, d)) != SHOAL_OK)
    goto fail;
  SAHooks hooks;
  shoal_shp_hooks(&hooks);
  if (!(s->shp = SHPOpenLL(shp_path, "rb", &hooks))) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' is not a valid shapefile: shapelib cannot read it",
                     shp_path);
    goto fail;
  }
  SHPGetInfo(s->shp, &s->nshapes, &s->shptype, NULL, NULL);
  s->bounds[0] = s->shp->adBoundsMin[0];
  s->bounds[1] = s->shp->adBoundsMin[1];
  s->bounds[2] = s->shp->adBoundsMax[0];
  s->bounds[3] = s->shp->adBoundsMax[1];
  s->kind = shoal_shp_kind_of(s->shptype);
  if ((st = check_records(s, shp_path, shp_declared(s), d)) != SHOAL_OK ||
      (st = check_first_type(s, shp_path, d)) != SHOAL_OK)
    goto fail;
  SHPSetFastModeReadObject(s->shp, 1); /* we copy each shape out at once */

  if (!(dbf_path = shoal_shp_sidecar(s->base, ".dbf"))) {
    st = SHOAL_ERR_NOINPUT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot open '%s.dbf': %s", s->base,
                     shoal_shp_errstr(ENOENT, eb, sizeof eb));
    goto fail;
  }
  if (!(s->dbf = DBFOpenLL(dbf_path, "rb", &hooks))) {
    st = SHOAL_ERR_DATA;
    shoal_diag_error(d, st, NULL, 0, 0, "'%s' is not a valid dBASE file", dbf_path);
    goto fail;
  }
  s->dbf_records = DBFGetRecordCount(s->dbf);
  s->dbf_path = dbf_path;
  dbf_path = NULL;
  st = shoal_shp_check_dbf(s, d);
fail:
  free(shp_path);
  free(dbf_path);
  return st;
}

static shoal_status open_fields(shoal_source *s)
{
  int n = DBFGetFieldCount(s->dbf);
  if (n <= 0)
    return SHOAL_OK;
  s->fields = calloc((size_t)n, sizeof *s->fields);
  s->native = calloc((size_t)n, 1);
  if (!s->fields || !s->native)
    return SHOAL_ERR_NOMEM;
  for (int i = 0; i < n; i++) {
    shoal_field_info *f = &s->fields[i];
    char name[XBASE_FLDNAME_LEN_READ + 1] = {0};
    DBFGetFieldInfo(s->dbf, i, name, &f->width, &f->decimals);
    snprintf(f->name, sizeof f->name, "%s", name);
    char t = DBFGetNativeFieldType(s->dbf, i);
    s->native[i] = t;
    switch (t) {
    case 'N':
    case 'F':
      /* Whatever the width, a number field without decimals holds integers; shapelib calls
       * wide ones FTDouble only because they overflow a C int. */
      f->type = f->decimals == 0 ? SHOAL_FIELD_INTEGER : SHOAL_FIELD_DOUBLE;
      break;
    case 'L': f->type = SHOAL_FIELD_LOGICAL; break;
    case 'D': f->type = SHOAL_FIELD_DATE; break;
    default: f->type = SHOAL_FIELD_STRING; break;
    }
  }
  s->nfields = n;
  return SHOAL_OK;
}

static void trim(char *s)
{
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  size_t k = 0;
  while (s[k] && isspace((unsigned char)s[k]))
    k++;
  memmove(s, s + k, n - k + 1);
}

/* The .prj as the CRS; missing, unreadable or not text is a warning and WGS84. */
static shoal_status open_prj(shoal_source *s, shoal_diag *d)
{
  char eb[128];
  char *p = shoal_shp_sidecar(s->base, ".prj");
  if (!p)
    shoal_diag_warn(d, NULL, 0, 0, "'%s' has no .prj file; WGS84 longitude/latitude assumed",
                    s->path);
  char *txt = NULL;
  size_t len;
  int e = p ? shoal_shp_slurp(p, SHP_MAX_PRJ_BYTES, &txt, &len) : 0;
  if (e == ENOMEM) {
    free(p);
    return SHOAL_ERR_NOMEM;
  }
  if (e)
    shoal_diag_warn(d, NULL, 0, 0, "cannot read '%s': %s; WGS84 assumed", p,
                    e == EFBIG ? "larger than 64 KiB" : shoal_shp_errstr(e, eb, sizeof eb));
  if (txt) {
    /* An embedded NUL means a binary file, not WKT text. */
    bool binary = memchr(txt, '\0', len) != NULL;
    trim(txt);
    if (!txt[0] || binary)
      shoal_diag_warn(d, NULL, 0, 0, "'%s' is %s; WGS84 assumed", p,
                      binary ? "not a text file" : "empty");
    else {
      s->crs = txt;
      s->has_prj = true;
      txt = NULL;
    }
    free(txt);
  }
  free(p);
  if (!s->crs && !(s->crs = shoal_strdup(WGS84_CRS)))
    return SHOAL_ERR_NOMEM;
  return SHOAL_OK;
}

/* What is wrong with a .cpg's trimmed text, or NULL when it is one line of ASCII text. */
static const char *cpg_problem(const char *txt)
{
  if (!txt[0])
    return "is empty";
  for (const char *p = txt; *p; p++)
    if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
      return "is not a text file";
  return NULL; /* a name, maybe one that is no code page ("??"): shoal_shp_text_setup says */
}

/* A .cpg that names no usable code page: say so and read strings as UTF-8 where they are
 * valid, else as Latin-1 (every byte is a Latin-1 letter, so nothing becomes U+FFFD). */
static void cpg_unusable(shoal_source *s, const char *p, const char *why, shoal_diag *d)
{
  if (why)
    shoal_diag_warn(d, NULL, 0, 0,
                    "'%s' %s; strings read as UTF-8 where valid, else as Latin-1 (ISO-8859-1)", p,
                    why);
  else
    shoal_diag_warn(
        d, NULL, 0, 0,
        "'%s' names code page '%s', which is not one Shoal knows; strings read as UTF-8 where "
        "valid, else as Latin-1 (ISO-8859-1)",
        p, s->codepage);
  shoal_shp_text_guess(&s->text, "ISO-8859-1");
}

/* The code page: a .cpg, else the DBF's language driver byte; unknown ones are a warning. */
static shoal_status open_codepage(shoal_source *s, shoal_diag *d)
{
  char *p = shoal_shp_sidecar(s->base, ".cpg");
  char *txt = NULL;
  size_t len = 0;
  int e = p ? shoal_shp_slurp(p, 1024, &txt, &len) : 0;
  const char *why = NULL;
  if (e == ENOMEM) {
    free(p);
    return SHOAL_ERR_NOMEM;
  }
  if (e) {
    why = e == EFBIG ? "is larger than 1 KiB (not a code page name)" : "cannot be read";
  } else if (txt) {
    /* An embedded NUL means a binary file, not a name. */
    bool binary = memchr(txt, '\0', len) != NULL;
    trim(txt);
    why = binary ? "is not a text file" : cpg_problem(txt);
    s->codepage = why ? shoal_strdup("") : txt;
    if (why)
      free(txt);
    s->cp_from_cpg = true;
  }
  if (!s->codepage) {
    const char *cp = DBFGetCodePage(s->dbf);
    /* shapelib reads the .cpg itself too; only take its LDID form here. */
    s->codepage = shoal_strdup(!p && cp && !strncmp(cp, "LDID/", 5) ? cp : "");
  }
  if (!s->codepage) {
    free(p);
    return SHOAL_ERR_NOMEM;
  }
  if (p && (e || why))
    cpg_unusable(s, p, why, d);
  else if (!shoal_shp_text_setup(&s->text, s->codepage) && s->cp_from_cpg)
    cpg_unusable(s, p, NULL, d);
  else if (s->text.mode == SHP_TEXT_GUESS && s->codepage[0])
    shoal_diag_warn(d, NULL, 0, 0,
                    "unknown code page '%s' in '%s'; strings read as UTF-8 where valid, else as "
                    "CP1252",
                    s->codepage, s->path);
  free(p);
  return SHOAL_OK;
}

shoal_status shoal_shp_open(const char *path, bool want_qix, const char *expect, shoal_diag *d,
                            shoal_source **out)
{
  *out = NULL;
  shoal_source *s = calloc(1, sizeof *s);
  if (!s)
    return SHOAL_ERR_NOMEM;
  s->fd = -1;
  shoal_shp_text_init(&s->text);
  if (pthread_mutex_init(&s->mu, NULL) != 0) {
    free(s);
    return SHOAL_ERR_INTERNAL;
  }
  shoal_status st = SHOAL_ERR_NOMEM;
  s->cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (!s->cloc || !(s->path = shoal_strdup(path)))
    goto fail;
  if ((st = open_core(s, expect, d)) != SHOAL_OK || (st = open_fields(s)) != SHOAL_OK ||
      (st = open_prj(s, d)) != SHOAL_OK || (st = open_codepage(s, d)) != SHOAL_OK)
    goto fail;
  char *qix = want_qix ? shoal_shp_sidecar(s->base, ".qix") : NULL;
  if (qix)
    shoal_shp_index_open_qix(s, qix, d);
  free(qix);
  if (want_qix)
    shoal_shp_chunks_open(s, d);
  *out = s;
  return SHOAL_OK;
fail:
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory opening '%s'", path);
  shoal_source_close(s);
  return st;
}

shoal_status shoal_source_open(const char *path, shoal_diag *d, shoal_source **out)
{
  return shoal_source_open_opts(path, NULL, d, out);
}

bool shoal_source_path_is_ogr(const char *path) { return shoal_ogr_format_of(path) != NULL; }

shoal_status shoal_source_open_opts(const char *path, const shoal_source_opts *o, shoal_diag *d,
                                    shoal_source **out)
{
  if (shoal_ogr_format_of(path))
    return shoal_ogr_open(path, o, d, out);
  return shoal_shp_open(path, true, NULL, d, out);
}

const char *shoal_source_key(const shoal_source *s) { return s->ogr ? s->ogr->key : s->path; }

void shoal_source_close(shoal_source *s)
{
  if (!s)
    return;
  shoal_ogr_free(s->ogr);
  if (s->shp)
    SHPClose(s->shp);
  if (s->dbf)
    DBFClose(s->dbf);
  if (s->fd >= 0)
    close(s->fd);
  shoal_shp_text_fini(&s->text);
  if (s->cloc)
    freelocale(s->cloc);
  pthread_mutex_destroy(&s->mu);
  free(s->path);
  free(s->base);
  free(s->dbf_path);
  free(s->crs);
  free(s->codepage);
  free(s->fields);
  free(s->native);
  free(s->qix);
  free(s->scx);
  free(s->boxes);
  free(s);
}

const char *shoal_source_path(const shoal_source *s) { return s->path; }
shoal_geom_kind shoal_source_kind(const shoal_source *s) { return s->kind; }
const char *shoal_source_type_name(const shoal_source *s)
{
  return shoal_shp_type_name(s->shptype);
}
int shoal_source_count(const shoal_source *s) { return s->nshapes; }
void shoal_source_bounds(const shoal_source *s, double b[4])
{
  memcpy(b, s->bounds, sizeof s->bounds);
}
const char *shoal_source_crs(const shoal_source *s) { return s->crs; }
bool shoal_source_has_prj(const shoal_source *s) { return s->has_prj; }
const char *shoal_source_codepage(const shoal_source *s) { return s->codepage; }
bool shoal_source_has_qix(const shoal_source *s) { return s->has_qix; }
