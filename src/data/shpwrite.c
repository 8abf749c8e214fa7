/* Writing a shapefile set for the importers: temporary names, checks, read-back, rename. */
#include "data/import_priv.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/tmpfile.h"
#include "data/shp_priv.h"

/* Order of the final renames: the .shp last, because readers find a layer by its .shp. */
static const char *const exts[] = {".shx", ".dbf", ".prj", ".cpg", ".shp"};
#define NEXTS 5

bool shoal_import_name_ok(const char *name)
{
  size_t n = strlen(name);
  /* isalpha alone would accept Latin-1 letters in some locales. */
  if (n == 0 || n > DBF_MAX_NAME || (unsigned char)name[0] >= 0x80 ||
      !isalpha((unsigned char)name[0]))
    return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c >= 0x80 || !(isalnum(c) || c == '_'))
      return false;
  }
  return true;
}

/* Split "KEY=VALUE" at the first '='; false when there is none or KEY is empty. */
static bool split_pair(const char *spec, const char **val, size_t *keylen)
{
  const char *eq = strchr(spec, '=');
  if (!eq || eq == spec)
    return false;
  *keylen = (size_t)(eq - spec);
  *val = eq + 1;
  return true;
}

const char *shoal_import_renamed(const shoal_import_opts *o, const char *col)
{
  const char *loose = NULL;
  size_t cl = strlen(col);
  for (int i = 0; i < o->nrenames; i++) {
    const char *val;
    size_t kl;
    if (!split_pair(o->renames[i], &val, &kl) || kl != cl)
      continue;
    if (!strncmp(o->renames[i], col, kl))
      return val;
    if (!loose && !strncasecmp(o->renames[i], col, kl))
      loose = val;
  }
  return loose;
}

bool shoal_import_check_opts(const shoal_import_opts *o, shoal_diag *d)
{
  bool ok = true;
  for (int i = 0; i < o->nrenames; i++) {
    const char *val;
    size_t kl;
    if (!split_pair(o->renames[i], &val, &kl)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--rename '%s': expected OLD=NEW",
                       o->renames[i]);
      ok = false;
    } else if (!shoal_import_name_ok(val)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "--rename '%s': '%s' is not a valid DBF field name (1 to 10 ASCII letters, "
                       "digits or '_', starting with a letter)",
                       o->renames[i], val);
      ok = false;
    }
  }
  for (int i = 0; i < o->nadd_fields; i++) {
    const char *val;
    size_t kl;
    const char *spec = o->add_fields[i];
    if (!split_pair(spec, &val, &kl)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--add-field '%s': expected NAME=VALUE",
                       spec);
      ok = false;
      continue;
    }
    char name[DBF_MAX_NAME + 2];
    snprintf(name, sizeof name, "%.*s", (int)(kl < sizeof name - 1 ? kl : sizeof name - 1), spec);
    if (kl > DBF_MAX_NAME || !shoal_import_name_ok(name)) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "--add-field '%.*s': not a valid DBF field name (1 to 10 ASCII letters, "
                       "digits or '_', starting with a letter)",
                       (int)kl, spec);
      ok = false;
    } else if (strlen(val) > DBF_MAX_STRING) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                       "--add-field %s: value is %zu bytes; a DBF string holds at most %d", name,
                       strlen(val), DBF_MAX_STRING);
      ok = false;
    } else if (!shoal_shp_utf8_valid(val, strlen(val))) {
      shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "--add-field %s: value is not valid UTF-8",
                       name);
      ok = false;
    }
  }
  return ok;
}

void shoal_import_add_constants(const shoal_import_opts *o, imp_field *fields, int *nf)
{
  for (int i = 0; i < o->nadd_fields; i++) {
    const char *val;
    size_t kl;
    if (!split_pair(o->add_fields[i], &val, &kl) || kl > DBF_MAX_NAME)
      continue; /* rejected by shoal_import_check_opts already */
    imp_field *f = &fields[(*nf)++];
    memset(f, 0, sizeof *f);
    memcpy(f->name, o->add_fields[i], kl);
    f->name[kl] = '\0';
    f->native = 'C';
    size_t vl = strlen(val);
    f->width = vl > 0 ? (int)vl : 1;
    f->src = -1;
    f->value = val;
  }
}

int shoal_import_name_clash(const imp_field *f, int nf, int *first)
{
  for (int i = 1; i < nf; i++)
    for (int j = 0; j < i; j++)
      if (!strcasecmp(f[i].name, f[j].name)) {
        *first = j;
        return i;
      }
  return -1;
}

static char *with_ext(const char *base, const char *ext) { return shoal_shp_concat(base, ext); }

void shoal_import_out_abort(imp_out *w)
{
  if (w->shp)
    SHPClose(w->shp);
  if (w->dbf)
    DBFClose(w->dbf);
  w->shp = NULL;
  w->dbf = NULL;
  if (w->tmp_base)
    for (int i = 0; i < NEXTS; i++) {
      char *p = with_ext(w->tmp_base, exts[i]);
      if (p)
        unlink(p);
      free(p);
    }
  free(w->tmp_base);
  free(w->final_base);
  w->tmp_base = w->final_base = NULL;
}

/* The output name and the record layout, checked before anything is created. */
static shoal_status check_layout(const char *out, const imp_field *f, int nf, shoal_diag *d)
{
  size_t n = strlen(out);
  if (n < 5 || strcasecmp(out + n - 4, ".shp") != 0) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0, "output '%s' must end in .shp", out);
    return SHOAL_ERR_USAGE;
  }
  if (nf > DBF_MAX_FIELDS) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "%d fields; a DBF holds at most %d", nf,
                     DBF_MAX_FIELDS);
    return SHOAL_ERR_DATA;
  }
  long reclen = 1;
  for (int i = 0; i < nf; i++)
    reclen += f[i].width;
  if (reclen > DBF_MAX_RECORD) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "records would be %ld bytes; a DBF record holds at most %d", reclen,
                     DBF_MAX_RECORD);
    return SHOAL_ERR_DATA;
  }
  return SHOAL_OK;
}

/* Reserve a temporary name no other process holds: the .shp, created exclusively, named as
 * every output's temporary file (base/tmpfile.h) so that a later run recognises what a kill -9
 * left; the set's other files share its name with their own extension, because shapelib finds
 * them that way. Sets w->tmp_base, or leaves it NULL (nothing of ours to remove) and returns
 * the errno. */
static int reserve_tmp(imp_out *w)
{
  char *shp = NULL;
  int fd = shoal_tmpfile_open(w->final_base, ".shp", &shp);
  if (fd < 0)
    return errno ? errno : EIO;
  close(fd);
  w->tmp_base = shoal_strndup(shp, strlen(shp) - 4);
  if (!w->tmp_base) {
    unlink(shp);
    free(shp);
    return ENOMEM;
  }
  free(shp);
  return 0;
}

/* Create the temporary .shp/.shx/.dbf with shapelib and add the fields. */
static shoal_status create_files(imp_out *w, int shptype, const imp_field *f, int nf, shoal_diag *d)
{
  char eb[128];
  SAHooks hooks;
  shoal_shp_hooks(&hooks);
  char *shp = with_ext(w->tmp_base, ".shp"), *dbf = with_ext(w->tmp_base, ".dbf");
  int e = ENOMEM;
  if (shp && dbf) {
    errno = 0;
    w->shp = SHPCreateLL(shp, shptype, &hooks);
    e = errno;
  }
  /* "LDID/0": no language driver byte and no .cpg from shapelib; we write the .cpg. */
  if (w->shp) {
    errno = 0;
    w->dbf = DBFCreateLL(dbf, "LDID/0", &hooks);
    e = errno;
  }
  free(shp);
  free(dbf);
  if (!w->shp || !w->dbf) {
    shoal_status st = e == ENOMEM ? SHOAL_ERR_NOMEM : SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot create '%s': %s", w->out,
                     shoal_shp_errstr(e ? e : EIO, eb, sizeof eb));
    return st;
  }
  /* A DBF without fields cannot hold records, and the record count must match the shapes:
   * stand in a record number, as ogr2ogr does. */
  if (nf == 0 && DBFAddNativeFieldType(w->dbf, "FID", 'N', 10, 0) >= 0)
    w->fid = true;
  for (int i = 0; i < nf; i++)
    if (DBFAddNativeFieldType(w->dbf, f[i].name, f[i].native, f[i].width, f[i].decimals) < 0) {
      shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot add field '%s' to '%s'",
                       f[i].name, w->out);
      return SHOAL_ERR_CANTCREAT;
    }
  return SHOAL_OK;
}

shoal_status shoal_import_out_begin(imp_out *w, const char *out, int shptype, const imp_field *f,
                                    int nf, shoal_diag *d)
{
  char eb[128];
  memset(w, 0, sizeof *w);
  w->out = out;
  shoal_status st = check_layout(out, f, nf, d);
  if (st != SHOAL_OK)
    return st;
  if (!(w->final_base = shoal_strndup(out, strlen(out) - 4))) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory writing '%s'", out);
    return SHOAL_ERR_NOMEM;
  }
  int e = reserve_tmp(w);
  if (e) {
    st = e == ENOMEM ? SHOAL_ERR_NOMEM : SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot create '%s': %s", out,
                     shoal_shp_errstr(e, eb, sizeof eb));
  } else {
    st = create_files(w, shptype, f, nf, d);
  }
  if (st != SHOAL_OK)
    shoal_import_out_abort(w);
  return st;
}

shoal_status shoal_import_out_record(imp_out *w, SHPObject *obj, const imp_field *f, int nf,
                                     const char *const *vals, shoal_diag *d)
{
  int id = obj ? SHPWriteObject(w->shp, -1, obj) : -1;
  if (obj)
    SHPDestroyObject(obj);
  if (id != w->nrec) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0,
                     "cannot write shape %d to '%s' (disk full, or over the 2 GB shapefile limit?)",
                     w->nrec + 1, w->out);
    return SHOAL_ERR_CANTCREAT;
  }
  bool ok = !w->fid || DBFWriteIntegerAttribute(w->dbf, id, 0, id);
  for (int i = 0; i < nf && ok; i++) {
    const char *v = vals[i];
    if (!v || (!*v && f[i].native != 'C')) {
      ok = DBFWriteNULLAttribute(w->dbf, id, i);
    } else if (f[i].native == 'C') {
      ok = DBFWriteStringAttribute(w->dbf, id, i, v);
    } else {
      /* Numbers go in as the text the caller formatted (no locale, no int range limit),
       * right-aligned as dBASE writes them. */
      char buf[DBF_MAX_STRING + 2];
      size_t len = strlen(v);
      if (len > (size_t)f[i].width || f[i].width > DBF_MAX_STRING) {
        ok = false;
        break;
      }
      size_t pad = (size_t)f[i].width - len;
      memset(buf, ' ', pad);
      memcpy(buf + pad, v, len + 1);
      ok = DBFWriteAttributeDirectly(w->dbf, id, i, buf);
    }
  }
  if (!ok) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot write record %d of '%s'", id + 1,
                     w->out);
    return SHOAL_ERR_CANTCREAT;
  }
  w->nrec++;
  return SHOAL_OK;
}

static int write_text(const char *path, const char *text)
{
  FILE *fp = fopen(path, "wb");
  if (!fp)
    return errno;
  size_t n = strlen(text);
  int e = fwrite(text, 1, n, fp) == n ? 0 : errno ? errno : EIO;
  if (fclose(fp) != 0 && !e)
    e = errno ? errno : EIO;
  return e;
}

shoal_status shoal_import_out_finish(imp_out *w, const char *prj, shoal_diag *d)
{
  char eb[128];
  SHPClose(w->shp);
  DBFClose(w->dbf);
  w->shp = NULL;
  w->dbf = NULL;
  shoal_status st = SHOAL_OK;
  char *tmp[NEXTS] = {0}, *fin[NEXTS] = {0};
  for (int i = 0; i < NEXTS; i++)
    if (!(tmp[i] = with_ext(w->tmp_base, exts[i])) ||
        !(fin[i] = with_ext(w->final_base, exts[i]))) {
      st = SHOAL_ERR_NOMEM;
      shoal_diag_error(d, st, NULL, 0, 0, "out of memory writing '%s'", w->out);
      goto done;
    }
  int e = write_text(tmp[2], prj);
  if (!e)
    e = write_text(tmp[3], "UTF-8");
  if (e) {
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot write '%s': %s", w->out,
                     shoal_shp_errstr(e, eb, sizeof eb));
    goto done;
  }
  /* shapelib does not report failed writes (a full disk): read the set back before it
   * replaces anything. Any message, even a warning, means it is not what we wrote. */
  shoal_diag *chk = shoal_diag_new();
  shoal_source *s = NULL;
  if (!chk) {
    st = SHOAL_ERR_NOMEM;
    shoal_diag_error(d, st, NULL, 0, 0, "out of memory writing '%s'", w->out);
    goto done;
  }
  shoal_status cst = shoal_source_open(tmp[4], chk, &s);
  if (cst != SHOAL_OK || shoal_diag_count(chk) > 0 || shoal_source_count(s) != w->nrec) {
    const shoal_msg *m = shoal_diag_get(chk, 0);
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "writing '%s' failed: %s", w->out,
                     m ? m->text : "wrong record count when read back");
  }
  shoal_source_close(s);
  shoal_diag_free(chk);
  if (st != SHOAL_OK)
    goto done;
  /* A .qix left from the old file would index the wrong shapes. */
  char *qix = with_ext(w->final_base, ".qix");
  if (!qix || (unlink(qix) != 0 && errno != ENOENT)) {
    e = qix ? errno : ENOMEM;
    st = SHOAL_ERR_CANTCREAT;
    shoal_diag_error(d, st, NULL, 0, 0, "cannot remove the old index '%s': %s", qix ? qix : w->out,
                     shoal_shp_errstr(e, eb, sizeof eb));
    free(qix);
    goto done;
  }
  free(qix);
  for (int i = 0; i < NEXTS; i++)
    if (rename(tmp[i], fin[i]) != 0) {
      e = errno;
      st = SHOAL_ERR_CANTCREAT;
      shoal_diag_error(d, st, NULL, 0, 0, "cannot rename '%s' to '%s': %s", tmp[i], fin[i],
                       shoal_shp_errstr(e, eb, sizeof eb));
      goto done;
    }
done:
  for (int i = 0; i < NEXTS; i++) {
    free(tmp[i]);
    free(fin[i]);
  }
  shoal_import_out_abort(w); /* removes temporaries not renamed; frees names */
  return st;
}
