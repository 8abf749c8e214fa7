/* A shared library loaded on first use instead of at start-up (GDAL, GEOS, Pango: each maps
 * dozens of libraries a map that does not need it never uses). The callers keep their
 * functions in a table of pointers filled once, under pthread_once, then only read. */
#ifndef SHOAL_DYNLOAD_H
#define SHOAL_DYNLOAD_H

#include <stddef.h>

/* One function to look up: its name and where its address goes. */
typedef struct shoal_dynsym {
  const char *name;
  void **slot;
} shoal_dynsym;

/* For a loader's list of functions, an X-macro calling F(return type, name, (parameters),
 * (arguments)) for those that return a value and V(name, (parameters), (arguments)) for void
 * ones: the fields of its table of pointers, the entries that look them up, and the stand-ins
 * defined under the functions' own names. The table is the variable SHOAL_DYN_TABLE names; each
 * loader defines it. */
#define SHOAL_DYN_FIELD_F(ret, name, params, args) ret(*name) params;
#define SHOAL_DYN_FIELD_V(name, params, args) void(*name) params;
#define SHOAL_DYN_SYM(name) {#name, (void **)&SHOAL_DYN_TABLE.name},
#define SHOAL_DYN_SYM_F(ret, name, params, args) SHOAL_DYN_SYM(name)
#define SHOAL_DYN_SYM_V(name, params, args) SHOAL_DYN_SYM(name)
#define SHOAL_DYN_STUB_F(ret, name, params, args)                                                  \
  ret name params { return SHOAL_DYN_TABLE.name args; }
#define SHOAL_DYN_STUB_V(name, params, args)                                                       \
  void name params { SHOAL_DYN_TABLE.name args; }

/* Open soname (kept open for the life of the process) and look up each of syms[0..n) into its
 * slot. NULL when all is found; else the reason, written into why[0..whysz) and returned:
 * "cannot load SONAME: <the loader's reason>" or "SONAME has no function NAME". */
const char *shoal_dynload(const char *soname, const shoal_dynsym *syms, size_t n, char *why,
                          size_t whysz);

#endif
