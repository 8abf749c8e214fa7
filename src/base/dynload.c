/* Opening a shared library and filling a table of its functions (dynload.h). */
#include "base/dynload.h"

#include <dlfcn.h>
#include <stdio.h>

const char *shoal_dynload(const char *soname, const shoal_dynsym *syms, size_t n, char *why,
                          size_t whysz)
{
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    snprintf(why, whysz, "cannot load %s: %s", soname, e ? e : "unknown reason");
    return why;
  }
  for (size_t i = 0; i < n; i++)
    if (!(*syms[i].slot = dlsym(h, syms[i].name))) {
      snprintf(why, whysz, "%s has no function %s", soname, syms[i].name);
      return why;
    }
  return NULL;
}
