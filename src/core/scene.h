/* A prepared map: the model plus everything resolved against the world — the view, the open
 * data source of each layer, its transformation and bound filters. Prepared once per job and
 * drawn once per output format. The scene owns the layer contexts (layer/) and hands them,
 * with the view and transforms, to label/ and furniture/ through their own env structs; the
 * contexts point into the scene, so it stays where shoal_scene_prepare put it. */
#ifndef SHOAL_SCENE_H
#define SHOAL_SCENE_H

#include <cairo.h>

#include "config/model.h"
#include "core/job.h"
#include "data/cache.h"
#include "data/source.h"
#include "draw/band.h"
#include "draw/surface.h"
#include "furniture/furniture.h"
#include "geo/view.h"
#include "geo/xform.h"
#include "label/label.h"
#include "layer/layer.h"

typedef struct shoal_scene {
  shoal_map *map;      /* borrowed */
  shoal_geocache *geo; /* borrowed (may be NULL): prepared geometry shared by outputs and jobs */
  shoal_proj *proj;    /* owned */
  shoal_view view;
  shoal_xform *to_ll;   /* map CRS -> EPSG:4326 */
  shoal_xform *from_ll; /* EPSG:4326 -> map CRS, for the seam of annotations */
  double scale_denom;   /* 1:N at the centre, 0.28 mm pixels */
  double centre_lon, centre_lat;
  shoal_layerctx *layers; /* the layers with data at this scale, in drawing order (owned) */
  size_t nlayers;
  bool strict_labels;
  shoal_job_stats stats;
  shoal_labelstate *labels; /* prepared labels and annotations (label/), owned */
  shoal_furnstate *furn;    /* prepared furniture (furniture/), owned */
} shoal_scene;

/* Resolve everything the map needs; all errors go to d with their file:line:col. Caller
 * frees the scene with shoal_scene_free (also on error, when *out is set). */
shoal_status shoal_scene_prepare(shoal_map *m, shoal_datacache *cache, shoal_geocache *geo,
                                 bool strict_labels, shoal_diag *d, shoal_scene **out);
/* Draw the whole map on cr (device px user space). cancel (borrowed, NULL = never) is checked
 * before each layer, before the annotations, the furniture and the labels and inside the label
 * pass: once it is non-zero the draw stops and returns SHOAL_ERR_INTERRUPTED without a
 * message; what cr holds then is half a map, for the caller to drop. */
shoal_status shoal_scene_draw(shoal_scene *sc, cairo_t *cr, const atomic_int *cancel,
                              shoal_diag *d);
/* The map can be drawn as a PNG in bands (core/sceneband.c): an opaque background and
 * nothing drawn over the layers (no labels, annotations or furniture). */
bool shoal_scene_bandable(const shoal_scene *sc);
/* Draw the scene into s (from shoal_surface_new_banded) band by band on every core: the same
 * pixels as shoal_scene_draw on a whole page. Errors, cancel and the result as there; then
 * shoal_surface_finish or shoal_surface_abort. */
shoal_status shoal_scene_draw_banded(shoal_scene *sc, shoal_surface *s, const atomic_int *cancel,
                                     shoal_diag *d);
/* The layers of the map can be drawn in bands with the same pixels (no hatched fills). */
bool shoal_scene_bands_fit(const shoal_scene *sc);
/* Draw the background and the layers of the scene on page (an ARGB32 image surface, the page
 * of shoal_scene_draw) band by band on every core. *geo gets every visible layer's prepared
 * geometry (geo[i].lg for sc->layers[i]; also on error, possibly NULL): the caller frees it
 * with shoal_scene_bands_free. Errors and cancel as shoal_scene_draw. */
shoal_status shoal_scene_draw_layers_banded(shoal_scene *sc, cairo_surface_t *page,
                                            const atomic_int *cancel, shoal_diag *d,
                                            shoal_bandgeo **geo);
void shoal_scene_bands_free(const shoal_scene *sc, shoal_bandgeo *geo);
/* Paint the map's background over the whole page on cr: SHOAL_OK, or Cairo's error in d. */
shoal_status shoal_scene_paint_background(const shoal_scene *sc, cairo_t *cr, shoal_diag *d);
void shoal_scene_stats(const shoal_scene *sc, shoal_job_stats *out);
void shoal_scene_free(shoal_scene *sc);

#endif
