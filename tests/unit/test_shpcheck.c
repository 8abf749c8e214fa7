/* Unit tests of what the shapefile reader holds against each other: a .qix against its .shp
 * (age, bounds, the shapes it lists), the .shx against the .shp, each record's counts and part
 * table (with the reason in the message, for render and `shoal index` alike), a .cpg that
 * names no usable code page, and the .dbf against its header and the .shp (cut short, another
 * record count, a record that can no longer be read). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "layer/featattr.h"
#include "scratch.h"
#include "base/diag.h"
#include "data/import.h"
#include "data/source.h"
#include "geo/geom.h"

#define VN_NAME "\xC4\x90\xC3\xA1 Ba \xC4\x90\xE1\xBA\xA7u" /* Đá Ba Đầu */

/* Write n points named VN_NAME on a diagonal from (x0, y0) as a shapefile AS.shp via the importer;
 * reverse lists them in the opposite order (same bounds, same count, other ids). */
static void make_points(const char *as, double x0, double y0, int n, bool reverse)
{
  char csv[64], shp[64];
  snprintf(csv, sizeof csv, "%s.csv", as);
  snprintf(shp, sizeof shp, "%s.shp", as);
  FILE *f = fopen(tpath(csv), "w");
  if (!f)
    return;
  fputs("id,name,lon,lat\n", f);
  for (int k = 0; k < n; k++) {
    int i = reverse ? n - 1 - k : k;
    fprintf(f, "%d,%s,%g,%g\n", i, VN_NAME, x0 + 0.1 * i, y0 + 0.07 * i);
  }
  fclose(f);
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  char in[256], out[256];
  snprintf(in, sizeof in, "%s", tpath(csv));
  snprintf(out, sizeof out, "%s", tpath(shp));
  o.in = in;
  o.out = out;
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  shoal_diag_free(d);
}

/* Copy a file byte for byte. */
static void copy(const char *from, const char *to)
{
  FILE *f = fopen(from, "rb"), *g = fopen(to, "wb");
  int c;
  while (f && g && (c = fgetc(f)) != EOF)
    fputc(c, g);
  if (f)
    fclose(f);
  if (g)
    fclose(g);
}

/* Set path's modification time to seconds before now. */
static void age(const char *path, long seconds)
{
  struct timeval tv[2];
  gettimeofday(&tv[0], NULL);
  tv[0].tv_sec -= seconds;
  tv[1] = tv[0];
  CHECK(utimes(path, tv) == 0);
}

/* Open name, expecting success; the first warning's text containing frag (NULL: none). */
static shoal_source *open_warn(const char *name, const char *frag)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath(name), d, &s) == SHOAL_OK);
  if (!frag)
    CHECK(shoal_diag_count(d) == 0);
  else
    CHECK(shoal_diag_nwarnings(d) == 1 && strstr(shoal_diag_get(d, 0)->text, frag));
  if (check_failures)
    shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  return s;
}

/* How many shapes a query over the whole world finds. */
static size_t count_all(shoal_source *s)
{
  int *ids;
  size_t n = 0;
  CHECK(shoal_source_query(s, (double[4]){-180, -90, 180, 90}, &ids, &n) == SHOAL_OK);
  free(ids);
  return n;
}

/* A .qix from an earlier version of the .shp (same shape count) is not trusted. */
static void test_stale_qix(void)
{
  make_points("old", 100, 0, 300, false);
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("old.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  shoal_source *s = open_warn("old.shp", NULL);
  CHECK(s && shoal_source_has_qix(s));
  shoal_source_close(s);

  /* Older than the .shp by an hour: ignored for its age, every shape found. */
  make_points("new", 110, 10, 300, false);
  copy(tpath("old.qix"), tpath("new.qix"));
  age(tpath("new.qix"), 3600);
  s = open_warn("new.shp", "it is older than");
  CHECK(s && !shoal_source_has_qix(s) && count_all(s) == 300);
  shoal_source_close(s);

  /* As new as the .shp but made for other bounds. */
  copy(tpath("old.qix"), tpath("new.qix"));
  s = open_warn("new.shp", "its bounds (x 100 .. 129.9, y 0 .. 20.93) are not those of");
  CHECK(s && !shoal_source_has_qix(s) && count_all(s) == 300);
  shoal_source_close(s);

  /* Same bounds, same count, the shapes in another order: the records' boxes give it away. */
  make_points("rev", 100, 0, 300, true);
  copy(tpath("old.qix"), tpath("rev.qix"));
  s = open_warn("rev.shp", "lies outside the index node that lists it (out of date)");
  CHECK(s && !shoal_source_has_qix(s) && count_all(s) == 300);
  int *ids;
  size_t n;
  CHECK(shoal_source_query(s, (double[4]){100, 0, 100.05, 0.05}, &ids, &n) == SHOAL_OK);
  CHECK(n == 1 && ids[0] == 299);
  free(ids);
  shoal_source_close(s);

  /* Another shape count. */
  make_points("fewer", 100, 0, 299, false);
  copy(tpath("old.qix"), tpath("fewer.qix"));
  s = open_warn("fewer.shp", "made for a different number of shapes");
  shoal_source_close(s);

  /* `shoal index` replaces it; then it is used. */
  d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("rev.shp"), d) == SHOAL_OK);
  shoal_diag_free(d);
  s = open_warn("rev.shp", NULL);
  CHECK(s && shoal_source_has_qix(s) && count_all(s) == 300);
  shoal_source_close(s);
}

/* Patch 4 bytes (little-endian v) at off of name. */
static void patch32(const char *name, long off, int32_t v)
{
  FILE *f = fopen(tpath(name), "r+b");
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)((uint32_t)v >> 24)};
  CHECK(f && fseek(f, off, SEEK_SET) == 0 && fwrite(b, 1, 4, f) == 4);
  if (f)
    fclose(f);
}

/* Copy the golden holes.shp set (5 polygons) to AS.*. */
static void holes(const char *as)
{
  static const char *ext[] = {"shp", "shx", "dbf"};
  unlink(tpath("holes.qix"));
  for (int i = 0; i < 3; i++) {
    char from[512], to[64];
    snprintf(from, sizeof from, SHOAL_SOURCE_DIR "/tests/golden/core/holes.%s", ext[i]);
    snprintf(to, sizeof to, "%s.%s", as, ext[i]);
    copy(from, tpath(to));
  }
  put("holes.prj", "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,"
                   "298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]");
}

/* Record 2 of holes.shp starts at byte 320 (its content at 328). A broken record is named with
 * its reason both by a read and by `shoal index`, which exits 65 as render does. */
static void test_bad_records(void)
{
  static const struct {
    long off;
    int32_t v;
    const char *why;
  } cases[] = {
      {328 + 36, 1000, "1000 parts and 10 points need 4204 bytes but the record has 212"},
      {328 + 40, 100000, "2 parts and 100000 points need 1600052 bytes but the record has 212"},
      {328 + 48, 9999, "part 2 starts at point 9999, past the end (10 points)"},
      {328 + 44, 3, "part 1 starts at point 3 instead of 0"},
      {328, 3, "shape type 3 (PolyLine) in a file whose header says Polygon"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    holes("holes");
    patch32("holes.shp", cases[i].off, cases[i].v);
    char want[256];
    snprintf(want, sizeof want,
             "'%s' is not a valid shapefile: record 2 (shape id 1) cannot be read: %s",
             tpath("holes.shp"), cases[i].why);
    shoal_diag *d = shoal_diag_new();
    CHECK(shoal_source_write_index(tpath("holes.shp"), d) == SHOAL_ERR_DATA);
    CHECK(shoal_diag_nerrors(d) == 1);
    if (shoal_diag_count(d) == 1)
      CHECK_STR(shoal_diag_get(d, 0)->text, want);
    CHECK(access(tpath("holes.qix"), F_OK) != 0);
    shoal_diag_free(d);
    shoal_source *s = open_warn("holes.shp", NULL);
    shoal_geom g;
    shoal_geom_init(&g, SHOAL_GEOM_NONE);
    shoal_status st = s ? shoal_source_read(s, 1, &g) : SHOAL_ERR_DATA;
    CHECK(st == SHOAL_ERR_DATA);
    d = shoal_diag_new();
    if (s)
      shoal_source_read_error(s, 1, st, d);
    CHECK(shoal_diag_count(d) == 1 && !strcmp(shoal_diag_get(d, 0)->text, want));
    shoal_diag_free(d);
    shoal_geom_free(&g);
    shoal_source_close(s);
  }
}

/* A .shx that lists fewer records than the .shp holds is named, not the .dbf. */
static void test_shx_fewer(void)
{
  holes("holes");
  CHECK(truncate(tpath("holes.shx"), 100 + 4 * 8) == 0);
  FILE *f = fopen(tpath("holes.shx"), "r+b"); /* its header's length: 132 bytes, 66 words */
  CHECK(f && fseek(f, 24, SEEK_SET) == 0 && fwrite("\0\0\0\x42", 1, 4, f) == 4);
  if (f)
    fclose(f);
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath("holes.shp"), d, &s) == SHOAL_ERR_DATA);
  char want[512];
  snprintf(want, sizeof want,
           "'%s/holes.shx' does not match '%s': it lists 4 records ending at byte 1064, but "
           "the .shp's records go on to byte 1284; the .shx is out of date or cut short",
           dir, tpath("holes.shp"));
  CHECK(shoal_diag_nerrors(d) == 1 && shoal_diag_nwarnings(d) == 0);
  if (shoal_diag_count(d) == 1)
    CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
}

/* Slack after the last record (an editor rewrote it shorter in place) is no missing record. */
static void test_shp_slack(void)
{
  holes("holes");
  FILE *f = fopen(tpath("holes.shp"), "r+b");
  /* 8 bytes that are not a record 6 header, and the header's length (1292 bytes, 646 words). */
  CHECK(f && fseek(f, 0, SEEK_END) == 0 && fwrite("\0\0\0\x10\0\0\0\0", 1, 8, f) == 8);
  CHECK(f && fseek(f, 24, SEEK_SET) == 0 && fwrite("\0\0\x02\x86", 1, 4, f) == 4);
  if (f)
    fclose(f);
  shoal_source *s = open_warn("holes.shp", NULL);
  CHECK(s && shoal_source_count(s) == 5);
  shoal_source_close(s);
}

/* .cpg text that names no usable code page: a warning naming it, names read as UTF-8 where
 * valid (else Latin-1), never U+FFFD. */
static void test_bad_cpg(void)
{
  make_points("vn", 100, 0, 1, false);
  static const struct {
    const char *text;
    size_t len;
    const char *why;
  } cases[] = {
      {"?\?", 2, "names code page '?\?', which is not one Shoal knows"},
      {"", 0, "is empty"},
      {"\r\n", 2, "is empty"},
      {"\x00\xFF\x01", 3, "is not a text file"},
      {"\xC3\xA9t\xC3\xA9", 5, "is not a text file"},
      {"UTF-8//IGNORE", 13, "names code page 'UTF-8//IGNORE', which is not one Shoal knows"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    FILE *f = fopen(tpath("vn.cpg"), "wb");
    CHECK(f && fwrite(cases[i].text, 1, cases[i].len, f) == cases[i].len);
    if (f)
      fclose(f);
    char frag[256];
    snprintf(frag, sizeof frag, "'%s' %s", tpath("vn.cpg"), cases[i].why);
    shoal_source *s = open_warn("vn.shp", frag);
    if (!s)
      continue;
    char *v = shoal_source_attr(s, 0, shoal_source_field_index(s, "name"));
    CHECK_STR(v, VN_NAME);
    free(v);
    shoal_source_close(s);
  }
}

/* The .dbf's header fields: record count, header length, record length. */
static void dbf_header(const char *name, long *nrec, long *hl, long *rl)
{
  unsigned char h[12] = {0};
  FILE *f = fopen(tpath(name), "rb");
  CHECK(f && fread(h, 1, sizeof h, f) == sizeof h);
  if (f)
    fclose(f);
  *nrec = (long)h[4] | (long)h[5] << 8 | (long)h[6] << 16 | (long)h[7] << 24;
  *hl = (long)h[8] | (long)h[9] << 8;
  *rl = (long)h[10] | (long)h[11] << 8;
}

/* Open name expecting SHOAL_ERR_DATA with exactly one message, want. */
static void open_fails(const char *name, const char *want)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath(name), d, &s) == SHOAL_ERR_DATA && s == NULL);
  CHECK(shoal_diag_nerrors(d) == 1 && shoal_diag_nwarnings(d) == 0);
  if (shoal_diag_count(d) >= 1)
    CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
}

/* A .dbf cut short, anywhere from inside the last record to just past the header, is an error
 * naming it with both sizes; the end-of-file byte alone missing is not. */
static void test_dbf_cut(void)
{
  make_points("cut", 100, 0, 5, false);
  long nrec, hl, rl;
  dbf_header("cut.dbf", &nrec, &hl, &rl);
  CHECK(nrec == 5);
  long want_size = hl + nrec * rl;
  long sizes[] = {want_size - 1, want_size - rl, hl + 1, hl};
  char want[512];
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    make_points("cut", 100, 0, 5, false);
    CHECK(truncate(tpath("cut.dbf"), sizes[i]) == 0);
    snprintf(want, sizeof want,
             "'%s' is cut short: its header says 5 records of %ld bytes after a %ld-byte header, "
             "%ld bytes in all, but the file has %ld bytes",
             tpath("cut.dbf"), rl, hl, want_size, sizes[i]);
    open_fails("cut.shp", want);
  }
  make_points("cut", 100, 0, 5, false);
  CHECK(truncate(tpath("cut.dbf"), want_size) == 0); /* no 0x1A at the end: fine */
  shoal_source *s = open_warn("cut.shp", NULL);
  char *v = s ? shoal_source_attr(s, 4, shoal_source_field_index(s, "name")) : NULL;
  CHECK_STR(v, VN_NAME);
  free(v);
  shoal_source_close(s);
}

/* Set the .dbf's record count to n (the file keeps its bytes). */
static void set_dbf_count(const char *name, unsigned char n)
{
  FILE *f = fopen(tpath(name), "r+b");
  CHECK(f && fseek(f, 4, SEEK_SET) == 0 && fwrite(&n, 1, 1, f) == 1);
  if (f)
    fclose(f);
}

/* Another record count than the .shp's shapes is an error naming the .dbf, both ways. */
static void test_dbf_count(void)
{
  char want[512];
  make_points("cnt", 100, 0, 5, false);
  set_dbf_count("cnt.dbf", 3);
  snprintf(want, sizeof want,
           "'%s' has 3 records but the .shp has 5 shapes: its attributes do not match the shapes",
           tpath("cnt.dbf"));
  open_fails("cnt.shp", want);
  /* One more record, and bytes for it, so that only the count is wrong. */
  make_points("cnt", 100, 0, 5, false);
  long nrec, hl, rl;
  dbf_header("cnt.dbf", &nrec, &hl, &rl);
  CHECK(truncate(tpath("cnt.dbf"), hl + 6 * rl) == 0);
  set_dbf_count("cnt.dbf", 6);
  snprintf(want, sizeof want,
           "'%s' has 6 records but the .shp has 5 shapes: its attributes do not match the shapes",
           tpath("cnt.dbf"));
  open_fails("cnt.shp", want);
}

/* A .dbf cut short after the source opened: the read reports it instead of passing it off as
 * empty. Enough records that the last lies past what stdio read ahead at open. */
#define NLATE 1500
static void test_dbf_read_fails(void)
{
  make_points("late", 0, -50, NLATE, false);
  shoal_source *s = open_warn("late.shp", NULL);
  if (!s)
    return;
  long nrec, hl, rl;
  dbf_header("late.dbf", &nrec, &hl, &rl);
  CHECK(nrec == NLATE && hl + NLATE * rl > 16384);
  int f = shoal_source_field_index(s, "name");
  bool failed = true;
  char *v = shoal_source_attr_read(s, 0, f, &failed);
  CHECK(!failed);
  CHECK_STR(v, VN_NAME);
  free(v);
  CHECK(truncate(tpath("late.dbf"), hl + 10 * rl) == 0);
  v = shoal_source_attr_read(s, NLATE - 1, f, &failed);
  CHECK(failed && v == NULL);
  free(v);
  shoal_diag *d = shoal_diag_new();
  shoal_source_attr_error(s, NLATE - 1, d);
  char want[512];
  snprintf(want, sizeof want,
           "cannot read record %d of '%s' (the file changed or cannot be read since it was "
           "opened)",
           NLATE, tpath("late.dbf"));
  CHECK(shoal_diag_nerrors(d) == 1);
  if (shoal_diag_count(d) == 1)
    CHECK(shoal_diag_get(d, 0)->status == SHOAL_ERR_DATA);
  if (shoal_diag_count(d) == 1)
    CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
  /* Out of range is no failure: there is nothing to read. */
  v = shoal_source_attr_read(s, NLATE, f, &failed);
  CHECK(!failed && v == NULL);
  shoal_source_close(s);
}

/* The drawing path's attribute reader (layer/featattr) reports the same failure instead of
 * drawing or labelling the feature without its attributes. */
static void test_featattr_reports(void)
{
  make_points("late2", 0, -50, NLATE, false);
  shoal_source *s = open_warn("late2.shp", NULL);
  if (!s)
    return;
  long nrec, hl, rl;
  dbf_header("late2.dbf", &nrec, &hl, &rl);
  shoal_featattr fa;
  CHECK(shoal_featattr_init(&fa, s));
  int f = shoal_source_field_index(s, "name");
  char buf[8];
  shoal_featattr_set(&fa, 0);
  CHECK_STR(shoal_featattr_get(&fa, f, buf, sizeof buf), VN_NAME);
  shoal_diag *d = shoal_diag_new();
  CHECK(!shoal_featattr_report(&fa, d) && shoal_diag_nerrors(d) == 0);
  CHECK(truncate(tpath("late2.dbf"), hl + 10 * rl) == 0);
  shoal_featattr_set(&fa, NLATE - 1);
  CHECK(shoal_featattr_get(&fa, f, buf, sizeof buf) == NULL);
  CHECK(shoal_featattr_report(&fa, d));
  char want[512];
  snprintf(want, sizeof want,
           "cannot read record %d of '%s' (the file changed or cannot be read since it was "
           "opened)",
           NLATE, tpath("late2.dbf"));
  CHECK(shoal_diag_nerrors(d) == 1);
  if (shoal_diag_count(d) == 1)
    CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
  shoal_featattr_free(&fa);
  shoal_source_close(s);
}

int main(void)
{
  if (!scratch_begin("shpcheck"))
    return 2;
  test_stale_qix();
  test_bad_records();
  test_shx_fewer();
  test_shp_slack();
  test_bad_cpg();
  test_dbf_cut();
  test_dbf_count();
  test_dbf_read_fails();
  test_featattr_reports();
  scratch_end();
  return check_done();
}
