/* Fuzz target: the shapefile reader (.shp/.shx/.dbf/.prj/.cpg/.qix through shapelib and our
 * own checks, index and text conversion), `shoal info` and the .qix writer.
 *
 * Input framing (tests/fuzz/make-seeds.py writes it): one flags byte, then for each file whose
 * bit is set, in the order shp, shx, dbf, prj, cpg, qix, a 4-byte little-endian length and that
 * many bytes (the last part may be cut short by the end of the input). Flag bits 0-5: the files
 * present; bit 6: also write a fresh .qix, reopen and query through it; bit 7: also copy the
 * set with `shoal import` (shoal_import_shp). */
#include <float.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "data/import.h"
#include "data/source.h"
#include "fuzz_util.h"
#include "geo/geom.h"

static const char *const part_names[] = {"f.shp", "f.shx", "f.dbf", "f.prj", "f.cpg", "f.qix"};
#define NPARTS (sizeof part_names / sizeof part_names[0])
#define FLAG_WRITE_QIX 0x40
#define FLAG_IMPORT 0x80

static const char *const copy_names[] = {"g.shp", "g.shx", "g.dbf", "g.prj", "g.cpg"};
#define NCOPY (sizeof copy_names / sizeof copy_names[0])

/* Query bbox, check the ids the API promises (ascending, in range), free them. */
static void query(shoal_source *s, const double bbox[4], shoal_diag *d)
{
  int *ids = NULL;
  size_t n = 0;
  shoal_status st = shoal_source_query(s, bbox, &ids, &n);
  if (st != SHOAL_OK) {
    shoal_source_read_error(s, -1, st, d);
    free(ids);
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (ids[i] < 0 || ids[i] >= shoal_source_count(s) || (i && ids[i] <= ids[i - 1]))
      abort();
  free(ids);
}

static void read_all(shoal_source *s, shoal_diag *d)
{
  double b[4];
  shoal_source_bounds(s, b);
  (void)shoal_source_path(s);
  (void)shoal_source_kind(s);
  (void)shoal_source_type_name(s);
  (void)shoal_source_crs(s);
  (void)shoal_source_has_prj(s);
  (void)shoal_source_codepage(s);
  (void)shoal_source_has_qix(s);
  int nf = shoal_source_nfields(s);
  for (int f = 0; f < nf; f++) {
    const shoal_field_info *fi = shoal_source_field(s, f);
    if (!fi || shoal_source_field_index(s, fi->name) < 0)
      abort(); /* every field can be found by its own name */
  }

  query(s, (const double[4]){-DBL_MAX, -DBL_MAX, DBL_MAX, DBL_MAX}, d);
  query(s, b, d);
  query(s, (const double[4]){b[0], b[1], (b[0] + b[2]) / 2, (b[1] + b[3]) / 2}, d);

  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  int n = shoal_source_count(s);
  for (int id = 0; id < n; id++) {
    shoal_status st = shoal_source_read(s, id, &g);
    if (st != SHOAL_OK) {
      shoal_source_read_error(s, id, st, d);
      continue;
    }
    if (g.nparts && g.parts[g.nparts] != g.npts)
      abort();
    for (size_t i = 0; i < g.nparts; i++)
      if (g.parts[i] > g.parts[i + 1])
        abort();
    double gb[4];
    shoal_geom_bbox(&g, gb);
    for (int f = 0; f < nf; f++)
      free(shoal_source_attr(s, id, f));
  }
  shoal_geom_free(&g);
}

static void open_and_read(const char *path, shoal_diag *d)
{
  shoal_source *s = NULL;
  if (shoal_source_open(path, d, &s) == SHOAL_OK) {
    read_all(s, d);
    shoal_source_close(s);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > (1u << 20))
    return 0;
  unsigned flags = data[0];
  const uint8_t *p = data + 1, *end = data + size;
  for (size_t i = 0; i < NPARTS; i++) {
    if (!(flags & (1u << i)) || end - p < 4) {
      fuzz_remove(part_names[i]);
      if (i == 0)
        fuzz_remove("f-noext");
      continue;
    }
    size_t len = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
    p += 4;
    if (len > (size_t)(end - p))
      len = (size_t)(end - p);
    fuzz_write(part_names[i], p, len);
    /* The same bytes without an extension: what-is-this-file guesses from the contents. */
    if (i == 0)
      fuzz_write("f-noext", p, len);
    p += len;
  }

  const char *path = fuzz_path("f.shp");
  shoal_diag *d = shoal_diag_new();
  if (!d)
    return 0;
  open_and_read(path, d);
  shoal_source_print_info(path, fuzz_devnull(), d);
  shoal_source_print_info(fuzz_path("f-noext"), fuzz_devnull(), d);
  if (flags & FLAG_WRITE_QIX && shoal_source_write_index(path, d) == SHOAL_OK) {
    /* A .qix just written for this .shp must be one the next open trusts. */
    shoal_source *s = NULL;
    if (shoal_source_open(path, d, &s) == SHOAL_OK && !shoal_source_has_qix(s)) {
      shoal_diag_print(d, stderr, 1);
      fprintf(stderr, "fuzz_shp: the .qix shoal index wrote is not used\n");
      abort();
    }
    shoal_source_close(s);
    open_and_read(path, d);
  }
  if (flags & FLAG_IMPORT) {
    shoal_import_opts o = {.in = path, .out = fuzz_path("g.shp")};
    if (shoal_import_shp(&o, d) == SHOAL_OK)
      open_and_read(o.out, d);
    for (size_t i = 0; i < NCOPY; i++)
      fuzz_remove(copy_names[i]);
  }
  shoal_diag_print(d, fuzz_msgs(), 1);
  shoal_diag_free(d);
  return 0;
}
