/* `shoal zones`: compute maritime limits, median lines, modelled zones, overlaps and claim
 * areas from a land layer and write them as shapefiles and areas.csv. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "cli/cli.h"
#include "zones/zones.h"

enum { O_FIELD, O_BASELINES, O_NM, O_CLAIM, O_STATES, O_OUTPUT, O_JOBS };

static const shoal_cli_opt zones_opts[] = {
    [O_FIELD] = {.lng = "--state-field",
                 .arg = "FIELD",
                 .help = "the land layer's field naming each feature's state (required)"},
    [O_BASELINES] = {.lng = "--baselines",
                     .arg = "B.shp",
                     .help = "straight baselines (lines with the same state field), measured "
                             "from as well as the coast",
                     .complete = SHOAL_COMPLETE_SHP},
    [O_NM] = {.lng = "--nm",
              .arg = "LIST",
              .help = "limits in nautical miles, comma-separated; the largest also gives the "
                      "modelled zones, overlaps and median lines (default: 12,24,200)"},
    [O_CLAIM] = {.lng = "--claim",
                 .arg = "LINE.shp",
                 .help = "a claim line: its dashes joined in file order and closed, intersected "
                         "with each modelled zone (claim.shp)",
                 .complete = SHOAL_COMPLETE_SHP},
    [O_STATES] = {.lng = "--states",
                  .arg = "LIST",
                  .help = "compute zones only for these states (comma-separated values of the "
                          "state field); the others' land is still land (default: all)"},
    [O_OUTPUT] = {.lng = "--output",
                  .shrt = "-o",
                  .arg = "OUTDIR",
                  .help = "folder for the shapefiles and areas.csv, created when missing "
                          "(required)",
                  .complete = SHOAL_COMPLETE_FILE},
    [O_JOBS] = {.lng = "--jobs",
                .shrt = "-j",
                .arg = "N",
                .help = "worker threads, 1 to 64 "
                        "(default: 1)"},
};

#define MAX_NM 16

typedef struct zones_args {
  const char *land, *field, *baselines, *claim, *states, *out;
  double nm[MAX_NM];
  size_t nnm;
  int jobs;
} zones_args;

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int parse_nm(const shoal_cli_cmd *cmd, zones_args *a, const char *v)
{
  a->nnm = 0;
  for (const char *p = v; *p;) {
    char *e;
    errno = 0;
    double x = strtod(p, &e);
    if (e == p || errno || !isfinite(x) || x <= 0 || x > 1000 || a->nnm == MAX_NM ||
        (*e && *e != ','))
      return shoal_cli_usage_error(cmd,
                                   "--nm '%s': expected up to %d distances in nautical miles "
                                   "(0 < nm <= 1000), comma-separated, e.g. 12,24,200",
                                   v, MAX_NM);
    a->nm[a->nnm++] = x;
    p = *e ? e + 1 : e;
  }
  if (a->nnm == 0)
    return shoal_cli_usage_error(cmd, "--nm needs at least one distance");
  qsort(a->nm, a->nnm, sizeof a->nm[0], cmp_double);
  return 0;
}

static int on_zones(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  zones_args *a = args;
  if (k == SHOAL_CLI_ARG) {
    if (a->land)
      return shoal_cli_usage_error(cmd, "more than one land layer ('%s' and '%s')", a->land, val);
    a->land = val;
    return 0;
  }
  if (!*val)
    return shoal_cli_usage_error(cmd, "option '%s' needs a value", cmd->opts[k].lng);
  char *e;
  switch (k) {
  case O_FIELD: a->field = val; break;
  case O_BASELINES: a->baselines = val; break;
  case O_CLAIM: a->claim = val; break;
  case O_STATES: a->states = val; break;
  case O_OUTPUT: a->out = val; break;
  case O_NM: return parse_nm(cmd, a, val);
  default:
    a->jobs = (int)strtol(val, &e, 10);
    if (*val < '0' || *val > '9' || *e || a->jobs < 1 || a->jobs > 64)
      return shoal_cli_usage_error(cmd, "--jobs '%s': expected a number from 1 to 64", val);
  }
  return 0;
}

static int parse_zones(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                       void *args)
{
  (void)cli;
  zones_args *a = args;
  a->nm[0] = 12, a->nm[1] = 24, a->nm[2] = 200, a->nnm = 3, a->jobs = 1;
  int rc = shoal_cli_walk(cmd, argc, argv, on_zones, a);
  if (rc)
    return rc;
  if (!a->land)
    return shoal_cli_usage_error(cmd, "no land layer given");
  if (!a->field)
    return shoal_cli_usage_error(cmd, "no --state-field given");
  if (!a->out)
    return shoal_cli_usage_error(cmd, "no output folder given (-o OUTDIR)");
  return 0;
}

typedef struct progress {
  bool tty;
} progress;

static void on_progress(void *ctx, size_t done, size_t total)
{
  progress *p = ctx;
  if (p->tty)
    fprintf(stderr, "\rzones: %zu/%zu steps", done, total);
}

static int run_zones(const shoal_cli *cli, void *args)
{
  (void)cli;
  zones_args *a = args;
  shoal_diag *d = shoal_diag_new();
  if (!d) {
    fputs("shoal: error: out of memory\n", stderr);
    return SHOAL_ERR_NOMEM;
  }
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  shoal_zones_result r = {0};
  progress pr = {.tty = isatty(2) == 1};
  shoal_zones_opts o = {
      .nm = a->nm, .nnm = a->nnm, .threads = a->jobs, .progress = on_progress, .progress_ctx = &pr};
  shoal_status st = shoal_zones_read(a->land, a->field, a->baselines, a->claim, &in, d);
  if (st == SHOAL_OK && a->states && !shoal_zones_select(&in, a->states, d))
    st = SHOAL_ERR_USAGE;
  if (st == SHOAL_OK && mkdir(a->out, 0777) != 0 && errno != EEXIST) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot create folder '%s': %s", a->out,
                     strerror(errno));
    st = SHOAL_ERR_CANTCREAT;
  }
  if (st == SHOAL_OK)
    st = shoal_zones_compute(&in, &o, &r, d);
  if (pr.tty && st != SHOAL_ERR_USAGE)
    fputc('\n', stderr);
  if (st == SHOAL_OK)
    st = shoal_zones_write(&in, &r, a->field, a->out, d);
  shoal_diag_print(d, stderr, 1);
  if (st == SHOAL_ERR_USAGE)
    shoal_cli_print_synopsis(stderr, &shoal_cli_zones);
  else if (st == SHOAL_OK)
    printf("wrote %s: %zu states, %zu features\n", a->out, in.nstates, r.n);
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
  shoal_diag_free(d);
  return (int)st;
}

const shoal_cli_cmd shoal_cli_zones = {
    .name = "zones",
    .summary = "compute maritime limits, median lines and modelled zones from coastlines",
    .synopsis = "shoal zones LAND.shp --state-field FIELD -o OUTDIR [--baselines B.shp]\n"
                "            [--nm 12,24,200] [--claim LINE.shp] [--states LIST] [-j N]",
    .description =
        "Computes, for each state named by FIELD in the land layer (polygons, longitude and "
        "latitude on WGS84): the sea within each --nm distance of its baselines (its coast, not "
        "its land borders with other states, and its straight baselines where --baselines gives "
        "them) with land removed; the median "
        "line between every two states whose outer limits overlap; each state's modelled zone "
        "(its outer limit up to the median lines); the overlapping entitlements; and, with "
        "--claim, the part of each modelled zone inside the closed claim line. Distances are "
        "geodesic on the WGS84 ellipsoid, to within 0.1 nautical mile; areas are geodesic, in "
        "km2 and nm2.\n\n"
        "Writes limits.shp, limit_lines.shp, zones.shp, overlaps.shp, medians.shp, claim.shp "
        "(with --claim) and areas.csv into OUTDIR. They are a model, not legal boundaries: no "
        "treaty or court decision is taken into account. Progress is shown on a terminal.",
    .opts = zones_opts,
    .nopts = sizeof zones_opts / sizeof zones_opts[0],
    .exit_codes = "0   done\n"
                  "64  usage error (also an unknown --state-field)\n"
                  "65  bad input data (a land layer of points or lines, an empty layer)\n"
                  "66  an input is missing\n"
                  "70  internal error\n"
                  "73  cannot write the output",
    .examples = {"shoal zones tests/data/zones/pair.shp --state-field state --nm 12,200 --claim "
                 "tests/data/zones/claim.shp -o out/zones-demo -j 2",
                 "shoal zones shapes/land_states.shp --state-field iso2 --states KH,VN --nm 200 "
                 "-o out/zones -j 2"},
    .positional = SHOAL_COMPLETE_SHP,
    .args_size = sizeof(zones_args),
    .parse = parse_zones,
    .run = run_zones,
};
