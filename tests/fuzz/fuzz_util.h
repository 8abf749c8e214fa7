/* Helpers shared by the fuzz targets: a per-process scratch directory and file writing. */
#ifndef SHOAL_FUZZ_UTIL_H
#define SHOAL_FUZZ_UTIL_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fuzz_dir[512];

/* Remove the scratch directory's files (it is flat) and the directory itself. */
static inline void fuzz_cleanup(void)
{
  if (!fuzz_dir[0])
    return;
  DIR *dir = opendir(fuzz_dir);
  if (dir) {
    struct dirent *e;
    char p[1024];
    while ((e = readdir(dir)) != NULL) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
        continue;
      snprintf(p, sizeof p, "%s/%s", fuzz_dir, e->d_name);
      unlink(p);
    }
    closedir(dir);
  }
  rmdir(fuzz_dir);
  fuzz_dir[0] = '\0';
}

/* The scratch directory ($TMPDIR or /tmp), created on first use and removed at exit. */
static inline const char *fuzz_tmpdir(void)
{
  if (fuzz_dir[0])
    return fuzz_dir;
  const char *base = getenv("TMPDIR");
  if (!base || !base[0])
    base = "/tmp";
  snprintf(fuzz_dir, sizeof fuzz_dir, "%s/shoal-fuzz-XXXXXX", base);
  if (!mkdtemp(fuzz_dir)) {
    perror("fuzz: mkdtemp");
    abort();
  }
  atexit(fuzz_cleanup);
  return fuzz_dir;
}

/* Path of name inside the scratch directory, in one of a few rotating static buffers. */
static inline const char *fuzz_path(const char *name)
{
  static char buf[8][600];
  static int k;
  char *b = buf[k++ % 8];
  snprintf(b, sizeof buf[0], "%s/%s", fuzz_tmpdir(), name);
  return b;
}

/* Write len bytes to the scratch file name; aborts on failure (a harness problem, not a bug). */
static inline void fuzz_write(const char *name, const void *data, size_t len)
{
  const char *p = fuzz_path(name);
  FILE *f = fopen(p, "wb");
  if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
    perror(p);
    abort();
  }
}

static inline void fuzz_remove(const char *name) { unlink(fuzz_path(name)); }

static FILE *fuzz_null_stream;

static inline void fuzz_close_devnull(void)
{
  if (fuzz_null_stream)
    fclose(fuzz_null_stream);
  fuzz_null_stream = NULL;
}

/* A stream that discards what is printed (messages, `shoal info` output); closed at exit so
 * that valgrind's reachable-memory report stays empty. */
static inline FILE *fuzz_devnull(void)
{
  if (!fuzz_null_stream) {
    if (!(fuzz_null_stream = fopen("/dev/null", "w"))) {
      perror("/dev/null");
      abort();
    }
    atexit(fuzz_close_devnull);
  }
  return fuzz_null_stream;
}

/* Where diagnostics go: nowhere, or stderr when SHOAL_FUZZ_VERBOSE is set (to see what a
 * seed exercises). */
static inline FILE *fuzz_msgs(void)
{
  static int verbose = -1;
  if (verbose < 0)
    verbose = getenv("SHOAL_FUZZ_VERBOSE") != NULL;
  return verbose ? stderr : fuzz_devnull();
}

#endif
