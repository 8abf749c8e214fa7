/* Input-file watching with inotify (watch.h): the folders of the files, filtered by name. */
#include "base/watch.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"

#define MAX_WATCH 256

struct shoal_watch {
  int fd;
  int wd[MAX_WATCH];
  char *dir[MAX_WATCH];
  size_t ndirs;
  char **files; /* real paths of the inputs */
  size_t nfiles;
};

shoal_watch *shoal_watch_new(void)
{
  shoal_watch *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w->fd < 0) {
    free(w);
    return NULL;
  }
  return w;
}

static void clear_watch(shoal_watch *w)
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

void shoal_watch_free(shoal_watch *w)
{
  if (!w)
    return;
  clear_watch(w);
  close(w->fd);
  free(w);
}

int shoal_watch_fd(const shoal_watch *w) { return w->fd; }

/* Watch the folder of real path `real` (cut at its last '/'), once. */
static void add_folder(shoal_watch *w, char *real)
{
  char *slash = strrchr(real, '/');
  if (!slash)
    return;
  *slash = 0;
  for (size_t k = 0; k < w->ndirs; k++)
    if (strcmp(w->dir[k], real) == 0)
      return;
  if (w->ndirs == MAX_WATCH)
    return;
  int wd = inotify_add_watch(w->fd, real[0] ? real : "/",
                             IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
  if (wd < 0)
    return;
  w->dir[w->ndirs] = shoal_strdup(real);
  if (!w->dir[w->ndirs]) {
    inotify_rm_watch(w->fd, wd);
    return;
  }
  w->wd[w->ndirs++] = wd;
}

void shoal_watch_set(shoal_watch *w, char *const *files, size_t n)
{
  clear_watch(w);
  w->files = calloc(n ? n : 1, sizeof *w->files);
  if (!w->files)
    return;
  for (size_t i = 0; i < n; i++) {
    char real[PATH_MAX];
    if (!realpath(files[i], real))
      continue;
    if (!(w->files[w->nfiles] = shoal_strdup(real)))
      continue;
    w->nfiles++;
    add_folder(w, real);
  }
}

/* True when an event names one of the input files. */
static bool relevant(const shoal_watch *w, const struct inotify_event *ev)
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

bool shoal_watch_drain(shoal_watch *w, int step_ms)
{
  bool changed = false;
  /* Two quiet reads step_ms apart end a burst. */
  for (int quiet = 0; quiet < 2;) {
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len = read(w->fd, buf, sizeof buf);
    if (len <= 0) {
      if (!changed)
        break;
      struct timespec ts = {step_ms / 1000, (long)(step_ms % 1000) * 1000 * 1000};
      nanosleep(&ts, NULL);
      quiet++;
      continue;
    }
    quiet = 0;
    for (char *q = buf; q < buf + len;) {
      struct inotify_event *ev = (struct inotify_event *)q;
      changed |= relevant(w, ev);
      q += sizeof *ev + ev->len;
    }
  }
  return changed;
}
