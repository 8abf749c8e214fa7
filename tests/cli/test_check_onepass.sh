#!/usr/bin/env bash
# One-pass validation: `shoal check` reports every error of a map in one run (schema errors,
# languages and fonts anywhere in the map), exit 65; a map whose only error is an unknown
# map-level font is refused by render too, writing nothing; data: paths that are folders or
# not shapefiles are reported at the data: value.
#   tests/cli/test_check_onepass.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

S=$ROOT/shapes
cd "$WORK" || t_die "cannot cd to $WORK"

# t_expect_errors TEXT: the "error:" lines of the last stderr are exactly TEXT (one a line).
t_expect_errors() {
    local got
    got=$(grep -F ': error: ' "$WORK/last.err")
    if [[ "$got" == "$1" ]]; then
        t_pass "exactly the expected errors"
    else
        t_fail "exactly the expected errors" "expected:" "$1" "got:" "$got"
    fi
}

# The example of the issue: an unknown key, a bad lang and a misspelt map font, all at once.
cat >three.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
  lang: xx
  font: Noto Sanz
layers:
  - name: land
    data: $S/land_h.shp
    colour: red
EOF
t_expect_exit 65 -- "$SHOAL" check three.yaml
t_expect_errors "three.yaml:9:5: error: unknown key 'colour' in layer (did you mean 'fill' or 'stroke'?)
three.yaml:4:9: error: unknown language 'xx' (known: en, zh, zh-Latn, vi, fil, ms, id; or give the data a name_xx field)
three.yaml:5:9: error: unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)"

# Fonts and languages everywhere (map, label, annotation), after a schema error.
cat >every.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
  lang: xx
  font: Noto Sanz
layers:
  - name: places
    data: $S/places.shp
    strok: red
    label: {text: "{name_*}", font: Noto Serf, lang: vx}
annotations:
  - marker: {at: [110, 10], label: {text: Here, font: Noto Sanss}}
EOF
t_expect_exit 65 -- "$SHOAL" check every.yaml
t_expect_errors "every.yaml:9:5: error: unknown key 'strok' in layer (did you mean 'stroke'?)
every.yaml:4:9: error: unknown language 'xx' (known: en, zh, zh-Latn, vi, fil, ms, id; or give the data a name_xx field)
every.yaml:10:54: error: unknown language 'vx' (did you mean 'vi'?)
every.yaml:5:9: error: unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)
every.yaml:10:37: error: unknown font 'Noto Serf' (did you mean 'Noto Serif'?)
every.yaml:12:55: error: unknown font 'Noto Sanss' (did you mean 'Noto Sans'?)"

# The same map without the schema error: the scene checks languages and label fonts, the
# map font is checked after it; every error is still reported.
grep -v 'strok:' every.yaml >sound.yaml
t_expect_exit 65 -- "$SHOAL" check sound.yaml
t_expect_errors "sound.yaml:4:9: error: unknown language 'xx' (known: en, zh, zh-Latn, vi, fil, ms, id; or give the data a name_xx field)
sound.yaml:9:54: error: unknown language 'vx' (did you mean 'vi'?)
sound.yaml:9:37: error: unknown font 'Noto Serf' (did you mean 'Noto Serif'?)
sound.yaml:11:55: error: unknown font 'Noto Sanss' (did you mean 'Noto Sans'?)
sound.yaml:5:9: error: unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)"

# A misspelt map-level font alone: an error for render as well, and nothing is written.
cat >font.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
  font: "Noto Sanz"
layers:
  - name: land
    data: $S/land_h.shp
EOF
t_expect_exit 65 -- "$SHOAL" render font.yaml -o font.png
t_expect_errors "font.yaml:4:10: error: unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)"
t_expect_no_file "$WORK/font.png"
sed 's/Noto Sanz/Noto Sans/' font.yaml >fontok.yaml
t_expect_exit 0 -- "$SHOAL" check fontok.yaml

# British spellings of keys get the real key where there is one.
cat >colour.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
layers:
  - name: places
    data: $S/places.shp
    label: {text: "{name_*}", colour: red}
EOF
t_expect_exit 65 -- "$SHOAL" check colour.yaml
t_expect_errors "colour.yaml:7:31: error: unknown key 'colour' in label (did you mean 'color'?)"

# data: naming a folder, a YAML file or an unknown kind of file: said what it is, at the data:
# value; a missing one names where it was looked for. (A CSV file is data, read through GDAL.)
mkdir -p folder
printf 'a: 1\n' >other.yaml
printf 'name,lon,lat\nx,1,2\n' >points.txt
cat >kinds.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
layers:
  - {name: a, data: folder}
  - {name: b, data: other.yaml}
  - {name: c, data: points.txt}
  - {name: d, data: nothere.shp}
EOF
t_expect_exit 65 -- "$SHOAL" check "$WORK/kinds.yaml" # the first error decides
t_expect_errors "$WORK/kinds.yaml:5:21: error: '$WORK/folder' is a folder, not a shapefile
$WORK/kinds.yaml:6:21: error: '$WORK/other.yaml' is a YAML file, not a shapefile
$WORK/kinds.yaml:7:21: error: '$WORK/points.txt' is not a data file Shoal reads (the name does not end in .shp, .geojson, .json, .gpkg, .kml, .kmz, .fgb or .csv)
$WORK/kinds.yaml:8:21: error: cannot find data file 'nothere.shp' (looked in '$WORK/nothere.shp', 'nothere.shp', '$ROOT/styles/nothere.shp', '$ROOT/nothere.shp')"

t_done
