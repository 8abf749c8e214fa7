/* RFC 4180 CSV reader used by `shoal import`: '#' comment lines before the header, quoted
 * fields with "" escapes and line breaks, CRLF or LF; every cell kept as a NUL-terminated
 * string with the line its record starts on. Internal to src/data/. */
#ifndef SHOAL_CSV_H
#define SHOAL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/status.h"

#define SHOAL_CSV_MAX_BYTES ((size_t)128 << 20) /* input file */
#define SHOAL_CSV_MAX_ROWS 10000000
#define SHOAL_CSV_MAX_COLS 1024

typedef struct shoal_csv {
  const char *path;
  char *text; /* the file, NUL-terminated */
  size_t len;
  char *arena; /* unescaped cells, each NUL-terminated */
  size_t arena_len, arena_cap;
  size_t *cell; /* offset of each cell in arena */
  size_t ncells, cap_cells;
  size_t *row_first; /* first cell of each row; row 0 is the header */
  int *row_ncells, *row_line;
  size_t nrows, cap_first, cap_ncells, cap_line;
  const char *dname; /* path as registered with dname_for, NULL until first message */
  const shoal_diag *dname_for;
} shoal_csv;

/* Read and split path. Errors ("file:line: error: ...") go to d; the file's text is handed to
 * d for quoting. On failure the struct is left empty. Free with shoal_csv_free. */
shoal_status shoal_csv_read(shoal_csv *c, const char *path, shoal_diag *d);
void shoal_csv_free(shoal_csv *c);

/* Cell j of row r (row 0 = header); "" when the row is short. Borrowed until free. */
const char *shoal_csv_cell(const shoal_csv *c, size_t r, int j);

/* The name under which c's file is known to d (its text registered on first use) so that
 * messages quote the offending line. Borrowed until d is freed (c's own path when d is out of
 * memory). */
const char *shoal_csv_file(shoal_csv *c, shoal_diag *d);

/* Is s a plain decimal number (sign, digits with an optional fraction, an optional exponent;
 * trailing spaces allowed), not hex, inf or nan? */
bool shoal_csv_is_decimal(const char *s);

#endif
