#!/usr/bin/env bash
# Benchmark: start-up. An empty map (800x600 PNG in EPSG:3857, no layers, no furniture, no
# text) and `shoal --version`: median wall time of N runs each (default 20), peak memory, the
# shared libraries the binary loads and whether proj.db is opened, and from callgrind the
# instructions of each by stage (bench/callgrind_stages.py). Appends lines to
# bench/results.tsv. The issue-13 goal is an empty map under 15 ms.
#   bench/startup.sh [path/to/shoal] [runs] [name]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHOAL=$(realpath "${1:-build/shoal}")
RUNS=${2:-20}
COMMIT=${3:-$(git rev-parse --short HEAD 2>/dev/null || echo -)}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

median_ms() { # median_ms CMD...: median wall milliseconds of RUNS runs (after one warm-up)
  python3 - "$RUNS" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
t = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t.append(time.perf_counter() - t0)
print(f"{1000 * statistics.median(t):.1f} {1000 * min(t):.1f}")
PY
}

EMPTY=("$SHOAL" render "$ROOT/tests/data/empty-map.yaml" -o "$OUT/e.png" -q)
VERSION=("$SHOAL" --version)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
read -r em emin < <(median_ms "${EMPTY[@]}")
read -r vm vmin < <(median_ms "${VERSION[@]}")
kb=$( { /usr/bin/time -f "%M" "${EMPTY[@]}" >/dev/null; } 2>&1 | tail -n 1)
libs=$(ldd "$SHOAL" | grep -c '=>')
projdb=no
if command -v strace >/dev/null; then
  strace -f -o "$OUT/strace" -e trace=openat "${EMPTY[@]}" >/dev/null 2>&1 || true
  grep -q 'proj\.db", O_RDONLY) = [0-9]' "$OUT/strace" && projdb=yes
else
  projdb="? (no strace)"
fi
printf 'empty map: median %s ms (best %s) of %d runs, peak %s kB; --version: median %s ms (best %s)\n' \
  "$em" "$emin" "$RUNS" "$kb" "$vm" "$vmin"
printf 'shared libraries loaded at start-up: %s; proj.db opened by the empty map: %s\n' "$libs" "$projdb"
instr=- vinstr=-
if command -v valgrind >/dev/null; then
  valgrind --tool=callgrind --callgrind-out-file="$OUT/empty.cg" "${EMPTY[@]}" >/dev/null 2>&1
  valgrind --tool=callgrind --callgrind-out-file="$OUT/version.cg" "${VERSION[@]}" >/dev/null 2>&1
  (cd "$OUT" && python3 "$ROOT/bench/callgrind_stages.py" empty.cg version.cg)
  instr=$(callgrind_annotate "$OUT/empty.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
  vinstr=$(callgrind_annotate "$OUT/version.cg" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
fi
printf '%s\t%s\tstartup\t800x600 empty PNG, EPSG:3857\tmedian_ms=%s\tbest_ms=%s\tinstr=%s\tversion_median_ms=%s\tversion_instr=%s\tlibs=%s\tproj_db=%s\tload=%s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$em" "$emin" "$instr" "$vm" "$vinstr" "$libs" \
  "$projdb" "$(cut -d' ' -f1 /proc/loadavg)" >>"$ROOT/bench/results.tsv"
