/* File helpers every shapefile job uses: names with an extension, sidecar lookup, whole-file
 * reads, thread-safe errno text and shapelib hooks that keep its messages to itself. */
#include "data/shp_priv.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *shoal_shp_concat(const char *a, const char *b)
{
  size_t na = strlen(a), nb = strlen(b);
  if (na > SIZE_MAX - nb - 1)
    return NULL;
  char *r = malloc(na + nb + 1);
  if (!r)
    return NULL;
  memcpy(r, a, na);
  memcpy(r + na, b, nb + 1);
  return r;
}

/* Read exactly n bytes from fd into buf; 0 or the errno (EIO when the file got shorter). */
static int read_all(int fd, char *buf, size_t n)
{
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return r < 0 ? errno : EIO;
    got += (size_t)r;
  }
  return 0;
}

int shoal_shp_slurp(const char *path, size_t cap, char **out, size_t *len)
{
  *out = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return errno;
  struct stat st;
  int e = 0;
  char *buf = NULL;
  if (fstat(fd, &st) != 0)
    e = errno;
  else if (!S_ISREG(st.st_mode))
    e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
  else if ((unsigned long long)st.st_size > cap)
    e = EFBIG;
  else if (!(buf = malloc((size_t)st.st_size + 1)))
    e = ENOMEM;
  else
    e = read_all(fd, buf, (size_t)st.st_size);
  close(fd);
  if (e) {
    free(buf);
    return e;
  }
  buf[st.st_size] = '\0';
  *out = buf;
  *len = (size_t)st.st_size;
  return 0;
}

char *shoal_shp_sidecar(const char *base, const char *ext_lower)
{
  char upper[8];
  size_t i = 0;
  for (; ext_lower[i] && i + 1 < sizeof upper; i++)
    upper[i] = (char)toupper((unsigned char)ext_lower[i]);
  upper[i] = '\0';
  const char *exts[2] = {ext_lower, upper};
  for (int k = 0; k < 2; k++) {
    char *p = shoal_shp_concat(base, exts[k]);
    if (!p)
      return NULL;
    if (access(p, F_OK) == 0)
      return p;
    free(p);
  }
  return NULL;
}

const char *shoal_shp_errstr(int e, char *buf, size_t n)
{
  /* strerror is not guaranteed thread-safe; the XSI strerror_r is. */
  if (strerror_r(e, buf, n) != 0)
    snprintf(buf, n, "error %d", e);
  return buf;
}

/* shapelib reports through a hook with no context pointer; our own checks produce the
 * messages, so its text is dropped rather than printed to stderr behind the user's back. */
static void quiet_error(const char *message) { (void)message; }

void shoal_shp_hooks(SAHooks *hooks)
{
  SASetupDefaultHooks(hooks);
  hooks->Error = quiet_error;
}
