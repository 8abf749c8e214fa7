/* What `shoal serve` answers (serve_priv.h): the page, the image, downloads and the JSON API.
 * Any other path is 404: nothing is served from the disk. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "serve/json.h"
#include "serve/page.h"
#include "serve/serve_priv.h"

/* Inspect's reach around a click for lines and points, CSS px. */
#define HIT_TOL 6
/* Candidate boxes the label overlay sends at most (a dense map tries hundreds of thousands). */
#define MAX_OVERLAY_CANDS 30000

static void reply_text(shoal_http_reply *rep, int status, const char *text)
{
  rep->status = status;
  rep->type = "text/plain; charset=utf-8";
  rep->body = shoal_strdup(text);
  rep->len = rep->body ? strlen(rep->body) : 0;
}

static void reply_json(shoal_http_reply *rep, shoal_json *j)
{
  if (j->failed) {
    free(j->s);
    reply_text(rep, 500, "out of memory\n");
    return;
  }
  rep->type = "application/json; charset=utf-8";
  rep->body = j->s;
  rep->len = j->n;
}

/* A number argument in [lo, hi]; false when present and not one. */
static bool num_arg(const shoal_http_req *r, const char *key, double lo, double hi, double *v)
{
  const char *a = shoal_http_arg(r, key);
  if (!a || !*a)
    return true;
  char *end;
  double x = strtod(a, &end);
  if (*end || !isfinite(x) || x < lo || x > hi)
    return false;
  *v = x;
  return true;
}

/* A text argument of letters, digits and "-_., " only, shorter than cap. */
static bool word_arg(const shoal_http_req *r, const char *key, char *out, size_t cap)
{
  const char *a = shoal_http_arg(r, key);
  if (!a)
    return true;
  size_t n = strlen(a);
  if (n >= cap)
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)a[i];
    if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          strchr("-_., ", c)))
      return false;
  }
  memcpy(out, a, n + 1);
  return true;
}

/* The view a request asks for (lang, w, h, scale, hide); false when an argument is bad. */
static bool parse_view(const shoal_http_req *r, serve_view *v)
{
  memset(v, 0, sizeof *v);
  double w = 0, h = 0, scale = 0;
  bool ok = num_arg(r, "w", 0, 10000, &w) && num_arg(r, "h", 0, 10000, &h) &&
            num_arg(r, "scale", 0, 4, &scale) && word_arg(r, "lang", v->lang, sizeof v->lang) &&
            word_arg(r, "hide", v->hidden, sizeof v->hidden);
  v->w = (int)w, v->h = (int)h, v->scale = scale;
  return ok;
}

static bool same_view(const serve_view *a, const serve_view *b)
{
  return !strcmp(a->lang, b->lang) && a->w == b->w && a->h == b->h && a->scale == b->scale &&
         !strcmp(a->hidden, b->hidden);
}

static void route_status(server *s, shoal_http_reply *rep)
{
  shoal_json j = {0};
  pthread_mutex_lock(&s->mu);
  shoal_json_printf(&j, "{\"seq\":%lu,\"renders\":%lu,\"ok\":%s,\"rendering\":%s,", s->seq,
                    s->renders, s->ok ? "true" : "false", s->rendering ? "true" : "false");
  shoal_json_key(&j, "map", true);
  shoal_json_str(&j, s->o->map);
  shoal_json_key(&j, "seconds", false);
  shoal_json_num(&j, s->seconds);
  shoal_json_key(&j, "messages", false);
  shoal_json_str(&j, s->messages ? s->messages : "");
  shoal_json_key(&j, "image", false);
  shoal_json_raw(&j, s->png ? "true" : "false");
  shoal_json_printf(&j, ",\"image_seq\":%lu", s->png_seq);
  if (s->info) {
    shoal_json_raw(&j, ",");
    shoal_json_raw(&j, s->info);
  }
  shoal_json_raw(&j, "}");
  pthread_mutex_unlock(&s->mu);
  reply_json(rep, &j);
}

/* ---- events ---------------------------------------------------------------------------- */

typedef struct events {
  server *s;
  unsigned long seen;
  bool hello;
} events;

static ssize_t next_event(void *ctx, char *buf, size_t max)
{
  events *e = ctx;
  server *s = e->s;
  pthread_mutex_lock(&s->mu);
  if (!e->hello) { /* the stream is open: the page may ask for the image now */
    e->hello = true;
    pthread_mutex_unlock(&s->mu);
    return snprintf(buf, max, "retry: 1000\n\n");
  }
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  int rc = 0;
  while (!s->quit && s->seq == e->seen && rc == 0)
    rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
  ssize_t n;
  if (s->quit)
    n = -1;
  else if (s->seq == e->seen) /* quiet for 10 s: a comment keeps proxies and the page awake */
    n = snprintf(buf, max, ": still here\n\n");
  else
    n = snprintf(buf, max, "event: render\ndata: {\"seq\":%lu,\"ok\":%s}\n\n", s->seq,
                 s->ok ? "true" : "false");
  e->seen = s->seq;
  pthread_mutex_unlock(&s->mu);
  return n > 0 && (size_t)n < max ? n : -1;
}

static void route_events(server *s, shoal_http_reply *rep)
{
  events *e = calloc(1, sizeof *e);
  if (!e) {
    reply_text(rep, 500, "out of memory\n");
    return;
  }
  e->s = s;
  pthread_mutex_lock(&s->mu);
  e->seen = s->seq;
  pthread_mutex_unlock(&s->mu);
  rep->type = "text/event-stream";
  rep->stream = next_event;
  rep->stream_ctx = e;
  rep->stream_done = free;
}

/* ---- the image and downloads ----------------------------------------------------------- */

static void route_png(server *s, const shoal_http_req *r, shoal_http_reply *rep)
{
  serve_view v;
  if (!parse_view(r, &v)) {
    reply_text(rep, 400, "bad view arguments\n");
    return;
  }
  pthread_mutex_lock(&s->mu);
  bool fresh = same_view(&v, &s->shown) && s->png;
  if (!same_view(&v, &s->view))
    s->view = v;
  bool render = !fresh;
  pthread_mutex_unlock(&s->mu);
  if (render)
    shoal_serve_render(s);
  pthread_mutex_lock(&s->mu);
  if (s->png && (rep->body = malloc(s->png_len))) {
    memcpy(rep->body, s->png, s->png_len);
    rep->len = s->png_len;
    rep->type = "image/png";
    rep->header = "X-Shoal-Seq";
    snprintf(rep->header_value, sizeof rep->header_value, "%lu", s->png_seq);
  }
  pthread_mutex_unlock(&s->mu);
  if (!rep->body)
    reply_text(rep, 503, "no image: the map has errors (see /api/status)\n");
}

static void route_download(server *s, const char *ext, shoal_http_reply *rep)
{
  shoal_format f = !strcmp(ext, "pdf")   ? SHOAL_FMT_PDF
                   : !strcmp(ext, "svg") ? SHOAL_FMT_SVG
                                         : SHOAL_FMT_PNG;
  static const char *const types[] = {"image/png", "application/pdf", "image/svg+xml"};
  static const char *const exts[] = {"png", "pdf", "svg"};
  pthread_mutex_lock(&s->render_mu);
  unsigned char *buf = NULL;
  size_t len = 0;
  shoal_diag *d = shoal_diag_new();
  shoal_status st = s->good && d ? shoal_preview_export(s->good, f, d, &buf, &len) : SHOAL_ERR_DATA;
  pthread_mutex_unlock(&s->render_mu);
  shoal_diag_free(d);
  if (st != SHOAL_OK) {
    reply_text(rep, 503, "no map to download: the map has errors (see /api/status)\n");
    return;
  }
  rep->body = (char *)buf;
  rep->len = len;
  rep->type = types[f];
  /* NAME-LANG.EXT after the map file, in safe characters only (it goes into a header). */
  const char *base = strrchr(s->o->map, '/') ? strrchr(s->o->map, '/') + 1 : s->o->map;
  pthread_mutex_lock(&s->render_mu);
  snprintf(rep->filename, sizeof rep->filename, "%.*s-%.20s", (int)strcspn(base, "."), base,
           s->good && s->good->lang ? s->good->lang : "map");
  pthread_mutex_unlock(&s->render_mu);
  for (char *c = rep->filename; *c; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '-'))
      *c = '_';
  size_t n = strlen(rep->filename);
  snprintf(rep->filename + n, sizeof rep->filename - n, ".%s", exts[f]);
}

/* ---- inspect --------------------------------------------------------------------------- */

/* 9°44.0′N: degrees and minutes with a hemisphere letter. */
static void deg_min(char *buf, size_t n, double v, char pos, char neg)
{
  double a = fabs(v);
  int d = (int)a;
  double m = (a - d) * 60;
  if (m >= 59.95) {
    d++;
    m = 0;
  }
  snprintf(buf, n, "%d\u00b0%04.1f\u2032%c", d, m, v < 0 ? neg : pos);
}

static void put_where(shoal_json *j, double lon, double lat)
{
  char a[40], b[40], both[90];
  deg_min(a, sizeof a, lat, 'N', 'S');
  deg_min(b, sizeof b, lon, 'E', 'W');
  snprintf(both, sizeof both, "%s %s", a, b);
  shoal_json_raw(j, "\"lon\":");
  shoal_json_num(j, lon);
  shoal_json_raw(j, ",\"lat\":");
  shoal_json_num(j, lat);
  shoal_json_raw(j, ",\"where\":");
  shoal_json_str(j, both);
}

/* The point a request names, in device px of the good preview: x, y in CSS px, or lon, lat. */
static bool request_point(const shoal_preview *p, const shoal_http_req *r, double *x, double *y)
{
  double cx = NAN, cy = NAN, lon = NAN, lat = NAN;
  if (!num_arg(r, "x", -1e6, 1e6, &cx) || !num_arg(r, "y", -1e6, 1e6, &cy) ||
      !num_arg(r, "lon", -360, 360, &lon) || !num_arg(r, "lat", -90, 90, &lat))
    return false;
  if (isfinite(cx) && isfinite(cy)) {
    *x = cx * p->scale, *y = cy * p->scale;
    return true;
  }
  return isfinite(lon) && isfinite(lat) && shoal_preview_pixel(p, lon, lat, x, y);
}

static void put_hit(shoal_json *j, const shoal_hit *h)
{
  shoal_json_printf(j, "{\"id\":%d,\"attributes\":{", h->id);
  for (size_t k = 0; k < h->nattrs; k++) {
    shoal_json_key(j, h->names[k] ? h->names[k] : "?", k == 0);
    shoal_json_str(j, h->vals[k]);
  }
  shoal_json_raw(j, "},\"rule\":");
  if (h->rule >= 0) {
    char at[400];
    snprintf(at, sizeof at, "%s:%d:%d", h->rule_loc.file ? h->rule_loc.file : "?", h->rule_loc.line,
             h->rule_loc.col);
    shoal_json_printf(j, "{\"index\":%d,\"filter\":", h->rule);
    shoal_json_str(j, h->filter);
    shoal_json_raw(j, ",\"at\":");
    shoal_json_str(j, at);
    shoal_json_raw(j, "}");
  } else {
    shoal_json_raw(j, "null");
  }
  shoal_json_printf(j, ",\"drawn\":%s,\"label\":", h->drawn ? "true" : "false");
  shoal_json_str(j, h->label);
  shoal_json_printf(j, ",\"label_placed\":%s}", h->label_placed ? "true" : "false");
}

static void put_hits(shoal_json *j, const shoal_hit *hits, size_t n)
{
  shoal_json_raw(j, ",\"layers\":[");
  for (size_t i = 0; i < n; i++) {
    bool first = i == 0 || strcmp(hits[i - 1].layer, hits[i].layer) != 0;
    if (first) {
      shoal_json_raw(j, i ? "]}," : "");
      shoal_json_raw(j, "{\"layer\":");
      shoal_json_str(j, hits[i].layer);
      shoal_json_raw(j, ",\"features\":[");
    } else {
      shoal_json_raw(j, ",");
    }
    put_hit(j, &hits[i]);
  }
  shoal_json_raw(j, n ? "]}]" : "]");
}

static void route_inspect(server *s, const shoal_http_req *r, shoal_http_reply *rep, bool hits)
{
  shoal_json j = {0};
  pthread_mutex_lock(&s->render_mu);
  shoal_preview *p = s->good;
  double x, y, lon, lat;
  int status = 200;
  if (!p) {
    status = 503;
  } else if (!request_point(p, r, &x, &y)) {
    status = 400;
  } else {
    bool in = shoal_preview_lonlat(p, x, y, &lon, &lat);
    shoal_json_printf(&j, "{\"x\":%.2f,\"y\":%.2f,", x / p->scale, y / p->scale);
    if (in)
      put_where(&j, lon, lat);
    else
      shoal_json_raw(&j, "\"lon\":null,\"lat\":null,\"where\":null");
    shoal_hit *h = NULL;
    size_t n = 0;
    shoal_diag *d = hits ? shoal_diag_new() : NULL;
    if (d)
      shoal_preview_inspect(p, x, y, HIT_TOL * p->scale, d, &h, &n);
    if (hits)
      put_hits(&j, h, n);
    shoal_hits_free(h, n);
    shoal_diag_free(d);
    shoal_json_raw(&j, "}");
  }
  pthread_mutex_unlock(&s->render_mu);
  if (status != 200) {
    free(j.s);
    reply_text(rep, status, status == 503 ? "no map yet: the map has errors\n" : "bad point\n");
    return;
  }
  reply_json(rep, &j);
}

/* ---- the label overlay ----------------------------------------------------------------- */

static void put_box(shoal_json *j, shoal_box b, double k)
{
  shoal_json_printf(j, "[%.1f,%.1f,%.1f,%.1f]", b.x0 * k, b.y0 * k, b.x1 * k, b.y1 * k);
}

static void route_labels(server *s, shoal_http_reply *rep)
{
  shoal_json j = {0};
  pthread_mutex_lock(&s->render_mu);
  const shoal_preview *p = s->good;
  if (p) {
    const shoal_labeldebug *L = &p->labels;
    double k = 1 / p->scale; /* boxes in CSS px of the image */
    size_t sent = 0;
    shoal_json_raw(&j, "{\"labels\":[");
    for (size_t i = 0; i < L->n; i++) {
      const shoal_labelrec *r = &L->v[i];
      shoal_json_raw(&j, i ? ",{\"text\":" : "{\"text\":");
      shoal_json_str(&j, r->text);
      shoal_json_raw(&j, ",\"layer\":");
      shoal_json_str(&j, r->layer);
      shoal_json_raw(&j, ",\"what\":");
      shoal_json_str(&j, r->what);
      shoal_json_printf(&j, ",\"placed\":%s,\"box\":", r->placed ? "true" : "false");
      put_box(&j, r->box, k);
      shoal_json_raw(&j, ",\"reason\":");
      shoal_json_str(&j, r->reason);
      shoal_json_raw(&j, ",\"candidates\":[");
      for (size_t c = 0; c < r->ncand && sent < MAX_OVERLAY_CANDS; c++, sent++) {
        shoal_json_raw(&j, c ? "," : "");
        put_box(&j, L->cand[r->first + c], k);
      }
      shoal_json_raw(&j, "]}");
    }
    shoal_json_printf(&j, "],\"candidates_cut\":%s}",
                      sent >= MAX_OVERLAY_CANDS || L->overflow ? "true" : "false");
  }
  pthread_mutex_unlock(&s->render_mu);
  if (!p) {
    reply_text(rep, 503, "no map yet: the map has errors\n");
    return;
  }
  reply_json(rep, &j);
}

void shoal_serve_answer(void *ctx, const shoal_http_req *req, shoal_http_reply *rep)
{
  server *s = ctx;
  const char *path = shoal_http_path(req);
  if (!strcmp(path, "/") || !strcmp(path, "/index.html")) {
    rep->type = "text/html; charset=utf-8";
    rep->body = malloc(shoal_serve_page_len);
    if (rep->body)
      memcpy(rep->body, shoal_serve_page, shoal_serve_page_len);
    rep->len = rep->body ? shoal_serve_page_len : 0;
  } else if (!strcmp(path, "/api/status")) {
    route_status(s, rep);
  } else if (!strcmp(path, "/api/events")) {
    route_events(s, rep);
  } else if (!strcmp(path, "/map.png")) {
    route_png(s, req, rep);
  } else if (!strcmp(path, "/api/inspect")) {
    route_inspect(s, req, rep, true);
  } else if (!strcmp(path, "/api/lonlat")) {
    route_inspect(s, req, rep, false);
  } else if (!strcmp(path, "/api/labels")) {
    route_labels(s, rep);
  } else if (!strncmp(path, "/download/map.", 14) &&
             (!strcmp(path + 14, "png") || !strcmp(path + 14, "pdf") ||
              !strcmp(path + 14, "svg"))) {
    route_download(s, path + 14, rep);
  } else {
    reply_text(rep, 404, "not found\n");
  }
}
