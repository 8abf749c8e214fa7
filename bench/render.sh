#!/usr/bin/env bash
# Benchmark: one 2000x2000 PNG of styles/south-china-sea.yaml (full-resolution land), with the
# default screen-space simplification and with the land layer not simplified. Best of N runs
# (wall time) and peak memory; appends lines to bench/results.tsv.
#   bench/render.sh [path/to/shoal] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL=${1:-build/shoal}
RUNS=${2:-5}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat shapes/*.shp >/dev/null # warm the page cache

run() { # run LABEL extra-args...
  local label=$1 best="" kb=0 s k
  shift
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f "%e %M" -o "$OUT/t" "$SHOAL" render styles/south-china-sea.yaml \
      -o "$OUT/m.png" --size 2000x2000 -q "$@"
    read -r s k <"$OUT/t"
    if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; fi
    if ((k > kb)); then kb=$k; fi
  done
  awk -v l="$label" -v s="$best" -v k="$kb" -v n="$RUNS" \
    'BEGIN { printf "%-22s best of %d: %5.2f s wall, peak %6.1f MB\n", l, n, s, k / 1024 }'
  printf '%s\t%s\trender-2000\t%s\tbest_s=%s\tpeak_kb=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(git rev-parse --short HEAD 2>/dev/null || echo -)" "$label" "$best" "$kb" >>bench/results.tsv
}

run "simplified (default)"
run "land not simplified" --set layers.land.simplify=0
