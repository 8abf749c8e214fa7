/* `shoal import`: every input error with its exact message, line and status and no output left
 * behind; points, lines and shapefile copies read back through the source reader. */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "scratch.h"
#include "base/diag.h"
#include "data/import.h"
#include "data/source.h"
#include "geo/geom.h"

/* Files in the scratch folder other than .csv inputs and the pre-existing "keep.*" set. */
static int stray_files(bool quiet)
{
  DIR *dh = opendir(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    const char *nm = e->d_name;
    size_t len = strlen(nm);
    if (nm[0] == '.' || (len > 4 && !strcmp(nm + len - 4, ".csv")) || !strncmp(nm, "keep.", 5))
      continue;
    if (!quiet)
      fprintf(stderr, "  stray file: %s\n", nm);
    n++;
  }
  closedir(dh);
  return n;
}

static void clean_outputs(void)
{
  static const char *const names[] = {"out", "lines", "copy"};
  static const char *const exts[] = {"shp", "shx", "dbf", "prj", "cpg", "qix"};
  for (size_t i = 0; i < 3; i++)
    for (size_t k = 0; k < 6; k++) {
      char nm[32];
      snprintf(nm, sizeof nm, "%s.%s", names[i], exts[k]);
      unlink(tpath(nm));
    }
}

/* Import csv_text with opts; expect status st and first message text at line (0: no file). */
static void expect_fail(const char *what, const char *csv_text, shoal_import_opts o,
                        shoal_status st, int line, const char *text)
{
  if (csv_text) {
    put("in.csv", csv_text);
    o.in = tpath("in.csv");
  }
  if (!o.out)
    o.out = tpath("out.shp");
  shoal_diag *d = shoal_diag_new();
  shoal_status got = shoal_import(&o, d);
  const shoal_msg *m = NULL;
  for (size_t i = 0; i < shoal_diag_count(d); i++)
    if (shoal_diag_get(d, i)->sev == SHOAL_SEV_ERROR) {
      m = shoal_diag_get(d, i);
      break;
    }
  int before = check_failures;
  CHECK(got == st);
  CHECK(m != NULL);
  if (m) {
    CHECK_STR(m->text, text);
    CHECK(m->line == line);
    CHECK(m->status == st);
    if (line > 0)
      CHECK(m->file && !strcmp(m->file, o.in));
  }
  CHECK(stray_files(false) == 0);
  if (check_failures != before) {
    fprintf(stderr, "  in case: %s\n", what);
    shoal_diag_print(d, stderr, 1);
  }
  shoal_diag_free(d);
  clean_outputs();
}

/* CSV input errors: missing file, columns, coordinates, quoting, names, sizes, encoding. */
static void test_errors(void)
{
  shoal_import_opts o;
  char want[512];

  memset(&o, 0, sizeof o);
  o.in = tpath("nope.csv");
  snprintf(want, sizeof want, "cannot open '%s': No such file or directory", tpath("nope.csv"));
  expect_fail("missing input", NULL, o, SHOAL_ERR_NOINPUT, 0, want);

  memset(&o, 0, sizeof o);
  expect_fail("missing lon column", "# comment\nid,long,lat\na,1,2\n", o, SHOAL_ERR_DATA, 2,
              "no column 'lon' (--lon) (did you mean 'long'?)");

  expect_fail("lat not a number", "id,lon,lat\na,1,2\nb,3,abc\n", o, SHOAL_ERR_DATA, 3,
              "lat 'abc' is not a decimal number");

  expect_fail("lat out of range", "id,lon,lat\na,1,95.5\n", o, SHOAL_ERR_DATA, 2,
              "lat 95.5 is outside -90..90");

  expect_fail("lon out of range", "id,lon,lat\na,-181,5\n", o, SHOAL_ERR_DATA, 2,
              "lon -181 is outside -180..180");

  /* Decimal numbers only: strtod would read hex, inf and nan too. */
  expect_fail("hex longitude", "id,lon,lat\na,0x73,5\n", o, SHOAL_ERR_DATA, 2,
              "lon '0x73' is not a decimal number");
  expect_fail("inf latitude", "id,lon,lat\na,1,inf\n", o, SHOAL_ERR_DATA, 2,
              "lat 'inf' is not a decimal number");
  expect_fail("nan longitude", "id,lon,lat\na,NaN,5\n", o, SHOAL_ERR_DATA, 2,
              "lon 'NaN' is not a decimal number");
  expect_fail("hex float", "id,lon,lat\na,1,0x1p3\n", o, SHOAL_ERR_DATA, 2,
              "lat '0x1p3' is not a decimal number");
  expect_fail("bare exponent", "id,lon,lat\na,1e,5\n", o, SHOAL_ERR_DATA, 2,
              "lon '1e' is not a decimal number");
  expect_fail("lon past 180", "id,lon,lat\na,200.5,5\n", o, SHOAL_ERR_DATA, 2,
              "lon 200.5 is outside -180..180 (longitudes east of 180 need --lon-range 0..360)");
  expect_fail("lon past 360", "id,lon,lat\na,361,5\n", o, SHOAL_ERR_DATA, 2,
              "lon 361 is outside -180..180");
  expect_fail("lat below the pole", "id,lon,lat\na,1,-90.001\n", o, SHOAL_ERR_DATA, 2,
              "lat -90.001 is outside -90..90");
  o.lon_360 = true;
  expect_fail("west lon with 0..360", "id,lon,lat\na,-10,5\n", o, SHOAL_ERR_DATA, 2,
              "lon -10 is outside 0..360 (with --lon-range 0..360; west longitudes need the "
              "default -180..180)");
  o.lon_360 = false;

  expect_fail("empty coordinate", "id,lon,lat\na,,5\n", o, SHOAL_ERR_DATA, 2, "lon is empty");

  expect_fail("ragged row", "id,lon,lat,kind\na,1,2,x\nb,1,2\n", o, SHOAL_ERR_DATA, 3,
              "row has 3 fields; the header has 4");

  expect_fail("unterminated quote", "id,lon,lat\na,1,2\n\"b,1,2\nc,3,4\n", o, SHOAL_ERR_DATA, 3,
              "unterminated quoted field (field 1)");

  expect_fail("junk after quote", "id,lon,lat\n\"a\"x,1,2\n", o, SHOAL_ERR_DATA, 2,
              "unexpected character after the closing quote of field 1");

  expect_fail("bare quote", "id,lon,lat\na\"b,1,2\n", o, SHOAL_ERR_DATA, 2,
              "quote inside unquoted field 1 (quote the whole field and double the quote)");

  expect_fail("long column name", "id,name_zh_pinyin,lon,lat\na,b,1,2\n", o, SHOAL_ERR_DATA, 1,
              "column name 'name_zh_pinyin' is longer than 10 characters (the DBF limit); "
              "rename it with --rename name_zh_pinyin=NEWNAME");

  expect_fail("bad column name", "id,na me,lon,lat\na,b,1,2\n", o, SHOAL_ERR_DATA, 1,
              "column name 'na me' is not a valid DBF field name (ASCII letters, digits or '_', "
              "starting with a letter); rename it with --rename na me=NEWNAME");

  expect_fail("field name clash", "Name,lon,lat,name\na,1,2,b\n", o, SHOAL_ERR_DATA, 1,
              "field name 'name' is used twice ('Name' and 'name')");

  expect_fail("duplicate header", "id,lon,lat,id\na,1,2,b\n", o, SHOAL_ERR_DATA, 1,
              "column 'id' appears twice in the header");

  char longrow[600];
  snprintf(longrow, sizeof longrow, "id,lon,lat,note\na,1,2,x\nb,1,2,%0300d\n", 0);
  expect_fail("string too long", longrow, o, SHOAL_ERR_DATA, 3,
              "value of column 'note' is 300 bytes; a DBF string holds at most 254");

  expect_fail("bad utf-8", "id,lon,lat\n\xC3(,1,2\n", o, SHOAL_ERR_DATA, 2,
              "column 'id' is not valid UTF-8");

  expect_fail("no rows", "# just a header\nid,lon,lat\n", o, SHOAL_ERR_DATA, 2, "no data rows");

  static const char nul[] = "id,lon,lat\na,1,2\nb\0,1,2\n";
  FILE *nf = fopen(tpath("in.csv"), "wb");
  CHECK(nf && fwrite(nul, 1, sizeof nul - 1, nf) == sizeof nul - 1);
  if (nf)
    fclose(nf);
  o.in = tpath("in.csv");
  expect_fail("NUL byte", NULL, o, SHOAL_ERR_DATA, 3, "NUL byte in the file (not a text file?)");
  o.in = NULL;
}

/* Line imports: too few vertices, repeated or non-numeric order, a missing group column. */
static void test_line_errors(void)
{
  shoal_import_opts o;

  memset(&o, 0, sizeof o);
  o.lines = true;
  o.group = "g";
  o.order = "seq";
  expect_fail("one-vertex line", "g,seq,lon,lat\na,1,1,1\na,2,2,2\nb,1,3,3\n", o, SHOAL_ERR_DATA, 4,
              "group 'b' has only 1 vertex; a line needs at least 2");

  expect_fail("repeated order", "g,seq,lon,lat\na,1,1,1\na,2,2,2\na,2,3,3\n", o, SHOAL_ERR_DATA, 4,
              "seq 2 appears twice in group 'a' (also on line 3)");

  expect_fail("order not a number", "g,seq,lon,lat\na,1,1,1\na,x,2,2\n", o, SHOAL_ERR_DATA, 3,
              "seq 'x' is not a decimal number");

  o.group = "grp";
  expect_fail("missing group column", "g,seq,lon,lat\na,1,1,1\na,2,2,2\n", o, SHOAL_ERR_DATA, 1,
              "no column 'grp' (--group)");

  memset(&o, 0, sizeof o);
  o.group = "g";
  expect_fail("group without lines", "g,lon,lat\na,1,1\n", o, SHOAL_ERR_USAGE, 0,
              "--group and --order need --lines");
}

/* --rename, --add-field and -o mistakes. */
static void test_option_errors(void)
{
  shoal_import_opts o;
  char want[512];

  memset(&o, 0, sizeof o);
  const char *bad_rename[] = {"foo"};
  o.renames = bad_rename;
  o.nrenames = 1;
  expect_fail("rename syntax", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_USAGE, 0,
              "--rename 'foo': expected OLD=NEW");

  const char *bad_rename2[] = {"id=identifier_x"};
  o.renames = bad_rename2;
  expect_fail("rename target too long", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_USAGE, 0,
              "--rename 'id=identifier_x': 'identifier_x' is not a valid DBF field name (1 to 10 "
              "ASCII letters, digits or '_', starting with a letter)");

  const char *bad_rename3[] = {"idx=ident"};
  o.renames = bad_rename3;
  expect_fail("rename of a missing column", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_DATA, 1,
              "--rename idx=ident: no column 'idx'");

  memset(&o, 0, sizeof o);
  const char *bad_add[] = {"status"};
  o.add_fields = bad_add;
  o.nadd_fields = 1;
  expect_fail("add-field syntax", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_USAGE, 0,
              "--add-field 'status': expected NAME=VALUE");

  const char *clash_add[] = {"ID=x"};
  o.add_fields = clash_add;
  expect_fail("add-field clash", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_DATA, 1,
              "field name 'ID' is used twice ('id' and 'ID')");

  memset(&o, 0, sizeof o);
  o.out = tpath("out.txt");
  snprintf(want, sizeof want, "output '%s' must end in .shp", tpath("out.txt"));
  expect_fail("output name", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_USAGE, 0, want);

  o.out = tpath("nodir/out.shp");
  snprintf(want, sizeof want, "cannot create '%s': No such file or directory",
           tpath("nodir/out.shp"));
  expect_fail("output directory missing", "id,lon,lat\na,1,2\n", o, SHOAL_ERR_CANTCREAT, 0, want);
}

/* A .shp input refuses CSV options; a failed import keeps an existing output. */
static void test_failed_import_keeps_output(void)
{
  shoal_import_opts o;

  memset(&o, 0, sizeof o);
  o.lines = true;
  o.in = tpath("in.csv");
  o.out = tpath("out.shp");
  put("in.csv", "id,lon,lat\na,1,2\n");
  shoal_diag *d = shoal_diag_new();
  /* A .shp input does not take the CSV-only options. */
  o.in = SHOAL_SOURCE_DIR "/shapes/places.shp";
  CHECK(shoal_import(&o, d) == SHOAL_ERR_USAGE);
  CHECK(shoal_diag_count(d) == 1 &&
        !strcmp(shoal_diag_get(d, 0)->text,
                "--lines, --group, --order, --lon, --lat and --lon-range apply to CSV input "
                "only"));
  shoal_diag_free(d);

  /* A failed import leaves an existing output exactly as it was. */
  put("keep.shp", "old shp");
  put("keep.dbf", "old dbf");
  memset(&o, 0, sizeof o);
  o.out = tpath("keep.shp");
  expect_fail("existing output kept", "id,lon,lat\na,1,200\n", o, SHOAL_ERR_DATA, 2,
              "lat 200 is outside -90..90");
  FILE *f = fopen(tpath("keep.shp"), "rb");
  char buf[16] = {0};
  CHECK(f && fread(buf, 1, sizeof buf - 1, f) == 7 && !strcmp(buf, "old shp"));
  if (f)
    fclose(f);
  unlink(tpath("keep.shp"));
  unlink(tpath("keep.dbf"));
}

static char *attr(shoal_source *s, int id, const char *field)
{
  return shoal_source_attr(s, id, shoal_source_field_index(s, field));
}

/* What test_points wrote, read back: fields, types, widths, values, coordinates. */
static void check_points(shoal_source *s)
{
  CHECK(shoal_source_count(s) == 3);
  CHECK(shoal_source_kind(s) == SHOAL_GEOM_POINT);
  CHECK_STR(shoal_source_codepage(s), "UTF-8");
  CHECK(shoal_source_has_prj(s));
  CHECK_STR(shoal_source_crs(s),
            "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
            "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]");
  CHECK(shoal_source_nfields(s) == 7);
  static const char *const names[] = {"id", "name_vi", "n", "v", "code", "status", "empty"};
  static const shoal_field_type types[] = {
      SHOAL_FIELD_INTEGER, SHOAL_FIELD_STRING, SHOAL_FIELD_INTEGER, SHOAL_FIELD_DOUBLE,
      SHOAL_FIELD_STRING,  SHOAL_FIELD_STRING, SHOAL_FIELD_STRING};
  for (int i = 0; i < 7 && i < shoal_source_nfields(s); i++) {
    CHECK_STR(shoal_source_field(s, i)->name, names[i]);
    CHECK(shoal_source_field(s, i)->type == types[i]);
  }
  CHECK(shoal_source_field(s, 3)->decimals == 2);
  char *v;
  static const char vi[] = "\xC4\x90\xE1\xBA\xA3o, \"Ba\" B\xC3\xACnh\nline 2";
  CHECK_STR(v = attr(s, 0, "name_vi"), vi);
  free(v);
  CHECK(shoal_source_field(s, 1)->width == (int)strlen(vi)); /* bytes, not characters */
  CHECK_STR(v = attr(s, 0, "n"), "42");
  free(v);
  CHECK_STR(v = attr(s, 1, "n"), "-7");
  free(v);
  CHECK((v = attr(s, 2, "n")) == NULL);
  free(v);
  CHECK_STR(v = attr(s, 0, "v"), "-3.25");
  free(v);
  CHECK_STR(v = attr(s, 1, "v"), "12");
  free(v);
  CHECK_STR(v = attr(s, 2, "v"), "0.5");
  free(v);
  CHECK_STR(v = attr(s, 0, "code"), "007"); /* leading zeros keep it text */
  free(v);
  CHECK((v = attr(s, 1, "name_vi")) == NULL);
  free(v);
  CHECK_STR(v = attr(s, 2, "status"), "test data");
  free(v);
  CHECK((v = attr(s, 0, "empty")) == NULL);
  free(v);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, 0, &g) == SHOAL_OK && g.npts == 1);
  CHECK(g.xy[0] == 114.36583 && g.xy[1] == 10.37694);
  CHECK(shoal_source_read(s, 2, &g) == SHOAL_OK && g.xy[0] == 180 && g.xy[1] == 90);
  shoal_geom_free(&g);
}

/* --lon-range 0..360 takes longitudes east of 180; plain decimals with exponents are numbers. */
static void test_lon_360(void)
{
  put("e.csv", "id,lon,lat\na,359.5,1e1\nb, +120 ,-2.5E-1\n");
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  o.in = tpath("e.csv");
  o.out = tpath("out.shp");
  o.lon_360 = true;
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath("out.shp"), d, &s) == SHOAL_OK);
  shoal_diag_free(d);
  if (!s)
    return;
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, 0, &g) == SHOAL_OK && g.xy[0] == 359.5 && g.xy[1] == 10);
  CHECK(shoal_source_read(s, 1, &g) == SHOAL_OK && g.xy[0] == 120 && g.xy[1] == -0.25);
  shoal_geom_free(&g);
  shoal_source_close(s);
  clean_outputs();
}

static void test_points(void)
{
  /* BOM, CRLF, comments, quotes with commas, doubled quotes and a line break, UTF-8, empty
   * cells, integer / decimal / text typing, a rename and an added constant. */
  put("pts.csv", "\xEF\xBB\xBF# places\r\n# second comment\r\n"
                 "id,name_vietnamese,n,v,code,lon,lat\r\n"
                 "1,\"\xC4\x90\xE1\xBA\xA3o, \"\"Ba\"\" B\xC3\xACnh\nline 2\","
                 "42,-3.25,007,114.36583,10.37694\r\n"
                 "2,,-7,12,10,-180,-90\r\n"
                 "\r\n"
                 "3,x,,0.5,A1,180,90\r\n");
  const char *ren[] = {"name_vietnamese=name_vi"};
  const char *add[] = {"status=test data", "empty="};
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  o.in = tpath("pts.csv");
  o.out = tpath("out.shp");
  o.renames = ren;
  o.nrenames = 1;
  o.add_fields = add;
  o.nadd_fields = 2;
  put("out.qix", "stale index of an older out.shp");
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  CHECK(access(tpath("out.qix"), F_OK) != 0); /* the stale index went with the old file */

  d = shoal_diag_new();
  shoal_source *s = NULL;
  CHECK(shoal_source_open(tpath("out.shp"), d, &s) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_free(d);
  if (!s)
    return;
  check_points(s);
  shoal_source_close(s);
  CHECK(stray_files(true) == 5); /* .shp .shx .dbf .prj .cpg, no temporaries */
  clean_outputs();
}

static void test_lines(void)
{
  /* Rows out of order and interleaved; "name" is constant per group, "note" is not. */
  put("lines.csv", "line,seq,name,note,lon,lat\n"
                   "b,2,Bee,x,20,21\n"
                   "a,3,Ay,x,3,3\n"
                   "a,1,Ay,y,1,1\n"
                   "b,1,Bee,x,10,11\n"
                   "a,2,Ay,x,2,2\n");
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  o.in = tpath("lines.csv");
  o.out = tpath("lines.shp");
  o.lines = true;
  o.group = "line";
  o.order = "seq";
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  CHECK(shoal_diag_nerrors(d) == 0 && shoal_diag_nwarnings(d) == 1);
  if (shoal_diag_count(d) == 1) {
    CHECK_STR(shoal_diag_get(d, 0)->text,
              "column 'note' varies within group 'a' (lines 4 and 6); dropped");
    CHECK(shoal_diag_get(d, 0)->line == 1);
  }
  shoal_diag_free(d);
  shoal_source *s = NULL;
  d = shoal_diag_new();
  CHECK(shoal_source_open(tpath("lines.shp"), d, &s) == SHOAL_OK);
  shoal_diag_free(d);
  if (!s)
    return;
  CHECK(shoal_source_count(s) == 2);
  CHECK(shoal_source_kind(s) == SHOAL_GEOM_LINE);
  CHECK(shoal_source_nfields(s) == 2);
  CHECK(shoal_source_field_index(s, "note") < 0 && shoal_source_field_index(s, "seq") < 0);
  char *v;
  CHECK_STR(v = attr(s, 0, "line"), "b"); /* first appearance */
  free(v);
  CHECK_STR(v = attr(s, 1, "name"), "Ay");
  free(v);
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  CHECK(shoal_source_read(s, 0, &g) == SHOAL_OK && g.nparts == 1 && g.npts == 2);
  CHECK(g.npts == 2 && g.xy[0] == 10 && g.xy[1] == 11 && g.xy[2] == 20 && g.xy[3] == 21);
  CHECK(shoal_source_read(s, 1, &g) == SHOAL_OK && g.npts == 3);
  CHECK(g.npts == 3 && g.xy[0] == 1 && g.xy[2] == 2 && g.xy[4] == 3);
  shoal_geom_free(&g);
  shoal_source_close(s);

  /* Without --group all rows make one line, in file order. */
  o.group = NULL;
  o.order = NULL;
  put("lines.csv", "lon,lat\n1,1\n2,2\n3,3\n");
  d = shoal_diag_new();
  CHECK(shoal_import_csv(&o, d) == SHOAL_OK);
  shoal_diag_free(d);
  d = shoal_diag_new();
  s = NULL;
  CHECK(shoal_source_open(tpath("lines.shp"), d, &s) == SHOAL_OK);
  shoal_diag_free(d);
  if (s) {
    /* A DBF needs a field to hold records: a record-number FID is added, as ogr2ogr does. */
    CHECK(shoal_source_count(s) == 1 && shoal_source_nfields(s) == 1);
    CHECK_STR(shoal_source_field(s, 0)->name, "FID");
    char *fid = shoal_source_attr(s, 0, 0);
    CHECK_STR(fid, "0");
    free(fid);
    shoal_source_close(s);
  }
  clean_outputs();
}

static void test_shp_copy(void)
{
  const char *add[] = {"status=modelled"};
  const char *ren[] = {"NAME_EN=english"};
  shoal_import_opts o;
  memset(&o, 0, sizeof o);
  o.in = SHOAL_SOURCE_DIR "/shapes/places.shp";
  o.out = tpath("copy.shp");
  o.add_fields = add;
  o.nadd_fields = 1;
  o.renames = ren;
  o.nrenames = 1;
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_import(&o, d) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  shoal_source *a = NULL, *b = NULL;
  d = shoal_diag_new();
  CHECK(shoal_source_open(o.in, d, &a) == SHOAL_OK);
  CHECK(shoal_source_open(o.out, d, &b) == SHOAL_OK);
  shoal_diag_free(d);
  if (!a || !b)
    return;
  CHECK(shoal_source_count(a) == shoal_source_count(b));
  CHECK(shoal_source_nfields(b) == shoal_source_nfields(a) + 1);
  CHECK_STR(shoal_source_field(b, 1)->name, "english");
  CHECK_STR(shoal_source_field(b, shoal_source_nfields(a))->name, "status");
  shoal_geom ga, gb;
  shoal_geom_init(&ga, SHOAL_GEOM_NONE);
  shoal_geom_init(&gb, SHOAL_GEOM_NONE);
  int same = 0;
  for (int i = 0; i < shoal_source_count(a); i++) {
    bool ok = shoal_source_read(a, i, &ga) == SHOAL_OK &&
              shoal_source_read(b, i, &gb) == SHOAL_OK && ga.npts == gb.npts &&
              !memcmp(ga.xy, gb.xy, 2 * ga.npts * sizeof(double));
    for (int f = 0; f < shoal_source_nfields(a); f++) {
      char *x = shoal_source_attr(a, i, f), *y = shoal_source_attr(b, i, f);
      ok = ok && ((!x && !y) || (x && y && !strcmp(x, y)));
      free(x);
      free(y);
    }
    char *st = shoal_source_attr(b, i, shoal_source_nfields(a));
    ok = ok && st && !strcmp(st, "modelled");
    free(st);
    same += ok;
  }
  CHECK(same == shoal_source_count(a));
  shoal_geom_free(&ga);
  shoal_geom_free(&gb);
  shoal_source_close(a);
  shoal_source_close(b);
  clean_outputs();

  /* A rename naming no field of the input. */
  const char *ren2[] = {"nosuch=x"};
  o.renames = ren2;
  char want[512];
  snprintf(want, sizeof want, "--rename nosuch=x: '%s' has no field 'nosuch'", o.in);
  expect_fail("shp rename of a missing field", NULL, o, SHOAL_ERR_DATA, 0, want);
}

int main(void)
{
  if (!scratch_begin("import"))
    return 2;
  test_errors();
  test_line_errors();
  test_option_errors();
  test_failed_import_keeps_output();
  test_points();
  test_lon_360();
  test_lines();
  test_shp_copy();
  scratch_end();
  return check_done();
}
