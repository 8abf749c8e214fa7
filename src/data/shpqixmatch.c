/* Whether a .qix still belongs to its .shp: a spatial index left from an earlier version of the
 * data makes queries miss features with no error at all, so its age, root bounds, shape list
 * and a sample of record boxes are checked against the .shp before it is trusted. */
#include "data/shp_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A copy or checkout writes the .qix and then the .shp a moment later (alphabetical order):
 * only an index older than its .shp by more than this is out of date by age alone. */
#define QIX_AGE_SLACK_S 5
/* At most about this many records' boxes are read to check the nodes that list them, in
 * blocks of QIX_BLOCK records next to each other in the file, each block read with one pread
 * (a few kilobytes: cheaper than a pread for each box, and far less than reading what lies
 * between samples spread one by one over the file). */
#define QIX_SAMPLES 4096
#define QIX_BLOCK 32

typedef struct match {
  const shoal_source *s;
  const unsigned char *buf;
  bool swap;
  unsigned shift;      /* check the boxes of every (1 << shift)-th block of QIX_BLOCK shape ids */
  unsigned char *seen; /* one bit per shape id */
  double *node;        /* the box of the node listing each sampled id (at slot(id)) */
  char *why;
  size_t wsz;
} match;

/* Is id sampled, and where its node's box is kept. Shifts and masks, not divisions: these run
 * for every id of the tree (113,000 in a world coastline file). */
static bool sampled(const match *m, unsigned id)
{
  return (id & ((QIX_BLOCK << m->shift) - 1)) < QIX_BLOCK;
}
static size_t slot(const match *m, unsigned id)
{
  return (size_t)(id / QIX_BLOCK >> m->shift) * QIX_BLOCK + id % QIX_BLOCK;
}
static bool seen(const match *m, unsigned id) { return m->seen[id / 8] & (1u << (id % 8)); }
/* How many slots the file's ids take: up to the end of the last sampled block. */
static size_t nslots(const match *m)
{
  unsigned n = (unsigned)m->s->nshapes;
  return n ? slot(m, n - 1) - (n - 1) % QIX_BLOCK + QIX_BLOCK : 1;
}

static bool inside(const double b[4], const double nb[4])
{
  return b[0] >= nb[0] && b[1] >= nb[1] && b[2] <= nb[2] && b[3] <= nb[3];
}

/* Check the ids of the node at *pos and its subtree (the structure was checked already), and
 * note the node of each sampled id. */
static bool walk(match *m, size_t *pos)
{
  const unsigned char *p = m->buf + *pos;
  double nb[4];
  bool have_nb = false; /* the node's box, read for its first sampled id (most nodes have none) */
  unsigned char *bits = m->seen;
  uint32_t n = shoal_shp_rd32(p + 36, m->swap);
  for (uint32_t i = 0; i < n; i++) {
    unsigned id = shoal_shp_rd32(p + 40 + 4 * (size_t)i, m->swap);
    unsigned char bit = (unsigned char)(1u << (id % 8));
    if (bits[id / 8] & bit) {
      snprintf(m->why, m->wsz, "it lists shape %u twice", id + 1);
      return false;
    }
    bits[id / 8] |= bit;
    if (!sampled(m, id))
      continue;
    if (!have_nb) {
      for (int k = 0; k < 4; k++)
        nb[k] = shoal_shp_rdf64(p + 4 + 8 * k, m->swap);
      have_nb = true;
    }
    memcpy(m->node + 4 * slot(m, id), nb, sizeof nb);
  }
  size_t after = *pos + 40 + 4 * (size_t)n;
  uint32_t nsub = shoal_shp_rd32(m->buf + after, m->swap);
  *pos = after + 4;
  for (uint32_t i = 0; i < nsub; i++)
    if (!walk(m, pos))
      return false;
  return true;
}

/* The sampled records the tree lists must lie inside the nodes that list them. Their boxes are
 * read in file order, those close together with one read (shpreader.c). */
static bool samples_inside(match *m)
{
  size_t n = 0;
  int *ids = malloc(nslots(m) * sizeof *ids);
  double *b = malloc(nslots(m) * 4 * sizeof *b);
  bool ok = ids && b;
  /* every sampled block, from its first id */
  unsigned nshapes = (unsigned)m->s->nshapes;
  for (unsigned first = 0; ok && first < nshapes; first += QIX_BLOCK << m->shift)
    for (unsigned id = first; id < first + QIX_BLOCK && id < nshapes; id++)
      if (seen(m, id))
        ids[n++] = (int)id;
  if (!ok)
    snprintf(m->why, m->wsz, "out of memory checking it");
  else if (!shoal_shp_read_boxes(m->s, ids, n, b)) {
    /* Which one: the first that cannot be read on its own. */
    size_t i = 0;
    double one[4];
    while (i + 1 < n && shoal_shp_read_box(m->s, ids[i], one))
      i++;
    snprintf(m->why, m->wsz, "record %d's bounding box cannot be read", ids[i] + 1);
    ok = false;
  }
  for (size_t i = 0; ok && i < n; i++) {
    const double *nb = m->node + 4 * slot(m, ids[i]), *bi = b + 4 * i;
    if (!inside(bi, nb)) {
      snprintf(m->why, m->wsz,
               "record %d (x %g .. %g, y %g .. %g) lies outside the index node that lists it "
               "(out of date)",
               ids[i] + 1, bi[0], bi[2], bi[1], bi[3]);
      ok = false;
    }
  }
  free(ids);
  free(b);
  return ok;
}

/* Shapes the tree does not list must be null shapes, which no query finds anyway. */
static bool missing_are_null(match *m)
{
  for (unsigned id = 0; id < (unsigned)m->s->nshapes; id++) {
    if (id % 8 == 0 && m->seen[id / 8] == 0xFF) {
      id += 7; /* eight listed shapes at once */
      continue;
    }
    if (seen(m, id))
      continue;
    double b[4];
    if (!shoal_shp_read_box(m->s, id, b) || isfinite(b[0])) {
      snprintf(m->why, m->wsz, "shape %u is not in it (out of date)", id + 1);
      return false;
    }
  }
  return true;
}

static bool older(const shoal_source *s, const char *qix_path, char *why, size_t wsz)
{
  struct stat qs, ss;
  if (stat(qix_path, &qs) != 0 || fstat(s->fd, &ss) != 0)
    return false;
  if (qs.st_mtime + QIX_AGE_SLACK_S >= ss.st_mtime)
    return false;
  long long dt = (long long)(ss.st_mtime - qs.st_mtime);
  /* Rounded to the unit that reads best: "by 3 days", "by 2 hours", "by 10 minutes". */
  static const struct {
    long long secs;
    const char *unit;
  } units[] = {{86400, "days"}, {3600, "hours"}, {60, "minutes"}, {1, "seconds"}};
  size_t u = 0;
  while (u < 3 && dt < units[u].secs * 3 / 2)
    u++;
  snprintf(why, wsz, "it is older than '%s' (by %lld %s; out of date)", s->path,
           (dt + units[u].secs / 2) / units[u].secs, units[u].unit);
  return true;
}

/* The root node of a shapelib tree has the .shp header's bounds. */
static bool root_differs(const shoal_source *s, const unsigned char *buf, bool swap, char *why,
                         size_t wsz)
{
  double nb[4];
  for (int k = 0; k < 4; k++)
    nb[k] = shoal_shp_rdf64(buf + 16 + 4 + 8 * k, swap);
  const double *b = s->bounds;
  double tol = 1e-9 * (fabs(b[0]) + fabs(b[1]) + fabs(b[2]) + fabs(b[3]) + 1);
  for (int k = 0; k < 4; k++)
    if (!(fabs(nb[k] - b[k]) <= tol)) {
      snprintf(why, wsz,
               "its bounds (x %g .. %g, y %g .. %g) are not those of '%s' (x %g .. %g, y %g .. "
               "%g; out of date)",
               nb[0], nb[2], nb[1], nb[3], s->path, b[0], b[2], b[1], b[3]);
      return true;
    }
  return false;
}

bool shoal_shp_qix_matches(const shoal_source *s, const char *qix_path, const unsigned char *buf,
                           bool swap, char *why, size_t wsz)
{
  if (older(s, qix_path, why, wsz) || root_differs(s, buf, swap, why, wsz))
    return false;
  match m = {s, buf, swap, 0, NULL, NULL, why, wsz};
  while (((size_t)QIX_SAMPLES << m.shift) < (size_t)s->nshapes)
    m.shift++;
  m.seen = calloc((size_t)s->nshapes / 8 + 1, 1);
  m.node = malloc(nslots(&m) * 4 * sizeof(double));
  size_t pos = 16;
  bool ok = m.seen && m.node;
  if (!ok)
    snprintf(why, wsz, "out of memory checking it");
  /* An empty file lists nothing and has nothing to sample. */
  ok = ok && walk(&m, &pos) && (s->nshapes == 0 || samples_inside(&m)) && missing_are_null(&m);
  free(m.seen);
  free(m.node);
  return ok;
}
