#!/usr/bin/env bash
# Benchmark: `shoal zones` for the South China Sea states from shapes/land_states.shp (DCW
# coastlines, 100 m), 12/24/200-nm limits, median lines, modelled zones and overlaps, -j 2.
# Best of N runs (wall time) and peak memory; appends a line to bench/results.tsv.
#   bench/zones.sh [path/to/shoal] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL=${1:-build/shoal}
RUNS=${2:-3}
STATES=BN,CN,ID,KH,MY,PH,SG,TH,TW,VN
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat shapes/land_states.* >/dev/null # warm the page cache
best="" kb=0
for ((i = 0; i < RUNS; i++)); do
  /usr/bin/time -f "%e %M" -o "$OUT/t" "$SHOAL" zones shapes/land_states.shp --state-field iso2 \
    --states "$STATES" -o "$OUT/z" -j 2 >/dev/null
  read -r s k <"$OUT/t"
  if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; fi
  if ((k > kb)); then kb=$k; fi
done
awk -v s="$best" -v k="$kb" -v n="$RUNS" \
  'BEGIN { printf "zones (SCS states, -j 2) best of %d: %6.2f s wall, peak %7.1f MB\n", n, s, k / 1024 }'
printf '%s\t%s\tzones\tscs-j2\tbest_s=%s\tpeak_kb=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo -)" "$best" "$kb" >>bench/results.tsv
