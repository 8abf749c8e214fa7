/* `shoal render --watch`: render, then re-render whenever the map file, an included style or
 * a data file changes (inotify), printing errors without exiting. Folders are watched rather
 * than files because editors save by writing a new file and renaming it over the old one. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/job.h"
#include "data/cache.h"

#define MAX_WATCH 256

typedef struct watchset {
  int fd;
  int wd[MAX_WATCH];
  char *dir[MAX_WATCH];
  size_t ndirs;
  char **files; /* real paths of the inputs */
  size_t nfiles;
} watchset;

static void clear_watch(watchset *w)
{
  for (size_t i = 0; i < w->ndirs; i++) {
    inotify_rm_watch(w->fd, w->wd[i]);
    free(w->dir[i]);
  }
  w->ndirs = 0;
  for (size_t i = 0; i < w->nfiles; i++)
    free(w->files[i]);
  free(w->files);
  w->files = NULL;
  w->nfiles = 0;
}

static void set_watch(watchset *w, char **deps, size_t ndeps)
{
  clear_watch(w);
  w->files = calloc(ndeps ? ndeps : 1, sizeof *w->files);
  if (!w->files)
    return;
  for (size_t i = 0; i < ndeps; i++) {
    char real[PATH_MAX];
    if (!realpath(deps[i], real))
      continue;
    w->files[w->nfiles++] = strdup(real);
    char *slash = strrchr(real, '/');
    if (!slash)
      continue;
    *slash = 0;
    bool have = false;
    for (size_t k = 0; k < w->ndirs && !have; k++)
      have = strcmp(w->dir[k], real) == 0;
    if (have || w->ndirs == MAX_WATCH)
      continue;
    int wd = inotify_add_watch(w->fd, real[0] ? real : "/",
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
    if (wd < 0)
      continue;
    w->wd[w->ndirs] = wd;
    w->dir[w->ndirs++] = strdup(real);
  }
}

/* True when an event names one of the input files. */
static bool relevant(const watchset *w, const struct inotify_event *ev)
{
  if (!ev->len)
    return false;
  for (size_t k = 0; k < w->ndirs; k++) {
    if (w->wd[k] != ev->wd)
      continue;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", w->dir[k], ev->name);
    for (size_t i = 0; i < w->nfiles; i++)
      if (strcmp(w->files[i], path) == 0)
        return true;
  }
  return false;
}

static int render(const shoal_watch_opts *wo, unsigned round, watchset *w)
{
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return SHOAL_ERR_NOMEM;
  char **deps = NULL;
  size_t ndeps = 0;
  /* Data is cached across rounds only within one render: a data file may be what changed. */
  shoal_job_opts o = {.map_path = wo->map,
                      .outputs = wo->outputs,
                      .noutputs = wo->noutputs,
                      .sets = wo->sets,
                      .nsets = wo->nsets,
                      .width = wo->width,
                      .height = wo->height,
                      .scale = wo->scale,
                      .max_pixels = wo->max_pixels,
                      .deps_out = &deps,
                      .ndeps_out = &ndeps,
                      .search = wo->search,
                      .cancel = wo->stop ? &wo->stop->sig : NULL};
  shoal_job_stats stats;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  shoal_status st = shoal_job_run(&o, d, &stats);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  shoal_diag_print(d, stderr, wo->verbosity > 0);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
  if (st == SHOAL_OK)
    fprintf(stderr, "shoal: [%u] rendered %s in %.2f s; watching %zu files\n", round,
            wo->outputs[0], secs, ndeps);
  else if (st == SHOAL_ERR_INTERRUPTED)
    fprintf(stderr, "shoal: [%u] render interrupted; outputs not finished were not written\n",
            round);
  else
    fprintf(stderr, "shoal: [%u] render failed (%s); fix the file and save to try again\n", round,
            shoal_status_str(st));
  if (ndeps)
    set_watch(w, deps, ndeps);
  for (size_t i = 0; i < ndeps; i++)
    free(deps[i]);
  free(deps);
  shoal_diag_free(d);
  return (int)st;
}

int shoal_cli_watch(const shoal_watch_opts *wo)
{
  watchset w = {.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
  if (w.fd < 0) {
    fprintf(stderr, "shoal: error: cannot watch files: %s\n", strerror(errno));
    return SHOAL_ERR_INTERNAL;
  }
  /* Ctrl-C and SIGTERM wake the poll through the stop pipe; a render in progress sees the
   * stop flag and drops its unfinished output. */
  int sfd = wo->stop ? wo->stop->wake[0] : -1;
  unsigned round = 1;
  render(wo, round, &w);
  while (!wo->stop || !atomic_load(&wo->stop->sig)) {
    struct pollfd p[2] = {{.fd = w.fd, .events = POLLIN}, {.fd = sfd, .events = POLLIN}};
    if (poll(p, sfd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (sfd >= 0 && (p[1].revents & POLLIN))
      break;
    bool changed = false;
    /* Drain bursts (an editor's write + rename + attribute change) for 100 ms, then render. */
    for (int quiet = 0; quiet < 2;) {
      char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
      ssize_t len = read(w.fd, buf, sizeof buf);
      if (len <= 0) {
        if (!changed)
          break;
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        quiet++;
        continue;
      }
      quiet = 0;
      for (char *q = buf; q < buf + len;) {
        struct inotify_event *ev = (struct inotify_event *)q;
        changed |= relevant(&w, ev);
        q += sizeof *ev + ev->len;
      }
    }
    if (changed)
      render(wo, ++round, &w);
  }
  fprintf(stderr, "shoal: stopped watching\n");
  clear_watch(&w);
  close(w.fd);
  return wo->stop ? shoal_cli_stop_code(wo->stop, 0) : 0;
}
