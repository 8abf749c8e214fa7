/* Collision index: boxes bucketed into a uniform grid of cells, so a test looks only at the
 * boxes registered in the cells the candidate touches. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/mem.h"
#include "label/collide.h"

#define MAX_BOXES 1000000u
#define MAX_CELLS (1u << 20)

typedef struct cell {
  uint32_t *v; /* indices into boxes */
  uint32_t n, cap;
} cell;

struct shoal_collide {
  double size; /* cell edge, px */
  int nx, ny;
  cell *cells;
  shoal_box *boxes;
  size_t n, cap;
};

shoal_collide *shoal_collide_new(double w, double h, double size)
{
  if (!(w > 0) || !(h > 0) || !isfinite(w) || !isfinite(h))
    w = h = 1;
  if (!(size > 0) || !isfinite(size))
    size = 32;
  /* Coarser cells rather than an absurd grid for a huge page. */
  while (ceil(w / size) * ceil(h / size) > MAX_CELLS)
    size *= 2;
  shoal_collide *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->size = size;
  c->nx = (int)ceil(w / size);
  c->ny = (int)ceil(h / size);
  if (c->nx < 1)
    c->nx = 1;
  if (c->ny < 1)
    c->ny = 1;
  c->cells = calloc((size_t)c->nx * (size_t)c->ny, sizeof *c->cells);
  if (!c->cells) {
    free(c);
    return NULL;
  }
  return c;
}

void shoal_collide_free(shoal_collide *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < (size_t)c->nx * (size_t)c->ny; i++)
    free(c->cells[i].v);
  free(c->cells);
  free(c->boxes);
  free(c);
}

static bool finite_box(shoal_box b)
{
  return isfinite(b.x0) && isfinite(b.y0) && isfinite(b.x1) && isfinite(b.y1);
}

/* Cell index of coordinate v, clamped to [0, n-1] before converting (no overflow). */
static int cell_of(double v, double size, int n)
{
  double f = floor(v / size);
  if (f < 0)
    return 0;
  if (f > n - 1)
    return n - 1;
  return (int)f;
}

static bool overlap(shoal_box a, shoal_box b)
{
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

bool shoal_collide_hits(const shoal_collide *c, shoal_box b)
{
  /* A box we cannot locate must not be placed. */
  if (!finite_box(b))
    return true;
  if (!(b.x0 < b.x1) || !(b.y0 < b.y1))
    return false; /* no area, no overlap */
  int cx0 = cell_of(b.x0, c->size, c->nx), cx1 = cell_of(b.x1, c->size, c->nx);
  int cy0 = cell_of(b.y0, c->size, c->ny), cy1 = cell_of(b.y1, c->size, c->ny);
  for (int y = cy0; y <= cy1; y++)
    for (int x = cx0; x <= cx1; x++) {
      const cell *ce = &c->cells[(size_t)y * (size_t)c->nx + (size_t)x];
      for (uint32_t i = 0; i < ce->n; i++)
        if (overlap(b, c->boxes[ce->v[i]]))
          return true;
    }
  return false;
}

static bool cell_push(cell *ce, uint32_t idx)
{
  size_t cap = ce->cap;
  if (!SHOAL_GROW(&ce->v, &cap, (size_t)ce->n + 1, 4, MAX_BOXES))
    return false;
  ce->cap = (uint32_t)cap;
  ce->v[ce->n++] = idx;
  return true;
}

bool shoal_collide_add(shoal_collide *c, shoal_box b)
{
  if (!finite_box(b) || !(b.x0 < b.x1) || !(b.y0 < b.y1))
    return true; /* nothing that could ever be hit */
  if (c->n >= MAX_BOXES)
    return false;
  if (!SHOAL_GROW(&c->boxes, &c->cap, c->n + 1, 64, MAX_BOXES))
    return false;
  uint32_t idx = (uint32_t)c->n;
  int cx0 = cell_of(b.x0, c->size, c->nx), cx1 = cell_of(b.x1, c->size, c->nx);
  int cy0 = cell_of(b.y0, c->size, c->ny), cy1 = cell_of(b.y1, c->size, c->ny);
  for (int y = cy0; y <= cy1; y++)
    for (int x = cx0; x <= cx1; x++) {
      if (cell_push(&c->cells[(size_t)y * (size_t)c->nx + (size_t)x], idx))
        continue;
      /* Out of memory: take idx back out of the cells that got it (it is last in each). */
      for (int yy = cy0; yy <= y; yy++)
        for (int xx = cx0; xx <= (yy == y ? x - 1 : cx1); xx++)
          c->cells[(size_t)yy * (size_t)c->nx + (size_t)xx].n--;
      return false;
    }
  c->boxes[c->n++] = b;
  return true;
}

int shoal_collide_seg_pieces(double x0, double y0, double x1, double y1, double step)
{
  double len = hypot(x1 - x0, y1 - y0);
  int n = (int)ceil(len / step);
  if (n < 1)
    n = 1;
  return n > 100000 ? 0 : n;
}

shoal_box shoal_collide_seg_box(double x0, double y0, double x1, double y1, int k, int n, double w)
{
  double ax = x0 + (x1 - x0) * k / n, ay = y0 + (y1 - y0) * k / n;
  double bx = x0 + (x1 - x0) * (k + 1) / n, by = y0 + (y1 - y0) * (k + 1) / n;
  return (shoal_box){fmin(ax, bx) - w, fmin(ay, by) - w, fmax(ax, bx) + w, fmax(ay, by) + w};
}
