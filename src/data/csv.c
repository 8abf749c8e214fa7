/* RFC 4180 CSV splitting for `shoal import`, strict about quotes and with line numbers kept. */
#include "data/csv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Grow a buffer of n elements of size el to hold need, doubling; false past max or on OOM. */
static bool grow(void **buf, size_t *cap, size_t need, size_t el, size_t max)
{
  if (need <= *cap)
    return true;
  if (need > max)
    return false;
  size_t nc = *cap ? *cap : 64;
  while (nc < need)
    nc = nc > max / 2 ? max : nc * 2;
  if (nc > SIZE_MAX / el)
    return false;
  void *nb = realloc(*buf, nc * el);
  if (!nb)
    return false;
  *buf = nb;
  *cap = nc;
  return true;
}

static bool put(shoal_csv *c, char ch)
{
  /* Cells never outgrow the input plus one NUL each, which bounds the arena. */
  void *b = c->arena;
  bool ok = grow(&b, &c->arena_cap, c->arena_len + 1, 1, 2 * c->len + 2);
  c->arena = b;
  if (ok)
    c->arena[c->arena_len++] = ch;
  return ok;
}

static bool new_cell(shoal_csv *c)
{
  void *b = c->cell;
  bool ok = grow(&b, &c->cap_cells, c->ncells + 1, sizeof(size_t), c->len + 2);
  c->cell = b;
  if (!ok)
    return false;
  c->cell[c->ncells++] = c->arena_len;
  return true;
}

static bool new_row(shoal_csv *c, int line)
{
  size_t need = c->nrows + 1;
  void *a = c->row_first, *b = c->row_ncells, *l = c->row_line;
  size_t ca = c->cap_rows, cb = c->cap_rows, cl = c->cap_rows;
  bool ok = grow(&a, &ca, need, sizeof(size_t), SHOAL_CSV_MAX_ROWS + 1) &&
            grow(&b, &cb, need, sizeof(int), SHOAL_CSV_MAX_ROWS + 1) &&
            grow(&l, &cl, need, sizeof(int), SHOAL_CSV_MAX_ROWS + 1);
  c->row_first = a;
  c->row_ncells = b;
  c->row_line = l;
  /* The three arrays grow in step; keep the smallest capacity so a partial failure is safe. */
  c->cap_rows = ca < cb ? (ca < cl ? ca : cl) : (cb < cl ? cb : cl);
  if (!ok)
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

static shoal_status split(shoal_csv *c, shoal_diag *d)
{
  const char *t = c->text;
  size_t n = c->len, p = 0;
  int line = 1;
  if (n >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
    p = 3; /* a UTF-8 byte order mark is not part of the first column's name */
  /* Comment and blank lines may precede the header only; after it every line is data. */
  while (p < n && (t[p] == '#' || at_eol(t, p, n))) {
    const char *nl = memchr(t + p, '\n', n - p);
    p = nl ? (size_t)(nl - t) + 1 : n;
    line++;
  }
  while (p < n) {
    if (at_eol(t, p, n)) {
      p += t[p] == '\r' ? 2 : 1; /* blank line between records */
      line++;
      continue;
    }
    int start_line = line;
    if (!new_row(c, start_line)) {
      shoal_diag_error(d, SHOAL_ERR_NOMEM, shoal_csv_file(c, d), line, 0,
                       "more than %d rows, or out of memory", SHOAL_CSV_MAX_ROWS);
      return SHOAL_ERR_NOMEM;
    }
    for (;;) {
      if (c->row_ncells[c->nrows - 1] >= SHOAL_CSV_MAX_COLS) {
        shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), start_line, 0,
                         "more than %d fields in a row", SHOAL_CSV_MAX_COLS);
        return SHOAL_ERR_DATA;
      }
      if (!new_cell(c))
        goto nomem;
      c->row_ncells[c->nrows - 1]++;
      int field_no = c->row_ncells[c->nrows - 1];
      if (p < n && t[p] == '"') {
        p++;
        for (;;) {
          if (p >= n) {
            shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), start_line, 0,
                             "unterminated quoted field (field %d)", field_no);
            return SHOAL_ERR_DATA;
          }
          if (t[p] == '"') {
            if (p + 1 < n && t[p + 1] == '"') {
              if (!put(c, '"'))
                goto nomem;
              p += 2;
              continue;
            }
            p++;
            break;
          }
          if (t[p] == '\n')
            line++;
          if (!put(c, t[p]))
            goto nomem;
          p++;
        }
        if (p < n && t[p] != ',' && !at_eol(t, p, n)) {
          shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), line, 0,
                           "unexpected character after the closing quote of field %d", field_no);
          return SHOAL_ERR_DATA;
        }
      } else {
        while (p < n && t[p] != ',' && !at_eol(t, p, n)) {
          if (t[p] == '"') {
            shoal_diag_error(d, SHOAL_ERR_DATA, shoal_csv_file(c, d), line, 0,
                             "quote inside unquoted field %d (quote the whole field and double "
                             "the quote)",
                             field_no);
            return SHOAL_ERR_DATA;
          }
          if (!put(c, t[p]))
            goto nomem;
          p++;
        }
      }
      if (!put(c, '\0'))
        goto nomem;
      if (p < n && t[p] == ',') {
        p++;
        continue; /* a comma at the end of a line still opens an (empty) last field */
      }
      if (p < n)
        p += t[p] == '\r' ? 2 : 1;
      line++;
      break;
    }
  }
  return SHOAL_OK;
nomem:
  shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory reading '%s'", c->path);
  return SHOAL_ERR_NOMEM;
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
