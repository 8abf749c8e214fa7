#!/usr/bin/env bash
# Benchmark: save-to-pixels latency of `shoal serve` in a real browser: headless Chromium shows
# the page for styles/south-china-sea.yaml (a scratch copy), the land colour is saved N times
# alternating two colours, and each time the wall time from the save (rename into place) to the
# moment a 1-pixel screenshot of the page at a land position shows the new colour is taken
# (tests/serve/browser.py --bench). Prints median, min and max; appends to bench/results.tsv.
#   bench/serve-latency.sh [path/to/shoal] [saves]
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL=$(realpath "${1:-build/shoal}")
N=${2:-10}
ROOT=$PWD
OUT=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$OUT"' EXIT
cp -r styles "$OUT/styles"
ln -s "$ROOT/shapes" "$OUT/shapes"
cat shapes/*.shp >/dev/null # warm the page cache
PY=python3
python3 -c "import selenium" 2>/dev/null || PY=/usr/bin/python3
cd "$OUT"
export HOME=$OUT
"$SHOAL" serve styles/south-china-sea.yaml --port 0 2>serve.log &
PID=$!
for _ in $(seq 100); do grep -q 'http://' serve.log && break; sleep 0.1; done
BASE=$(grep -o 'http://[^ ]*/' serve.log | head -1)
# Land well inside Borneo, Luzon, Mindanao and Vietnam, away from labels and lines.
"$PY" "$ROOT/tests/serve/browser.py" "$BASE" styles/south-china-sea.yaml --bench "$N" \
  --land 114.5,1.0 --land 121.2,16.5 --land 124.5,7.8 --land 106.8,13.0 | tee result
renders=$(grep -o 'rendered in [0-9.]*' serve.log | awk '{print $3}' | sort -n |
  awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "server-side render (median over the run): ${renders} s"
line=$(grep '^# save-to-pixels' result)
med=$(echo "$line" | grep -o 'median [0-9.]*' | cut -d' ' -f2)
printf '%s\t%s\tserve-latency\tsouth-china-sea, %s saves\tmedian_s=%s\trender_median_s=%s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)" \
  "$N" "$med" "$renders" >>"$ROOT/bench/results.tsv"
