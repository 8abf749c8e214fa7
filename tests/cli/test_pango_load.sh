#!/usr/bin/env bash
# CLI tests of Pango loaded on first use (src/draw/pango_load.c): the binary does not load
# libpango or libpangocairo at start-up, a map with text still gets its text (the golden label
# tests check the pixels), a map without text renders without Pango at all, and when Pango cannot
# be loaded a map with text and `shoal --version` fail with the loader's reason, not a crash.
#   tests/cli/test_pango_load.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# A Pango or GLib call missing from pango_load.c's list would link its library into the binary
# again.
no_pango_needed() { ! readelf -d "$SHOAL" | grep -Eq 'NEEDED.*lib(pango|glib|gobject)'; }
t_check "the shoal binary does not load Pango or GLib at start-up" no_pango_needed

cat >"$WORK/title.yaml" <<'MAP'
map:
  size: [400, 300]
  crs: "EPSG:3857"
  extent: [105, 2, 122, 20]
  background: "#dfe9f0"
  title: "Pango on first use"
layers: []
MAP

t_expect_exit 0 -- "$SHOAL" render "$WORK/title.yaml" -o "$WORK/title.svg" -q
t_check "the title is drawn as text" grep -q '>Pango on first use<' "$WORK/title.svg"
t_expect_exit 0 -- "$SHOAL" --version
t_expect_stdout_match '^pango [0-9]+\.[0-9]+'

# A library that is not one: the loader finds it first on LD_LIBRARY_PATH and refuses it.
mkdir -p "$WORK/broken"
: >"$WORK/broken/libpango-1.0.so.0"
t_expect_exit 0 -- env LD_LIBRARY_PATH="$WORK/broken" "$SHOAL" render "$ROOT/tests/data/empty-map.yaml" \
  -o "$WORK/empty.png" -q
t_expect_file "$WORK/empty.png"
t_expect_exit 70 -- env LD_LIBRARY_PATH="$WORK/broken" "$SHOAL" render "$WORK/title.yaml" \
  -o "$WORK/broken.png" -q
t_expect_stderr_line "shoal: error: cannot load libpango-1.0.so.0: $WORK/broken/libpango-1.0.so.0: file too short"
t_expect_exit 70 -- env LD_LIBRARY_PATH="$WORK/broken" "$SHOAL" --version
t_expect_stderr_has "shoal: error: cannot load libpango-1.0.so.0: "

t_done
