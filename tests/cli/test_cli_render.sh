#!/usr/bin/env bash
# CLI tests of `shoal render` and `shoal check`: usage exit codes, the exact file:line:col
# message of every bad-input class, broken data, no partial output, real text in PDF, index
# and --scale.
#   tests/cli/test_cli_render.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

S=$ROOT/shapes
MIN=$ROOT/styles/minimal.yaml
cd "$WORK" || t_die "cannot cd to $WORK"

# t_expect_same FILE1 FILE2 DESCRIPTION: byte-identical files.
t_expect_same() {
    if cmp -s -- "$1" "$2"; then
        t_pass "$3"
    else
        t_fail "$3" "$1 and $2 differ"
    fi
}

# t_expect_no_temps DIR: no temporary output (.NAME.shoal-PID@HOST.tmp.XXXXXX) left in DIR.
t_expect_no_temps() {
    local left
    left=$(find "$1" -maxdepth 1 -name '*.tmp.*' 2>/dev/null)
    if [[ -z "$left" ]]; then
        t_pass "no temporary files left in $1"
    else
        t_fail "no temporary files left in $1" "$left"
    fi
}

# caret COL: the caret line printed under a quoted source line for column COL.
caret() {
    printf '      | %*s^' $(($1 - 1)) ''
}

# t_expect_stderr_lines N: stderr has exactly N lines (message + quote + caret = 3 per error).
t_expect_stderr_lines() {
    local n
    n=$(wc -l <"$WORK/last.err")
    if [[ "$n" -eq "$1" ]]; then
        t_pass "stderr has $1 lines"
    else
        t_fail "stderr has $1 lines" "it has $n:" "$(cat "$WORK/last.err")"
    fi
}

# ---------------------------------------------------------------- usage (64)
t_expect_exit 0 -- "$SHOAL" --version
t_expect_stdout_has "shoal 0."
t_expect_exit 0 -- "$SHOAL" --help
t_expect_stdout_has "usage: shoal <command> [options]"
t_expect_stdout_has "render   draw one map to PNG, PDF or SVG"
t_expect_exit 0 -- "$SHOAL" render --help
t_expect_exit 64 -- "$SHOAL"
t_expect_stderr_has "usage: shoal <command> [options]"
t_expect_exit 64 -- "$SHOAL" rendr "$MIN" -o "$WORK/u.png"
t_expect_stderr_has "shoal: unknown command 'rendr' (did you mean 'render'?)"
t_expect_exit 64 -- "$SHOAL" render "$MIN"
t_expect_stderr_has "shoal render: needs an output: -o OUT.png, OUT.pdf or OUT.svg"
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --bogus
t_expect_stderr_has "shoal render: unknown option '--bogus'"
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --size 12
t_expect_stderr_has "shoal render: --size needs WIDTHxHEIGHT in pixels (16 to 20000), not '12'"
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --size 400x0
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --size 400x30000
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --scale abc
t_expect_stderr_has "shoal render: --scale needs a number from 0.1 to 8, not 'abc'"
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --scale 0
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --scale 9
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/u.png" --set nokey
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/x.gif"
t_expect_stderr_has "cannot tell the format of '$WORK/x.gif' (use .png, .pdf or .svg)"
t_expect_no_file "$WORK/x.gif"
t_expect_no_file "$WORK/u.png"

# ---------------------------------------------------------------- bad input, one class per file
HEAD='map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
layers:'

# unknown key: did you mean, position, quoted line and caret
cat >unknown-key.yaml <<EOF
$HEAD
  - name: land
    data: $S/land_h.shp
    fil: "#00ff00"
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/unknown-key.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/unknown-key.yaml:7:5: error: unknown key 'fil' in layer (did you mean 'fill'?)"
t_expect_stderr_has "    7 |     fil: \"#00ff00\""
t_expect_stderr_has "$(caret 5)"
t_expect_stderr_lines 3
t_expect_no_file "$WORK/e.png"

# wrong type
cat >wrong-type.yaml <<EOF
$HEAD
  - name: land
    data: $S/land_h.shp
    stroke-width: thick
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/wrong-type.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/wrong-type.yaml:7:19: error: stroke-width must be a number, not 'thick'"
t_expect_stderr_has "$(caret 19)"

# bad colour (malformed hex)
cat >bad-colour.yaml <<EOF
$HEAD
  - name: land
    data: $S/land_h.shp
    fill: "#12345"
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/bad-colour.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/bad-colour.yaml:7:11: error: bad colour '#12345' for fill (use #rgb, #rrggbb, #rrggbbaa or a CSS name)"

# bad colour (misspelt name)
cat >bad-colour-name.yaml <<EOF
$HEAD
  - name: land
    data: $S/land_h.shp
    stroke: gren
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/bad-colour-name.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/bad-colour-name.yaml:7:13: error: bad colour 'gren' for stroke (did you mean 'green'?)"

# bad filter syntax: the column points into the filter text
cat >bad-filter.yaml <<EOF
$HEAD
  - name: places
    data: $S/places.shp
    marker: circle
    rules:
      - filter: "kind = 'reef' and"
        fill: red
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/bad-filter.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/bad-filter.yaml:9:35: error: bad filter: expected a field name"

# filter on a field the DBF doesn't have: did you mean over its fields
cat >missing-field.yaml <<EOF
$HEAD
  - name: places
    data: $S/places.shp
    marker: circle
    rules:
      - filter: "kind = 'reef' and helb_by = 'CN'"
        fill: red
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/missing-field.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/missing-field.yaml:9:36: error: filter field 'helb_by' is not in '$S/places.shp' (did you mean 'held_by'?)"
t_expect_stderr_has "$(caret 36)"
t_expect_no_file "$WORK/e.png"

# missing data file: 66, at the data: value
cat >missing-data.yaml <<EOF
$HEAD
  - name: land
    data: nothere.shp
EOF
t_expect_exit 66 -- "$SHOAL" render "$WORK/missing-data.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/missing-data.yaml:6:11: error: cannot find data file 'nothere.shp' (looked in '$WORK/nothere.shp', 'nothere.shp', '$ROOT/styles/nothere.shp', '$ROOT/nothere.shp')"
t_expect_no_file "$WORK/e.png"

# missing map file: 66
t_expect_exit 66 -- "$SHOAL" render "$WORK/nothere.yaml" -o "$WORK/e.png"
t_expect_stderr_has "shoal: error: cannot read '$WORK/nothere.yaml': No such file or directory"

# unknown CRS: 65, at the crs: value, with PROJ's reason
cat >unknown-crs.yaml <<EOF
map:
  size: [400, 300]
  crs: "EPSG:999999"
  extent: [105, 2, 122, 20]
layers:
  - name: land
    data: $S/land_h.shp
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/unknown-crs.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/unknown-crs.yaml:3:8: error: unknown CRS 'EPSG:999999': "
t_expect_stderr_has "crs not found"

# an error in an included file names the included file
cat >inc-bad.yaml <<EOF
classes:
  land:
    fill: "#00ff00"
    strok: red
EOF
cat >includer.yaml <<EOF
include: inc-bad.yaml
$HEAD
  - name: land
    data: $S/land_h.shp
    use: land
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/includer.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/inc-bad.yaml:4:5: error: unknown key 'strok' in class (did you mean 'stroke'?)"
t_expect_stderr_has "    4 |     strok: red"

# two errors in one file: both reported, in order
cat >two-errors.yaml <<EOF
map:
  size: [400, 300]
  extent: [105, 2, 122, 20]
  backgroud: "#fff"
layers:
  - name: land
    data: $S/land_h.shp
    fill: "#zzzzzz"
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/two-errors.yaml" -o "$WORK/e.png"
t_expect_stderr_has "$WORK/two-errors.yaml:4:3: error: unknown key 'backgroud' in map (did you mean 'background'?)"
t_expect_stderr_has "$WORK/two-errors.yaml:8:11: error: bad colour '#zzzzzz' for fill (use #rgb, #rrggbb, #rrggbbaa or a CSS name)"
t_expect_stderr_lines 6
if grep -n 'error:' "$WORK/last.err" | cut -d: -f1 | tr '\n' ' ' | grep -qx '1 4 '; then
    t_pass "two errors printed in file order"
else
    t_fail "two errors printed in file order" "$(cat "$WORK/last.err")"
fi

# --set of a bad value: the message points into the --set text
t_expect_exit 65 -- "$SHOAL" render "$MIN" -o "$WORK/e.png" --set map.background=blu
t_expect_stderr_has "--set map.background:1:1: error: bad colour 'blu' for background (did you mean 'blue'?)"
t_expect_stderr_has "    1 | blu"
t_expect_exit 65 -- "$SHOAL" render "$MIN" -o "$WORK/e.png" --set 'extent=[105, 20, 122, 2]'
t_expect_stderr_has "--set extent:1:1: error: extent must be [west, south, east, north] with west < east and south < north"
# (a --set path that names nothing is a command-line mistake: 64)
t_expect_exit 64 -- "$SHOAL" render "$MIN" -o "$WORK/e.png" --set layers.lnd.fill=red
t_expect_stderr_has "shoal: error: --set layers.lnd.fill: no item named 'lnd' in 'layers' (did you mean 'land'?)"
t_expect_no_file "$WORK/e.png"
# ...and a good --set still renders
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/set-ok.png" --set map.background=blue --set 'size=[64,48]'
t_expect_file "$WORK/set-ok.png"

# ---------------------------------------------------------------- broken shapefiles
for e in shp shx dbf prj cpg; do cp "$S/places.$e" "$WORK/broken.$e"; done
truncate -s 300 "$WORK/broken.shp"
cat >broken.yaml <<EOF
$HEAD
  - name: places
    data: broken.shp
    marker: circle
EOF
t_expect_exit 65 -- "$SHOAL" render "$WORK/broken.yaml" -o "$WORK/e.png"
t_expect_stderr_has "'$WORK/broken.shp' is not a valid shapefile: header says 2452 bytes but the file has 300 (truncated?)"
t_expect_no_file "$WORK/e.png"
# a record offset in the .shx that points past the end of the .shp
for e in shp shx dbf prj cpg; do cp "$S/places.$e" "$WORK/badshx.$e"; done
printf '\x7f\xff\xff\xf0' | dd of="$WORK/badshx.shx" bs=1 seek=$((100 + 5 * 8)) conv=notrunc status=none
sed 's/broken.shp/badshx.shp/' broken.yaml >badshx.yaml
t_expect_exit 65 -- "$SHOAL" render "$WORK/badshx.yaml" -o "$WORK/e.png"
t_expect_stderr_has "'$WORK/badshx.shx' does not match '$WORK/badshx.shp': its record 6 lies beyond the end of the .shp"
t_expect_no_file "$WORK/e.png"

# ---------------------------------------------------------------- no partial output
mkdir -p "$WORK/keep"
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/keep/out.png" --size 200x150
before=$(md5sum <"$WORK/keep/out.png")
for bad in missing-data unknown-key unknown-crs missing-field broken; do
    t_expect_exit "$(case $bad in missing-data) echo 66 ;; *) echo 65 ;; esac)" -- \
        "$SHOAL" render "$WORK/$bad.yaml" -o "$WORK/keep/out.png"
    if [[ "$(md5sum <"$WORK/keep/out.png")" == "$before" ]]; then
        t_pass "out.png unchanged after a failed render ($bad)"
    else
        t_fail "out.png unchanged after a failed render ($bad)"
    fi
done
t_expect_no_temps "$WORK/keep"
if [[ "$(ls "$WORK/keep")" == "out.png" ]]; then
    t_pass "keep/ holds only out.png"
else
    t_fail "keep/ holds only out.png" "$(ls -a "$WORK/keep")"
fi

# cannot write: 73, nothing left behind
t_expect_exit 73 -- "$SHOAL" render "$MIN" -o "$WORK/no/such/dir/out.png"
t_expect_stderr_has "shoal: error: cannot write '$WORK/no/such/dir/out.png': No such file or directory"
touch "$WORK/plainfile"
t_expect_exit 73 -- "$SHOAL" render "$MIN" -o "$WORK/plainfile/out.pdf"
t_expect_stderr_has "Not a directory"
# the target is a directory: the temporary is written, then the rename fails
mkdir -p "$WORK/keep/dir.png"
t_expect_exit 73 -- "$SHOAL" render "$MIN" -o "$WORK/keep/dir.png" --size 200x150
t_expect_stderr_has "shoal: error: cannot write '$WORK/keep/dir.png': Is a directory"
t_expect_no_temps "$WORK/keep"
rmdir "$WORK/keep/dir.png"
if [[ $(id -u) -ne 0 ]]; then
    # (root ignores directory permissions)
    mkdir -p "$WORK/ro" && chmod 555 "$WORK/ro"
    t_expect_exit 73 -- "$SHOAL" render "$MIN" -o "$WORK/ro/out.png"
    t_expect_no_file "$WORK/ro/out.png"
    chmod 755 "$WORK/ro"
fi

# ---------------------------------------------------------------- PDF keeps real text
t_expect_exit 0 -- "$SHOAL" render "$ROOT/styles/south-china-sea.yaml" -o "$WORK/scs.pdf"
if pdftotext "$WORK/scs.pdf" "$WORK/scs.txt" 2>"$WORK/pdftotext.err"; then
    if grep -qF "South China Sea" "$WORK/scs.txt"; then
        t_pass "PDF text has the title 'South China Sea'"
    else
        t_fail "PDF text has the title 'South China Sea'" "pdftotext gave:" "$(head -c 2000 "$WORK/scs.txt")"
    fi
    if grep -qF "modelled 200-nautical-mile zones" "$WORK/scs.txt"; then
        t_pass "PDF text has the subtitle"
    else
        t_fail "PDF text has the subtitle" "$(head -c 2000 "$WORK/scs.txt")"
    fi
else
    t_fail "pdftotext reads scs.pdf" "$(cat "$WORK/pdftotext.err")"
fi
t_expect_no_temps "$WORK"

# ---------------------------------------------------------------- check
t_expect_exit 0 -- "$SHOAL" check "$ROOT/styles/minimal.yaml" "$ROOT/styles/south-china-sea.yaml"
t_expect_stderr_has "$ROOT/styles/minimal.yaml: ok"
t_expect_stderr_has "$ROOT/styles/south-china-sea.yaml: ok"
# every shipped file, style files (include-only, no layers) among them
t_expect_exit 0 -- "$SHOAL" check "$ROOT"/styles/*.yaml
# check of bad files: every error of every file, exit 65, nothing drawn
t_expect_exit 65 -- "$SHOAL" check "$WORK/two-errors.yaml" "$WORK/unknown-key.yaml" "$MIN"
t_expect_stderr_has "$WORK/two-errors.yaml:4:3: error: unknown key 'backgroud' in map"
t_expect_stderr_has "$WORK/two-errors.yaml:8:11: error: bad colour '#zzzzzz' for fill"
t_expect_stderr_has "$WORK/unknown-key.yaml:7:5: error: unknown key 'fil' in layer"
t_expect_stderr_has "$MIN: ok"
t_expect_exit 65 -- "$SHOAL" check "$WORK/missing-field.yaml"
t_expect_stderr_has "$WORK/missing-field.yaml:9:36: error: filter field 'helb_by'"
t_expect_exit 66 -- "$SHOAL" check "$WORK/missing-data.yaml"
t_expect_exit 65 -- "$SHOAL" check "$MIN" --set map.background=blu
t_expect_exit 64 -- "$SHOAL" check

# ---------------------------------------------------------------- info and index
t_expect_exit 0 -- "$SHOAL" info "$S/places.shp"
t_expect_stdout_has "Geometry: Point"
t_expect_stdout_has "Fields: 13"
for f in id name_en name_zh name_vi kind held_by; do
    if grep -qE "^  $f +string " "$WORK/last.out"; then
        t_pass "info lists field $f"
    else
        t_fail "info lists field $f" "$(cat "$WORK/last.out")"
    fi
done

for e in shp shx dbf prj; do cp "$S/land_h.$e" "$WORK/idx.$e"; done
cat >idx.yaml <<EOF
map:
  size: [400, 300]
  extent: [113, 9, 117, 12]
  background: "#0000ff"
layers:
  - name: land
    data: idx.shp
    fill: "#00ff00"
    stroke: "#000000"
EOF
t_expect_exit 0 -- "$SHOAL" info "$WORK/idx.shp"
t_expect_stdout_has "Index: none (in-memory index)"
t_expect_exit 0 -- "$SHOAL" render "$WORK/idx.yaml" -o "$WORK/noqix.png"
t_expect_exit 0 -- "$SHOAL" index "$WORK/idx.shp"
t_expect_file "$WORK/idx.qix"
t_expect_exit 0 -- "$SHOAL" info "$WORK/idx.shp"
t_expect_stdout_has "Index: .qix present"
t_expect_exit 0 -- "$SHOAL" render "$WORK/idx.yaml" -o "$WORK/qix.png"
t_expect_same "$WORK/noqix.png" "$WORK/qix.png" "render with the .qix is identical to without"
# and the same as the shipped file with its shipped .qix
sed "s|idx.shp|$S/land_h.shp|" idx.yaml >idx-shipped.yaml
t_expect_exit 0 -- "$SHOAL" render "$WORK/idx-shipped.yaml" -o "$WORK/shipped.png"
t_expect_same "$WORK/noqix.png" "$WORK/shipped.png" "render with the shipped .qix is identical"

# ---------------------------------------------------------------- --scale, --size
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/s1.png" --size 400x300
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/s2.png" --size 400x300 --scale 2
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/s3.png" --size 400x300 --set scale=3
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/m.png"
for pair in "s1.png:400 300" "s2.png:800 600" "s3.png:1200 900" "m.png:800 600"; do
    f=${pair%%:*}
    want=${pair#*:}
    got=$("$SHOAL_IMGDIFF" --size "$WORK/$f" 2>&1)
    if [[ "$got" == "$want" ]]; then
        t_pass "$f is $want px"
    else
        t_fail "$f is $want px" "imgdiff --size says: $got"
    fi
done
# --scale changes pixels, not the layout: the PDF page stays 400x300 CSS px = 300x225 pt
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/p1.pdf" --size 400x300
t_expect_exit 0 -- "$SHOAL" render "$MIN" -o "$WORK/p2.pdf" --size 400x300 --scale 2
p1=$(pdfinfo "$WORK/p1.pdf" 2>&1 | grep '^Page size')
p2=$(pdfinfo "$WORK/p2.pdf" 2>&1 | grep '^Page size')
if [[ -n "$p1" && "$p1" == "$p2" && "$p1" == *"300 x 225 pts"* ]]; then
    t_pass "PDF page is 300 x 225 pt at --scale 1 and 2"
else
    t_fail "PDF page is 300 x 225 pt at --scale 1 and 2" "scale 1: $p1" "scale 2: $p2"
fi

t_expect_no_temps "$WORK"
t_done
