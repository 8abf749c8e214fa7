/* A per-test scratch folder (scratch_begin makes it, scratch_end removes it with everything
 * in it) and small file helpers. */
#ifndef SHOAL_SCRATCH_H
#define SHOAL_SCRATCH_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

/* Make a fresh folder /tmp/shoal-NAME-XXXXXX as `dir`; false (with the reason on stderr) when
 * it cannot be made. */
static bool scratch_begin(const char *name)
{
  snprintf(dir, sizeof dir, "/tmp/shoal-%s-XXXXXX", name);
  if (mkdtemp(dir))
    return true;
  perror("mkdtemp");
  return false;
}

/* Remove path and, for a folder, everything below it (no shell, no symlink following). */
static void scratch_remove(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *dp = opendir(path);
    struct dirent *e;
    while (dp && (e = readdir(dp))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char sub[512];
      if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub)
        scratch_remove(sub);
    }
    if (dp)
      closedir(dp);
    if (rmdir(path) != 0)
      perror(path);
  } else if (unlink(path) != 0) {
    perror(path);
  }
}

/* Remove the scratch folder and all it holds. */
static void scratch_end(void) { scratch_remove(dir); }

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
