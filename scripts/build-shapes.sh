#!/usr/bin/env bash
# Rebuild the files in shapes/ from their sources in shapes/src/ with the shoal binary.
#   scripts/build-shapes.sh [path/to/shoal]       (default: build/shoal)
# SHOAL_SHAPES_SRC overrides the source folder (default: shapes/src in this repository).
# The land polygons (land_f, land_h, land_c_asia) are not made from shapes/src: they come from
# GSHHG through scripts/build-gshhg.sh (about 1 GB of Debian packages), so by default they are
# kept as committed and only their .qix is rebuilt. SHOAL_GSHHG=DIR copies land_f and land_h
# from DIR, the output folder of `scripts/build-gshhg.sh DIR f h`, first.
# The output is deterministic: running it twice gives byte-identical files.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shoal=${1:-$repo/build/shoal}
src=${SHOAL_SHAPES_SRC:-$repo/shapes/src}
gshhg=${SHOAL_GSHHG:-}
out=$repo/shapes

die() { echo "build-shapes: $*" >&2; exit 1; }
[ -x "$shoal" ] || die "no shoal binary at '$shoal' (build it first or pass its path)"
[ -d "$src" ] || die "no source folder '$src'"
for f in nine_dash_line.csv places.csv features.csv mr_v12_vietnam_lines.csv baselines.csv \
         baseline_points.csv; do
  [ -f "$src/$f" ] || die "missing '$src/$f'"
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Land: GSHHG polygons, copied unchanged when a build-gshhg.sh output folder is given.
if [ -n "$gshhg" ]; then
  for res in f h; do
    for ext in shp shx dbf prj; do
      [ -f "$gshhg/gshhg_${res}_land.$ext" ] || die "missing '$gshhg/gshhg_${res}_land.$ext'"
      install -m 0644 "$gshhg/gshhg_${res}_land.$ext" "$out/land_${res}.$ext"
    done
  done
fi
for res in f h; do
  [ -f "$out/land_${res}.shp" ] ||
    die "no shapes/land_${res}.shp (run scripts/build-gshhg.sh and set SHOAL_GSHHG, see shapes/SOURCES.md)"
done

# Nine-dash line: 9 dashes x 15 vertices, one line per dash in seq order, vertices unchanged.
"$shoal" import --lines --group dash --order seq \
  --add-field "source=Natural Earth 1:10m ne_10m_admin_0_boundary_lines_maritime_indicator_chn (nvkelso/natural-earth-vector 6a9da46)" \
  --add-field "published=1947 (ROC map, eleven dashes); 2009-05-07 (PRC notes verbales CML/17/2009 and CML/18/2009 to the UN Secretary-General, map annexed)" \
  "$src/nine_dash_line.csv" -o "$out/nine_dash_line.shp"

# Places: the disputed features (features.csv) followed by the label points and cities
# (places.csv); both files have the same header, so the second one's is dropped.
{ grep -v '^#' "$src/features.csv"; grep -v '^#' "$src/places.csv" | tail -n +2; } >"$tmp/places.csv"
"$shoal" import --rename name_zh_pinyin=name_zh_py "$tmp/places.csv" -o "$out/places.shp"

# The modelled zones (zones_*) are computed by shoal zones from land_states, baselines and
# nine_dash_line: scripts/build-zones.sh (minutes, several GB), not rebuilt here.

# Treaty lines: the 3 agreed Marine Regions v12 boundary lines touching Vietnam's EEZ.
"$shoal" import --lines --group line_id --order seq \
  --rename line_name=name --rename line_type=type --rename doc_date=date \
  "$src/mr_v12_vietnam_lines.csv" -o "$out/treaty_lines.shp"

# Claimed straight baselines: each system's base points (baseline_points.csv) joined with its
# instrument, date, status and source (baselines.csv) on line_id, one line per system.
python3 - "$src" "$tmp/baselines.csv" <<'PY'
import csv, sys
src, dst = sys.argv[1], sys.argv[2]
def rows(name):
    with open(f"{src}/{name}", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))
lines = {r["line_id"]: r for r in rows("baselines.csv")}
with open(dst, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["line_id", "state", "instrument", "date", "status", "source", "seq", "lon", "lat"])
    for p in rows("baseline_points.csv"):
        l = lines[p["line_id"]]
        w.writerow([p["line_id"], l["state"], l["instrument"], l["date"], l["status"], l["source"],
                    p["seq"], p["lon"], p["lat"]])
PY
"$shoal" import --lines --group line_id --order seq "$tmp/baselines.csv" -o "$out/baselines.shp"

# Spatial indexes for the big files (import removed any stale ones).
"$shoal" index "$out/land_f.shp" "$out/land_h.shp"

# land_c_asia (the inset locator's land) is made only by
#   scripts/build-gshhg.sh --region 60/160/-20/55 --name land_c_asia shapes c
# Left as it is; only its .qix is rebuilt (same bytes) when it is present.
if [ -f "$out/land_c_asia.shp" ]; then
  "$shoal" index "$out/land_c_asia.shp"
else
  echo "build-shapes: note: no shapes/land_c_asia.shp (run scripts/build-gshhg.sh, see shapes/SOURCES.md)" >&2
fi

echo "build-shapes: rebuilt $out"
