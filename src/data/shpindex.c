/* Spatial index of a shapefile: a .qix quadtree read into memory, checked and searched here
 * (or a packed array of per-shape boxes read from the record headers on first use), and
 * writing a new .qix for `shoal index`. */
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/tmpfile.h"

/* Why not SHPSearchDiskTreeEx: shapelib's .qix search writes a file-static byte-order flag on
 * every call, a data race when two jobs search two sources at once, and it trusts the file's
 * counts. Reading the (small) .qix once, checking all of it, then searching memory avoids both.
 * The format is shapelib's: "SQT", byte order (1 LSB, 2 MSB), version 1, 3 reserved bytes,
 * int32 shape count, int32 depth; then each node as int32 bytes-of-subtree, 4 doubles bounds,
 * int32 n, n int32 ids, int32 subnode count, subnodes. */

#define rd32 shoal_shp_rd32
#define rdf64 shoal_shp_rdf64

static bool host_is_le(void)
{
  const uint16_t one = 1;
  unsigned char c;
  memcpy(&c, &one, 1);
  return c == 1;
}

/* Little-endian on disk (shapefile record contents), whatever the host. */
static double le_f64(const unsigned char *p) { return rdf64(p, !host_is_le()); }
static uint32_t le_u32(const unsigned char *p) { return rd32(p, !host_is_le()); }

typedef struct qix_walk {
  const unsigned char *buf;
  size_t len;
  bool swap;
  int nshapes;
  const char *why;
} qix_walk;

/* Check the node at *pos and its subtree; advances *pos past it. */
static bool check_node(qix_walk *w, size_t *pos, int depth)
{
  if (depth > SHP_MAX_QIX_DEPTH) {
    w->why = "tree deeper than 64 levels";
    return false;
  }
  size_t p = *pos;
  if (w->len - p < 40) {
    w->why = "truncated node";
    return false;
  }
  uint32_t sub_bytes = rd32(w->buf + p, w->swap);
  uint32_t n = rd32(w->buf + p + 36, w->swap);
  p += 40;
  if (n > (w->len - p) / 4 || w->len - p - 4 * (size_t)n < 4) {
    w->why = "truncated node";
    return false;
  }
  for (uint32_t i = 0; i < n; i++) {
    uint32_t id = rd32(w->buf + p + 4 * i, w->swap);
    if (id >= (uint32_t)w->nshapes) {
      w->why = "shape id out of range";
      return false;
    }
  }
  p += 4 * (size_t)n;
  uint32_t nsub = rd32(w->buf + p, w->swap);
  p += 4;
  if (nsub > MAX_SUBNODE) {
    w->why = "bad subnode count";
    return false;
  }
  size_t start = p;
  for (uint32_t i = 0; i < nsub; i++)
    if (!check_node(w, &p, depth + 1))
      return false;
  /* The search skips whole subtrees by this count, so it must be exact. */
  if (p - start != sub_bytes) {
    w->why = "subtree size does not match";
    return false;
  }
  *pos = p;
  return true;
}

static bool qix_header(const unsigned char *buf, size_t len, bool *swap, const char **why)
{
  if (len < 16 || memcmp(buf, "SQT", 3) != 0) {
    *why = "not a shapelib quadtree (no SQT signature)";
    return false;
  }
  if (buf[3] != 1 && buf[3] != 2) {
    *why = "unknown byte order";
    return false;
  }
  *swap = (buf[3] == 1) != host_is_le();
  if (buf[4] != 1) {
    *why = "unsupported version";
    return false;
  }
  return true;
}

bool shoal_shp_qix_check(const unsigned char *buf, size_t len, int nshapes, const char **why)
{
  qix_walk w = {buf, len, false, nshapes, NULL};
  if (!qix_header(buf, len, &w.swap, why))
    return false;
  if ((int32_t)rd32(buf + 8, w.swap) != nshapes) {
    *why = "made for a different number of shapes (out of date)";
    return false;
  }
  size_t pos = 16;
  if (!check_node(&w, &pos, 0)) {
    *why = w.why;
    return false;
  }
  if (pos != len) {
    *why = "trailing bytes after the tree";
    return false;
  }
  return true;
}

void shoal_shp_index_open_qix(shoal_source *s, const char *qix_path, shoal_diag *d)
{
  char *buf;
  size_t len;
  int e = shoal_shp_slurp(qix_path, SHP_MAX_QIX_BYTES, &buf, &len);
  if (e) {
    char eb[128];
    s->qix_ignored = true;
    shoal_diag_warn(d, NULL, 0, 0, "cannot read '%s': %s; using an in-memory index", qix_path,
                    e == EFBIG ? "too large" : shoal_shp_errstr(e, eb, sizeof eb));
    return;
  }
  const char *why = NULL;
  char whybuf[256];
  bool ok = shoal_shp_qix_check((unsigned char *)buf, len, s->nshapes, &why);
  if (ok) {
    qix_header((unsigned char *)buf, len, &s->qix_swap, &why);
    /* Well formed, but is it this .shp's? A stale one would silently drop features. */
    ok = shoal_shp_qix_matches(s, qix_path, (unsigned char *)buf, s->qix_swap, whybuf,
                               sizeof whybuf);
    why = whybuf;
  }
  if (!ok) {
    s->qix_ignored = true;
    shoal_diag_warn(d, NULL, 0, 0,
                    "ignoring '%s': %s; using an in-memory index (rebuild it with 'shoal index "
                    "%s')",
                    qix_path, why, s->path);
    free(buf);
    return;
  }
  s->qix = (unsigned char *)buf;
  s->qix_len = len;
  s->has_qix = true;
}

bool shoal_shp_read_box(const shoal_source *s, int id, double b[4])
{
  unsigned char r[SHP_BOX_HEAD];
  size_t want = shoal_shp_box_bytes(s, id);
  return want >= 12 && pread(s->fd, r, want, (off_t)s->shp->panRecOffset[id]) == (ssize_t)want &&
         shoal_shp_box_from(s, id, r, b);
}

size_t shoal_shp_box_bytes(const shoal_source *s, int id)
{
  size_t size = s->shp->panRecSize[id];
  /* A record of less than 4 bytes has no type: nothing to read, the box cannot be had. */
  return size < 4 ? 0 : size + 8 < SHP_BOX_HEAD ? size + 8 : SHP_BOX_HEAD;
}

bool shoal_shp_box_from(const shoal_source *s, int id, const unsigned char *r, double b[4])
{
  size_t want = shoal_shp_box_bytes(s, id);
  if (want < 12)
    return false;
  uint32_t type = le_u32(r + 8);
  if (type == SHPT_NULL) {
    b[0] = b[1] = INFINITY; /* never intersects */
    b[2] = b[3] = -INFINITY;
    return true;
  }
  if (type == SHPT_POINT || type == SHPT_POINTZ || type == SHPT_POINTM) {
    if (want < 28)
      return false;
    b[0] = b[2] = le_f64(r + 12);
    b[1] = b[3] = le_f64(r + 20);
    return true;
  }
  if (want < SHP_BOX_HEAD)
    return false;
  for (int i = 0; i < 4; i++)
    b[i] = le_f64(r + 12 + 8 * i);
  return true;
}

static bool overlaps(const double a[4], const double q[4])
{
  return a[0] <= q[2] && a[2] >= q[0] && a[1] <= q[3] && a[3] >= q[1];
}

typedef struct ivec {
  int *v;
  size_t n, cap;
} ivec;

static bool ivec_push(ivec *iv, int x)
{
  if (!SHOAL_GROW(&iv->v, &iv->cap, iv->n + 1, 256, (size_t)SHP_MAX_RECORDS * 2))
    return false;
  iv->v[iv->n++] = x;
  return true;
}

/* Collect the ids of nodes overlapping q, the tree having been fully checked when it was
 * loaded: those of a node lying wholly inside q into sure (a shape's box lies inside the box of
 * the node that lists it, as the check at open samples, so it meets q: its box need not be
 * read), the others into cand. inside: an ancestor already lies inside q. */
static bool qix_search(const shoal_source *s, size_t *pos, const double q[4], bool inside,
                       ivec *sure, ivec *cand)
{
  const unsigned char *p = s->qix + *pos;
  bool sw = s->qix_swap;
  uint32_t sub_bytes = rd32(p, sw);
  double nb[4] = {rdf64(p + 4, sw), rdf64(p + 12, sw), rdf64(p + 20, sw), rdf64(p + 28, sw)};
  uint32_t n = rd32(p + 36, sw);
  size_t after_ids = *pos + 40 + 4 * (size_t)n;
  if (!inside && !overlaps(nb, q)) {
    *pos = after_ids + 4 + sub_bytes;
    return true;
  }
  inside = inside || (nb[0] >= q[0] && nb[1] >= q[1] && nb[2] <= q[2] && nb[3] <= q[3]);
  for (uint32_t i = 0; i < n; i++) {
    int id = (int)rd32(p + 40 + 4 * i, sw);
    /* a null shape (its record holds only its type) has no box and meets nothing */
    if (inside && s->shp->panRecSize[id] <= 4)
      continue;
    if (!ivec_push(inside ? sure : cand, id))
      return false;
  }
  uint32_t nsub = rd32(s->qix + after_ids, sw);
  *pos = after_ids + 4;
  for (uint32_t i = 0; i < nsub; i++)
    if (!qix_search(s, pos, q, inside, sure, cand))
      return false;
  return true;
}

/* Sort and deduplicate cand's ids (all in [0, nshapes)) through a bitmap of the file's records:
 * linear, where qsort took ~3 M instructions for the 15,000 candidates of a coast. False when
 * out of memory. */
static bool sort_unique(const shoal_source *s, ivec *cand)
{
  size_t words = ((size_t)s->nshapes + 63) / 64;
  uint64_t *bits = calloc(words ? words : 1, sizeof *bits);
  if (!bits)
    return false;
  for (size_t i = 0; i < cand->n; i++) {
    unsigned id = (unsigned)cand->v[i];
    if (id >= (unsigned)s->nshapes) /* the .qix's ids were checked at open: only a guard */
      continue;
    bits[id / 64] |= (uint64_t)1 << (id % 64);
  }
  size_t m = 0;
  for (size_t w = 0; w < words; w++)
    for (uint64_t b = bits[w]; b; b &= b - 1)
      cand->v[m++] = (int)(64 * w + (size_t)__builtin_ctzll(b));
  cand->n = m;
  free(bits);
  return true;
}

/* Boxes of all shapes, read once; 32 bytes a shape (0.5 MB for 15,000 islands). */
static shoal_status build_boxes(shoal_source *s)
{
  size_t n = (size_t)s->nshapes;
  if (n > SIZE_MAX / (4 * sizeof(double)))
    return SHOAL_ERR_NOMEM;
  double *bx = malloc(n ? n * 4 * sizeof(double) : 1);
  if (!bx)
    return SHOAL_ERR_NOMEM;
  if (!shoal_shp_read_boxes(s, NULL, n, bx)) {
    free(bx);
    return SHOAL_ERR_DATA;
  }
  s->boxes = bx;
  s->boxes_built = true;
  return SHOAL_OK;
}

/* Candidates checked a batch at a time: their boxes take 128 KB. */
#define CAND_BATCH 4096

/* The candidates of a .qix search (sorted here) whose own boxes meet q, into out. Nodes only
 * bound their shapes loosely: checking each candidate's box makes the answer the same with or
 * without a .qix. */
static shoal_status check_candidates(shoal_source *s, ivec *cand, const double q[4], ivec *out)
{
  if (cand->n == 0)
    return SHOAL_OK;
  if (!sort_unique(s, cand))
    return SHOAL_ERR_NOMEM;
  double *bx = s->boxes_built ? NULL : malloc(4 * sizeof(double) * CAND_BATCH);
  if (!s->boxes_built && !bx)
    return SHOAL_ERR_NOMEM;
  shoal_status st = SHOAL_OK;
  for (size_t i0 = 0; i0 < cand->n && st == SHOAL_OK; i0 += CAND_BATCH) {
    size_t nb = cand->n - i0 < CAND_BATCH ? cand->n - i0 : CAND_BATCH;
    if (bx && !shoal_shp_read_boxes(s, cand->v + i0, nb, bx)) {
      st = SHOAL_ERR_DATA;
      break;
    }
    for (size_t i = 0; i < nb && st == SHOAL_OK; i++) {
      int id = cand->v[i0 + i];
      const double *b = bx ? bx + 4 * i : s->boxes + 4 * (size_t)id;
      if (overlaps(b, q) && !ivec_push(out, id))
        st = SHOAL_ERR_NOMEM;
    }
  }
  free(bx);
  return st;
}

shoal_status shoal_source_query(shoal_source *s, const double bbox[4], int **ids, size_t *n)
{
  if (s->ogr)
    return shoal_ogr_query(s, bbox, ids, n);
  *ids = NULL;
  *n = 0;
  ivec out = {0};
  shoal_status st = SHOAL_OK;
  pthread_mutex_lock(&s->mu);
  if (s->has_qix) {
    ivec cand = {0};
    size_t pos = 16;
    if (!qix_search(s, &pos, bbox, false, &out, &cand))
      st = SHOAL_ERR_NOMEM;
    else
      st = check_candidates(s, &cand, bbox, &out);
    free(cand.v);
    /* the sure ids and the checked candidates, in order, once each */
    if (st == SHOAL_OK && !sort_unique(s, &out))
      st = SHOAL_ERR_NOMEM;
  } else {
    if (!s->boxes_built)
      st = build_boxes(s);
    for (int i = 0; st == SHOAL_OK && i < s->nshapes; i++)
      if (overlaps(s->boxes + 4 * (size_t)i, bbox) && !ivec_push(&out, i))
        st = SHOAL_ERR_NOMEM;
  }
  pthread_mutex_unlock(&s->mu);
  if (st != SHOAL_OK) {
    free(out.v);
    return st;
  }
  *ids = out.v;
  *n = out.n;
  return SHOAL_OK;
}

/* Read every shape as a render would, so that a bad record is reported as render reports it
 * (65, the record and why) rather than as a tree that does not match; and check the .shp
 * header's bounds hold every record's box, since the tree's root takes them. */
static shoal_status check_all(shoal_source *s, shoal_diag *d)
{
  shoal_geom g;
  shoal_geom_init(&g, s->kind);
  shoal_status st = SHOAL_OK;
  for (int id = 0; id < s->nshapes && st == SHOAL_OK; id++) {
    double b[4];
    if ((st = shoal_source_read(s, id, &g)) != SHOAL_OK) {
      shoal_source_read_error(s, id, st, d);
    } else if (g.npts > 0 && shoal_shp_read_box(s, id, b) &&
               !(b[0] >= s->bounds[0] && b[1] >= s->bounds[1] && b[2] <= s->bounds[2] &&
                 b[3] <= s->bounds[3])) { /* NaN bounds hold nothing */
      st = SHOAL_ERR_DATA;
      shoal_diag_error(d, st, NULL, 0, 0,
                       "'%s' is not a valid shapefile: its header's bounds (x %g .. %g, y %g .. "
                       "%g) do not hold record %d (x %g .. %g, y %g .. %g)",
                       s->path, s->bounds[0], s->bounds[2], s->bounds[1], s->bounds[3], id + 1,
                       b[0], b[2], b[1], b[3]);
    }
  }
  shoal_geom_free(&g);
  return st;
}

/* Build the quadtree of s's shapes and write it to tmp; SHOAL_OK or the error, in d. */
static shoal_status write_tree(shoal_source *s, const char *tmp, shoal_diag *d)
{
  char eb[128];
  shoal_status st = check_all(s, d);
  if (st != SHOAL_OK)
    return st;
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
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "cannot build the spatial index of '%s'",
                     s->path);
    return SHOAL_ERR_NOMEM;
  }
  if (!ok) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write '%s': %s", tmp,
                     shoal_shp_errstr(e ? e : EIO, eb, sizeof eb));
    return SHOAL_ERR_CANTCREAT;
  }
  /* SHPWriteTree does not check its writes (a full disk goes unnoticed): read the file back
   * and check it as a reader would before it replaces anything. */
  char *buf = NULL;
  size_t len;
  const char *why = NULL;
  e = shoal_shp_slurp(tmp, SHP_MAX_QIX_BYTES, &buf, &len);
  bool good = !e && shoal_shp_qix_check((unsigned char *)buf, len, s->nshapes, &why);
  free(buf);
  if (!good) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "writing '%s' failed: %s", tmp,
                     e ? shoal_shp_errstr(e, eb, sizeof eb) : why);
    return SHOAL_ERR_CANTCREAT;
  }
  return SHOAL_OK;
}

shoal_status shoal_source_write_index(const char *path, shoal_diag *d)
{
  char eb[128];
  shoal_source *s;
  shoal_status st = shoal_shp_open(path, false, "`shoal index` indexes " SHOAL_SHP_WHAT, d, &s);
  if (st != SHOAL_OK)
    return st;
  /* The temporary name is the one every output uses, so that a later run recognises it when
   * a kill -9 leaves it (base/tmpfile.h); shapelib then rewrites the file we created. */
  char *final = shoal_shp_concat(s->base, ".qix");
  char *tmp = NULL;
  int fd = final ? shoal_tmpfile_open(final, NULL, &tmp) : -1;
  int e = final ? errno : ENOMEM;
  if (fd >= 0)
    close(fd);
  if (fd < 0 && e == ENOMEM) {
    st = SHOAL_ERR_NOMEM;
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory indexing '%s'", path);
  } else if (fd < 0) {
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot write '%s': %s", final,
                     shoal_shp_errstr(e, eb, sizeof eb));
  } else if ((st = write_tree(s, tmp, d)) != SHOAL_OK) {
    unlink(tmp);
  } else if (rename(tmp, final) != 0) {
    e = errno;
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot rename '%s' to '%s': %s", tmp, final,
                     shoal_shp_errstr(e, eb, sizeof eb));
    unlink(tmp);
  } else {
    st = shoal_shp_chunks_write(s, d);
  }
  free(final);
  free(tmp);
  shoal_source_close(s);
  return st;
}
