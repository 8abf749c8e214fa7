/* The chunk index of giant rings (.scx beside the .shp, written by `shoal index` with the
 * .qix): for every polygon ring of at least SHOAL_CULL_MIN_POINTS vertices, the bounding box of
 * each full chunk of SHOAL_CULL_CHUNK segments and the vertices where the chunks meet, so that
 * a zoomed view reads from the .shp only the chunks it needs (shpchunkread.c) and puts the
 * stand-ins of data/cull.c in place of the others without reading them.
 *
 * Layout, all numbers little-endian:
 *   header (48 bytes): "SHOALSCX", u32 version (1), u32 chunk segments (256), u32 least ring
 *     vertices (4096), u32 ring count, u64 size of the .shp, i64 and u64 its modification time
 *     (seconds, nanoseconds) when the index was written;
 *   ring table (24 bytes a ring, ascending by record and first vertex): i32 record (shape id),
 *     u32 the ring's first vertex in the record, u32 its vertex count n, u32 reserved (0), u64
 *     where its data starts, counted from the end of the table;
 *   data of each ring: nfull = (n - 1) / 256 boxes (minx, miny, maxx, maxy as f64) of vertices
 *     256k .. 256(k + 1), then the nfull + 1 vertices 256k (x, y as f64).
 * An index whose .shp size or time differs is ignored with a warning, as is one of another
 * version or chunk size: reads then fall back to the whole ring, which gives the same result. */
#include "data/shp_priv.h"
#include "data/cull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/tmpfile.h"

#define SCX_MAGIC "SHOALSCX"
#define SCX_VERSION 1
#define SCX_NRINGS 20 /* header offset of the ring count */
#define SCX_MAX_BYTES ((size_t)1 << 30)

uint32_t shoal_shp_le32(const unsigned char *p)
{
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

uint64_t shoal_shp_le64(const unsigned char *p)
{
  return (uint64_t)shoal_shp_le32(p + 4) << 32 | shoal_shp_le32(p);
}

double shoal_shp_lef64(const unsigned char *p)
{
  uint64_t v = shoal_shp_le64(p);
  double d;
  memcpy(&d, &v, sizeof d);
  return d;
}

static void put32(unsigned char *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
  put32(p, (uint32_t)v);
  put32(p + 4, (uint32_t)(v >> 32));
}

static void putf64(unsigned char *p, double d)
{
  uint64_t v;
  memcpy(&v, &d, sizeof v);
  put64(p, v);
}

/* Bytes of a ring's data for n vertices. */
static size_t ring_bytes(size_t n)
{
  size_t nfull = (n - 1) / SHOAL_CULL_CHUNK;
  return nfull * 32 + (nfull + 1) * 16;
}

/* The .shp's size and modification time as the header stores them; false when fstat fails. */
static bool shp_stamp(const shoal_source *s, uint64_t *size, int64_t *sec, uint64_t *nsec)
{
  struct stat st;
  if (s->fd < 0 || fstat(s->fd, &st) != 0)
    return false;
  *size = (uint64_t)st.st_size;
  *sec = (int64_t)st.st_mtim.tv_sec;
  *nsec = (uint64_t)st.st_mtim.tv_nsec;
  return true;
}

/* Why buf (len bytes) is not a usable index of s, or NULL when it is. */
static const char *scx_why(const shoal_source *s, const unsigned char *buf, size_t len, char *why,
                           size_t wsz)
{
  if (len < SHP_SCX_HEAD || memcmp(buf, SCX_MAGIC, 8) != 0)
    return "it is not a Shoal chunk index";
  uint32_t ver = shoal_shp_le32(buf + 8);
  if (ver != SCX_VERSION) {
    snprintf(why, wsz, "it is of version %u and this Shoal reads version %d", ver, SCX_VERSION);
    return why;
  }
  if (shoal_shp_le32(buf + 12) != SHOAL_CULL_CHUNK ||
      shoal_shp_le32(buf + 16) != SHOAL_CULL_MIN_POINTS)
    return "it was written for other chunk sizes";
  uint64_t size, nsec;
  int64_t sec;
  if (!shp_stamp(s, &size, &sec, &nsec) || shoal_shp_le64(buf + 24) != size ||
      (int64_t)shoal_shp_le64(buf + 32) != sec || shoal_shp_le64(buf + 40) != nsec)
    return "it was written for another version of the .shp (its size or time differs)";
  uint64_t nr = shoal_shp_le32(buf + SCX_NRINGS);
  if (nr > (len - SHP_SCX_HEAD) / SHP_SCX_ENTRY)
    return "its ring table is cut short";
  size_t data = SHP_SCX_HEAD + nr * SHP_SCX_ENTRY, dlen = len - data;
  int64_t prev_id = -1, prev_v = -1;
  for (size_t i = 0; i < nr; i++) {
    const unsigned char *e = buf + SHP_SCX_HEAD + i * SHP_SCX_ENTRY;
    int64_t id = (int32_t)shoal_shp_le32(e), v = shoal_shp_le32(e + 4);
    uint64_t n = shoal_shp_le32(e + 8), off = shoal_shp_le64(e + 16);
    if (id < 0 || id >= s->nshapes || id < prev_id || (id == prev_id && v <= prev_v))
      return "its ring table is out of order";
    if (n < SHOAL_CULL_MIN_POINTS || n > SHOAL_GEOM_MAX_POINTS || off > dlen ||
        ring_bytes(n) > dlen - off)
      return "a ring's data lies outside the file";
    prev_id = id;
    prev_v = v;
  }
  return NULL;
}

void shoal_shp_chunks_open(shoal_source *s, shoal_diag *d)
{
  char *path = shoal_shp_sidecar(s->base, ".scx");
  if (!path)
    return;
  char *buf = NULL, why[160];
  size_t len = 0;
  int e = shoal_shp_slurp(path, SCX_MAX_BYTES, &buf, &len);
  const char *bad = e ? (e == EFBIG ? "too large" : shoal_shp_errstr(e, why, sizeof why))
                      : scx_why(s, (unsigned char *)buf, len, why, sizeof why);
  if (bad) {
    shoal_diag_warn(d, NULL, 0, 0,
                    "ignoring '%s': %s; giant rings are read whole (rebuild it with 'shoal index "
                    "%s')",
                    path, bad, s->path);
    free(buf);
  } else {
    s->scx = (unsigned char *)buf;
    s->scx_len = len;
    s->scx_nrings = shoal_shp_le32(s->scx + SCX_NRINGS);
  }
  free(path);
}

/* The index being written: the ring table and the rings' data, grown as rings are found. */
typedef struct scx_build {
  unsigned char *table, *data;
  size_t ntable, captable, ndata, capdata;
} scx_build;

static bool add_ring(scx_build *b, int id, size_t first, const double *xy, size_t n)
{
  size_t need = ring_bytes(n), nfull = (n - 1) / SHOAL_CULL_CHUNK;
  if (!SHOAL_GROW(&b->table, &b->captable, b->ntable + SHP_SCX_ENTRY, 4096, SCX_MAX_BYTES) ||
      !SHOAL_GROW(&b->data, &b->capdata, b->ndata + need, 1 << 16, SCX_MAX_BYTES))
    return false;
  unsigned char *e = b->table + b->ntable, *p = b->data + b->ndata;
  put32(e, (uint32_t)id);
  put32(e + 4, (uint32_t)first);
  put32(e + 8, (uint32_t)n);
  put32(e + 12, 0);
  put64(e + 16, b->ndata);
  for (size_t k = 0; k < nfull; k++, p += 32) {
    const double *v = xy + 2 * k * SHOAL_CULL_CHUNK;
    double x0 = v[0], x1 = x0, y0 = v[1], y1 = y0;
    for (size_t i = 1; i <= SHOAL_CULL_CHUNK; i++) {
      double x = v[2 * i], y = v[2 * i + 1];
      x0 = x < x0 ? x : x0;
      x1 = x > x1 ? x : x1;
      y0 = y < y0 ? y : y0;
      y1 = y > y1 ? y : y1;
    }
    putf64(p, x0);
    putf64(p + 8, y0);
    putf64(p + 16, x1);
    putf64(p + 24, y1);
  }
  for (size_t k = 0; k <= nfull; k++, p += 16) {
    putf64(p, xy[2 * k * SHOAL_CULL_CHUNK]);
    putf64(p + 8, xy[2 * k * SHOAL_CULL_CHUNK + 1]);
  }
  b->ntable += SHP_SCX_ENTRY;
  b->ndata += need;
  return true;
}

/* Every giant ring of s into b (the records were checked by the .qix writer before). */
static shoal_status collect(shoal_source *s, scx_build *b, shoal_diag *d)
{
  shoal_geom g;
  shoal_geom_init(&g, s->kind);
  shoal_status st = SHOAL_OK;
  for (int id = 0; id < s->nshapes && st == SHOAL_OK; id++) {
    if (s->shp->panRecSize[id] < 16 * SHOAL_CULL_MIN_POINTS) /* too small for a giant ring */
      continue;
    if ((st = shoal_source_read(s, id, &g)) != SHOAL_OK) {
      shoal_source_read_error(s, id, st, d);
      break;
    }
    for (size_t p = 0; p < g.nparts && st == SHOAL_OK; p++)
      if (shoal_geom_part_len(&g, p) >= SHOAL_CULL_MIN_POINTS &&
          !add_ring(b, id, g.parts[p], g.xy + 2 * g.parts[p], shoal_geom_part_len(&g, p)))
        st = SHOAL_ERR_NOMEM;
  }
  shoal_geom_free(&g);
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory indexing the rings of '%s'", s->path);
  return st;
}

/* Write the header, table and data to a temporary file and rename it over path. */
static shoal_status write_file(shoal_source *s, const char *path, const scx_build *b, shoal_diag *d)
{
  char eb[128];
  unsigned char h[SHP_SCX_HEAD] = {0};
  uint64_t size, nsec;
  int64_t sec;
  if (!shp_stamp(s, &size, &sec, &nsec)) {
    shoal_diag_error(d, SHOAL_ERR_NOINPUT, NULL, 0, 0, "cannot read '%s': %s", s->path,
                     shoal_shp_errstr(errno, eb, sizeof eb));
    return SHOAL_ERR_NOINPUT;
  }
  memcpy(h, SCX_MAGIC, 8);
  put32(h + 8, SCX_VERSION);
  put32(h + 12, SHOAL_CULL_CHUNK);
  put32(h + 16, SHOAL_CULL_MIN_POINTS);
  put32(h + SCX_NRINGS, (uint32_t)(b->ntable / SHP_SCX_ENTRY));
  put64(h + 24, size);
  put64(h + 32, (uint64_t)sec);
  put64(h + 40, nsec);
  char *tmp = NULL;
  int fd = shoal_tmpfile_open(path, NULL, &tmp);
  if (fd < 0) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s': %s", path,
                     shoal_shp_errstr(errno, eb, sizeof eb));
    return SHOAL_ERR_CANTCREAT;
  }
  const unsigned char *part[3] = {h, b->table, b->data};
  size_t plen[3] = {sizeof h, b->ntable, b->ndata};
  int e = 0;
  for (int i = 0; i < 3 && !e; i++)
    for (size_t done = 0; done < plen[i] && !e;) {
      ssize_t w = write(fd, part[i] + done, plen[i] - done);
      e = w < 0 ? (errno == EINTR ? 0 : errno) : 0;
      done += w > 0 ? (size_t)w : 0;
    }
  if (close(fd) != 0 && !e)
    e = errno;
  if (!e && rename(tmp, path) != 0)
    e = errno;
  if (e) {
    unlink(tmp);
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s': %s", path,
                     shoal_shp_errstr(e, eb, sizeof eb));
  }
  free(tmp);
  return e ? SHOAL_ERR_CANTCREAT : SHOAL_OK;
}

shoal_status shoal_shp_chunks_write(shoal_source *s, shoal_diag *d)
{
  char *path = shoal_shp_concat(s->base, ".scx");
  if (!path) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory indexing '%s'", s->path);
    return SHOAL_ERR_NOMEM;
  }
  scx_build b = {0};
  shoal_status st = s->kind == SHOAL_GEOM_POLYGON ? collect(s, &b, d) : SHOAL_OK;
  if (st == SHOAL_OK && b.ntable > 0) {
    st = write_file(s, path, &b, d);
  } else if (st == SHOAL_OK) {
    /* No giant rings: an index left from an older version of the file would only warn. */
    char *old = shoal_shp_sidecar(s->base, ".scx");
    if (old)
      unlink(old);
    free(old);
  }
  free(b.table);
  free(b.data);
  free(path);
  return st;
}
