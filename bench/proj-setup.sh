#!/usr/bin/env bash
# Benchmark: what PROJ set-up (parsing CRSs, proj.db searches, building and cloning
# operations) costs in job A (styles/south-china-sea.yaml at 2000x2000 PNG, one render) and in
# a batch of ten views of that map in one process (bench/views.batch.yaml, -j 2). Prints, for
# each, the best wall time of N runs and, from callgrind, the instructions in all and those
# under Shoal's calls into PROJ other than per-point ones (bench/proj_setup_share.py).
# Appends lines to bench/results.tsv.
#   bench/proj-setup.sh [path/to/shoal] [runs] [name]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHOAL=$(realpath "${1:-build/shoal}")
RUNS=${2:-5}
# What the figures are recorded under: the checkout's commit, or a name for another binary.
COMMIT=${3:-$(git rev-parse --short HEAD 2>/dev/null || echo -)}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cat shapes/*.shp >/dev/null # warm the page cache

best_of() { # best_of CMD...: best wall seconds of RUNS runs
  local best="" s
  for ((i = 0; i < RUNS; i++)); do
    /usr/bin/time -f "%e" -o "$OUT/t" "$@" >/dev/null 2>&1
    s=$(cat "$OUT/t")
    if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$s; fi
  done
  echo "$best"
}

measure() { # measure LABEL CMD...
  local label=$1 wall setup total
  shift
  wall=$(best_of "$@")
  valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" "$@" >/dev/null 2>&1
  python3 "$ROOT/bench/proj_setup_share.py" "$OUT/cg.out" >"$OUT/share"
  total=$(awk '/^total/ { gsub(",", "", $3); print $3 }' "$OUT/share")
  setup=$(awk '/^PROJ set-up/ { gsub(",", "", $3); print $3 }' "$OUT/share")
  awk -v l="$label" -v w="$wall" -v t="$total" -v s="$setup" -v n="$RUNS" 'BEGIN {
    printf "%-28s best of %d: %5.2f s wall; %6.0f M instructions, PROJ set-up %5.0f M (%.1f %%)\n",
      l, n, w, t / 1e6, s / 1e6, 100 * s / t }'
  printf '%s\t%s\tproj-setup\t%s\tbest_s=%s\tinstr=%s\tproj_setup_instr=%s\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$label" "$wall" "$total" "$setup" \
    >>"$ROOT/bench/results.tsv"
}

measure "job A (2000x2000 PNG)" "$SHOAL" render styles/south-china-sea.yaml -o "$OUT/a.png" \
  --size 2000x2000 -q
cd "$OUT" # the batch writes v01.png ... here
measure "10 views, one batch -j 2" "$SHOAL" batch "$ROOT/bench/views.batch.yaml" -j 2 --force -q
