/* Minimal unit-test helpers: each test file is one executable run by CTest. */
#ifndef SHOAL_CHECK_H
#define SHOAL_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    check_count++;                                                                                 \
    if (!(cond)) {                                                                                 \
      check_failures++;                                                                            \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

#define CHECK_STR(a, b)                                                                            \
  do {                                                                                             \
    const char *check_a_ = (a), *check_b_ = (b);                                                   \
    check_count++;                                                                                 \
    if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                               \
      check_failures++;                                                                            \
      fprintf(stderr, "%s:%d: strings differ:\n  got:      \"%s\"\n  expected: \"%s\"\n",          \
              __FILE__, __LINE__, check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
    }                                                                                              \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                                      \
  do {                                                                                             \
    double check_a_ = (a), check_b_ = (b);                                                         \
    check_count++;                                                                                 \
    if (!(fabs(check_a_ - check_b_) <= (tol))) {                                                   \
      check_failures++;                                                                            \
      fprintf(stderr, "%s:%d: %s = %.10g, expected %.10g (tol %g)\n", __FILE__, __LINE__, #a,      \
              check_a_, check_b_, (double)(tol));                                                  \
    }                                                                                              \
  } while (0)

/* Prints the closing line CTest logs show and returns the process exit code. */
static inline int check_done(void)
{
  printf("%d passed, %d failed\n", check_count - check_failures, check_failures);
  return check_failures ? 1 : 0;
}

#endif
