/* Reading many records of a shapefile in a few large reads: over a list of records in file
 * order, those lying close together in the .shp are read with one pread of up to READ_CAP bytes
 * and served from that buffer, for the boxes a query checks and for the records a layer reads.
 * A pread costs about as much as copying a few kilobytes from the page cache, and a view of a
 * coast reads thousands of records of a few hundred bytes each. */
#include "data/shp_priv.h"
#include "data/cull.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

/* The most one read takes, and so the buffer of each reader: 1 MB is a few hundred records of
 * a coast, past which a longer read saves nothing measurable. */
#define READ_CAP ((size_t)1 << 20)
/* The largest hole between two wanted records that one read spans: copying 16 KB from the page
 * cache costs about as much as a pread call of its own (0.3 to 0.9 us here). */
#define READ_GAP ((unsigned long long)16 << 10)

/* ids[i], or i itself when ids is NULL (every record of the file). */
static int id_at(const int *ids, size_t i) { return ids ? ids[i] : (int)i; }

/* Bytes a reader wants of record id from its start: its header and box (boxes) or all of it;
 * 0 when it cannot be read that way (the plain read then says why). */
static unsigned long long want_bytes(const shoal_source *s, int id, bool boxes)
{
  if (boxes)
    return shoal_shp_box_bytes(s, id);
  return (unsigned long long)s->shp->panRecSize[id] + 8;
}

/* The run of records that starts at ids[i]: it and those after it in the list whose wanted bytes
 * follow on in the file, with holes of at most READ_GAP bytes and ending within READ_CAP bytes of
 * the run's start (when chunked, not a record read through the chunk index). Returns the index
 * after its last record; *lo .. *hi are its bytes in the .shp. */
static size_t plan_run(const shoal_source *s, const int *ids, size_t n, size_t i, bool boxes,
                       bool chunked, unsigned long long *lo, unsigned long long *hi)
{
  int id = id_at(ids, i);
  *lo = s->shp->panRecOffset[id];
  *hi = *lo + want_bytes(s, id, boxes);
  for (i++; i < n; i++) {
    id = id_at(ids, i);
    unsigned long long off = s->shp->panRecOffset[id], want = want_bytes(s, id, boxes);
    if (want == 0 || off < *hi || off - *hi > READ_GAP || off + want - *lo > READ_CAP ||
        (chunked && shoal_shp_has_chunks(s, id)))
      break;
    *hi = off + want;
  }
  return i;
}

bool shoal_shp_read_boxes(const shoal_source *s, const int *ids, size_t n, double *boxes)
{
  unsigned char *buf = NULL;
  size_t cap = 0;
  bool ok = true;
  for (size_t i = 0; i < n && ok;) {
    unsigned long long lo, hi;
    size_t end = plan_run(s, ids, n, i, true, false, &lo, &hi);
    /* A run of one, or one that cannot be read whole (a file cut short), is read a record at
     * a time as before, so that every failure is the one a single read meets. */
    bool got = end - i > 1 && SHOAL_GROW(&buf, &cap, (size_t)(hi - lo), 4096, READ_CAP) &&
               pread(s->fd, buf, (size_t)(hi - lo), (off_t)lo) == (ssize_t)(hi - lo);
    for (; i < end && ok; i++) {
      int id = id_at(ids, i);
      ok = got ? shoal_shp_box_from(s, id, buf + (s->shp->panRecOffset[id] - lo), boxes + 4 * i)
               : shoal_shp_read_box(s, id, boxes + 4 * i);
    }
  }
  free(buf);
  return ok;
}

struct shoal_source_reader {
  shoal_source *s;
  const int *ids;
  size_t n, next; /* ids[next ..] have not been read ahead */
  bool cull;
  double q[4];
  unsigned char *buf;
  size_t cap;
  unsigned long long lo, hi; /* the bytes of the .shp that buf holds */
};

shoal_source_reader *shoal_source_reader_new(shoal_source *s, const int *ids, size_t n,
                                             const double *q)
{
  shoal_source_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->s = s;
  r->ids = ids;
  r->n = n;
  r->cull = q != NULL;
  if (q)
    memcpy(r->q, q, sizeof r->q);
  return r;
}

void shoal_source_reader_free(shoal_source_reader *r)
{
  if (!r)
    return;
  free(r->buf);
  free(r);
}

/* Where record id's bytes are: in the buffer, read ahead with the records after it in the list
 * when they lie close by; NULL when it is read on its own (a record bigger than the buffer, one
 * off the list, or a read ahead that failed). */
static const unsigned char *buffered(shoal_source_reader *r, int id)
{
  const shoal_source *s = r->s;
  unsigned long long off = s->shp->panRecOffset[id], end = off + want_bytes(s, id, false);
  if (off >= r->lo && end <= r->hi)
    return r->buf + (off - r->lo);
  while (r->next < r->n && r->ids[r->next] < id)
    r->next++;
  if (r->next == r->n || r->ids[r->next] != id)
    return NULL;
  unsigned long long lo, hi;
  size_t i = r->next;
  r->next = plan_run(s, r->ids, r->n, i, false, r->cull, &lo, &hi);
  r->lo = r->hi = 0;
  /* A run of one goes straight into the vertex buffer: no copy through ours. */
  if (r->next - i < 2 || !SHOAL_GROW(&r->buf, &r->cap, (size_t)(hi - lo), 65536, READ_CAP) ||
      pread(s->fd, r->buf, (size_t)(hi - lo), (off_t)lo) != (ssize_t)(hi - lo))
    return NULL;
  r->lo = lo;
  r->hi = hi;
  return r->buf;
}

shoal_status shoal_source_reader_read(shoal_source_reader *r, int id, shoal_geom *g)
{
  shoal_source *s = r->s;
  if (s->ogr || id < 0 || id >= s->nshapes)
    return r->cull ? shoal_source_read_culled(s, id, r->q, g) : shoal_source_read(s, id, g);
  if (r->cull) {
    int res = shoal_shp_read_chunked(s, id, r->q, g);
    if (res != SHP_DIRECT_NO)
      return res == SHP_DIRECT_OK ? SHOAL_OK : SHOAL_ERR_NOMEM;
  }
  shoal_status st = shoal_shp_read_rec(s, id, buffered(r, id), g);
  if (st == SHOAL_OK && r->cull)
    shoal_cull_rings(g, r->q);
  return st;
}
