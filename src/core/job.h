/* One map job: load and validate the map file, set up the view and data, draw every output. */
#ifndef SHOAL_JOB_H
#define SHOAL_JOB_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "data/cache.h"

/* The pixel budget of every output (PNG, PDF and SVG alike): width x height x scale^2 device
 * pixels. A 200-megapixel page already takes 800 MB as an image; past it a typo in a size
 * would run the machine out of memory instead of failing at once. */
#define SHOAL_JOB_MAX_PIXELS 200e6

typedef struct shoal_job_opts {
  const char *map_path;
  const char *const *outputs; /* files to write; format from each extension; "-" is stdout */
  const char *format;         /* "png", "pdf" or "svg" for every output (--format), or NULL */
  size_t noutputs;
  const char *const *sets; /* "key=value" overrides */
  size_t nsets;
  int width, height; /* CSS px overriding map.size (0 = keep) */
  double scale;      /* overriding map.scale (0 = keep) */
  double max_pixels; /* device pixels a page may have (0 = SHOAL_JOB_MAX_PIXELS) */
  int png_palette;   /* --png-palette: 2..256 colours, -1 full colour, 0 = the map's own */
  int threads;       /* workers a PNG is drawn in bands with; 0 = one per core. A batch running
                        N jobs at once gives each its share, so bands don't crowd the cores and
                        memory (each worker holds a band image and a compressor) */
  bool check_only;   /* validate everything, open the data, draw nothing */
  bool strict_labels;
  bool skip_fresh;       /* skip when every output is newer than every input */
  const char *extra_dep; /* another input for skip_fresh (the batch file), or NULL */
  char ***deps_out;      /* if set: receives a copy of the map's input files (caller frees
                            each and the array), also when loading failed part-way */
  size_t *ndeps_out;
  shoal_datacache *cache;     /* shared data; NULL = the job opens its own */
  struct shoal_geocache *geo; /* shared prepared geometry; NULL = the job keeps its own */
  const struct shoal_searchpath *search; /* where includes and data files are looked for
                                            after the map file's own folder; NULL = there only */
  const atomic_int *cancel; /* borrowed; NULL = never. When it becomes non-zero (another thread
                               sets it, e.g. on SIGTERM) the job stops at its next check: before
                               it starts, after the scene is prepared, before each output, between
                               the layers, labels and furniture of an output being drawn, and
                               before an output drawn is kept (its temporary file is removed);
                               it returns SHOAL_ERR_INTERRUPTED and keeps the outputs done. */
} shoal_job_opts;

typedef struct shoal_job_stats {
  double seconds_load, seconds_draw;
  size_t features, pts_read, pts_drawn;
  size_t labels_placed, labels_dropped;
  bool skipped; /* outputs were up to date */
} shoal_job_stats;

/* Run the job. Every problem goes to d. stats may be NULL. Returns SHOAL_OK or the first
 * error's status. */
shoal_status shoal_job_run(const shoal_job_opts *o, shoal_diag *d, shoal_job_stats *stats);

#endif
