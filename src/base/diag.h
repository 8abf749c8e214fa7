/* Error and warning collector: every message carries file:line:col and, where the file's text
 * is known, the offending source line with a caret under the column (as jq and compilers do). */
#ifndef SHOAL_DIAG_H
#define SHOAL_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "base/status.h"

typedef struct shoal_diag shoal_diag;

/* Where something was written: a file (interned in the diag; borrowed) and 1-based line and
 * column, 0 when unknown. */
typedef struct shoal_loc {
  const char *file;
  int line, col;
} shoal_loc;

typedef enum shoal_severity {
  SHOAL_SEV_ERROR = 0,
  SHOAL_SEV_WARNING = 1,
  SHOAL_SEV_NOTE = 2
} shoal_severity;

/* One collected message. All strings borrowed until the diag is freed. */
typedef struct shoal_msg {
  shoal_severity sev;
  shoal_status status; /* for errors: which exit code it asks for */
  const char *file;    /* NULL when not about a file */
  int line, col;       /* 1-based; 0 = unknown */
  const char *text;
} shoal_msg;

/* Caller frees with shoal_diag_free. Returns NULL only when out of memory. */
shoal_diag *shoal_diag_new(void);
void shoal_diag_free(shoal_diag *d);

/* Remember a file's text so that messages about it can quote the line. The text is copied.
 * Returns the interned file name, borrowed until the diag is freed; use it as `file` below. */
const char *shoal_diag_add_file(shoal_diag *d, const char *path, const char *text, size_t len);
/* Interned copy of a name without text (e.g. a shapefile path); borrowed until the diag is freed.
 */
const char *shoal_diag_intern(shoal_diag *d, const char *path);

/* Record an error. file may be NULL; line/col 0 when unknown. status is the exit code it implies.
 */
void shoal_diag_error(shoal_diag *d, shoal_status status, const char *file, int line, int col,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void shoal_diag_warn(shoal_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A note explaining the message before it (e.g. "included from here"); printed and skipped
 * together with that message. */
void shoal_diag_note(shoal_diag *d, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void shoal_diag_verror(shoal_diag *d, shoal_status status, const char *file, int line, int col,
                       const char *fmt, va_list ap);

/* The same, at a location: the form every module uses for errors about something a user wrote. */
void shoal_diag_error_at(shoal_diag *d, shoal_status status, shoal_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void shoal_diag_warn_at(shoal_diag *d, shoal_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

size_t shoal_diag_count(const shoal_diag *d); /* all messages */
size_t shoal_diag_nerrors(const shoal_diag *d);
size_t shoal_diag_nwarnings(const shoal_diag *d);
const shoal_msg *shoal_diag_get(const shoal_diag *d, size_t i); /* borrowed */
/* SHOAL_OK if no errors, else the status of the first error. */
shoal_status shoal_diag_status(const shoal_diag *d);

/* Print every message in order, each as
 *   file:line:col: error: text
 *      12 |     strok: red
 *         |     ^
 * (source quote only when the file's text is known and line > 0). Warnings are skipped when
 * show_warnings is 0. Messages without a file print as "shoal: error: text". */
void shoal_diag_print(const shoal_diag *d, FILE *out, int show_warnings);
/* Same, for one message. */
void shoal_diag_print_msg(const shoal_diag *d, const shoal_msg *m, FILE *out);

/* Move all messages of src to the end of dst (used by batch to merge job diagnostics). */
void shoal_diag_take(shoal_diag *dst, shoal_diag *src);

/* Closest candidate to word by edit distance (case-insensitive), or NULL when none is within
 * max(1, strlen(word)/3) edits. Borrowed from cands. */
const char *shoal_suggest(const char *word, const char *const *cands, size_t n);

#endif
