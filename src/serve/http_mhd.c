/* The HTTP adapter (http.h) over GNU libmicrohttpd: the one file that knows it. */
#include "serve/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "serve/mhd_load.h"

/* Connections at once (a page holds two or three), per client address, and the memory one
 * connection may use for its request (headers and query: far more than the API needs). */
#define MAX_CONNECTIONS 64
#define MAX_PER_CLIENT 32
#define MAX_REQUEST_BYTES (32 * 1024)
#define IDLE_TIMEOUT_S 120

struct shoal_http {
  struct MHD_Daemon *d;
  shoal_http_fn fn;
  void *ctx;
  int port;
};

struct shoal_http_req {
  struct MHD_Connection *c;
  const char *path;
};

const char *shoal_http_path(const shoal_http_req *r) { return r->path; }

const char *shoal_http_arg(const shoal_http_req *r, const char *key)
{
  return MHD_lookup_connection_value(r->c, MHD_GET_ARGUMENT_KIND, key);
}

typedef struct stream {
  shoal_http_stream_fn fn;
  void *ctx;
  void (*done)(void *ctx);
} stream;

static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
  (void)pos;
  stream *s = cls;
  ssize_t n = s->fn(s->ctx, buf, max);
  return n > 0 ? n : MHD_CONTENT_READER_END_OF_STREAM;
}

static void end_stream(void *cls)
{
  stream *s = cls;
  if (s->done)
    s->done(s->ctx);
  free(s);
}

static struct MHD_Response *make_response(shoal_http_reply *rep)
{
  if (rep->stream) {
    stream *s = malloc(sizeof *s);
    if (!s) {
      if (rep->stream_done)
        rep->stream_done(rep->stream_ctx);
      return NULL;
    }
    *s = (stream){rep->stream, rep->stream_ctx, rep->stream_done};
    struct MHD_Response *r =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, read_stream, s, end_stream);
    if (!r)
      end_stream(s);
    return r;
  }
  struct MHD_Response *r =
      MHD_create_response_from_buffer(rep->len, rep->body ? rep->body : (char *)"",
                                      rep->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!r)
    free(rep->body);
  rep->body = NULL;
  return r;
}

static enum MHD_Result simple(struct MHD_Connection *c, unsigned status, const char *text)
{
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
  enum MHD_Result ok = MHD_queue_response(c, status, r);
  MHD_destroy_response(r);
  return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
  (void)version, (void)upload;
  shoal_http *h = cls;
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
    return simple(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
  if (*upload_size)
    return simple(c, MHD_HTTP_CONTENT_TOO_LARGE, "no request bodies\n");
  if (!*con_cls) { /* the headers are in; answer on the next call */
    *con_cls = h;
    return MHD_YES;
  }
  shoal_http_req req = {c, url};
  shoal_http_reply rep = {.status = 200, .type = "text/plain; charset=utf-8"};
  h->fn(h->ctx, &req, &rep);
  struct MHD_Response *r = make_response(&rep);
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type", rep.type);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  if (rep.header)
    MHD_add_response_header(r, rep.header, rep.header_value);
  if (rep.filename[0]) {
    char disp[300];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", rep.filename);
    MHD_add_response_header(r, "Content-Disposition", disp);
  }
  enum MHD_Result ok = MHD_queue_response(c, (unsigned)rep.status, r);
  MHD_destroy_response(r);
  return ok;
}

shoal_http *shoal_http_start(const char *host, int port, shoal_http_fn fn, void *ctx, char *err,
                             size_t errlen)
{
  struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
  const struct sockaddr *sa = NULL;
  unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD;
  if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
    sa = (const struct sockaddr *)&a4;
  } else if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
    sa = (const struct sockaddr *)&a6;
    flags |= MHD_USE_IPv6;
  } else {
    snprintf(err, errlen, "'%s' is not a numeric IPv4 or IPv6 address", host);
    return NULL;
  }
  const char *why = shoal_mhd_load();
  if (why) {
    snprintf(err, errlen, "%s", why);
    return NULL;
  }
  shoal_http *h = calloc(1, sizeof *h);
  if (!h) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  h->fn = fn;
  h->ctx = ctx;
  errno = 0;
  h->d = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
                          sa, MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
                          MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)MAX_PER_CLIENT,
                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MAX_REQUEST_BYTES,
                          MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_END);
  if (!h->d) {
    snprintf(err, errlen, "cannot listen on %s port %d: %s", host, port,
             errno ? strerror(errno) : "the HTTP library refused");
    free(h);
    return NULL;
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
  h->port = info && info->port ? info->port : port;
  return h;
}

int shoal_http_port(const shoal_http *h) { return h->port; }

void shoal_http_stop(shoal_http *h)
{
  if (!h)
    return;
  MHD_stop_daemon(h->d);
  free(h);
}
