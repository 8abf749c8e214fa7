/* `shoal import` from a shapefile: copy shapes and attributes (strings re-encoded as UTF-8),
 * with renamed fields and added constant fields, e.g. to mark modelled zones as a model. */
#include "data/import.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "data/import_priv.h"
#include "data/shp_priv.h"
#include "data/ogr_priv.h"

static int flat_type(int t)
{
  switch (t) {
  case SHPT_POINT:
  case SHPT_POINTZ:
  case SHPT_POINTM: return SHPT_POINT;
  case SHPT_MULTIPOINT:
  case SHPT_MULTIPOINTZ:
  case SHPT_MULTIPOINTM: return SHPT_MULTIPOINT;
  case SHPT_ARC:
  case SHPT_ARCZ:
  case SHPT_ARCM: return SHPT_ARC;
  case SHPT_POLYGON:
  case SHPT_POLYGONZ:
  case SHPT_POLYGONM: return SHPT_POLYGON;
  }
  return SHPT_NULL;
}

/* Each --rename must name a field of the source. */
static void check_renames(shoal_source *s, const shoal_import_opts *o, shoal_diag *d, int *nerr)
{
  for (int i = 0; i < o->nrenames; i++) {
    const char *spec = o->renames[i], *eq = strchr(spec, '=');
    char old[64];
    snprintf(old, sizeof old, "%.*s", (int)(eq ? eq - spec : 0), spec);
    if (eq && shoal_source_field_index(s, old) < 0) {
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0, "--rename %s: '%s' has no field '%s'", spec,
                       o->in, old);
      (*nerr)++;
    }
  }
}

/* Width of string field j as UTF-8: re-encoding can lengthen a value (é is one byte in CP1252,
 * two in UTF-8). A value past the DBF limit is an error. */
static int utf8_width(shoal_source *s, const shoal_import_opts *o, int j, int width, shoal_diag *d,
                      int *nerr)
{
  for (int id = 0; id < s->nshapes; id++) {
    char *v = shoal_source_attr(s, id, j);
    size_t len = v ? strlen(v) : 0;
    free(v);
    if (len > DBF_MAX_STRING) {
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                       "'%s' record %d: field %s is %zu bytes as UTF-8; a DBF string holds "
                       "at most %d",
                       o->in, id + 1, s->fields[j].name, len, DBF_MAX_STRING);
      (*nerr)++;
      break;
    }
    if ((int)len > width)
      width = (int)len;
  }
  return width > DBF_MAX_STRING ? DBF_MAX_STRING : width;
}

/* The output field for source field j, renamed. */
static void plan_field(shoal_source *s, const shoal_import_opts *o, int j, imp_field *f,
                       shoal_diag *d, int *nerr)
{
  const shoal_field_info *sf = &s->fields[j];
  memset(f, 0, sizeof *f);
  const char *to = shoal_import_renamed(o, sf->name);
  const char *nm = to ? to : sf->name;
  /* shapelib reads 11-byte names that it (rightly) refuses to write. */
  if (strlen(nm) > DBF_MAX_NAME) {
    shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                     "field name '%s' of '%s' is longer than %d characters; rename it with "
                     "--rename %s=NEWNAME",
                     nm, o->in, DBF_MAX_NAME, sf->name);
    (*nerr)++;
  }
  snprintf(f->name, sizeof f->name, "%.10s", nm);
  f->src = j;
  f->width = sf->width > 0 ? sf->width : 1;
  f->decimals = sf->decimals;
  switch (sf->type) {
  case SHOAL_FIELD_INTEGER:
  case SHOAL_FIELD_DOUBLE: f->native = 'N'; break;
  case SHOAL_FIELD_LOGICAL:
    f->native = 'L';
    f->width = 1;
    f->decimals = 0;
    break;
  case SHOAL_FIELD_DATE:
    f->native = 'D';
    f->width = 8;
    f->decimals = 0;
    break;
  case SHOAL_FIELD_STRING:
    f->native = 'C';
    f->decimals = 0;
    f->width = utf8_width(s, o, j, f->width, d, nerr);
    break;
  }
}

/* Fields of the copy: the source's, renamed, strings widened to fit their UTF-8 text, then the
 * --add-field constants. */
static int plan_fields(shoal_source *s, const shoal_import_opts *o, imp_field *fields,
                       shoal_diag *d, int *nerr)
{
  check_renames(s, o, d, nerr);
  int nf = 0;
  for (int j = 0; j < s->nfields; j++)
    plan_field(s, o, j, &fields[nf++], d, nerr);
  shoal_import_add_constants(o, fields, &nf);
  int first, dup = shoal_import_name_clash(fields, nf, &first);
  if (dup >= 0) {
    if (fields[dup].src < 0 && fields[first].src >= 0)
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                       "--add-field %s: '%s' already has a field '%s'", fields[dup].name, o->in,
                       s->fields[fields[first].src].name);
    else
      shoal_diag_error(d, SHOAL_ERR_DATA, NULL, 0, 0,
                       "field name '%s' would be used twice (rename one with --rename)",
                       fields[dup].name);
    (*nerr)++;
  }
  return nf;
}

/* Vertex and part-start arrays for SHPCreateObject, grown as records need and reused. */
typedef struct obj_buf {
  double *xs, *ys;
  int *starts;
  size_t xcap, ycap, pcap;
} obj_buf;

/* SHPObject for g in the flat type t; NULL when out of memory. */
static SHPObject *make_object(int t, const shoal_geom *g, obj_buf *b)
{
  if (g->npts == 0)
    return SHPCreateSimpleObject(SHPT_NULL, 0, NULL, NULL, NULL);
  if (g->npts > INT32_MAX || g->nparts > INT32_MAX ||
      !SHOAL_GROW(&b->xs, &b->xcap, g->npts, 64, INT32_MAX) ||
      !SHOAL_GROW(&b->ys, &b->ycap, g->npts, 64, INT32_MAX) ||
      !SHOAL_GROW(&b->starts, &b->pcap, g->nparts ? g->nparts : 1, 16, INT32_MAX))
    return NULL;
  for (size_t i = 0; i < g->npts; i++) {
    b->xs[i] = g->xy[2 * i];
    b->ys[i] = g->xy[2 * i + 1];
  }
  if (t == SHPT_POINT)
    return SHPCreateSimpleObject(SHPT_POINT, 1, b->xs, b->ys, NULL);
  if (t == SHPT_MULTIPOINT)
    return SHPCreateSimpleObject(SHPT_MULTIPOINT, (int)g->npts, b->xs, b->ys, NULL);
  for (size_t p = 0; p < g->nparts; p++)
    b->starts[p] = (int)g->parts[p];
  /* Rings keep their file order and orientation: shapelib does not rewind on write. */
  return SHPCreateObject(t, -1, (int)g->nparts, b->starts, NULL, (int)g->npts, b->xs, b->ys, NULL,
                         NULL);
}

static shoal_status copy_records(shoal_source *s, const shoal_import_opts *o, imp_out *w,
                                 const imp_field *fields, int nf, int t, shoal_diag *d)
{
  shoal_status st = SHOAL_OK;
  shoal_geom g;
  shoal_geom_init(&g, s->kind);
  obj_buf buf = {0};
  const char *vals[DBF_MAX_FIELDS];
  char *owned[DBF_MAX_FIELDS];
  for (int id = 0; id < s->nshapes && st == SHOAL_OK; id++) {
    st = shoal_source_read(s, id, &g);
    if (st != SHOAL_OK) {
      shoal_source_read_error(s, id, st, d);
      break;
    }
    for (int k = 0; k < nf; k++) {
      const imp_field *f = &fields[k];
      owned[k] = NULL;
      if (f->src < 0)
        vals[k] = f->value;
      else {
        bool failed;
        owned[k] = f->native == 'C' ? shoal_source_attr_read(s, id, f->src, &failed)
                                    : shoal_shp_dbf_raw(s, id, f->src, DBF_MAX_STRING + 1, &failed);
        if (failed && st == SHOAL_OK) {
          st = SHOAL_ERR_DATA;
          shoal_source_attr_error(s, id, d);
        }
        if (owned[k] && f->native != 'C') {
          /* Drop dBASE padding; shpwrite right-aligns again to the same width. */
          char *p = owned[k];
          size_t a = strspn(p, " "), n = strlen(p + a);
          while (n > 0 && p[a + n - 1] == ' ')
            n--;
          memmove(p, p + a, n);
          p[n] = '\0';
        }
        vals[k] = owned[k];
      }
    }
    SHPObject *obj = st == SHOAL_OK ? make_object(t, &g, &buf) : NULL;
    if (obj) {
      st = shoal_import_out_record(w, obj, fields, nf, vals, d);
    } else if (st == SHOAL_OK) {
      st = SHOAL_ERR_NOMEM;
      shoal_diag_error(d, st, NULL, 0, 0, "out of memory copying '%s'", o->in);
    }
    for (int k = 0; k < nf; k++)
      free(owned[k]);
  }
  shoal_geom_free(&g);
  free(buf.xs);
  free(buf.ys);
  free(buf.starts);
  return st;
}

shoal_status shoal_import_shp(const shoal_import_opts *o, shoal_diag *d)
{
  if (o->lines || o->group || o->order || o->lon || o->lat || o->lon_360) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                     "--lines, --group, --order, --lon, --lat and --lon-range apply to CSV input "
                     "only");
    return SHOAL_ERR_USAGE;
  }
  if (!shoal_import_check_opts(o, d))
    return SHOAL_ERR_USAGE;
  shoal_source *s;
  shoal_source_opts so = {.layer = o->layer};
  if (o->layer && !shoal_ogr_format_of(o->in)) {
    shoal_diag_error(d, SHOAL_ERR_USAGE, NULL, 0, 0,
                     "--layer chooses a layer of a GeoPackage, KML or other multi-layer file, "
                     "not of '%s'",
                     o->in);
    return SHOAL_ERR_USAGE;
  }
  shoal_status st = shoal_ogr_format_of(o->in)
                        ? shoal_ogr_open(o->in, &so, d, &s)
                        : shoal_shp_open(o->in, true, SHOAL_IMPORT_EXPECT, d, &s);
  if (st != SHOAL_OK)
    return st;
  int t = flat_type(s->shptype);
  if (t != s->shptype)
    shoal_diag_warn(d, NULL, 0, 0, "'%s' is %s; Z and M values are dropped", o->in,
                    shoal_source_type_name(s));
  imp_field *fields = calloc((size_t)(s->nfields + o->nadd_fields + 1), sizeof *fields);
  if (!fields) {
    shoal_source_close(s);
    shoal_diag_error(d, SHOAL_ERR_NOMEM, NULL, 0, 0, "out of memory copying '%s'", o->in);
    return SHOAL_ERR_NOMEM;
  }
  int nerr = 0;
  int nf = plan_fields(s, o, fields, d, &nerr);
  if (nerr) {
    st = SHOAL_ERR_DATA;
    goto done;
  }
  imp_out w;
  st = shoal_import_out_begin(&w, o->out, t, fields, nf, d);
  if (st != SHOAL_OK)
    goto done;
  st = copy_records(s, o, &w, fields, nf, t, d);
  /* The source's own CRS travels with its shapes; without a .prj it was read as WGS84. */
  if (st == SHOAL_OK)
    st = shoal_import_out_finish(&w,
                                 s->ogr       ? (s->ogr->prj ? s->ogr->prj : SHOAL_WGS84_WKT)
                                 : s->has_prj ? s->crs
                                              : SHOAL_WGS84_WKT,
                                 d);
  else
    shoal_import_out_abort(&w);
done:
  free(fields);
  shoal_source_close(s);
  return st;
}
