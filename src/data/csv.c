/* RFC 4180 CSV splitting for `shoal import`, strict about quotes and with line numbers kept. */
#include "data/csv.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "data/shp_priv.h"

const char *shoal_csv_file(shoal_csv *c, shoal_diag *d)
{
  if (!c->dname || c->dname_for != d) {
    c->dname = shoal_diag_add_file(d, c->path, c->text, c->len);
    c->dname_for = d;
    if (!c->dname)
      return c->path;
  }
  return c->dname;
}

void shoal_csv_free(shoal_csv *c)
{
  free(c->text);
  free(c->arena);
  free(c->cell);
  free(c->row_first);
  free(c->row_ncells);
  free(c->row_line);
  memset(c, 0, sizeof *c);
}

const char *shoal_csv_cell(const shoal_csv *c, size_t r, int j)
{
  if (r >= c->nrows || j < 0 || j >= c->row_ncells[r])
    return "";
  return c->arena + c->cell[c->row_first[r] + (size_t)j];
}

static bool put(shoal_csv *c, char ch)
{
  /* Cells never outgrow the input plus one NUL each, which bounds the arena. */
  if (!SHOAL_GROW(&c->arena, &c->arena_cap, c->arena_len + 1, 64, 2 * c->len + 2))
    return false;
  c->arena[c->arena_len++] = ch;
  return true;
}

static bool new_cell(shoal_csv *c)
{
  if (!SHOAL_GROW(&c->cell, &c->cap_cells, c->ncells + 1, 64, c->len + 2))
    return false;
  c->cell[c->ncells++] = c->arena_len;
  return true;
}

static bool new_row(shoal_csv *c, int line)
{
  /* The three arrays grow in step, each with its own capacity, so a partial failure is safe. */
  size_t need = c->nrows + 1, max = SHOAL_CSV_MAX_ROWS + 1;
  if (!SHOAL_GROW(&c->row_first, &c->cap_first, need, 64, max) ||
      !SHOAL_GROW(&c->row_ncells, &c->cap_ncells, need, 64, max) ||
      !SHOAL_GROW(&c->row_line, &c->cap_line, need, 64, max))
    return false;
  c->row_first[c->nrows] = c->ncells;
  c->row_ncells[c->nrows] = 0;
  c->row_line[c->nrows] = line;
  c->nrows++;
  return true;
}

/* A line break (LF or CRLF) at p? */
static bool at_eol(const char *t, size_t p, size_t n)
{
  return p < n && (t[p] == '\n' || (t[p] == '\r' && p + 1 < n && t[p + 1] == '\n'));
}

static shoal_status nomem(const shoal_csv *c, shoal_diag *d)
{
  shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory reading '%s'", c->path);
  return SHOAL_ERR_NOMEM;
}

/* Where split() is in the text. */
typedef struct csv_pos {
  size_t p;
  int line;
} csv_pos;

/* A quoted field's contents from just after its opening quote; at stops after the closing one. */
static shoal_status quoted_field(shoal_csv *c, csv_pos *at, int start_line, int field_no,
                                 shoal_diag *d)
{
  const char *t = c->text;
  size_t n = c->len;
  for (;;) {
    if (at->p >= n) {
      shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), start_line, 0,
                       "unterminated quoted field (field %d)", field_no);
      return SHOAL_ERR_DATA;
    }
    if (t[at->p] == '"') {
      if (at->p + 1 < n && t[at->p + 1] == '"') {
        if (!put(c, '"'))
          return nomem(c, d);
        at->p += 2;
        continue;
      }
      at->p++;
      break;
    }
    if (t[at->p] == '\n')
      at->line++;
    if (!put(c, t[at->p]))
      return nomem(c, d);
    at->p++;
  }
  if (at->p < n && t[at->p] != ',' && !at_eol(t, at->p, n)) {
    shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), at->line, 0,
                     "unexpected character after the closing quote of field %d", field_no);
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* An unquoted field up to the next comma or line break. */
static shoal_status plain_field(shoal_csv *c, csv_pos *at, int field_no, shoal_diag *d)
{
  const char *t = c->text;
  size_t n = c->len;
  while (at->p < n && t[at->p] != ',' && !at_eol(t, at->p, n)) {
    if (t[at->p] == '"') {
      shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), at->line, 0,
                       "quote inside unquoted field %d (quote the whole field and double the "
                       "quote)",
                       field_no);
      return SHOAL_ERR_DATA;
    }
    if (!put(c, t[at->p]))
      return nomem(c, d);
    at->p++;
  }
  return SHOAL_OK;
}

/* One record: its fields up to the line break that ends it (outside quotes). */
static shoal_status record(shoal_csv *c, csv_pos *at, shoal_diag *d)
{
  const char *t = c->text;
  size_t n = c->len;
  int start_line = at->line;
  if (!new_row(c, start_line)) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, shoal_csv_file(c, d), at->line, 0,
                     "more than %d rows, or out of memory", SHOAL_CSV_MAX_ROWS);
    return SHOAL_ERR_NOMEM;
  }
  for (;;) {
    int *nc = &c->row_ncells[c->nrows - 1];
    if (*nc >= SHOAL_CSV_MAX_COLS) {
      shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), start_line, 0,
                       "more than %d fields in a row", SHOAL_CSV_MAX_COLS);
      return SHOAL_ERR_DATA;
    }
    if (!new_cell(c))
      return nomem(c, d);
    int field_no = ++*nc;
    shoal_status st;
    if (at->p < n && t[at->p] == '"') {
      at->p++;
      st = quoted_field(c, at, start_line, field_no, d);
    } else {
      st = plain_field(c, at, field_no, d);
    }
    if (st != SHOAL_OK)
      return st;
    if (!put(c, '\0'))
      return nomem(c, d);
    if (at->p < n && t[at->p] == ',') {
      at->p++;
      continue; /* a comma at the end of a line still opens an (empty) last field */
    }
    if (at->p < n)
      at->p += t[at->p] == '\r' ? 2 : 1;
    at->line++;
    return SHOAL_OK;
  }
}

static shoal_status split(shoal_csv *c, shoal_diag *d)
{
  const char *t = c->text;
  size_t n = c->len;
  csv_pos at = {0, 1};
  if (n >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
    at.p = 3; /* a UTF-8 byte order mark is not part of the first column's name */
  /* Comment and blank lines may precede the header only; after it every line is data. */
  while (at.p < n && (t[at.p] == '#' || at_eol(t, at.p, n))) {
    const char *nl = memchr(t + at.p, '\n', n - at.p);
    at.p = nl ? (size_t)(nl - t) + 1 : n;
    at.line++;
  }
  while (at.p < n) {
    if (at_eol(t, at.p, n)) {
      at.p += t[at.p] == '\r' ? 2 : 1; /* blank line between records */
      at.line++;
      continue;
    }
    shoal_status st = record(c, &at, d);
    if (st != SHOAL_OK)
      return st;
  }
  return SHOAL_OK;
}

shoal_status shoal_csv_read(shoal_csv *c, const char *path, shoal_diag *d)
{
  memset(c, 0, sizeof *c);
  c->path = path;
  int e = shoal_shp_slurp(path, SHOAL_CSV_MAX_BYTES, &c->text, &c->len);
  if (e) {
    char eb[128];
    if (strerror_r(e, eb, sizeof eb) != 0)
      eb[0] = '\0';
    if (e == EFBIG) {
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is larger than %zu MiB", path,
                       SHOAL_CSV_MAX_BYTES >> 20);
      return SHOAL_ERR_DATA;
    }
    shoal_status st = e == ENOMEM ? SHOAL_ERR_NOMEM : SHOAL_ERR_NOINPUT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot open '%s': %s", path, eb);
    return st;
  }
  const char *nul = memchr(c->text, '\0', c->len);
  if (nul) {
    int line = 1;
    for (const char *q = c->text; q < nul; q++)
      line += *q == '\n';
    shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), line, 0,
                     "NUL byte in the file (not a text file?)");
    shoal_csv_free(c);
    return SHOAL_ERR_DATA;
  }
  shoal_status st = split(c, d);
  if (st == SHOAL_OK && c->nrows == 0) {
    shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), 0, 0, "no header line");
    st = SHOAL_ERR_DATA;
  }
  if (st != SHOAL_OK) {
    /* Keep the registered name valid (it lives in d), drop everything else. */
    shoal_csv_free(c);
  }
  return st;
}

/* strtod alone would also take "0x73", "inf" and "nan": coordinates must not be those. */
bool shoal_csv_is_decimal(const char *s)
{
  const char *p = s;
  if (*p == '+' || *p == '-')
    p++;
  size_t digits = 0;
  while (isdigit((unsigned char)*p)) {
    p++;
    digits++;
  }
  if (*p == '.')
    for (p++; isdigit((unsigned char)*p); p++)
      digits++;
  if (!digits)
    return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '+' || *p == '-')
      p++;
    if (!isdigit((unsigned char)*p))
      return false;
    while (isdigit((unsigned char)*p))
      p++;
  }
  while (*p == ' ')
    p++;
  return *p == '\0';
}
