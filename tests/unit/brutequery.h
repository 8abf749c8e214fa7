/* The answer a spatial query must give, by reading every shape (test_source.c, test_reader.c):
 * the ids whose vertex box meets q. Every record must read (CHECK); null and empty shapes meet
 * nothing. */
#ifndef SHOAL_BRUTEQUERY_H
#define SHOAL_BRUTEQUERY_H

#include "check.h"
#include "data/source.h"

/* Into out (room for every record); returns how many. */
static size_t brute_query(shoal_source *s, const double q[4], int *out)
{
  shoal_geom g;
  shoal_geom_init(&g, SHOAL_GEOM_NONE);
  size_t n = 0;
  for (int id = 0; id < shoal_source_count(s); id++) {
    double b[4];
    CHECK(shoal_source_read(s, id, &g) == SHOAL_OK);
    if (g.npts == 0 || !shoal_geom_bbox(&g, b))
      continue;
    if (b[0] <= q[2] && b[2] >= q[0] && b[1] <= q[3] && b[3] >= q[1])
      out[n++] = id;
  }
  shoal_geom_free(&g);
  return n;
}

#endif
