/* Colour parsing for style files: hex, rgb()/rgba(), none/transparent and the CSS names. */
#include "config/color.h"

#include <stddef.h>
#include <string.h>

#include "config/expr.h"
#include "base/diag.h"

/* The 148 CSS Color Module 4 names, sorted for binary search. */
static const char *const css_names[] = {
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
};

/* 0xRRGGBB, parallel to css_names. */
static const unsigned long css_rgb[] = {
    0xf0f8ff, 0xfaebd7, 0x00ffff, 0x7fffd4, 0xf0ffff, 0xf5f5dc, 0xffe4c4, 0x000000, 0xffebcd,
    0x0000ff, 0x8a2be2, 0xa52a2a, 0xdeb887, 0x5f9ea0, 0x7fff00, 0xd2691e, 0xff7f50, 0x6495ed,
    0xfff8dc, 0xdc143c, 0x00ffff, 0x00008b, 0x008b8b, 0xb8860b, 0xa9a9a9, 0x006400, 0xa9a9a9,
    0xbdb76b, 0x8b008b, 0x556b2f, 0xff8c00, 0x9932cc, 0x8b0000, 0xe9967a, 0x8fbc8f, 0x483d8b,
    0x2f4f4f, 0x2f4f4f, 0x00ced1, 0x9400d3, 0xff1493, 0x00bfff, 0x696969, 0x696969, 0x1e90ff,
    0xb22222, 0xfffaf0, 0x228b22, 0xff00ff, 0xdcdcdc, 0xf8f8ff, 0xffd700, 0xdaa520, 0x808080,
    0x008000, 0xadff2f, 0x808080, 0xf0fff0, 0xff69b4, 0xcd5c5c, 0x4b0082, 0xfffff0, 0xf0e68c,
    0xe6e6fa, 0xfff0f5, 0x7cfc00, 0xfffacd, 0xadd8e6, 0xf08080, 0xe0ffff, 0xfafad2, 0xd3d3d3,
    0x90ee90, 0xd3d3d3, 0xffb6c1, 0xffa07a, 0x20b2aa, 0x87cefa, 0x778899, 0x778899, 0xb0c4de,
    0xffffe0, 0x00ff00, 0x32cd32, 0xfaf0e6, 0xff00ff, 0x800000, 0x66cdaa, 0x0000cd, 0xba55d3,
    0x9370db, 0x3cb371, 0x7b68ee, 0x00fa9a, 0x48d1cc, 0xc71585, 0x191970, 0xf5fffa, 0xffe4e1,
    0xffe4b5, 0xffdead, 0x000080, 0xfdf5e6, 0x808000, 0x6b8e23, 0xffa500, 0xff4500, 0xda70d6,
    0xeee8aa, 0x98fb98, 0xafeeee, 0xdb7093, 0xffefd5, 0xffdab9, 0xcd853f, 0xffc0cb, 0xdda0dd,
    0xb0e0e6, 0x800080, 0x663399, 0xff0000, 0xbc8f8f, 0x4169e1, 0x8b4513, 0xfa8072, 0xf4a460,
    0x2e8b57, 0xfff5ee, 0xa0522d, 0xc0c0c0, 0x87ceeb, 0x6a5acd, 0x708090, 0x708090, 0xfffafa,
    0x00ff7f, 0x4682b4, 0xd2b48c, 0x008080, 0xd8bfd8, 0xff6347, 0x40e0d0, 0xee82ee, 0xf5deb3,
    0xffffff, 0xf5f5f5, 0xffff00, 0x9acd32,
};

_Static_assert(sizeof css_names / sizeof css_names[0] == 148, "148 CSS colour names");
_Static_assert(sizeof css_names / sizeof css_names[0] == sizeof css_rgb / sizeof css_rgb[0],
               "name and value tables must line up");

#define NCSS (sizeof css_names / sizeof css_names[0])
#define MAX_COLOR_LEN 64

static const char *const extra_names[] = {"none", "transparent"};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void set_rgb(shoal_color *out, unsigned long v, double a)
{
  out->r = (double)((v >> 16) & 0xff) / 255.0;
  out->g = (double)((v >> 8) & 0xff) / 255.0;
  out->b = (double)(v & 0xff) / 255.0;
  out->a = a;
}

/* #rgb, #rgba, #rrggbb, #rrggbbaa (the 4-digit form is CSS 4 and costs nothing to accept). */
static bool parse_hex(const char *s, size_t n, shoal_color *out)
{
  int v[8];
  if (n != 3 && n != 4 && n != 6 && n != 8)
    return false;
  for (size_t i = 0; i < n; i++)
    if ((v[i] = hexval((unsigned char)s[i])) < 0)
      return false;
  int ch[4] = {0, 0, 0, 255};
  if (n <= 4) {
    for (size_t i = 0; i < n; i++)
      ch[i] = v[i] * 17;
  } else {
    for (size_t i = 0; i < n / 2; i++)
      ch[i] = v[2 * i] * 16 + v[2 * i + 1];
  }
  out->r = ch[0] / 255.0;
  out->g = ch[1] / 255.0;
  out->b = ch[2] / 255.0;
  out->a = ch[3] / 255.0;
  return true;
}

/* "rgb(" or "rgba(" already consumed; reads want comma-separated numbers and the ')'. */
static bool parse_func(const char *s, size_t n, size_t want, shoal_color *out)
{
  double v[4];
  size_t i = 0;
  for (size_t k = 0; k < want; k++) {
    while (i < n && is_space((unsigned char)s[i]))
      i++;
    size_t start = i;
    while (i < n && s[i] != ',' && s[i] != ')' && !is_space((unsigned char)s[i]))
      i++;
    if (i == start || !shoal_expr_parse_number(s + start, i - start, &v[k]))
      return false;
    while (i < n && is_space((unsigned char)s[i]))
      i++;
    if (i >= n)
      return false;
    if (s[i] != (k + 1 < want ? ',' : ')'))
      return false;
    i++;
  }
  if (i != n)
    return false;
  for (size_t k = 0; k < 3; k++)
    if (!(v[k] >= 0.0 && v[k] <= 255.0))
      return false;
  double a = 1.0;
  if (want == 4) {
    if (!(v[3] >= 0.0 && v[3] <= 1.0))
      return false;
    a = v[3];
  }
  out->r = v[0] / 255.0;
  out->g = v[1] / 255.0;
  out->b = v[2] / 255.0;
  out->a = a;
  return true;
}

bool shoal_color_parse(const char *s, shoal_color *out)
{
  if (!s || !out)
    return false;
  while (is_space((unsigned char)*s))
    s++;
  size_t n = strlen(s);
  while (n && is_space((unsigned char)s[n - 1]))
    n--;
  if (n == 0 || n > MAX_COLOR_LEN)
    return false;
  shoal_color c;
  if (s[0] == '#') {
    if (!parse_hex(s + 1, n - 1, &c))
      return false;
    *out = c;
    return true;
  }
  char low[MAX_COLOR_LEN + 1];
  for (size_t i = 0; i < n; i++)
    low[i] = (char)lower((unsigned char)s[i]);
  low[n] = '\0';
  if (n > 5 && memcmp(low, "rgba(", 5) == 0) {
    if (!parse_func(s + 5, n - 5, 4, &c))
      return false;
    *out = c;
    return true;
  }
  if (n > 4 && memcmp(low, "rgb(", 4) == 0) {
    if (!parse_func(s + 4, n - 4, 3, &c))
      return false;
    *out = c;
    return true;
  }
  if (strcmp(low, "none") == 0 || strcmp(low, "transparent") == 0) {
    set_rgb(out, 0, 0.0);
    return true;
  }
  size_t lo = 0, hi = NCSS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(low, css_names[mid]);
    if (cmp == 0) {
      set_rgb(out, css_rgb[mid], 1.0);
      return true;
    }
    if (cmp < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return false;
}

const char *shoal_color_suggest(const char *s)
{
  if (!s || s[0] == '#')
    return NULL; /* a bad hex code is not a misspelt name */
  const char *best = shoal_suggest(s, css_names, NCSS);
  if (!best)
    best = shoal_suggest(s, extra_names, sizeof extra_names / sizeof extra_names[0]);
  return best;
}
