/* Shapefile reader: the shipped shapes/ files against the reference CSVs in tests/data, spatial
 * queries with and without a .qix, code pages, missing and damaged files, concurrent use of one
 * handle. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "brutequery.h"
#include "check.h"
#include "scratch.h"
#include "base/diag.h"
#include "data/source.h"
#include "geo/geom.h"

#define SHAPES SHOAL_SOURCE_DIR "/shapes/"
#define FIXTURES SHOAL_SOURCE_DIR "/tests/data/"

/* --- a small independent RFC 4180 reader, so the test does not trust the importer's --- */

typedef struct table {
  char ***rows; /* rows[r][c]; row 0 is the header */
  int nrows, ncols;
} table;

static char *slurp(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "FATAL: cannot open %s: %s\n", path, strerror(errno));
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
    exit(2);
  b[n] = '\0';
  fclose(f);
  return b;
}

static table read_csv(const char *path)
{
  char *t = slurp(path), *p = t;
  table tb = {NULL, 0, 0};
  while (*p == '#') /* comment lines before the header */
    p = strchr(p, '\n') + 1;
  while (*p) {
    char **row = NULL;
    int nc = 0;
    for (;;) {
      char *cell = malloc(strlen(p) + 1), *o = cell;
      if (*p == '"') {
        for (p++;; p++) {
          if (*p == '"' && p[1] == '"')
            *o++ = *p++;
          else if (*p == '"') {
            p++;
            break;
          } else
            *o++ = *p;
        }
      } else
        while (*p && *p != ',' && *p != '\n' && *p != '\r')
          *o++ = *p++;
      *o = '\0';
      row = realloc(row, (size_t)(nc + 1) * sizeof *row);
      row[nc++] = cell;
      if (*p == ',') {
        p++;
        continue;
      }
      if (*p == '\r')
        p++;
      if (*p == '\n')
        p++;
      break;
    }
    tb.rows = realloc(tb.rows, (size_t)(tb.nrows + 1) * sizeof *tb.rows);
    tb.rows[tb.nrows++] = row;
    if (tb.nrows == 1)
      tb.ncols = nc;
  }
  free(t);
  return tb;
}

static int col(const table *tb, const char *name)
{
  for (int c = 0; c < tb->ncols; c++)
    if (!strcmp(tb->rows[0][c], name))
      return c;
  fprintf(stderr, "FATAL: no column %s\n", name);
  exit(2);
}

static void free_table(table *tb)
{
  for (int r = 0; r < tb->nrows; r++) {
    for (int c = 0; c < tb->ncols; c++)
      free(tb->rows[r][c]);
    free(tb->rows[r]);
  }
  free(tb->rows);
}

/* --- helpers --- */

static shoal_source *open_ok(const char *path)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  shoal_status st = shoal_source_open(path, d, &s);
  if (st != SHOAL_OK) {
    shoal_diag_print(d, stderr, 1);
    fprintf(stderr, "FATAL: cannot open %s\n", path);
    exit(2);
  }
  shoal_diag_free(d);
  return s;
}

static int find_id(shoal_source *s, const char *field, const char *value)
{
  int f = shoal_source_field_index(s, field);
  for (int i = 0; i < shoal_source_count(s); i++) {
    char *v = shoal_source_attr(s, i, f);
    bool hit = v && !strcmp(v, value);
    free(v);
    if (hit)
      return i;
  }
  return -1;
}

static void copy_file(const char *from, const char *to)
{
  char *buf = NULL;
  FILE *f = fopen(from, "rb"), *g = fopen(to, "wb");
  if (!f || !g) {
    fprintf(stderr, "FATAL: copy %s -> %s\n", from, to);
    exit(2);
  }
  buf = malloc(1 << 16);
  size_t n;
  while ((n = fread(buf, 1, 1 << 16, f)) > 0)
    fwrite(buf, 1, n, g);
  free(buf);
  fclose(f);
  fclose(g);
}

/* Copy shapes/NAME.{shp,shx,dbf,prj,cpg} (those that exist) to the scratch folder as AS.* */
static void copy_set(const char *name, const char *as)
{
  static const char *exts[] = {"shp", "shx", "dbf", "prj", "cpg"};
  for (int i = 0; i < 5; i++) {
    char from[512], to[512];
    snprintf(from, sizeof from, SHAPES "%s.%s", name, exts[i]);
    snprintf(to, sizeof to, "%s/%s.%s", dir, as, exts[i]);
    if (access(from, F_OK) == 0)
      copy_file(from, to);
  }
}

/* --- tests --- */

static void test_places(void)
{
  shoal_source *s = open_ok(SHAPES "places.shp");
  CHECK(shoal_source_count(s) == 84);
  CHECK(shoal_source_kind(s) == SHOAL_GEOM_POINT);
  CHECK_STR(shoal_source_type_name(s), "Point");
  CHECK_STR(shoal_source_codepage(s), "UTF-8");
  CHECK(shoal_source_has_prj(s));
  CHECK(strstr(shoal_source_crs(s), "GCS_WGS_1984") != NULL);
  CHECK(shoal_source_field_index(s, "NAME_ZH_PY") == shoal_source_field_index(s, "name_zh_py"));
  CHECK(shoal_source_field_index(s, "name_zh_pinyin") == -1);

  int sts = find_id(s, "id", "second_thomas_shoal");
  CHECK(sts >= 0);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, sts, &g) == SHOAL_OK);
  CHECK(g.kind == SHOAL_GEOM_POINT && g.npts == 1 && g.nparts == 1);
  CHECK_NEAR(g.xy[0], 115.86667, 1e-6);
  CHECK_NEAR(g.xy[1], 9.73333, 1e-6);

  /* Every name, byte for byte, against the CSV; empty cells read as NULL. */
  table tb = read_csv(FIXTURES "places.csv");
  CHECK(tb.nrows - 1 == 84);
  static const char *const csv_cols[] = {"name_en",  "name_zh", "name_zh_pinyin", "name_vi",
                                         "name_fil", "name_ms", "held_by",        "source"};
  static const char *const shp_cols[] = {"name_en",  "name_zh", "name_zh_py", "name_vi",
                                         "name_fil", "name_ms", "held_by",    "source"};
  int cid = col(&tb, "id"), clon = col(&tb, "lon"), clat = col(&tb, "lat");
  int mismatches = 0;
  for (int r = 1; r < tb.nrows; r++) {
    int id = find_id(s, "id", tb.rows[r][cid]);
    CHECK(id == r - 1); /* file order kept */
    for (int k = 0; k < 8; k++) {
      char *v = shoal_source_attr(s, id, shoal_source_field_index(s, shp_cols[k]));
      const char *want = tb.rows[r][col(&tb, csv_cols[k])];
      if (strcmp(v ? v : "", want) != 0) {
        mismatches++;
        fprintf(stderr, "row %d %s: got '%s' want '%s'\n", r, shp_cols[k], v ? v : "(null)", want);
      }
      free(v);
    }
    CHECK(shoal_source_read(s, id, &g) == SHOAL_OK);
    CHECK(g.xy[0] == strtod(tb.rows[r][clon], NULL) && g.xy[1] == strtod(tb.rows[r][clat], NULL));
  }
  CHECK(mismatches == 0);
  free_table(&tb);
  shoal_geom_free(&g);
  shoal_source_close(s);
}

static void test_nine_dash(void)
{
  shoal_source *s = open_ok(SHAPES "nine_dash_line.shp");
  CHECK(shoal_source_count(s) == 9);
  CHECK(shoal_source_kind(s) == SHOAL_GEOM_LINE);
  CHECK(shoal_source_field_index(s, "source") >= 0);
  table tb = read_csv(FIXTURES "nine_dash_line.csv");
  int cd = col(&tb, "dash"), cs = col(&tb, "seq"), cx = col(&tb, "lon"), cy = col(&tb, "lat");
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  for (int dash = 1; dash <= 9; dash++) {
    char key[16];
    snprintf(key, sizeof key, "%d", dash);
    int id = find_id(s, "dash", key);
    CHECK(id == dash - 1);
    if (id < 0)
      continue;
    CHECK(shoal_source_read(s, id, &g) == SHOAL_OK);
    CHECK(g.nparts == 1 && g.npts == 15);
    long lo = 1 << 30, hi = -1;
    const char *first[2] = {0}, *last[2] = {0};
    for (int r = 1; r < tb.nrows; r++) {
      if (strcmp(tb.rows[r][cd], key) != 0)
        continue;
      long q = strtol(tb.rows[r][cs], NULL, 10);
      if (q < lo) {
        lo = q;
        first[0] = tb.rows[r][cx];
        first[1] = tb.rows[r][cy];
      }
      if (q > hi) {
        hi = q;
        last[0] = tb.rows[r][cx];
        last[1] = tb.rows[r][cy];
      }
    }
    CHECK(first[0] && last[0]);
    if (!first[0] || g.npts < 2)
      continue;
    CHECK(g.xy[0] == strtod(first[0], NULL) && g.xy[1] == strtod(first[1], NULL));
    CHECK(g.xy[2 * g.npts - 2] == strtod(last[0], NULL) &&
          g.xy[2 * g.npts - 1] == strtod(last[1], NULL));
  }
  /* Dash 1 lies off central Vietnam near 109.3-109.9 E, 15.5-16.6 N: only it is there. */
  int *ids;
  size_t n;
  CHECK(shoal_source_query(s, (double[4]){109.0, 15.0, 110.0, 17.0}, &ids, &n) == SHOAL_OK);
  CHECK(n == 1 && ids[0] == 0);
  free(ids);
  CHECK(shoal_source_query(s, (double[4]){0, 0, 1, 1}, &ids, &n) == SHOAL_OK);
  CHECK(n == 0);
  free(ids);
  free_table(&tb);
  shoal_geom_free(&g);
  shoal_source_close(s);
}

static void test_land_and_index(void)
{
  shoal_source *s = open_ok(SHAPES "land_h.shp");
  CHECK(shoal_source_count(s) == 13823);
  CHECK(shoal_source_kind(s) == SHOAL_GEOM_POLYGON);
  CHECK_STR(shoal_source_codepage(s), "LDID/87");
  CHECK(shoal_source_has_qix(s));

  copy_set("land_h", "land_noqix");
  shoal_source *m = open_ok(tpath("land_noqix.shp"));
  CHECK(!shoal_source_has_qix(m));

  static const double qs[][4] = {
      {114.0, 10.0, 115.0, 11.5},     /* Spratlys: Itu Aba, Thitu */
      {111.0, 15.5, 113.0, 17.5},     /* Paracels */
      {95.0, -5.0, 130.0, 30.0},      /* everything */
      {118.0, 9.0, 118.0001, 9.0001}, /* a point inside Palawan */
      {60.0, 60.0, 61.0, 61.0},       /* nothing */
  };
  int *want = malloc(13823 * sizeof *want);
  for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
    size_t nw = brute_query(s, qs[k], want);
    int *a, *b;
    size_t na, nb;
    CHECK(shoal_source_query(s, qs[k], &a, &na) == SHOAL_OK);
    CHECK(shoal_source_query(m, qs[k], &b, &nb) == SHOAL_OK);
    CHECK(na == nw && nb == nw);
    CHECK(na == nw && (nw == 0 || !memcmp(a, want, nw * sizeof *a)));
    CHECK(nb == nw && (nw == 0 || !memcmp(b, want, nw * sizeof *b)));
    if (k == 2)
      CHECK(na == 13823);
    if (k == 0)
      CHECK(na >= 2);
    if (k == 4)
      CHECK(na == 0);
    free(a);
    free(b);
  }
  free(want);
  shoal_source_close(m);
  shoal_source_close(s);

  /* A .qix made for another file is ignored with a warning, and queries still work. */
  copy_set("nine_dash_line", "stale");
  copy_file(SHAPES "land_h.qix", tpath("stale.qix"));
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("stale.shp"), d, &s) == SHOAL_OK);
  CHECK(shoal_diag_nwarnings(d) == 1 && shoal_diag_nerrors(d) == 0);
  CHECK(shoal_diag_count(d) > 0 && strstr(shoal_diag_get(d, 0)->text, "out of date") != NULL);
  CHECK(!shoal_source_has_qix(s));
  shoal_source_close(s);
  shoal_diag_free(d);

  /* shoal_source_write_index makes a .qix that the next open uses, with the same answers. */
  d = shoal_diag_new();
  CHECK(shoal_source_write_index(tpath("stale.shp"), d) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_free(d);
  s = open_ok(tpath("stale.shp"));
  CHECK(shoal_source_has_qix(s));
  int *ids;
  size_t n;
  CHECK(shoal_source_query(s, (double[4]){109.0, 15.0, 110.0, 17.0}, &ids, &n) == SHOAL_OK);
  CHECK(n == 1 && ids[0] == 0);
  free(ids);
  shoal_source_close(s);
}

/* Not a shapefile: what it is and what was expected, never an invented "x.yaml.shp". */
static void test_not_a_shapefile(void)
{
  char want[512];
  shoal_source *s = NULL;
  put("style.yaml", "map: {}\n");
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("style.yaml"), d, &s) == SHOAL_ERR_DATA && s == NULL);
  snprintf(want, sizeof want,
           "'%s' is a YAML file, not a shapefile: data files are shapefiles (.shp with .shx and "
           ".dbf beside it)",
           tpath("style.yaml"));
  CHECK(shoal_diag_count(d) == 1);
  CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
  d = shoal_diag_new();
  CHECK(shoal_source_open(dir, d, &s) == SHOAL_ERR_DATA);
  CHECK(shoal_diag_count(d) == 1 && strstr(shoal_diag_get(d, 0)->text, "is a folder, not a "));
  shoal_diag_free(d);
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("style.yml"), d, &s) == SHOAL_ERR_NOINPUT);
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory", tpath("style.yml"));
  CHECK(shoal_diag_count(d) == 1);
  CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);
}

/* A damaged record (absurd part count) opens, then fails on read with a named record. */
static void test_bad_record(void)
{
  char want[512];
  shoal_source *s = NULL;
  shoal_diag *d;
  copy_set("nine_dash_line", "badrec");
  int fd = open(tpath("badrec.shp"), O_RDWR);
  CHECK(fd >= 0);
  /* Record 3 starts at 100 + 2 * (8 + 4 + 32 + 4 + 4 + 4 + 15 * 16) bytes; numParts is at +44. */
  off_t rec3 = 100 + 2 * (8 + 44 + 4 + 240);
  unsigned char bad[4] = {0xff, 0xff, 0xff, 0x7f};
  CHECK(pwrite(fd, bad, 4, rec3 + 44) == 4);
  close(fd);
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("badrec.shp"), d, &s) == SHOAL_OK);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, 0, &g) == SHOAL_OK && g.npts == 15);
  shoal_status st = shoal_source_read(s, 2, &g);
  CHECK(st == SHOAL_ERR_DATA);
  CHECK(g.npts == 0);
  shoal_source_read_error(s, 2, st, d);
  snprintf(want, sizeof want,
           "'%s' is not a valid shapefile: record 3 (shape id 2) cannot be read: 2147483647 parts "
           "and 15 points need 8589934872 bytes but the record has 288",
           tpath("badrec.shp"));
  CHECK(shoal_diag_count(d) == 1);
  if (shoal_diag_count(d) == 1)
    CHECK_STR(shoal_diag_get(d, 0)->text, want);
  CHECK(shoal_source_read(s, 3, &g) == SHOAL_OK && g.npts == 15);
  CHECK(shoal_source_read(s, 99, &g) != SHOAL_OK);
  shoal_geom_free(&g);
  shoal_source_close(s);
  shoal_diag_free(d);
}

static void test_errors(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath("nope.shp"), d, &s) == SHOAL_ERR_NOINPUT);
  CHECK(s == NULL);
  char want[512];
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory", tpath("nope.shp"));
  CHECK(shoal_diag_count(d) == 1);
  CHECK_STR(shoal_diag_get(d, 0)->text, want);
  shoal_diag_free(d);

  /* Missing .dbf: also NOINPUT, naming the file. */
  copy_set("places", "nodbf");
  unlink(tpath("nodbf.dbf"));
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("nodbf.shp"), d, &s) == SHOAL_ERR_NOINPUT);
  CHECK(shoal_diag_count(d) == 1 && strstr(shoal_diag_get(d, 0)->text, "nodbf.dbf") != NULL);
  shoal_diag_free(d);

  /* Truncated .shp: refused at open with a reason, not a crash later. */
  copy_set("land_h", "trunc");
  CHECK(truncate(tpath("trunc.shp"), 1500000) == 0);
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("trunc.shp"), d, &s) == SHOAL_ERR_DATA);
  snprintf(want, sizeof want, "'%s' is not a valid shapefile: ", tpath("trunc.shp"));
  CHECK(shoal_diag_count(d) == 1 && !strncmp(shoal_diag_get(d, 0)->text, want, strlen(want)));
  CHECK(strstr(shoal_diag_get(d, 0)->text, "truncated") != NULL);
  shoal_diag_free(d);

  /* Shorter than a header, and not a shapefile at all. */
  CHECK(truncate(tpath("trunc.shp"), 50) == 0);
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("trunc.shp"), d, &s) == SHOAL_ERR_DATA);
  CHECK(shoal_diag_count(d) == 1 && strstr(shoal_diag_get(d, 0)->text, "100-byte header"));
  shoal_diag_free(d);
  copy_file(SHAPES "places.prj", tpath("trunc.shp"));
  CHECK(truncate(tpath("trunc.shp"), 200) == 0);
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("trunc.shp"), d, &s) == SHOAL_ERR_DATA);
  CHECK(shoal_diag_count(d) == 1 && strstr(shoal_diag_get(d, 0)->text, "bad file code"));
  shoal_diag_free(d);

  /* No .prj: a warning, and WGS84. */
  copy_set("places", "noprj");
  unlink(tpath("noprj.prj"));
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("noprj.shp"), d, &s) == SHOAL_OK);
  CHECK(shoal_diag_nwarnings(d) == 1 && shoal_diag_nerrors(d) == 0);
  CHECK(!shoal_source_has_prj(s));
  CHECK_STR(shoal_source_crs(s), "EPSG:4326");
  shoal_source_close(s);
  shoal_diag_free(d);
}

/* A .cpg naming a single-byte code page: DBF bytes are converted to UTF-8. */
static void test_codepage(void)
{
  copy_set("treaty_lines", "latin");
  /* Overwrite the first letter of record 1's name ("Vietnam...") with 0xE9, é in ISO-8859-1. */
  shoal_source *s = open_ok(tpath("latin.shp"));
  CHECK_STR(shoal_source_codepage(s), "UTF-8");
  shoal_source_close(s);
  FILE *f = fopen(tpath("latin.dbf"), "r+b");
  unsigned char h[12];
  CHECK(f && fread(h, 1, 12, f) == 12);
  long hdr = h[8] | h[9] << 8;
  /* Record: deletion flag, line_id (4), then name. */
  fseek(f, hdr + 1 + 4, SEEK_SET);
  fputc(0xE9, f);
  fclose(f);
  put("latin.cpg", "88591\n");
  s = open_ok(tpath("latin.shp"));
  CHECK_STR(shoal_source_codepage(s), "88591");
  char *v = shoal_source_attr(s, 0, shoal_source_field_index(s, "name"));
  CHECK(v && !strncmp(v, "\xC3\xA9ietnam - China", 16));
  free(v);
  shoal_source_close(s);
  /* Declared UTF-8 but the byte is not: replaced with U+FFFD rather than passed on. */
  put("latin.cpg", "UTF-8");
  s = open_ok(tpath("latin.shp"));
  v = shoal_source_attr(s, 0, shoal_source_field_index(s, "name"));
  CHECK(v && !strncmp(v, "\xEF\xBF\xBDietnam", 9));
  free(v);
  /* Numbers and the date string come back as written. */
  v = shoal_source_attr(s, 2, shoal_source_field_index(s, "line_id"));
  CHECK_STR(v, "1352");
  free(v);
  v = shoal_source_attr(s, 0, shoal_source_field_index(s, "date"));
  CHECK_STR(v, "2000-12-25");
  free(v);
  CHECK(shoal_source_attr(s, 0, 99) == NULL && shoal_source_attr(s, 99, 0) == NULL);
  shoal_source_close(s);
}

/* One handle, several threads reading and querying: same answers as one thread. */
typedef struct job {
  shoal_source *s;
  size_t pts;
  size_t hits;
  int attr_ok;
} job;

static void *worker(void *arg)
{
  job *j = arg;
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  for (int i = 0; i < shoal_source_count(j->s); i++)
    if (shoal_source_read(j->s, i, &g) == SHOAL_OK)
      j->pts += g.npts;
  for (int k = 0; k < 20; k++) {
    int *ids;
    size_t n;
    double q[4] = {105.0 + k, 5.0, 110.0 + k, 15.0};
    if (shoal_source_query(j->s, q, &ids, &n) == SHOAL_OK)
      j->hits += n;
    free(ids);
  }
  for (int i = 0; i < 200; i++) {
    char *v = shoal_source_attr(j->s, i, 0);
    char want[16];
    snprintf(want, sizeof want, "%d", i);
    j->attr_ok += v && !strcmp(v, want);
    free(v);
  }
  shoal_geom_free(&g);
  return NULL;
}

static void test_threads(void)
{
  shoal_source *s = open_ok(tpath("land_noqix.shp"));
  job jobs[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (job){s, 0, 0, 0};
    CHECK(pthread_create(&th[i], NULL, worker, &jobs[i]) == 0);
  }
  for (int i = 0; i < 4; i++)
    pthread_join(th[i], NULL);
  for (int i = 0; i < 4; i++) {
    CHECK(jobs[i].pts == 154766); /* SOURCES.md: h has 154,766 points */
    CHECK(jobs[i].hits == jobs[0].hits && jobs[i].hits > 0);
    CHECK(jobs[i].attr_ok == 200); /* FID = record number */
  }
  shoal_source_close(s);
}

int main(void)
{
  if (!scratch_begin("source"))
    return 2;
  test_places();
  test_nine_dash();
  test_land_and_index();
  test_errors();
  test_not_a_shapefile();
  test_bad_record();
  test_codepage();
  test_threads();
  scratch_end();
  return check_done();
}
