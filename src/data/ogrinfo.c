/* `shoal info` for a file read through GDAL: its format, then each layer opened as a source
 * and described (geometry, count, extent, CRS, index, fields), as a map would read it. */
#include "data/ogr_priv.h"

#include <stdlib.h>
#include <string.h>

/* The CRS as a line: its authority code, or the name in its WKT. */
static void print_crs(const shoal_source *s, FILE *out)
{
  if (!s->has_prj) {
    fprintf(out, "CRS: none given (WGS84 longitude/latitude assumed)\n");
    return;
  }
  const char *q = strchr(s->crs, '"'), *e = q ? strchr(q + 1, '"') : NULL;
  if (e)
    fprintf(out, "CRS: %.*s (WKT)\n", (int)(e - q - 1), q + 1);
  else
    fprintf(out, "CRS: %s\n", s->crs);
}

static void print_layer(const shoal_source *s, FILE *out)
{
  const struct shoal_ogr *o = s->ogr;
  fprintf(out, "\nLayer: %s\n", o->layer);
  fprintf(out, "Geometry: %s\n", shoal_source_type_name(s));
  fprintf(out, "Features: %d\n", s->nshapes);
  /* %f is locale-dependent; the C locale keeps the report stable and parseable. */
  locale_t old = uselocale(s->cloc);
  if (s->nshapes > 0)
    fprintf(out, "Extent: x %.6f .. %.6f, y %.6f .. %.6f\n", s->bounds[0], s->bounds[2],
            s->bounds[1], s->bounds[3]);
  else
    fprintf(out, "Extent: none (no features)\n");
  uselocale(old);
  print_crs(s, out);
  fprintf(out, "Index: %s\n",
          o->indexed ? "the file's own spatial index" : "none (read whole, in-memory boxes)");
  fprintf(out, "Fields: %d\n", s->nfields);
  if (s->nfields > 0)
    fprintf(out, "  %-11s %-8s %5s %8s\n", "name", "type", "width", "decimals");
  for (int i = 0; i < s->nfields; i++) {
    const shoal_field_info *f = &s->fields[i];
    fprintf(out, "  %-11s %-8s %5d %8d\n", f->name, shoal_field_type_name(f->type), f->width,
            f->decimals);
  }
}

shoal_status shoal_ogr_print_info(const char *path, FILE *out, shoal_diag *d)
{
  char **names;
  int n;
  shoal_status st = shoal_ogr_layer_names(path, &names, &n, d);
  if (st == SHOAL_OK) {
    fprintf(out, "File: %s\n", path);
    fprintf(out, "Format: %s (read through GDAL)\n", shoal_ogr_format_of(path));
    fprintf(out, "Layers: %d\n", n);
  }
  for (int i = 0; st == SHOAL_OK && i < n; i++) {
    shoal_source *s = NULL;
    shoal_source_opts o = {.layer = names[i]};
    st = shoal_source_open_opts(path, &o, d, &s);
    if (st == SHOAL_OK)
      print_layer(s, out);
    shoal_source_close(s);
  }
  for (int i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (st != SHOAL_OK)
    return st;
  return ferror(out) ? SHOAL_ERR_CANTCREAT : SHOAL_OK;
}
