/* `shoal render --watch`: render, then re-render whenever the map file, an included style or
 * a data file changes (base/watch.c), printing errors without exiting. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/watch.h"
#include "cli/cli.h"
#include "core/job.h"
#include "data/cache.h"

static int render(const shoal_watch_opts *wo, unsigned round, shoal_watch *w)
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
    shoal_watch_set(w, deps, ndeps);
  for (size_t i = 0; i < ndeps; i++)
    free(deps[i]);
  free(deps);
  shoal_diag_free(d);
  return (int)st;
}

int shoal_cli_watch(const shoal_watch_opts *wo)
{
  shoal_watch *w = shoal_watch_new();
  if (!w) {
    fprintf(stderr, "shoal: error: cannot watch files: %s\n", strerror(errno));
    return SHOAL_ERR_INTERNAL;
  }
  /* Ctrl-C and SIGTERM wake the poll through the stop pipe; a render in progress sees the
   * stop flag and drops its unfinished output. */
  int sfd = wo->stop ? wo->stop->wake[0] : -1;
  unsigned round = 1;
  render(wo, round, w);
  while (!wo->stop || !atomic_load(&wo->stop->sig)) {
    struct pollfd p[2] = {{.fd = shoal_watch_fd(w), .events = POLLIN},
                          {.fd = sfd, .events = POLLIN}};
    if (poll(p, sfd >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    if (sfd >= 0 && (p[1].revents & POLLIN))
      break;
    /* Bursts end after 100 ms of quiet, as before this was shared with serve. */
    if (shoal_watch_drain(w, 50))
      render(wo, ++round, w);
  }
  fprintf(stderr, "shoal: stopped watching\n");
  shoal_watch_free(w);
  return wo->stop ? shoal_cli_stop_code(wo->stop, 0) : 0;
}
