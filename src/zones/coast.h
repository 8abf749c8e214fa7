/* A state's coast: its land's rings without its land borders (coast.c says why). Internal
 * to zones/. */
#ifndef SHOAL_ZONES_COAST_H
#define SHOAL_ZONES_COAST_H

#include <stdbool.h>
#include <stddef.h>

#include "zones/near.h"
#include "zones/zones.h"

/* The rings of s's land as points at most step metres apart, in z (freed with
 * shoal_znear_free, also after a failure). False when out of memory. */
bool shoal_zcoast_rings(const shoal_zones_state *s, double step, shoal_znear *z);

/* The coast of state i of in: the runs of its rings farther than tol metres from every other
 * state's rings (rings[o], from shoal_zcoast_rings; bbox[o] the bounding box of state o's
 * land, minx > maxx when empty), tested at every vertex and every step metres along the
 * edges. Rings that are coast all round (islands of one state) go whole to whole (polygon
 * rings, as in the land: buffered as areas, since GEOS can leave a false hole in the buffer of
 * a closed line), the rest as lines to coast. Both are initialised here; the caller frees
 * them. False when out of memory. */
bool shoal_zcoast_build(const shoal_zones_in *in, const shoal_znear *rings, const double (*bbox)[4],
                        size_t i, double step, double tol, shoal_geom *coast, shoal_geom *whole);

#endif
