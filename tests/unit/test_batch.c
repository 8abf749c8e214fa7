/* Unit tests of batch files: name templates, matrix expansion order, overrides, shards, maps
 * found on the search path, outputs relative to the current directory. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/batchfile.h"
#include "scratch.h"

/* Write text to name in the scratch folder; returns its path (a tpath buffer). */
static const char *write_file(const char *name, const char *text)
{
  put(name, text);
  return tpath(name);
}

static void test_fill(void)
{
  const char *keys[] = {"map", "lang", "scale", "ext"};
  const char *vals[] = {"spratlys", "vi", "2", "png"};
  size_t bad = 99;
  char *s = shoal_batch_fill("out/{map}-{lang}@{scale}x.{ext}", keys, vals, 4, &bad);
  CHECK_STR(s, "out/spratlys-vi@2x.png");
  free(s);
  s = shoal_batch_fill("{map}{map}", keys, vals, 4, &bad);
  CHECK_STR(s, "spratlysspratlys");
  free(s);
  CHECK(shoal_batch_fill("out/{map}-{langg}.png", keys, vals, 4, &bad) == NULL);
  CHECK(bad == 10);
  CHECK(shoal_batch_fill("out/{map", keys, vals, 4, &bad) == NULL);
  CHECK(bad == 4);
}

static void test_shards(void)
{
  /* Every k in exactly one of the n shards, for several n. */
  for (unsigned n = 1; n <= 7; n++)
    for (size_t k = 0; k < 50; k++) {
      int hits = 0;
      for (unsigned i = 1; i <= n; i++)
        hits += shoal_batch_in_shard(k, i, n);
      CHECK(hits == 1);
    }
  CHECK(!shoal_batch_in_shard(0, 0, 3));
  CHECK(!shoal_batch_in_shard(0, 4, 3));
}

static void test_expand(void)
{
  const char *path = write_file("a.batch.yaml", "defaults:\n"
                                                "  output: \"out/{map}-{lang}@{scale}x.{ext}\"\n"
                                                "  formats: [png, pdf]\n"
                                                "  set: {credit: \"Desk\"}\n"
                                                "matrix:\n"
                                                "  lang: [en, vi, zh]\n"
                                                "  scale: [1, 2]\n"
                                                "jobs:\n"
                                                "  - map: maps/spratlys.yaml\n"
                                                "    set: {title: \"Spratlys\"}\n"
                                                "  - map: overview.yaml\n"
                                                "    matrix: {scale: [2]}\n"
                                                "    formats: [svg]\n");
  shoal_diag *d = shoal_diag_new();
  shoal_batch *b = shoal_batch_load(path, NULL, d);
  shoal_diag_print(d, stderr, 1);
  CHECK(b != NULL);
  if (b) {
    CHECK(b->njobs == 9);
    char want[512];
    /* The first axis varies fastest. */
    CHECK_STR(b->jobs[1].name, "spratlys [lang=vi scale=1]");
    /* Outputs are relative to the current directory, not to the batch file's. */
    CHECK_STR(b->jobs[1].outputs[0], "out/spratlys-vi@1x.png");
    CHECK_STR(b->jobs[1].outputs[1], "out/spratlys-vi@1x.pdf");
    snprintf(want, sizeof want, "%s/maps/spratlys.yaml", dir);
    CHECK_STR(b->jobs[1].map, want);
    CHECK(b->jobs[3].scale == 2);
    /* Defaults' set, then the job's, then the matrix values. */
    CHECK(b->jobs[1].nsets == 3);
    if (b->jobs[1].nsets == 3) {
      CHECK_STR(b->jobs[1].sets[0], "credit=Desk");
      CHECK_STR(b->jobs[1].sets[1], "title=Spratlys");
      CHECK_STR(b->jobs[1].sets[2], "lang=vi");
    }
    CHECK_STR(b->jobs[8].name, "overview [lang=zh scale=2]");
    CHECK(b->jobs[8].noutputs == 1);
    CHECK_STR(b->jobs[8].outputs[0], "out/overview-zh@2x.svg");
  }
  shoal_batch_free(b);
  shoal_diag_free(d);
}

static void test_errors(void)
{
  const char *path = write_file("b.batch.yaml", "defaults:\n"
                                                "  output: \"x.png\"\n"
                                                "  formats: [png, gif]\n"
                                                "jobs:\n"
                                                "  - mapp: a.yaml\n");
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_batch_load(path, NULL, d) == NULL);
  CHECK(shoal_diag_nerrors(d) == 2);
  const shoal_msg *m = shoal_diag_get(d, 0);
  CHECK(m && m->line == 5 && m->col == 5);
  if (m)
    CHECK_STR(m->text, "unknown key 'mapp' in job (did you mean 'map'?)");
  m = shoal_diag_get(d, 1);
  if (m)
    CHECK_STR(m->text, "job needs a 'map' (a map file path)");
  shoal_diag_free(d);
}

/* A job's map: beside the batch file first, then along the search path. */
static void test_search(void)
{
  char sub[600], want[700];
  snprintf(sub, sizeof sub, "%s/lib", dir);
  CHECK(mkdir(sub, 0755) == 0);
  write_file("lib/only-on-path.yaml", "map: {}\n");
  write_file("lib/both.yaml", "map: {}\n");
  write_file("both.yaml", "map: {}\n");
  const char *path = write_file("c.batch.yaml", "defaults: {output: \"{map}.png\"}\n"
                                                "jobs:\n"
                                                "  - map: both.yaml\n"
                                                "  - map: only-on-path.yaml\n"
                                                "  - map: nowhere.yaml\n");
  shoal_searchpath *sp = shoal_searchpath_new(sub, NULL);
  shoal_diag *d = shoal_diag_new();
  shoal_batch *b = shoal_batch_load(path, sp, d);
  CHECK(b && b->njobs == 3);
  if (b && b->njobs == 3) {
    snprintf(want, sizeof want, "%s/both.yaml", dir);
    CHECK_STR(b->jobs[0].map, want);
    snprintf(want, sizeof want, "%s/lib/only-on-path.yaml", dir);
    CHECK_STR(b->jobs[1].map, want);
    snprintf(want, sizeof want, "%s/nowhere.yaml", dir);
    CHECK_STR(b->jobs[2].map, want);
  }
  shoal_batch_free(b);
  shoal_diag_free(d);
  shoal_searchpath_free(sp);
}

/* Output paths: relative ones stay relative (to the current directory), tidied; absolute ones
 * stay absolute; the map is still found beside the batch file. */
static void test_outputs(void)
{
  char want[700];
  const char *path =
      write_file("o.batch.yaml", "defaults:\n"
                                 "  output: [\"./out//{map}.png\", \"../up/{map}.pdf\",\n"
                                 "           \"/tmp/abs/{map}.svg\", \"a/../b/{map}.png\"]\n"
                                 "jobs:\n"
                                 "  - map: m.yaml\n");
  shoal_diag *d = shoal_diag_new();
  shoal_batch *b = shoal_batch_load(path, NULL, d);
  shoal_diag_print(d, stderr, 1);
  CHECK(b && b->njobs == 1 && b->jobs[0].noutputs == 4);
  if (b && b->njobs == 1 && b->jobs[0].noutputs == 4) {
    CHECK_STR(b->jobs[0].outputs[0], "out/m.png");
    CHECK_STR(b->jobs[0].outputs[1], "../up/m.pdf");
    CHECK_STR(b->jobs[0].outputs[2], "/tmp/abs/m.svg");
    CHECK_STR(b->jobs[0].outputs[3], "b/m.png");
    snprintf(want, sizeof want, "%s/m.yaml", dir);
    CHECK_STR(b->jobs[0].map, want);
  }
  shoal_batch_free(b);
  shoal_diag_free(d);
}

int main(void)
{
  if (!scratch_begin("batch"))
    return 2;
  test_fill();
  test_shards();
  test_expand();
  test_errors();
  test_search();
  test_outputs();
  scratch_end();
  return check_done();
}
