#!/usr/bin/env bash
# Benchmark: the same 2000x2000 PNG (full-resolution GSHHG land, the modelled zone lines and
# the nine-dash line; lon 99..125, lat -3..25 in Mercator lon_0=112; no labels, no furniture)
# drawn by Shoal, MapServer's map2img and Mapnik (through python3-mapnik). Best wall time of
# N runs and peak memory of each; appends lines to bench/results.tsv and prints a summary.
# A renderer that is not installed is skipped with a message. Map files: bench/compare/.
#   bench/compare.sh [path/to/shoal] [runs] [keep-dir]   (keep-dir: where to leave the PNGs)
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL=${1:-build/shoal}
RUNS=${2:-5}
KEEP=${3:-}
PY=/usr/bin/python3 # Debian's python3-mapnik is built for the system interpreter
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo -)
SUMMARY=()
cat shapes/land_f.* shapes/zones_modelled_lines.* shapes/nine_dash_line.* >/dev/null # warm the page cache

run() { # run LABEL PNG|- command... : best wall time of RUNS, peak memory over the runs
  local label=$1 png=$2 best="" kb=0 s k i
  shift 2
  "$@" >"$OUT/log" 2>&1 || { echo "$label: failed:" >&2; cat "$OUT/log" >&2; return 1; } # warm-up
  for ((i = 0; i < RUNS; i++)); do
    [[ "$png" == - ]] || rm -f "$png"
    /usr/bin/time -f "%e %M" -o "$OUT/t" "$@" >"$OUT/log" 2>&1
    [[ "$png" == - || -s "$png" ]] || { echo "$label: no output" >&2; cat "$OUT/log" >&2; return 1; }
    read -r s k <"$OUT/t"
    if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; fi
    if ((k > kb)); then kb=$k; fi
  done
  local bytes=-
  if [[ "$png" != - ]]; then bytes=$(stat -c %s "$png"); fi
  SUMMARY+=("$(awk -v l="$label" -v s="$best" -v k="$kb" -v b="$bytes" \
    'BEGIN { printf "%-34s %6.2f %8.1f %9s", l, s, k / 1024, b }')")
  echo "${SUMMARY[-1]}"
  printf '%s\t%s\tcompare-2000\t%s\tbest_s=%s\tpeak_kb=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$COMMIT" "$label" "$best" "$kb" >>bench/results.tsv
  if [[ -n "$KEEP" && "$png" != - ]]; then mkdir -p "$KEEP" && cp "$png" "$KEEP/"; fi
}

printf '%-34s %6s %8s %9s\n' "renderer (best of $RUNS)" "wall s" "peak MB" "PNG bytes"

# Shoal: default (0.25 px screen-space simplification), with simplification off (as Mapnik),
# and at 1 px (about what MapServer's AGG path does: it drops vertices less than a pixel from
# the last one kept).
if [[ -x "$SHOAL" ]]; then
  v=$("$SHOAL" --version | awk 'NR == 1 { print $2 }')
  for t in default 0 1; do
    label="shoal $v" png="$OUT/shoal.png" set=()
    if [[ $t != default ]]; then
      label+=" simplify=$t" png="$OUT/shoal-simplify$t.png"
      for l in land zones nine-dash-line; do set+=(--set "layers.$l.simplify=$t"); done
    fi
    run "$label" "$png" "$SHOAL" render bench/compare/shoal.yaml -o "$png" -q "${set[@]}"
  done
else
  echo "shoal: skipped, $SHOAL not built (cmake --build build)"
fi

# MapServer: map2img from mapserver-bin; reads shapes/land_f.qix itself.
if command -v map2img >/dev/null; then
  v=$(map2img -v | awk '{ print $3 }')
  run "mapserver $v map2img" "$OUT/mapserver.png" map2img -m bench/compare/scs.map -o "$OUT/mapserver.png"
else
  echo "mapserver: skipped, map2img not installed (Debian package mapserver-bin)"
fi

# Mapnik: python3-mapnik (Debian's mapnik-render has a fixed 600x400 size). Its shape plugin
# wants a .index beside each .shp: the map is rendered from a copy of scs.xml in a temporary
# tree whose shapes/ holds links to the real files and the .index files made by shapeindex.
if "$PY" -c 'import mapnik' 2>/dev/null; then
  v=$("$PY" -c 'import mapnik; v = mapnik.mapnik_version(); print(f"{v // 100000}.{v // 100 % 1000}.{v % 100}")')
  mkdir -p "$OUT/mapnik/shapes" "$OUT/mapnik/bench/compare"
  for f in land_f zones_modelled_lines nine_dash_line; do
    for e in shp shx dbf prj; do ln -s "$PWD/shapes/$f.$e" "$OUT/mapnik/shapes/"; done
  done
  cp bench/compare/scs.xml "$OUT/mapnik/bench/compare/"
  if command -v shapeindex >/dev/null; then
    (cd "$OUT/mapnik/shapes" && shapeindex land_f.shp zones_modelled_lines.shp nine_dash_line.shp >/dev/null 2>&1)
  else
    echo "mapnik: shapeindex not installed (Debian package mapnik-utils): rendering without .index"
  fi
  run "mapnik $v python3" "$OUT/mapnik.png" "$PY" bench/compare/mapnik_render.py \
    "$OUT/mapnik/bench/compare/scs.xml" "$OUT/mapnik.png" 2000 2000
  # The interpreter and the module alone, to read the line above with.
  run "python3 + import mapnik only" - "$PY" -c 'import mapnik'
else
  echo "mapnik: skipped, python3-mapnik not installed (Debian package python3-mapnik)"
fi

echo
echo "summary: 2000x2000 PNG, lon 99..125 lat -3..25, Mercator; best of $RUNS, peak RSS"
printf '%-34s %6s %8s %9s\n' "renderer" "wall s" "peak MB" "PNG bytes"
printf '%s\n' "${SUMMARY[@]}"
