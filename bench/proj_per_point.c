/* Instructions per point of Shoal's coordinate transforms (bench/proj-per-point.sh runs it
 * under callgrind, counting only shoal_xform_fwd): N lon/lat points of the South China Sea
 * (99..125 E, -3..25 N, a jittered grid) from WGS84 (an ESRI .prj, as the shapefiles have,
 * which the shared cache takes as EPSG:4326) into the map CRS given, in batches of 4096 as
 * the layer pipeline sends rings.
 *   proj_per_point CRS [N]  */
#include <stdio.h>
#include <stdlib.h>

#include "geo/xform.h"

#define BATCH 4096

static const char ESRI_WGS84[] =
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,"
    "298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

int main(int argc, char **argv)
{
  if (argc < 2)
    return 64;
  long n = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
  shoal_proj *p = shoal_proj_new();
  shoal_xform *t = NULL;
  char err[512];
  if (!p || shoal_xform_new(p, ESRI_WGS84, argv[1], &t, err, sizeof err) != SHOAL_OK) {
    fprintf(stderr, "proj_per_point: %s\n", p ? err : "out of memory");
    return 65;
  }
  double *xy = malloc(sizeof(double) * 2 * BATCH);
  double sum = 0;
  unsigned s = 12345;
  for (long done = 0; xy && done < n; done += BATCH) {
    size_t m = (size_t)(n - done < BATCH ? n - done : BATCH);
    for (size_t i = 0; i < m; i++) {
      s = s * 1103515245u + 12345u;
      xy[2 * i] = 99 + 26.0 * (double)(s >> 8) / 16777216.0;
      s = s * 1103515245u + 12345u;
      xy[2 * i + 1] = -3 + 28.0 * (double)(s >> 8) / 16777216.0;
    }
    shoal_xform_fwd(t, xy, m);
    sum += xy[0];
  }
  printf("%s: %ld points, checksum %.6f\n", argv[1], n, sum);
  free(xy);
  shoal_xform_free(t);
  shoal_proj_free(p);
  return 0;
}
