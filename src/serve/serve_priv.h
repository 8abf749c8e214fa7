/* Private interface of the serve modules: serve.c (state, renders, the watch loop) and
 * routes.c (the page and the API). */
#ifndef SHOAL_SERVE_PRIV_H
#define SHOAL_SERVE_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/preview.h"
#include "serve/http.h"
#include "serve/serve.h"

/* What the page asks to see: a view the map file does not say. */
typedef struct serve_view {
  char lang[32];     /* "" = the map's */
  int w, h;          /* CSS px, 0 = the map's */
  double scale;      /* 0 = the map's */
  char hidden[1024]; /* names of hidden layers, comma-separated */
} serve_view;

typedef struct server {
  const shoal_serve_opts *o;
  /* One render, export or inspect at a time: they share the preview's open data. */
  pthread_mutex_t render_mu;
  shoal_preview *good; /* the last preview that worked (render_mu) */
  char *stamp;         /* its data files' sizes and times, to know when its caches are stale */
  /* The fields below, and the wake-up of event streams. */
  pthread_mutex_t mu;
  pthread_cond_t cv;
  serve_view view;       /* what the page shows now */
  serve_view shown;      /* the view of png */
  unsigned long seq;     /* renders finished (events carry it) */
  unsigned long renders; /* renders started by saves or views (the burst test reads it) */
  bool ok;               /* the last render worked */
  bool rendering;
  bool quit;
  double seconds;        /* of the last render */
  char *messages;        /* of the last render, as the CLI prints them */
  char *info;            /* JSON members of the last good preview: langs, layers, size */
  unsigned char *png;    /* the last good image */
  unsigned long png_seq; /* the seq of the render that made it */
  size_t png_len;
  char **deps; /* the files the last render read */
  size_t ndeps;
  bool deps_new; /* deps changed since the watch took them */
} server;

/* Render s->view now (waiting for a render in progress), then wake the event streams. */
void shoal_serve_render(server *s);
/* The HTTP handler (routes.c). */
void shoal_serve_answer(void *ctx, const shoal_http_req *req, shoal_http_reply *rep);

#endif
