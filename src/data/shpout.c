/* Shapefile writer for computed layers, on top of the importers' safe output (shpout.h). */
#include "data/shpout.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "data/import_priv.h"

struct shoal_shpout {
  imp_out w;
  imp_field *f;
  int nf;
  int shptype;
};

shoal_status shoal_shpout_begin(const char *path, shoal_geom_kind kind, const shoal_shpout_field *f,
                                int nf, shoal_diag *d, shoal_shpout **out)
{
  *out = NULL;
  shoal_shpout *w = calloc(1, sizeof *w);
  if (w && nf > 0)
    w->f = calloc((size_t)nf, sizeof *w->f);
  if (!w || (nf > 0 && !w->f)) {
    free(w);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory writing '%s'", path);
    return SHOAL_ERR_NOMEM;
  }
  for (int i = 0; i < nf; i++) {
    snprintf(w->f[i].name, sizeof w->f[i].name, "%s", f[i].name);
    w->f[i].native = f[i].type;
    w->f[i].width = f[i].width;
    w->f[i].decimals = f[i].decimals;
    w->f[i].src = i;
  }
  w->nf = nf;
  w->shptype = kind == SHOAL_GEOM_POLYGON ? SHPT_POLYGON
               : kind == SHOAL_GEOM_LINE  ? SHPT_ARC
                                          : SHPT_POINT;
  shoal_status st = shoal_import_out_begin(&w->w, path, w->shptype, w->f, nf, d);
  if (st != SHOAL_OK) {
    free(w->f);
    free(w);
    return st;
  }
  *out = w;
  return SHOAL_OK;
}

shoal_status shoal_shpout_write(shoal_shpout *w, const shoal_geom *g, const char *const *vals,
                                shoal_diag *d)
{
  size_t np = g->nparts, n = g->npts;
  int *starts = malloc((np ? np : 1) * sizeof *starts);
  double *x = malloc((n ? n : 1) * sizeof *x), *y = malloc((n ? n : 1) * sizeof *y);
  if (!starts || !x || !y || n > (size_t)1 << 30) {
    free(starts), free(x), free(y);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory writing '%s'", w->w.out);
    return SHOAL_ERR_NOMEM;
  }
  for (size_t i = 0; i < np; i++)
    starts[i] = (int)g->parts[i];
  for (size_t i = 0; i < n; i++) {
    x[i] = g->xy[2 * i];
    y[i] = g->xy[2 * i + 1];
  }
  SHPObject *obj =
      n ? SHPCreateObject(w->shptype, -1, (int)np, starts, NULL, (int)n, x, y, NULL, NULL)
        : SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
  free(starts), free(x), free(y);
  return shoal_import_out_record(&w->w, obj, w->f, w->nf, vals, d);
}

shoal_status shoal_shpout_finish(shoal_shpout *w, shoal_diag *d)
{
  shoal_status st = shoal_import_out_finish(&w->w, SHOAL_WGS84_WKT, d);
  shoal_import_out_abort(&w->w);
  free(w->f);
  free(w);
  return st;
}

void shoal_shpout_abort(shoal_shpout *w)
{
  if (!w)
    return;
  shoal_import_out_abort(&w->w);
  free(w->f);
  free(w);
}
