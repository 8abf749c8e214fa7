/* Unit tests for the base allocation helpers: string copies and checked array growth. */
#include <stdint.h>
#include <stdlib.h>

#include "base/mem.h"
#include "check.h"

static void test_strdup(void)
{
  char *a = shoal_strdup("Đá Ba Đầu");
  CHECK_STR(a, "Đá Ba Đầu");
  free(a);
  CHECK(shoal_strdup(NULL) == NULL);
  char *b = shoal_strndup("abcdef", 3);
  CHECK_STR(b, "abc");
  free(b);
  char *e = shoal_strndup("x", 0);
  CHECK_STR(e, "");
  free(e);
  CHECK(shoal_strndup("x", SIZE_MAX) == NULL);
}

static void test_grow(void)
{
  int *v = NULL;
  size_t cap = 0;
  CHECK(SHOAL_GROW(&v, &cap, 1, 4, 100));
  CHECK(cap == 4 && v != NULL);
  CHECK(SHOAL_GROW(&v, &cap, 4, 4, 100) && cap == 4);    /* already enough: unchanged */
  CHECK(SHOAL_GROW(&v, &cap, 5, 4, 100) && cap == 8);    /* doubles */
  CHECK(SHOAL_GROW(&v, &cap, 70, 4, 100) && cap == 100); /* doubling stops at the cap */
  v[99] = 7;
  int *before = v;
  CHECK(!SHOAL_GROW(&v, &cap, 101, 4, 100)); /* over the cap: refused, array intact */
  CHECK(v == before && cap == 100 && v[99] == 7);
  free(v);

  /* A minimum above the cap never allocates past the cap. */
  double *d = NULL;
  size_t dcap = 0;
  CHECK(SHOAL_GROW(&d, &dcap, 3, 64, 10) && dcap == 10);
  free(d);

  /* Element count times size overflowing is refused, not wrapped. */
  char(*big)[1 << 20] = NULL;
  size_t bcap = 0;
  CHECK(!SHOAL_GROW(&big, &bcap, SIZE_MAX / 2, 1, SIZE_MAX));
  CHECK(big == NULL && bcap == 0);
}

int main(void)
{
  test_strdup();
  test_grow();
  return check_done();
}
