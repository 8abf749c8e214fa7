#!/usr/bin/env bash
# Rebuild every file in shapes/ from the reference data in ../shared/data with the shoal binary,
# except land_c_asia.* (the inset locator's land), which shared/ does not hold: it is built by
# scripts/build-gshhg.sh only and is kept (and re-indexed) here, never deleted.
#   scripts/build-shapes.sh [path/to/shoal]       (default: build/shoal)
# SHOAL_SHARED overrides the data directory (default: ../shared/data beside the repository).
# The output is deterministic: running it twice gives byte-identical files.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shoal=${1:-$repo/build/shoal}
shared=${SHOAL_SHARED:-$repo/../shared/data}
out=$repo/shapes

die() { echo "build-shapes: $*" >&2; exit 1; }
[ -x "$shoal" ] || die "no shoal binary at '$shoal' (build it first or pass its path)"
[ -d "$shared" ] || die "no reference data at '$shared' (set SHOAL_SHARED)"
for f in land/gshhg_f_land.shp land/gshhg_h_land.shp nine_dash_line.csv places.csv \
         eez/eez_approx_scs.shp eez/eez_approx_lines_scs.shp eez/mr_v12_vietnam_lines.csv; do
  [ -f "$shared/$f" ] || die "missing '$shared/$f'"
done
mkdir -p "$out"

# Land: GSHHG polygons, copied unchanged (shared/data/SOURCES.md has the recipe that made
# them; scripts/build-gshhg.sh runs it). install -m 0644 because shared/ is read-only.
for res in f h; do
  for ext in shp shx dbf prj; do
    install -m 0644 "$shared/land/gshhg_${res}_land.$ext" "$out/land_${res}.$ext"
  done
done

# Nine-dash line: 9 dashes x 15 vertices, one line per dash in seq order, vertices unchanged.
"$shoal" import --lines --group dash --order seq \
  --add-field "source=Natural Earth 1:10m ne_10m_admin_0_boundary_lines_maritime_indicator_chn" \
  "$shared/nine_dash_line.csv" -o "$out/nine_dash_line.shp"

# Places: 27 points with names in English, Chinese (characters, pinyin), Vietnamese, Filipino.
"$shoal" import --rename name_zh_pinyin=name_zh_py \
  "$shared/places.csv" -o "$out/places.shp"

# Modelled zones: a computed equidistance model, labelled as such in every record.
"$shoal" import --add-field "status=modelled 200 nm equidistance zone, not a legal EEZ" \
  "$shared/eez/eez_approx_scs.shp" -o "$out/zones_modelled.shp"
"$shoal" import --add-field "status=modelled zone limit, not a legal boundary" \
  "$shared/eez/eez_approx_lines_scs.shp" -o "$out/zones_modelled_lines.shp"

# Treaty lines: 5 Marine Regions v12 boundary lines touching Vietnam's EEZ.
"$shoal" import --lines --group line_id --order seq \
  --rename line_name=name --rename line_type=type --rename doc_date=date \
  "$shared/eez/mr_v12_vietnam_lines.csv" -o "$out/treaty_lines.shp"

# Spatial indexes for the big files (import removed any stale ones).
"$shoal" index "$out/land_f.shp" "$out/land_h.shp" "$out/zones_modelled.shp"

# land_c_asia: not in shared/; made by
#   scripts/build-gshhg.sh --region 60/160/-20/55 --name land_c_asia shapes c
# Left as it is; only its .qix is rebuilt (same bytes) when it is present.
if [ -f "$out/land_c_asia.shp" ]; then
  "$shoal" index "$out/land_c_asia.shp"
else
  echo "build-shapes: note: no shapes/land_c_asia.shp (run scripts/build-gshhg.sh, see shapes/SOURCES.md)" >&2
fi

echo "build-shapes: rebuilt $out"
