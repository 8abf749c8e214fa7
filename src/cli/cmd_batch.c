/* `shoal batch`: run a batch file's jobs on N worker threads that share the data and the
 * prepared geometry, with a progress bar (or one line per job), a JSON report and sharding. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "config/schema.h"
#include "core/batchfile.h"
#include "core/job.h"
#include "layer/geocache.h"
#include "draw/surface.h"

typedef struct result {
  shoal_status st;
  bool done, skipped;
  double seconds;
  shoal_diag *d;
  shoal_job_stats stats;
} result;

typedef struct runner {
  shoal_batch *b;
  size_t *order; /* indexes of the jobs this shard runs */
  size_t n;
  size_t next, finished, failed, skipped;
  result *res;
  pthread_mutex_t mu;
  shoal_datacache *cache;
  shoal_geocache *geo;
  const shoal_searchpath *search;
  shoal_cli_stop *stop; /* NULL when signals keep their default action */
  size_t interrupted;   /* jobs stopped part-way by a signal */
  bool force, tty;
  int verbosity, png_palette;
  int threads_per_job; /* the cores each of the jobs running at once may draw a PNG on */
  double t0;
  double max_pixels; /* --max-pixels, 0 = the default budget */
} runner;

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void progress(runner *r)
{
  double el = now_s() - r->t0;
  size_t done = r->finished;
  double eta = done ? el / (double)done * (double)(r->n - done) : 0;
  int width = 30, fill = r->n ? (int)(width * done / r->n) : width;
  char bar[64];
  for (int i = 0; i < width; i++)
    bar[i] = i < fill ? '#' : '-';
  bar[width] = 0;
  fprintf(stderr, "\r[%s] %zu/%zu jobs, %zu failed, %zu up to date, %.0fs elapsed, ETA %.0fs  ",
          bar, done, r->n, r->failed, r->skipped, el, eta);
  fflush(stderr);
}

static void report_line(runner *r, size_t idx)
{
  const shoal_batch_job *j = &r->b->jobs[idx];
  const result *x = &r->res[idx];
  if (x->st == SHOAL_ERR_INTERRUPTED) {
    if (r->verbosity > 0)
      fprintf(stderr, "%sinterrupted %s\n", r->tty ? "\r\033[K" : "", j->name);
    return;
  }
  if (x->st != SHOAL_OK) {
    /* The failing job's messages, indented under its name, so several failures read apart. */
    fprintf(stderr, "%sFAILED %s (%s)\n", r->tty ? "\r\033[K" : "", j->name,
            shoal_status_str(x->st));
    shoal_diag_print(x->d, stderr, r->verbosity > 0);
    return;
  }
  if (r->tty && r->verbosity < 2) {
    if (r->verbosity > 0 && shoal_diag_nwarnings(x->d)) {
      fprintf(stderr, "\r\033[K");
      shoal_diag_print(x->d, stderr, 1);
    }
    return;
  }
  if (r->verbosity == 0)
    return;
  fprintf(stderr, "%s %s %.2f s ->", x->skipped ? "up-to-date" : "ok", j->name, x->seconds);
  for (size_t i = 0; i < j->noutputs; i++)
    fprintf(stderr, " %s", j->outputs[i]);
  fputc('\n', stderr);
  shoal_diag_print(x->d, stderr, 1);
}

static void make_parents(const char *path)
{
  char buf[4096];
  size_t n = strlen(path);
  if (n >= sizeof buf)
    return;
  memcpy(buf, path, n + 1);
  for (char *q = strchr(buf + 1, '/'); q; *q = '/', q = strchr(q + 1, '/')) {
    *q = 0;
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return; /* the render will report why it cannot write */
  }
}

static void *worker(void *arg)
{
  runner *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    size_t k = r->next++;
    pthread_mutex_unlock(&r->mu);
    /* After a signal no job starts; those running stop at their next check. */
    if (k >= r->n || (r->stop && atomic_load(&r->stop->sig)))
      break;
    size_t idx = r->order[k];
    const shoal_batch_job *j = &r->b->jobs[idx];
    result *x = &r->res[idx];
    x->d = shoal_diag_new();
    double t = now_s();
    /* Output templates name folders ("out/article/..."); make them like `mkdir -p`. */
    for (size_t i = 0; i < j->noutputs; i++)
      make_parents(j->outputs[i]);
    shoal_job_opts o = {.map_path = j->map,
                        .search = r->search,
                        .outputs = (const char *const *)j->outputs,
                        .noutputs = j->noutputs,
                        .sets = (const char *const *)j->sets,
                        .nsets = j->nsets,
                        .width = j->width,
                        .height = j->height,
                        .scale = j->scale,
                        .max_pixels = r->max_pixels,
                        .png_palette = r->png_palette,
                        .threads = r->threads_per_job,
                        .skip_fresh = !r->force,
                        .extra_dep = r->b->path,
                        .cache = r->cache,
                        .geo = r->geo,
                        .cancel = r->stop ? &r->stop->sig : NULL};
    x->st = x->d ? shoal_job_run(&o, x->d, &x->stats) : SHOAL_ERR_NOMEM;
    x->seconds = now_s() - t;
    x->skipped = x->stats.skipped;
    pthread_mutex_lock(&r->mu);
    x->done = true;
    r->finished++;
    r->interrupted += x->st == SHOAL_ERR_INTERRUPTED;
    r->failed += x->st != SHOAL_OK && x->st != SHOAL_ERR_INTERRUPTED;
    r->skipped += x->skipped;
    report_line(r, idx);
    if (r->tty && r->verbosity > 0)
      progress(r);
    pthread_mutex_unlock(&r->mu);
  }
  return NULL;
}

static void json_str(FILE *f, const char *s)
{
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", f);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void json_msgs(FILE *f, const shoal_diag *d, shoal_severity sev)
{
  fputc('[', f);
  bool first = true;
  for (size_t i = 0; d && i < shoal_diag_count(d); i++) {
    const shoal_msg *m = shoal_diag_get(d, i);
    if (m->sev != sev)
      continue;
    char buf[2048];
    if (m->file && m->line)
      snprintf(buf, sizeof buf, "%s:%d:%d: %s", m->file, m->line, m->col, m->text);
    else if (m->file)
      snprintf(buf, sizeof buf, "%s: %s", m->file, m->text);
    else
      snprintf(buf, sizeof buf, "%s", m->text);
    fputs(first ? "" : ", ", f);
    json_str(f, buf);
    first = false;
  }
  fputc(']', f);
}

/* A job's status word in the report. */
static const char *status_word(const result *x)
{
  if (!x->done)
    return "not run";
  if (x->st == SHOAL_ERR_INTERRUPTED)
    return "interrupted";
  return x->st ? "failed" : x->skipped ? "up-to-date" : "ok";
}

/* The report goes through a temporary name too, like every output. */
static int write_report(const runner *r, const char *path, double total)
{
  char *tmp;
  int fd = shoal_surface_tmp_open(path, &tmp);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    fprintf(stderr, "shoal: error: cannot write report '%s': %s\n", path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(tmp);
    }
    free(tmp);
    return SHOAL_ERR_CANTCREAT;
  }
  int sig = r->stop ? atomic_load(&r->stop->sig) : 0;
  fputs("{\n  \"batch\": ", f);
  json_str(f, r->b->path);
  fprintf(f,
          ",\n  \"jobs_total\": %zu,\n  \"jobs_run\": %zu,\n  \"failed\": %zu,\n"
          "  \"up_to_date\": %zu,\n  \"interrupted\": %s,\n  \"seconds\": %.3f,\n"
          "  \"jobs\": [\n",
          r->b->njobs, r->n, r->failed, r->skipped, sig ? "true" : "false", total);
  for (size_t k = 0; k < r->n; k++) {
    size_t idx = r->order[k];
    const shoal_batch_job *j = &r->b->jobs[idx];
    const result *x = &r->res[idx];
    fputs("    {\"name\": ", f);
    json_str(f, j->name);
    fputs(", \"map\": ", f);
    json_str(f, j->map);
    fputs(", \"status\": ", f);
    json_str(f, status_word(x));
    int code = x->st == SHOAL_ERR_INTERRUPTED && sig ? 128 + sig : (int)x->st;
    fprintf(f, ", \"exit_code\": %d, \"seconds\": %.3f, \"outputs\": [", code, x->seconds);
    for (size_t i = 0; i < j->noutputs; i++) {
      fputs(i ? ", " : "", f);
      json_str(f, j->outputs[i]);
    }
    fprintf(f,
            "], \"features\": %zu, \"labels_placed\": %zu, \"labels_dropped\": %zu,\n"
            "     \"errors\": ",
            x->stats.features, x->stats.labels_placed, x->stats.labels_dropped);
    json_msgs(f, x->d, SHOAL_SEV_ERROR);
    fputs(", \"warnings\": ", f);
    json_msgs(f, x->d, SHOAL_SEV_WARNING);
    fprintf(f, "}%s\n", k + 1 < r->n ? "," : "");
  }
  fputs("  ]\n}\n", f);
  bool ok = !ferror(f);
  ok &= fclose(f) == 0;
  ok = ok && rename(tmp, path) == 0;
  if (!ok) {
    fprintf(stderr, "shoal: error: cannot write report '%s'\n", path);
    unlink(tmp);
  }
  free(tmp);
  return ok ? 0 : SHOAL_ERR_CANTCREAT;
}

static bool parse_uint(const char *s, long lo, long hi, long *out)
{
  char *e;
  if (*s < '0' || *s > '9') /* strtol would take " 2" and "+2" */
    return false;
  errno = 0;
  long v = strtol(s, &e, 10);
  if (e == s || *e || errno || v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

enum { O_JOBS, O_FORCE, O_SHARD, O_MAXPX, O_REPORT, O_LIST, O_QUIET, O_VERBOSE, O_PALETTE };

static const shoal_cli_opt batch_opts[] = {
    [O_JOBS] =
        {.lng = "--jobs",
         .shrt = "-j",
         .arg = "N",
         .help = "worker threads, 1 to 256 (default: the number of cores; never more than jobs)"},
    [O_FORCE] = {.lng = "--force",
                 .help =
                     "render every job, also those whose outputs are newer than all their inputs"},
    [O_SHARD] = {.lng = "--shard",
                 .arg = "I/N",
                 .help =
                     "run only the jobs k (0-based) with k mod N = I-1, so N machines each given "
                     "one I cover every job once (default: 1/1, all jobs)"},
    [O_MAXPX] = {.lng = "--max-pixels",
                 .arg = "N",
                 .help = "the most device pixels (width x height x scale squared) a job's page "
                         "may have; a job with a larger page fails with exit 65 (default: "
                         "200000000)"},
    [O_REPORT] = {.lng = "--report",
                  .arg = "FILE.json",
                  .help = "write each job's outputs, timings, warnings, errors and status as JSON "
                          "(default: no report)",
                  .complete = SHOAL_COMPLETE_JSON},
    [O_LIST] = {.lng = "--list",
                .help =
                    "print the expanded jobs and their outputs, one per line, and render nothing"},
    [O_QUIET] = {.lng = "--quiet", .shrt = "-q", .help = "print only failures"},
    [O_VERBOSE] = {.lng = "--verbose",
                   .shrt = "-v",
                   .help = "one line per job, also on a terminal"},
    [O_PALETTE] = SHOAL_CLI_OPT_PNG_PALETTE,
};

typedef struct batch_args {
  const char *name, *report;
  long jobs, shard_i, shard_n;
  double max_pixels;
  bool force, list;
  int verbosity, png_palette; /* png_palette: as render_args' */
} batch_args;

static bool parse_shard(const char *s, long *i, long *n)
{
  const char *slash = strchr(s, '/');
  char ib[32];
  if (!slash || (size_t)(slash - s) >= sizeof ib)
    return false;
  memcpy(ib, s, (size_t)(slash - s));
  ib[slash - s] = 0;
  return parse_uint(slash + 1, 1, 100000, n) && parse_uint(ib, 1, *n, i);
}

static int batch_opt(const shoal_cli_cmd *cmd, batch_args *a, int k, const char *val)
{
  switch (k) {
  case O_JOBS:
    if (!parse_uint(val, 1, 256, &a->jobs))
      return shoal_cli_usage_error(cmd, "-j needs a number of workers from 1 to 256, not '%s'",
                                   val);
    break;
  case O_SHARD:
    if (!parse_shard(val, &a->shard_i, &a->shard_n))
      return shoal_cli_usage_error(cmd, "--shard needs I/N with 1 <= I <= N (e.g. 2/4), not '%s'",
                                   val);
    break;
  case O_MAXPX:
    if (!shoal_parse_double(val, &a->max_pixels) || a->max_pixels < 1)
      return shoal_cli_usage_error(cmd, "--max-pixels needs a number of pixels, not '%s'", val);
    break;
  case O_FORCE: a->force = true; break;
  case O_LIST: a->list = true; break;
  case O_REPORT: a->report = val; break;
  case O_PALETTE: return shoal_cli_png_palette(cmd, val, &a->png_palette);
  case O_QUIET: a->verbosity = 0; break;
  default: a->verbosity = 2; break;
  }
  return 0;
}

static int on_batch(const shoal_cli_cmd *cmd, int k, const char *val, void *args)
{
  batch_args *a = args;
  if (k == SHOAL_CLI_ARG && a->name)
    return shoal_cli_usage_error(cmd, "one batch file at a time (got '%s' too)", val);
  if (k == SHOAL_CLI_ARG) {
    a->name = val;
    return 0;
  }
  return batch_opt(cmd, a, k, val);
}

static int parse_batch(const shoal_cli_cmd *cmd, const shoal_cli *cli, int argc, char **argv,
                       void *args)
{
  batch_args *a = args;
  *a = (batch_args){
      .jobs = sysconf(_SC_NPROCESSORS_ONLN), .shard_i = 1, .shard_n = 1, .verbosity = 1};
  if (a->jobs < 1 || a->jobs > 256)
    a->jobs = a->jobs < 1 ? 1 : 256;
  int rc = shoal_cli_walk(cmd, argc, argv, on_batch, a);
  if (rc)
    return rc;
  if (!a->name)
    return shoal_cli_usage_error(cmd, "needs a batch file or name");
  return 0;
}

/* The batch file, found and expanded; NULL after printing why not (*rc the exit code). */
static shoal_batch *load(const shoal_cli *cli, const batch_args *a, int *rc)
{
  char *file = shoal_cli_find_file(cli, a->name, "batch", rc);
  if (!file)
    return NULL;
  shoal_batch *b = NULL;
  if (access(file, R_OK) != 0) {
    fprintf(stderr, "shoal: error: cannot open batch file '%s': %s\n", file, strerror(errno));
    *rc = SHOAL_ERR_NOINPUT;
    free(file);
    return NULL;
  }
  shoal_diag *d = shoal_diag_new();
  b = d ? shoal_batch_load(file, cli->search, d) : NULL;
  shoal_diag_print(d, stderr, !b || a->verbosity > 0);
  *rc = d && shoal_diag_status(d) ? (int)shoal_diag_status(d) : b ? 0 : SHOAL_ERR_DATA;
  shoal_diag_free(d);
  free(file);
  return b;
}

static void list_jobs(const runner *r)
{
  for (size_t k = 0; k < r->n; k++) {
    const shoal_batch_job *j = &r->b->jobs[r->order[k]];
    printf("%s", j->name);
    for (size_t i = 0; i < j->noutputs; i++)
      printf("\t%s", j->outputs[i]);
    putchar('\n');
  }
}

/* Run r's jobs on up to `jobs` threads (or this one, if none can start); the workers used. */
static long run_pool(runner *r, long jobs)
{
  pthread_mutex_init(&r->mu, NULL);
  r->t0 = now_s();
  if (jobs > (long)r->n)
    jobs = r->n ? (long)r->n : 1;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  r->threads_per_job = cores > jobs ? (int)(cores / jobs) : 1;
  pthread_t th[256];
  long started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&th[started], NULL, worker, r) != 0)
      break;
  if (started == 0)
    worker(r);
  for (long i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&r->mu);
  return started ? started : 1;
}

/* The closing line, the report, and the exit code: that of the first failed job. */
static int summary(const runner *r, const batch_args *a, long workers, double total)
{
  if (r->tty && a->verbosity > 0)
    fputc('\n', stderr);
  if (a->verbosity > 0) {
    size_t builds, hits;
    shoal_geocache_counts(r->geo, &builds, &hits);
    size_t notrun = r->n - r->finished, ok = r->finished - r->failed - r->skipped - r->interrupted;
    fprintf(stderr,
            "shoal: %zu job%s in %.2f s with %ld worker%s: %zu ok, %zu up to date, "
            "%zu failed (geometry built %zu times, reused %zu)\n",
            r->n, r->n == 1 ? "" : "s", total, workers, workers == 1 ? "" : "s", ok, r->skipped,
            r->failed, builds, hits);
    if (r->interrupted || notrun)
      fprintf(stderr, "shoal: %zu job%s interrupted, %zu not run\n", r->interrupted,
              r->interrupted == 1 ? "" : "s", notrun);
  }
  int rc = a->report ? write_report(r, a->report, total) : 0;
  for (size_t k = 0; r->failed && k < r->n; k++) {
    shoal_status st = r->res[r->order[k]].st;
    if (st != SHOAL_OK && st != SHOAL_ERR_INTERRUPTED)
      return (int)st;
  }
  return r->failed ? SHOAL_ERR_DATA : rc;
}

/* The outputs of the shard's jobs and the report, for shoal_cli_clean_stale. */
static void clean_stale(const runner *r, const batch_args *a)
{
  size_t n = a->report ? 1 : 0;
  for (size_t k = 0; k < r->n; k++)
    n += r->b->jobs[r->order[k]].noutputs;
  const char **all = calloc(n ? n : 1, sizeof *all);
  if (!all)
    return;
  n = 0;
  if (a->report)
    all[n++] = a->report;
  for (size_t k = 0; k < r->n; k++) {
    const shoal_batch_job *j = &r->b->jobs[r->order[k]];
    for (size_t i = 0; i < j->noutputs; i++)
      all[n++] = j->outputs[i];
  }
  shoal_cli_clean_stale(all, n, a->verbosity);
  free(all);
}

/* Run the jobs, stopping cleanly on SIGINT/SIGTERM: no job starts after one, the running ones
 * drop their unfinished output, the report is written, and the exit code is 130 or 143. */
static int run_jobs(runner *r, const batch_args *a)
{
  shoal_cli_stop stop;
  r->stop = shoal_cli_stop_start(&stop) ? &stop : NULL;
  clean_stale(r, a);
  long workers = run_pool(r, a->jobs);
  int rc = summary(r, a, workers, now_s() - r->t0);
  if (r->stop) {
    shoal_cli_stop_end(r->stop);
    shoal_cli_stop_report(r->stop);
    rc = shoal_cli_stop_code(r->stop, rc);
    r->stop = NULL;
  }
  return rc;
}

static int run_batch(const shoal_cli *cli, void *args)
{
  const batch_args *a = args;
  int rc;
  shoal_batch *b = load(cli, a, &rc);
  if (!b)
    return rc;
  runner r = {.b = b,
              .force = a->force,
              .max_pixels = a->max_pixels,
              .png_palette = a->png_palette,
              .verbosity = a->verbosity,
              .tty = isatty(2) == 1,
              .search = cli->search};
  r.order = calloc(b->njobs ? b->njobs : 1, sizeof *r.order);
  r.res = calloc(b->njobs ? b->njobs : 1, sizeof *r.res);
  r.cache = shoal_datacache_new();
  r.geo = shoal_geocache_new();
  if (!r.order || !r.res || !r.cache || !r.geo) {
    rc = SHOAL_ERR_NOMEM;
  } else {
    for (size_t k = 0; k < b->njobs; k++)
      if (shoal_batch_in_shard(k, (unsigned)a->shard_i, (unsigned)a->shard_n))
        r.order[r.n++] = k;
    if (a->list)
      list_jobs(&r);
    else
      rc = run_jobs(&r, a);
  }
  for (size_t k = 0; r.res && k < b->njobs; k++)
    shoal_diag_free(r.res[k].d);
  free(r.res);
  free(r.order);
  shoal_geocache_free(r.geo);
  shoal_datacache_free(r.cache);
  shoal_batch_free(b);
  return rc;
}

const shoal_cli_cmd shoal_cli_batch = {
    .name = "batch",
    .summary = "render a batch file's jobs on several threads",
    .synopsis = "shoal batch BATCH [-j N] [--force] [--shard I/N] [--max-pixels N]\n"
                "            [--report FILE.json] [--png-palette N] [--list] [-q|-v]",
    .description =
        "Renders the jobs of a batch file (maps x matrix values x formats) in one process. "
        "BATCH is a path, or a name looked for along the search path: 'article' finds "
        "article.batch.yaml. A job's map: is looked for beside the batch file, then along the "
        "search path. Relative output paths are relative to the current directory, as with "
        "'shoal render -o': 'shoal batch article' writes into ./out/article/ wherever the "
        "batch file lives.\n\n"
        "Each data file is read and indexed once, and projected, clipped and simplified "
        "geometry is shared by jobs with the same CRS, extent and size. A failing job is "
        "reported with its name and reason and the others still finish. Outputs newer than "
        "every input (the map, its includes, its data, the batch file) are skipped unless "
        "--force. On a terminal a progress bar shows counts and ETA; otherwise one line per "
        "job.\n\n"
        "SIGINT (Ctrl-C) or SIGTERM (as Slurm and Kubernetes stop jobs) starts no more jobs; "
        "running ones drop the output in progress with its temporary file, finished outputs are "
        "kept, the report is written, and the exit code is 130 or 143. Run the batch again to "
        "finish: outputs already done are up to date. Temporary files a killed run left in the "
        "output folders are removed.",
    .opts = batch_opts,
    .nopts = sizeof batch_opts / sizeof batch_opts[0],
    .exit_codes = "0   every job done\n"
                  "64  usage error\n"
                  "65  bad batch file, or the first failed job's bad map or data\n"
                  "66  the batch file, or the first failed job's input, is missing\n"
                  "70  internal error\n"
                  "73  cannot write an output or the report\n"
                  "130 interrupted by SIGINT (Ctrl-C); finished outputs are kept\n"
                  "143 interrupted by SIGTERM; finished outputs are kept",
    .examples = {"shoal batch article -j 2 --report out/article-report.json",
                 "shoal batch styles/article.batch.yaml --shard 2/4 --list"},
    .positional = SHOAL_COMPLETE_BATCH,
    .args_size = sizeof(batch_args),
    .parse = parse_batch,
    .run = run_batch,
};
