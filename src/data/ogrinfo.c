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
  shoal_info_print_extent(s, out);
  print_crs(s, out);
  fprintf(out, "Index: %s\n",
          o->indexed ? "the file's own spatial index" : "none (read whole, in-memory boxes)");
  shoal_info_print_fields(s, out);
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
