/* A map drawn in memory for a live viewer (preview.h): the job's stages (load, check, prepare,
 * draw) with the viewer's overrides, keeping the prepared scene for inspect and labels. */
#include "core/preview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "config/model.h"
#include "config/node.h"
#include "core/scene.h"
#include "core/validate.h"
#include "layer/geocache.h"

/* Copy n strings (NULL entries skipped). Caller frees each and the array. */
static char **copy_strings(char *const *v, size_t n, size_t *out_n)
{
  char **c = calloc(n ? n : 1, sizeof *c);
  *out_n = 0;
  if (!c)
    return NULL;
  for (size_t i = 0; i < n; i++)
    if (v[i] && (c[*out_n] = shoal_strdup(v[i])))
      (*out_n)++;
  return c;
}

static void free_strings(char **v, size_t n)
{
  for (size_t i = 0; v && i < n; i++)
    free(v[i]);
  free(v);
}

/* The languages a per-language title or subtitle is written in ({en: ..., vi: ...}), read
 * from the file itself: the model keeps only the one drawn. */
static void find_langs(shoal_preview *p, const shoal_preview_opts *o)
{
  shoal_diag *d = shoal_diag_new();
  shoal_node *root = d ? shoal_conf_load_map(o->map_path, o->search, d) : NULL;
  const char *keys[] = {"title", "subtitle"};
  shoal_node *mapn = root && root->kind == SHOAL_NODE_MAP ? shoal_node_get(root, "map") : NULL;
  for (size_t k = 0; k < 2 && root && p->nlangs == 0; k++) {
    shoal_node *t = mapn && mapn->kind == SHOAL_NODE_MAP ? shoal_node_get(mapn, keys[k]) : NULL;
    if (!t && root->kind == SHOAL_NODE_MAP)
      t = shoal_node_get(root, keys[k]);
    if (!t || t->kind != SHOAL_NODE_MAP)
      continue;
    p->langs = calloc(t->n ? t->n : 1, sizeof *p->langs);
    for (size_t i = 0; p->langs && i < t->n; i++)
      if ((p->langs[p->nlangs] = shoal_strdup(t->pairs[i].key->str)))
        p->nlangs++;
  }
  shoal_node_free(root);
  shoal_diag_free(d);
}

static void note_model(shoal_preview *p, const shoal_preview_opts *o, const shoal_map *m)
{
  p->deps = copy_strings(m->deps, m->ndeps, &p->ndeps);
  p->lang = shoal_strdup(m->lang ? m->lang : "en");
  p->title = m->title ? shoal_strdup(m->title) : NULL;
  p->layers = calloc(m->nlayers ? m->nlayers : 1, sizeof *p->layers);
  p->visible = calloc(m->nlayers ? m->nlayers : 1, sizeof *p->visible);
  if (!p->layers || !p->visible)
    return;
  for (size_t i = 0; i < m->nlayers; i++) {
    shoal_layer *L = &m->layers[i];
    for (size_t h = 0; h < o->nhidden; h++)
      if (!strcmp(o->hidden[h], L->name))
        L->visible = false;
    if ((p->layers[p->nlayers] = shoal_strdup(L->name)))
      p->visible[p->nlayers++] = L->visible;
  }
}

/* The files to watch when the map did not load: the map and every file an error names. */
static void deps_of_errors(shoal_preview *p, const shoal_preview_opts *o, shoal_diag *d)
{
  size_t n = shoal_diag_count(d);
  char **v = calloc(n + 1, sizeof *v);
  if (!v)
    return;
  v[0] = (char *)o->map_path;
  for (size_t i = 0; i < n; i++)
    v[i + 1] = (char *)shoal_diag_get(d, i)->file;
  p->deps = copy_strings(v, n + 1, &p->ndeps);
  free(v);
}

/* The overrides as --set assignments: the command line's, then the language. */
static shoal_map *load(const shoal_preview_opts *o, shoal_diag *d)
{
  const char **sets = calloc(o->nsets + 1, sizeof *sets);
  if (!sets)
    return NULL;
  for (size_t i = 0; i < o->nsets; i++)
    sets[i] = o->sets[i];
  char lang[80];
  size_t n = o->nsets;
  if (o->lang && *o->lang) {
    snprintf(lang, sizeof lang, "lang=%s", o->lang);
    sets[n++] = lang;
  }
  shoal_map *m = shoal_map_read(o->map_path, sets, n, o->search, d);
  free(sets);
  if (m && shoal_diag_nerrors(d) == 0)
    return m;
  shoal_validate_map(m, false, d);
  shoal_map_free(m);
  return NULL;
}

static shoal_status check_size(shoal_preview *p, shoal_diag *d)
{
  double dw = p->width * p->scale, dh = p->height * p->scale;
  if (p->width > 0 && p->height > 0 && p->scale > 0 && dw * dh <= SHOAL_PREVIEW_MAX_PIXELS &&
      dw <= 32767 && dh <= 32767)
    return SHOAL_OK;
  shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                   "a preview of %dx%d px at scale %g is over the viewer's limit of %.0f "
                   "megapixels",
                   p->width, p->height, p->scale, SHOAL_PREVIEW_MAX_PIXELS / 1e6);
  return SHOAL_ERR_USAGE;
}

static shoal_status prepare(shoal_preview *p, const shoal_preview_opts *o, shoal_diag *d)
{
  shoal_map *m = p->map;
  shoal_map_set_page(m, o->width, o->height, o->scale);
  p->width = m->width, p->height = m->height, p->scale = m->scale;
  shoal_status st = check_size(p, d);
  if (st != SHOAL_OK)
    return st;
  p->own_caches = !o->cache || !o->geo;
  p->cache = p->own_caches ? shoal_datacache_new() : o->cache;
  p->geo = p->own_caches ? shoal_geocache_new() : o->geo;
  if (!p->cache || !p->geo)
    return SHOAL_ERR_NOMEM;
  st = shoal_scene_prepare(m, p->cache, p->geo, false, d, &p->scene);
  shoal_validate_map(m, true, d);
  if (st == SHOAL_OK && shoal_diag_nerrors(d))
    st = shoal_diag_status(d);
  if (st == SHOAL_OK)
    shoal_labels_set_debug(p->scene->labels, &p->labels);
  return st;
}

shoal_status shoal_preview_build(const shoal_preview_opts *o, shoal_preview **out)
{
  shoal_preview *p = *out = calloc(1, sizeof *p);
  shoal_diag *d = shoal_diag_new();
  if (!p || !d) {
    free(p);
    *out = NULL;
    shoal_diag_free(d);
    return SHOAL_ERR_NOMEM;
  }
  find_langs(p, o);
  shoal_status st = SHOAL_ERR_DATA;
  p->map = load(o, d);
  if (p->map) {
    note_model(p, o, p->map);
    if (p->map->style_only)
      shoal_diag_error(d, SHOAL_ERR_DATA, o->map_path, 0, 0,
                       "this is a style file (it has no 'layers:'); include it from a map file");
    else
      st = prepare(p, o, d);
    if (st == SHOAL_OK && o->cancel && atomic_load(o->cancel))
      st = SHOAL_ERR_INTERRUPTED;
    if (st == SHOAL_OK)
      st = shoal_preview_export(p, SHOAL_FMT_PNG, d, &p->png, &p->png_len);
  } else {
    deps_of_errors(p, o, d);
    if (shoal_diag_status(d))
      st = shoal_diag_status(d);
  }
  if (st == SHOAL_OK && shoal_diag_nerrors(d))
    st = shoal_diag_status(d);
  p->status = st;
  p->nerrors = shoal_diag_nerrors(d);
  size_t len = 0;
  FILE *f = open_memstream(&p->messages, &len);
  if (f) {
    shoal_diag_print(d, f, 1);
    fclose(f);
  }
  p->diag = d;
  return st;
}

void shoal_preview_free(shoal_preview *p)
{
  if (!p)
    return;
  free(p->messages);
  free_strings(p->deps, p->ndeps);
  free_strings(p->langs, p->nlangs);
  free_strings(p->layers, p->nlayers);
  free(p->visible);
  free(p->lang);
  free(p->title);
  free(p->png);
  shoal_labeldebug_clear(&p->labels);
  shoal_scene_free(p->scene);
  shoal_map_free(p->map);
  if (p->own_caches) {
    shoal_geocache_free(p->geo);
    shoal_datacache_free(p->cache);
  }
  shoal_diag_free(p->diag);
  free(p);
}

void shoal_preview_take_caches(shoal_preview *p, shoal_preview *from)
{
  if (p->own_caches || !from || from->cache != p->cache || from->geo != p->geo)
    return;
  p->own_caches = from->own_caches;
  from->own_caches = false;
}

/* A whole file read into memory (*buf the caller's to free with free()). */
static shoal_status slurp(const char *path, unsigned char **buf, size_t *len, shoal_diag *d)
{
  FILE *f = fopen(path, "rb");
  char *mem = NULL;
  size_t n = 0;
  FILE *m = f ? open_memstream(&mem, &n) : NULL;
  unsigned char chunk[65536];
  size_t k;
  bool ok = f && m;
  while (ok && (k = fread(chunk, 1, sizeof chunk, f)) > 0)
    ok = fwrite(chunk, 1, k, m) == k;
  ok = ok && !ferror(f);
  if (f)
    fclose(f);
  if (m)
    fclose(m);
  if (!ok) {
    free(mem);
    shoal_diag_error(d, SHOAL_ERR_INTERNAL, NULL, 0, 0, "cannot read back '%s'", path);
    return SHOAL_ERR_INTERNAL;
  }
  *buf = (unsigned char *)mem;
  *len = n;
  return SHOAL_OK;
}

/* PDF and SVG (the editable SVG included) go through the same output code as `shoal render`:
 * drawn into a file in the temporary folder, read back and removed. */
static shoal_status export_file(shoal_preview *p, shoal_format fmt, shoal_diag *d,
                                unsigned char **buf, size_t *len)
{
  const char *dir = getenv("TMPDIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/shoal-preview-XXXXXX", dir && *dir ? dir : "/tmp");
  int fd = mkstemp(path);
  if (fd < 0) {
    shoal_diag_error(d, SHOAL_ERR_CANTCREAT, NULL, 0, 0, "cannot make a temporary file in '%s'",
                     dir && *dir ? dir : "/tmp");
    return SHOAL_ERR_CANTCREAT;
  }
  close(fd);
  shoal_surface *s = NULL;
  const shoal_map *m = p->scene->map;
  shoal_status st = shoal_surface_new(fmt, path, p->width, p->height, p->scale, m->title, d, &s);
  if (st == SHOAL_OK) {
    st = shoal_scene_draw(p->scene, shoal_surface_cairo(s), NULL, d);
    if (st == SHOAL_OK)
      st = shoal_surface_finish(s, d);
    else
      shoal_surface_abort(s);
  }
  if (st == SHOAL_OK)
    st = slurp(path, buf, len, d);
  unlink(path);
  return st;
}

shoal_status shoal_preview_export(shoal_preview *p, shoal_format fmt, shoal_diag *d,
                                  unsigned char **buf, size_t *len)
{
  *buf = NULL;
  *len = 0;
  if (!p->scene)
    return SHOAL_ERR_DATA;
  if (fmt != SHOAL_FMT_PNG)
    return export_file(p, fmt, d, buf, len);
  /* PNG, the live image: straight from memory at the fastest deflate level (latency counts). */
  int dw = (int)(p->width * p->scale + 0.5), dh = (int)(p->height * p->scale + 0.5);
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, dw, dh);
  if (cairo_surface_status(s)) {
    cairo_surface_destroy(s);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "cannot make a %dx%d surface", dw, dh);
    return SHOAL_ERR_NOMEM;
  }
  char *mem = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&mem, &n);
  shoal_status st = f ? SHOAL_OK : SHOAL_ERR_NOMEM;
  if (st == SHOAL_OK) {
    cairo_t *cr = cairo_create(s);
    st = shoal_scene_draw(p->scene, cr, NULL, d);
    cairo_destroy(cr);
    if (st == SHOAL_OK)
      st = shoal_png_write(s, f, 1);
    fclose(f);
  }
  cairo_surface_destroy(s);
  if (st != SHOAL_OK) {
    free(mem);
    return st;
  }
  *buf = (unsigned char *)mem;
  *len = n;
  return SHOAL_OK;
}

bool shoal_preview_lonlat(const shoal_preview *p, double x, double y, double *lon, double *lat)
{
  if (!p->scene)
    return false;
  double xy[2];
  shoal_view_unapply(&p->scene->view, x, y, &xy[0], &xy[1]);
  shoal_xform_fwd(p->scene->to_ll, xy, 1);
  if (!isfinite(xy[0]) || !isfinite(xy[1]) || xy[0] == HUGE_VAL)
    return false;
  *lon = fmod(xy[0] + 540.0, 360.0) - 180.0;
  *lat = xy[1];
  return true;
}

bool shoal_preview_pixel(const shoal_preview *p, double lon, double lat, double *x, double *y)
{
  if (!p->scene)
    return false;
  double xy[2] = {lon, lat};
  shoal_xform_fwd(p->scene->from_ll, xy, 1);
  if (!isfinite(xy[0]) || !isfinite(xy[1]) || xy[0] == HUGE_VAL)
    return false;
  shoal_view_apply(&p->scene->view, xy, 1);
  *x = xy[0];
  *y = xy[1];
  return true;
}
