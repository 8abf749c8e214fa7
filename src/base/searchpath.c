/* The search path for map names, includes and data files (see searchpath.h). */
#include "base/searchpath.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

#define SP_MAX_DIRS 64   /* more folders than anyone writes in SHOAL_PATH */
#define SP_MAX_PATH 4096 /* PATH_MAX on Linux */

struct shoal_searchpath {
  char *dirs[SP_MAX_DIRS];
  size_t n;
};

static bool add_dir(shoal_searchpath *sp, const char *dir, size_t len)
{
  if (len == 0 || sp->n == SP_MAX_DIRS)
    return true;
  char *c = shoal_strndup(dir, len);
  if (!c)
    return false;
  sp->dirs[sp->n++] = c;
  return true;
}

static bool add_str(shoal_searchpath *sp, const char *a, const char *b)
{
  size_t la = strlen(a), lb = b ? strlen(b) : 0;
  char *c = malloc(la + lb + 1);
  if (!c)
    return false;
  memcpy(c, a, la);
  if (lb)
    memcpy(c + la, b, lb);
  c[la + lb] = '\0';
  bool ok = add_dir(sp, c, la + lb);
  free(c);
  return ok;
}

shoal_searchpath *shoal_searchpath_new(const char *env_path, const char *share_dir)
{
  shoal_searchpath *sp = calloc(1, sizeof *sp);
  if (!sp)
    return NULL;
  bool ok = add_dir(sp, ".", 1);
  for (const char *p = env_path; ok && p && *p;) {
    const char *colon = strchr(p, ':');
    size_t len = colon ? (size_t)(colon - p) : strlen(p);
    ok = add_dir(sp, p, len);
    p = colon ? colon + 1 : p + len;
  }
  if (ok && share_dir && *share_dir)
    ok = add_str(sp, share_dir, "/styles") && add_str(sp, share_dir, NULL);
  if (!ok) {
    shoal_searchpath_free(sp);
    return NULL;
  }
  return sp;
}

void shoal_searchpath_free(shoal_searchpath *sp)
{
  if (!sp)
    return;
  for (size_t i = 0; i < sp->n; i++)
    free(sp->dirs[i]);
  free(sp);
}

size_t shoal_searchpath_count(const shoal_searchpath *sp) { return sp ? sp->n : 0; }

const char *shoal_searchpath_dir(const shoal_searchpath *sp, size_t i)
{
  return sp && i < sp->n ? sp->dirs[i] : NULL;
}

/* dir + "/" + rel (dir NULL or "." gives rel itself, so messages keep the user's spelling);
 * NULL when too long or out of memory. */
static char *join(const char *dir, size_t dlen, const char *rel)
{
  while (rel[0] == '.' && rel[1] == '/')
    rel += 2;
  size_t rl = strlen(rel);
  if (!dir || (dlen == 1 && dir[0] == '.'))
    dlen = 0;
  if (dlen + 1 + rl >= SP_MAX_PATH)
    return NULL;
  char *p = malloc(dlen + 1 + rl + 1);
  if (!p)
    return NULL;
  size_t o = 0;
  if (dlen) {
    memcpy(p, dir, dlen);
    o = dlen;
    if (p[o - 1] != '/')
      p[o++] = '/';
  }
  memcpy(p + o, rel, rl + 1);
  return p;
}

static bool readable_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && !S_ISDIR(st.st_mode) && access(path, R_OK) == 0;
}

/* Append "'path'" to the list of places tried (best effort: a failed append only shortens the
 * message). */
static void note_tried(char **tried, const char *path)
{
  if (!tried)
    return;
  size_t ol = *tried ? strlen(*tried) : 0, pl = strlen(path);
  char *n = realloc(*tried, ol + pl + 5);
  if (!n)
    return;
  size_t o = ol;
  if (ol) {
    memcpy(n + o, ", ", 2);
    o += 2;
  }
  n[o++] = '\'';
  memcpy(n + o, path, pl);
  o += pl;
  n[o++] = '\'';
  n[o] = '\0';
  *tried = n;
}

/* Found: the places tried before it are of no interest (the contract sets *tried only when
 * nothing is found). */
static char *found(char *path, char **tried)
{
  if (tried) {
    free(*tried);
    *tried = NULL;
  }
  return path;
}

char *shoal_searchpath_find(const shoal_searchpath *sp, const char *from_file, const char *rel,
                            char **tried)
{
  if (tried)
    *tried = NULL;
  if (!rel || !*rel)
    return NULL;
  if (rel[0] == '/') {
    if (readable_file(rel))
      return shoal_strdup(rel);
    note_tried(tried, rel);
    return NULL;
  }
  if (from_file) {
    const char *slash = strrchr(from_file, '/');
    char *p = join(from_file, slash ? (size_t)(slash - from_file) : 0, rel);
    if (p && readable_file(p))
      return found(p, tried);
    if (p)
      note_tried(tried, p);
    free(p);
  }
  for (size_t i = 0; sp && i < sp->n; i++) {
    char *p = join(sp->dirs[i], strlen(sp->dirs[i]), rel);
    if (p && readable_file(p))
      return found(p, tried);
    if (p)
      note_tried(tried, p);
    free(p);
  }
  return NULL;
}
