/* The editable SVG writer's state and text buffers, shared by svgwrite.c (paths and paint)
 * and svgdoc.c (the document, its groups and ids); private to src/draw. */
#ifndef SHOAL_SVG_PRIV_H
#define SHOAL_SVG_PRIV_H

#include <stdarg.h>

#include "draw/svgwrite.h"

/* A growing NUL-terminated string. */
typedef struct shoal_sbuf {
  char *s;
  size_t len, cap;
} shoal_sbuf;

struct shoal_svg {
  FILE *f;
  shoal_sbuf body;      /* the group being drawn, written out by shoal_svg_group */
  shoal_sbuf held_d;    /* a path filled with preserve, kept to join the stroke that follows */
  shoal_sbuf held_fill; /* its fill attributes */
  shoal_sbuf d;         /* scratch: the current path's data */
  shoal_sbuf attrs;     /* scratch: a path's paint attributes */
  shoal_sbuf run;       /* the attributes of the open run group of paths (run_open) */
  bool run_open;
  char **ids; /* group ids given, to keep them unique */
  size_t nids, idcap;
  unsigned ndefs; /* clip paths and patterns made, for their ids */
  int clips;      /* clip groups open in body */
  double dw, dh;  /* the page in device px */
  bool nomem;     /* some text could not be kept */
};

/* Append to b; out of memory sets w->nomem and drops the text. */
void shoal_sbuf_add(shoal_svg *w, shoal_sbuf *b, const char *s, size_t n);
void shoal_sbuf_str(shoal_svg *w, shoal_sbuf *b, const char *s);
void shoal_sbuf_vprintf(shoal_svg *w, shoal_sbuf *b, const char *fmt, va_list ap);
void shoal_sbuf_printf(shoal_svg *w, shoal_sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* s with XML's special characters escaped and control characters dropped. */
void shoal_sbuf_escaped(shoal_svg *w, shoal_sbuf *b, const char *s, size_t n);
/* Write the held fill and close the open run of paths: before anything but a path. */
void shoal_svg_settle(shoal_svg *w);

#endif
