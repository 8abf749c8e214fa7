/* Fuzz target: `shoal import` from CSV (reader, typing, points and lines, renames, added
 * fields, shapefile writing), then the output read back through the source reader.
 *
 * Input: one options byte, then the CSV text. Bit 0: lines grouped by column "group"
 * (bit 1: ordered by column "seq"); bit 2: coordinates in columns "x"/"y"; bit 3: rename
 * "name" to "NAME_EN"; bit 4: add the field model=yes; bit 5: --lon-range 0..360. */
#include <dirent.h>
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

static const char *const out_names[] = {"out.shp", "out.shx", "out.dbf", "out.prj", "out.cpg"};
#define NOUT (sizeof out_names / sizeof out_names[0])

/* After an import: the input, plus the outputs only when it succeeded; nothing else. */
static void check_leftovers(bool ok)
{
  DIR *dir = opendir(fuzz_tmpdir());
  if (!dir)
    abort();
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    const char *nm = e->d_name;
    bool fine = !strcmp(nm, ".") || !strcmp(nm, "..") || !strcmp(nm, "in.csv");
    for (size_t i = 0; ok && !fine && i < NOUT; i++)
      fine = !strcmp(nm, out_names[i]);
    if (!fine) {
      fprintf(stderr, "fuzz_csv: import %s left '%s' behind\n", ok ? "succeeded" : "failed", nm);
      abort();
    }
  }
  closedir(dir);
}

/* What the importer wrote must open and read cleanly. */
static void read_back(shoal_diag *d)
{
  shoal_source *s = NULL;
  shoal_status st = shoal_source_open(fuzz_path("out.shp"), d, &s);
  if (st != SHOAL_OK) {
    shoal_diag_print(d, stderr, 1);
    fprintf(stderr, "fuzz_csv: the imported shapefile does not open\n");
    abort();
  }
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  for (int id = 0; id < shoal_source_count(s); id++) {
    if (shoal_source_read(s, id, &g) != SHOAL_OK) {
      fprintf(stderr, "fuzz_csv: shape %d of the imported shapefile cannot be read\n", id);
      abort();
    }
    for (int f = 0; f < shoal_source_nfields(s); f++)
      free(shoal_source_attr(s, id, f));
  }
  shoal_geom_free(&g);
  shoal_source_close(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if (size < 1 || size > (1u << 20))
    return 0;
  unsigned flags = data[0];
  fuzz_write("in.csv", data + 1, size - 1);

  static const char *const renames[] = {"name=NAME_EN"};
  static const char *const adds[] = {"model=yes"};
  shoal_import_opts o = {0};
  o.in = fuzz_path("in.csv");
  o.out = fuzz_path("out.shp");
  if (flags & 1) {
    o.lines = true;
    o.group = "group";
    o.order = flags & 2 ? "seq" : NULL;
  }
  if (flags & 4) {
    o.lon = "x";
    o.lat = "y";
  }
  if (flags & 8) {
    o.renames = renames;
    o.nrenames = 1;
  }
  if (flags & 16) {
    o.add_fields = adds;
    o.nadd_fields = 1;
  }
  o.lon_360 = flags & 32;

  shoal_diag *d = shoal_diag_new();
  if (!d)
    return 0;
  shoal_status st = shoal_import_csv(&o, d);
  check_leftovers(st == SHOAL_OK);
  if (st == SHOAL_OK)
    read_back(d);
  shoal_diag_print(d, fuzz_msgs(), 1);
  shoal_diag_free(d);
  for (size_t i = 0; i < NOUT; i++)
    fuzz_remove(out_names[i]);
  return 0;
}
