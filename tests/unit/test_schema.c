/* Map-file schema: exact error texts (file:line:col, did-you-mean, the quoted line and caret)
 * from shoal_map_load and, for what needs the data or PROJ, from a check-only job; and that
 * includes, variables, classes and --set overrides build the expected model values. */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "config/model.h"
#include "core/job.h"

#define SHAPES SHOAL_SOURCE_DIR "/shapes"

#include "scratch.h"

/* Everything shoal_diag_print writes (warnings included), with "DIR/" removed. Static. */
static char outbuf[8192];
static const char *printed(const shoal_diag *d)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f)
    return "(open_memstream failed)";
  shoal_diag_print(d, f, 1);
  fclose(f);
  size_t dl = strlen(dir), o = 0;
  for (const char *s = buf; *s && o + 1 < sizeof outbuf;) {
    if (!strncmp(s, dir, dl) && s[dl] == '/')
      s += dl + 1;
    else
      outbuf[o++] = *s++;
  }
  outbuf[o] = '\0';
  free(buf);
  return outbuf;
}

/* Only the first line of every message ("file:line:col: error: text"), joined by '\n'. */
static char firstbuf[8192];
static const char *firsts(const char *all)
{
  size_t o = 0;
  firstbuf[0] = '\0';
  for (const char *s = all; *s;) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    /* Quote and caret lines start with spaces; message lines don't. */
    if (n && s[0] != ' ' && o + n + 2 < sizeof firstbuf) {
      memcpy(firstbuf + o, s, n);
      o += n;
      firstbuf[o++] = '\n';
      firstbuf[o] = '\0';
    }
    s += n + (nl ? 1 : 0);
  }
  return firstbuf;
}

/* Write text as m.yaml and load it; returns the messages' first lines; *st the status. */
static const char *load_errs(const char *text, const char *const *sets, size_t nsets,
                             shoal_status *st)
{
  put("m.yaml", text);
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = shoal_map_load(tpath("m.yaml"), sets, nsets, d);
  if (st)
    *st = shoal_diag_status(d);
  /* With errors the loader returns NULL; without, a model. */
  if ((m != NULL) != (shoal_diag_nerrors(d) == 0)) {
    check_failures++;
    fprintf(stderr, "shoal_map_load returned %s with %zu errors\n", m ? "a model" : "NULL",
            shoal_diag_nerrors(d));
  }
  const char *r = firsts(printed(d));
  shoal_map_free(m);
  shoal_diag_free(d);
  return r;
}

/* Same through a check-only job (data opened, CRS resolved, filters bound, nothing drawn). */
static const char *check_errs(const char *text, shoal_status *st)
{
  put("m.yaml", text);
  shoal_diag *d = shoal_diag_new();
  shoal_job_opts o = {0};
  o.map_path = tpath("m.yaml");
  o.check_only = true;
  shoal_job_stats stats;
  shoal_status s = shoal_job_run(&o, d, &stats);
  if (st)
    *st = s;
  const char *r = firsts(printed(d));
  shoal_diag_free(d);
  return r;
}

#define HEAD "map:\n  size: [400, 300]\n  extent: [105, 2, 122, 20]\n"
#define LAND "  - name: land\n    data: " SHAPES "/land_h.shp\n"
#define PLACES "  - name: places\n    data: " SHAPES "/places.shp\n"

static void test_load_errors(void)
{
  shoal_status st;

  /* unknown key, with did-you-mean */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    fil: '#00ff00'\n", NULL, 0, &st),
            "m.yaml:7:5: error: unknown key 'fil' in layer (did you mean 'fill'?)\n");
  CHECK(st == SHOAL_ERR_DATA);
  /* ... and with nothing close, no suggestion */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    zzzzzz: 1\n", NULL, 0, NULL),
            "m.yaml:7:5: error: unknown key 'zzzzzz' in layer\n");

  /* the printed form: message, quoted line, caret under the column */
  put("m.yaml", HEAD "layers:\n" LAND "    strok: red\n");
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = shoal_map_load(tpath("m.yaml"), NULL, 0, d);
  CHECK(m == NULL);
  CHECK_STR(printed(d), "m.yaml:7:5: error: unknown key 'strok' in layer (did you mean "
                        "'stroke'?)\n"
                        "    7 |     strok: red\n"
                        "      |     ^\n");
  shoal_map_free(m);
  shoal_diag_free(d);

  /* wrong type */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    stroke-width: thick\n", NULL, 0, &st),
            "m.yaml:7:19: error: stroke-width must be a number, not 'thick'\n");
  CHECK(st == SHOAL_ERR_DATA);
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    stroke-width: 101\n", NULL, 0, NULL),
            "m.yaml:7:19: error: stroke-width must be between 0 and 100, not 101\n");

  /* bad colours: malformed hex and a misspelt name */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    fill: '#12345'\n" LAND "    stroke: gren\n", NULL,
                      0, &st),
            "m.yaml:7:11: error: bad colour '#12345' for fill (use #rgb, #rrggbb, #rrggbbaa or a "
            "CSS name)\n"
            "m.yaml:10:13: error: bad colour 'gren' for stroke (did you mean 'green'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* bad filter syntax: the column points into the filter text */
  CHECK_STR(load_errs(HEAD "layers:\n" PLACES "    rules:\n"
                           "      - filter: \"kind = 'reef' and\"\n",
                      NULL, 0, &st),
            "m.yaml:8:35: error: bad filter: expected a field name\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* two errors in one file: both reported, in file order */
  CHECK_STR(load_errs("map:\n  size: [400, 300]\n  extent: [105, 2, 122, 20]\n"
                      "  backgroud: '#fff'\n"
                      "layers:\n" LAND "    fill: '#zzzzzz'\n",
                      NULL, 0, &st),
            "m.yaml:4:3: error: unknown key 'backgroud' in map (did you mean 'background'?)\n"
            "m.yaml:8:11: error: bad colour '#zzzzzz' for fill (use #rgb, #rrggbb, #rrggbbaa or "
            "a CSS name)\n");

  /* keys spelling cannot find: synonyms and British spellings name the real key */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    colour: red\n    line-width: 2\n"
                           "    label: {text: x, colour: red, font-family: Noto Sans}\n",
                      NULL, 0, &st),
            "m.yaml:7:5: error: unknown key 'colour' in layer (did you mean 'fill' or 'stroke'?)\n"
            "m.yaml:8:5: error: unknown key 'line-width' in layer (did you mean 'stroke-width'?)\n"
            "m.yaml:9:22: error: unknown key 'colour' in label (did you mean 'color'?)\n"
            "m.yaml:9:35: error: unknown key 'font-family' in label (did you mean 'font'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* unknown class in use:, with did-you-mean over the defined classes */
  CHECK_STR(load_errs("classes:\n  coast: {stroke: '#333'}\n" HEAD "layers:\n" LAND
                      "    use: coats\n",
                      NULL, 0, &st),
            "m.yaml:9:10: error: unknown class 'coats' (did you mean 'coast'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* bad marker shape, as a scalar and inside {shape, size} */
  CHECK_STR(load_errs(HEAD "layers:\n" PLACES "    marker: hexagon\n", NULL, 0, NULL),
            "m.yaml:7:13: error: unknown marker shape 'hexagon' (expected one of: none, circle, "
            "square, triangle, diamond, star, cross)\n");
  CHECK_STR(
      load_errs(HEAD "layers:\n" PLACES "    marker: {shape: circle, sise: 3}\n", NULL, 0, NULL),
      "m.yaml:7:29: error: unknown key 'sise' in marker (did you mean 'size'?)\n");

  /* dash: 8 lengths are fine, 9 are too many */
  CHECK_STR(load_errs(HEAD "layers:\n" LAND "    dash: [1, 2, 3, 4, 5, 6, 7, 8]\n", NULL, 0, &st),
            "");
  CHECK(st == SHOAL_OK);
  CHECK_STR(
      load_errs(HEAD "layers:\n" LAND "    dash: [1, 2, 3, 4, 5, 6, 7, 8, 9]\n", NULL, 0, &st),
      "m.yaml:7:11: error: dash must list 1 to 8 lengths\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* extent with west == east (and south >= north); west > east crosses 180 (checked by the
   * view, which knows the extent CRS) */
  CHECK_STR(load_errs("map:\n  size: [400, 300]\n  extent: [122, 2, 105, 20]\n", NULL, 0, &st), "");
  CHECK_STR(load_errs("map:\n  size: [400, 300]\n  extent: [122, 2, 122, 20]\n", NULL, 0, &st),
            "m.yaml:3:11: error: extent must be [west, south, east, north] with west < east and "
            "south < north\n");
  CHECK(st == SHOAL_ERR_DATA);
  CHECK_STR(load_errs("map:\n  size: [400, 300]\n  extent: [105, 2, 105, 20]\n", NULL, 0, NULL),
            "m.yaml:3:11: error: extent must be [west, south, east, north] with west < east and "
            "south < north\n");
  CHECK_STR(load_errs("map:\n  size: [400, 300]\n  extent: [105, 20, 122, 2]\n", NULL, 0, NULL),
            "m.yaml:3:11: error: extent must be [west, south, east, north] with west < east and "
            "south < north\n");

  /* size out of range, both ends; the limits themselves are fine */
  const char *size_err =
      "m.yaml:2:9: error: size must be two whole numbers of pixels from 16 to 20000\n";
  CHECK_STR(load_errs("map:\n  size: [15, 300]\n  extent: [105, 2, 122, 20]\n", NULL, 0, &st),
            size_err);
  CHECK(st == SHOAL_ERR_DATA);
  CHECK_STR(load_errs("map:\n  size: [400, 20001]\n  extent: [105, 2, 122, 20]\n", NULL, 0, NULL),
            size_err);
  CHECK_STR(load_errs("map:\n  size: [400.5, 300]\n  extent: [105, 2, 122, 20]\n", NULL, 0, NULL),
            size_err);
  CHECK_STR(load_errs("map:\n  size: [16, 20000]\n  extent: [105, 2, 122, 20]\n", NULL, 0, NULL),
            "");

  /* unknown key in a rule */
  CHECK_STR(load_errs(HEAD "layers:\n" PLACES "    rules:\n"
                           "      - filter: \"kind = 'reef'\"\n"
                           "        fil: red\n",
                      NULL, 0, &st),
            "m.yaml:9:9: error: unknown key 'fil' in rule (did you mean 'fill'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* an error inside an included file names that file, not the includer */
  put("inc.yaml", "classes:\n  land:\n    fill: '#00ff00'\n    strok: red\n");
  CHECK_STR(load_errs("include: inc.yaml\n" HEAD "layers:\n" LAND "    use: land\n", NULL, 0, &st),
            "inc.yaml:4:5: error: unknown key 'strok' in class (did you mean 'stroke'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* a missing map file is 66 */
  d = shoal_diag_new();
  m = shoal_map_load(tpath("nothere.yaml"), NULL, 0, d);
  CHECK(m == NULL);
  CHECK(shoal_diag_status(d) == SHOAL_ERR_NOINPUT);
  char want[512];
  snprintf(want, sizeof want,
           "shoal: error: cannot read '%s/nothere.yaml': No such file or "
           "directory\n",
           dir);
  /* (printed() strips the dir, so compare the raw message) */
  const shoal_msg *msg0 = shoal_diag_get(d, 0);
  CHECK(msg0 && msg0->file == NULL);
  if (msg0) {
    char got[512];
    snprintf(got, sizeof got, "shoal: error: %s\n", msg0->text);
    CHECK_STR(got, want);
  }
  shoal_map_free(m);
  shoal_diag_free(d);

  /* --set of a bad value: the message points into the --set text */
  const char *bad_bg[] = {"map.background=blu"};
  CHECK_STR(load_errs(HEAD "layers:\n" LAND, bad_bg, 1, &st),
            "--set map.background:1:1: error: bad colour 'blu' for background (did you mean "
            "'blue'?)\n");
  CHECK(st == SHOAL_ERR_DATA);
  const char *bad_size[] = {"size=[1,1]"};
  CHECK_STR(load_errs(HEAD "layers:\n" LAND, bad_size, 1, NULL),
            "--set size:1:1: error: size must be two whole numbers of pixels from 16 to 20000\n");
  const char *bad_layer[] = {"layers.lnd.fill=red"};
  CHECK_STR(load_errs(HEAD "layers:\n" LAND, bad_layer, 1, NULL),
            "shoal: error: --set layers.lnd.fill: no item named 'lnd' in 'layers' (did you mean "
            "'land'?)\n");
}

/* Errors that need the data or PROJ: reported by a check-only job at the map file's position. */
static void test_job_errors(void)
{
  shoal_status st;

  /* filter on a field the DBF does not have: did-you-mean over its fields */
  CHECK_STR(check_errs(HEAD "layers:\n" PLACES "    marker: circle\n    rules:\n"
                            "      - filter: \"kidn = 'reef'\"\n        fill: red\n",
                       &st),
            "m.yaml:9:18: error: filter field 'kidn' is not in '" SHAPES "/places.shp' (did you "
            "mean 'kind'?)\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* missing data file: 66 at the data: value */
  CHECK_STR(check_errs(HEAD "layers:\n  - name: land\n    data: nothere.shp\n", &st),
            "m.yaml:6:11: error: cannot find data file 'nothere.shp' (looked in 'nothere.shp')\n");
  CHECK(st == SHOAL_ERR_NOINPUT);

  /* unknown CRS: 65 at the crs: value, with PROJ's reason */
  CHECK_STR(check_errs("map:\n  size: [400, 300]\n  crs: \"EPSG:999999\"\n"
                       "  extent: [105, 2, 122, 20]\nlayers:\n" LAND,
                       &st),
            "m.yaml:3:8: error: unknown CRS 'EPSG:999999': cannot use CRS 'EPSG:999999': crs not "
            "found\n");
  CHECK(st == SHOAL_ERR_DATA);

  /* the same map with a good CRS checks clean */
  CHECK_STR(check_errs("map:\n  size: [400, 300]\n  crs: \"EPSG:3857\"\n"
                       "  extent: [105, 2, 122, 20]\nlayers:\n" LAND,
                       &st),
            "");
  CHECK(st == SHOAL_OK);
}

static bool color_is(shoal_color c, unsigned hex, double a)
{
  return fabs(c.r - ((hex >> 16) & 255) / 255.0) < 1e-9 &&
         fabs(c.g - ((hex >> 8) & 255) / 255.0) < 1e-9 && fabs(c.b - (hex & 255) / 255.0) < 1e-9 &&
         fabs(c.a - a) < 1e-9;
}

/* includes + variables + classes + --set give the expected model. */
static void test_model(void)
{
  put("house.yaml", "variables:\n"
                    "  sea: '#dfe9f0'\n"
                    "  claim: '#c8102e'\n"
                    "  coastw: 0.5\n"
                    "map:\n"
                    "  background: $sea\n"
                    "  font: Noto Sans\n"
                    "classes:\n"
                    "  coast: {stroke: '#8a8a8a', stroke-width: $coastw, line-join: round}\n"
                    "  claim:\n"
                    "    stroke: $claim\n"
                    "    stroke-width: 2.2\n"
                    "    dash: [6, 2, 1.5, 2]\n"
                    "    line-cap: butt\n"
                    "  thick: {stroke-width: 3}\n");
  put("m.yaml", "include: house.yaml\n"
                "variables:\n"
                "  land: '#f3f0ea'\n"
                "map:\n"
                "  size: [800, 600]\n"
                "  crs: EPSG:3857\n"
                "  extent: [105, 2, 122, 20]\n"
                "  title: Old title\n"
                "layers:\n"
                "  - name: land\n"
                "    data: " SHAPES "/land_h.shp\n"
                "    use: coast\n"
                "    fill: $land\n"
                "  - name: claim\n"
                "    data: " SHAPES "/nine_dash_line.shp\n"
                "    use: [coast, claim]\n"
                "  - name: claim2\n"
                "    data: " SHAPES "/nine_dash_line.shp\n"
                "    use: [claim, thick]\n"
                "    dash: none\n"
                "  - name: places\n"
                "    data: " SHAPES "/places.shp\n"
                "    marker: {shape: diamond, size: 7}\n"
                "    fill: white\n"
                "    rules:\n"
                "      - filter: \"held_by = 'CN'\"\n"
                "        fill: rgba(213, 94, 0, 0.5)\n"
                "        legend: Held by China\n"
                "      - marker: square\n");

  const char *sets[] = {"title=Spratly Islands",   "layers.land.fill=#123456",
                        "variables.sea=#000080",   "map.size=[640,480]",
                        "layers.1.stroke-width=4", "layers.places.marker.size=9"};
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = shoal_map_load(tpath("m.yaml"), sets, sizeof sets / sizeof sets[0], d);
  CHECK(m != NULL);
  CHECK_STR(firsts(printed(d)), "");
  if (!m) {
    shoal_diag_free(d);
    return;
  }
  CHECK(m->width == 640 && m->height == 480);
  CHECK_NEAR(m->scale, 1.0, 0);
  CHECK_STR(m->crs, "EPSG:3857");
  CHECK_STR(m->extent_crs, "EPSG:4326");
  CHECK_NEAR(m->extent[0], 105, 0);
  CHECK_NEAR(m->extent[1], 2, 0);
  CHECK_NEAR(m->extent[2], 122, 0);
  CHECK_NEAR(m->extent[3], 20, 0);
  CHECK_STR(m->title, "Spratly Islands");
  CHECK_STR(m->font, "Noto Sans");
  CHECK_STR(m->lang, "en");
  CHECK(color_is(m->background, 0x000080, 1)); /* the variable as overridden by --set */
  CHECK(m->nlayers == 4);
  if (m->nlayers != 4) {
    shoal_map_free(m);
    shoal_diag_free(d);
    return;
  }

  const shoal_layer *L = &m->layers[0];
  CHECK_STR(L->name, "land");
  CHECK(L->ndata == 1);
  CHECK_STR(L->ndata ? L->data[0].path : NULL, SHAPES "/land_h.shp");
  CHECK(L->visible);
  CHECK((L->style.set & SHOAL_STY_FILL) && color_is(L->style.fill, 0x123456, 1));
  CHECK((L->style.set & SHOAL_STY_STROKE) && color_is(L->style.stroke, 0x8a8a8a, 1));
  CHECK_NEAR(L->style.stroke_width, 0.5, 1e-12); /* from $coastw through the class */
  CHECK(L->style.join == SHOAL_JOIN_ROUND);
  CHECK(!(L->style.set & SHOAL_STY_DASH) && L->style.ndash == 0);

  L = &m->layers[1]; /* coast then claim: claim wins where both speak; --set on top */
  CHECK_STR(L->name, "claim");
  CHECK(color_is(L->style.stroke, 0xc8102e, 1));
  CHECK_NEAR(L->style.stroke_width, 4, 1e-12);
  CHECK(L->style.join == SHOAL_JOIN_ROUND);
  CHECK(L->style.cap == SHOAL_CAP_BUTT);
  CHECK(L->style.ndash == 4);
  if (L->style.ndash == 4) {
    CHECK_NEAR(L->style.dash[0], 6, 0);
    CHECK_NEAR(L->style.dash[1], 2, 0);
    CHECK_NEAR(L->style.dash[2], 1.5, 0);
    CHECK_NEAR(L->style.dash[3], 2, 0);
  }

  L = &m->layers[2]; /* claim then thick; the layer's own dash: none removes the class dash */
  CHECK_STR(L->name, "claim2");
  CHECK(color_is(L->style.stroke, 0xc8102e, 1));
  CHECK_NEAR(L->style.stroke_width, 3, 1e-12);
  CHECK(L->style.ndash == 0);

  L = &m->layers[3];
  CHECK_STR(L->name, "places");
  CHECK(L->style.marker == SHOAL_MARKER_DIAMOND);
  CHECK_NEAR(L->style.marker_size, 9, 0);
  CHECK(color_is(L->style.fill, 0xffffff, 1));
  CHECK(L->nrules == 2);
  if (L->nrules == 2) {
    const shoal_rule *r = &L->rules[0];
    CHECK_STR(r->filter_text, "held_by = 'CN'");
    CHECK(r->filter != NULL);
    CHECK_STR(r->legend, "Held by China");
    CHECK_NEAR(r->style.fill.r, 213 / 255.0, 1e-9);
    CHECK_NEAR(r->style.fill.g, 94 / 255.0, 1e-9);
    CHECK_NEAR(r->style.fill.b, 0, 1e-9);
    CHECK_NEAR(r->style.fill.a, 0.5, 1e-9);
    CHECK(r->style.marker == SHOAL_MARKER_DIAMOND); /* inherited from the layer */
    CHECK_NEAR(r->style.marker_size, 9, 0);
    r = &L->rules[1];
    CHECK(r->filter_text == NULL);
    CHECK(r->style.marker == SHOAL_MARKER_SQUARE);
    CHECK_NEAR(r->style.marker_size, 9, 0); /* size kept from the layer */
    CHECK(color_is(r->style.fill, 0xffffff, 1));
  }

  /* every file the map reads is a dependency: the map and its include among them */
  bool saw_map = false, saw_inc = false;
  for (size_t i = 0; i < m->ndeps; i++) {
    const char *s = strrchr(m->deps[i], '/');
    s = s ? s + 1 : m->deps[i];
    saw_map |= strcmp(s, "m.yaml") == 0;
    saw_inc |= strcmp(s, "house.yaml") == 0;
  }
  CHECK(saw_map && saw_inc);
  shoal_map_free(m);
  shoal_diag_free(d);
}

int main(void)
{
  if (!scratch_begin("schema"))
    return 1;
  test_load_errors();
  test_job_errors();
  test_model();

  const char *names[] = {"m.yaml", "inc.yaml", "house.yaml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    unlink(tpath(names[i]));
  scratch_end();
  return check_done();
}
