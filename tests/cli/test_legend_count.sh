#!/usr/bin/env bash
# `{count}` in a legend text: the number of features the rule styles inside the map, counted from
# the data (a feature outside the extent or styled by an earlier rule is not counted).
source "$(dirname "$0")/lib.sh"
t_init "$@"

printf 'id,kind,lon,lat\na1,a,114.1,10.1\na2,a,114.5,10.5\na3,a,119.5,10.5\nb1,b,114.2,10.8\nb2,a,114.3,10.3\n' \
  >"$WORK/pts.csv"
# b2 has kind a but is styled by the first rule (id = 'b2'), so it counts there.
t_expect_exit 0 -- "$SHOAL" import "$WORK/pts.csv" -o "$WORK/pts.shp"
cat >"$WORK/count.yaml" <<EOF2
map:
  size: [400, 300]
  extent: [113.5, 9.5, 115.5, 11.5]
layers:
  - name: pts
    data: pts.shp
    marker: circle
    rules:
      - filter: "id = 'b2'"
        fill: "#0000ff"
        legend: "First rule {count}"
      - filter: "kind = 'a'"
        fill: "#ff0000"
        legend: "Kind a: {count} features ({count})"
      - filter: "kind = 'b'"
        fill: "#00ff00"
        legend: "Kind b"
  - name: all
    data: pts.shp
    marker: circle
    legend: "Every point drawn: {count}"
EOF2
# Two lines: one crosses the map with no vertex inside it (counted), one lies east of it (not).
printf 'line,seq,lon,lat\nacross,1,113,10.5\nacross,2,116,10.5\naway,1,120,10\naway,2,121,10\n' \
  >"$WORK/lines.csv"
t_expect_exit 0 -- "$SHOAL" import --lines --group line --order seq "$WORK/lines.csv" -o "$WORK/lines.shp"
cat >>"$WORK/count.yaml" <<EOF2
  - name: lines
    data: lines.shp
    stroke: "#000000"
    legend: "Lines crossing the map: {count}"
EOF2
t_expect_exit 0 -- "$SHOAL" render "$WORK/count.yaml" -o "$WORK/count.pdf"
pdftotext -layout "$WORK/count.pdf" "$WORK/count.txt"
t_check "a rule's {count} is its features inside the map" grep -qF "Kind a: 2 features (2)" "$WORK/count.txt"
t_check "an earlier rule keeps its feature" grep -qF "First rule 1" "$WORK/count.txt"
t_check "a text without {count} is unchanged" grep -qF "Kind b" "$WORK/count.txt"
t_check "a layer's {count} is every feature it draws in the map" grep -qF "Every point drawn: 4" "$WORK/count.txt"
t_check "a line counts when part of it is inside the map" grep -qF "Lines crossing the map: 1" "$WORK/count.txt"
t_check "no {count} left in the legend" bash -c "! grep -qF '{count}' '$WORK/count.txt'"

t_done
