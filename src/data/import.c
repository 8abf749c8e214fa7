/* `shoal import` from CSV: rows to points, or groups of rows to lines, with typed DBF fields. */
#include "data/import.h"
#include "data/ogr_priv.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "data/csv.h"
#include "data/import_priv.h"
#include "data/shp_priv.h"

typedef struct imp {
  const shoal_import_opts *o;
  shoal_diag *d;
  shoal_csv c;
  int ncols;
  int nerr;
  locale_t cloc;
  int lon, lat, group, order; /* column indexes; -1 when not used */
  double *x, *y;              /* per data row (index r - 1) */
  size_t nrows;               /* data rows */
  /* Lines: groups in order of first appearance, rows of group g at members[gstart[g]..]. */
  size_t ngroups;
  size_t *gstart;  /* ngroups + 1 */
  size_t *members; /* data row indexes sorted into groups */
  size_t *grow_of; /* group of each data row */
} imp;

/* Report at line of c's file; stops recording after IMPORT_MAX_ERRORS. */
__attribute__((format(printf, 3, 4))) static void err(imp *m, int line, const char *fmt, ...)
{
  m->nerr++;
  if (m->nerr > IMPORT_MAX_ERRORS)
    return;
  va_list ap;
  va_start(ap, fmt);
  if (m->nerr == IMPORT_MAX_ERRORS)
    shoal_diag_error(m->d, SHOAL_ERR_DATA, shoal_csv_file(&m->c, m->d), line, 0,
                     "too many errors; stopping here");
  else
    shoal_diag_verror(m->d, SHOAL_ERR_DATA, shoal_csv_file(&m->c, m->d), line, 0, fmt, ap);
  va_end(ap);
}

static int header_line(const imp *m) { return m->c.row_line[0]; }
static int row_line(const imp *m, size_t r) { return m->c.row_line[r + 1]; }
static const char *cell(const imp *m, size_t r, int j) { return shoal_csv_cell(&m->c, r + 1, j); }
static const char *colname(const imp *m, int j) { return shoal_csv_cell(&m->c, 0, j); }

static int find_col(const imp *m, const char *name)
{
  for (int j = 0; j < m->ncols; j++)
    if (!strcmp(colname(m, j), name))
      return j;
  return -1;
}

/* Column named by an option, or an error naming the closest header name. */
static int need_col(imp *m, const char *name, const char *opt)
{
  int j = find_col(m, name);
  if (j >= 0)
    return j;
  const char *cands[SHOAL_CSV_MAX_COLS];
  for (int k = 0; k < m->ncols; k++)
    cands[k] = colname(m, k);
  const char *near = shoal_suggest(name, cands, (size_t)m->ncols);
  if (near)
    err(m, header_line(m), "no column '%s' (%s) (did you mean '%s'?)", name, opt, near);
  else
    err(m, header_line(m), "no column '%s' (%s)", name, opt);
  return -1;
}

/* Parse a decimal number in the C locale, allowing surrounding spaces; false unless all of s
 * is one (hex, inf and nan are not). */
static bool parse_num(const imp *m, const char *s, double *v)
{
  while (*s == ' ')
    s++;
  if (!*s || !shoal_csv_is_decimal(s))
    return false;
  locale_t old = uselocale(m->cloc);
  char *end;
  errno = 0;
  *v = strtod(s, &end);
  int e = errno;
  uselocale(old);
  while (*end == ' ')
    end++;
  return end != s && *end == '\0' && e != ERANGE && isfinite(*v);
}

/* "lon 200 is outside -180..180", with the option that allows it when there is one. */
static void out_of_range(imp *m, size_t r, const char *name, const char *t, double v, double lo,
                         double hi, bool lon)
{
  const char *hint = "";
  if (lon && !m->o->lon_360 && v > 180 && v <= 360)
    hint = " (longitudes east of 180 need --lon-range 0..360)";
  else if (lon && m->o->lon_360 && v < 0 && v >= -180)
    hint = " (with --lon-range 0..360; west longitudes need the default -180..180)";
  while (*t == ' ')
    t++;
  err(m, row_line(m, r), "%s %s is outside %g..%g%s", name, t, lo, hi, hint);
}

static void read_coords(imp *m)
{
  for (size_t r = 0; r < m->nrows; r++) {
    const char *names[2] = {colname(m, m->lon), colname(m, m->lat)};
    int cols[2] = {m->lon, m->lat};
    double lo[2] = {m->o->lon_360 ? 0 : -180, -90}, hi[2] = {m->o->lon_360 ? 360 : 180, 90};
    double *dst[2] = {&m->x[r], &m->y[r]};
    for (int k = 0; k < 2; k++) {
      const char *t = cell(m, r, cols[k]);
      if (!*t)
        err(m, row_line(m, r), "%s is empty", names[k]);
      else if (!parse_num(m, t, dst[k]))
        err(m, row_line(m, r), "%s '%s' is not a decimal number", names[k], t);
      else if (*dst[k] < lo[k] || *dst[k] > hi[k])
        out_of_range(m, r, names[k], t, *dst[k], lo[k], hi[k], k == 0);
    }
  }
}

static uint64_t fnv1a(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* Assign each row to a group by the group column's text (one group when there is none). */
static bool make_groups(imp *m)
{
  size_t n = m->nrows, cap = 16;
  while (cap < 2 * n)
    cap *= 2;
  size_t *slot = malloc(cap * sizeof *slot); /* group index + 1, 0 = empty */
  size_t *first = malloc((n ? n : 1) * sizeof *first);
  m->grow_of = malloc((n ? n : 1) * sizeof *m->grow_of);
  if (!slot || !first || !m->grow_of) {
    free(slot);
    free(first);
    return false;
  }
  memset(slot, 0, cap * sizeof *slot);
  m->ngroups = 0;
  for (size_t r = 0; r < n; r++) {
    if (m->group < 0) {
      if (m->ngroups == 0)
        first[m->ngroups++] = r;
      m->grow_of[r] = 0;
      continue;
    }
    const char *key = cell(m, r, m->group);
    size_t h = (size_t)fnv1a(key) & (cap - 1);
    while (slot[h] && strcmp(cell(m, first[slot[h] - 1], m->group), key) != 0)
      h = (h + 1) & (cap - 1);
    if (!slot[h]) {
      first[m->ngroups] = r;
      slot[h] = ++m->ngroups;
    }
    m->grow_of[r] = slot[h] - 1;
  }
  free(slot);
  free(first);
  /* Counting sort of rows into groups keeps file order inside each group. */
  m->gstart = calloc(m->ngroups + 1, sizeof *m->gstart);
  m->members = malloc((n ? n : 1) * sizeof *m->members);
  if (!m->gstart || !m->members)
    return false;
  for (size_t r = 0; r < n; r++)
    m->gstart[m->grow_of[r] + 1]++;
  for (size_t g = 0; g < m->ngroups; g++)
    m->gstart[g + 1] += m->gstart[g];
  size_t *fill = malloc((m->ngroups ? m->ngroups : 1) * sizeof *fill);
  if (!fill)
    return false;
  memcpy(fill, m->gstart, m->ngroups * sizeof *fill);
  for (size_t r = 0; r < n; r++)
    m->members[fill[m->grow_of[r]]++] = r;
  free(fill);
  return true;
}

typedef struct keyed {
  double key;
  size_t row;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
  const keyed *p = a, *q = b;
  if (p->key != q->key)
    return p->key < q->key ? -1 : 1;
  return (p->row > q->row) - (p->row < q->row);
}

/* Sort each group's rows by the --order column; repeated values are an error. */
static bool order_groups(imp *m)
{
  keyed *k = malloc((m->nrows ? m->nrows : 1) * sizeof *k);
  if (!k)
    return false;
  for (size_t g = 0; g < m->ngroups; g++) {
    size_t a = m->gstart[g], b = m->gstart[g + 1];
    bool ok = true;
    for (size_t i = a; i < b; i++) {
      size_t r = m->members[i];
      const char *t = cell(m, r, m->order);
      k[i - a].row = r;
      if (!parse_num(m, t, &k[i - a].key)) {
        err(m, row_line(m, r), "%s '%s' is not a decimal number", colname(m, m->order), t);
        ok = false;
      }
    }
    if (!ok)
      continue;
    qsort(k, b - a, sizeof *k, cmp_keyed);
    for (size_t i = a; i < b; i++) {
      m->members[i] = k[i - a].row;
      if (i > a && k[i - a].key == k[i - a - 1].key)
        err(m, row_line(m, k[i - a].row), "%s %s appears twice in group '%s' (also on line %d)",
            colname(m, m->order), cell(m, k[i - a].row, m->order),
            m->group >= 0 ? cell(m, k[i - a].row, m->group) : "", row_line(m, k[i - a - 1].row));
    }
  }
  free(k);
  return true;
}

/* Kinds of CSV values, for typing a column. */
enum { V_EMPTY, V_INT, V_DEC, V_TEXT };

/* Plain integers and decimals only: no '+', exponent or leading zeros, so that the number
 * written to the DBF reads back as the same text. */
static int classify(const char *v, int *intlen, int *decs)
{
  const char *p = v;
  if (!*p)
    return V_EMPTY;
  if (*p == '-')
    p++;
  if (!isdigit((unsigned char)*p) || (*p == '0' && isdigit((unsigned char)p[1])))
    return V_TEXT;
  while (isdigit((unsigned char)*p))
    p++;
  *intlen = (int)(p - v);
  *decs = 0;
  if (!*p)
    return V_INT;
  if (*p != '.' || !isdigit((unsigned char)p[1]))
    return V_TEXT;
  const char *q = ++p;
  while (isdigit((unsigned char)*p))
    p++;
  if (*p)
    return V_TEXT;
  *decs = (int)(p - q);
  return V_DEC;
}

/* The data row whose value represents record i: row i for points, a group's first for lines. */
static size_t rec_row(const imp *m, size_t i) { return m->o->lines ? m->members[m->gstart[i]] : i; }
static size_t nrecs(const imp *m) { return m->o->lines ? m->ngroups : m->nrows; }

/* Type and size column j's field from its record values. */
static void type_field(imp *m, int j, imp_field *f)
{
  int maxint = 0, maxdec = 0, maxsig = 0, kinds = 0;
  size_t maxlen = 0, longest = 0;
  for (size_t i = 0; i < nrecs(m); i++) {
    const char *v = cell(m, rec_row(m, i), j);
    int il = 0, dc = 0, k = classify(v, &il, &dc);
    kinds |= 1 << k;
    if (il > maxint)
      maxint = il;
    if (dc > maxdec)
      maxdec = dc;
    int sig = il - (v[0] == '-') + dc;
    if (sig > maxsig)
      maxsig = sig;
    size_t len = strlen(v);
    if (len > maxlen) {
      maxlen = len;
      longest = i;
    }
  }
  f->src = j;
  f->decimals = 0;
  bool numeric = !(kinds & (1 << V_TEXT)) && (kinds & ((1 << V_INT) | (1 << V_DEC)));
  /* Integers are written as their text, so only the width limits them. */
  if (numeric && !(kinds & (1 << V_DEC)) && maxint <= 18) {
    f->native = 'N';
    f->width = maxint;
    return;
  }
  /* Past 15 significant digits a double would not give the text back: keep it as text. */
  if (numeric && maxsig <= 15) {
    f->native = 'N';
    f->decimals = maxdec;
    f->width = maxint + 1 + maxdec;
    return;
  }
  f->native = 'C';
  f->width = maxlen > 0 ? (int)(maxlen > INT32_MAX ? INT32_MAX : maxlen) : 1;
  if (maxlen > DBF_MAX_STRING)
    err(m, row_line(m, rec_row(m, longest)),
        "value of column '%s' is %zu bytes; a DBF string holds at most %d", colname(m, j), maxlen,
        DBF_MAX_STRING);
}

/* Does column j hold the same text on every row of each group? If not, sets *grp and the
 * data rows *a, *b of the first difference. */
static bool varies(const imp *m, int j, size_t *grp, size_t *a, size_t *b)
{
  for (size_t g = 0; g < m->ngroups; g++) {
    size_t r0 = m->members[m->gstart[g]];
    for (size_t i = m->gstart[g] + 1; i < m->gstart[g + 1]; i++)
      if (strcmp(cell(m, m->members[i], j), cell(m, r0, j)) != 0) {
        *grp = g;
        *a = r0;
        *b = m->members[i];
        return true;
      }
  }
  return false;
}

/* Choose the output fields: every column except coordinates and the order (and, for lines,
 * columns that vary within a group), renamed, then the --add-field constants. */
static int plan_fields(imp *m, imp_field *fields)
{
  int nf = 0;
  for (int j = 0; j < m->ncols; j++) {
    if (j == m->lon || j == m->lat || j == m->order)
      continue;
    const char *name = colname(m, j);
    size_t g, a, b;
    if (m->o->lines && varies(m, j, &g, &a, &b)) {
      int la = row_line(m, a), lb = row_line(m, b);
      shoal_diag_warn(m->d, shoal_csv_file(&m->c, m->d), header_line(m), 0,
                      "column '%s' varies within group '%s' (lines %d and %d); dropped", name,
                      m->group >= 0 ? cell(m, a, m->group) : "", la < lb ? la : lb,
                      la < lb ? lb : la);
      continue;
    }
    imp_field *f = &fields[nf];
    memset(f, 0, sizeof *f);
    const char *to = shoal_import_renamed(m->o, name);
    const char *use = to ? to : name;
    if (!*name) {
      err(m, header_line(m), "column %d has an empty name", j + 1);
      continue;
    }
    if (!shoal_import_name_ok(use)) {
      if (strlen(use) > DBF_MAX_NAME)
        err(m, header_line(m),
            "column name '%s' is longer than %d characters (the DBF limit); rename it with "
            "--rename %s=NEWNAME",
            use, DBF_MAX_NAME, name);
      else
        err(m, header_line(m),
            "column name '%s' is not a valid DBF field name (ASCII letters, digits or '_', "
            "starting with a letter); rename it with --rename %s=NEWNAME",
            use, name);
      continue;
    }
    snprintf(f->name, sizeof f->name, "%s", use);
    type_field(m, j, f);
    nf++;
  }
  shoal_import_add_constants(m->o, fields, &nf);
  int first, dup = shoal_import_name_clash(fields, nf, &first);
  if (dup >= 0)
    err(m, header_line(m), "field name '%s' is used twice ('%s' and '%s')", fields[dup].name,
        fields[first].src >= 0 ? colname(m, fields[first].src) : fields[first].name,
        fields[dup].src >= 0 ? colname(m, fields[dup].src) : fields[dup].name);
  return nf;
}

/* Check renames name real columns and nothing in the header is unusable. */
static void check_header(imp *m)
{
  for (int i = 0; i < m->o->nrenames; i++) {
    const char *spec = m->o->renames[i], *eq = strchr(spec, '=');
    if (!eq)
      continue;
    bool found = false;
    for (int j = 0; j < m->ncols && !found; j++)
      found = strlen(colname(m, j)) == (size_t)(eq - spec) &&
              !strncasecmp(colname(m, j), spec, (size_t)(eq - spec));
    if (!found)
      err(m, header_line(m), "--rename %s: no column '%.*s'", spec, (int)(eq - spec), spec);
  }
  for (int j = 0; j < m->ncols; j++)
    for (int k = 0; k < j; k++)
      if (!strcmp(colname(m, j), colname(m, k)) && *colname(m, j))
        err(m, header_line(m), "column '%s' appears twice in the header", colname(m, j));
  for (int r = 1; (size_t)r < m->c.nrows; r++)
    if (m->c.row_ncells[r] != m->ncols)
      err(m, m->c.row_line[r], "row has %d field%s; the header has %d", m->c.row_ncells[r],
          m->c.row_ncells[r] == 1 ? "" : "s", m->ncols);
  for (size_t r = 0; r < m->nrows; r++)
    for (int j = 0; j < m->ncols; j++) {
      const char *v = cell(m, r, j);
      if (!shoal_shp_utf8_valid(v, strlen(v)))
        err(m, row_line(m, r), "column '%s' is not valid UTF-8", colname(m, j));
    }
}

/* Number text padded to the field's decimals ("12.5" -> "12.500" for 3). */
static void fixed_text(const char *v, int decs, char *out, size_t outsz)
{
  const char *dot = strchr(v, '.');
  int have = dot ? (int)strlen(dot + 1) : 0;
  int n = snprintf(out, outsz, "%s%s", v, decs > 0 && !dot ? "." : "");
  for (int i = have; i < decs && n >= 0 && (size_t)n + 1 < outsz; i++)
    out[n++] = '0';
  if (n >= 0 && (size_t)n < outsz)
    out[n] = '\0';
}

static shoal_status write_all(imp *m, const imp_field *fields, int nf)
{
  imp_out w;
  shoal_status st =
      shoal_import_out_begin(&w, m->o->out, m->o->lines ? SHPT_ARC : SHPT_POINT, fields, nf, m->d);
  if (st != SHOAL_OK)
    return st;
  const char *vals[DBF_MAX_FIELDS];
  char(*num)[48] = malloc((size_t)(nf ? nf : 1) * sizeof *num);
  size_t xcap = 0, ycap = 0;
  double *xs = NULL, *ys = NULL;
  if (!num) {
    st = SHOAL_ERR_NOMEM;
    goto fail;
  }
  for (size_t i = 0; i < nrecs(m) && st == SHOAL_OK; i++) {
    size_t r0 = rec_row(m, i);
    for (int k = 0; k < nf; k++) {
      const imp_field *f = &fields[k];
      vals[k] = f->src < 0 ? f->value : cell(m, r0, f->src);
      if (f->native == 'N' && f->decimals > 0 && *vals[k]) {
        fixed_text(vals[k], f->decimals, num[k], sizeof num[k]);
        vals[k] = num[k];
      }
    }
    SHPObject *obj;
    if (!m->o->lines) {
      obj = SHPCreateSimpleObject(SHPT_POINT, 1, &m->x[r0], &m->y[r0], NULL);
    } else {
      size_t a = m->gstart[i], n = m->gstart[i + 1] - a;
      if (n > INT32_MAX || !SHOAL_GROW(&xs, &xcap, n, 64, INT32_MAX) ||
          !SHOAL_GROW(&ys, &ycap, n, 64, INT32_MAX)) {
        st = SHOAL_ERR_NOMEM;
        break;
      }
      for (size_t k = 0; k < n; k++) {
        xs[k] = m->x[m->members[a + k]];
        ys[k] = m->y[m->members[a + k]];
      }
      obj = SHPCreateSimpleObject(SHPT_ARC, (int)n, xs, ys, NULL);
    }
    if (!obj) {
      st = SHOAL_ERR_NOMEM;
      break;
    }
    st = shoal_import_out_record(&w, obj, fields, nf, vals, m->d);
  }
  free(xs);
  free(ys);
  free(num);
  if (st == SHOAL_OK)
    return shoal_import_out_finish(&w, SHOAL_WGS84_WKT, m->d);
fail:
  if (st == SHOAL_ERR_NOMEM)
    shoal_diag_error(m->d, st, NULL, 0, 0, "out of memory writing '%s'", m->o->out);
  shoal_import_out_abort(&w);
  return st;
}

static shoal_status run(imp *m)
{
  const shoal_import_opts *o = m->o;
  shoal_status st = shoal_csv_read(&m->c, o->in, m->d);
  if (st != SHOAL_OK)
    return st;
  m->ncols = m->c.row_ncells[0];
  m->nrows = m->c.nrows - 1;
  check_header(m);
  m->lon = need_col(m, o->lon ? o->lon : "lon", "--lon");
  m->lat = need_col(m, o->lat ? o->lat : "lat", "--lat");
  m->group = o->group ? need_col(m, o->group, "--group") : -1;
  m->order = o->order ? need_col(m, o->order, "--order") : -1;
  if (m->nrows == 0)
    err(m, header_line(m), "no data rows");
  if (m->nerr)
    return SHOAL_ERR_DATA;
  if (!(m->x = malloc(m->nrows * sizeof *m->x)) || !(m->y = malloc(m->nrows * sizeof *m->y)))
    goto nomem;
  read_coords(m);
  if (o->lines) {
    if (!make_groups(m))
      goto nomem;
    if (m->order >= 0 && !order_groups(m))
      goto nomem;
    for (size_t g = 0; g < m->ngroups; g++)
      if (m->gstart[g + 1] - m->gstart[g] < 2)
        err(m, row_line(m, m->members[m->gstart[g]]),
            "group '%s' has only 1 vertex; a line needs at least 2",
            m->group >= 0 ? cell(m, m->members[m->gstart[g]], m->group) : "");
  }
  if (m->nerr)
    return SHOAL_ERR_DATA;
  imp_field *fields = calloc((size_t)(m->ncols + o->nadd_fields + 1), sizeof *fields);
  if (!fields)
    goto nomem;
  int nf = plan_fields(m, fields);
  st = m->nerr ? SHOAL_ERR_DATA : write_all(m, fields, nf);
  free(fields);
  return st;
nomem:
  shoal_diag_error(m->d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory importing '%s'", o->in);
  return SHOAL_ERR_NOMEM;
}

shoal_status shoal_import_csv(const shoal_import_opts *o, shoal_diag *d)
{
  if (!o->lines && (o->group || o->order)) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--group and --order need --lines");
    return SHOAL_ERR_USAGE;
  }
  if (!shoal_import_check_opts(o, d))
    return SHOAL_ERR_USAGE;
  imp m;
  memset(&m, 0, sizeof m);
  m.o = o;
  m.d = d;
  m.lon = m.lat = m.group = m.order = -1;
  m.cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  if (!m.cloc) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory importing '%s'", o->in);
    return SHOAL_ERR_NOMEM;
  }
  shoal_status st = run(&m);
  freelocale(m.cloc);
  shoal_csv_free(&m.c);
  free(m.x);
  free(m.y);
  free(m.gstart);
  free(m.members);
  free(m.grow_of);
  return st;
}

shoal_status shoal_import(const shoal_import_opts *o, shoal_diag *d)
{
  size_t n = strlen(o->in);
  /* GeoJSON, GeoPackage, KML, FlatGeobuf go through GDAL like shapefiles; CSV keeps its own
   * reader (lines from grouped rows, the coordinate checks). */
  if ((n > 4 && !strcasecmp(o->in + n - 4, ".shp")) ||
      (shoal_ogr_format_of(o->in) && strcmp(shoal_ogr_format_of(o->in), "CSV") != 0))
    return shoal_import_shp(o, d);
  /* Anything but text would only fail as CSV with a puzzling message about its first line. */
  bool csv_ok;
  char hint[4352]; /* room for a path */
  const char *what = shoal_shp_describe(o->in, &csv_ok, hint, sizeof hint);
  if (what && !csv_ok) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "'%s' is %s%s: %s%s", o->in, what,
                     shoal_shp_not(what, ", not a CSV file or a shapefile"), SHOAL_IMPORT_EXPECT,
                     hint);
    return SHOAL_ERR_DATA;
  }
  return shoal_import_csv(o, d);
}
