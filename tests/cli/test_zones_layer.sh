#!/usr/bin/env bash
# A layer whose data is computed zones (zones:): computed once into the zones cache
# (SHOAL_CACHE_DIR), reused by later renders and by a style tweak, computed again when an
# input changes; the result drawn and labelled with its areas (golden image); and the style
# errors of the key (file:line:col, exit 65 or 66).
source "$(dirname "$0")/lib.sh"
t_init "$@"

# Two small islands 2 degrees apart (states AA and BB), copied so their dates are ours.
cp "$ROOT/tests/data/zones/pair."* "$WORK/"
export SHOAL_CACHE_DIR="$WORK/cache"
map() { # map [EXTRA-STYLE-LINE]
  cat >"$WORK/m.yaml" <<EOF2
map:
  size: [600, 400]
  extent: [110.5, 6.5, 117.5, 13.5]
  background: "#eaf2f8"
  lang: vi
  title: "Hai đảo"
layers:
  - name: zones
    zones: {from: pair.shp, state-field: state, nm: [12, 200], show: zones}
    stroke: "#555555"
    rules:
      - filter: "state = 'AA'"
        fill: "#f4c7a1"
        legend: "AA"
      - fill: "${1:-#b5d3a8}"
        legend: "BB"
    label: {text: "{state}: {area_km2:,.0f} km²", size: 12}
  - name: limits
    zones: {from: pair.shp, state-field: state, nm: [12, 200], show: limit_lines}
    stroke: "#1f5f8b"
    dash: [4, 3]
  - name: median
    zones: {from: pair.shp, state-field: state, nm: [12, 200], show: medians}
    stroke: "#c0392b"
    stroke-width: 2
  - name: land
    data: pair.shp
    fill: "#555555"
EOF2
}
entries() { find "$WORK/cache/zones" -mindepth 1 -maxdepth 1 -type d | sort; }

map
t_expect_exit 0 -- "$SHOAL" render "$WORK/m.yaml" -o "$WORK/first.png" -o "$WORK/first.pdf"
t_check "one cache entry for the three layers" test "$(entries | wc -l)" -eq 1
entry=$(entries | head -n 1)
t_check "the entry holds the computed files" test -f "$entry/zones.shp" -a -f "$entry/medians.shp"
t_check "no temporary folder is left" bash -c "! ls -A '$WORK/cache/zones' | grep -q tmp"
before=$(stat -c %Y.%y "$entry/key.txt" "$entry/zones.shp")
t_golden zones_layer "$WORK/first.png" 8 40
pdftotext -raw "$WORK/first.pdf" "$WORK/first.txt"
t_check "areas labelled in the map's number format (vi)" grep -qE "AA: [0-9]{3}\.[0-9]{3} km²" \
  "$WORK/first.txt"

t_expect_exit 0 -- "$SHOAL" render "$WORK/m.yaml" -o "$WORK/second.png"
t_check "a second render reuses the cache" test "$before" = "$(stat -c %Y.%y "$entry/key.txt" "$entry/zones.shp")"
t_check "and draws the same" cmp -s "$WORK/first.png" "$WORK/second.png"
map "#99cc99"
t_expect_exit 0 -- "$SHOAL" render "$WORK/m.yaml" -o "$WORK/tweak.png"
t_check "a style tweak reuses the cache" test "$(entries | wc -l)" -eq 1
t_check "and leaves it alone" test "$before" = "$(stat -c %Y.%y "$entry/key.txt" "$entry/zones.shp")"
touch -d "2001-01-01 00:00:00" "$WORK/pair.dbf"
t_expect_exit 0 -- "$SHOAL" render "$WORK/m.yaml" -o "$WORK/changed.png"
t_check "a changed input is computed again" test "$(entries | wc -l)" -eq 2

# On a terminal one line says that zones are computed, and where they are kept; a temporary
# folder a killed process left behind more than a day ago is removed.
mkdir -p "$WORK/cache/zones/.tmp-stale1"
touch -d "2001-01-01 00:00:00" "$WORK/cache/zones/.tmp-stale1"
mkdir -p "$WORK/cache/zones/.tmp-fresh1"
touch "$WORK/pair.dbf"
if command -v script >/dev/null; then
  script -qec "'$SHOAL' render '$WORK/m.yaml' -o '$WORK/tty.png'" /dev/null >"$WORK/tty.out" 2>&1
  t_check "on a terminal: one 'computing zones' line" test "$(grep -c 'computing zones from .*pair.shp (cached in .*/cache/zones/[0-9a-f]*)\.\.\.' "$WORK/tty.out")" -eq 1
  script -qec "'$SHOAL' render '$WORK/m.yaml' -o '$WORK/tty.png'" /dev/null >"$WORK/tty2.out" 2>&1
  t_check "and none when the cache has them" bash -c "! grep -q 'computing zones' '$WORK/tty2.out'"
  t_check "a stale temporary folder is removed" test ! -e "$WORK/cache/zones/.tmp-stale1"
  t_check "a recent one is left alone" test -d "$WORK/cache/zones/.tmp-fresh1"
fi
rm -rf "$WORK/cache/zones/.tmp-fresh1"

# Two processes at once with an empty cache: one computes, the other waits and reuses it.
if command -v script >/dev/null; then
  for i in 1 2; do
    SHOAL_CACHE_DIR="$WORK/cache2" script -qec "'$SHOAL' render '$WORK/m.yaml' -o '$WORK/par$i.png'" \
      /dev/null >"$WORK/par$i.out" 2>&1 &
  done
  wait
  t_check "both parallel renders drew the map" cmp -s "$WORK/par1.png" "$WORK/par2.png"
  t_check "the zones were computed once" test "$(cat "$WORK"/par[12].out | grep -c 'computing zones')" -eq 1
  t_check "into one cache entry" test "$(find "$WORK/cache2/zones" -mindepth 1 -maxdepth 1 -type d | wc -l)" -eq 1
fi

# Style errors.
layer() { # layer ZONES-VALUE [EXTRA-KEY-LINE]
  printf 'map:\n  extent: [110, 6, 118, 14]\nlayers:\n  - name: z\n    zones: %s\n%s' "$1" \
    "${2:+    $2
}" >"$WORK/bad.yaml"
}
layer "{from: pair.shp, state-field: state, colour: red}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:"
t_expect_stderr_has "bad.yaml:5:49: error: unknown key 'colour' in zones"
layer "{state-field: state}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:12: error: zones needs 'from'"
layer "{from: pair.shp}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:12: error: zones needs 'state-field'"
layer "{from: nowhere.shp, state-field: state}"
t_expect_exit 66 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:19: error: cannot find data file 'nowhere.shp'"
layer "{from: pair.shp, state-field: state}" "data: pair.shp"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:12: error: layer 'z' has both 'data' and 'zones': give one"
layer "{from: pair.shp, state-field: state, show: claims}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "unknown zones show 'claims' (did you mean 'claim'?)"
layer "{from: pair.shp, state-field: state, show: claim}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "show: claim needs a 'claim' line in zones"
layer "{from: pair.shp, state-field: state, nm: [0, 12]}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "nm must be more than 0"
# Errors of the computation itself are reported at the zones: key.
layer "{from: pair.shp, state-field: iso2}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:12: error: zones of layer 'z': "
t_expect_stderr_has "iso2"
layer "{from: pair.shp, state-field: state, states: [AA, XX]}"
t_expect_exit 65 -- "$SHOAL" check "$WORK/bad.yaml"
t_expect_stderr_has "bad.yaml:5:12: error: zones of layer 'z': "
t_expect_stderr_has "XX"
t_done
