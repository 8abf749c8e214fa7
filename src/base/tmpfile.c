/* Temporary files named DIR/.NAME.shoal-PID@HOST.tmp.XXXXXX[.EXT], and removing those that a
 * killed process of this host left: one scheme for every file Shoal writes. */
#include "base/tmpfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Hidden, beside the target (so the rename stays on one file system), and recognisable by a
 * later run as Shoal's own, left by a process of this host that no longer runs. The host keeps
 * a run on one machine from judging the processes of another that writes into the same shared
 * folder. */
#define TMP_MARK ".shoal-"
#define TMP_RAND ".tmp.XXXXXX"
#define TMP_RANDLEN 6    /* the X's mkstemp replaces */
#define TMP_NAME_MAX 100 /* bytes of NAME kept in the temporary name */
#define TMP_EXT_MAX 8    /* characters of an extension after the '.' */
#define TMP_HOST_SIZE 65 /* HOST_NAME_MAX (64) and the terminator */

/* This machine's name with anything but letters, digits, '-' and '.' replaced, so that it
 * cannot be confused with the name's separators. */
static void host_name(char *buf, size_t n)
{
  if (gethostname(buf, n) != 0)
    snprintf(buf, n, "localhost");
  buf[n - 1] = 0;
  for (char *p = buf; *p; p++)
    if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
      *p = '_';
}

/* ".EXT" with 1 to TMP_EXT_MAX ASCII letters or digits, the length given. */
static bool ext_ok(const char *ext, size_t n)
{
  if (n < 2 || n > TMP_EXT_MAX + 1 || ext[0] != '.')
    return false;
  for (size_t i = 1; i < n; i++)
    if (!isalnum((unsigned char)ext[i]) || (unsigned char)ext[i] >= 0x80)
      return false;
  return true;
}

int shoal_tmpfile_open(const char *path, const char *ext, char **tmp)
{
  *tmp = NULL;
  size_t extlen = ext ? strlen(ext) : 0;
  if (extlen && !ext_ok(ext, extlen)) {
    errno = EINVAL;
    return -1;
  }
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0, namelen = strlen(path + dirlen);
  char host[TMP_HOST_SIZE];
  host_name(host, sizeof host);
  size_t n = dirlen + namelen + strlen(host) + extlen + 64;
  char *t = malloc(n);
  if (!t) {
    errno = ENOMEM;
    return -1;
  }
  snprintf(t, n, "%.*s.%.*s" TMP_MARK "%ld@%s" TMP_RAND "%s", (int)dirlen, path,
           (int)(namelen < TMP_NAME_MAX ? namelen : TMP_NAME_MAX), path + dirlen, (long)getpid(),
           host, extlen ? ext : "");
  /* mkstemps is not POSIX but is in every libc Shoal builds with (glibc, musl, the BSDs). */
  int fd = extlen ? mkstemps(t, (int)extlen) : mkstemp(t);
  if (fd < 0) {
    int e = errno;
    free(t);
    errno = e;
    return -1;
  }
  /* mkstemp makes 0600 files; maps and data are meant to be shared. */
  (void)fchmod(fd, 0644);
  *tmp = t;
  return fd;
}

/* The pid in name (as in the folder) when name[0..end) is .NAME.shoal-PID@HOST.tmp.XXXXXX with
 * this host's name, else 0. */
static long owner_upto(const char *name, size_t end, const char *host)
{
  size_t rl = strlen(TMP_RAND);
  if (name[0] != '.' || end < rl + strlen(TMP_MARK) + 3 ||
      strncmp(name + end - rl, ".tmp.", rl - TMP_RANDLEN))
    return 0;
  for (size_t i = end - TMP_RANDLEN; i < end; i++)
    if (!isalnum((unsigned char)name[i]) || (unsigned char)name[i] >= 0x80)
      return 0;
  const char *stop = name + end - rl, *mark = NULL;
  for (const char *p = name; (p = strstr(p, TMP_MARK)) && p < stop; p++)
    mark = p;
  if (!mark || !isdigit((unsigned char)mark[strlen(TMP_MARK)]))
    return 0;
  char *at;
  errno = 0;
  long pid = strtol(mark + strlen(TMP_MARK), &at, 10);
  size_t hl = strlen(host);
  if (errno || pid <= 0 || pid > INT_MAX || *at != '@' || at >= stop ||
      (size_t)(stop - at - 1) != hl || strncmp(at + 1, host, hl) != 0)
    return 0;
  return pid;
}

/* The pid in a temporary name of this host's, with or without an extension, or 0 when name is
 * not one. */
static long tmp_owner(const char *name, const char *host)
{
  size_t n = strlen(name);
  long pid = owner_upto(name, n, host);
  const char *dot = strrchr(name, '.');
  if (!pid && dot && ext_ok(dot, n - (size_t)(dot - name)))
    pid = owner_upto(name, (size_t)(dot - name), host);
  return pid;
}

size_t shoal_tmpfile_clean_stale(const char *dir)
{
  DIR *dp = opendir(dir && dir[0] ? dir : ".");
  if (!dp)
    return 0; /* not there yet, or unreadable: the command says so if it matters */
  char host[TMP_HOST_SIZE];
  host_name(host, sizeof host);
  size_t removed = 0;
  for (struct dirent *e; (e = readdir(dp));) {
    long pid = tmp_owner(e->d_name, host);
    struct stat st;
    /* Only a process that is gone: kill(pid, 0) fails with ESRCH. EPERM means it runs (as
     * another user); a pid reused since then keeps the file, which is the safe side. */
    if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue;
    if (fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        unlinkat(dirfd(dp), e->d_name, 0) == 0)
      removed++;
  }
  closedir(dp);
  return removed;
}
