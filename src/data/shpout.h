/* A small shapefile writer for computed layers (points, lines, polygons from geometry
 * buffers, with string and number fields): temporary names, read-back check, rename, like
 * `shoal import`. */
#ifndef SHOAL_SHPOUT_H
#define SHOAL_SHPOUT_H

#include "base/diag.h"
#include "base/status.h"
#include "geo/geom.h"

typedef struct shoal_shpout shoal_shpout;

/* One field: name (1..10 ASCII letters, digits, '_'), 'C' text or 'N' number, width and
 * decimals as in a DBF. */
typedef struct shoal_shpout_field {
  const char *name;
  char type;
  int width, decimals;
} shoal_shpout_field;

/* Start writing path (.shp) of kind LINE or POLYGON with nf fields (copied). The caller
 * finishes with shoal_shpout_finish or drops it with shoal_shpout_abort; *out NULL on error. */
shoal_status shoal_shpout_begin(const char *path, shoal_geom_kind kind, const shoal_shpout_field *f,
                                int nf, shoal_diag *d, shoal_shpout **out);
/* One record: g's parts (polygon rings as given: outer clockwise, holes counter-clockwise)
 * and one text value per field (numbers already formatted; NULL = null). */
shoal_status shoal_shpout_write(shoal_shpout *w, const shoal_geom *g, const char *const *vals,
                                shoal_diag *d);
/* Write the WGS84 .prj and a UTF-8 .cpg, read back, rename into place; frees w. */
shoal_status shoal_shpout_finish(shoal_shpout *w, shoal_diag *d);
/* Remove the temporary files and free w (NULL is fine). */
void shoal_shpout_abort(shoal_shpout *w);

#endif
