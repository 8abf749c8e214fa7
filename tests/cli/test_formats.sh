#!/usr/bin/env bash
# Data formats read through GDAL: the same small dataset (tests/data/formats: polygons with a
# hole, lines, points, Vietnamese and Chinese names) as shapefile, GeoJSON, GeoPackage (one
# file, `layer:` per table), KML, FlatGeobuf and CSV (points) gives pixel-identical maps, with
# rule filters and labels; `shoal info` and `shoal import` on each; `-o -` to standard output.
#   tests/cli/test_formats.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

D=$ROOT/tests/data/formats
cd "$WORK" || t_die "cannot cd to $WORK"

# A build without GDAL (-DSHOAL_GDAL=OFF) reads shapefiles only and says so.
if "$SHOAL" info "$D/areas.geojson" 2>&1 | grep -q -- "-DSHOAL_GDAL=OFF"; then
    t_pass "built without GDAL: the other formats are refused naming -DSHOAL_GDAL"
    t_done
    exit
fi

# write_map NAME AREAS ROUTES PORTS [GPKG]: a map of the three layers; GPKG set adds a
# `layer:` key naming each layer's table.
write_map() {
    local name=$1 areas=$2 routes=$3 ports=$4 gpkg=${5:-}
    local la="" lr="" lp=""
    if [[ -n "$gpkg" ]]; then
        la="layer: areas"
        lr="layer: routes"
        lp="layer: ports"
    fi
    cat >"$name.yaml" <<EOF
map:
  size: [360, 300]
  crs: "EPSG:4326"
  extent: [110, 8, 114, 12]
  background: "#eef4f8"
layers:
  - name: areas
    data: $areas
    $la
    fill: "#c8d8a8"
    stroke: "#556b2f"
    rules:
      - filter: "kind = 'ring'"
        fill: "#e0b0b0"
      - {}
    label:
      text: "{name}"
      size: 10
  - name: routes
    data: $routes
    $lr
    stroke: "#884400"
    stroke-width: 2
    rules:
      - filter: "rank = 2"
        dash: [4, 2]
      - {}
  - name: ports
    data: $ports
    $lp
    marker: circle
    marker-size: 8
    fill: "#224488"
    label:
      text: "{name} ({rank})"
      filter: "rank < 4"
      size: 9
EOF
}

write_map shp "$D/areas.shp" "$D/routes.shp" "$D/ports.shp"
write_map geojson "$D/areas.geojson" "$D/routes.geojson" "$D/ports.geojson"
write_map gpkg "$D/all.gpkg" "$D/all.gpkg" "$D/all.gpkg" yes
write_map kml "$D/areas.kml" "$D/routes.kml" "$D/ports.kml"
write_map fgb "$D/areas.fgb" "$D/routes.fgb" "$D/ports.fgb"
write_map csv "$D/areas.shp" "$D/routes.shp" "$D/ports.csv"
write_map kmz "$D/areas.shp" "$D/routes.shp" "$D/ports.kmz"
write_map json "$D/areas.shp" "$D/routes.shp" "$D/ports.json"

t_expect_exit 0 -- "$SHOAL" render shp.yaml -o shp.png -v
# 3 areas + 2 routes + 4 ports; labels: 3 areas and the 3 ports of rank < 4.
t_expect_stderr_has "9 features"
t_expect_stderr_has "6 labels placed"
for f in geojson gpkg kml fgb csv kmz json; do
    t_expect_exit 0 -- "$SHOAL" render "$f.yaml" -o "$f.png" -v
    t_expect_stderr_has "6 labels placed"
    t_check "$f map is pixel-identical to the shapefile map" "$SHOAL_IMGDIFF" "$f.png" shp.png --max-diff 0 --max-pixels 0
done
# The rules' filters work on GeoJSON attributes: without them the map differs.
sed 's/kind = .ring./kind = '"'"'none'"'"'/; s/rank = 2/rank = 99/' geojson.yaml >nofilter.yaml
t_expect_exit 0 -- "$SHOAL" render nofilter.yaml -o nofilter.png
if cmp -s geojson.png nofilter.png; then
    t_fail "GeoJSON rule filters change the map"
else
    t_pass "GeoJSON rule filters change the map"
fi

# A batch shares the data and prepared geometry of these files as of shapefiles: the three
# tables of one GeoPackage are three sources, each built once and reused by the second job.
cat >formats.batch.yaml <<'EOF'
defaults:
  output: "bout/{map}-{lang}.{ext}"
  formats: [png]
matrix:
  lang: [en, vi]
jobs:
  - map: gpkg.yaml
  - map: geojson.yaml
EOF
t_expect_exit 0 -- "$SHOAL" batch formats.batch.yaml -j 2 -v
t_expect_stderr_has "4 ok, 0 up to date, 0 failed (geometry built 6 times, reused 6)"
# The Vietnamese map has Vietnamese furniture (scale-bar units, graticule letters): it is
# compared with the shapefile map drawn in Vietnamese.
t_expect_exit 0 -- "$SHOAL" render shp.yaml --set lang=vi -o shp-vi.png
for f in bout/gpkg-en.png bout/gpkg-vi.png bout/geojson-en.png bout/geojson-vi.png; do
    ref=shp.png
    [[ $f == *-vi.png ]] && ref=shp-vi.png
    t_check "batch output $f is the shapefile map" cmp "$f" "$ref"
done

# --- shoal info on each format ---
t_expect_exit 0 -- "$SHOAL" info "$D/all.gpkg"
t_expect_stdout_line "Format: GeoPackage (read through GDAL)"
t_expect_stdout_line "Layers: 3"
t_expect_stdout_line "Layer: routes"
t_expect_stdout_line "Index: the file's own spatial index"
t_expect_stdout_line "Extent: x 110.250000 .. 113.500000, y 8.500000 .. 11.500000"
for f in areas.geojson areas.kml areas.fgb; do
    t_expect_exit 0 -- "$SHOAL" info "$D/$f"
    t_expect_stdout_line "Geometry: Polygon"
    t_expect_stdout_line "Features: 3"
done
t_expect_exit 0 -- "$SHOAL" info "$D/ports.csv"
t_expect_stdout_line "Geometry: Point"
t_expect_stdout_line "Features: 4"
t_expect_stdout_line "Index: none (read whole, in-memory boxes)"
t_expect_stdout_match '^  rank +integer'

# Text that is not UTF-8 in a CSV file becomes U+FFFD; the rest stays as it is. `shoal list
# --places` reads any data file with place ids.
printf 'id,name_en,name_zh,name_vi,lon,lat\nspot,Caf\xe9 Reef,\xe5\x92\x96,C\xe0 ph\xc3\xaa,112,10\n' >latin1.csv
t_expect_exit 0 -- "$SHOAL" list --places latin1.csv
t_expect_stdout_match "^spot +Caf$(printf '\xef\xbf\xbd') Reef +$(printf '\xe5\x92\x96') +C$(printf '\xef\xbf\xbd') ph$(printf '\xc3\xaa')\$"

# --- shoal import: each format to a shapefile that draws the same map ---
t_expect_exit 0 -- "$SHOAL" import "$D/areas.geojson" -o imp_areas.shp
t_expect_exit 0 -- "$SHOAL" import "$D/all.gpkg" --layer routes -o imp_routes.shp
t_expect_exit 0 -- "$SHOAL" import "$D/ports.fgb" -o imp_ports.shp
write_map imp imp_areas.shp imp_routes.shp imp_ports.shp
t_expect_exit 0 -- "$SHOAL" render imp.yaml -o imp.png
t_check "imported shapefiles draw the same map" "$SHOAL_IMGDIFF" imp.png shp.png --max-diff 0 --max-pixels 0
t_expect_exit 0 -- "$SHOAL" import "$D/ports.kml" --rename description=descr \
    --rename altitudeMode=altmode -o imp_kml.shp
t_expect_exit 65 -- "$SHOAL" import "$D/all.gpkg" -o imp_all.shp
t_expect_stderr_has "has 3 layers ('areas', 'routes', 'ports')"
t_expect_no_file imp_all.shp
t_expect_exit 65 -- "$SHOAL" import "$D/all.gpkg" --layer nosuch -o imp_all.shp
t_expect_stderr_has "has no layer 'nosuch' (its layers: 'areas', 'routes', 'ports')"

# --- -o -: the finished file on standard output, nothing else there ---
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o - --format png
t_check "PNG on stdout = the PNG file" cmp "$WORK/last.out" geojson.png
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o - --format pdf
t_expect_stdout_match '^%PDF-1\.'
# (Cairo numbers SVG surfaces per process: one output per run, to compare.)
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o geojson.svg
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o - --format svg
t_expect_stdout_match '^<svg '
t_check "SVG on stdout = the SVG file" cmp geojson.svg "$WORK/last.out"
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o - --format svg -o also.pdf
t_check "a PDF file written beside -o -" test -s also.pdf
t_expect_exit 0 -- "$SHOAL" render geojson.yaml -o - --format PNG -q
t_check "--format is case-blind" cmp "$WORK/last.out" geojson.png
t_expect_exit 64 -- "$SHOAL" render geojson.yaml -o -
t_expect_stderr_has "-o - (standard output) needs --format png, pdf or svg"
t_expect_exit 64 -- "$SHOAL" render geojson.yaml -o - -o - --format png
t_expect_stderr_has "only one output can go to standard output"
t_expect_exit 64 -- "$SHOAL" render geojson.yaml -o - --format gif
t_expect_stderr_has "--format needs png, pdf or svg, not 'gif'"
# A map that fails writes nothing to stdout.
sed 's/ports.geojson/missing.geojson/' geojson.yaml >broken.yaml
t_expect_exit 66 -- "$SHOAL" render broken.yaml -o - --format png
if [[ -s "$WORK/last.out" ]]; then
    t_fail "a failed render writes nothing to stdout"
else
    t_pass "a failed render writes nothing to stdout"
fi
t_expect_exit 64 -- "$SHOAL" render geojson.yaml -o - --format png --watch

# GDAL never prints on its own: a broken file gives Shoal's message and nothing else.
head -c 300 "$D/areas.geojson" >cut.geojson
t_expect_exit 65 -- "$SHOAL" info cut.geojson
if grep -qv "^shoal: error: 'cut.geojson' cannot be read as a GeoJSON file: " "$WORK/last.err"; then
    t_fail "only Shoal's message on stderr" "$(cat "$WORK/last.err")"
else
    t_pass "only Shoal's message on stderr"
fi

t_done
