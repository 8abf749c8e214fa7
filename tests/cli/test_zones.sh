#!/usr/bin/env bash
# CLI tests of `shoal zones`: the files it writes for two mirrored islands and a claim line,
# their areas (the two modelled zones are equal halves), and bad input: an unknown state
# field, a land layer of lines, an empty layer, a missing file and bad options.
#   tests/cli/test_zones.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

data=$ROOT/tests/data/zones
out=$WORK/z

t_expect_exit 0 -- "$SHOAL" zones "$data/pair.shp" --state-field state --nm 12,200 \
  --claim "$data/claim.shp" -o "$out" -j 2
t_expect_stdout_line "wrote $out: 2 states, 10 features"
for f in limits limit_lines zones overlaps medians claim; do
  t_expect_file "$out/$f.shp"
done
t_expect_file "$out/areas.csv"
t_check "areas.csv header" grep -qx 'kind,state_a,state_b,nm,area_km2,area_nm2' "$out/areas.csv"
t_check "one overlap" grep -q '^overlap_200nm,AA,BB,200.0,' "$out/areas.csv"
t_check "claim in both zones" \
  test "$(grep -c '^claim_in_zone,' "$out/areas.csv")" = 2
# The islands mirror each other about 114 E: equal modelled zones and equal claim parts.
za=$(awk -F, '$1=="modelled_200nm" && $2=="AA" {print $5}' "$out/areas.csv")
zb=$(awk -F, '$1=="modelled_200nm" && $2=="BB" {print $5}' "$out/areas.csv")
t_check "mirrored zones have equal areas ($za, $zb km2)" \
  awk -v a="$za" -v b="$zb" 'BEGIN { exit !(a > 0 && (a - b < a * 1e-3) && (b - a < a * 1e-3)) }'
t_expect_exit 0 -- "$SHOAL" info "$out/zones.shp"
t_expect_stdout_line "Features: 2"
t_expect_stdout_match '^  state +string '
t_expect_stdout_match '^  area_km2 +double '
t_expect_exit 0 -- "$SHOAL" info "$out/medians.shp"
t_expect_stdout_match '^  state_a +string '

# --- bad input ---
t_expect_exit 64 -- "$SHOAL" zones "$data/pair.shp" --state-field nope -o "$out"
t_expect_stderr_has "--state-field 'nope': $data/pair.shp has no such field (its fields: state)"
t_expect_exit 65 -- "$SHOAL" zones "$data/claim.shp" --state-field dash -o "$out"
t_expect_stderr_has "$data/claim.shp: error: $data/claim.shp has PolyLine shapes; the land layer of \`shoal zones\` must hold polygons"
t_expect_exit 65 -- "$SHOAL" zones "$data/empty.shp" --state-field state -o "$out"
t_expect_stderr_has "is empty: the land layer needs polygons"
t_expect_exit 66 -- "$SHOAL" zones "$data/missing.shp" --state-field state -o "$out"
t_expect_exit 64 -- "$SHOAL" zones "$data/pair.shp" --state-field state --nm 12,x -o "$out"
t_expect_stderr_has "--nm '12,x': expected"
t_expect_exit 64 -- "$SHOAL" zones "$data/pair.shp" --state-field state -j 0 -o "$out"
t_expect_exit 64 -- "$SHOAL" zones "$data/pair.shp" --state-field state
t_expect_stderr_has "no output folder given (-o OUTDIR)"
t_expect_exit 64 -- "$SHOAL" zones "$data/pair.shp" -o "$out"
t_expect_stderr_has "no --state-field given"

# GEOS is loaded when zones are first computed (src/zones/geos_load.c), not at every start-up:
# a GEOS call missing from geos_load.c's list would link libgeos_c into the binary again.
no_geos_needed() { ! readelf -d "$SHOAL" | grep -q 'NEEDED.*libgeos'; }
t_check "the shoal binary does not load GEOS at start-up" no_geos_needed

t_done
