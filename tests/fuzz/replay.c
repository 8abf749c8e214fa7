/* Replays fuzz inputs without libFuzzer: calls LLVMFuzzerTestOneInput on every file named on
 * the command line and on every file in named directories (sorted, dot files skipped), so the
 * corpora and regression cases run under plain gcc, the ASan build and valgrind in CTest. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      fprintf(stderr, "replay: out of memory reading %s\n", path);
      fclose(f);
      return 1;
    }
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap)
      break;
    uint8_t *nb = realloc(buf, cap * 2);
    if (!nb)
      free(buf);
    buf = nb;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    perror(path);
    free(buf);
    return 1;
  }
  if (getenv("SHOAL_REPLAY_VERBOSE"))
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
  /* An exact-size copy, so that reading past the input shows under ASan and valgrind. */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return 1;
  }
  memcpy(exact, buf, n);
  free(buf);
  LLVMFuzzerTestOneInput(exact, n);
  free(exact);
  return 0;
}

static int cmp_names(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dirpath, size_t *count)
{
  DIR *dir = opendir(dirpath);
  if (!dir) {
    perror(dirpath);
    return 1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int errors = 0;
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nn = realloc(names, cap * sizeof *nn);
      if (!nn) {
        errors++;
        break;
      }
      names = nn;
    }
    size_t len = strlen(dirpath) + strlen(e->d_name) + 2;
    if (!(names[n] = malloc(len))) {
      errors++;
      break;
    }
    snprintf(names[n++], len, "%s/%s", dirpath, e->d_name);
  }
  closedir(dir);
  if (n)
    qsort(names, n, sizeof *names, cmp_names);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
      errors += run_file(names[i]);
      ++*count;
    }
    free(names[i]);
  }
  free(names);
  return errors;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  size_t count = 0;
  int errors = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      perror(argv[i]);
      errors++;
    } else if (S_ISDIR(st.st_mode)) {
      errors += run_dir(argv[i], &count);
    } else {
      errors += run_file(argv[i]);
      count++;
    }
  }
  printf("replayed %zu input%s\n", count, count == 1 ? "" : "s");
  return errors ? 1 : 0;
}
