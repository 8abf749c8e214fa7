#!/usr/bin/env bash
# Build shapes/land_states.{shp,shx,dbf,prj,cpg}: land polygons of the states around the South
# China Sea with each state's ISO 3166-1 alpha-2 code (field iso2), from the DCW country
# polygons in Debian's gmt-dcw package (LGPL-3+), dumped by gmt coast, clipped to the region,
# simplified to 100 m, with the disputed features left out (see shapes/SOURCES.md).
#   scripts/build-land-states.sh [--install] [OUTDIR]     (OUTDIR defaults to shapes)
# Needs gmt, gmt-dcw, gdal-bin (ogr2ogr) and python3; --install first runs
#   apt-get install -y gmt gmt-dcw gdal-bin
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --install ]; then
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y gmt gmt-dcw gdal-bin
  shift
fi
out=${1:-shapes}
for t in gmt ogr2ogr python3; do
  command -v $t >/dev/null || { echo "build-land-states: needs $t (try --install)" >&2; exit 69; }
done
# The states whose coasts reach the region (and their neighbours, Laos among them, whose land
# must not count as sea), and the region they are clipped to: wider than
# shapes/ (95..130 E, -5..30 N) by more than 200 nm, so that no clipping edge is nearer to
# the region's sea than the coasts themselves.
STATES=(BD BN CN ID IN JP KH KP KR LA MM MY PG PH SG TH TL TW VN)
REGION=85/145/-15/40
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for c in "${STATES[@]}"; do
  gmt coast -R$REGION -E"$c" -M | gmt spatial -C -R$REGION | gmt simplify -T100e >"$tmp/$c.txt"
done
python3 - "$tmp" "${STATES[@]}" <<'PY'
import json, sys
tmp, states = sys.argv[1], sys.argv[2:]
# Disputed features that count as nobody's baseline (shapes/SOURCES.md): any polygon lying
# wholly inside one of these boxes (lon_min, lon_max, lat_min, lat_max) and smaller than
# half a degree is left out, whichever state the DCW gives it to.
DISPUTED = {
    "Paracel Islands": (110.9, 113.0, 15.6, 17.2),
    "Spratly Islands": (111.0, 116.0, 6.2, 12.0),
    "Scarborough Shoal": (117.6, 117.9, 15.0, 15.3),
    "Pratas Island": (116.6, 116.8, 20.6, 20.8),
}
features, dropped = [], {}
for st in states:
    rings, cur = [], []
    for line in open(f"{tmp}/{st}.txt"):
        if line.startswith(">"):
            if len(cur) >= 4: rings.append(cur)
            cur = []
        elif line.strip() and not line.startswith("#"):
            x, y = map(float, line.split()[:2])
            cur.append([round(x, 7), round(y, 7)])
    if len(cur) >= 4: rings.append(cur)
    polys = []
    for r in rings:
        if r[0] != r[-1]: r.append(r[0])
        xs, ys = [p[0] for p in r], [p[1] for p in r]
        hit = [n for n, (a, b, c, d) in DISPUTED.items()
               if min(xs) >= a and max(xs) <= b and min(ys) >= c and max(ys) <= d
               and max(xs) - min(xs) < 0.5 and max(ys) - min(ys) < 0.5]
        if hit:
            dropped[hit[0]] = dropped.get(hit[0], 0) + 1
            continue
        polys.append([r])
    features.append({"type": "Feature", "properties": {"iso2": st},
                     "geometry": {"type": "MultiPolygon", "coordinates": polys}})
for n, k in sorted(dropped.items()):
    print(f"left out {k} polygon(s) of the {n}", file=sys.stderr)
json.dump({"type": "FeatureCollection", "features": features}, open(f"{tmp}/land.geojson", "w"))
PY
mkdir -p "$out"
rm -f "$out"/land_states.{shp,shx,dbf,prj,cpg,qix}
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -nlt MULTIPOLYGON "$out/land_states.shp" \
  "$tmp/land.geojson"
echo "wrote $out/land_states.shp"
