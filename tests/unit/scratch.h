/* A per-test scratch folder (made with mkdtemp by the test's main) and small file helpers. */
#ifndef SHOAL_SCRATCH_H
#define SHOAL_SCRATCH_H

#include <stdio.h>

static char dir[64];

/* Full path of name in the scratch folder (eight rotating static buffers). */
static const char *tpath(const char *name)
{
  static char buf[8][256];
  static int k;
  k = (k + 1) % 8;
  snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
  return buf[k];
}

/* Write text to name in the scratch folder. */
static void put(const char *name, const char *text)
{
  FILE *f = fopen(tpath(name), "wb");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", tpath(name));
    return;
  }
  fputs(text, f);
  fclose(f);
}

#endif
