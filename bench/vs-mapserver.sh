#!/usr/bin/env bash
# Benchmark: Shoal against MapServer's map2img on jobs A-E of issue 13, same data, same view,
# same style, each side at its shipped PNG settings. Writes both sides' map files into a
# scratch folder, runs each job N times on each side in turn (median wall time each; peak RSS
# from /usr/bin/time), counts instructions with callgrind, and prints a table of
# Shoal/MapServer ratios. Not a test.
#   bench/vs-mapserver.sh [--quick] [--runs N] [--shoal BIN] [--old BIN] [--keep DIR]
#     --quick      3 runs, callgrind on job A only (callgrind runs ~50x slower than native)
#     --old BIN    also render jobs A, B and C with an older Shoal build and report how many
#                  pixels differ from it (ImageMagick `compare -metric AE -fuzz 15%`)
#     --keep DIR   leave the map files and the outputs in DIR
# Job C needs a world land file (GSHHG full resolution, lon -180..180, lat -60..60, 6.8 M
# vertices, 115 MB): built once by bench/world_land.py from GMT's shorelines into
# $SHOAL_BENCH_WORLD (default /tmp/shoal-bench-world; Debian gmt + gmt-gshhg-full, ~1 GB, and
# a few minutes the first time), then indexed with `shoal index`.
# Jobs: A  South China Sea, 2000x2000 PNG, EPSG:3857, lon 99..125 lat -3..25
#       B  Second Thomas Shoal, 1600x1200 PNG, lon 115..117 lat 9..10.5
#       C  = B, land from the world file
#       D  = A as PDF
#       E  20 views, 1024x1024 PNG (Shoal: one `shoal batch -j 2`; map2img: 20 processes, as it
#          draws one view per process)
# Layers: shapes/land_f (fill #f3f0ea, outline #8a8a8a 0.5 px), shapes/zones_modelled_lines
# (#7a94a8 0.6 px dashed 3,2) and shapes/nine_dash_line (#c8102e 2.2 px) on #dfe9f0.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHOAL=build/shoal OLD="" KEEP="" RUNS=5 QUICK=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 RUNS=3; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --shoal) SHOAL=$2; shift 2 ;;
    --old) OLD=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    *) echo "usage: bench/vs-mapserver.sh [--quick] [--runs N] [--shoal BIN] [--old BIN] [--keep DIR]" >&2; exit 64 ;;
  esac
done
SHOAL=$(realpath "$SHOAL")
[ -z "$OLD" ] || OLD=$(realpath "$OLD")
for p in mapserver-bin valgrind imagemagick python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    { echo "vs-mapserver: installing $p"; apt-get install -y -qq "$p" >/dev/null; }
done
if [ -n "$KEEP" ]; then W=$(mkdir -p "$KEEP" && realpath "$KEEP"); else
  W=$(mktemp -d)
  trap 'rm -rf "$W"' EXIT
fi
WORLD=${SHOAL_BENCH_WORLD:-/tmp/shoal-bench-world}
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo -)

# ------------------------------------------------------------------ the world land file (job C)
if [ ! -s "$WORLD/world_land_f.shp" ]; then
  echo "vs-mapserver: building the world land file in $WORLD (once)"
  command -v gmt >/dev/null && [ -d /usr/share/gmt-gshhg ] || apt-get install -y -qq gmt gmt-gshhg-full >/dev/null
  mkdir -p "$WORLD"
  gmt coast -R-180/180/-60/60 -Df -W1/0.1p -M >"$WORLD/coast.txt"
  python3 bench/world_land.py "$WORLD/coast.txt" "$WORLD/world_land_f"
  cp shapes/land_f.prj "$WORLD/world_land_f.prj"
  rm -f "$WORLD/coast.txt"
fi
# `shoal index` writes the spatial index (and the chunk index of its giant rings), which
# map2img also reads (the .qix is shapelib's format).
if [ ! -s "$WORLD/world_land_f.qix" ] || [ "$WORLD/world_land_f.qix" -ot "$SHOAL" ]; then
  "$SHOAL" index "$WORLD/world_land_f.shp" >/dev/null
fi

# ------------------------------------------------------------------ map files
# EPSG:3857 metres of a lon/lat box, padded about its centre to the page's aspect as Shoal
# does; printed as MapServer's EXTENT, which names the centres of the edge pixels but whose
# AGG renderer puts minx/maxy on the outer corner: keep the outer left and top edges and end
# one pixel short on the right and at the bottom (see bench/compare/scs.map).
ms_extent() { # lon0 lat0 lon1 lat1 width height
  awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" -v w="$5" -v h="$6" 'BEGIN {
    R = 6378137; pi = atan2(0, -1)
    x0 = R * a * pi / 180; x1 = R * c * pi / 180
    y0 = R * log(sin(pi / 4 + b * pi / 360) / cos(pi / 4 + b * pi / 360))
    y1 = R * log(sin(pi / 4 + d * pi / 360) / cos(pi / 4 + d * pi / 360))
    cx = (x0 + x1) / 2; cy = (y0 + y1) / 2; sx = x1 - x0; sy = y1 - y0
    if (sx / sy > w / h) sy = sx * h / w; else sx = sy * w / h
    cell = sx / w
    printf "%.3f %.3f %.3f %.3f", cx - sx / 2, cy - sy / 2 + cell, cx + sx / 2 - cell, cy + sy / 2 }'
}

shoal_map() { # file land.shp lon0 lat0 lon1 lat1 width height
  cat >"$1" <<EOF
map:
  size: [$7, $8]
  crs: "EPSG:3857"
  extent: [$3, $4, $5, $6]
  background: "#dfe9f0"
layers:
  - {name: land, data: "$2", fill: "#f3f0ea", stroke: "#8a8a8a", stroke-width: 0.5, line-join: round}
  - {name: zones, data: "$ROOT/shapes/zones_modelled_lines.shp", stroke: "#7a94a8", stroke-width: 0.6, dash: [3, 2], line-join: round, line-cap: butt}
  - {name: nine-dash-line, data: "$ROOT/shapes/nine_dash_line.shp", stroke: "#c8102e", stroke-width: 2.2, line-join: round, line-cap: butt}
furniture: false
EOF
}

ms_map() { # file land.shp lon0 lat0 lon1 lat1 width height
  local line
  line() { # name data colour width [pattern]
    printf '  LAYER\n    NAME "%s"\n    TYPE LINE\n    STATUS DEFAULT\n    DATA "%s"\n' "$1" "$2"
    printf '    PROJECTION\n      "init=epsg:4326"\n    END\n    CLASS\n      STYLE\n'
    printf '        COLOR "%s"\n        WIDTH %s\n%s        LINEJOIN ROUND\n        LINECAP BUTT\n' "$3" "$4" "${5:-}"
    printf '      END\n    END\n  END\n'
  }
  {
    printf 'MAP\n  NAME "bench"\n  SIZE %s %s\n  EXTENT %s\n  UNITS METERS\n' "$7" "$8" "$(ms_extent "$3" "$4" "$5" "$6" "$7" "$8")"
    printf '  IMAGECOLOR "#dfe9f0"\n  IMAGETYPE "png"\n  PROJECTION\n    "init=epsg:3857"\n  END\n'
    printf '  OUTPUTFORMAT\n    NAME "png"\n    DRIVER AGG/PNG\n    MIMETYPE "image/png"\n    IMAGEMODE RGB\n    EXTENSION "png"\n  END\n'
    printf '  OUTPUTFORMAT\n    NAME "pdf"\n    DRIVER CAIRO/PDF\n    MIMETYPE "application/x-pdf"\n    IMAGEMODE RGB\n    EXTENSION "pdf"\n  END\n'
    printf '  LAYER\n    NAME "land"\n    TYPE POLYGON\n    STATUS DEFAULT\n    DATA "%s"\n' "${2%.shp}"
    printf '    PROJECTION\n      "init=epsg:4326"\n    END\n    CLASS\n      STYLE\n        COLOR "#f3f0ea"\n      END\n'
    printf '      STYLE\n        OUTLINECOLOR "#8a8a8a"\n        WIDTH 0.5\n        LINEJOIN ROUND\n        LINECAP BUTT\n      END\n    END\n  END\n'
    line zones "$ROOT/shapes/zones_modelled_lines" "#7a94a8" 0.6 "        PATTERN 3 2 END"$'\n'
    line nine-dash-line "$ROOT/shapes/nine_dash_line" "#c8102e" 2.2
    printf 'END\n'
  } >"$1"
}

LAND=$ROOT/shapes/land_f.shp
mkdir -p "$W/e-shoal" "$W/e-ms"
shoal_map "$W/a.yaml" "$LAND" 99 -3 125 25 2000 2000
ms_map "$W/a.map" "$LAND" 99 -3 125 25 2000 2000
shoal_map "$W/b.yaml" "$LAND" 115 9 117 10.5 1600 1200
ms_map "$W/b.map" "$LAND" 115 9 117 10.5 1600 1200
shoal_map "$W/c.yaml" "$WORLD/world_land_f.shp" 115 9 117 10.5 1600 1200
ms_map "$W/c.map" "$WORLD/world_land_f.shp" 115 9 117 10.5 1600 1200
# E: 20 views of 1024x1024 over the region (all inside the data of shapes/land_f)
VIEWS=(99,-3,125,25 105,0,120,15 110,5,120,15 112,7,118,12 114,8,117,11 108,2,114,8
  115,15,121,21 102,5,112,15 116,10,124,18 100,0,126,24 106,8,110,12 118,4,122,8
  113,13,117,17 109,16,113,20 103,-2,109,4 119,10,123,14 111,1,115,5 104,9,108,13
  115,5,119,9 100,2,104,6)
shoal_map "$W/e.yaml" "$LAND" 99 -3 125 25 1024 1024
ms_map "$W/e.map" "$LAND" 99 -3 125 25 1024 1024
{
  printf 'defaults:\n  output: "{name}.png"\n  size: [1024, 1024]\njobs:\n'
  i=0
  for v in "${VIEWS[@]}"; do
    i=$((i + 1))
    printf '  - {map: %s, name: v%02d, set: {map.extent: "[%s]"}}\n' "$W/e.yaml" $i "$v"
  done
} >"$W/e.batch.yaml"
# map2img draws one view per process: the 20 views are 20 processes
{
  i=0
  for v in "${VIEWS[@]}"; do
    i=$((i + 1))
    IFS=, read -r a b c d <<<"$v"
    echo "map2img -m $W/e.map -o $W/e-ms/v$i.png -e $(ms_extent "$a" "$b" "$c" "$d" 1024 1024)"
  done
} >"$W/e-ms.sh"
echo "cd $W/e-shoal && exec $SHOAL batch $W/e.batch.yaml -j 2 --force -q" >"$W/e-shoal.sh"

# ------------------------------------------------------------------ measuring
cat "$LAND" "${LAND%.shp}".{shx,dbf,qix} "$WORLD"/world_land_f.* >/dev/null # warm the page cache

# Wall time from bash's microsecond clock around the bare command (/usr/bin/time's %e counts in
# 10 ms steps, as long as jobs B and C take); peak memory from one more run under /usr/bin/time.
wall_once() { # command... : wall seconds of one run
  local t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
peak_kb() { # command... : peak resident kB of one run
  /usr/bin/time -f "%M" -o "$W/t" "$@" >/dev/null 2>&1
  cat "$W/t"
}
warm_up() { # command... : one run, its failure reported
  "$@" >/dev/null 2>"$W/err" || { echo "failed: $*" >&2; cat "$W/err" >&2; return 1; }
}
paired_run() { # job : prints "shoal_median_s ms_median_s shoal_kb ms_kb"
  # The two sides run in turn, RUNS times each, so a machine that slows down or speeds up
  # meanwhile weighs on both alike (run one side's N and then the other's, a shared machine's
  # drift moved job A's ratio by several per cent).
  local sh ms i sw=() mw=()
  read -r -a sh <<<"${SH_CMD[$1]}"
  read -r -a ms <<<"${MS_CMD[$1]}"
  warm_up "${sh[@]}" && warm_up "${ms[@]}" || return 1
  for ((i = 0; i < RUNS; i++)); do
    sw+=("$(wall_once "${sh[@]}")")
    mw+=("$(wall_once "${ms[@]}")")
  done
  printf '%s %s %s %s\n' "$(printf '%s\n' "${sw[@]}" | median)" "$(printf '%s\n' "${mw[@]}" | median)" \
    "$(peak_kb "${sh[@]}")" "$(peak_kb "${ms[@]}")"
}

instructions() { # command... : instructions of every process it runs, summed (callgrind)
  rm -f "$W"/cg.*
  valgrind --tool=callgrind --trace-children=yes --callgrind-out-file="$W/cg.%p" "$@" >/dev/null 2>&1
  cat "$W"/cg.* | awk '/^totals:/ { s += $2 } END { print s }'
}

declare -A SH_CMD MS_CMD SH_OUT MS_OUT
SH_CMD[A]="$SHOAL render $W/a.yaml -o $W/a-shoal.png -q"; MS_CMD[A]="map2img -m $W/a.map -o $W/a-ms.png"
SH_CMD[B]="$SHOAL render $W/b.yaml -o $W/b-shoal.png -q"; MS_CMD[B]="map2img -m $W/b.map -o $W/b-ms.png"
SH_CMD[C]="$SHOAL render $W/c.yaml -o $W/c-shoal.png -q"; MS_CMD[C]="map2img -m $W/c.map -o $W/c-ms.png"
SH_CMD[D]="$SHOAL render $W/a.yaml -o $W/d-shoal.pdf -q"; MS_CMD[D]="map2img -m $W/a.map -i pdf -o $W/d-ms.pdf"
SH_CMD[E]="bash $W/e-shoal.sh"; MS_CMD[E]="bash $W/e-ms.sh"
SH_OUT=([A]=a-shoal.png [B]=b-shoal.png [C]=c-shoal.png [D]=d-shoal.pdf [E]=e-shoal/v01.png)
MS_OUT=([A]=a-ms.png [B]=b-ms.png [C]=c-ms.png [D]=d-ms.pdf [E]=e-ms/v1.png)

printf '%-4s %9s %9s %6s %8s %8s %6s %12s %12s %6s %9s %9s %6s\n' job "shoal s" "ms s" ratio \
  "shoal MB" "ms MB" ratio "shoal Minstr" "ms Minstr" ratio "shoal B" "ms B" ratio
declare -A SH_S
for job in A B C D E; do
  read -r ss ms sk mk < <(paired_run $job)
  SH_S[$job]=$ss
  si=- mi=-
  if [ $QUICK = 0 ] || [ $job = A ]; then
    # shellcheck disable=SC2086
    si=$(instructions ${SH_CMD[$job]})
    # shellcheck disable=SC2086
    mi=$(instructions ${MS_CMD[$job]})
  fi
  sb=$(stat -c %s "$W/${SH_OUT[$job]}") mb=$(stat -c %s "$W/${MS_OUT[$job]}")
  awk -v j=$job -v ss="$ss" -v ms="$ms" -v sk="$sk" -v mk="$mk" -v si="$si" -v mi="$mi" \
    -v sb="$sb" -v mb="$mb" 'function r(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    function m(a) { return a == "-" ? "-" : sprintf("%.0f", a / 1e6) }
    BEGIN { printf "%-4s %9.3f %9.3f %6s %8.1f %8.1f %6s %12s %12s %6s %9d %9d %6s\n", j, ss, ms, r(ss, ms),
      sk / 1024, mk / 1024, r(sk, mk), m(si), m(mi), r(si, mi), sb, mb, r(sb, mb) }' | tee -a "$W/table"
  printf '%s\t%s\tvs-mapserver-%s\tshoal_s=%s\tms_s=%s\tshoal_kb=%s\tms_kb=%s\tshoal_instr=%s\tms_instr=%s\tshoal_bytes=%s\tms_bytes=%s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" $job "$ss" "$ms" "$sk" "$mk" "$si" "$mi" "$sb" "$mb" >>bench/results.tsv
done
echo
awk -v b="${SH_S[B]}" -v c="${SH_S[C]}" 'BEGIN { printf "job C / job B (Shoal wall): %.2f (%.1f ms / %.1f ms)\n", c / b, 1000 * c, 1000 * b }'
# Same picture? Pixels differing by more than 15 % between the two renderers' job A and B.
for job in A B; do
  l=$(echo $job | tr AB ab)
  n=$(compare -metric AE -fuzz 15% "$W/$l-shoal.png" "$W/$l-ms.png" null: 2>&1 || true)
  echo "job $job: pixels differing > 15 % between Shoal and MapServer: $n"
done
if [ -n "$OLD" ]; then
  for l in a b c; do
    "$OLD" render "$W/$l.yaml" -o "$W/$l-old.png" -q
    n=$(compare -metric AE -fuzz 15% "$W/$l-shoal.png" "$W/$l-old.png" null: 2>&1 || true)
    n0=$(compare -metric AE "$W/$l-shoal.png" "$W/$l-old.png" null: 2>&1 || true)
    echo "job $(echo $l | tr abc ABC): pixels differing from $OLD: $n0 (any difference), $n (> 15 %)"
  done
fi
