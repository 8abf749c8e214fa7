/* Computed zones as a layer's data: the cache key, the cache folder, computing into a
 * temporary folder and renaming it into place (see zonesrc.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"
#include "layer/zonesrc.h"
#include "zones/zones.h"

/* Bump when the files the zones module writes change for the same inputs (a new field, a
 * different method): every cached result is then computed again. The program's version is in
 * the key too. */
#define ZONES_FORMAT 1
#define KEY_MAX (1u << 16)
#define KEY_FILE "key.txt"

typedef struct kbuf {
  char *s;
  size_t n, cap;
  bool failed;
} kbuf;

static void kadd(kbuf *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void kadd(kbuf *k, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (k->failed || n < 0 || !SHOAL_GROW(&k->s, &k->cap, k->n + (size_t)n + 1, 256, KEY_MAX)) {
    k->failed = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(k->s + k->n, k->cap - k->n, fmt, ap);
  va_end(ap);
  k->n += (size_t)n;
}

/* One input in the key: its resolved path, then each file of the shapefile set with its size
 * and modification time, so an edited or replaced file gives another key. */
static void key_input(kbuf *k, const char *role, const char *path)
{
  static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
  if (!path)
    return;
  char real[PATH_MAX];
  const char *p = realpath(path, real) ? real : path;
  kadd(k, "%s %s\n", role, p);
  size_t n = strlen(p);
  bool shp = n > 4 && strcmp(p + n - 4, ".shp") == 0;
  for (size_t i = 0; i < (shp ? sizeof exts / sizeof exts[0] : 1); i++) {
    char f[PATH_MAX + 8];
    snprintf(f, sizeof f, "%.*s%s", (int)(shp ? n - 4 : n), p, shp ? exts[i] : "");
    struct stat st;
    if (stat(f, &st) == 0)
      kadd(k, "  %s %lld %lld.%09ld\n", shp ? exts[i] : "file", (long long)st.st_size,
           (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
  }
}

/* Everything that changes the result, as text (kept in the folder as key.txt). */
static char *make_key(const shoal_zonesspec *z)
{
  kbuf k = {0};
  kadd(&k, "shoal %s zones format %d\nstate-field %s\nnm", SHOAL_VERSION, ZONES_FORMAT,
       z->state_field);
  for (size_t i = 0; i < z->nnm; i++)
    kadd(&k, " %.17g", z->nm[i]);
  kadd(&k, "\nstates %s\n", z->states ? z->states : "(all)");
  key_input(&k, "from", z->from);
  key_input(&k, "baselines", z->baselines);
  key_input(&k, "claim", z->claim);
  if (k.failed) {
    free(k.s);
    return NULL;
  }
  return k.s;
}

/* FNV-1a, 64 bits: names the folder; key.txt inside guards against a collision. */
static uint64_t fnv1a(const char *s)
{
  uint64_t h = 14695981039346656037ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static char *join(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  char *r = malloc(la + lb + 2);
  if (r) {
    memcpy(r, a, la);
    r[la] = '/';
    memcpy(r + la + 1, b, lb + 1);
  }
  return r;
}

char *shoal_zonesrc_cache_root(void)
{
  const char *v = getenv("SHOAL_CACHE_DIR");
  if (v && *v)
    return join(v, "zones");
  if ((v = getenv("XDG_CACHE_HOME")) && *v == '/')
    return join(v, "shoal/zones");
  if ((v = getenv("HOME")) && *v)
    return join(v, ".cache/shoal/zones");
  return NULL;
}

/* mkdir -p. */
static bool make_dirs(const char *path)
{
  char *p = shoal_strdup(path);
  bool ok = p != NULL;
  for (char *s = p; ok && *s; s++)
    if (*s == '/' && s > p) {
      *s = '\0';
      ok = mkdir(p, 0777) == 0 || errno == EEXIST;
      *s = '/';
    }
  ok = ok && (mkdir(path, 0777) == 0 || errno == EEXIST);
  free(p);
  return ok;
}

/* Remove a folder of plain files (a cache entry or our temporary folder). */
static void remove_dir(const char *dir)
{
  DIR *dh = opendir(dir);
  struct dirent *e;
  while (dh && (e = readdir(dh))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char *f = join(dir, e->d_name);
    if (f)
      unlink(f);
    free(f);
  }
  if (dh)
    closedir(dh);
  rmdir(dir);
}

/* True when dir/key.txt holds exactly key. */
static bool key_matches(const char *dir, const char *key)
{
  char *f = join(dir, KEY_FILE);
  FILE *fp = f ? fopen(f, "rb") : NULL;
  free(f);
  if (!fp)
    return false;
  size_t n = strlen(key);
  char *buf = malloc(n + 2);
  size_t got = buf ? fread(buf, 1, n + 1, fp) : 0;
  bool same = buf && got == n && memcmp(buf, key, n) == 0;
  free(buf);
  fclose(fp);
  return same;
}

static bool write_key(const char *dir, const char *key)
{
  char *f = join(dir, KEY_FILE);
  FILE *fp = f ? fopen(f, "wb") : NULL;
  free(f);
  if (!fp)
    return false;
  bool ok = fputs(key, fp) >= 0;
  return fclose(fp) == 0 && ok;
}

static int workers(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* Read, select, compute and write z's zones into dir; errors into d. */
static shoal_status compute(const shoal_zonesspec *z, const char *dir, shoal_diag *d)
{
  shoal_zones_in in;
  shoal_zones_in_init(&in);
  shoal_zones_result r = {0};
  shoal_zones_opts o = {.nm = z->nm, .nnm = z->nnm, .threads = workers()};
  shoal_status st = shoal_zones_read(z->from, z->state_field, z->baselines, z->claim, &in, d);
  if (st == SHOAL_OK && z->states && !shoal_zones_select(&in, z->states, d))
    st = SHOAL_ERR_DATA;
  if (st == SHOAL_OK)
    st = shoal_zones_compute(&in, &o, &r, d);
  if (st == SHOAL_OK)
    st = shoal_zones_write(&in, &r, z->state_field, dir, d);
  shoal_zones_result_free(&r);
  shoal_zones_in_free(&in);
  return st;
}

/* The zones module's messages, re-reported at the zones: key: in a map, the style is where
 * the user fixes them. A usage error there (a state the layer lacks) is bad style data. */
static void relay(const shoal_diag *from, const shoal_zonesspec *z, const char *layer,
                  shoal_diag *d)
{
  for (size_t i = 0; i < shoal_diag_count(from); i++) {
    const shoal_msg *m = shoal_diag_get(from, i);
    const char *pre = m->file ? m->file : "", *sep = m->file ? ": " : "";
    /* "--state-field 'x': ..." names the option of `shoal zones`: here it is the key. */
    const char *text = strncmp(m->text, "--", 2) == 0 ? m->text + 2 : m->text;
    if (m->sev == SHOAL_SEV_ERROR)
      shoal_diag_error_at(d, m->status == SHOAL_ERR_USAGE ? SHOAL_ERR_DATA : m->status, z->loc,
                          "zones of layer '%s': %s%s%s", layer, pre, sep, text);
    else if (m->sev == SHOAL_SEV_WARNING)
      shoal_diag_warn_at(d, z->loc, "zones of layer '%s': %s%s%s", layer, pre, sep, text);
  }
}

/* Remove the temporary folders a process killed while computing left in root: any older than
 * a day (no computation takes that long). */
static void clean_stale(const char *root)
{
  DIR *dh = opendir(root);
  struct dirent *e;
  time_t now = time(NULL);
  while (dh && (e = readdir(dh))) {
    if (strncmp(e->d_name, ".tmp-", 5) != 0)
      continue;
    char *f = join(root, e->d_name);
    struct stat st;
    if (f && stat(f, &st) == 0 && S_ISDIR(st.st_mode) && now - st.st_mtime > 24 * 3600)
      remove_dir(f);
    free(f);
  }
  if (dh)
    closedir(dh);
}

/* Compute into a fresh temporary folder beside final and rename it into place. */
static bool build(const shoal_zonesspec *z, const char *layer, const char *root, const char *final,
                  const char *key, shoal_diag *d)
{
  clean_stale(root);
  char *tmp = join(root, ".tmp-XXXXXX");
  if (!tmp || !mkdtemp(tmp)) {
    shoal_diag_error_at(d, SHOAL_ERR_CANTCREAT, z->loc,
                        "cannot create a folder in the zones cache '%s': %s", root,
                        strerror(errno));
    free(tmp);
    return false;
  }
  if (isatty(2) == 1)
    fprintf(stderr, "computing zones from %s (cached in %s)...\n", z->from, final);
  shoal_diag *zd = shoal_diag_new();
  shoal_status st = zd ? compute(z, tmp, zd) : SHOAL_ERR_NOMEM;
  if (zd)
    relay(zd, z, layer, d);
  shoal_diag_free(zd);
  bool ok = st == SHOAL_OK;
  if (!ok && !zd)
    shoal_diag_error_at(d, st, z->loc, "out of memory");
  if (ok && !write_key(tmp, key)) {
    shoal_diag_error_at(d, SHOAL_ERR_CANTCREAT, z->loc, "cannot write the zones cache '%s': %s",
                        tmp, strerror(errno));
    ok = false;
  }
  /* Another process may have put the same result there first: then keep theirs. */
  if (ok && rename(tmp, final) != 0 && !key_matches(final, key)) {
    shoal_diag_error_at(d, SHOAL_ERR_CANTCREAT, z->loc, "cannot move '%s' to '%s': %s", tmp, final,
                        strerror(errno));
    ok = false;
  }
  remove_dir(tmp); /* gone after a rename; else our half-written or surplus copy */
  free(tmp);
  return ok;
}

/* Hold an exclusive lock on root/.lock-NAME while computing NAME, so that jobs of one batch
 * (threads: each opens its own descriptor) and other processes (batch -j, the preview
 * server) wait for one computation instead of each making their own: the full South China
 * Sea takes minutes and gigabytes. The descriptor to close, or -1 (then no lock: the rename
 * still keeps the cache whole). */
static int lock_entry(const char *root, const char *name)
{
  char lk[64];
  snprintf(lk, sizeof lk, ".lock-%s", name);
  char *path = join(root, lk);
  int fd = path ? open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666) : -1;
  free(path);
  while (fd >= 0 && flock(fd, LOCK_EX) != 0)
    if (errno != EINTR) {
      close(fd);
      return -1;
    }
  return fd;
}

char *shoal_zonesrc_path(const shoal_zonesspec *z, const char *layer, shoal_diag *d)
{
  if (!z->from || !z->state_field || !z->show)
    return NULL; /* the schema reported it; a model with errors is never drawn */
  char *root = shoal_zonesrc_cache_root(), *key = make_key(z), *final = NULL, *shp = NULL;
  if (!root || !key) {
    shoal_diag_error_at(d, root ? SHOAL_ERR_NOMEM : SHOAL_ERR_CANTCREAT, z->loc,
                        root ? "out of memory"
                             : "no folder for the zones cache: set SHOAL_CACHE_DIR or HOME");
    goto done;
  }
  char name[32];
  snprintf(name, sizeof name, "%016llx", (unsigned long long)fnv1a(key));
  if (!(final = join(root, name)))
    goto done;
  if (!key_matches(final, key)) {
    if (!make_dirs(root)) {
      shoal_diag_error_at(d, SHOAL_ERR_CANTCREAT, z->loc, "cannot create the zones cache '%s': %s",
                          root, strerror(errno));
      goto done;
    }
    int lock = lock_entry(root, name);
    bool ok = key_matches(final, key); /* computed while we waited for the lock */
    if (!ok) {
      remove_dir(final); /* a stale entry under a colliding name; normally nothing */
      ok = build(z, layer, root, final, key, d);
    }
    if (lock >= 0)
      close(lock); /* releases the lock */
    if (!ok)
      goto done;
  }
  char file[64];
  snprintf(file, sizeof file, "%s.shp", z->show);
  shp = join(final, file);
  if (shp && access(shp, R_OK) != 0) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, z->loc,
                        "zones of layer '%s': the computed zones have no '%s' (in '%s')", layer,
                        file, final);
    free(shp);
    shp = NULL;
  }
done:
  free(root);
  free(key);
  free(final);
  return shp;
}
