/* Shapefile source: opening and checking .shp/.shx/.dbf/.prj/.cpg, reading shapes and
 * attributes through shapelib under a per-handle mutex, writing the .qix, `shoal info`. */
#include "data/shp_priv.h"
#include "base/mem.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static const char WGS84_CRS[] = "EPSG:4326";

char *shoal_shp_concat(const char *a, const char *b)
{
  size_t na = strlen(a), nb = strlen(b);
  if (na > SIZE_MAX - nb - 1)
    return NULL;
  char *r = malloc(na + nb + 1);
  if (!r)
    return NULL;
  memcpy(r, a, na);
  memcpy(r + na, b, nb + 1);
  return r;
}

int shoal_shp_slurp(const char *path, size_t cap, char **out, size_t *len)
{
  *out = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    int e = S_ISDIR(st.st_mode) ? EISDIR : errno ? errno : EINVAL;
    close(fd);
    return e;
  }
  if ((unsigned long long)st.st_size > cap) {
    close(fd);
    return EFBIG;
  }
  size_t n = (size_t)st.st_size;
  char *buf = malloc(n + 1);
  if (!buf) {
    close(fd);
    return ENOMEM;
  }
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0) {
      int e = r < 0 ? errno : EIO;
      free(buf);
      close(fd);
      return e;
    }
    got += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

char *shoal_shp_sidecar(const char *base, const char *ext_lower)
{
  char upper[8];
  size_t i = 0;
  for (; ext_lower[i] && i + 1 < sizeof upper; i++)
    upper[i] = (char)toupper((unsigned char)ext_lower[i]);
  upper[i] = '\0';
  const char *exts[2] = {ext_lower, upper};
  for (int k = 0; k < 2; k++) {
    char *p = shoal_shp_concat(base, exts[k]);
    if (!p)
      return NULL;
    if (access(p, F_OK) == 0)
      return p;
    free(p);
  }
  return NULL;
}

/* strerror is not guaranteed thread-safe; the XSI strerror_r is. */
static const char *errstr(int e, char *buf, size_t n)
{
  if (strerror_r(e, buf, n) != 0)
    snprintf(buf, n, "error %d", e);
  return buf;
}

/* shapelib reports through a hook with no context pointer; our own checks produce the
 * messages, so its text is dropped rather than printed to stderr behind the user's back. */
static void quiet_error(const char *message) { (void)message; }

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static const char *type_name(int t)
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

static shoal_geom_kind kind_of(int t)
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
  if (!type_name((int)t)) {
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
  return NULL;
}

/* Read the first 100 bytes of path into h; 0 or errno (EINVAL when shorter). */
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

/* Name, basename and the three mandatory files; the rest of open() is the optional ones. */
static shoal_status open_core(shoal_source *s, shoal_diag *d)
{
  char eb[128], why[160];
  const char *path = s->path;
  size_t n = strlen(path);
  bool has_ext = n > 4 && !strcasecmp(path + n - 4, ".shp");
  s->base = malloc(n + 1);
  if (!s->base)
    return SHOAL_ERR_NOMEM;
  memcpy(s->base, path, n + 1);
  if (has_ext)
    s->base[n - 4] = '\0';
  char *shp_path = has_ext ? shoal_strdup(path) : shoal_shp_concat(path, ".shp");
  if (!shp_path)
    return SHOAL_ERR_NOMEM;

  unsigned char h[100];
  int e = read_header(shp_path, h, &s->shp_size, &s->fd);
  if (e == EINVAL) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "'%s' is not a valid shapefile: %llu bytes, shorter than the 100-byte header",
                     shp_path, s->shp_size);
    free(shp_path);
    return SHOAL_ERR_DATA;
  }
  if (e) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s': %s", shp_path,
                     errstr(e, eb, sizeof eb));
    free(shp_path);
    return SHOAL_ERR_NOINPUT;
  }
  if (check_header(h, s->shp_size, false, why, sizeof why)) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is not a valid shapefile: %s", shp_path,
                     why);
    free(shp_path);
    return SHOAL_ERR_DATA;
  }
  if (le32(h + 32) == SHPT_MULTIPATCH) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s': MultiPatch shapefiles are not supported",
                     shp_path);
    free(shp_path);
    return SHOAL_ERR_DATA;
  }

  char *shx_path = shoal_shp_sidecar(s->base, ".shx");
  unsigned long long shx_size = 0;
  unsigned char hx[100];
  e = shx_path ? read_header(shx_path, hx, &shx_size, NULL) : ENOENT;
  if (e && e != EINVAL) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s.shx': %s", s->base,
                     errstr(e, eb, sizeof eb));
    free(shx_path);
    free(shp_path);
    return SHOAL_ERR_NOINPUT;
  }
  if (e == EINVAL || check_header(hx, shx_size, true, why, sizeof why) ||
      (shx_size - 100) / 8 > SHP_MAX_RECORDS) {
    if (e == EINVAL)
      snprintf(why, sizeof why, "shorter than the 100-byte header");
    else if ((shx_size - 100) / 8 > SHP_MAX_RECORDS)
      snprintf(why, sizeof why, "more than %d records", SHP_MAX_RECORDS);
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is not a valid shapefile index: %s",
                     shx_path, why);
    free(shx_path);
    free(shp_path);
    return SHOAL_ERR_DATA;
  }
  free(shx_path);

  SAHooks hooks;
  SASetupDefaultHooks(&hooks);
  hooks.Error = quiet_error;
  s->shp = SHPOpenLL(shp_path, "rb", &hooks);
  if (!s->shp) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "'%s' is not a valid shapefile: shapelib cannot read it", shp_path);
    free(shp_path);
    return SHOAL_ERR_DATA;
  }
  SHPGetInfo(s->shp, &s->nshapes, &s->shptype, NULL, NULL);
  s->bounds[0] = s->shp->adBoundsMin[0];
  s->bounds[1] = s->shp->adBoundsMin[1];
  s->bounds[2] = s->shp->adBoundsMax[0];
  s->bounds[3] = s->shp->adBoundsMax[1];
  s->kind = kind_of(s->shptype);
  /* shapelib trusts the .shx offsets; a record past the end of a truncated .shp would only
   * fail later, one shape at a time, so refuse the file now with a clear reason. */
  for (int i = 0; i < s->nshapes; i++) {
    unsigned long long off = s->shp->panRecOffset[i], sz = s->shp->panRecSize[i];
    if (off < 100 || off + 8 + sz > s->shp_size) {
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                       "'%s' is not a valid shapefile: record %d lies beyond the end of the "
                       "file (%llu bytes; truncated?)",
                       shp_path, i + 1, s->shp_size);
      free(shp_path);
      return SHOAL_ERR_DATA;
    }
  }
  SHPSetFastModeReadObject(s->shp, 1); /* we copy each shape out at once */
  free(shp_path);

  char *dbf_path = shoal_shp_sidecar(s->base, ".dbf");
  if (!dbf_path) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot open '%s.dbf': %s", s->base,
                     errstr(ENOENT, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  s->dbf = DBFOpenLL(dbf_path, "rb", &hooks);
  if (!s->dbf) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is not a valid dBASE file", dbf_path);
    free(dbf_path);
    return SHOAL_ERR_DATA;
  }
  s->dbf_records = DBFGetRecordCount(s->dbf);
  if (s->dbf_records != s->nshapes)
    shoal_diag_warn(d, NULL, 0, 0,
                    "'%s' has %d records but the .shp has %d shapes; missing attributes read "
                    "as empty",
                    dbf_path, s->dbf_records, s->nshapes);
  free(dbf_path);
  return SHOAL_OK;
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

/* .prj, .cpg and .qix: each optional; problems with them are warnings. */
static shoal_status open_sidecars(shoal_source *s, bool want_qix, shoal_diag *d)
{
  char eb[128];
  char *p = shoal_shp_sidecar(s->base, ".prj");
  if (p) {
    char *txt;
    size_t len;
    int e = shoal_shp_slurp(p, SHP_MAX_PRJ_BYTES, &txt, &len);
    if (e == ENOMEM) {
      free(p);
      return SHOAL_ERR_NOMEM;
    }
    if (e)
      shoal_diag_warn(d, NULL, 0, 0, "cannot read '%s': %s; WGS84 assumed", p,
                      e == EFBIG ? "larger than 64 KiB" : errstr(e, eb, sizeof eb));
    else {
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
  } else {
    shoal_diag_warn(d, NULL, 0, 0, "'%s' has no .prj file; WGS84 longitude/latitude assumed",
                    s->path);
  }
  if (!s->crs && !(s->crs = shoal_strdup(WGS84_CRS)))
    return SHOAL_ERR_NOMEM;

  p = shoal_shp_sidecar(s->base, ".cpg");
  if (p) {
    char *txt;
    size_t len;
    if (shoal_shp_slurp(p, 1024, &txt, &len) == 0) {
      trim(txt);
      s->codepage = txt;
      s->cp_from_cpg = true;
    }
  }
  if (!s->codepage) {
    const char *cp = DBFGetCodePage(s->dbf);
    /* shapelib reads the .cpg itself too; only take its LDID form here. */
    s->codepage = shoal_strdup(cp && !strncmp(cp, "LDID/", 5) ? cp : "");
    if (!s->codepage) {
      free(p);
      return SHOAL_ERR_NOMEM;
    }
  }
  if (!shoal_shp_text_setup(&s->text, s->codepage))
    shoal_diag_warn(d, NULL, 0, 0,
                    "unknown code page '%s' in '%s'; strings read as UTF-8 where valid, else as "
                    "CP1252",
                    s->codepage, p ? p : s->path);
  free(p);

  p = want_qix ? shoal_shp_sidecar(s->base, ".qix") : NULL;
  if (p) {
    shoal_shp_index_open_qix(s, p, d);
    free(p);
  }
  return SHOAL_OK;
}

/* want_qix false: the caller is about to replace the .qix, so an old one is not news. */
static shoal_status open_source(const char *path, bool want_qix, shoal_diag *d, shoal_source **out)
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
  if ((st = open_core(s, d)) != SHOAL_OK)
    goto fail;
  if ((st = open_fields(s)) != SHOAL_OK)
    goto fail;
  if ((st = open_sidecars(s, want_qix, d)) != SHOAL_OK)
    goto fail;
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
  return open_source(path, true, d, out);
}

void shoal_source_close(shoal_source *s)
{
  if (!s)
    return;
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
  free(s->crs);
  free(s->codepage);
  free(s->fields);
  free(s->native);
  free(s->qix);
  free(s->boxes);
  free(s);
}

const char *shoal_source_path(const shoal_source *s) { return s->path; }
shoal_geom_kind shoal_source_kind(const shoal_source *s) { return s->kind; }
const char *shoal_source_type_name(const shoal_source *s) { return type_name(s->shptype); }
int shoal_source_count(const shoal_source *s) { return s->nshapes; }
void shoal_source_bounds(const shoal_source *s, double b[4])
{
  memcpy(b, s->bounds, sizeof s->bounds);
}
const char *shoal_source_crs(const shoal_source *s) { return s->crs; }
bool shoal_source_has_prj(const shoal_source *s) { return s->has_prj; }
const char *shoal_source_codepage(const shoal_source *s) { return s->codepage; }
bool shoal_source_has_qix(const shoal_source *s) { return s->has_qix; }
int shoal_source_nfields(const shoal_source *s) { return s->nfields; }

const shoal_field_info *shoal_source_field(const shoal_source *s, int i)
{
  return i >= 0 && i < s->nfields ? &s->fields[i] : NULL;
}

int shoal_source_field_index(void *source, const char *name)
{
  const shoal_source *s = source;
  for (int i = 0; i < s->nfields; i++)
    if (!strcasecmp(s->fields[i].name, name))
      return i;
  return -1;
}

/* Copy one SHPObject into g; false when its parts or coordinates make no sense. */
static shoal_status copy_shape(const shoal_source *s, const SHPObject *o, shoal_geom *g)
{
  if (o->nSHPType == SHPT_NULL || o->nVertices <= 0)
    return SHOAL_OK;
  if (kind_of(o->nSHPType) != s->kind || !o->padfX || !o->padfY)
    return SHOAL_ERR_DATA;
  size_t nv = (size_t)o->nVertices;
  if (!shoal_geom_reserve(g, nv))
    return SHOAL_ERR_NOMEM;
  for (size_t i = 0; i < nv; i++)
    if (!isfinite(o->padfX[i]) || !isfinite(o->padfY[i]))
      return SHOAL_ERR_DATA;
  if (s->kind == SHOAL_GEOM_POINT) {
    for (size_t i = 0; i < nv; i++)
      if (!shoal_geom_begin_part(g) || !shoal_geom_add(g, o->padfX[i], o->padfY[i]))
        return SHOAL_ERR_NOMEM;
    return SHOAL_OK;
  }
  /* A line or ring record with no part table is one part of all its vertices. */
  int np = o->nParts > 0 && o->panPartStart ? o->nParts : 1;
  for (int p = 0; p < np; p++) {
    long a = o->nParts > 0 && o->panPartStart ? o->panPartStart[p] : 0;
    long b = p + 1 < np ? o->panPartStart[p + 1] : (long)nv;
    if (a < 0 || a > b || b > (long)nv)
      return SHOAL_ERR_DATA;
    if (!shoal_geom_begin_part(g))
      return SHOAL_ERR_NOMEM;
    for (long i = a; i < b; i++)
      if (!shoal_geom_add(g, o->padfX[i], o->padfY[i]))
        return SHOAL_ERR_NOMEM;
    shoal_geom_end_part(g, 1);
  }
  return SHOAL_OK;
}

size_t shoal_source_record_bytes(const shoal_source *s, int id)
{
  /* The .shx table is filled at open and never written afterwards: no lock needed. */
  return id >= 0 && id < s->nshapes ? s->shp->panRecSize[id] : 0;
}

shoal_status shoal_source_read(shoal_source *s, int id, shoal_geom *g)
{
  shoal_geom_clear(g);
  g->kind = s->kind;
  if (id < 0 || id >= s->nshapes)
    return SHOAL_ERR_INTERNAL;
  pthread_mutex_lock(&s->mu);
  SHPObject *o = SHPReadObject(s->shp, id);
  shoal_status st = o ? copy_shape(s, o, g) : SHOAL_ERR_DATA;
  if (o)
    SHPDestroyObject(o);
  pthread_mutex_unlock(&s->mu);
  if (st != SHOAL_OK)
    shoal_geom_clear(g);
  return st;
}

void shoal_source_read_error(const shoal_source *s, int id, shoal_status st, shoal_diag *d)
{
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory reading record %d of '%s'", id + 1, s->path);
  else if (id < 0)
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: a record's bounding box cannot be read",
                     s->path);
  else
    shoal_diag_error(d, st, NULL, 0, 0,
                     "'%s' is not a valid shapefile: record %d (shape id %d) cannot be read",
                     s->path, id + 1, id);
}

char *shoal_source_attr(shoal_source *s, int id, int field)
{
  if (field < 0 || field >= s->nfields || id < 0 || id >= s->dbf_records)
    return NULL;
  char *raw = NULL;
  pthread_mutex_lock(&s->mu);
  if (!DBFIsAttributeNULL(s->dbf, id, field)) {
    /* The returned pointer is shapelib's scratch buffer: copy before anything else runs. */
    const char *v = DBFReadStringAttribute(s->dbf, id, field);
    if (v) {
      size_t n = strnlen(v, 4096);
      if (s->fields[field].type == SHOAL_FIELD_STRING)
        raw = shoal_shp_text_to_utf8(&s->text, v, n);
      else if ((raw = malloc(n + 1)) != NULL) {
        memcpy(raw, v, n);
        raw[n] = '\0';
      }
    }
  }
  pthread_mutex_unlock(&s->mu);
  return shoal_shp_format_value(s, field, raw);
}

shoal_status shoal_source_write_index(const char *path, shoal_diag *d)
{
  char eb[128];
  shoal_source *s;
  shoal_status st = open_source(path, false, d, &s);
  if (st != SHOAL_OK)
    return st;
  char *final = NULL, *tmp = NULL, *buf = NULL;
  char suffix[48];
  snprintf(suffix, sizeof suffix, ".%ld.qix.tmp", (long)getpid());
  final = shoal_shp_concat(s->base, ".qix");
  tmp = shoal_shp_concat(s->base, suffix);
  if (!final || !tmp) {
    st = SHOAL_ERR_NOMEM;
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory indexing '%s'", path);
    goto done;
  }
  pthread_mutex_lock(&s->mu);
  /* The tree is built from whole SHPObjects; plain mode keeps each one independent. */
  SHPSetFastModeReadObject(s->shp, 0);
  SHPTree *tree = SHPCreateTree(s->shp, 2, 0, NULL, NULL);
  int ok = 0;
  if (tree) {
    SHPTreeTrimExtraNodes(tree);
    errno = 0;
    ok = SHPWriteTree(tree, tmp);
    SHPDestroyTree(tree);
  }
  int e = errno;
  SHPSetFastModeReadObject(s->shp, 1);
  pthread_mutex_unlock(&s->mu);
  if (!tree) {
    st = SHOAL_ERR_NOMEM;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot build the spatial index of '%s'", path);
    goto done;
  }
  if (!ok) {
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot write '%s': %s", tmp,
                     errstr(e ? e : EIO, eb, sizeof eb));
    goto done;
  }
  /* SHPWriteTree does not check its writes (a full disk goes unnoticed): read the file back
   * and check it as a reader would before it replaces anything. */
  size_t len;
  const char *why = NULL;
  e = shoal_shp_slurp(tmp, SHP_MAX_QIX_BYTES, &buf, &len);
  if (e || !shoal_shp_qix_check((unsigned char *)buf, len, s->nshapes, &why)) {
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "writing '%s' failed: %s", tmp,
                     e ? errstr(e, eb, sizeof eb) : why);
    unlink(tmp);
    goto done;
  }
  if (rename(tmp, final) != 0) {
    e = errno;
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot rename '%s' to '%s': %s", tmp, final,
                     errstr(e, eb, sizeof eb));
    unlink(tmp);
  }
done:
  free(buf);
  free(final);
  free(tmp);
  shoal_source_close(s);
  return st;
}

/* The name in a WKT's first quoted string (GEOGCS["GCS_WGS_1984",...), or NULL. */
static bool wkt_name(const char *wkt, char *out, size_t outsz)
{
  const char *a = strchr(wkt, '"');
  if (!a)
    return false;
  const char *b = strchr(a + 1, '"');
  if (!b || b == a + 1)
    return false;
  size_t n = (size_t)(b - a - 1);
  if (n >= outsz)
    n = outsz - 1;
  memcpy(out, a + 1, n);
  out[n] = '\0';
  return true;
}

static const char *field_type_name(shoal_field_type t)
{
  switch (t) {
  case SHOAL_FIELD_STRING: return "string";
  case SHOAL_FIELD_INTEGER: return "integer";
  case SHOAL_FIELD_DOUBLE: return "double";
  case SHOAL_FIELD_LOGICAL: return "logical";
  case SHOAL_FIELD_DATE: return "date";
  }
  return "?";
}

shoal_status shoal_source_print_info(const char *path, FILE *out, shoal_diag *d)
{
  shoal_source *s;
  shoal_status st = shoal_source_open(path, d, &s);
  if (st != SHOAL_OK)
    return st;
  fprintf(out, "File: %s\n", path);
  fprintf(out, "Geometry: %s\n", type_name(s->shptype));
  fprintf(out, "Features: %d\n", s->nshapes);
  /* %f is locale-dependent; the C locale keeps the report stable and parseable. */
  locale_t old = uselocale(s->cloc);
  if (s->nshapes > 0)
    fprintf(out, "Extent: x %.6f .. %.6f, y %.6f .. %.6f\n", s->bounds[0], s->bounds[2],
            s->bounds[1], s->bounds[3]);
  else
    fprintf(out, "Extent: none (no features)\n");
  uselocale(old);
  char name[128];
  if (!s->has_prj)
    fprintf(out, "CRS: none (.prj missing; WGS84 assumed)\n");
  else if (wkt_name(s->crs, name, sizeof name))
    fprintf(out, "CRS: %s (from .prj)\n", name);
  else
    fprintf(out, "CRS: unnamed (from .prj)\n");
  if (s->cp_from_cpg && s->text.mode == SHP_TEXT_UTF8)
    fprintf(out, "Code page: %s (from .cpg)\n", s->codepage);
  else if (s->cp_from_cpg)
    fprintf(out, "Code page: %s (from .cpg; read as %s)\n", s->codepage,
            s->text.mode == SHP_TEXT_ICONV ? s->text.iconv_name : "UTF-8 or CP1252");
  else if (s->codepage[0])
    fprintf(out, "Code page: %s (from .dbf header; read as %s)\n", s->codepage,
            s->text.mode == SHP_TEXT_ICONV ? s->text.iconv_name : "UTF-8 or CP1252");
  else
    fprintf(out, "Code page: unknown (read as UTF-8 where valid, else CP1252)\n");
  fprintf(out, "Index: %s\n", s->has_qix ? ".qix present" : "none (in-memory index)");
  fprintf(out, "Fields: %d\n", s->nfields);
  if (s->nfields > 0)
    fprintf(out, "  %-11s %-8s %5s %8s\n", "name", "type", "width", "decimals");
  for (int i = 0; i < s->nfields; i++) {
    const shoal_field_info *f = &s->fields[i];
    fprintf(out, "  %-11s %-8s %5d %8d\n", f->name, field_type_name(f->type), f->width,
            f->decimals);
  }
  shoal_source_close(s);
  return ferror(out) ? SHOAL_ERR_CANTCREAT : SHOAL_OK;
}
