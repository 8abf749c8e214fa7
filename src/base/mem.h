/* String duplication and checked array growth: the two allocation helpers every module uses,
 * so that overflow checks and caps are written once. */
#ifndef SHOAL_MEM_H
#define SHOAL_MEM_H

#include <stdbool.h>
#include <stddef.h>

/* Copy of s (NULL gives NULL). Caller frees with free(); NULL when out of memory. */
char *shoal_strdup(const char *s);
/* Copy of the first n bytes of s, NUL-terminated (s need not be). Caller frees with free();
 * NULL when out of memory or n is SIZE_MAX. */
char *shoal_strndup(const char *s, size_t n);

/* Make the array *arr (capacity *cap elements of elem bytes) hold at least need elements:
 * the capacity doubles from at least min_cap, never past max_cap, overflow-checked. On
 * success *arr and *cap are updated (the array may move); on failure (out of memory, or need
 * over max_cap) both are left as they were and false is returned. */
bool shoal_grow(void **arr, size_t *cap, size_t need, size_t elem, size_t min_cap, size_t max_cap);

/* shoal_grow for a typed pointer: SHOAL_GROW(&v, &cap, n + 1, 16, MAX). */
#define SHOAL_GROW(arrp, capp, need, min_cap, max_cap)                                             \
  shoal_grow((void **)(arrp), (capp), (need), sizeof **(arrp), (min_cap), (max_cap))

#endif
