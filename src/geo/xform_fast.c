/* PROJ per vertex without the pipeline around the projection: lon/lat -> map CRS operations
 * are "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=X ..." (the
 * way back: "+step +inv +proj=X ... +step +proj=unitconvert +xy_in=rad +xy_out=deg"), and
 * each point then costs three calls into PROJ (the pipeline, the conversion, the projection),
 * each with its own checks. Here the projection step is made on its own and the degrees are
 * multiplied or divided by the same factor PROJ's unitconvert uses, as it does it, so every
 * coordinate comes out as the whole pipeline would give it (tests/unit/test_xform_known.c
 * compares them bit for bit); the projection itself is still PROJ's. */
#include <string.h>

#include "geo/xform_priv.h"

static const char DEG_IN[] = "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step ";
static const char INV_IN[] = "+proj=pipeline +step +inv ";
static const char DEG_OUT[] = " +step +proj=unitconvert +xy_in=rad +xy_out=deg";
/* Longest projection step taken. */
#define STEP_MAX 512

/* The factor of PROJ's "+proj=unitconvert +xy_in=deg +xy_out=rad" (or rad to deg): what it
 * makes of 1. 0 when PROJ cannot say. */
static double unit_factor(shoal_proj *p, bool to_rad)
{
  PJ *uc = proj_create(p->ctx, to_rad ? "+proj=unitconvert +xy_in=deg +xy_out=rad"
                                      : "+proj=unitconvert +xy_in=rad +xy_out=deg");
  if (!uc)
    return 0;
  PJ_COORD c = proj_trans(uc, PJ_FWD, proj_coord(1, 1, 0, 0));
  proj_destroy(uc);
  return c.xy.x == c.xy.y ? c.xy.x : 0;
}

/* Whether e's operation is one projection step between degrees and radians; makes the step. */
static void setup(shoal_proj *p, xcache_entry *e)
{
  shoal_fastop *f = &e->fast;
  f->state = -1;
  const char *ps = proj_as_proj_string(p->ctx, e->pj, PJ_PROJ_5, NULL);
  if (!ps)
    return;
  size_t n = strlen(ps), from, len;
  if (strncmp(ps, DEG_IN, sizeof DEG_IN - 1) == 0) {
    from = sizeof DEG_IN - 1;
    len = n - from;
  } else if (strncmp(ps, INV_IN, sizeof INV_IN - 1) == 0 && n > sizeof INV_IN + sizeof DEG_OUT &&
             strcmp(ps + n - (sizeof DEG_OUT - 1), DEG_OUT) == 0) {
    f->inv = true;
    from = sizeof INV_IN - 1;
    len = n - from - (sizeof DEG_OUT - 1);
  } else {
    return;
  }
  char step[STEP_MAX];
  if (len >= sizeof step)
    return;
  memcpy(step, ps + from, len);
  step[len] = '\0';
  /* One step, not inverted itself, that PROJ makes into a single operation. */
  if (strncmp(step, "+proj=", 6) != 0 || strstr(step, "+step") || strstr(step, "+inv"))
    return;
  f->f = unit_factor(p, !f->inv);
  if (!(f->f > 0) || !(f->step = proj_create(p->ctx, step)))
    return;
  f->state = 1;
}

/* The unitconvert step on every x and y: its forward multiplies, its inverse divides. */
static void scale(double *xy, size_t n, double k, bool mul)
{
  if (mul)
    for (size_t i = 0; i < 2 * n; i++)
      xy[i] *= k;
  else
    for (size_t i = 0; i < 2 * n; i++)
      xy[i] /= k;
}

bool shoal_xform_priv_fast(shoal_xform *t, PJ_DIRECTION dir, double *xy, size_t n)
{
  if (!t->entry)
    return false;
  xcache_entry *e = &t->p->cache[t->entry - 1];
  if (e->fast.state == 0)
    setup(t->p, e);
  if (e->fast.state != 1)
    return false;
  const shoal_fastop *f = &e->fast;
  /* Forward, the pipeline's steps in order; inverse, the other way round, each inverted. The
   * unit step comes before the projection going forward from degrees (or back to them along
   * an inverted pipeline). */
  bool fwd = dir == PJ_FWD, before = fwd != f->inv;
  if (before)
    scale(xy, n, f->f, fwd);
  proj_errno_reset(f->step);
  proj_trans_generic(f->step, before ? PJ_FWD : PJ_INV, xy, 2 * sizeof(double), n, xy + 1,
                     2 * sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
  proj_errno_reset(f->step);
  if (!before)
    scale(xy, n, f->f, fwd);
  return true;
}
