/* Unit tests for temporary files (base/tmpfile, which surfaces, `shoal index` and `shoal import`
 * share): their names (hidden, beside the output, with the pid, the host and for a shapefile's
 * files an extension), cleaning those of dead processes and nothing else, an aborted surface
 * that leaves no file, and one stopped while it was being encoded. */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tmpfile.h"
#include "draw/surface.h"
#include "check.h"
#include "scratch.h"

/* The host as temporary names carry it (letters, digits, '-' and '.'; others become '_'). */
static void host(char *buf, size_t n)
{
  if (gethostname(buf, n) != 0)
    snprintf(buf, n, "localhost");
  buf[n - 1] = 0;
  for (char *p = buf; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '-' || *p == '.'))
      *p = '_';
}

/* A pid no process can have: past the kernel's pid_max. */
static long dead_pid(void)
{
  long max = 4194304;
  FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
  if (f) {
    if (fscanf(f, "%ld", &max) != 1)
      max = 4194304;
    fclose(f);
  }
  return max + 1;
}

static bool exists(const char *name) { return access(tpath(name), F_OK) == 0; }

static void test_name(void)
{
  char h[65], want[200], *tmp = NULL;
  host(h, sizeof h);
  int fd = shoal_surface_tmp_open(tpath("map.png"), &tmp);
  CHECK(fd >= 0 && tmp != NULL);
  if (fd < 0)
    return;
  close(fd);
  snprintf(want, sizeof want, "%s/.map.png.shoal-%ld@%s.tmp.", dir, (long)getpid(), h);
  CHECK(strncmp(tmp, want, strlen(want)) == 0 && strlen(tmp) == strlen(want) + 6);
  /* Our own file: this process runs, so it stays. */
  CHECK(shoal_surface_clean_stale(dir) == 0);
  CHECK(access(tmp, F_OK) == 0);
  unlink(tmp);
  free(tmp);
  /* A folder that does not exist cannot be written to. */
  CHECK(shoal_surface_tmp_open(tpath("no/such/map.png"), &tmp) < 0 && tmp == NULL);
}

/* With an extension (a shapefile's files share one name), and extensions that are refused. */
static void test_ext_name(void)
{
  char h[65], want[200], *tmp = NULL;
  host(h, sizeof h);
  int fd = shoal_tmpfile_open(tpath("out"), ".shp", &tmp);
  CHECK(fd >= 0 && tmp != NULL);
  if (fd < 0)
    return;
  close(fd);
  snprintf(want, sizeof want, "%s/.out.shoal-%ld@%s.tmp.", dir, (long)getpid(), h);
  size_t wl = strlen(want);
  CHECK(strncmp(tmp, want, wl) == 0 && strlen(tmp) == wl + 6 + 4 && !strcmp(tmp + wl + 6, ".shp"));
  CHECK(shoal_tmpfile_clean_stale(dir) == 0); /* ours: this process runs */
  CHECK(access(tmp, F_OK) == 0);
  unlink(tmp);
  free(tmp);
  /* No extension is the surface's name. */
  fd = shoal_tmpfile_open(tpath("a.qix"), "", &tmp);
  CHECK(fd >= 0 && tmp && strstr(tmp, "/.a.qix.shoal-") && !strstr(tmp + strlen(tmp) - 12, ".qix"));
  if (fd >= 0) {
    close(fd);
    unlink(tmp);
  }
  free(tmp);
  const char *bad[] = {"shp", ".", ".sh/p", ".a.b", ".toolongext", ".\xc3\xa9"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    tmp = NULL;
    errno = 0;
    CHECK(shoal_tmpfile_open(tpath("out"), bad[i], &tmp) < 0 && errno == EINVAL && tmp == NULL);
  }
}

/* One candidate name: BEFORE PID AT HOST AFTER. */
typedef struct cand {
  const char *before, *at, *after;
  bool dead, removed;
} cand;

static void cand_name(char *buf, size_t n, const cand *c, const char *h)
{
  snprintf(buf, n, "%s%ld%s%s%s", c->before, c->dead ? dead_pid() : (long)getpid(), c->at, h,
           c->after);
}

static void test_clean(void)
{
  char h[65], name[160];
  host(h, sizeof h);
  const cand cands[] = {
      {".a.png.shoal-", "@", ".tmp.AAAAAA", true, true},         /* dead, this host: removed */
      {".b.pdf.shoal-", "@", ".tmp.BBBBBB", true, true},         /* dead, this host: removed */
      {".c.png.shoal-", "@", ".tmp.CCCCCC", false, false},       /* live (this process): kept */
      {".d.png.shoal-", "@x", ".tmp.DDDDDD", true, false},       /* another host: kept */
      {"e.png.shoal-", "@", ".tmp.EEEEEE", true, false},         /* not hidden: not ours */
      {".f.png.shoal-", "x@", ".tmp.FFFFFF", true, false},       /* pid not a number */
      {".g.png.shoal-", "@", ".tmp.GGGGGGG", true, false},       /* suffix of the wrong length */
      {".h.png.shoal-", "@", ".temp.HHHHHH", true, false},       /* not a .tmp. name */
      {".shoal-", "@", ".tmp.IIIIII.png.tmp", true, false},      /* the mark in the wrong place */
      {".k.shoal-", "@", ".tmp.KKKKKK.shp", true, true},         /* a shapefile's, dead: removed */
      {".k.shoal-", "@", ".tmp.KKKKKK.dbf", true, true},         /* its .dbf too */
      {".l.shoal-", "@", ".tmp.LLLLLL.shx", false, false},       /* live: kept */
      {".m.shoal-", "@x", ".tmp.MMMMMM.dbf", true, false},       /* another host: kept */
      {".n.shoal-", "@", ".tmp.NNNNNN.a.b", true, false},        /* two extensions */
      {".o.shoal-", "@", ".tmp.OOOOOO.toolongext", true, false}, /* extension over 8 */
      {".p.shoal-", "@", ".tmp.PP-PPP.shp", true, false},        /* not mkstemp's letters */
      {".q.shoal-", "@", ".tmp.QQQQQ.shp", true, false},         /* 5 random letters */
      {".s.shoal-", "@", ".tmp.SSSSSS.", true, false},           /* an empty extension */
  };
  size_t n = sizeof cands / sizeof cands[0];
  for (size_t i = 0; i < n; i++) {
    cand_name(name, sizeof name, &cands[i], h);
    put(name, "x");
  }
  const cand folder = {".j.png.shoal-", "@", ".tmp.JJJJJJ", true, false};
  cand_name(name, sizeof name, &folder, h);
  mkdir(tpath(name), 0755); /* a folder is never removed */
  CHECK(shoal_surface_clean_stale(dir) == 4);
  for (size_t i = 0; i < n; i++) {
    cand_name(name, sizeof name, &cands[i], h);
    CHECK(exists(name) == !cands[i].removed);
  }
  cand_name(name, sizeof name, &folder, h);
  CHECK(exists(name));
  CHECK(shoal_surface_clean_stale(tpath("missing")) == 0);
}

/* Nothing but . and .. in the scratch folder. */
static bool folder_empty(void)
{
  DIR *dp = opendir(dir);
  int left = 0;
  for (struct dirent *e; dp && (e = readdir(dp));)
    left += e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..") != 0);
  if (dp)
    closedir(dp);
  return left == 0;
}

static void test_abort(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_format fmts[] = {SHOAL_FMT_PNG, SHOAL_FMT_PDF, SHOAL_FMT_SVG};
  const char *names[] = {"out.png", "out.pdf", "out.svg"};
  for (int i = 0; i < 3; i++) {
    shoal_surface *s = NULL;
    CHECK(shoal_surface_new(fmts[i], tpath(names[i]), 64, 48, 1, "t", d, &s) == SHOAL_OK);
    if (!s)
      continue;
    cairo_t *cr = shoal_surface_cairo(s);
    cairo_rectangle(cr, 4, 4, 20, 20);
    cairo_fill(cr);
    shoal_surface_abort(s);
    CHECK(!exists(names[i]));
  }
  /* Nothing else is left in the folder either. */
  CHECK(folder_empty());
  shoal_diag_free(d);
}

/* A stop asked for while the page was being encoded: finish encodes, then drops the file (no
 * message: the command says it was interrupted) instead of giving it its name. Raised after the
 * drawing, the flag is seen only by finish. */
static void test_cancel_at_finish(void)
{
  shoal_diag *d = shoal_diag_new();
  shoal_format fmts[] = {SHOAL_FMT_PNG, SHOAL_FMT_PDF, SHOAL_FMT_SVG};
  const char *names[] = {"late.png", "late.pdf", "late.svg"};
  for (int i = 0; i < 3; i++) {
    atomic_int stop = 0;
    shoal_surface *s = NULL;
    CHECK(shoal_surface_new(fmts[i], tpath(names[i]), 64, 48, 1, "t", d, &s) == SHOAL_OK);
    if (!s)
      continue;
    shoal_surface_set_cancel(s, &stop);
    cairo_t *cr = shoal_surface_cairo(s);
    cairo_rectangle(cr, 4, 4, 20, 20);
    cairo_fill(cr);
    atomic_store(&stop, SIGTERM);
    CHECK(shoal_surface_finish(s, d) == SHOAL_ERR_INTERRUPTED);
    CHECK(!exists(names[i]));
  }
  CHECK(folder_empty());
  CHECK(shoal_diag_nerrors(d) == 0);
  /* Not raised: the file is written. */
  atomic_int calm = 0;
  shoal_surface *s = NULL;
  CHECK(shoal_surface_new(SHOAL_FMT_PNG, tpath("calm.png"), 64, 48, 1, "t", d, &s) == SHOAL_OK);
  if (s) {
    shoal_surface_set_cancel(s, &calm);
    CHECK(shoal_surface_finish(s, d) == SHOAL_OK);
    CHECK(exists("calm.png"));
    unlink(tpath("calm.png"));
  }
  shoal_diag_free(d);
}

int main(void)
{
  if (!scratch_begin("surface-tmp"))
    return 1;
  test_name();
  test_ext_name();
  test_abort();
  test_cancel_at_finish();
  test_clean();
  scratch_end();
  return check_done();
}
