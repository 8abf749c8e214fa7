/* `shoal serve` (serve.h): the state shared by the page's requests, renders coalesced from
 * the file watch, and the loop that runs until SIGINT or SIGTERM. */
#include <errno.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "base/mem.h"
#include "base/watch.h"
#include "serve/json.h"
#include "serve/serve_priv.h"

extern char **environ;

/* A burst of saves ends after 2 x this much quiet: short, since the page should show a save
 * within half a second and the map takes most of that to draw. */
#define SAVE_QUIET_MS 20

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The JSON members the status answer takes from a good preview. Caller frees. */
static char *info_json(const shoal_preview *p)
{
  shoal_json j = {0};
  shoal_json_raw(&j, "\"langs\":[");
  for (size_t i = 0; i < p->nlangs; i++) {
    shoal_json_raw(&j, i ? "," : "");
    shoal_json_str(&j, p->langs[i]);
  }
  shoal_json_raw(&j, "],\"lang\":");
  shoal_json_str(&j, p->lang);
  shoal_json_raw(&j, ",\"title\":");
  shoal_json_str(&j, p->title);
  shoal_json_raw(&j, ",\"layers\":[");
  for (size_t i = 0; i < p->nlayers; i++) {
    shoal_json_raw(&j, i ? ",{\"name\":" : "{\"name\":");
    shoal_json_str(&j, p->layers[i]);
    shoal_json_printf(&j, ",\"visible\":%s}", p->visible[i] ? "true" : "false");
  }
  shoal_json_printf(&j, "],\"size\":[%d,%d],\"scale\":", p->width, p->height);
  shoal_json_num(&j, p->scale);
  if (j.failed) {
    free(j.s);
    return NULL;
  }
  return j.s;
}

/* The names in a comma-separated list, in place (commas become NULs). */
static size_t split_names(char *list, const char **out, size_t max)
{
  size_t n = 0;
  for (char *p = list; *p && n < max;) {
    char *comma = strchr(p, ',');
    if (comma)
      *comma = 0;
    if (*p)
      out[n++] = p;
    if (!comma)
      break;
    p = comma + 1;
  }
  return n;
}

static bool is_yaml(const char *path)
{
  const char *dot = strrchr(path, '.');
  return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"));
}

/* What the data files among deps (all but the YAML) are now: file, size and time of each.
 * Equal stamps mean the open data and prepared geometry of a render can serve the next one,
 * so a style edit redraws without reading the data again. Caller frees; NULL = unknown. */
static char *data_stamp(char *const *deps, size_t n)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (is_yaml(deps[i]))
      continue;
    if (stat(deps[i], &st) != 0)
      fprintf(f, "%s missing\n", deps[i]);
    else
      fprintf(f, "%s %lu %lu %lld %lld.%09ld\n", deps[i], (unsigned long)st.st_dev,
              (unsigned long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
              st.st_mtim.tv_nsec);
  }
  fclose(f);
  return text;
}

/* The caches of the good preview when its data files are unchanged, else NULLs. */
static void reusable_caches(server *s, shoal_preview_opts *po)
{
  if (!s->good || !s->stamp)
    return;
  char *now = data_stamp(s->good->deps, s->good->ndeps);
  if (now && !strcmp(now, s->stamp)) {
    po->cache = s->good->cache;
    po->geo = s->good->geo;
  }
  free(now);
}

/* Take what a finished render says into the state (mu held). */
static void note_result(server *s, const shoal_preview *p, const serve_view *v, double secs)
{
  s->renders++;
  s->seconds = secs;
  s->rendering = false;
  free(s->messages);
  s->messages = shoal_strdup(p ? p->messages ? p->messages : "" : "shoal: error: out of memory\n");
  if (p && p->ndeps) {
    for (size_t i = 0; i < s->ndeps; i++)
      free(s->deps[i]);
    free(s->deps);
    s->deps = calloc(p->ndeps, sizeof *s->deps);
    s->ndeps = 0;
    for (size_t i = 0; s->deps && i < p->ndeps; i++)
      if ((s->deps[s->ndeps] = shoal_strdup(p->deps[i])))
        s->ndeps++;
    s->deps_new = true;
  }
  s->ok = p && p->status == SHOAL_OK && p->png;
  if (s->ok) {
    unsigned char *copy = malloc(p->png_len);
    if (copy) {
      memcpy(copy, p->png, p->png_len);
      free(s->png);
      s->png = copy;
      s->png_len = p->png_len;
      s->png_seq = s->seq + 1;
      s->shown = *v;
    }
    char *info = info_json(p);
    if (info) {
      free(s->info);
      s->info = info;
    }
  }
  s->seq++;
  pthread_cond_broadcast(&s->cv);
}

void shoal_serve_render(server *s)
{
  pthread_mutex_lock(&s->render_mu);
  pthread_mutex_lock(&s->mu);
  serve_view v = s->view;
  s->rendering = true;
  pthread_mutex_unlock(&s->mu);
  char names[sizeof v.hidden];
  memcpy(names, v.hidden, sizeof names);
  const char *hidden[256];
  size_t nhidden = split_names(names, hidden, 256);
  shoal_preview_opts po = {.map_path = s->o->map,
                           .search = s->o->search,
                           .sets = s->o->sets,
                           .nsets = s->o->nsets,
                           .lang = v.lang,
                           .width = v.w,
                           .height = v.h,
                           .scale = v.scale,
                           .hidden = hidden,
                           .nhidden = nhidden,
                           .cancel = s->o->stop};
  reusable_caches(s, &po);
  double t0 = now_s();
  shoal_preview *p = NULL;
  shoal_preview_build(&po, &p);
  double secs = now_s() - t0;
  pthread_mutex_lock(&s->mu);
  note_result(s, p, &v, secs);
  bool ok = s->ok;
  pthread_mutex_unlock(&s->mu);
  fprintf(stderr, "shoal: [%lu] %s in %.2f s\n", s->renders, ok ? "rendered" : "render failed",
          secs);
  if (!ok && p && p->messages)
    fputs(p->messages, stderr);
  if (ok) {
    shoal_preview_take_caches(p, s->good);
    shoal_preview_free(s->good);
    s->good = p;
    free(s->stamp);
    s->stamp = data_stamp(p->deps, p->ndeps);
  } else {
    shoal_preview_free(p);
  }
  pthread_mutex_unlock(&s->render_mu);
}

/* Open url in the desktop's browser; a failure only costs a message. */
static void open_browser(const char *url)
{
  char *argv[] = {(char *)"xdg-open", (char *)url, NULL};
  pid_t pid;
  if (posix_spawnp(&pid, "xdg-open", NULL, NULL, argv, environ) != 0)
    fprintf(stderr, "shoal: cannot open a browser (xdg-open): open %s yourself\n", url);
}

static bool stopping(const server *s) { return s->o->stop && atomic_load(s->o->stop) != 0; }

/* Watch the inputs and render after every burst of saves, until asked to stop. */
static void watch_loop(server *s, shoal_watch *w)
{
  while (!stopping(s)) {
    pthread_mutex_lock(&s->mu);
    if (s->deps_new) {
      shoal_watch_set(w, s->deps, s->ndeps);
      s->deps_new = false;
    }
    pthread_mutex_unlock(&s->mu);
    struct pollfd p[2] = {{.fd = shoal_watch_fd(w), .events = POLLIN},
                          {.fd = s->o->wake_fd, .events = POLLIN}};
    /* A render the page asked for may bring new inputs: look again every quarter second. */
    int r = poll(p, s->o->wake_fd >= 0 ? 2 : 1, 250);
    if (r < 0 && errno != EINTR)
      break;
    if (r > 0 && s->o->wake_fd >= 0 && (p[1].revents & POLLIN))
      break;
    if (r > 0 && (p[0].revents & POLLIN) && shoal_watch_drain(w, SAVE_QUIET_MS))
      shoal_serve_render(s);
    while (waitpid(-1, NULL, WNOHANG) > 0) /* the browser --open started */
      ;
  }
}

static void free_server(server *s)
{
  shoal_preview_free(s->good);
  free(s->stamp);
  free(s->messages);
  free(s->info);
  free(s->png);
  for (size_t i = 0; i < s->ndeps; i++)
    free(s->deps[i]);
  free(s->deps);
  pthread_mutex_destroy(&s->render_mu);
  pthread_mutex_destroy(&s->mu);
  pthread_cond_destroy(&s->cv);
}

int shoal_serve_run(const shoal_serve_opts *o)
{
  server s = {.o = o};
  pthread_mutex_init(&s.render_mu, NULL);
  pthread_mutex_init(&s.mu, NULL);
  pthread_cond_init(&s.cv, NULL);
  shoal_watch *w = shoal_watch_new();
  if (!w) {
    fprintf(stderr, "shoal: error: cannot watch files: %s\n", strerror(errno));
    free_server(&s);
    return 70;
  }
  shoal_serve_render(&s);
  char err[300];
  shoal_http *h = shoal_http_start(o->host, o->port, shoal_serve_answer, &s, err, sizeof err);
  if (!h) {
    fprintf(stderr, "shoal: error: %s\n", err);
    shoal_watch_free(w);
    free_server(&s);
    return 70;
  }
  char url[300];
  bool v6 = strchr(o->host, ':') != NULL;
  snprintf(url, sizeof url, "http://%s%s%s:%d/", v6 ? "[" : "", o->host, v6 ? "]" : "",
           shoal_http_port(h));
  fprintf(stderr, "shoal: serving %s at %s (Ctrl-C stops)\n", o->map, url);
  if (o->open)
    open_browser(url);
  watch_loop(&s, w);
  /* Event streams end first, so that stopping the server does not wait for them. */
  pthread_mutex_lock(&s.mu);
  s.quit = true;
  pthread_cond_broadcast(&s.cv);
  pthread_mutex_unlock(&s.mu);
  shoal_http_stop(h);
  fprintf(stderr, "shoal: stopped serving\n");
  shoal_watch_free(w);
  free_server(&s);
  return 0;
}
