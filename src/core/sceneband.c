/* A prepared scene drawn as a PNG in bands on every core (draw/band.h, shoal_png_write_bands):
 * the layers' geometry is prepared once, then each band draws the background and every layer
 * translated to its rows. Only for maps where nothing is drawn over the layers: labels,
 * annotations and furniture are placed over the whole page in one pass (collisions, Pango
 * layouts on the job's one text context, which is not for two threads), so such maps are drawn
 * on one page-sized image as before. */
#include <stdlib.h>

#include "config/furn_model.h"
#include "core/scene.h"
#include "draw/band.h"
#include "draw/surface.h"

/* Nothing of labels, annotations or furniture would be drawn. */
static bool nothing_over_layers(const shoal_scene *sc)
{
  const shoal_map *m = sc->map;
  const shoal_furnspec *f = m->furn;
  if (m->annots || (m->title && *m->title) || (m->subtitle && *m->subtitle) ||
      (m->credit && *m->credit))
    return false;
  if (f && (f->bands || f->title_band || f->legend.show || f->scalebar.show || f->graticule.show ||
            f->north.show != SHOAL_TRI_OFF || f->inset.show))
    return false;
  for (size_t i = 0; i < sc->nlayers; i++) {
    const shoal_layer *L = sc->layers[i].layer;
    if (L->visible && (L->label || (L->attribution && *L->attribution)))
      return false;
  }
  return true;
}

static bool hatched(const shoal_style *st)
{
  return (st->set & SHOAL_STY_HATCH) && st->hatch.a > 0;
}

/* A hatched fill is drawn through a clip, and Cairo's clipped drawing came out a few levels
 * different at some pixels in a band's smaller image than on the page (measured on the golden
 * map core/holes at scale 2): such maps are drawn whole. */
static bool any_hatch(const shoal_scene *sc)
{
  for (size_t i = 0; i < sc->nlayers; i++) {
    const shoal_layer *L = sc->layers[i].layer;
    if (!L->visible)
      continue;
    if (hatched(&L->style))
      return true;
    for (size_t r = 0; r < L->nrules; r++)
      if (hatched(&L->rules[r].style))
        return true;
  }
  return false;
}

bool shoal_scene_bands_fit(const shoal_scene *sc) { return !any_hatch(sc); }

bool shoal_scene_bandable(const shoal_scene *sc)
{
  /* An opaque background keeps every pixel opaque (layers draw over it), so the PNG is RGB
   * whatever the bands hold; a translucent one leaves that to the last pixel. */
  return sc->map->background.a >= 1 && nothing_over_layers(sc) && !any_hatch(sc);
}

typedef struct bandctx {
  shoal_scene *sc;
  shoal_bandgeo *geo; /* per layer of sc (unused for the hidden ones) */
} bandctx;

static shoal_status draw_band(void *arg, cairo_t *cr, int y0, int y1, shoal_diag *d)
{
  const bandctx *b = arg;
  const shoal_scene *sc = b->sc;
  shoal_status st = shoal_scene_paint_background(sc, cr, d);
  for (size_t i = 0; st == SHOAL_OK && i < sc->nlayers; i++) {
    const shoal_layerctx *sl = &sc->layers[i];
    if (!sl->layer->visible)
      continue;
    cairo_save(cr);
    shoal_bandgeo_draw(cr, &b->geo[i], y0, y1);
    cairo_restore(cr);
    char what[300];
    snprintf(what, sizeof what, "layer '%s'", sl->layer->name);
    st = shoal_render_check(cr, d, sl->layer->loc, what);
  }
  return st;
}

/* Every visible layer's geometry and styles, on this thread. */
static shoal_status prepare_layers(shoal_scene *sc, bandctx *b, const atomic_int *cancel,
                                   shoal_diag *d)
{
  shoal_render_stats rs = {0};
  shoal_status st = SHOAL_OK;
  for (size_t i = 0; st == SHOAL_OK && i < sc->nlayers; i++) {
    const shoal_layerctx *sl = &sc->layers[i];
    if (!sl->layer->visible)
      continue;
    if (cancel && atomic_load(cancel))
      return SHOAL_ERR_INTERRUPTED;
    const shoal_layergeo *lg = NULL;
    shoal_layergeo *own = NULL;
    st = shoal_layer_geom(sl, d, &lg, &own);
    if (st != SHOAL_OK) {
      shoal_loc l = sl->file->loc;
      shoal_diag_note(d, l.file, l.line, l.col, "while drawing layer '%s'", sl->layer->name);
      return st;
    }
    st = shoal_bandgeo_prepare(&b->geo[i], sl, lg, own, &rs, d);
  }
  sc->stats.features = rs.features;
  sc->stats.pts_read = rs.pts_read;
  sc->stats.pts_drawn = rs.pts_drawn;
  return st;
}

/* Every visible layer prepared for bands into a new array *out (one entry per layer of sc; set
 * also on error, NULL when out of memory): the caller frees it with shoal_scene_bands_free. */
static shoal_status bands_new(shoal_scene *sc, const atomic_int *cancel, shoal_diag *d,
                              shoal_bandgeo **out)
{
  bandctx b = {.sc = sc, .geo = calloc(sc->nlayers ? sc->nlayers : 1, sizeof *b.geo)};
  *out = b.geo;
  if (!b.geo) {
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return SHOAL_ERR_NOMEM;
  }
  return prepare_layers(sc, &b, cancel, d);
}

void shoal_scene_bands_free(const shoal_scene *sc, shoal_bandgeo *geo)
{
  for (size_t i = 0; geo && i < sc->nlayers; i++)
    shoal_bandgeo_fini(&geo[i]);
  free(geo);
}

shoal_status shoal_scene_draw_banded(shoal_scene *sc, shoal_surface *s, const atomic_int *cancel,
                                     shoal_diag *d)
{
  size_t before = shoal_diag_nerrors(d);
  bandctx b = {.sc = sc};
  shoal_status st = bands_new(sc, cancel, d, &b.geo);
  if (st == SHOAL_OK)
    st = shoal_surface_draw_bands(s, draw_band, &b, cancel, d);
  shoal_scene_bands_free(sc, b.geo);
  if (st != SHOAL_OK && st != SHOAL_ERR_INTERRUPTED && shoal_diag_nerrors(d) == before)
    shoal_diag_error(d, st, NULL, 0, 0, "drawing the map failed: %s", shoal_status_str(st));
  return st;
}

shoal_status shoal_scene_draw_layers_banded(shoal_scene *sc, cairo_surface_t *page,
                                            const atomic_int *cancel, shoal_diag *d,
                                            shoal_bandgeo **geo)
{
  bandctx b = {.sc = sc};
  shoal_status st = bands_new(sc, cancel, d, &b.geo);
  *geo = b.geo;
  if (st == SHOAL_OK)
    st = shoal_png_draw_bands(page, draw_band, &b, cancel, d);
  return st;
}
