/* Computed zones as a layer's data (the zones: key): computed by the zones module once, kept
 * in an on-disk cache folder named by a hash of everything that changes the result, and read
 * back as an ordinary shapefile layer. */
#ifndef SHOAL_ZONESRC_H
#define SHOAL_ZONESRC_H

#include "base/diag.h"
#include "config/model.h"

/* The cache folder for computed zones: $SHOAL_CACHE_DIR/zones, else
 * $XDG_CACHE_HOME/shoal/zones, else $HOME/.cache/shoal/zones. Caller frees; NULL when none of
 * the three is set (or out of memory). */
char *shoal_zonesrc_cache_root(void);

/* The shapefile (<cache>/<hash>/<show>.shp) that draws z, for layer `layer`: from the cache
 * when it holds z's result, else computed first (the zones module's errors are reported at
 * z->loc, naming the layer) into a temporary folder renamed into place, so that two processes
 * never see half a result. On a terminal one line on stderr says when it computes. Caller
 * frees; NULL after an error reported to d. */
char *shoal_zonesrc_path(const shoal_zonesspec *z, const char *layer, shoal_diag *d);

#endif
