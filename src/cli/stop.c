/* Stopping cleanly on SIGINT and SIGTERM: the signals are blocked in every thread and one thread
 * waits for them with sigwait, so nothing runs in a signal handler; it sets a flag that the jobs
 * check between outputs (removing the temporary file of an output in progress) and wakes a
 * poll() through a pipe. A second signal stops at once: what is left then is removed by the
 * next run (shoal_surface_clean_stale). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "cli/cli.h"
#include "draw/surface.h"

static void stop_signals(sigset_t *set)
{
  sigemptyset(set);
  sigaddset(set, SIGINT);
  sigaddset(set, SIGTERM);
}

static const char *signal_name(int sig) { return sig == SIGINT ? "SIGINT" : "SIGTERM"; }

static void *waiter(void *arg)
{
  shoal_cli_stop *s = arg;
  sigset_t set;
  stop_signals(&set);
  for (;;) {
    int sig;
    if (sigwait(&set, &sig) != 0)
      continue;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&s->sig, &expected, sig)) {
      /* Asked twice: the user (or the scheduler's grace period) will not wait. */
      static const char msg[] = "\nshoal: interrupted again: stopping now\n";
      if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to do about a closed stderr */
      }
      _exit(128 + sig);
    }
    if (s->wake[1] >= 0 && write(s->wake[1], "x", 1) < 0) {
      /* the pipe is full, so a poll() wakes anyway */
    }
  }
  return NULL;
}

bool shoal_cli_stop_start(shoal_cli_stop *s)
{
  atomic_init(&s->sig, 0);
  s->wake[0] = s->wake[1] = -1;
  s->running = false;
  sigset_t set;
  stop_signals(&set);
  /* Blocked before any worker thread exists, so every thread inherits the mask and only the
   * waiter ever receives the signals. */
  if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
    return false;
  if (pipe(s->wake) != 0) {
    s->wake[0] = s->wake[1] = -1;
  } else {
    /* Never block the waiter on a full pipe, never leak it into a child. */
    for (int i = 0; i < 2; i++) {
      fcntl(s->wake[i], F_SETFL, O_NONBLOCK);
      fcntl(s->wake[i], F_SETFD, FD_CLOEXEC);
    }
  }
  if (pthread_create(&s->thread, NULL, waiter, s) != 0) {
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    shoal_cli_stop_end(s);
    return false;
  }
  s->running = true;
  return true;
}

void shoal_cli_stop_end(shoal_cli_stop *s)
{
  if (s->running) {
    /* sigwait is a cancellation point. The signals stay blocked: the process is about to
     * exit with the code that says whether it was interrupted. */
    pthread_cancel(s->thread);
    pthread_join(s->thread, NULL);
    s->running = false;
  }
  for (int i = 0; i < 2; i++)
    if (s->wake[i] >= 0)
      close(s->wake[i]);
  s->wake[0] = s->wake[1] = -1;
}

int shoal_cli_stop_code(const shoal_cli_stop *s, int rc)
{
  int sig = atomic_load(&s->sig);
  return sig ? 128 + sig : rc;
}

void shoal_cli_stop_report(const shoal_cli_stop *s)
{
  int sig = atomic_load(&s->sig);
  if (sig)
    fprintf(stderr, "shoal: interrupted by %s; outputs not finished were not written\n",
            signal_name(sig));
}

/* ---------------------------------------------------------------- stale temporary files */

/* The folder of an output path: "" for the current one, "/" for the root. Caller frees. */
static char *folder_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  return shoal_strndup(path, !slash ? 0 : slash == path ? 1 : (size_t)(slash - path));
}

void shoal_cli_clean_stale(const char *const *outputs, size_t n, int verbosity)
{
  char **dirs = NULL;
  size_t ndirs = 0, cap = 0;
  for (size_t i = 0; i < n; i++) {
    char *dir = folder_of(outputs[i]);
    bool seen = !dir;
    /* Each folder once; a batch has many outputs but few folders. */
    for (size_t k = 0; k < ndirs && !seen; k++)
      seen = strcmp(dirs[k], dir) == 0;
    if (seen || !SHOAL_GROW(&dirs, &cap, ndirs + 1, 8, n)) {
      free(dir);
      continue;
    }
    dirs[ndirs++] = dir;
    size_t removed = shoal_surface_clean_stale(dir);
    if (removed && verbosity > 0)
      fprintf(stderr,
              "shoal: removed %zu temporary file%s left in '%s' by an interrupted Shoal run\n",
              removed, removed == 1 ? "" : "s", dir[0] ? dir : ".");
  }
  for (size_t k = 0; k < ndirs; k++)
    free(dirs[k]);
  free(dirs);
}
