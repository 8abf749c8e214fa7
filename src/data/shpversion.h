/* The shapelib version Shoal was built with (for `shoal --version`). */
#ifndef SHOAL_SHPVERSION_H
#define SHOAL_SHPVERSION_H

/* shapelib 1.5 has no runtime version call: this is the version pkg-config reported for the
 * `shapelib` module at build time ("unknown" without it). Static string. */
const char *shoal_shp_version(void);

#endif
