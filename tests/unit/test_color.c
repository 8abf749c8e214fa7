/* Colour parsing: every accepted syntax, the named table, and what must be refused. */
#include <stdbool.h>

#include "check.h"
#include "config/color.h"

static bool parses(const char *s, double r, double g, double b, double a)
{
  shoal_color c = {-1, -1, -1, -1};
  if (!shoal_color_parse(s, &c))
    return false;
  return fabs(c.r - r) < 1e-9 && fabs(c.g - g) < 1e-9 && fabs(c.b - b) < 1e-9 &&
         fabs(c.a - a) < 1e-9;
}

static bool refused(const char *s)
{
  shoal_color c = {0.25, 0.25, 0.25, 0.25};
  return !shoal_color_parse(s, &c) && c.r == 0.25 && c.a == 0.25; /* out untouched */
}

int main(void)
{
  /* hex forms */
  CHECK(parses("#fff", 1, 1, 1, 1));
  CHECK(parses("#000", 0, 0, 0, 1));
  CHECK(parses("#f00a", 1, 0, 0, 170 / 255.0));
  CHECK(parses("#336699", 0x33 / 255.0, 0x66 / 255.0, 0x99 / 255.0, 1));
  CHECK(parses("#AbCdEf", 0xab / 255.0, 0xcd / 255.0, 0xef / 255.0, 1));
  CHECK(parses("#11223380", 0x11 / 255.0, 0x22 / 255.0, 0x33 / 255.0, 0x80 / 255.0));
  CHECK(parses("  #fff  ", 1, 1, 1, 1));
  /* functional forms */
  CHECK(parses("rgb(255,0,0)", 1, 0, 0, 1));
  CHECK(parses("rgb( 0 , 128 , 255 )", 0, 128 / 255.0, 1, 1));
  CHECK(parses("RGB(10,20,30)", 10 / 255.0, 20 / 255.0, 30 / 255.0, 1));
  CHECK(parses("rgba(0,0,255,0.5)", 0, 0, 1, 0.5));
  CHECK(parses("rgba(0,0,255,.25)", 0, 0, 1, 0.25));
  CHECK(parses("rgba(0,0,0,1)", 0, 0, 0, 1));
  CHECK(parses("rgb(127.5,0,0)", 0.5, 0, 0, 1));
  /* names, case-insensitive; both grey spellings; the 148th */
  CHECK(parses("red", 1, 0, 0, 1));
  CHECK(parses("Navy", 0, 0, 128 / 255.0, 1));
  CHECK(parses("gray", 128 / 255.0, 128 / 255.0, 128 / 255.0, 1));
  CHECK(parses("grey", 128 / 255.0, 128 / 255.0, 128 / 255.0, 1));
  CHECK(parses("DarkSlateGrey", 0x2f / 255.0, 0x4f / 255.0, 0x4f / 255.0, 1));
  CHECK(parses("lightslategray", 0x77 / 255.0, 0x88 / 255.0, 0x99 / 255.0, 1));
  CHECK(parses("rebeccapurple", 0x66 / 255.0, 0x33 / 255.0, 0x99 / 255.0, 1));
  CHECK(parses("aliceblue", 0xf0 / 255.0, 0xf8 / 255.0, 1, 1));
  CHECK(parses("yellowgreen", 0x9a / 255.0, 0xcd / 255.0, 0x32 / 255.0, 1));
  CHECK(parses("lightgoldenrodyellow", 0xfa / 255.0, 0xfa / 255.0, 0xd2 / 255.0, 1));
  CHECK(parses("none", 0, 0, 0, 0));
  CHECK(parses("Transparent", 0, 0, 0, 0));

  /* failures */
  CHECK(refused(""));
  CHECK(refused("   "));
  CHECK(refused("#"));
  CHECK(refused("#ff"));
  CHECK(refused("#fffff"));
  CHECK(refused("#fffffff"));
  CHECK(refused("#fffffffff"));
  CHECK(refused("#ggg"));
  CHECK(refused("#12345z"));
  CHECK(refused("fff"));
  CHECK(refused("rgb(256,0,0)"));
  CHECK(refused("rgb(-1,0,0)"));
  CHECK(refused("rgb(1,2)"));
  CHECK(refused("rgb(1,2,3,4)"));
  CHECK(refused("rgb(1,2,3"));
  CHECK(refused("rgb(1,2,3)x"));
  CHECK(refused("rgb(a,b,c)"));
  CHECK(refused("rgb(1,,3)"));
  CHECK(refused("rgba(1,2,3)"));
  CHECK(refused("rgba(1,2,3,1.5)"));
  CHECK(refused("rgba(1,2,3,-0.1)"));
  CHECK(refused("rgb(0x10,0,0)"));
  CHECK(refused("rgb(1e999,0,0)"));
  CHECK(refused("bleu"));
  CHECK(refused("red red"));
  CHECK(refused("reddish"));
  CHECK(!shoal_color_parse(NULL, NULL));

  /* suggestions */
  CHECK_STR(shoal_color_suggest("bleu"), "blue");
  CHECK_STR(shoal_color_suggest("Grean"), "green");
  CHECK_STR(shoal_color_suggest("lightgrye"), "lightgrey");
  CHECK_STR(shoal_color_suggest("rebeccapurpel"), "rebeccapurple");
  CHECK_STR(shoal_color_suggest("transparant"), "transparent");
  CHECK(shoal_color_suggest("#ffg") == NULL);
  CHECK(shoal_color_suggest("zzzzzzzz") == NULL);
  return check_done();
}
