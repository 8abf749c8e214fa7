/* Unit tests for loading a shared library on first use (base/dynload.h): a table filled from a
 * library every system has (libm), and the two failures worded for the user. */
#include <string.h>

#include "base/dynload.h"
#include "check.h"

static void test_found(void)
{
  double (*cosine)(double) = NULL;
  double (*root)(double) = NULL;
  shoal_dynsym syms[] = {{"cos", (void **)&cosine}, {"sqrt", (void **)&root}};
  char why[256] = "";
  CHECK(shoal_dynload("libm.so.6", syms, 2, why, sizeof why) == NULL);
  CHECK(cosine && cosine(0.0) == 1.0);
  CHECK(root && root(16.0) == 4.0);
  CHECK(shoal_dynload("libm.so.6", NULL, 0, why, sizeof why) == NULL); /* opened, nothing asked */
}

static void test_missing(void)
{
  char why[256] = "";
  const char *r = shoal_dynload("libshoal-no-such-library.so.9", NULL, 0, why, sizeof why);
  CHECK(r == why);
  CHECK(strncmp(why, "cannot load libshoal-no-such-library.so.9: ", 43) == 0 && strlen(why) > 43);
  void *slot = NULL;
  shoal_dynsym none[] = {{"cos", &slot}, {"shoal_no_such_function", &slot}};
  CHECK(shoal_dynload("libm.so.6", none, 2, why, sizeof why) == why);
  CHECK_STR(why, "libm.so.6 has no function shoal_no_such_function");
  char tiny[8];
  CHECK(shoal_dynload("libm.so.6", none, 2, tiny, sizeof tiny) == tiny); /* cut, not overrun */
  CHECK(strlen(tiny) == sizeof tiny - 1);
}

int main(void)
{
  test_found();
  test_missing();
  return check_done();
}
