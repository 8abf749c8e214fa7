/* `shoal serve`: a live preview page for a map. Renders the map, re-renders it whenever the map
 * file, an included style or a data file changes, and answers a local web page (built into the
 * binary) and its JSON API: status and errors, the image, inspect, label debugging, downloads. */
#ifndef SHOAL_SERVE_H
#define SHOAL_SERVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/searchpath.h"

typedef struct shoal_serve_opts {
  const char *map;         /* the map file */
  const char *host;        /* numeric address to listen on */
  int port;                /* 0 = any free port */
  bool open;               /* open the page in the desktop's browser */
  const char *const *sets; /* --set overrides, applied to every render */
  size_t nsets;
  const shoal_searchpath *search; /* borrowed; may be NULL */
  const atomic_int *stop;         /* borrowed: non-zero once asked to stop (SIGINT/SIGTERM) */
  int wake_fd;                    /* readable once asked to stop; -1 = none */
} shoal_serve_opts;

/* Serve until stop is set. Prints the page's address on stderr. Returns 0, or an exit code
 * after printing why it could not start (70 when it cannot listen). */
int shoal_serve_run(const shoal_serve_opts *o);

#endif
