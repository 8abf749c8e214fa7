/* `shoal render` and `shoal check`: draw one map file to PNG/PDF/SVG, or validate map and
 * batch files without drawing. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "config/schema.h"
#include "core/batchfile.h"
#include "core/job.h"

static const char EXITS[] = "0   done\n"
                            "64  usage error\n"
                            "65  bad map, style or data file\n"
                            "66  a map or data file is missing\n"
                            "70  internal error\n"
                            "73  cannot write an output\n"
                            "130 interrupted by SIGINT (Ctrl-C); finished outputs are kept\n"
                            "143 interrupted by SIGTERM; finished outputs are kept";

enum {
  O_OUTPUT,
  O_SIZE,
  O_SCALE,
  O_MAXPX,
  O_SET,
  O_SVGTEXT,
  O_STRICT,
  O_WATCH,
  O_QUIET,
  O_VERBOSE,
  O_FORMAT,
  O_PALETTE
};

static const shoal_cli_opt render_opts[] = {
    [O_OUTPUT] = {.lng = "--output",
                  .shrt = "-o",
                  .arg = "OUT",
                  .help =
                      "file to write; the format comes from the extension (.png, .pdf or .svg). "
                      "Repeat for several outputs drawn from one load. '-' writes to standard "
                      "output (with --format), for pipelines. Required",
                  .complete = SHOAL_COMPLETE_IMAGE},
    [O_SIZE] = {.lng = "--size",
                .arg = "WxH",
                .help =
                    "page size in CSS pixels, 16 to 20000 each, overriding map.size (default: the "
                    "map's)"},
    [O_SCALE] = {.lng = "--scale",
                 .arg = "N",
                 .help =
                     "pixel density from 0.1 to 8: 2 draws twice the pixels with the same layout "
                     "(default: the map's, else 1)"},
    [O_MAXPX] = {.lng = "--max-pixels",
                 .arg = "N",
                 .help = "the most device pixels (width x height x scale squared) a page may "
                         "have; a larger page fails at once with exit 65 (default: 200000000)"},
    [O_SET] = {.lng = "--set",
               .arg = "KEY=VALUE",
               .help = "override a scalar of the map file, e.g. map.background=white or lang=vi; "
                       "repeatable (default: none)"},
    [O_SVGTEXT] = {.lng = "--svg-text",
                   .arg = "MODE",
                   .help = "text in SVG output: 'text' (editable <text> in named layers, for "
                           "Illustrator and Inkscape) or 'outlines' (glyph outlines: no fonts "
                           "needed to show it); the same as --set map.svg-text=MODE (default: "
                           "the map's, else text)"},
    [O_STRICT] = {.lng = "--strict-labels",
                  .help =
                      "a label that cannot be placed is an error (exit 65, no output) rather than "
                      "a warning"},
    [O_WATCH] = {.lng = "--watch",
                 .help =
                     "render, then render again whenever the map, an included style or a data file "
                     "changes, until Ctrl-C"},
    [O_QUIET] = {.lng = "--quiet", .shrt = "-q", .help = "hide warnings"},
    [O_VERBOSE] = {.lng = "--verbose",
                   .shrt = "-v",
                   .help = "print timings and feature, vertex and label counts"},
    [O_FORMAT] = {.lng = "--format",
                  .arg = "png|pdf|svg",
                  .help = "the format of -o - and of any output whose name does not end in .png, "
                          ".pdf or .svg (those keep theirs); needed for -o -"},
    [O_PALETTE] = SHOAL_CLI_OPT_PNG_PALETTE,
};

/* check: the same options minus those about outputs. */
static const shoal_cli_opt check_opts[] = {
    {.lng = "--set",
     .arg = "KEY=VALUE",
     .help = "override a scalar of the map file before checking; repeatable (default: none)"},
    {.lng = "--strict-labels", .help = "accepted for symmetry with render (labels are not placed)"},
    {.lng = "--quiet", .shrt = "-q", .help = "hide warnings and the 'ok' lines"},
    {.lng = "--verbose", .shrt = "-v", .help = "the same as the default"},
};

typedef struct render_args {
  const char **names; /* map names as given */
  size_t nmaps;
  const char **outputs;
  size_t noutputs;
  const char **sets;
  size_t nsets;
  const char *format; /* --format, or NULL */
  int width, height;
  double scale, max_pixels;
  int verbosity;
  int png_palette; /* --png-palette: 2..256, -1 full colour, 0 the map's */
  bool strict_labels, watch, check;
} render_args;

static void done_render(void *args)
{
  render_args *ra = args;
  free(ra->outputs);
  free(ra->sets);
  free(ra->names);
}

/* The option's meaning; render's option indexes, check's mapped onto them. */
static int apply_opt(const shoal_cli_cmd *cmd, render_args *ra, int k, const char *val)
{
  switch (k) {
  case O_OUTPUT: ra->outputs[ra->noutputs++] = val; break;
  case O_SET:
    if (!strchr(val, '='))
      return shoal_cli_usage_error(cmd, "--set needs key=value, not '%s'", val);
    ra->sets[ra->nsets++] = val;
    break;
  case O_SVGTEXT:
    if (strcmp(val, "text") != 0 && strcmp(val, "outlines") != 0)
      return shoal_cli_usage_error(cmd, "--svg-text needs 'text' or 'outlines', not '%s'", val);
    /* A map override like any --set, so that the style key and the option are one setting. */
    ra->sets[ra->nsets++] = val[0] == 't' ? "map.svg-text=text" : "map.svg-text=outlines";
    break;
  case O_SIZE:
    if (!shoal_parse_size(val, &ra->width, &ra->height))
      return shoal_cli_usage_error(
          cmd, "--size needs WIDTHxHEIGHT in pixels (16 to 20000), not '%s'", val);
    break;
  case O_SCALE:
    if (!shoal_parse_double(val, &ra->scale) || ra->scale < 0.1 || ra->scale > 8)
      return shoal_cli_usage_error(cmd, "--scale needs a number from 0.1 to 8, not '%s'", val);
    break;
  case O_MAXPX:
    if (!shoal_parse_double(val, &ra->max_pixels) || ra->max_pixels < 1)
      return shoal_cli_usage_error(cmd, "--max-pixels needs a number of pixels, not '%s'", val);
    break;
  case O_FORMAT:
    if (strcasecmp(val, "png") && strcasecmp(val, "pdf") && strcasecmp(val, "svg"))
      return shoal_cli_usage_error(cmd, "--format needs png, pdf or svg, not '%s'", val);
    ra->format = val;
    break;
  case O_PALETTE: return shoal_cli_png_palette(cmd, val, &ra->png_palette);
  case O_STRICT: ra->strict_labels = true; break;
  case O_WATCH: ra->watch = true; break;
  case O_QUIET: ra->verbosity = 0; break;
  default: ra->verbosity = 2; break;
  }
  return 0;
}

static int on_render(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  /* check's options are a subset of render's, in this order. */
  static const int check_map[] = {O_SET, O_STRICT, O_QUIET, O_VERBOSE};
  render_args *ra = args;
  if (k == SHOAL_CLI_ARG) {
    ra->names[ra->nmaps++] = val;
    return 0;
  }
  return apply_opt(cmd, ra, ra->check ? check_map[k] : k, val);
}

static int parse_render(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                        void *args)
{
  render_args *ra = args;
  size_t cap = (size_t)argc;
  ra->check = cmd == &shoal_cli_check;
  ra->outputs = calloc(cap, sizeof *ra->outputs);
  ra->sets = calloc(cap, sizeof *ra->sets);
  ra->names = calloc(cap, sizeof *ra->names);
  if (!ra->outputs || !ra->sets || !ra->names)
    return SHOAL_ERR_NOMEM;
  ra->verbosity = 1;
  int rc = shoal_cli_walk(cmd, argc, argv, on_render, ra);
  if (rc)
    return rc;
  if (ra->nmaps == 0)
    return shoal_cli_usage_error(cmd, "needs a map file or name");
  if (!ra->check && ra->nmaps > 1)
    return shoal_cli_usage_error(cmd, "takes one map (got '%s' too); use batch for several",
                                 ra->names[1]);
  if (!ra->check && ra->noutputs == 0)
    return shoal_cli_usage_error(cmd, "needs an output: -o OUT.png, OUT.pdf or OUT.svg");
  for (size_t i = 0; ra->watch && i < ra->noutputs; i++)
    if (ra->format || strcmp(ra->outputs[i], "-") == 0)
      return shoal_cli_usage_error(cmd, "--watch writes files: it takes neither -o - nor --format");
  return 0;
}

static int render_once(const shoal_cli *cli, const render_args *ra, const char *map,
                       shoal_cli_stop *stop)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return SHOAL_ERR_NOMEM;
  shoal_job_opts o = {.map_path = map,
                      .outputs = ra->outputs,
                      .noutputs = ra->noutputs,
                      .format = ra->format,
                      .sets = ra->sets,
                      .nsets = ra->nsets,
                      .width = ra->width,
                      .height = ra->height,
                      .scale = ra->scale,
                      .max_pixels = ra->max_pixels,
                      .png_palette = ra->png_palette,
                      .check_only = ra->check,
                      .strict_labels = ra->strict_labels,
                      .search = cli->search,
                      .cancel = stop ? &stop->sig : NULL};
  shoal_job_stats stats;
  shoal_status st = shoal_job_run(&o, d, &stats);
  shoal_diag_print(d, stderr, ra->verbosity > 0);
  if (st == SHOAL_OK && ra->verbosity > 1)
    fprintf(stderr,
            "shoal: %s: load %.3f s, draw %.3f s, %zu features, %zu vertices read, %zu drawn, "
            "%zu labels placed, %zu dropped\n",
            map, stats.seconds_load, stats.seconds_draw, stats.features, stats.pts_read,
            stats.pts_drawn, stats.labels_placed, stats.labels_dropped);
  if (st == SHOAL_OK && ra->check && ra->verbosity > 0)
    fprintf(stderr, "%s: ok\n", map);
  shoal_diag_free(d);
  return (int)st;
}

/* One job of a batch file under `check`; its messages follow the job's name. */
static int check_job(const shoal_cli *cli, const render_args *ra, const char *path,
                     const shoal_batch_job *j)
{
  shoal_diag *jd = shoal_diag_new();
  if (!jd)
    return SHOAL_ERR_NOMEM;
  shoal_job_opts o = {.map_path = j->map,
                      .sets = (const char *const *)j->sets,
                      .nsets = j->nsets,
                      .width = j->width,
                      .height = j->height,
                      .scale = j->scale,
                      .check_only = true,
                      .search = cli->search};
  shoal_status st = shoal_job_run(&o, jd, NULL);
  if (st != SHOAL_OK)
    fprintf(stderr, "%s: job '%s':\n", path, j->name);
  shoal_diag_print(jd, stderr, ra->verbosity > 0 && st != SHOAL_OK);
  shoal_diag_free(jd);
  return (int)st;
}

/* `check` of a batch file: the file itself, then every job (its map with its overrides). */
static int check_batch(const shoal_cli *cli, const render_args *ra, const char *path)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return SHOAL_ERR_NOMEM;
  shoal_batch *b = shoal_batch_load(path, cli->search, d);
  shoal_diag_print(d, stderr, ra->verbosity > 0);
  int rc = b ? 0 : (shoal_diag_status(d) ? (int)shoal_diag_status(d) : SHOAL_ERR_DATA);
  shoal_diag_free(d);
  for (size_t i = 0; b && i < b->njobs; i++) {
    int r = check_job(cli, ra, path, &b->jobs[i]);
    if (r && !rc)
      rc = r;
  }
  if (b && !rc && ra->verbosity > 0)
    fprintf(stderr, "%s: ok (%zu job%s)\n", path, b->njobs, b->njobs == 1 ? "" : "s");
  shoal_batch_free(b);
  return rc;
}

static int run_one(const shoal_cli *cli, const render_args *ra, const char *name,
                   shoal_cli_stop *stop)
{
  int rc;
  char *map = shoal_cli_find_file(cli, name, ra->check ? "file" : "map", &rc);
  if (!map)
    return rc;
  if (ra->watch) {
    shoal_watch_opts w = {.map = map,
                          .outputs = ra->outputs,
                          .noutputs = ra->noutputs,
                          .sets = ra->sets,
                          .nsets = ra->nsets,
                          .width = ra->width,
                          .height = ra->height,
                          .scale = ra->scale,
                          .max_pixels = ra->max_pixels,
                          .verbosity = ra->verbosity,
                          .search = cli->search,
                          .stop = stop};
    rc = shoal_cli_watch(&w);
  } else if (ra->check && shoal_batch_is_batch(map)) {
    rc = check_batch(cli, ra, map);
  } else {
    rc = render_once(cli, ra, map, stop);
  }
  free(map);
  return rc;
}

static int run_render(const shoal_cli *cli, void *args)
{
  const render_args *ra = args;
  int rc = 0;
  /* Drawing stops cleanly on SIGINT/SIGTERM; checking writes nothing and just ends. */
  shoal_cli_stop stop_, *stop = NULL;
  if (!ra->check) {
    stop = shoal_cli_stop_start(&stop_) ? &stop_ : NULL;
    shoal_cli_clean_stale(ra->outputs, ra->noutputs, ra->verbosity);
  }
  for (size_t i = 0; i < ra->nmaps; i++) {
    int r = run_one(cli, ra, ra->names[i], stop);
    if (r && !rc)
      rc = r;
  }
  if (stop) {
    shoal_cli_stop_end(stop);
    if (!ra->watch)
      shoal_cli_stop_report(stop);
    rc = shoal_cli_stop_code(stop, rc);
  }
  return rc;
}

const shoal_cli_cmd shoal_cli_render = {
    .name = "render",
    .summary = "draw one map to PNG, PDF or SVG",
    .synopsis = "shoal render MAP -o OUT.{png,pdf,svg} [-o OUT2 ...] [--size WxH] [--scale N]\n"
                "             [--max-pixels N] [--set KEY=VALUE ...] [--svg-text text|outlines]\n"
                "             [--png-palette N] [--strict-labels] [--watch] [-q|-v]",
    .description =
        "Draws one map file. MAP is a path, or a name looked for along the search path "
        "(the current folder, each folder of $SHOAL_PATH, then the installed styles): "
        "'south-china-sea' finds south-china-sea.yaml. The format comes from each output's "
        "extension; several -o outputs are drawn from one load. PDF keeps vector paths and "
        "real, selectable text. SVG is written for editing: one named layer per map layer and "
        "per furniture element (Inkscape and Illustrator show them as layers), plain fill and "
        "stroke attributes, and every label and title as editable <text>; --svg-text outlines "
        "gives Cairo's SVG with text as glyph outlines instead.\n\n"
        "Output is written to a temporary file beside the target and renamed into place only "
        "when the render succeeded: a failed render leaves no partial file and keeps the "
        "previous one.\n\n"
        "SIGINT (Ctrl-C) or SIGTERM stops a render, also with --watch, before its next layer: "
        "the output in progress is dropped with its temporary file, those finished are kept, "
        "and the exit code is 130 or 143; a second signal stops at once. Temporary files are "
        "named .NAME.shoal-PID@HOST.tmp.XXXXXX; render, batch, index and import remove those in "
        "their output folders whose process, on this host, no longer runs (it was killed).",
    .opts = render_opts,
    .nopts = sizeof render_opts / sizeof render_opts[0],
    .exit_codes = EXITS,
    .examples = {"shoal render south-china-sea -o scs.png -o scs.pdf",
                 "shoal render styles/spratlys.yaml -o spratlys-vi@2x.png --set lang=vi "
                 "--scale 2"},
    .positional = SHOAL_COMPLETE_MAP,
    .args_size = sizeof(render_args),
    .parse = parse_render,
    .run = run_render,
    .done = done_render,
};

const shoal_cli_cmd shoal_cli_check = {
    .name = "check",
    .summary = "validate map and batch files without drawing",
    .synopsis = "shoal check MAP... [--set KEY=VALUE ...] [-q|-v]",
    .description =
        "Loads and validates map and batch files (paths, or names on the search path: "
        "'article' finds article.batch.yaml), resolves their "
        "CRSs, opens every data file and binds every filter, and draws nothing. It reports "
        "every error, not just the first. A batch file is checked as a whole: the file, then "
        "every job's map with the job's overrides.",
    .opts = check_opts,
    .nopts = sizeof check_opts / sizeof check_opts[0],
    .exit_codes = "0   every file is good\n"
                  "64  usage error\n"
                  "65  bad map, style, batch or data file\n"
                  "66  a file is missing\n"
                  "70  internal error",
    .examples = {"shoal check styles/*.yaml", "shoal check south-china-sea --set lang=zh"},
    .positional = SHOAL_COMPLETE_MAP,
    .args_size = sizeof(render_args),
    .parse = parse_render,
    .run = run_render,
    .done = done_render,
};
