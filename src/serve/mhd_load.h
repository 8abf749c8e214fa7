/* libmicrohttpd loaded on first use (mhd_load.c), for http_mhd.c only: a process that does not
 * serve never maps it and GnuTLS with its ~15 libraries behind it. */
#ifndef SHOAL_MHD_LOAD_H
#define SHOAL_MHD_LOAD_H

/* Load libmicrohttpd once per process (thread-safe) and look up every function http_mhd.c
 * calls. NULL when they are ready; else why not, e.g. "cannot load libmicrohttpd.so.12: <the
 * loader's message>" (static, borrowed for the process's life). Must have returned NULL before
 * any MHD_ function is called. */
const char *shoal_mhd_load(void);

#endif
