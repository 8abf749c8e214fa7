/* Unit tests of what the live preview asks of the library: a map drawn in memory with a
 * viewer's overrides (language, size, hidden layers), its messages when broken, inspect
 * (polygons from inside, points within a tolerance, the rule that matched), pixel <-> lon/lat,
 * and the label record, which must not change what is placed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/preview.h"
#include "core/scene.h"
#include "scratch.h"

#define MAP "styles/second-thomas-shoal.yaml"

static shoal_preview *build(const char *lang, const char *const *hidden, size_t nhidden)
{
  shoal_preview_opts o = {.map_path = MAP, .lang = lang, .hidden = hidden, .nhidden = nhidden};
  shoal_preview *p = NULL;
  shoal_preview_build(&o, &p);
  return p;
}

/* The hit of layer `layer` whose attribute name_en is name, or NULL. */
static const shoal_hit *find_hit(const shoal_hit *h, size_t n, const char *layer, const char *name)
{
  for (size_t i = 0; i < n; i++) {
    if (strcmp(h[i].layer, layer) != 0)
      continue;
    if (!name)
      return &h[i];
    for (size_t k = 0; k < h[i].nattrs; k++)
      if (!strcmp(h[i].names[k], "name_en") && h[i].vals[k] && !strcmp(h[i].vals[k], name))
        return &h[i];
  }
  return NULL;
}

static void inspect_at(shoal_preview *p, double lon, double lat, shoal_hit **h, size_t *n)
{
  double x = 0, y = 0;
  CHECK(shoal_preview_pixel(p, lon, lat, &x, &y));
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_preview_inspect(p, x, y, 6 * p->scale, d, h, n) == SHOAL_OK);
  CHECK(shoal_diag_count(d) == 0);
  shoal_diag_free(d);
}

static void draws_and_inspects(void)
{
  shoal_preview *p = build(NULL, NULL, 0);
  CHECK(p && p->status == SHOAL_OK && p->png && p->png_len > 1000);
  if (!p || p->status != SHOAL_OK) {
    shoal_preview_free(p);
    return;
  }
  CHECK(p->nlangs == 3 && !strcmp(p->langs[0], "en") && !strcmp(p->langs[1], "vi"));
  CHECK(p->nlayers == 4 && !strcmp(p->layers[1], "land") && p->visible[1]);
  CHECK(p->width == 1200 && p->height == 800);
  CHECK_STR(p->title, "Second Thomas Shoal");
  shoal_hit *h = NULL;
  size_t n = 0;
  inspect_at(p, 115.86667, 9.73333, &h, &n);
  const shoal_hit *shoal = find_hit(h, n, "places", "Second Thomas Shoal");
  CHECK(shoal != NULL);
  CHECK(shoal && shoal->rule == 1 && shoal->drawn && shoal->filter &&
        strstr(shoal->filter, "second_thomas_shoal"));
  /* Its label comes from an annotation marker at its place id. */
  CHECK(shoal && shoal->label && !strcmp(shoal->label, "Second Thomas Shoal") &&
        shoal->label_placed);
  CHECK(find_hit(h, n, "land", NULL) == NULL); /* open sea */
  shoal_hits_free(h, n);
  inspect_at(p, 118.6, 9.7, &h, &n); /* inside Palawan */
  CHECK(find_hit(h, n, "land", NULL) != NULL);
  shoal_hits_free(h, n);
  /* Pixel and lon/lat agree both ways. */
  double x, y, lon = 0, lat = 0;
  CHECK(shoal_preview_pixel(p, 116.5, 10.25, &x, &y));
  CHECK(shoal_preview_lonlat(p, x, y, &lon, &lat));
  CHECK_NEAR(lon, 116.5, 1e-6);
  CHECK_NEAR(lat, 10.25, 1e-6);
  shoal_preview_free(p);
}

static void label_record_changes_nothing(void)
{
  shoal_preview *p = build(NULL, NULL, 0);
  if (!p || p->status != SHOAL_OK) {
    CHECK(0);
    shoal_preview_free(p);
    return;
  }
  const shoal_labeldebug *L = &p->labels;
  const shoal_labelrec *palawan = NULL;
  for (size_t i = 0; i < L->n; i++)
    if (!strcmp(L->v[i].text, "Palawan"))
      palawan = &L->v[i];
  CHECK(palawan && palawan->placed && palawan->ncand >= 1 && !palawan->reason);
  CHECK(palawan && palawan->box.x1 > palawan->box.x0 && palawan->box.y1 > palawan->box.y0);
  for (size_t i = 0; i < L->n; i++)
    CHECK(L->v[i].placed == (L->v[i].reason == NULL));
  /* The same page drawn with and without the record is the same, byte for byte. */
  unsigned char *a = NULL, *b = NULL;
  size_t na = 0, nb = 0;
  shoal_diag *d = shoal_diag_new();
  CHECK(shoal_preview_export(p, SHOAL_FMT_PNG, d, &a, &na) == SHOAL_OK);
  size_t nrec = p->labels.n;
  shoal_labels_set_debug(p->scene->labels, NULL);
  CHECK(shoal_preview_export(p, SHOAL_FMT_PNG, d, &b, &nb) == SHOAL_OK);
  CHECK(na == nb && na > 0 && memcmp(a, b, na) == 0);
  CHECK(nrec == L->n && nrec > 0);
  free(a);
  free(b);
  CHECK(shoal_preview_export(p, SHOAL_FMT_PDF, d, &a, &na) == SHOAL_OK);
  CHECK(na > 4 && !memcmp(a, "%PDF", 4));
  free(a);
  shoal_diag_free(d);
  shoal_preview_free(p);
}

static void overrides(void)
{
  const char *hidden[] = {"land", "no-such-layer"};
  shoal_preview *p = build("vi", hidden, 2);
  CHECK(p && p->status == SHOAL_OK);
  if (p && p->status == SHOAL_OK) {
    CHECK_STR(p->lang, "vi");
    CHECK_STR(p->title, "Bãi\u00a0Cỏ\u00a0Mây"); /* the map joins the name with no-break spaces */
    CHECK(!p->visible[1] && p->visible[0] && p->visible[3]);
    shoal_hit *h = NULL;
    size_t n = 0;
    inspect_at(p, 118.6, 9.7, &h, &n); /* a hidden layer is not inspected */
    CHECK(find_hit(h, n, "land", NULL) == NULL);
    shoal_hits_free(h, n);
  }
  shoal_preview_free(p);
}

static void broken_map(void)
{
  if (!scratch_begin("preview"))
    return;
  put("broken.yaml", "map:\n  size: [400, wide]\nlayers: []\n");
  const char *path = tpath("broken.yaml");
  shoal_preview_opts o = {.map_path = path};
  shoal_preview *p = NULL;
  CHECK(shoal_preview_build(&o, &p) != SHOAL_OK);
  CHECK(p && p->status != SHOAL_OK && !p->png && p->nerrors >= 1);
  char want[200];
  snprintf(want, sizeof want, "%s:2:15: error: size must be a number", path);
  CHECK(p && p->messages && strstr(p->messages, want));
  CHECK(p && p->messages && strstr(p->messages, "  size: [400, wide]\n"));
  CHECK(p && p->ndeps >= 1 && !strcmp(p->deps[0], path)); /* watched, to see the fix */
  shoal_preview_free(p);
  scratch_end();
}

int main(void)
{
  draws_and_inspects();
  label_record_changes_nothing();
  overrides();
  broken_map();
  return check_done();
}
