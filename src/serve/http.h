/* The HTTP server `shoal serve` answers with, as small as it needs: GET and HEAD only, whole
 * replies from memory or one endless stream (server-sent events), a thread per connection and
 * bounded connections and request sizes. Only http_mhd.c knows the library behind it. */
#ifndef SHOAL_HTTP_H
#define SHOAL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct shoal_http shoal_http;
typedef struct shoal_http_req shoal_http_req;

/* The request's path without its query ("/api/status"); borrowed for the call. */
const char *shoal_http_path(const shoal_http_req *r);
/* A query argument's value (decoded), or NULL; borrowed for the call. */
const char *shoal_http_arg(const shoal_http_req *r, const char *key);

/* A stream's next bytes: called again and again on the connection's own thread, which it may
 * block (a short while: it must come back when asked to stop). Returns how many bytes it put
 * into buf (at most max, more than 0), or -1 to end the stream. */
typedef ssize_t (*shoal_http_stream_fn)(void *ctx, char *buf, size_t max);

typedef struct shoal_http_reply {
  int status;       /* 200 unless set */
  const char *type; /* Content-Type (static) */
  char *body;       /* malloc'ed; the adapter frees it */
  size_t len;
  char filename[128];          /* when not empty: a download saved under this name */
  const char *header;          /* when set: one more header (static name) ... */
  char header_value[64];       /* ... with this value */
  shoal_http_stream_fn stream; /* when set: no body, the stream instead */
  void *stream_ctx;            /* freed with stream_done (may be NULL) after the stream ends or
                                  the client went away */
  void (*stream_done)(void *ctx);
} shoal_http_reply;

/* Answer one request by filling rep (zeroed; status 200). Called on the connection's thread;
 * many at once. */
typedef void (*shoal_http_fn)(void *ctx, const shoal_http_req *req, shoal_http_reply *rep);

/* Listen on host (a numeric IPv4 or IPv6 address) and port (0 = any free one) and answer with
 * fn. NULL with the reason in err when it cannot. Caller stops it with shoal_http_stop. */
shoal_http *shoal_http_start(const char *host, int port, shoal_http_fn fn, void *ctx, char *err,
                             size_t errlen);
/* The port listened on. */
int shoal_http_port(const shoal_http *h);
/* Close the listening socket and every connection, waiting for their threads (a stream must
 * end when its context is told to stop, before this is called). */
void shoal_http_stop(shoal_http *h);

#endif
