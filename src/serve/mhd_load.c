/* libmicrohttpd loaded on first use: only `shoal serve` needs it, and linking it made every
 * process map and bind GnuTLS and the libraries behind it (nettle, hogweed, gmp, p11-kit,
 * libtasn1, libidn2...) before main(): the same tree PROJ needs through libcurl, so while
 * libmicrohttpd was linked, loading PROJ off the start-up path could not take it off. This file
 * defines the MHD functions http_mhd.c calls, under their own names, as calls through pointers
 * looked up the first time a server starts (shoal_mhd_load), so http_mhd.c is written against
 * microhttpd.h as before and the compiler checks each signature against its declaration there. An
 * MHD function used in http_mhd.c but missing below still links (the build links libmicrohttpd with
 * --as-needed: it then becomes a start-up dependency again, which tests/cli/test_lazy_libs.sh and
 * bench/startup.sh show). */
#include <microhttpd.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>

#include "base/dynload.h"
#include "serve/mhd_load.h"

#ifndef SHOAL_MHD_SONAME
#define SHOAL_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* Every MHD function http_mhd.c calls but the two variadic ones (below): F(return type, name,
 * (parameters), (arguments)) for those that return a value, V(name, (parameters), (arguments))
 * for void ones. Only http_mhd.c calls them, each after shoal_mhd_load succeeded. */
// clang-format off
#define SHOAL_MHD_FUNCS(F, V) \
  F(enum MHD_Result, MHD_add_response_header, (struct MHD_Response *response, const char *header, const char *content), (response, header, content)) \
  F(struct MHD_Response *, MHD_create_response_from_buffer, (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode)) \
  F(struct MHD_Response *, MHD_create_response_from_callback, (uint64_t size, size_t block_size, MHD_ContentReaderCallback crc, void *crc_cls, MHD_ContentReaderFreeCallback crfc), (size, block_size, crc, crc_cls, crfc)) \
  V(MHD_destroy_response, (struct MHD_Response *response), (response)) \
  F(const char *, MHD_lookup_connection_value, (struct MHD_Connection *connection, enum MHD_ValueKind kind, const char *key), (connection, kind, key)) \
  F(enum MHD_Result, MHD_queue_response, (struct MHD_Connection *connection, unsigned int status_code, struct MHD_Response *response), (connection, status_code, response)) \
  V(MHD_stop_daemon, (struct MHD_Daemon *daemon), (daemon))

// clang-format on

typedef struct mhd_api {
  /* MHD_start_daemon takes its options as variable arguments: its va_list twin passes them on */
  struct MHD_Daemon *(*MHD_start_daemon_va)(unsigned int flags, uint16_t port,
                                            MHD_AcceptPolicyCallback apc, void *apc_cls,
                                            MHD_AccessHandlerCallback dh, void *dh_cls, va_list ap);
  const union MHD_DaemonInfo *(*MHD_get_daemon_info)(struct MHD_Daemon *daemon,
                                                     enum MHD_DaemonInfoType info_type, ...);
  SHOAL_MHD_FUNCS(SHOAL_DYN_FIELD_F, SHOAL_DYN_FIELD_V)
} mhd_api;

static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
/* Written once, under mhd_once, then only read, as the dynamic loader's own tables are. */
static mhd_api mhd;
#define SHOAL_DYN_TABLE mhd
static bool mhd_loaded;
static char mhd_why[512];

static void load_once(void)
{
  const shoal_dynsym syms[] = {SHOAL_DYN_SYM(MHD_start_daemon_va) SHOAL_DYN_SYM(MHD_get_daemon_info)
                                   SHOAL_MHD_FUNCS(SHOAL_DYN_SYM_F, SHOAL_DYN_SYM_V)};
  mhd_loaded =
      !shoal_dynload(SHOAL_MHD_SONAME, syms, sizeof syms / sizeof *syms, mhd_why, sizeof mhd_why);
}

const char *shoal_mhd_load(void)
{
  pthread_once(&mhd_once, load_once);
  return mhd_loaded ? NULL : mhd_why;
}

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
  va_list ap;
  va_start(ap, dh_cls);
  struct MHD_Daemon *d = mhd.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
  va_end(ap);
  return d;
}

/* The variable arguments are not passed on: libmicrohttpd reads none for any kind of
 * information (its "..." is kept for compatibility), and http_mhd.c asks only for the port. */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...)
{
  return mhd.MHD_get_daemon_info(daemon, info_type);
}

SHOAL_MHD_FUNCS(SHOAL_DYN_STUB_F, SHOAL_DYN_STUB_V)
