/* String duplication and checked array growth (see mem.h). */
#include "base/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *shoal_strdup(const char *s) { return s ? shoal_strndup(s, strlen(s)) : NULL; }

char *shoal_strndup(const char *s, size_t n)
{
  if (n == SIZE_MAX)
    return NULL;
  char *p = malloc(n + 1);
  if (!p)
    return NULL;
  if (n)
    memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

bool shoal_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t min_cap, size_t max_cap)
{
  if (need <= *cap)
    return true;
  if (need > max_cap || elem == 0)
    return false;
  size_t ncap = *cap < min_cap ? min_cap : *cap;
  if (ncap == 0)
    ncap = 1;
  if (ncap > max_cap)
    ncap = max_cap;
  while (ncap < need)
    ncap = ncap > max_cap / 2 ? max_cap : ncap * 2;
  if (ncap > SIZE_MAX / elem)
    return false;
  void *nb = realloc(*arr, ncap * elem);
  if (!nb)
    return false;
  *arr = nb;
  *cap = ncap;
  return true;
}
