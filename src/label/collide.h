/* Collision index for label placement: axis-aligned boxes in device pixels on a uniform grid,
 * so testing a candidate costs only the cells it touches. */
#ifndef SHOAL_COLLIDE_H
#define SHOAL_COLLIDE_H

#include <stdbool.h>

typedef struct shoal_box {
  double x0, y0, x1, y1; /* x0 <= x1, y0 <= y1 */
} shoal_box;

typedef struct shoal_collide shoal_collide;

/* Index over a w x h device-pixel page with square cells of `cell` px. Boxes partly or wholly
 * off the page are accepted (clamped to the border cells). Caller frees with
 * shoal_collide_free. NULL when out of memory. */
shoal_collide *shoal_collide_new(double w, double h, double cell);
void shoal_collide_free(shoal_collide *c);
/* True when b overlaps (positive-area intersection) any box added so far. */
bool shoal_collide_hits(const shoal_collide *c, shoal_box b);
/* Add b; false only when out of memory (or over a cap of 1,000,000 boxes). */
bool shoal_collide_add(shoal_collide *c, shoal_box b);

/* The boxes along a line that labels keep off (a label-obstacle layer's lines): segment
 * (x0, y0)-(x1, y1) cut into shoal_collide_seg_pieces pieces of at most step px (0 when it
 * would take over 100000), piece k as a box grown by w on every side. Written once, so the
 * boxes put in the index and the ones a label compares with its own line are the same. */
int shoal_collide_seg_pieces(double x0, double y0, double x1, double y1, double step);
shoal_box shoal_collide_seg_box(double x0, double y0, double x1, double y1, int k, int n, double w);

#endif
