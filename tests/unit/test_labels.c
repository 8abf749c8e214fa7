/* Unit tests of labels: language table, {name_*} expansion and fallback, templates over
 * features, the placement pass end to end (determinism, drops, --strict-labels) and the
 * errors for bad places, fields, fonts and languages (exact text and position). */
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "geo/geom.h"
#include "config/label_model.h"
#include "core/scene.h"
#include "data/import.h"
#include "label/collide.h"
#include "layer/geocache.h"
#include "label/label.h"
#include "label/label_priv.h"
#include "scratch.h"

/* ---- language table and {name_*} ------------------------------------------------------ */

static void lang_table(void)
{
  const shoal_lang_info *li = shoal_lang_find("zh");
  CHECK(li != NULL);
  CHECK_STR(li ? li->field : NULL, "name_zh");
  CHECK_STR(li ? li->tag : NULL, "zh-Hans"); /* picks the Simplified Chinese Noto CJK face */
  CHECK(shoal_lang_find("VI") != NULL);      /* codes are case-insensitive */
  CHECK(shoal_lang_find("fr") == NULL);
  char f[32];
  CHECK(shoal_lang_field("fil", f, sizeof f));
  CHECK_STR(f, "name_fil");
  CHECK(shoal_lang_field("zh-Latn", f, sizeof f));
  CHECK_STR(f, "name_zh_py"); /* the DBF's 10-byte name for pinyin */
  CHECK(shoal_lang_field("pt-BR", f, sizeof f));
  CHECK_STR(f, "name_pt_br");
  CHECK(!shoal_lang_field("a b", f, sizeof f));
  CHECK(!shoal_lang_field("", f, sizeof f));
  CHECK(!shoal_lang_field("averyveryverylongcode", f, 12));
}

static void expand_names(void)
{
  const char *vi_en[] = {"name_vi", "name_en"};
  size_t *map = NULL;
  char *x = shoal_label_expand_names("{name_*}", vi_en, 2, &map);
  CHECK_STR(x, "{name_vi|name_en}");
  /* Every inserted character points back at the start of "name_*". */
  CHECK(map && map[1] == 1 && map[9] == 1 && map[16] == 7 && map[17] == 8);
  free(x);
  free(map);
  x = shoal_label_expand_names("{name_*} ({name_zh})", vi_en, 2, &map);
  CHECK_STR(x, "{name_vi|name_en} ({name_zh})");
  /* The n of name_zh: result index 20 comes from template index 11. */
  CHECK(map && map[20] == 11);
  free(x);
  free(map);
  x = shoal_label_expand_names("{ name_* | id}", vi_en, 1, NULL);
  CHECK_STR(x, "{name_vi| id}"); /* the blanks around name_* go with it */
  free(x);
  x = shoal_label_expand_names("{{name_*}} {name_*}", vi_en, 1, NULL);
  CHECK_STR(x, "{{name_*}} {name_vi}"); /* escaped braces are literal text */
  free(x);
  x = shoal_label_expand_names("Đảo {name_*}", vi_en, 2, &map);
  CHECK_STR(x, "Đảo {name_vi|name_en}");
  CHECK(map && map[4] == 4 && map[5] == 5); /* columns count characters, not bytes */
  free(x);
  free(map);
  x = shoal_label_expand_names("{name_*}", NULL, 0, NULL);
  CHECK_STR(x, "{name_*}");
  free(x);
  CHECK(shoal_label_uses_names("{name_*}"));
  CHECK(shoal_label_uses_names("{id| name_*}"));
  CHECK(!shoal_label_uses_names("name_*"));
  CHECK(!shoal_label_uses_names("{name_en}"));
}

/* Fields 0 name_vi, 1 name_en, 2 name_zh of a fake feature. */
typedef struct fake {
  const char *v[3];
} fake;

static int fake_lookup(void *ctx, const char *name)
{
  (void)ctx;
  static const char *const names[] = {"name_vi", "name_en", "name_zh"};
  for (int i = 0; i < 3; i++)
    if (strcmp(name, names[i]) == 0)
      return i;
  return -1;
}

static const char *fake_get(void *ctx, int field, char *buf, size_t len)
{
  (void)buf, (void)len;
  return ((fake *)ctx)->v[field];
}

static char *expand_for(const char *tpl, const char *const *chain, size_t n, fake *f)
{
  char *x = shoal_label_expand_names(tpl, chain, n, NULL);
  char err[128];
  int col;
  shoal_template *t = shoal_template_parse(x, err, sizeof err, &col);
  const char *missing;
  char *out = NULL;
  if (t && shoal_template_bind(t, fake_lookup, NULL, &missing, &col))
    out = shoal_template_expand(t, fake_get, f);
  shoal_template_free(t);
  free(x);
  return out;
}

static void fallback(void)
{
  const char *vi_en[] = {"name_vi", "name_en"};
  fake sts = {{"Bãi Cỏ Mây", "Second Thomas Shoal", "仁爱礁"}};
  fake pal = {{"", "Palawan", NULL}};
  fake none = {{NULL, "  ", NULL}};
  char *s = expand_for("{name_*}", vi_en, 2, &sts);
  CHECK_STR(s, "Bãi Cỏ Mây");
  free(s);
  s = expand_for("{name_*}", vi_en, 2, &pal); /* empty vi name: falls back to en */
  CHECK_STR(s, "Palawan");
  free(s);
  s = expand_for("{name_*} ({name_zh})", vi_en, 1, &sts);
  CHECK_STR(s, "Bãi Cỏ Mây (仁爱礁)");
  free(s);
  s = expand_for("{name_*}", vi_en, 2, &none); /* blanks count as empty */
  CHECK_STR(s, "");
  free(s);
  CHECK_STR(shoal_lp_tag_for("Second Thomas Shoal (仁爱礁)", "en"), "zh-Hans");
  CHECK_STR(shoal_lp_tag_for("Bãi Cỏ Mây", "vi"), "vi");
  CHECK_STR(shoal_lp_tag_for("仁愛礁", "zh-Hant"), "zh-Hant");
}

/* ---- end to end over a small shapefile ------------------------------------------------- */

/* The data of the end-to-end tests lives in the scratch folder (scratch.h). */
typedef struct env {
  char path[128]; /* the map file (tpath's buffers rotate, so it keeps its own copy) */
} env;

static bool setup(env *e)
{
  snprintf(e->path, sizeof e->path, "%s", tpath("map.yaml"));
  put("pts.csv", "id,name_en,name_vi,name_zh,kind,lon,lat\n"
                 "thomas,Second Thomas Shoal,Bãi Cỏ Mây,仁爱礁,reef,2,2\n"
                 "palawan,Palawan,,,island,5,5\n"
                 "mischief,,,美济礁,reef,8,8\n");
  const char *csv = tpath("pts.csv"), *shp = tpath("pts.shp");
  shoal_diag *d = shoal_diag_new();
  shoal_import_opts o = {.in = csv, .out = shp};
  shoal_status st = shoal_import_csv(&o, d);
  /* Lines: two long ones (the second drawn east to west) and a short one. */
  put("lns.csv", "name,lon,lat\n"
                 "Northern line,1,8\nNorthern line,9,8.5\n"
                 "Southern line,9,3\nSouthern line,5,2.5\nSouthern line,1,3\n"
                 "Short stub line,4,5.5\nShort stub line,4.6,5.5\n");
  const char *lcsv = tpath("lns.csv"), *lshp = tpath("lns.shp");
  if (st == SHOAL_OK) {
    shoal_import_opts lo = {.in = lcsv, .out = lshp, .lines = true, .group = "name"};
    st = shoal_import_csv(&lo, d);
  }
  shoal_diag_print(d, stderr, 1);
  shoal_diag_free(d);
  return st == SHOAL_OK;
}

static void teardown(void)
{
  static const char *const ext[] = {"csv", "shp", "shx", "dbf", "prj", "cpg", "yaml"};
  char p[32];
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
    snprintf(p, sizeof p, "%s.%s", i == 6 ? "map" : "pts", ext[i]);
    unlink(tpath(p));
    snprintf(p, sizeof p, "lns.%s", ext[i]);
    unlink(tpath(p));
  }
  rmdir(dir);
}

typedef struct result {
  shoal_status st;
  size_t placed, dropped;
  unsigned char *px; /* page pixels (caller frees) */
  size_t npx;
} result;

/* Load yaml as <dir>/map.yaml, prepare the scene and run the label pass on a white page. */
static result run(env *e, const char *yaml, bool strict, shoal_diag *d)
{
  result r = {0};
  put("map.yaml", yaml);
  shoal_map *m = shoal_map_load(e->path, NULL, 0, d);
  if (!m) {
    r.st = shoal_diag_status(d);
    return r;
  }
  shoal_datacache *cache = shoal_datacache_new();
  shoal_geocache *geo = shoal_geocache_new();
  shoal_scene *sc = NULL;
  r.st = shoal_scene_prepare(m, cache, geo, strict, d, &sc);
  if (r.st == SHOAL_OK) {
    cairo_surface_t *s =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, sc->view.width, sc->view.height);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    shoal_collide *taken = shoal_collide_new(sc->view.width, sc->view.height, 32);
    r.st = shoal_annots_draw_under(sc->labels, cr, d);
    if (r.st == SHOAL_OK)
      r.st = shoal_labels_draw(sc->labels, cr, taken, NULL, d, &r.placed, &r.dropped);
    shoal_collide_free(taken);
    cairo_surface_flush(s);
    r.npx = (size_t)cairo_image_surface_get_stride(s) * (size_t)sc->view.height;
    r.px = malloc(r.npx);
    if (r.px)
      memcpy(r.px, cairo_image_surface_get_data(s), r.npx);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
  }
  shoal_scene_free(sc);
  shoal_geocache_free(geo);
  shoal_datacache_free(cache);
  shoal_map_free(m);
  return r;
}

/* The first message containing text, or NULL. */
static const shoal_msg *find(const shoal_diag *d, const char *text)
{
  for (size_t i = 0; i < shoal_diag_count(d); i++)
    if (strstr(shoal_diag_get(d, i)->text, text))
      return shoal_diag_get(d, i);
  return NULL;
}

static void dump(const shoal_diag *d)
{
  if (check_failures)
    shoal_diag_print(d, stderr, 1);
}

#define MAP(size, lang, label, annots)                                                             \
  "map:\n  size: " size "\n  extent: [0, 0, 10, 10]\n  lang: " lang "\n"                           \
  "layers:\n  - name: pts\n    data: pts.shp\n    marker: circle\n    marker-size: 6\n"            \
  "    fill: \"#ffffff\"\n    stroke: \"#000000\"\n" label annots

static void language_chain(env *e)
{
  /* On a page far too small every label is dropped, and the warnings name them: that shows
   * which text each feature got. */
  shoal_diag *d = shoal_diag_new();
  result r = run(e, MAP("[20, 20]", "vi", "    label: {text: \"{name_*}\", leaders: false}\n", ""),
                 false, d);
  CHECK(r.st == SHOAL_OK);
  CHECK(r.placed == 0 && r.dropped == 2); /* mischief has neither a vi nor an en name */
  CHECK(find(d, "label 'Bãi Cỏ Mây' (layer pts) could not be placed") != NULL);
  CHECK(find(d, "label 'Palawan' (layer pts) could not be placed") != NULL);
  const shoal_msg *w = find(d, "Palawan");
  CHECK(w && w->sev == SHOAL_SEV_WARNING && w->file == NULL);
  dump(d);
  free(r.px);
  shoal_diag_free(d);

  d = shoal_diag_new();
  r = run(e, MAP("[20, 20]", "zh", "    label: {text: \"{name_*}\", leaders: false}\n", ""), false,
          d);
  CHECK(r.dropped == 3);
  CHECK(find(d, "label '美济礁'") != NULL);
  CHECK(find(d, "label 'Palawan'") != NULL); /* no zh name: the en fallback */
  dump(d);
  free(r.px);
  shoal_diag_free(d);

  /* A layer's own lang and fallback chain override the map's. */
  d = shoal_diag_new();
  r = run(e,
          MAP("[20, 20]", "en",
              "    label: {text: \"{name_*}\", lang: zh, fallback: [vi], leaders: false}\n", ""),
          false, d);
  CHECK(r.dropped == 2);
  CHECK(find(d, "label '仁爱礁'") != NULL);
  CHECK(find(d, "label '美济礁'") != NULL);
  CHECK(find(d, "Palawan") == NULL);
  dump(d);
  free(r.px);
  shoal_diag_free(d);
}

static void strict_labels(env *e)
{
  shoal_diag *d = shoal_diag_new();
  result r = run(e, MAP("[20, 20]", "en", "    label: {text: \"{name_en}\", leaders: false}\n", ""),
                 true, d);
  CHECK(r.st == SHOAL_ERR_DATA);
  const shoal_msg *m = find(d, "label 'Palawan' (layer pts) could not be placed (--strict-labels)");
  CHECK(m && m->sev == SHOAL_SEV_ERROR);
  dump(d);
  free(r.px);
  shoal_diag_free(d);
}

static void placement(env *e)
{
  const char *yaml =
      MAP("[300, 300]", "en", "    label: \"{name_en} ({id})\"\n",
          "annotations:\n"
          "  - marker: {place: thomas, shape: star, size: 12, fill: red}\n"
          "  - callout: {place: palawan, text: \"A callout\", position: ne}\n"
          "  - area-label: {text: \"Open Sea\", at: [8, 2]}\n"
          "  - distance: {from: thomas, to: [8, 2], label: \"{km} km\"}\n"
          "  - highlight: {polygon: [[1, 1], [3, 1], [3, 3]], fill: \"#0000ff40\"}\n");
  shoal_diag *d = shoal_diag_new();
  result a = run(e, yaml, false, d);
  CHECK(a.st == SHOAL_OK);
  /* Three feature labels, the callout, the area label and the distance label. */
  CHECK(a.placed == 6 && a.dropped == 0);
  CHECK(shoal_diag_count(d) == 0);
  dump(d);
  shoal_diag_free(d);
  /* The same map twice gives the same pixels: placement is deterministic. */
  d = shoal_diag_new();
  result b = run(e, yaml, false, d);
  CHECK(b.st == SHOAL_OK && a.npx == b.npx && a.px && b.px && memcmp(a.px, b.px, a.npx) == 0);
  shoal_diag_free(d);
  free(a.px);
  free(b.px);
}

/* ---- text along lines: the placement pass on its own ----------------------------------- */

typedef struct lpage {
  shoal_textctx *tc;
  shoal_collide *taken, *mine;
  lp_lines lines;
  shoal_view v;
  lp_list l;
} lpage;

static void lpage_init(lpage *p)
{
  memset(p, 0, sizeof *p);
  p->v.width = 400;
  p->v.height = 200;
  p->v.scale = 1;
  p->tc = shoal_textctx_new(1);
  p->taken = shoal_collide_new(400, 200, 32);
  p->mine = shoal_collide_new(400, 200, 32);
}

static void lpage_free(lpage *p)
{
  shoal_lp_free(&p->l);
  shoal_lp_lines_free(&p->lines);
  shoal_collide_free(p->taken);
  shoal_collide_free(p->mine);
  shoal_textctx_free(p->tc);
}

/* A 10 px label along xy (n points) with the given offset; returns its index. */
static size_t line_item(lpage *p, const char *text, const double *xy, size_t n, double offset)
{
  lp_item *it = shoal_lp_push(&p->l);
  if (!it)
    return 0;
  it->kind = LP_LINE;
  it->text = strdup(text);
  it->tag = "en";
  it->font = (shoal_font){.family = "Noto Sans", .size = 10, .weight = 400, .align = 1};
  it->halo_width = 1.5;
  it->offset = offset;
  it->what = "label";
  it->path = malloc(n * 2 * sizeof *it->path);
  if (it->path)
    memcpy(it->path, xy, n * 2 * sizeof *it->path);
  it->npath = n;
  return it->seq;
}

/* Where the text of a placed line label starts, sits in the middle and ends (along its
 * placed path, where text.c sets it). */
static void text_span(const lp_item *it, double *x0, double *y0, double *xm, double *ym, double *x1,
                      double *y1)
{
  double L = shoal_path_length(it->ppath, it->nppath);
  shoal_path_point(it->ppath, it->nppath, (L - it->w) / 2, x0, y0);
  shoal_path_point(it->ppath, it->nppath, L / 2, xm, ym);
  shoal_path_point(it->ppath, it->nppath, (L + it->w) / 2, x1, y1);
}

static void line_labels(void)
{
  /* A straight line drawn right to left: the label reads left to right, sits centred on it
   * and offset + 0.4 em above it. */
  lpage p;
  lpage_init(&p);
  const double west[] = {380, 100, 20, 100};
  size_t a = line_item(&p, "Treaty line", west, 2, 3);
  CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, NULL, &p.v));
  lp_item *it = &p.l.v[a];
  CHECK(it->placed && it->ppath && it->nppath >= 2);
  double x0, y0, xm, ym, x1, y1;
  if (it->placed) {
    text_span(it, &x0, &y0, &xm, &ym, &x1, &y1);
    CHECK(x1 > x0); /* upright */
    CHECK_NEAR(xm, 200, 0.5);
    CHECK_NEAR(ym, 100 - (3 + 4), 0.01);
  }
  lpage_free(&p);

  /* Something in the middle: the label slides along the line to the nearest free stretch,
   * and its letters keep off it. */
  lpage_init(&p);
  CHECK(shoal_collide_add(p.taken, (shoal_box){180, 70, 220, 130}));
  a = line_item(&p, "Treaty line", west, 2, 3);
  CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, NULL, &p.v));
  it = &p.l.v[a];
  CHECK(it->placed);
  if (it->placed) {
    text_span(it, &x0, &y0, &xm, &ym, &x1, &y1);
    CHECK(x0 > 220 || x1 < 180);
    CHECK(fabs(xm - 200) < it->w / 2 + 20 + 12); /* but as near the middle as that allows */
  }
  lpage_free(&p);

  /* A sharp corner in the middle (about 58 degrees): the text stays on one straight arm. */
  lpage_init(&p);
  const double vee[] = {20, 40, 200, 150, 380, 40};
  a = line_item(&p, "Treaty line", vee, 3, 3);
  CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, NULL, &p.v));
  it = &p.l.v[a];
  CHECK(it->placed);
  if (it->placed) {
    text_span(it, &x0, &y0, &xm, &ym, &x1, &y1);
    CHECK(x1 < 200 || x0 > 200);
    double d = fabs((x1 - x0) * (ym - y0) - (y1 - y0) * (xm - x0)) / hypot(x1 - x0, y1 - y0);
    CHECK(d < 0.5); /* start, middle and end in a straight row */
  }
  lpage_free(&p);

  /* Too short for the text: no label, no crash. */
  lpage_init(&p);
  const double stub[] = {100, 100, 140, 100};
  a = line_item(&p, "Treaty line", stub, 2, 3);
  CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, NULL, &p.v));
  CHECK(!p.l.v[a].placed);
  lpage_free(&p);

  /* Two lines close together: the second label does not cross the first. */
  lpage_init(&p);
  const double l1[] = {20, 100, 380, 100}, l2[] = {20, 96, 380, 96};
  a = line_item(&p, "Upper boundary", l2, 2, 3);
  size_t b = line_item(&p, "Lower boundary", l1, 2, 3);
  p.l.v[a].prio = 1;
  CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, NULL, &p.v));
  CHECK(p.l.v[a].placed && p.l.v[b].placed);
  if (p.l.v[a].placed && p.l.v[b].placed) {
    double ax0, ay0, axm, aym, ax1, ay1;
    text_span(&p.l.v[a], &ax0, &ay0, &axm, &aym, &ax1, &ay1);
    text_span(&p.l.v[b], &x0, &y0, &xm, &ym, &x1, &y1);
    CHECK(fabs(aym - ym) >= 10 || x0 > ax1 || x1 < ax0);
  }
  lpage_free(&p);
}

/* A line of a label-obstacle layer is in the index already: its label must not take it for
 * an obstacle, while another obstacle line crossing it still counts. */
static void own_line(void)
{
  for (int own = 0; own < 2; own++) {
    lpage p;
    lpage_init(&p);
    const double line[] = {20, 100, 380, 100};
    /* As scene.c blocks them: half-width 2.1 (a 2.2 px stroke), pieces of 6 px. */
    CHECK(shoal_lp_lines_segment(&p.lines, 20, 100, 380, 100, 2.1, 6, 1, 7));
    CHECK(shoal_lp_lines_segment(&p.lines, 120, 20, 120, 180, 2.1, 6, 2, 3)); /* crossing */
    CHECK(shoal_lp_lines_index(&p.lines, 400, 200, 32));
    for (size_t i = 0; i < p.lines.n; i++)
      CHECK(shoal_collide_add(p.taken, p.lines.v[i].b));
    size_t a = line_item(&p, "On the line", line, 2, 0);
    p.l.v[a].own_layer = 1;
    p.l.v[a].own_ids = malloc(sizeof(int));
    p.l.v[a].own_ids[0] = own ? 7 : 8; /* its own feature, or one that is not there */
    p.l.v[a].nown_ids = 1;
    CHECK(shoal_lp_place(&p.l, p.tc, p.taken, p.mine, &p.lines, &p.v));
    lp_item *it = &p.l.v[a];
    CHECK(it->placed == (own == 1));
    if (it->placed) {
      double x0, y0, xm, ym, x1, y1;
      text_span(it, &x0, &y0, &xm, &ym, &x1, &y1);
      CHECK_NEAR(ym, 100, 0.01);               /* offset 0: on the line */
      CHECK(x0 > 120 + 2.1 || x1 < 120 - 2.1); /* clear of the crossing line */
      CHECK_NEAR(xm, 200, 40);
    }
    lpage_free(&p);
  }
}

/* A text without fields labels every feature (it is no template whose fields are all
 * empty); along a line, features with the same text get one label. */
static void literal_text(env *e)
{
  shoal_diag *d = shoal_diag_new();
  result r = run(e, MAP("[300, 300]", "en", "    label: {text: \"Reef\", leaders: false}\n", ""),
                 false, d);
  CHECK(r.st == SHOAL_OK);
  CHECK(r.placed == 3 && r.dropped == 0);
  dump(d);
  free(r.px);
  shoal_diag_free(d);

  d = shoal_diag_new();
  r = run(e,
          "map:\n  size: [300, 200]\n  extent: [0, 0, 10, 10]\nlayers:\n"
          "  - name: lns\n    data: lns.shp\n    stroke: \"#000000\"\n"
          "    label: {text: \"Boundary (2003)\", size: 10}\n"
          "  - name: lns2\n    data: lns.shp\n    stroke: \"#000000\"\n    label-obstacle: true\n"
          "    label: {text: \"{name}\", size: 10, offset: 0, priority: 60,\n"
          "            filter: \"name in ('Northern line', 'Short stub line')\"}\n",
          false, d);
  CHECK(r.st == SHOAL_OK);
  /* lns2 first: on its own obstacle line, and the short line dropped with a warning; then one
   * label for the two lines of lns, on the longer, free one. */
  CHECK(r.placed == 2 && r.dropped == 1);
  CHECK(find(d, "label 'Short stub line' (layer lns2) could not be placed") != NULL);
  dump(d);
  free(r.px);
  shoal_diag_free(d);
}

static void expect_error(env *e, const char *yaml, const char *text, int line, int col)
{
  shoal_diag *d = shoal_diag_new();
  result r = run(e, yaml, false, d);
  CHECK(r.st == SHOAL_ERR_DATA);
  const shoal_msg *m = find(d, text);
  CHECK(m != NULL);
  if (m) {
    CHECK(m->sev == SHOAL_SEV_ERROR && m->status == SHOAL_ERR_DATA);
    CHECK(m->line == line && m->col == col);
    CHECK_STR(m->text, text);
  }
  if (!m || m->line != line || m->col != col)
    shoal_diag_print(d, stderr, 1);
  free(r.px);
  shoal_diag_free(d);
}

static void errors(env *e)
{
  /* Line 12 of MAP() is the first line after the layer's style. */
  char msg[256];
  expect_error(e, MAP("[100, 100]", "en", "", "annotations:\n  - marker: {place: tomas}\n"),
               "unknown place 'tomas' (did you mean 'thomas'?)", 13, 21);
  expect_error(
      e, MAP("[100, 100]", "en", "", "annotations:\n  - marker: {place: tomas, layer: pts}\n"),
      "unknown place 'tomas' in layer 'pts' (did you mean 'thomas'?)", 13, 21);
  snprintf(msg, sizeof msg,
           "label template field 'nmae_zh' is not in '%s/pts.shp' (did you mean 'name_zh'?)", dir);
  expect_error(e, MAP("[100, 100]", "en", "    label: \"{name_*} ({nmae_zh})\"\n", ""), msg, 12,
               24);
  expect_error(e, MAP("[100, 100]", "en", "    label: {text: \"{id}\", font: \"Noto Sanz\"}\n", ""),
               "unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)", 12, 34);
  expect_error(e, MAP("[100, 100]", "fr", "    label: \"{name_*}\"\n", ""),
               "unknown language 'fr' (known: en, zh, zh-Latn, vi, fil, ms, id; or give the "
               "data a name_fr field)",
               4, 9);
  expect_error(e, MAP("[100, 100]", "en", "    label: {text: \"{id}\", fallback: [en, vie]}\n", ""),
               "unknown language 'vie' (did you mean 'vi'?)", 12, 42);
  expect_error(e,
               MAP("[100, 100]", "en", "",
                   "annotations:\n  - callout: {place: thomas, layer: pst, text: x}\n"),
               "unknown layer 'pst' (did you mean 'pts'?)", 13, 37);
  expect_error(
      e,
      MAP("[100, 100]", "en", "", "annotations:\n  - area-label: {text: \"{id}\", at: [1, 1]}\n"),
      "text names field 'id' but is not at a place of a layer (write '{{' for a literal "
      "brace)",
      13, 26);
}

/* ---- the layer pipeline ---------------------------------------------------------------- */

/* Drawing, labels and annotations get their features from layer/: the cached geometry is the
 * same as a fresh build, the labels' query (the view itself) lies within the drawing's (with
 * its margin), and a whole feature lands where the prepared one does. */
static void layer_pipeline(env *e)
{
  put("map.yaml", "map:\n  size: [200, 200]\n  extent: [0, 0, 10, 10]\n"
                  "layers:\n  - name: pts\n    data: pts.shp\n    marker: circle\n"
                  "  - name: lns\n    data: lns.shp\n    stroke: \"#000000\"\n    simplify: 1\n");
  shoal_diag *d = shoal_diag_new();
  shoal_map *m = shoal_map_load(e->path, NULL, 0, d);
  shoal_datacache *cache = shoal_datacache_new();
  shoal_geocache *geo = shoal_geocache_new();
  shoal_scene *sc = NULL;
  CHECK(m && shoal_scene_prepare(m, cache, geo, false, d, &sc) == SHOAL_OK);
  CHECK(sc && sc->nlayers == 2);
  for (size_t i = 0; sc && i < sc->nlayers; i++) {
    const shoal_layerctx *lc = &sc->layers[i];
    const shoal_layergeo *cached = NULL, *again = NULL, *built = NULL;
    shoal_layergeo *own = NULL, *own2 = NULL;
    CHECK(shoal_layer_geom(lc, d, &cached, &own) == SHOAL_OK && own == NULL && cached);
    CHECK(shoal_layer_geom(lc, d, &again, &own) == SHOAL_OK && again == cached);
    shoal_layerctx fresh = *lc;
    fresh.geo = NULL;
    CHECK(shoal_layer_geom(&fresh, d, &built, &own2) == SHOAL_OK && built == own2 && built);
    if (!cached || !built)
      continue;
    CHECK(cached->nfeat == built->nfeat && cached->nfeat > 0);
    CHECK(cached->g.npts == built->g.npts);
    CHECK(memcmp(cached->ids, built->ids, cached->nfeat * sizeof *cached->ids) == 0);
    CHECK(memcmp(cached->g.xy, built->g.xy, 2 * cached->g.npts * sizeof *cached->g.xy) == 0);
    int *near = NULL, *wide = NULL;
    size_t nnear = 0, nwide = 0;
    CHECK(shoal_layer_query(lc, 0, &near, &nnear) == SHOAL_OK);
    CHECK(shoal_layer_query(lc, 16 * sc->view.scale, &wide, &nwide) == SHOAL_OK);
    CHECK(nnear > 0 && nnear <= nwide);
    if (cached->kind == SHOAL_GEOM_POINT) {
      shoal_geom g;
      shoal_geom_init(&g, SHOAL_GEOM_NONE);
      CHECK(shoal_layer_feature(lc, cached->ids[0], &g) == SHOAL_OK && g.npts == 1);
      CHECK(g.npts == 1 && g.xy[0] == cached->g.xy[0] && g.xy[1] == cached->g.xy[1]);
      shoal_geom_free(&g);
    }
    free(near);
    free(wide);
    shoal_layergeo_free(own2);
  }
  dump(d);
  shoal_scene_free(sc);
  shoal_geocache_free(geo);
  shoal_datacache_free(cache);
  shoal_map_free(m);
  shoal_diag_free(d);
}

int main(void)
{
  lang_table();
  expand_names();
  fallback();
  line_labels();
  own_line();
  if (!scratch_begin("labels"))
    return 1;
  env e;
  CHECK(setup(&e));
  if (check_failures == 0) {
    language_chain(&e);
    strict_labels(&e);
    placement(&e);
    literal_text(&e);
    errors(&e);
    layer_pipeline(&e);
  }
  teardown();
  scratch_end();
  return check_done();
}
