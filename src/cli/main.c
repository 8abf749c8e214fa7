/* shoal: command-line entry point. Parses sub-commands and options and maps statuses to
 * sysexits exit codes; all work happens in the library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/batch.h"
#include "cli/commands.h"
#include "config/schema.h"
#include "core/job.h"

static const char usage_text[] =
    "usage: shoal <command> [options]\n"
    "\n"
    "commands:\n"
    "  render MAP.yaml -o OUT.{png,pdf,svg} [-o OUT2 ...] [--size WxH] [--scale N]\n"
    "         [--set key=value ...] [--strict-labels] [--watch] [-q|-v]\n"
    "  batch  BATCH.yaml [-j N] [--force] [--shard I/N] [--report FILE.json] [--list] [-q|-v]\n"
    "  check  MAP.yaml... [--set key=value ...]     validate, open the data, draw nothing\n"
    "  info   FILE.shp...                           geometry type, count, extent, CRS, fields\n"
    "  index  FILE.shp...                           write the .qix spatial index\n"
    "  import IN.csv -o OUT.shp [--lines --group COL --order COL] [--lon COL --lat COL]\n"
    "         [--rename OLD=NEW ...] [--add-field NAME=VALUE ...]\n"
    "\n"
    "  shoal --version | shoal <command> --help\n"
    "\n"
    "exit codes: 0 ok, 64 usage, 65 bad style or data, 66 missing input, 70 internal,\n"
    "            73 cannot write output\n";

static int usage_error(const char *fmt, const char *arg)
{
  fprintf(stderr, "shoal: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n(see 'shoal --help')\n");
  return SHOAL_ERR_USAGE;
}

/* Options shared by render and check. */
typedef struct render_args {
  const char *map;
  const char **maps;
  size_t nmaps;
  const char **outputs;
  size_t noutputs;
  const char **sets;
  size_t nsets;
  int width, height;
  double scale;
  int verbosity;
  bool strict_labels, watch;
} render_args;

static int parse_render_args(int argc, char **argv, render_args *ra, bool check)
{
  size_t cap = (size_t)argc;
  ra->outputs = calloc(cap, sizeof *ra->outputs);
  ra->sets = calloc(cap, sizeof *ra->sets);
  ra->maps = calloc(cap, sizeof *ra->maps);
  if (!ra->outputs || !ra->sets || !ra->maps)
    return SHOAL_ERR_NOMEM;
  ra->verbosity = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *val = NULL;
    bool takes = !strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--size") ||
                 !strcmp(a, "--scale") || !strcmp(a, "--set");
    if (takes) {
      if (i + 1 >= argc)
        return usage_error("option '%s' needs a value", a);
      val = argv[++i];
    } else if (!strncmp(a, "--set=", 6) || !strncmp(a, "--size=", 7) ||
               !strncmp(a, "--scale=", 8) || !strncmp(a, "--output=", 9)) {
      val = strchr(a, '=') + 1;
    }
    if (!strcmp(a, "-o") || !strncmp(a, "--output", 8)) {
      if (check)
        return usage_error("'check' draws nothing; '%s' makes no sense here", a);
      ra->outputs[ra->noutputs++] = val;
    } else if (!strncmp(a, "--set", 5) && strncmp(a, "--settings", 10)) {
      if (!strchr(val, '='))
        return usage_error("--set needs key=value, not '%s'", val);
      ra->sets[ra->nsets++] = val;
    } else if (!strncmp(a, "--size", 6)) {
      if (!shoal_parse_size(val, &ra->width, &ra->height))
        return usage_error("--size needs WIDTHxHEIGHT in pixels (16 to 20000), not '%s'", val);
    } else if (!strncmp(a, "--scale", 7)) {
      if (!shoal_parse_double(val, &ra->scale) || ra->scale < 0.1 || ra->scale > 8)
        return usage_error("--scale needs a number from 0.1 to 8, not '%s'", val);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      ra->verbosity = 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      ra->verbosity = 2;
    } else if (!strcmp(a, "--strict-labels")) {
      ra->strict_labels = true;
    } else if (!strcmp(a, "--watch") && !check) {
      ra->watch = true;
    } else if (a[0] == '-' && a[1]) {
      return usage_error("unknown option '%s'", a);
    } else {
      ra->maps[ra->nmaps++] = a;
    }
  }
  if (ra->nmaps == 0)
    return usage_error("%s needs a map file", check ? "check" : "render");
  if (!check && ra->nmaps > 1)
    return usage_error("render takes one map file (got '%s' too); use batch for several",
                       ra->maps[1]);
  if (!check && ra->noutputs == 0)
    return usage_error("%s", "render needs an output: -o OUT.png, OUT.pdf or OUT.svg");
  ra->map = ra->maps[0];
  return 0;
}

static void free_render_args(render_args *ra)
{
  free(ra->outputs);
  free(ra->sets);
  free(ra->maps);
}

static int render_once(const render_args *ra, const char *map, bool check)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return SHOAL_ERR_NOMEM;
  shoal_job_opts o = {.map_path = map,
                      .outputs = ra->outputs,
                      .noutputs = ra->noutputs,
                      .sets = ra->sets,
                      .nsets = ra->nsets,
                      .width = ra->width,
                      .height = ra->height,
                      .scale = ra->scale,
                      .check_only = check,
                      .strict_labels = ra->strict_labels};
  shoal_job_stats stats;
  shoal_status st = shoal_job_run(&o, d, &stats);
  shoal_diag_print(d, stderr, ra->verbosity > 0);
  if (st == SHOAL_OK && ra->verbosity > 1)
    fprintf(stderr,
            "shoal: %s: load %.3f s, draw %.3f s, %zu features, %zu vertices read, %zu drawn, "
            "%zu labels placed, %zu dropped\n",
            map, stats.seconds_load, stats.seconds_draw, stats.features, stats.pts_read,
            stats.pts_drawn, stats.labels_placed, stats.labels_dropped);
  if (st == SHOAL_OK && check && ra->verbosity > 0)
    fprintf(stderr, "%s: ok\n", map);
  shoal_diag_free(d);
  return (int)st;
}

/* `check` of a batch file: the file itself, then every job (its map with its overrides). */
static int check_batch(const render_args *ra, const char *path)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return SHOAL_ERR_NOMEM;
  shoal_batch *b = shoal_batch_load(path, d);
  shoal_diag_print(d, stderr, ra->verbosity > 0);
  int rc = b ? 0 : (shoal_diag_status(d) ? (int)shoal_diag_status(d) : SHOAL_ERR_DATA);
  shoal_diag_free(d);
  for (size_t i = 0; b && i < b->njobs; i++) {
    const shoal_batch_job *j = &b->jobs[i];
    shoal_diag *jd = shoal_diag_new();
    if (!jd)
      break;
    shoal_job_opts o = {.map_path = j->map,
                        .sets = (const char *const *)j->sets,
                        .nsets = j->nsets,
                        .width = j->width,
                        .height = j->height,
                        .scale = j->scale,
                        .check_only = true};
    shoal_status st = shoal_job_run(&o, jd, NULL);
    if (st != SHOAL_OK) {
      fprintf(stderr, "%s: job '%s':\n", path, j->name);
      if (!rc)
        rc = (int)st;
    }
    shoal_diag_print(jd, stderr, ra->verbosity > 0 && st != SHOAL_OK);
    shoal_diag_free(jd);
  }
  if (b && !rc && ra->verbosity > 0)
    fprintf(stderr, "%s: ok (%zu jobs)\n", path, b->njobs);
  shoal_batch_free(b);
  return rc;
}

static int cmd_render(int argc, char **argv, bool check)
{
  render_args ra = {0};
  int rc = parse_render_args(argc, argv, &ra, check);
  if (rc == 0 && !check && ra.watch)
    rc = shoal_cmd_watch(ra.map, ra.outputs, ra.noutputs, ra.sets, ra.nsets, ra.width, ra.height,
                         ra.scale, ra.verbosity);
  else if (rc == 0) {
    for (size_t i = 0; i < ra.nmaps; i++) {
      int r = check && shoal_batch_is_batch(ra.maps[i]) ? check_batch(&ra, ra.maps[i])
                                                        : render_once(&ra, ra.maps[i], check);
      if (r && !rc)
        rc = r;
    }
  }
  free_render_args(&ra);
  return rc;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fputs(usage_text, stderr);
    return SHOAL_ERR_USAGE;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage_text, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
    printf("shoal %s\n", SHOAL_VERSION);
    return 0;
  }
  for (int i = 2; i < argc; i++)
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      if (!strcmp(cmd, "info") || !strcmp(cmd, "index") || !strcmp(cmd, "import") ||
          !strcmp(cmd, "batch"))
        break; /* these print their own help */
      fputs(usage_text, stdout);
      return 0;
    }
  if (!strcmp(cmd, "render"))
    return cmd_render(argc - 1, argv + 1, false);
  if (!strcmp(cmd, "check"))
    return cmd_render(argc - 1, argv + 1, true);
  if (!strcmp(cmd, "info"))
    return shoal_cmd_info(argc - 1, argv + 1);
  if (!strcmp(cmd, "index"))
    return shoal_cmd_index(argc - 1, argv + 1);
  if (!strcmp(cmd, "import"))
    return shoal_cmd_import(argc - 1, argv + 1);
  if (!strcmp(cmd, "batch"))
    return shoal_cmd_batch(argc - 1, argv + 1);
  return usage_error("unknown command '%s'", cmd);
}
