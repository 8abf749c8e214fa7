#!/usr/bin/env bash
# Benchmark: the article's 48 files (4 maps x 3 languages x 2 scales x PNG+PDF) rendered by
# one `shoal batch -j 2` versus 48 separate `shoal render` calls run one after another (as a
# plain shell loop would). Prints wall times and peak memory and appends a line to
# bench/results.tsv.
#   bench/article-set.sh [path/to/shoal]
set -euo pipefail
cd "$(dirname "$0")/.."
SHOAL=${1:-build/shoal}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
MAPS=(south-china-sea spratlys second-thomas-shoal north-natuna-sea)

{
  printf 'defaults:\n  output: "%s/batch/{map}-{lang}@{scale}x.{ext}"\n' "$OUT"
  printf '  formats: [png, pdf]\nmatrix:\n  lang: [en, vi, zh]\n  scale: [1, 2]\njobs:\n'
  for m in "${MAPS[@]}"; do printf '  - map: %s/styles/%s.yaml\n' "$PWD" "$m"; done
} >"$OUT/set.batch.yaml"
mkdir -p "$OUT/batch" "$OUT/single"

# Warm the page cache so both runs read the data from memory.
cat shapes/*.shp >/dev/null

/usr/bin/time -f "%e %M" -o "$OUT/batch.time" \
  "$SHOAL" batch "$OUT/set.batch.yaml" -j 2 --force -q
read -r batch_s batch_kb <"$OUT/batch.time"

start=$(date +%s.%N)
peak=0
for m in "${MAPS[@]}"; do
  for lang in en vi zh; do
    for scale in 1 2; do
      for ext in png pdf; do
        /usr/bin/time -f "%M" -o "$OUT/one.time" "$SHOAL" render "styles/$m.yaml" \
          -o "$OUT/single/$m-$lang@${scale}x.$ext" --set "lang=$lang" --scale "$scale" -q
        kb=$(tail -n 1 "$OUT/one.time")
        if ((kb > peak)); then peak=$kb; fi
      done
    done
  done
done
end=$(date +%s.%N)
single_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')

nb=$(find "$OUT/batch" -type f | wc -l)
ns=$(find "$OUT/single" -type f | wc -l)
awk -v s="$batch_s" -v k="$batch_kb" -v n="$nb" \
  'BEGIN { printf "batch -j 2   : %6.2f s wall, peak %6.1f MB, %d files\n", s, k / 1024, n }'
awk -v s="$single_s" -v k="$peak" -v n="$ns" \
  'BEGIN { printf "48 renders   : %6.2f s wall, peak %6.1f MB per process, %d files\n", s, k / 1024, n }'
printf '%s\t%s\tarticle-set\tbatch_s=%s\tbatch_peak_kb=%s\tsingle_s=%s\tsingle_peak_kb=%s\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo -)" \
  "$batch_s" "$batch_kb" "$single_s" "$peak" >>bench/results.tsv
