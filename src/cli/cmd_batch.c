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

#include "cli/batch.h"
#include "cli/commands.h"
#include "core/job.h"
#include "layer/geocache.h"
#include "draw/text.h"

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
  bool force, tty;
  int verbosity;
  double t0;
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
  for (char *q = buf + 1; *q; q++) {
    if (*q != '/')
      continue;
    *q = 0;
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
      return; /* the render will report why it cannot write */
    *q = '/';
  }
}

static void *worker(void *arg)
{
  runner *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    size_t k = r->next++;
    pthread_mutex_unlock(&r->mu);
    if (k >= r->n)
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
                        .outputs = (const char *const *)j->outputs,
                        .noutputs = j->noutputs,
                        .sets = (const char *const *)j->sets,
                        .nsets = j->nsets,
                        .width = j->width,
                        .height = j->height,
                        .scale = j->scale,
                        .skip_fresh = !r->force,
                        .extra_dep = r->b->path,
                        .cache = r->cache,
                        .geo = r->geo};
    x->st = x->d ? shoal_job_run(&o, x->d, &x->stats) : SHOAL_ERR_NOMEM;
    x->seconds = now_s() - t;
    x->skipped = x->stats.skipped;
    pthread_mutex_lock(&r->mu);
    x->done = true;
    r->finished++;
    r->failed += x->st != SHOAL_OK;
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

/* The report goes through a temporary name too, like every output. */
static int write_report(const runner *r, const char *path, double total)
{
  size_t n = strlen(path) + 16;
  char *tmp = malloc(n);
  if (!tmp)
    return SHOAL_ERR_NOMEM;
  snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
  FILE *f = fopen(tmp, "w");
  if (!f) {
    fprintf(stderr, "shoal: error: cannot write report '%s': %s\n", path, strerror(errno));
    free(tmp);
    return SHOAL_ERR_CANTCREAT;
  }
  fputs("{\n  \"batch\": ", f);
  json_str(f, r->b->path);
  fprintf(f,
          ",\n  \"jobs_total\": %zu,\n  \"jobs_run\": %zu,\n  \"failed\": %zu,\n"
          "  \"up_to_date\": %zu,\n  \"seconds\": %.3f,\n  \"jobs\": [\n",
          r->b->njobs, r->n, r->failed, r->skipped, total);
  for (size_t k = 0; k < r->n; k++) {
    size_t idx = r->order[k];
    const shoal_batch_job *j = &r->b->jobs[idx];
    const result *x = &r->res[idx];
    fputs("    {\"name\": ", f);
    json_str(f, j->name);
    fputs(", \"map\": ", f);
    json_str(f, j->map);
    fputs(", \"status\": ", f);
    json_str(f, !x->done ? "not run" : x->st ? "failed" : x->skipped ? "up-to-date" : "ok");
    fprintf(f, ", \"exit_code\": %d, \"seconds\": %.3f, \"outputs\": [", (int)x->st, x->seconds);
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

static int usage(const char *msg, const char *arg)
{
  fprintf(stderr, "shoal batch: ");
  fprintf(stderr, msg, arg);
  fprintf(stderr, "\nusage: shoal batch BATCH.yaml [-j N] [--force] [--shard I/N] "
                  "[--report FILE.json] [--list] [-q|-v]\n");
  return SHOAL_ERR_USAGE;
}

static bool parse_uint(const char *s, long lo, long hi, long *out)
{
  char *e;
  errno = 0;
  long v = strtol(s, &e, 10);
  if (e == s || *e || errno || v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

int shoal_cmd_batch(int argc, char **argv)
{
  const char *file = NULL, *report = NULL;
  long jobs = sysconf(_SC_NPROCESSORS_ONLN), shard_i = 1, shard_n = 1;
  bool force = false, list = false;
  int verbosity = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      printf("usage: shoal batch BATCH.yaml [-j N] [--force] [--shard I/N] [--report FILE.json] "
             "[--list] [-q|-v]\n");
      return 0;
    } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
      if (i + 1 >= argc || !parse_uint(argv[++i], 1, 256, &jobs))
        return usage("-j needs a number of workers from 1 to 256%s", "");
    } else if (!strncmp(a, "-j", 2) && a[2]) {
      if (!parse_uint(a + 2, 1, 256, &jobs))
        return usage("-j needs a number of workers from 1 to 256, not '%s'", a + 2);
    } else if (!strcmp(a, "--force")) {
      force = true;
    } else if (!strcmp(a, "--list")) {
      list = true;
    } else if (!strcmp(a, "--report")) {
      if (i + 1 >= argc)
        return usage("--report needs a file name%s", "");
      report = argv[++i];
    } else if (!strcmp(a, "--shard")) {
      if (i + 1 >= argc)
        return usage("--shard needs I/N%s", "");
      const char *s = argv[++i], *slash = strchr(s, '/');
      char ib[32];
      if (!slash || (size_t)(slash - s) >= sizeof ib)
        return usage("--shard needs I/N (e.g. 2/4), not '%s'", s);
      memcpy(ib, s, (size_t)(slash - s));
      ib[slash - s] = 0;
      if (!parse_uint(slash + 1, 1, 100000, &shard_n) || !parse_uint(ib, 1, shard_n, &shard_i))
        return usage("--shard needs I/N with 1 <= I <= N, not '%s'", s);
    } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
      verbosity = 0;
    } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
      verbosity = 2;
    } else if (a[0] == '-') {
      return usage("unknown option '%s'", a);
    } else if (file) {
      return usage("one batch file at a time (got '%s' too)", a);
    } else {
      file = a;
    }
  }
  if (!file)
    return usage("needs a batch file%s", "");
  if (access(file, R_OK) != 0) {
    fprintf(stderr, "shoal: error: cannot open batch file '%s': %s\n", file, strerror(errno));
    return SHOAL_ERR_NOINPUT;
  }
  shoal_diag *d = shoal_diag_new();
  shoal_batch *b = d ? shoal_batch_load(file, d) : NULL;
  if (!b) {
    shoal_diag_print(d, stderr, 1);
    int st = d && shoal_diag_status(d) ? (int)shoal_diag_status(d) : SHOAL_ERR_DATA;
    shoal_diag_free(d);
    return st;
  }
  shoal_diag_print(d, stderr, verbosity > 0);
  shoal_diag_free(d);
  runner r = {.b = b, .force = force, .verbosity = verbosity, .tty = isatty(2) == 1};
  r.order = calloc(b->njobs ? b->njobs : 1, sizeof *r.order);
  r.res = calloc(b->njobs ? b->njobs : 1, sizeof *r.res);
  r.cache = shoal_datacache_new();
  r.geo = shoal_geocache_new();
  int rc = 0;
  if (!r.order || !r.res || !r.cache || !r.geo) {
    rc = SHOAL_ERR_NOMEM;
    goto done;
  }
  for (size_t k = 0; k < b->njobs; k++)
    if (shoal_batch_in_shard(k, (unsigned)shard_i, (unsigned)shard_n))
      r.order[r.n++] = k;
  if (list) {
    for (size_t k = 0; k < r.n; k++) {
      const shoal_batch_job *j = &b->jobs[r.order[k]];
      printf("%s", j->name);
      for (size_t i = 0; i < j->noutputs; i++)
        printf("\t%s", j->outputs[i]);
      putchar('\n');
    }
    goto done;
  }
  /* Initialise fontconfig once here: its first use is not safe to race from many threads. */
  shoal_textctx_free(shoal_textctx_new(1));
  pthread_mutex_init(&r.mu, NULL);
  r.t0 = now_s();
  if (jobs > (long)r.n)
    jobs = r.n ? (long)r.n : 1;
  pthread_t th[256];
  long started = 0;
  for (; started < jobs; started++)
    if (pthread_create(&th[started], NULL, worker, &r) != 0)
      break;
  if (started == 0)
    worker(&r);
  for (long i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  double total = now_s() - r.t0;
  pthread_mutex_destroy(&r.mu);
  if (r.tty && verbosity > 0)
    fputc('\n', stderr);
  if (verbosity > 0) {
    size_t builds, hits;
    shoal_geocache_counts(r.geo, &builds, &hits);
    fprintf(stderr,
            "shoal: %zu jobs in %.2f s with %ld workers: %zu ok, %zu up to date, "
            "%zu failed (geometry built %zu times, reused %zu)\n",
            r.n, total, jobs, r.n - r.failed - r.skipped, r.skipped, r.failed, builds, hits);
  }
  if (report)
    rc = write_report(&r, report, total);
  if (r.failed) {
    rc = SHOAL_ERR_DATA;
    for (size_t k = 0; k < r.n; k++)
      if (r.res[r.order[k]].st != SHOAL_OK) {
        rc = (int)r.res[r.order[k]].st;
        break;
      }
  }
done:
  for (size_t k = 0; r.res && k < b->njobs; k++)
    shoal_diag_free(r.res[k].d);
  free(r.res);
  free(r.order);
  shoal_geocache_free(r.geo);
  shoal_datacache_free(r.cache);
  shoal_batch_free(b);
  return rc;
}
