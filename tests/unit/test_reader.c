/* Unit tests for reading many records in few reads (data/shpreader.c): a reader over a list of
 * ids gives exactly what shoal_source_read (and, with a cull box, shoal_source_read_culled)
 * gives, for a run of neighbours, a list with holes wider than a read spans, a record larger
 * than the buffer, a null shape and the last record of the file, in far fewer preads (counted
 * by wrapping pread at link time); a query through a .qix checks its candidates' boxes in a few
 * reads too; and a .shp cut short after it was opened gives the error a single read gives, for
 * the first record no longer in it, without a crash. */
#include <fcntl.h>
#include <shapefil.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/diag.h"
#include "brutequery.h"
#include "check.h"
#include "data/cull.h"
#include "data/source.h"
#include "geo/geom.h"
#include "scratch.h"

/* Every pread of the library comes here (-Wl,--wrap=pread in tests/CMakeLists.txt). */
ssize_t __real_pread(int fd, void *buf, size_t n, off_t off);
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off);
static size_t preads;
ssize_t __wrap_pread(int fd, void *buf, size_t n, off_t off)
{
  preads++;
  return __real_pread(fd, buf, n, off);
}

enum { NREC = 3000, BIG = 1500, NULLREC = 700, BIG_POINTS = 80000 };

/* Vertices of record i: small rings of 20 to 120 points, one ring of BIG_POINTS (1.28 MB, more
 * than a reader's buffer) at BIG. */
static int npoints(int i) { return i == BIG ? BIG_POINTS : 20 + (i * 37) % 101; }

/* rd.shp: NREC polygons along a line, record NULLREC a null shape, BIG a giant two-part ring. */
static void write_file(const char *name)
{
  SHPHandle h = SHPCreate(tpath(name), SHPT_POLYGON);
  double *x = malloc(2 * BIG_POINTS * sizeof *x), *y = malloc(2 * BIG_POINTS * sizeof *y);
  for (int i = 0; i < NREC; i++) {
    SHPObject *o;
    int n = npoints(i);
    for (int k = 0; k < n; k++) {
      double t = 2 * M_PI * (k % (n - 1)) / (n - 1);
      x[k] = 10.0 * i + 3 * cos(t) + 0.01 * sin(7 * t);
      y[k] = 3 * sin(t);
    }
    if (i == NULLREC) {
      o = SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
    } else if (i == BIG) { /* with a hole: two parts */
      for (int k = 0; k < 100; k++) {
        double t = -2 * M_PI * (k % 99) / 99;
        x[n + k] = 10.0 * i + cos(t);
        y[n + k] = sin(t);
      }
      int starts[2] = {0, n};
      o = SHPCreateObject(SHPT_POLYGON, -1, 2, starts, NULL, n + 100, x, y, NULL, NULL);
    } else {
      o = SHPCreateSimpleObject(SHPT_POLYGON, n, x, y, NULL);
    }
    SHPWriteObject(h, -1, o);
    SHPDestroyObject(o);
  }
  SHPClose(h);
  DBFHandle dbf = DBFCreate(tpath(name));
  DBFAddField(dbf, "id", FTInteger, 6, 0);
  for (int i = 0; i < NREC; i++)
    DBFWriteIntegerAttribute(dbf, i, 0, i);
  DBFClose(dbf);
  free(x);
  free(y);
}

static shoal_source *open_ok(const char *name)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  if (shoal_source_open(tpath(name), d, &s) != SHOAL_OK) {
    shoal_diag_print(d, stderr, 1);
    exit(2);
  }
  shoal_diag_free(d);
  return s;
}

static bool same_geom(const shoal_geom *a, const shoal_geom *b)
{
  return a->kind == b->kind && a->npts == b->npts && a->nparts == b->nparts &&
         (a->npts == 0 || memcmp(a->xy, b->xy, 2 * a->npts * sizeof *a->xy) == 0) &&
         memcmp(a->parts, b->parts, (a->nparts + 1) * sizeof *a->parts) == 0;
}

/* Read ids[0..n) with a reader (cull box q or NULL) and one by one; every read must agree.
 * Returns the preads the reader made. */
static size_t read_all(shoal_source *s, const int *ids, size_t n, const double *q)
{
  shoal_geom a, b;
  shoal_geom_init(&a, SHOAL_GEOM_NONE);
  shoal_geom_init(&b, SHOAL_GEOM_NONE);
  shoal_source_reader *r = shoal_source_reader_new(s, ids, n, q);
  CHECK(r != NULL);
  size_t before = preads, used = 0, bad = 0;
  for (size_t i = 0; r && i < n; i++) {
    size_t p0 = preads;
    bool ok = shoal_source_reader_read(r, ids[i], &a) == SHOAL_OK;
    used += preads - p0;
    ok = ok && (q ? shoal_source_read_culled(s, ids[i], q, &b)
                  : shoal_source_read(s, ids[i], &b)) == SHOAL_OK;
    if (!ok || !same_geom(&a, &b))
      bad++;
  }
  CHECK(bad == 0);
  CHECK(preads - before >= used);
  shoal_source_reader_free(r);
  shoal_geom_free(&a);
  shoal_geom_free(&b);
  return used;
}

static void test_runs(void)
{
  shoal_source *s = open_ok("rd.shp");
  int *ids = malloc(NREC * sizeof *ids);
  /* Every record: the small ones in runs of up to 1 MB (about 1.1 MB of them in all), the big
   * one on its own, the last one at the end of the file. */
  for (int i = 0; i < NREC; i++)
    ids[i] = i;
  size_t n = read_all(s, ids, NREC, NULL);
  CHECK(n >= 3 && n <= 8);
  /* With a cull box: the giant ring culled as a whole read culls it, the others as before. */
  double q[4] = {10.0 * BIG - 1, -4, 10.0 * BIG + 200, 4};
  n = read_all(s, ids, NREC, q);
  CHECK(n >= 3 && n <= 8);
  /* Holes: blocks of 5 neighbours 300 records (at least 18 KB) apart, each block one read
   * but the one that starts with the big record (read on its own, then its 4 neighbours). */
  size_t k = 0;
  for (int i = 0; i < NREC; i += 300)
    for (int j = i; j < i + 5 && j < NREC; j++)
      ids[k++] = j;
  n = read_all(s, ids, k, NULL);
  CHECK(n == 11);
  /* Ones far apart: one read each, straight into the vertex buffer (the null shape is left to
   * shapelib, which reads it without pread). */
  int sparse[] = {0, 400, NULLREC, BIG, NREC - 1};
  CHECK(read_all(s, sparse, 5, NULL) == 4);
  /* Only the last record, then the big one and the last. */
  CHECK(read_all(s, sparse + 4, 1, NULL) == 1);
  CHECK(read_all(s, sparse + 3, 2, NULL) == 2);
  /* Ids off the reader's list are read on their own, and right. */
  shoal_geom a, b;
  shoal_geom_init(&a, SHOAL_GEOM_NONE);
  shoal_geom_init(&b, SHOAL_GEOM_NONE);
  shoal_source_reader *r = shoal_source_reader_new(s, sparse, 5, NULL);
  CHECK(shoal_source_reader_read(r, 17, &a) == SHOAL_OK);
  CHECK(shoal_source_read(s, 17, &b) == SHOAL_OK && same_geom(&a, &b));
  CHECK(shoal_source_reader_read(r, NREC, &a) != SHOAL_OK);
  shoal_source_reader_free(r);
  shoal_geom_free(&a);
  shoal_geom_free(&b);
  free(ids);
  shoal_source_close(s);
}

static void test_query(void)
{
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("rd.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  size_t p0 = preads;
  shoal_source *s = open_ok("rd.shp");
  CHECK(shoal_source_has_qix(s));
  /* The .qix is checked against a sample of 4096 boxes at open: the whole file, in runs. */
  CHECK(preads - p0 < 40);
  int *want = malloc(NREC * sizeof *want);
  double qs[][4] = {{-100, -10, 1e6, 10}, {1000, -1, 1200, 1}, {10.0 * BIG, 0, 10.0 * BIG, 0}};
  for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
    int *ids = NULL;
    size_t n = 0, nw = brute_query(s, qs[k], want);
    p0 = preads;
    CHECK(shoal_source_query(s, qs[k], &ids, &n) == SHOAL_OK);
    CHECK(preads - p0 <= 8);
    CHECK(n == nw && (n == 0 || memcmp(ids, want, n * sizeof *ids) == 0));
    free(ids);
  }
  free(want);
  shoal_source_close(s);
}

/* A .shp cut short after it was opened: the reader fails on the first record no longer whole,
 * as a single read does, with the message that the file changed; the records before it read
 * as before. */
static void test_cut(void)
{
  write_file("cut.shp");
  shoal_source *s = open_ok("cut.shp");
  /* Cut 20 bytes before the end of record 2000, in a run of small records: walk the records'
   * headers to find it. */
  enum { GONE = 2000 };
  int fd = open(tpath("cut.shp"), O_RDONLY);
  unsigned char h[8];
  off_t off = 100, end = 0;
  for (int i = 0; i <= GONE; i++) {
    CHECK(pread(fd, h, 8, off) == 8);
    off_t len = 8 + 2 * ((off_t)h[4] << 24 | (off_t)h[5] << 16 | (off_t)h[6] << 8 | h[7]);
    end = off + len;
    off = end;
  }
  close(fd);
  CHECK(truncate(tpath("cut.shp"), end - 20) == 0);
  int *ids = malloc(NREC * sizeof *ids);
  for (int i = 0; i < NREC; i++)
    ids[i] = i;
  shoal_geom g, one;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  shoal_geom_init(&one, SHOAL_GEOM_NONE);
  shoal_source_reader *r = shoal_source_reader_new(s, ids, NREC, NULL);
  int failed = -1;
  for (int i = 0; i < NREC && failed < 0; i++) {
    if (shoal_source_reader_read(r, i, &g) != SHOAL_OK)
      failed = i;
    else
      CHECK(shoal_source_read(s, i, &one) == SHOAL_OK && same_geom(&g, &one));
  }
  CHECK(failed == GONE);
  shoal_diag *d = shoal_diag_new();
  shoal_source_read_error(s, failed, SHOAL_ERR_DATA, d);
  const shoal_msg *m = shoal_diag_count(d) == 1 ? shoal_diag_get(d, 0) : NULL;
  CHECK(m && strstr(m->text, "changed while it was being read") &&
        strstr(m->text, "record 2001 (shape id 2000) is no longer in it"));
  shoal_diag_free(d);
  /* Cut to nothing but the header: every read fails, none crashes. */
  CHECK(truncate(tpath("cut.shp"), 100) == 0);
  shoal_source_reader_free(r);
  r = shoal_source_reader_new(s, ids, NREC, NULL);
  int ok = 0;
  for (int i = 0; i < NREC; i++)
    ok += shoal_source_reader_read(r, i, &g) == SHOAL_OK;
  CHECK(ok == 0);
  shoal_source_reader_free(r);
  shoal_geom_free(&g);
  shoal_geom_free(&one);
  free(ids);
  shoal_source_close(s);
}

int main(void)
{
  (void)put; /* scratch.h helper this test does not need */
  if (!scratch_begin("reader"))
    return 2;
  write_file("rd.shp");
  test_runs();
  test_query();
  test_cut();
  scratch_end();
  return check_done();
}
