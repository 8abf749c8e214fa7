/* `shoal info`: what a shapefile holds (geometry, count, extent, CRS, code page, index, fields),
 * or what the path is instead when it is not a shapefile. */
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

#include <stdio.h>
#include <string.h>

/* What `shoal info` says it expects of a path that is something else. */
#define INFO_EXPECT "`shoal info` reads " SHOAL_SHP_WHAT

/* The name in a WKT's first quoted string (GEOGCS["GCS_WGS_1984",...), or false. */
static bool wkt_name(const char *wkt, char *out, size_t outsz)
{
  const char *a = strchr(wkt, '"');
  if (!a)
    return false;
  const char *b = strchr(a + 1, '"');
  if (!b || b == a + 1)
    return false;
  size_t n = (size_t)(b - a - 1);
  if (n >= outsz)
    n = outsz - 1;
  memcpy(out, a + 1, n);
  out[n] = '\0';
  return true;
}

const char *shoal_field_type_name(shoal_field_type t)
{
  switch (t) {
  case SHOAL_FIELD_STRING: return "string";
  case SHOAL_FIELD_INTEGER: return "integer";
  case SHOAL_FIELD_DOUBLE: return "double";
  case SHOAL_FIELD_LOGICAL: return "logical";
  case SHOAL_FIELD_DATE: return "date";
  }
  return "?";
}

static void print_crs_and_codepage(const shoal_source *s, FILE *out)
{
  char name[128];
  if (!s->has_prj)
    fprintf(out, "CRS: none (.prj missing; WGS84 assumed)\n");
  else if (wkt_name(s->crs, name, sizeof name))
    fprintf(out, "CRS: %s (from .prj)\n", name);
  else
    fprintf(out, "CRS: unnamed (from .prj)\n");
  char guess[48];
  snprintf(guess, sizeof guess, "UTF-8 or %s", s->text.iconv_name);
  const char *read_as = s->text.mode == SHP_TEXT_ICONV ? s->text.iconv_name : guess;
  if (s->cp_from_cpg && s->text.mode == SHP_TEXT_UTF8)
    fprintf(out, "Code page: %s (from .cpg)\n", s->codepage);
  else if (s->cp_from_cpg)
    fprintf(out, "Code page: %s (from .cpg; read as %s)\n", s->codepage, read_as);
  else if (s->codepage[0])
    fprintf(out, "Code page: %s (from .dbf header; read as %s)\n", s->codepage, read_as);
  else
    fprintf(out, "Code page: unknown (read as UTF-8 where valid, else CP1252)\n");
}

void shoal_info_print_extent(const shoal_source *s, FILE *out)
{
  /* %f is locale-dependent; the C locale keeps the report stable and parseable. */
  locale_t old = uselocale(s->cloc);
  if (s->nshapes > 0)
    fprintf(out, "Extent: x %.6f .. %.6f, y %.6f .. %.6f\n", s->bounds[0], s->bounds[2],
            s->bounds[1], s->bounds[3]);
  else
    fprintf(out, "Extent: none (no features)\n");
  uselocale(old);
}

void shoal_info_print_fields(const shoal_source *s, FILE *out)
{
  fprintf(out, "Fields: %d\n", s->nfields);
  if (s->nfields > 0)
    fprintf(out, "  %-11s %-8s %5s %8s\n", "name", "type", "width", "decimals");
  for (int i = 0; i < s->nfields; i++) {
    const shoal_field_info *f = &s->fields[i];
    fprintf(out, "  %-11s %-8s %5d %8d\n", f->name, shoal_field_type_name(f->type), f->width,
            f->decimals);
  }
}

shoal_status shoal_source_print_info(const char *path, FILE *out, shoal_diag *d)
{
  if (shoal_ogr_format_of(path))
    return shoal_ogr_print_info(path, out, d);
  shoal_source *s;
  shoal_status st = shoal_shp_open(path, true, INFO_EXPECT, d, &s);
  if (st != SHOAL_OK)
    return st;
  fprintf(out, "File: %s\n", path);
  fprintf(out, "Geometry: %s\n", shoal_shp_type_name(s->shptype));
  fprintf(out, "Features: %d\n", s->nshapes);
  shoal_info_print_extent(s, out);
  print_crs_and_codepage(s, out);
  fprintf(out, "Index: %s\n",
          s->has_qix       ? ".qix present"
          : s->qix_ignored ? ".qix ignored (see the warning; in-memory index)"
                           : "none (in-memory index)");
  if (s->scx) /* only when there is one: most files have no giant rings */
    fprintf(out, "Chunk index: .scx present (%zu giant rings)\n", s->scx_nrings);
  shoal_info_print_fields(s, out);
  shoal_source_close(s);
  return ferror(out) ? SHOAL_ERR_CANTCREAT : SHOAL_OK;
}
