/* The target of a distance note to a coast (`to-coast:`): the polygons of a layer, only those
 * containing a given point and passing a filter, and the point of their coastline nearest the
 * note's start, found geodesically on WGS84 (geo/nearest.h). */
#include <math.h>
#include <stdlib.h>

#include "geo/nearest.h"
#include "label/label_priv.h"
#include "layer/featattr.h"
#include "layer/layer.h"

static int src_lookup(void *ctx, const char *name) { return shoal_source_field_index(ctx, name); }

/* Even-odd point-in-polygon over every ring of g (source coordinates). */
static bool contains(const shoal_geom *g, double x, double y)
{
  bool in = false;
  for (size_t p = 0; p < g->nparts; p++)
    for (size_t i = g->parts[p], j = g->parts[p + 1] - 1; i < g->parts[p + 1]; j = i++) {
      double xi = g->xy[2 * i], yi = g->xy[2 * i + 1], xj = g->xy[2 * j], yj = g->xy[2 * j + 1];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        in = !in;
    }
  return in;
}

/* The candidate features: those whose box holds the `containing` point, else those that may
 * show in the map's view. *pt gets the point in the source CRS. */
static shoal_status candidates(struct shoal_labelstate *ls, const shoal_annot *a,
                               const shoal_layerctx *sl, double pt[2], int **ids, size_t *n)
{
  if (!a->has_containing)
    return shoal_layer_query(sl, 0, ids, n);
  pt[0] = a->containing[0], pt[1] = a->containing[1];
  if (shoal_xform_inv(ls->env.to_ll, pt, 1) != 1 || shoal_xform_inv(sl->xf, pt, 1) != 1)
    return SHOAL_ERR_DATA;
  double b[4] = {pt[0], pt[1], pt[0], pt[1]};
  return shoal_source_query(sl->src, b, ids, n);
}

/* Feed feature g (source CRS) to the search in lon/lat, ring by ring. */
static bool feed(struct shoal_labelstate *ls, const shoal_layerctx *sl, shoal_geom *g,
                 shoal_nearest *nr)
{
  shoal_xform_fwd(sl->xf, g->xy, g->npts);
  shoal_xform_fwd(ls->env.to_ll, g->xy, g->npts);
  for (size_t p = 0; p < g->nparts; p++) {
    size_t i = g->parts[p], k = shoal_geom_part_len(g, p);
    for (size_t j = i; j < i + k; j++)
      if (g->xy[2 * j] == HUGE_VAL)
        g->xy[2 * j] = g->xy[2 * j + 1] = NAN;
    shoal_nearest_add(nr, &g->xy[2 * i], k);
  }
  return true;
}

/* Walk the candidates: filter, containment, then the nearest point of what is left. */
static shoal_status search(struct shoal_labelstate *ls, const shoal_annot *a,
                           const shoal_layerctx *sl, const int *ids, size_t n, const double pt[2],
                           shoal_nearest *nr, size_t *used, shoal_diag *d)
{
  shoal_featattr fa;
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_POLYGON);
  if (!shoal_featattr_init(&fa, sl->src)) {
    shoal_featattr_free(&fa);
    return SHOAL_ERR_NOMEM;
  }
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; i < n && st == SHOAL_OK; i++) {
    shoal_featattr_set(&fa, ids[i]);
    if (a->filter && !shoal_expr_eval(a->filter, shoal_featattr_get, &fa))
      continue;
    if ((st = shoal_source_read(sl->src, ids[i], &g)) != SHOAL_OK) {
      shoal_source_read_error(sl->src, ids[i], st, d);
      break;
    }
    if (a->has_containing && !contains(&g, pt[0], pt[1]))
      continue;
    feed(ls, sl, &g, nr);
    (*used)++;
  }
  if (st == SHOAL_OK && shoal_featattr_report(&fa, d))
    st = SHOAL_ERR_DATA;
  shoal_featattr_free(&fa);
  shoal_geom_free(&g);
  return st;
}

bool shoal_annot_coast(struct shoal_labelstate *ls, const shoal_annot *a, double lon0, double lat0,
                       double *lon, double *lat, shoal_diag *d)
{
  const shoal_layerctx *sl = shoal_annot_find_layer(ls, a->coast_layer, a->coast_loc, d);
  if (!sl)
    return false;
  if (shoal_source_kind(sl->src) != SHOAL_GEOM_POLYGON) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->coast_loc,
                        "layer '%s' holds %s, not polygons, so it has no coast to measure to",
                        a->coast_layer, shoal_source_type_name(sl->src));
    return false;
  }
  if (a->filter) {
    const char *missing = NULL;
    int col = 0;
    if (!shoal_expr_bind(a->filter, src_lookup, sl->src, &missing, &col)) {
      shoal_loc l = a->filter_loc;
      shoal_diag_error(d, SHOAL_ERR_DATA, l.file, l.line, l.col + (col > 0 ? col - 1 : 0),
                       "filter field '%s' is not in '%s'", missing, shoal_source_path(sl->src));
      return false;
    }
  }
  int *ids = NULL;
  size_t n = 0, used = 0;
  double pt[2] = {0, 0};
  shoal_status st = candidates(ls, a, sl, pt, &ids, &n);
  if (st != SHOAL_OK && a->has_containing) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->containing_loc,
                        "[%g, %g] cannot be placed in the CRS of layer '%s'", a->containing[0],
                        a->containing[1], a->coast_layer);
    return false;
  }
  shoal_nearest nr;
  shoal_nearest_init(&nr, lon0, lat0);
  if (st == SHOAL_OK)
    st = search(ls, a, sl, ids, n, pt, &nr, &used, d);
  else
    shoal_source_read_error(sl->src, -1, st, d);
  free(ids);
  if (st != SHOAL_OK)
    return false;
  if (!used || !nr.found) {
    shoal_loc at = a->has_containing ? a->containing_loc : a->filter ? a->filter_loc : a->coast_loc;
    shoal_diag_error_at(d, SHOAL_ERR_DATA, at, "to-coast selects no polygon of layer '%s'%s",
                        a->coast_layer,
                        a->has_containing ? " (none contains the 'containing' point)"
                        : a->filter       ? " (the filter matches none in the map's view)"
                                          : " in the map's view");
    return false;
  }
  *lon = nr.lon;
  *lat = nr.lat;
  return true;
}

const shoal_layerctx *shoal_annot_mask_layer(struct shoal_labelstate *ls, const shoal_annot *a,
                                             shoal_diag *d)
{
  const shoal_layerctx *sl = shoal_annot_find_layer(ls, a->mask_layer, a->mask_loc, d);
  if (sl && shoal_source_kind(sl->src) != SHOAL_GEOM_POLYGON) {
    shoal_diag_error_at(d, SHOAL_ERR_DATA, a->mask_loc,
                        "layer '%s' holds %s, not polygons, so it cannot mask an outline",
                        a->mask_layer, shoal_source_type_name(sl->src));
    return NULL;
  }
  return sl;
}
