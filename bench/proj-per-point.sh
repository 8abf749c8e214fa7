#!/usr/bin/env bash
# Benchmark: instructions per point of Shoal's coordinate transforms (shoal_xform_fwd, which
# hands whole rings to proj_trans_generic) from WGS84 lon/lat into the common map CRSs, from
# callgrind (bench/proj_per_point.c, built here against build/libshoalcore.a, run on 200,000
# points of the South China Sea). Appends one line per CRS to bench/results.tsv.
#   bench/proj-per-point.sh [build-dir] [points] [name]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=$(realpath "${1:-build}")
N=${2:-200000}
COMMIT=${3:-$(git rev-parse --short HEAD 2>/dev/null || echo -)}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
# shellcheck disable=SC2046
cc -O2 -std=c11 -D_DEFAULT_SOURCE -I"$ROOT/src" "$ROOT/bench/proj_per_point.c" -o "$OUT/ppp" \
  "$BUILD/libshoalcore.a" $(pkg-config --libs proj) -lpthread -lm
CRSS=(
  "EPSG:4326"
  "EPSG:3857"
  "EPSG:32650"
  "+proj=merc +lon_0=112 +datum=WGS84 +units=m +no_defs"
  "+proj=laea +lat_0=10 +lon_0=115 +datum=WGS84"
  "+proj=lcc +lat_1=4 +lat_2=20 +lon_0=114 +datum=WGS84"
  "EPSG:3395"
)
printf '%-56s %12s\n' "map CRS (from an ESRI WGS84 .prj)" "instr/point"
for crs in "${CRSS[@]}"; do
  valgrind --tool=callgrind --callgrind-out-file="$OUT/cg" --toggle-collect=shoal_xform_fwd \
    "$OUT/ppp" "$crs" "$N" >/dev/null 2>&1
  ir=$(callgrind_annotate "$OUT/cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  per=$(awk -v a="$ir" -v n="$N" 'BEGIN { printf "%.0f", a / n }')
  printf '%-56s %12s\n' "$crs" "$per"
  printf '%s\t%s\tproj-per-point\t%s\tpoints=%s\tinstr_per_point=%s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$crs" "$N" "$per" >>"$ROOT/bench/results.tsv"
done
