#!/usr/bin/env bash
# Number formats in templates ("{area_km2:,.1f} km²"): the thousands separator and decimal mark
# follow the map's language; a bad format or a number format on a text field is a style error
# (file:line:col, exit 65).
source "$(dirname "$0")/lib.sh"
t_init "$@"

printf 'name,area,lon,lat\nBig,1234567.891,114.5,10.5\nSmall,12.25,114,10\n' >"$WORK/pts.csv"
t_expect_exit 0 -- "$SHOAL" import "$WORK/pts.csv" -o "$WORK/pts.shp"
map_file() { # map_file FILE LANG LAST-LINES: a map of the points in language LANG whose layer
  # ends with LAST-LINES (its label or legend)
  cat >"$1" <<EOF2
map:
  size: [500, 300]
  extent: [113.5, 9.5, 115.5, 11.5]
  lang: $2
layers:
  - name: pts
    data: pts.shp
    marker: circle
$3
EOF2
}
style() { # style LANG TEXT: labels with TEXT (the text is on line 10, from column 13)
  map_file "$WORK/s.yaml" "$1" "    label:
      text: \"$2\""
}
for lang in en vi zh id; do
  style "$lang" "{name}: {area:,.1f} km² / {area:d}"
  t_expect_exit 0 -- "$SHOAL" render "$WORK/s.yaml" -o "$WORK/$lang.pdf"
  pdftotext -raw "$WORK/$lang.pdf" "$WORK/$lang.txt"
done
t_check "en groups with ',' and uses '.'" grep -qF "Big: 1,234,567.9 km² / 1234568" "$WORK/en.txt"
t_check "zh writes numbers as en" grep -qF "Big: 1,234,567.9 km²" "$WORK/zh.txt"
t_check "vi groups with '.' and uses ','" grep -qF "Big: 1.234.567,9 km² / 1234568" "$WORK/vi.txt"
t_check "id groups with '.' and uses ','" grep -qF "Small: 12,2 km² / 12" "$WORK/id.txt"

style en "{area:,.x}"
t_expect_exit 65 -- "$SHOAL" render "$WORK/s.yaml" -o "$WORK/bad.pdf"
t_expect_stderr_has "s.yaml:10:22: error: bad label text: bad number format ',.x'"
style en "{name:,.0f|area}"
t_expect_exit 65 -- "$SHOAL" render "$WORK/s.yaml" -o "$WORK/bad.pdf"
t_expect_stderr_has "s.yaml:10:15: error: field 'name' of"
t_expect_stderr_has "is string, not a number: it cannot take a number format"
t_expect_exit 65 -- "$SHOAL" check "$WORK/s.yaml"

# The legend's {count} takes a format too.
legend() { # legend LANG TEXT
  map_file "$WORK/l.yaml" "$1" "    legend: \"$2\""
}
legend vi "Points: {count:.1f} / {count} / {count:d} / {countx}"
t_expect_exit 0 -- "$SHOAL" render "$WORK/l.yaml" -o "$WORK/l.pdf"
pdftotext -raw "$WORK/l.pdf" "$WORK/l.txt"
t_check "a legend count formatted in vi" grep -qF "Points: 2,0 / 2 / 2 / {countx}" "$WORK/l.txt"
legend en "Points: {count:,x}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/l.yaml"
t_expect_stderr_has "l.yaml:9:30: error: bad legend: bad number format ',x'"
t_done
