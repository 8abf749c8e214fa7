/* Checks of a loaded map that need more than the config floor knows, so that `shoal check`
 * reports every error of a map in one pass: font families (known only through Pango) and,
 * when the model has schema errors and the scene will not be prepared, the languages. */
#ifndef SHOAL_VALIDATE_H
#define SHOAL_VALIDATE_H

#include <stdbool.h>

#include "base/diag.h"
#include "config/model.h"

/* Check what the scene will not check. Always: the map-level font (map.font), which only
 * furniture uses. When sound is false (the schema reported errors, so the scene is never
 * prepared): also every label and annotation font, and every language code (the map's, each
 * label's lang and fallbacks), a code being known when it is in the language table or some
 * layer's data has its name_<code> field. Each problem is an error (65) at where it was
 * written. */
void shoal_validate_map(const shoal_map *m, bool sound, shoal_diag *d);

#endif
