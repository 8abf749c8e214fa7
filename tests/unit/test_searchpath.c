/* The search path (base/searchpath.c) and its use by config: exact order (beside the naming
 * file, the current directory, $SHOAL_PATH in order, then the data folder's styles/ and the
 * data folder), absolute paths, the "looked in" list; includes and data: files found along it. */
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/searchpath.h"
#include "check.h"
#include "config/model.h"
#include "config/node.h"
#include "scratch.h"

/* Everything made in the scratch folder, removed in reverse order at the end. */
static char made[64][256];
static int nmade;

static void remember(const char *rel)
{
  if (nmade < 64)
    snprintf(made[nmade++], sizeof made[0], "%s", tpath(rel));
}

static void mk(const char *rel)
{
  mkdir(tpath(rel), 0755);
  remember(rel);
}

static void file(const char *rel, const char *text)
{
  put(rel, text);
  remember(rel);
}

/* shoal_searchpath_find's answer and tried-list as one string: "found" or "- tried". */
static char got[2048];
static const char *find(const shoal_searchpath *sp, const char *from, const char *rel)
{
  char *tried = NULL;
  char *p = shoal_searchpath_find(sp, from, rel, &tried);
  snprintf(got, sizeof got, "%s", p ? p : "-");
  if (tried)
    snprintf(got + strlen(got), sizeof got - strlen(got), " %s", tried);
  if (p && tried)
    snprintf(got, sizeof got, "both a result and a tried list");
  free(p);
  free(tried);
  return got;
}

static void test_order(void)
{
  mk("maps");
  mk("p1");
  mk("p2");
  mk("share");
  mk("share/styles");
  mk("share/shapes");
  mk("maps/sub");
  file("maps/beside.shp", "");
  file("maps/both.shp", "");
  file("both.shp", "");
  file("here.shp", "");
  file("dup.shp", "");
  file("p1/dup.shp", "");
  file("p1/in1.shp", "");
  file("p2/in1.shp", "");
  file("p2/in2.shp", "");
  file("share/styles/house.yaml", "");
  file("share/shapes/land.shp", "");
  file("share/top.shp", "");

  shoal_searchpath *sp = shoal_searchpath_new("p1::p2:", "share");
  CHECK(sp != NULL);
  if (!sp)
    return;
  /* the folders, in order; empty SHOAL_PATH entries skipped */
  CHECK(shoal_searchpath_count(sp) == 5);
  CHECK_STR(shoal_searchpath_dir(sp, 0), ".");
  CHECK_STR(shoal_searchpath_dir(sp, 1), "p1");
  CHECK_STR(shoal_searchpath_dir(sp, 2), "p2");
  CHECK_STR(shoal_searchpath_dir(sp, 3), "share/styles");
  CHECK_STR(shoal_searchpath_dir(sp, 4), "share");
  CHECK(shoal_searchpath_dir(sp, 5) == NULL);

  const char *from = "maps/m.yaml";
  CHECK_STR(find(sp, from, "beside.shp"), "maps/beside.shp");   /* beside the file first */
  CHECK_STR(find(sp, from, "./beside.shp"), "maps/beside.shp"); /* "./" adds nothing */
  CHECK_STR(find(sp, from, "both.shp"), "maps/both.shp");       /* beside beats the cwd */
  CHECK_STR(find(sp, from, "here.shp"), "here.shp");            /* then the cwd, as written */
  CHECK_STR(find(sp, from, "dup.shp"), "dup.shp");              /* the cwd beats SHOAL_PATH */
  CHECK_STR(find(sp, from, "in1.shp"), "p1/in1.shp");           /* SHOAL_PATH in order */
  CHECK_STR(find(sp, from, "in2.shp"), "p2/in2.shp");
  CHECK_STR(find(sp, from, "house.yaml"), "share/styles/house.yaml");    /* then share/styles */
  CHECK_STR(find(sp, from, "shapes/land.shp"), "share/shapes/land.shp"); /* then share */
  CHECK_STR(find(sp, from, "top.shp"), "share/top.shp");
  /* nothing found: every place looked, in order */
  CHECK_STR(find(sp, from, "nope.shp"),
            "- 'maps/nope.shp', 'nope.shp', 'p1/nope.shp', 'p2/nope.shp', 'share/styles/nope.shp', "
            "'share/nope.shp'");
  /* a folder is not a file: maps/sub is skipped */
  CHECK_STR(find(sp, from, "sub"),
            "- 'maps/sub', 'sub', 'p1/sub', 'p2/sub', 'share/styles/sub', 'share/sub'");
  /* no naming file: the search path only */
  CHECK_STR(find(sp, NULL, "beside.shp"),
            "- 'beside.shp', 'p1/beside.shp', 'p2/beside.shp', 'share/styles/beside.shp', "
            "'share/beside.shp'");
  /* a naming file without a folder: beside it is the cwd */
  CHECK_STR(find(sp, "m.yaml", "here.shp"), "here.shp");
  /* absolute paths are taken as they are */
  char abs[300], want[700];
  snprintf(abs, sizeof abs, "%s", tpath("p2/in2.shp"));
  CHECK_STR(find(sp, from, abs), abs);
  snprintf(abs, sizeof abs, "%s", tpath("p2/nope.shp"));
  snprintf(want, sizeof want, "- '%s'", abs);
  CHECK_STR(find(sp, from, abs), want);
  /* nothing to find */
  CHECK_STR(find(sp, from, ""), "-");
  CHECK_STR(find(sp, from, NULL), "-");
  /* the caller may not want the list */
  CHECK(shoal_searchpath_find(sp, from, "nope.shp", NULL) == NULL);
  shoal_searchpath_free(sp);

  /* no search path at all: beside the file only */
  CHECK_STR(find(NULL, from, "beside.shp"), "maps/beside.shp");
  CHECK_STR(find(NULL, from, "here.shp"), "- 'maps/here.shp'");
  /* no SHOAL_PATH and no data folder: the cwd only */
  sp = shoal_searchpath_new(NULL, NULL);
  CHECK(sp && shoal_searchpath_count(sp) == 1);
  CHECK_STR(find(sp, from, "in1.shp"), "- 'maps/in1.shp', 'in1.shp'");
  shoal_searchpath_free(sp);
  sp = shoal_searchpath_new("", "");
  CHECK(sp && shoal_searchpath_count(sp) == 1);
  shoal_searchpath_free(sp);
  CHECK(shoal_searchpath_count(NULL) == 0 && shoal_searchpath_dir(NULL, 0) == NULL);
  shoal_searchpath_free(NULL);
}

/* Messages of d, first lines only, joined by '\n'. */
static char msgs[4096];
static const char *errors(const shoal_diag *d)
{
  size_t o = 0;
  msgs[0] = '\0';
  for (size_t i = 0; i < shoal_diag_count(d) && o < sizeof msgs; i++) {
    const shoal_msg *m = shoal_diag_get(d, i);
    int w = snprintf(msgs + o, sizeof msgs - o, "%s:%d:%d: %s\n", m->file ? m->file : "-", m->line,
                     m->col, m->text);
    if (w > 0)
      o += (size_t)w;
  }
  return msgs;
}

/* Includes and data files: beside the naming file first, then along the search path. */
static void test_config(void)
{
  mk("lib");
  file("lib/house.yaml", "map: {background: '#abcdef'}\n");
  file("lib/land.shp", "");
  file("maps/local.yaml", "map: {title: local}\n");
  file("maps/m1.yaml", "include: [house.yaml, local.yaml]\nmap: {extent: [0, 0, 1, 1]}\n"
                       "layers: [{name: land, data: land.shp}, {name: b, data: beside.shp}]\n");
  shoal_searchpath *sp = shoal_searchpath_new("lib", NULL);
  shoal_diag *d = shoal_diag_new();
  shoal_node *r = shoal_conf_load_map("maps/m1.yaml", sp, d);
  CHECK(r && shoal_diag_count(d) == 0);
  shoal_node *map = r ? shoal_node_get(r, "map") : NULL;
  shoal_node *bg = map ? shoal_node_get(map, "background") : NULL;
  CHECK(bg && strcmp(bg->str, "#abcdef") == 0 && strcmp(bg->file, "lib/house.yaml") == 0);
  shoal_node_free(r);
  /* the model: data files found along the path, a file beside the map spelt as before */
  shoal_map *m = shoal_map_read("maps/m1.yaml", NULL, 0, sp, d);
  CHECK(m && shoal_diag_nerrors(d) == 0);
  if (m && m->nlayers == 2) {
    CHECK_STR(m->layers[0].data[0].path, "lib/land.shp");
    CHECK_STR(m->layers[1].data[0].path, "maps/beside.shp");
    CHECK_STR(m->title, "local");
  }
  shoal_map_free(m);
  shoal_diag_free(d);

  /* found nowhere: at the value, naming every place looked; the model is still returned by
   * shoal_map_read so that later checks can run, while shoal_map_load gives NULL */
  file("maps/m2.yaml", "include: nohouse.yaml\n");
  d = shoal_diag_new();
  CHECK(shoal_conf_load_map("maps/m2.yaml", sp, d) == NULL);
  CHECK_STR(errors(d), "maps/m2.yaml:1:10: cannot find included file 'nohouse.yaml' (looked in "
                       "'maps/nohouse.yaml', 'nohouse.yaml', 'lib/nohouse.yaml')\n");
  CHECK(shoal_diag_status(d) == SHOAL_ERR_NOINPUT);
  shoal_diag_free(d);
  file("maps/m3.yaml", "map: {extent: [0, 0, 1, 1], lang: en}\n"
                       "layers:\n  - name: x\n    data: shapes/none.shp\n");
  d = shoal_diag_new();
  m = shoal_map_read("maps/m3.yaml", NULL, 0, sp, d);
  CHECK(m != NULL && m->nlayers == 1 && m->layers[0].ndata == 0);
  CHECK_STR(errors(d), "maps/m3.yaml:4:11: cannot find data file 'shapes/none.shp' (looked in "
                       "'maps/shapes/none.shp', 'shapes/none.shp', 'lib/shapes/none.shp')\n");
  CHECK(shoal_diag_status(d) == SHOAL_ERR_NOINPUT);
  shoal_map_free(m);
  shoal_diag_free(d);
  d = shoal_diag_new();
  CHECK(shoal_map_load("maps/m3.yaml", NULL, 0, d) == NULL);
  CHECK_STR(errors(d), "maps/m3.yaml:4:11: cannot find data file 'shapes/none.shp' (looked in "
                       "'maps/shapes/none.shp')\n");
  shoal_diag_free(d);
  /* found along the path but not a shapefile: said what it is, with the real path */
  file("maps/m4.yaml", "map: {extent: [0, 0, 1, 1]}\nlayers:\n  - {name: x, data: house.yaml}\n"
                       "  - {name: y, data: sub}\n  - {name: z, data: lib/land.dbf}\n");
  file("lib/land.dbf", "");
  d = shoal_diag_new();
  m = shoal_map_read("maps/m4.yaml", NULL, 0, sp, d);
  CHECK_STR(errors(d), "maps/m4.yaml:3:21: 'lib/house.yaml' is a YAML file, not a shapefile\n"
                       "maps/m4.yaml:4:21: 'maps/sub' is a folder, not a shapefile\n"
                       "maps/m4.yaml:5:21: 'lib/land.dbf' is part of a shapefile; name its .shp "
                       "file\n");
  shoal_map_free(m);
  shoal_diag_free(d);
  shoal_searchpath_free(sp);
}

int main(void)
{
  if (!scratch_begin("searchpath"))
    return 1;
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd) || chdir(dir) != 0) {
    perror("chdir");
    return 1;
  }
  test_order();
  test_config();
  if (chdir(cwd) != 0)
    perror("chdir");
  for (int i = nmade; i-- > 0;)
    remove(made[i]);
  scratch_end();
  return check_done();
}
