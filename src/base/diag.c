/* Error and warning collector with file:line:col, quoted source line, caret and did-you-mean. */
#include "base/diag.h"
#include "base/mem.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Caps keep a pathological input (a million bad keys) from eating memory. */
#define DIAG_MAX_MSGS 10000
#define DIAG_MAX_TEXT 4096
#define DIAG_MAX_FILES 100000
#define SUGGEST_MAX_LEN 128

typedef struct diag_file {
  char *name;
  char *text; /* NULL when only interned */
  size_t len;
} diag_file;

struct shoal_diag {
  /* Arrays of pointers so interned names and messages never move once handed out. */
  diag_file **files;
  size_t nfiles, capfiles;
  shoal_msg **msgs;
  size_t nmsgs, capmsgs;
  size_t nerrors, nwarnings;
  size_t dropped; /* messages not stored because of the cap or out of memory */
  shoal_status first;
};

/* Array arr (capacity *cap elements of elem bytes) grown to hold need: doubling,
 * overflow-checked, capped at max. Returns the array (perhaps moved), or NULL with arr intact. */
static void *grow(void *arr, size_t *cap, size_t need, size_t max, size_t elem)
{
  if (need <= *cap)
    return arr;
  if (need > max)
    return NULL;
  size_t ncap = *cap ? *cap : 16;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2)
      return NULL;
    ncap *= 2;
  }
  if (ncap > max)
    ncap = max;
  if (ncap > SIZE_MAX / elem)
    return NULL;
  void *n = realloc(arr, ncap * elem);
  if (!n)
    return NULL;
  *cap = ncap;
  return n;
}

shoal_diag *shoal_diag_new(void)
{
  shoal_diag *d = calloc(1, sizeof *d);
  if (d)
    d->first = SHOAL_OK;
  return d;
}

static void free_msg(shoal_msg *m)
{
  if (!m)
    return;
  free((char *)m->text);
  free(m);
}

void shoal_diag_free(shoal_diag *d)
{
  if (!d)
    return;
  for (size_t i = 0; i < d->nmsgs; i++)
    free_msg(d->msgs[i]);
  free(d->msgs);
  for (size_t i = 0; i < d->nfiles; i++) {
    free(d->files[i]->name);
    free(d->files[i]->text);
    free(d->files[i]);
  }
  free(d->files);
  free(d);
}

static diag_file *find_file(const shoal_diag *d, const char *path)
{
  if (!path)
    return NULL;
  /* Pointer match first: messages usually carry the interned name itself. */
  for (size_t i = 0; i < d->nfiles; i++)
    if (d->files[i]->name == path)
      return d->files[i];
  for (size_t i = 0; i < d->nfiles; i++)
    if (strcmp(d->files[i]->name, path) == 0)
      return d->files[i];
  return NULL;
}

static diag_file *intern_file(shoal_diag *d, const char *path)
{
  diag_file *f = find_file(d, path);
  if (f)
    return f;
  diag_file **files = grow(d->files, &d->capfiles, d->nfiles + 1, DIAG_MAX_FILES, sizeof *files);
  if (!files)
    return NULL;
  d->files = files;
  f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->name = shoal_strndup(path, strlen(path));
  if (!f->name) {
    free(f);
    return NULL;
  }
  d->files[d->nfiles++] = f;
  return f;
}

const char *shoal_diag_add_file(shoal_diag *d, const char *path, const char *text, size_t len)
{
  if (!d || !path)
    return NULL;
  diag_file *f = intern_file(d, path);
  if (!f)
    return NULL;
  if (text) {
    /* A file read twice (diamond includes) keeps the latest text; it is the same file. */
    char *copy = shoal_strndup(text, len);
    if (copy) {
      free(f->text);
      f->text = copy;
      f->len = len;
    }
  }
  return f->name;
}

const char *shoal_diag_intern(shoal_diag *d, const char *path)
{
  if (!d || !path)
    return NULL;
  diag_file *f = intern_file(d, path);
  return f ? f->name : NULL;
}

/* Store one message; counts are kept even when the text cannot be stored so that the status
 * stays right under memory pressure. */
static void add_msg(shoal_diag *d, shoal_severity sev, shoal_status status, const char *file,
                    int line, int col, const char *fmt, va_list ap)
{
  if (!d)
    return;
  if (sev == SHOAL_SEV_ERROR) {
    if (status == SHOAL_OK)
      status = SHOAL_ERR_INTERNAL; /* an error must never read as success */
    d->nerrors++;
    if (d->first == SHOAL_OK)
      d->first = status;
  } else if (sev == SHOAL_SEV_WARNING) {
    d->nwarnings++;
  }
  shoal_msg **msgs = grow(d->msgs, &d->capmsgs, d->nmsgs + 1, DIAG_MAX_MSGS, sizeof *msgs);
  if (!msgs) {
    d->dropped++;
    return;
  }
  d->msgs = msgs;
  char buf[DIAG_MAX_TEXT];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  if (n < 0) {
    buf[0] = '\0';
    n = 0;
  }
  size_t len = (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1;
  shoal_msg *m = calloc(1, sizeof *m);
  char *text = shoal_strndup(buf, len);
  const char *fname = file ? shoal_diag_intern(d, file) : NULL;
  if (!m || !text || (file && !fname)) {
    free(m);
    free(text);
    d->dropped++;
    return;
  }
  m->sev = sev;
  m->status = sev == SHOAL_SEV_ERROR ? status : SHOAL_OK;
  m->file = fname;
  m->line = line > 0 ? line : 0;
  m->col = col > 0 ? col : 0;
  m->text = text;
  d->msgs[d->nmsgs++] = m;
}

void shoal_diag_verror(shoal_diag *d, shoal_status status, const char *file, int line, int col,
                       const char *fmt, va_list ap)
{
  add_msg(d, SHOAL_SEV_ERROR, status, file, line, col, fmt, ap);
}

void shoal_diag_error(shoal_diag *d, shoal_status status, const char *file, int line, int col,
                      const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_msg(d, SHOAL_SEV_ERROR, status, file, line, col, fmt, ap);
  va_end(ap);
}

void shoal_diag_warn(shoal_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_msg(d, SHOAL_SEV_WARNING, SHOAL_OK, file, line, col, fmt, ap);
  va_end(ap);
}

void shoal_diag_note(shoal_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_msg(d, SHOAL_SEV_NOTE, SHOAL_OK, file, line, col, fmt, ap);
  va_end(ap);
}

void shoal_diag_error_at(shoal_diag *d, shoal_status status, shoal_loc loc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_msg(d, SHOAL_SEV_ERROR, status, loc.file, loc.line, loc.col, fmt, ap);
  va_end(ap);
}

void shoal_diag_warn_at(shoal_diag *d, shoal_loc loc, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_msg(d, SHOAL_SEV_WARNING, SHOAL_OK, loc.file, loc.line, loc.col, fmt, ap);
  va_end(ap);
}

size_t shoal_diag_count(const shoal_diag *d) { return d ? d->nmsgs : 0; }
size_t shoal_diag_nerrors(const shoal_diag *d) { return d ? d->nerrors : 0; }
size_t shoal_diag_nwarnings(const shoal_diag *d) { return d ? d->nwarnings : 0; }

const shoal_msg *shoal_diag_get(const shoal_diag *d, size_t i)
{
  return d && i < d->nmsgs ? d->msgs[i] : NULL;
}

shoal_status shoal_diag_status(const shoal_diag *d) { return d ? d->first : SHOAL_OK; }

static const char *sev_name(shoal_severity s)
{
  switch (s) {
  case SHOAL_SEV_ERROR: return "error";
  case SHOAL_SEV_WARNING: return "warning";
  case SHOAL_SEV_NOTE: return "note";
  }
  return "error";
}

/* Find line `line` (1-based) in text; sets *start and *len (without the line break). */
static int find_line(const diag_file *f, int line, const char **start, size_t *len)
{
  const char *p = f->text, *end = f->text + f->len;
  for (int l = 1; l < line; l++) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      return 0;
    p = nl + 1;
  }
  if (p >= end && line > 1)
    return 0;
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
  if (n && p[n - 1] == '\r')
    n--;
  *start = p;
  *len = n;
  return 1;
}

void shoal_diag_print_msg(const shoal_diag *d, const shoal_msg *m, FILE *out)
{
  if (!m || !out)
    return;
  const char *sev = sev_name(m->sev);
  if (!m->file)
    fprintf(out, "shoal: %s: %s\n", sev, m->text);
  else if (m->line > 0 && m->col > 0)
    fprintf(out, "%s:%d:%d: %s: %s\n", m->file, m->line, m->col, sev, m->text);
  else if (m->line > 0)
    fprintf(out, "%s:%d: %s: %s\n", m->file, m->line, sev, m->text);
  else
    fprintf(out, "%s: %s: %s\n", m->file, sev, m->text);

  const diag_file *f = d ? find_file(d, m->file) : NULL;
  const char *ls;
  size_t ll;
  if (!f || !f->text || m->line <= 0 || !find_line(f, m->line, &ls, &ll))
    return;
  /* A line of megabytes (a runaway title) is quoted up to the caret and a little after. */
  const char *more = "";
  if (ll > 240) {
    if (m->col > 160)
      return;
    ll = 200;
    while (ll > 0 && ((unsigned char)ls[ll] & 0xC0) == 0x80)
      ll--;
    more = " ...";
  }
  fprintf(out, "%5d | %.*s%s\n", m->line, (int)ll, ls, more);
  if (m->col <= 0)
    return;
  /* Columns count characters (as libyaml does), so walk UTF-8 code points; tabs are copied so
   * the caret lines up whatever the terminal's tab width. */
  fputs("      | ", out);
  size_t i = 0;
  for (int c = 1; c < m->col && i < ll; c++) {
    fputc(ls[i] == '\t' ? '\t' : ' ', out);
    i++;
    while (i < ll && ((unsigned char)ls[i] & 0xC0) == 0x80)
      i++;
  }
  fputs("^\n", out);
}

void shoal_diag_print(const shoal_diag *d, FILE *out, int show_warnings)
{
  if (!d || !out)
    return;
  int skipping = 0; /* notes follow the message they explain, so skip them with it */
  for (size_t i = 0; i < d->nmsgs; i++) {
    const shoal_msg *m = d->msgs[i];
    if (m->sev == SHOAL_SEV_WARNING)
      skipping = !show_warnings;
    else if (m->sev == SHOAL_SEV_ERROR)
      skipping = 0;
    if (skipping)
      continue;
    shoal_diag_print_msg(d, m, out);
  }
  if (d->dropped)
    fprintf(out, "shoal: note: %zu more message%s not shown\n", d->dropped,
            d->dropped == 1 ? "" : "s");
}

void shoal_diag_take(shoal_diag *dst, shoal_diag *src)
{
  if (!dst || !src || dst == src)
    return;
  size_t moved_err = 0, moved_warn = 0;
  for (size_t i = 0; i < src->nmsgs; i++) {
    shoal_msg *m = src->msgs[i];
    src->msgs[i] = NULL;
    if (m->sev == SHOAL_SEV_ERROR)
      moved_err++;
    else if (m->sev == SHOAL_SEV_WARNING)
      moved_warn++;
    /* Re-intern the file (with its text, for carets) so the message outlives src. */
    const char *fname = NULL;
    if (m->file) {
      const diag_file *sf = find_file(src, m->file);
      const diag_file *df = find_file(dst, m->file);
      if (df && (df->text || !sf || !sf->text))
        fname = df->name;
      else if (sf && sf->text)
        fname = shoal_diag_add_file(dst, sf->name, sf->text, sf->len);
      else
        fname = shoal_diag_intern(dst, m->file);
    }
    if (m->sev == SHOAL_SEV_ERROR) {
      dst->nerrors++;
      if (dst->first == SHOAL_OK)
        dst->first = m->status;
    } else if (m->sev == SHOAL_SEV_WARNING) {
      dst->nwarnings++;
    }
    shoal_msg **msgs = m->file && !fname ? NULL
                                         : grow(dst->msgs, &dst->capmsgs, dst->nmsgs + 1,
                                                DIAG_MAX_MSGS, sizeof *msgs);
    if (!msgs) {
      free_msg(m);
      dst->dropped++;
      continue;
    }
    dst->msgs = msgs;
    m->file = fname;
    dst->msgs[dst->nmsgs++] = m;
  }
  /* Messages src counted but never stored (cap, memory) still count in dst. */
  if (src->nerrors > moved_err)
    dst->nerrors += src->nerrors - moved_err;
  if (src->nwarnings > moved_warn)
    dst->nwarnings += src->nwarnings - moved_warn;
  dst->dropped += src->dropped;
  if (dst->first == SHOAL_OK && src->first != SHOAL_OK)
    dst->first = src->first;
  src->nmsgs = 0;
  src->nerrors = src->nwarnings = src->dropped = 0;
  src->first = SHOAL_OK;
}

/* Optimal-string-alignment distance (Levenshtein plus adjacent transposition), ASCII
 * case-insensitive; inputs are capped at SUGGEST_MAX_LEN bytes by the caller. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
  size_t rows[3][SUGGEST_MAX_LEN + 1];
  size_t *pp = rows[0], *p = rows[1], *c = rows[2];
  for (size_t j = 0; j <= lb; j++)
    p[j] = j;
  for (size_t i = 1; i <= la; i++) {
    c[0] = i;
    char ai = a[i - 1];
    if (ai >= 'A' && ai <= 'Z')
      ai = (char)(ai - 'A' + 'a');
    for (size_t j = 1; j <= lb; j++) {
      char bj = b[j - 1];
      if (bj >= 'A' && bj <= 'Z')
        bj = (char)(bj - 'A' + 'a');
      size_t cost = ai == bj ? 0 : 1;
      size_t v = p[j] + 1;
      if (c[j - 1] + 1 < v)
        v = c[j - 1] + 1;
      if (p[j - 1] + cost < v)
        v = p[j - 1] + cost;
      if (i > 1 && j > 1) {
        char ap = a[i - 2], bp = b[j - 2];
        if (ap >= 'A' && ap <= 'Z')
          ap = (char)(ap - 'A' + 'a');
        if (bp >= 'A' && bp <= 'Z')
          bp = (char)(bp - 'A' + 'a');
        if (ai == bp && ap == bj && pp[j - 2] + 1 < v)
          v = pp[j - 2] + 1;
      }
      c[j] = v;
    }
    size_t *t = pp;
    pp = p;
    p = c;
    c = t;
  }
  return p[lb];
}

const char *shoal_suggest(const char *word, const char *const *cands, size_t n)
{
  if (!word || !cands)
    return NULL;
  size_t lw = strlen(word);
  if (lw == 0 || lw > SUGGEST_MAX_LEN)
    return NULL;
  size_t limit = lw / 3 > 1 ? lw / 3 : 1;
  const char *best = NULL;
  size_t bestd = limit + 1;
  for (size_t i = 0; i < n; i++) {
    if (!cands[i])
      continue;
    size_t lc = strlen(cands[i]);
    if (lc > SUGGEST_MAX_LEN)
      continue;
    /* Length difference is a lower bound on the distance: skip hopeless candidates cheaply. */
    size_t diff = lc > lw ? lc - lw : lw - lc;
    if (diff >= bestd)
      continue;
    size_t dist = osa_distance(word, lw, cands[i], lc);
    if (dist < bestd) {
      bestd = dist;
      best = cands[i];
    }
  }
  return best;
}
