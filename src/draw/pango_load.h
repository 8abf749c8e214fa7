/* Pango loaded on first use (pango_load.c), for text.c only: a map without text never maps
 * Pango and the ~16 libraries it pulls in (HarfBuzz, FriBidi, libthai, GIO...). */
#ifndef SHOAL_PANGO_LOAD_H
#define SHOAL_PANGO_LOAD_H

/* Load libpango and libpangocairo once per process (thread-safe) and look up every Pango
 * function Shoal calls. NULL when they are ready; else why not, e.g. "cannot load
 * libpango-1.0.so.0: <the loader's message>" (static, borrowed for the process's life). Must
 * have returned NULL before any other Pango function is called. */
const char *shoal_pango_load(void);

#endif
