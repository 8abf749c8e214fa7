/* Batch files: a list of map jobs with defaults, overrides and a matrix (lang x scale x ...)
 * expanded into concrete jobs with output names from templates. */
#ifndef SHOAL_BATCHFILE_H
#define SHOAL_BATCHFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/searchpath.h"

typedef struct shoal_batch_job {
  char *name;     /* e.g. "spratlys [lang=vi scale=2]" */
  char *map;      /* map file path: beside the batch file if there, else found on the
                     search path, else as written relative to the batch file's folder */
  char **outputs; /* output paths; relative ones are relative to the current directory */
  size_t noutputs;
  char **sets; /* "key=value" overrides, in order: defaults, job, matrix values */
  size_t nsets;
  double scale; /* 0 = the map's */
  int width, height;
  size_t outputs_cap, sets_cap; /* allocated lengths of outputs and sets */
} shoal_batch_job;

typedef struct shoal_batch {
  char *path;
  shoal_batch_job *jobs;
  size_t njobs;
} shoal_batch;

/* Load and expand a batch file. A job's map: is looked for relative to the batch file's folder
 * first, then along sp (may be NULL: the batch file's folder only). Output templates are
 * relative to the current directory (as `render -o` is). Errors (file:line:col) go
 * to d; returns NULL when there were any. Caller frees with shoal_batch_free. */
shoal_batch *shoal_batch_load(const char *path, const shoal_searchpath *sp, shoal_diag *d);
void shoal_batch_free(shoal_batch *b);

/* Fill a name template: "{map}-{lang}@{scale}x.{ext}" with the values given as parallel
 * key/value arrays. Unknown keys are an error: returns NULL and sets *bad to the key's start
 * (offset in tmpl). Caller frees. */
char *shoal_batch_fill(const char *tmpl, const char *const *keys, const char *const *vals, size_t n,
                       size_t *bad);

/* True when path is a YAML file with a top-level `jobs:` list (and no `layers:`): a batch
 * file rather than a map file. False when it cannot be read (the caller reports that). */
bool shoal_batch_is_batch(const char *path);

/* True when job index k (0-based) belongs to shard i of n (1-based i): k mod n == i - 1. */
bool shoal_batch_in_shard(size_t k, unsigned i, unsigned n);

#endif
