/* Watching a map's input files for changes (inotify), shared by `shoal render --watch` and
 * `shoal serve`. Folders are watched rather than files because editors save by writing a new
 * file and renaming it over the old one. */
#ifndef SHOAL_WATCH_H
#define SHOAL_WATCH_H

#include <stdbool.h>
#include <stddef.h>

typedef struct shoal_watch shoal_watch;

/* A watch with no files yet. NULL with errno set when inotify is unavailable. Free with
 * shoal_watch_free. */
shoal_watch *shoal_watch_new(void);
void shoal_watch_free(shoal_watch *w);
/* Watch exactly these files from now on (the folders holding them); files that do not exist
 * are skipped. */
void shoal_watch_set(shoal_watch *w, char *const *files, size_t n);
/* The descriptor to poll() for POLLIN: readable when something happened in a watched folder. */
int shoal_watch_fd(const shoal_watch *w);
/* Read what happened, waiting until the folders have been quiet for 2 x step_ms so that a burst
 * (an editor's write + rename + attribute change, or many saves at once) counts once. True when
 * one of the watched files changed. Never blocks when nothing is pending. */
bool shoal_watch_drain(shoal_watch *w, int step_ms);

#endif
