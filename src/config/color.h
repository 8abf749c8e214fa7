/* Colours as written in style files: #rgb, #rrggbb, #rrggbbaa, rgb()/rgba(), and CSS names. */
#ifndef SHOAL_COLOR_H
#define SHOAL_COLOR_H

#include <stdbool.h>

typedef struct shoal_color {
  double r, g, b, a; /* 0..1 */
} shoal_color;

/* Parse s; false when it is not a colour. Accepts "#rgb", "#rrggbb", "#rrggbbaa" (hex,
 * case-insensitive), "rgb(r,g,b)", "rgba(r,g,b,a)" with r,g,b 0..255 and a 0..1, "none"/
 * "transparent" (alpha 0), and the 148 CSS named colours (case-insensitive). */
bool shoal_color_parse(const char *s, shoal_color *out);
/* Closest CSS colour name to a misspelt one, for "did you mean"; NULL if none close. A static
 * string: never freed. */
const char *shoal_color_suggest(const char *s);

#endif
