#!/usr/bin/env bash
# Rebuild the computed maritime zones in shapes/ with `shoal zones` (see docs/zones.md and the
# zones parts of shapes/SOURCES.md): zones_modelled (each state's modelled 200-nm zone),
# zones_modelled_lines (median lines and open-sea 200-nm limits), zones_overlaps (overlapping
# 200-nm entitlements), zones_claim (each modelled zone inside the closed dashed line) and
# zones_areas.csv (geodesic areas of every polygon computed).
#   scripts/build-zones.sh [path/to/shoal] [OUTDIR]     (defaults: build/shoal, shapes)
# JOBS=N sets the worker threads (default 2). ZONES_FROM=DIR skips the computation and converts
# DIR, the output folder of an earlier run of the same shoal zones command. A data-building script, not run by CI or the
# tests: the whole run of 13 states takes about two minutes (300 MB) on 2 cores.
# Needs: a built shoal, ogr2ogr with its SQLite/SpatiaLite dialect (Debian gdal-bin), which
# renames the fields, clips to the region and cuts the open-sea limits out of the limit lines,
# and python3 (keeps the median lines at sea).
# Inputs: shapes/land_states.shp (coasts, field iso2), shapes/baselines.shp (Vietnam's 1982
# straight baselines only), shapes/nine_dash_line.shp (the claim line).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shoal=${1:-$repo/build/shoal}
out=${2:-$repo/shapes}
jobs=${JOBS:-2}
die() { echo "build-zones: $*" >&2; exit 1; }
[ -x "$shoal" ] || die "no shoal binary at '$shoal' (build it first or pass its path)"
command -v ogr2ogr >/dev/null || die "needs ogr2ogr (Debian package gdal-bin)"
command -v python3 >/dev/null || die "needs python3"

# The states whose zones show in the shipped maps' views (lon 95..130 E, lat -5..30 N). The
# other states of land_states (BD, KP, KR, LA, PG, TL) stay land but get no zone. India is in
# for its Andaman and Nicobar Islands, whose zone meets Myanmar's, Thailand's and Indonesia's.
STATES=BN,CN,ID,IN,JP,KH,MM,MY,PH,SG,TH,TW,VN
REGION=(95 -5 130 30)
# What the maps draw is simplified to 0.0005 degree (at most about 55 m, 0.03 nm, off the
# computed lines: far below a pixel of any shipped map) to keep the files small; the refined
# median lines alone are over 20 MB. The area fields are those of the unsimplified polygons.
SIMPLIFY=0.0005
shapes=$repo/shapes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ogr() { ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -makevalid "$@"; }
# Read every ring of a shapefile polygon and assign holes to shells by where they lie, not by
# ring order alone (a zone has thousands of rings).
export OGR_ORGANIZE_POLYGONS=DEFAULT

# Straight baselines: only Vietnam's of 1982 (mainland coast, points A1-A11). China's 1996
# baselines enclose the Paracels, a disputed group, and no disputed feature counts as anyone's
# baseline in this model (shapes/SOURCES.md, land_states). shoal zones wants the state in the
# same field as the land layer (iso2).
mkdir -p "$tmp/bl"
ogr "$tmp/bl/baselines.shp" "$shapes/baselines.shp" -dialect SQLite \
  -sql "SELECT geometry, state AS iso2 FROM baselines WHERE state = 'VN'"

# The claim: shoal zones joins a line's parts in file order, each run from its end nearer the
# last point so far (nine_dash_line stores dashes 1-3 running south, 4-9 the other way), and
# closes the last back to the first: the ring runs dash 1 (off central Vietnam) to dash 9
# (Luzon Strait) and straight back to dash 1, an approximation. The dashes go in by number.
mkdir -p "$tmp/claim"
ogr "$tmp/claim/claim.shp" "$shapes/nine_dash_line.shp" -dialect SQLite \
  -sql "SELECT geometry, dash FROM nine_dash_line ORDER BY dash"

z=${ZONES_FROM:-$tmp/z}
if [ -z "${ZONES_FROM:-}" ]; then
  "$shoal" zones "$shapes/land_states.shp" --state-field iso2 --nm 200 --states "$STATES" \
    --baselines "$tmp/bl/baselines.shp" --claim "$tmp/claim/claim.shp" -o "$z" -j "$jobs"
fi

mkdir -p "$out"
rm -f "$out"/zones_modelled.* "$out"/zones_modelled_lines.* "$out"/zones_overlaps.* \
  "$out"/zones_claim.* "$out/zones_areas.csv"
st="modelled 200 nm equidistance zone computed by Shoal, not a legal EEZ"
sl="modelled zone limit computed by Shoal, not a legal boundary"

# Modelled zones, clipped to the region the maps show (the areas of the whole zones are in
# zones_areas.csv).
ogr "$out/zones_modelled.shp" "$z/zones.shp" -nlt MULTIPOLYGON -clipsrc "${REGION[@]}" \
  -dialect SQLite -sql "SELECT geometry, iso2, 'modelled_zone_200nm' AS kind, '$st' AS status
    FROM zones ORDER BY iso2"

# Lines: the median lines (equidistance) and, for each state, the part of its 200-nm limit
# that lies in no other state's 200-nm entitlement (the open-sea edge of its zone).
# Only the median lines at sea are kept (python3 below): pieces on land or within 0.01 degree
# (about 1 km) of a coast are dropped.
ogr2ogr -f GeoJSON "$tmp/land.json" "$shapes/land_states.shp"
ogr2ogr -f GeoJSON "$tmp/medians.json" "$z/medians.shp"
python3 - "$tmp/land.json" "$tmp/medians.json" "$tmp/sea.json" 0.01 <<'PY'
import json, sys, math
from collections import defaultdict
land_path, med_path, out_path, eps = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
# Median pieces (shoal zones writes them as many short parts) on land or within eps degrees of a
# coast are dropped: along a shared land border the two states' coasts coincide, so their
# median follows the border inland (over a million vertices for China and Vietnam).
CELL = 0.05
edges = defaultdict(list)   # (ix, iy) -> edges; every cell the edge's box (grown by eps) touches
rows = defaultdict(list)    # iy -> edges crossing that row band (for the even-odd test)
land = json.load(open(land_path))
for f in land["features"]:
    g = f["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    for poly in polys:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                e = (x1, y1, x2, y2)
                for ix in range(math.floor((min(x1, x2) - eps) / CELL), math.floor((max(x1, x2) + eps) / CELL) + 1):
                    for iy in range(math.floor((min(y1, y2) - eps) / CELL), math.floor((max(y1, y2) + eps) / CELL) + 1):
                        edges[(ix, iy)].append(e)
                for iy in range(math.floor(min(y1, y2) / CELL), math.floor(max(y1, y2) / CELL) + 1):
                    rows[iy].append(e)
def seg_d2(px, py, e):
    x1, y1, x2, y2 = e
    dx, dy = x2 - x1, y2 - y1
    L = dx * dx + dy * dy
    t = 0 if L == 0 else max(0, min(1, ((px - x1) * dx + (py - y1) * dy) / L))
    qx, qy = x1 + t * dx - px, y1 + t * dy - py
    return qx * qx + qy * qy
def inside(px, py):
    c = False
    for x1, y1, x2, y2 in rows.get(math.floor(py / CELL), ()):
        if (y1 > py) != (y2 > py) and px < x1 + (py - y1) * (x2 - x1) / (y2 - y1):
            c = not c
    return c
def near(px, py):
    for e in edges.get((math.floor(px / CELL), math.floor(py / CELL)), ()):
        if seg_d2(px, py, e) < eps * eps:
            return True
    return False
med = json.load(open(med_path))
kept = dropped = 0
for f in med["features"]:
    g = f["geometry"]
    if not g:
        continue
    parts = g["coordinates"] if g["type"] == "MultiLineString" else [g["coordinates"]]
    keep = []
    for p in parts:
        # A piece is at sea when its middle vertex pair's midpoint is neither on land nor
        # within eps of a coast: pieces along a shared land border are dropped.
        k = len(p) // 2
        a, b = p[k - 1] if k > 0 else p[0], p[k]
        mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
        if inside(mx, my) or near(mx, my):
            dropped += 1
        else:
            keep.append(p)
            kept += 1
    f["geometry"] = {"type": "MultiLineString", "coordinates": keep} if keep else None
json.dump(med, open(out_path, "w"))
print(f"seafilter: kept {kept} median pieces at sea, dropped {dropped} on land or along a coast", file=sys.stderr)
PY
ogr "$tmp/lines.shp" "$tmp/sea.json" -nlt MULTILINESTRING -dialect SQLite \
  -sql "SELECT geometry, iso2_a, iso2_b, 'equidistance' AS kind, '$sl' AS status
    FROM medians WHERE geometry IS NOT NULL ORDER BY iso2_a, iso2_b"
ogr2ogr -append "$tmp/lines.shp" "$z" -nln lines -nlt MULTILINESTRING -dialect SQLite \
  -sql "SELECT ST_Multi(ST_Difference(l.geometry, (SELECT ST_Union(p.geometry) FROM limits p
    WHERE p.iso2 != l.iso2))) AS geometry, l.iso2 AS iso2_a, NULL AS iso2_b,
    'limit_200nm' AS kind, '$sl' AS status FROM limit_lines l ORDER BY l.iso2"
ogr "$out/zones_modelled_lines.shp" "$tmp/lines.shp" -nlt MULTILINESTRING \
  -clipsrc "${REGION[@]}" -simplify "$SIMPLIFY"
# Overlapping entitlements and the claim areas, whole (their area fields are the polygons').
ogr "$out/zones_overlaps.shp" "$z/overlaps.shp" -nlt MULTIPOLYGON -simplify "$SIMPLIFY" \
  -dialect SQLite \
  -sql "SELECT geometry, iso2_a, iso2_b, kind, area_km2, area_nm2, status
    FROM overlaps ORDER BY iso2_a, iso2_b"
ogr "$out/zones_claim.shp" "$z/claim.shp" -nlt MULTIPOLYGON -simplify "$SIMPLIFY" \
  -dialect SQLite \
  -sql "SELECT geometry, iso2, kind, area_km2, area_nm2, status FROM claim ORDER BY iso2"
cp "$z/areas.csv" "$out/zones_areas.csv"
"$shoal" index "$out/zones_modelled.shp"
echo "build-zones: wrote zones_modelled, zones_modelled_lines, zones_overlaps, zones_claim and zones_areas.csv in $out"
