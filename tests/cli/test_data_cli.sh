#!/usr/bin/env bash
# CLI tests of `shoal info`, `shoal index` and `shoal import`: output fields and counts of every
# shipped shapefile, .qix creation, exit codes 0/64/65/66/73, no partial output on failure, and
# what each says when given something that is not a shapefile (or CSV).
#   tests/cli/test_data_cli.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

shapes=$ROOT/shapes
expect_shp="shapefiles (.shp with .shx and .dbf beside it)"

# no_output BASE: none of BASE.{shp,shx,dbf,prj,cpg} nor temporaries exist.
no_output() {
  local left
  left=$(ls "$1".* "$(dirname "$1")/.$(basename "$1").shoal-"* 2>/dev/null)
  if [ -z "$left" ]; then t_pass "no output $1.*"; else t_fail "no output $1.*" "left behind: $left"; fi
}

# --- info on every shipped file ---
# name geometry features codepage index
while read -r name geom n cp idx; do
  t_expect_exit 0 -- "$SHOAL" info "$shapes/$name.shp"
  t_expect_stdout_line "File: $shapes/$name.shp"
  t_expect_stdout_line "Geometry: $geom"
  t_expect_stdout_line "Features: $n"
  t_expect_stdout_line "CRS: GCS_WGS_1984 (from .prj)"
  t_expect_stdout_has "Code page: $cp"
  t_expect_stdout_line "Index: $idx"
  t_expect_stderr_empty
done <<'EOF_FILES'
land_f Polygon 15598 LDID/87 .qix present
land_h Polygon 13823 LDID/87 .qix present
zones_modelled Polygon 13 UTF-8 .qix present
zones_modelled_lines PolyLine 37 UTF-8 none (in-memory index)
nine_dash_line PolyLine 9 UTF-8 none (in-memory index)
places Point 84 UTF-8 none (in-memory index)
treaty_lines PolyLine 3 UTF-8 none (in-memory index)
baselines PolyLine 2 UTF-8 none (in-memory index)
zones_overlaps Polygon 36 UTF-8 none (in-memory index)
zones_claim Polygon 7 UTF-8 none (in-memory index)
EOF_FILES

t_expect_exit 0 -- "$SHOAL" info "$shapes/land_f.shp"
t_expect_stdout_line "Extent: x 95.000000 .. 130.000000, y -5.000000 .. 30.000000"
t_expect_stdout_line "Fields: 1"
t_expect_exit 0 -- "$SHOAL" info "$shapes/places.shp"
t_expect_stdout_line "Fields: 13"
for f in id name_en name_zh name_zh_py name_vi name_fil name_ms kind group held_by claimed_by \
  award_2016 source; do
  t_expect_stdout_match "^  $f +string "
done
t_expect_exit 0 -- "$SHOAL" info "$shapes/nine_dash_line.shp"
t_expect_stdout_match '^  dash +integer +1 +0$'
t_expect_stdout_has "  source "
t_expect_exit 0 -- "$SHOAL" info "$shapes/treaty_lines.shp"
for f in line_id name type date; do
  t_expect_stdout_match "^  $f "
done
for z in zones_modelled zones_modelled_lines; do
  t_expect_exit 0 -- "$SHOAL" info "$shapes/$z.shp"
  t_expect_stdout_has "  status "
done
# a base name without .shp still finds the shapefile
t_expect_exit 0 -- "$SHOAL" info "$shapes/places"
t_expect_stdout_line "Features: 84"

# several files at once; a missing one fails with 66 but the others are still reported
t_expect_exit 66 -- "$SHOAL" info "$shapes/places.shp" "$WORK/missing.shp" "$shapes/treaty_lines.shp"
t_expect_stdout_line "Features: 84"
t_expect_stdout_line "Features: 3"
t_expect_stderr_line "shoal: error: cannot open '$WORK/missing.shp': No such file or directory"
t_expect_exit 64 -- "$SHOAL" info
t_expect_exit 64 -- "$SHOAL" info --bogus "$shapes/places.shp"
t_expect_exit 0 -- "$SHOAL" info --help
t_expect_stdout_has "usage: shoal info"

# a damaged file is 65 with a reason
cp "$shapes/nine_dash_line."* "$WORK/" && truncate -s 1000 "$WORK/nine_dash_line.shp"
t_expect_exit 65 -- "$SHOAL" info "$WORK/nine_dash_line.shp"
t_expect_stderr_has "is not a valid shapefile"
rm -f "$WORK/nine_dash_line."*

# --- info on things that are not shapefiles: say what it is and what is expected ---
info_expect="\`shoal info\` reads $expect_shp"
t_expect_exit 65 -- "$SHOAL" info "$ROOT/styles/house.yaml"
t_expect_stderr_line "shoal: error: '$ROOT/styles/house.yaml' is a YAML file, not a shapefile: $info_expect"
t_expect_exit 65 -- "$SHOAL" info "$ROOT/styles"
t_expect_stderr_line "shoal: error: '$ROOT/styles' is a folder, not a shapefile: $info_expect"
# A CSV file (its '#' comment lines skipped) is described through GDAL.
t_expect_exit 0 -- "$SHOAL" info "$ROOT/tests/data/places.csv"
t_expect_stdout_line "Format: CSV (read through GDAL)"
t_expect_stdout_line "Features: 84"
t_expect_exit 65 -- "$SHOAL" info "$shapes/places.dbf"
t_expect_stderr_has "'$shapes/places.dbf' is the attribute table (.dbf) of a shapefile, not its .shp"
t_expect_stderr_has "name its .shp instead: '$shapes/places.shp'"
printf 'just some words\n' >"$WORK/notes"
t_expect_exit 65 -- "$SHOAL" info "$WORK/notes"
t_expect_stderr_has "'$WORK/notes' is a text file, not a shapefile"
cp "$shapes/places.shp" "$WORK/places.bin"
t_expect_exit 65 -- "$SHOAL" info "$WORK/places.bin"
t_expect_stderr_has "'$WORK/places.bin' is a shapefile's .shp under a name that does not end in .shp: $info_expect"
mkdir -p "$WORK/set" && touch "$WORK/set/b.shp" "$WORK/set/a.shp" "$WORK/set/a.dbf"
t_expect_exit 65 -- "$SHOAL" info "$WORK/set"
t_expect_stderr_line "shoal: error: '$WORK/set' is a folder, not a shapefile: $info_expect; it holds 2 shapefiles, such as '$WORK/set/a.shp'"
mkdir -p "$WORK/dir.shp"
t_expect_exit 65 -- "$SHOAL" info "$WORK/dir.shp"
t_expect_stderr_has "'$WORK/dir.shp' is a folder, not a shapefile"
# missing: 66 naming the path as given, never an invented .shp
t_expect_exit 66 -- "$SHOAL" info "$WORK/house.yaml"
t_expect_stderr_line "shoal: error: cannot open '$WORK/house.yaml': No such file or directory"
t_expect_exit 66 -- "$SHOAL" info "$WORK/nothing"
t_expect_stderr_line "shoal: error: cannot open '$WORK/nothing': No such file or directory"
if grep -q "\.yaml\.shp\|nothing\.shp" "$WORK/last.err"; then
  t_fail "no invented .shp path" "$(cat "$WORK/last.err")"
else
  t_pass "no invented .shp path"
fi

# a map's data: key gets the same message, with the key's place as a note
cat >"$WORK/yaml-data.yaml" <<EOF_MAP
map:
  size: [200, 150]
  extent: [111, 7, 118, 12]
layers:
  - name: land
    data: $ROOT/styles/house.yaml
furniture: false
EOF_MAP
t_expect_exit 65 -- "$SHOAL" check "$WORK/yaml-data.yaml"
t_expect_stderr_has "$WORK/yaml-data.yaml:6:11: error: '$ROOT/styles/house.yaml' is a YAML file, not a shapefile"

# --- index ---
for ext in shp shx dbf prj cpg; do cp "$shapes/places.$ext" "$WORK/idx.$ext"; done
t_expect_exit 0 -- "$SHOAL" index "$WORK/idx.shp"
t_check "index created idx.qix" test -s "$WORK/idx.qix"
if ls "$WORK"/.*.tmp.* >/dev/null 2>&1; then t_fail "index left no temporary"; else t_pass "index left no temporary"; fi
t_expect_exit 0 -- "$SHOAL" info "$WORK/idx.shp"
t_expect_stdout_line "Index: .qix present"
t_expect_exit 66 -- "$SHOAL" index "$WORK/none.shp"
t_expect_no_file "$WORK/none.qix"
t_expect_exit 65 -- "$SHOAL" index "$ROOT/styles/house.yaml"
t_expect_stderr_has "is a YAML file, not a shapefile: \`shoal index\` indexes $expect_shp"
t_expect_no_file "$ROOT/styles/house.qix"
t_expect_exit 64 -- "$SHOAL" index

# a .qix older than its .shp is ignored with a warning naming it; `shoal index` replaces it
touch -d '2 hours ago' "$WORK/idx.qix"
t_expect_exit 0 -- "$SHOAL" info "$WORK/idx.shp"
t_expect_stdout_line "Index: .qix ignored (see the warning; in-memory index)"
t_expect_stderr_has "warning: ignoring '$WORK/idx.qix': it is older than '$WORK/idx.shp' (by 2 hours; out of date)"
t_expect_exit 0 -- "$SHOAL" index "$WORK/idx.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/idx.shp"
t_expect_stdout_line "Index: .qix present"
t_expect_stderr_empty

# giant rings (4096 vertices or more) get a chunk index (.scx) beside the .qix; a .shp of
# another time makes it ignored with a warning, and `shoal index` rewrites it
for ext in shp shx dbf prj; do cp "$shapes/land_f.$ext" "$WORK/giant.$ext"; done
t_expect_exit 0 -- "$SHOAL" index "$WORK/giant.shp"
t_expect_stdout_line "$WORK/giant.shp: wrote $WORK/giant.qix and $WORK/giant.scx"
t_expect_exit 0 -- "$SHOAL" info "$WORK/giant.shp"
t_expect_stdout_has "Chunk index: .scx present ("
t_expect_stderr_empty
touch -d '2 hours ago' "$WORK/giant.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/giant.shp"
t_expect_stderr_has "warning: ignoring '$WORK/giant.scx': it was written for another version of the .shp (its size or time differs); giant rings are read whole (rebuild it with 'shoal index $WORK/giant.shp')"
t_expect_exit 0 -- "$SHOAL" index "$WORK/giant.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/giant.shp"
t_expect_stderr_empty
# a file without giant rings gets none
t_expect_no_file "$WORK/idx.scx"

# a bad record: index says what render says (65, the record and why), writes no .qix
for ext in shp shx dbf prj cpg; do cp "$shapes/nine_dash_line.$ext" "$WORK/badrec.$ext"; done
printf '\xe8\x03\x00\x00' | dd of="$WORK/badrec.shp" bs=1 seek=$((100 + 8 + 36)) conv=notrunc status=none
t_expect_exit 65 -- "$SHOAL" index "$WORK/badrec.shp"
t_expect_stderr_has "'$WORK/badrec.shp' is not a valid shapefile: record 1 (shape id 0) cannot be read: 1000 parts and"
t_expect_no_file "$WORK/badrec.qix"

# --- temporaries a kill -9 left: index and import remove those of dead processes ---
# Temporary names are .NAME.shoal-PID@HOST.tmp.XXXXXX[.EXT]; HOST as Shoal writes it.
host=$(hostname | sed 's/[^A-Za-z0-9.-]/_/g')
dead=$(sh -c 'echo $$') # a process that has exited: kill(pid, 0) fails with ESRCH
mkdir -p "$WORK/stale"
for ext in shp shx dbf prj cpg; do cp "$shapes/places.$ext" "$WORK/stale/pl.$ext"; done
: >"$WORK/stale/.pl.qix.shoal-$dead@$host.tmp.Ab12Cd"
: >"$WORK/stale/.pl.qix.shoal-$$@$host.tmp.Ef34Gh"        # this script runs: kept
: >"$WORK/stale/.pl.qix.shoal-$dead@elsewhere.tmp.Ij56Kl" # another host: kept
t_expect_exit 0 -- "$SHOAL" index "$WORK/stale/pl.shp"
t_expect_stderr_has "removed 1 temporary file left in '$WORK/stale' by an interrupted Shoal run"
t_expect_no_file "$WORK/stale/.pl.qix.shoal-$dead@$host.tmp.Ab12Cd"
t_expect_file "$WORK/stale/.pl.qix.shoal-$$@$host.tmp.Ef34Gh"
t_expect_file "$WORK/stale/.pl.qix.shoal-$dead@elsewhere.tmp.Ij56Kl"
rm -f "$WORK/stale/".pl.qix.shoal-*
# import: a whole set of sidecars left beside the output
mkdir -p "$WORK/stale2"
for ext in shp shx dbf prj cpg; do : >"$WORK/stale2/.out.shoal-$dead@$host.tmp.Mn78Op.$ext"; done
t_expect_exit 0 -- "$SHOAL" import "$shapes/places.shp" -o "$WORK/stale2/out.shp"
t_expect_stderr_has "removed 5 temporary files left in '$WORK/stale2' by an interrupted Shoal run"
left=$(ls -A "$WORK/stale2" | grep -c shoal-)
t_check "import removed the dead run's sidecars and left none of its own" test "$left" = 0
t_expect_exit 0 -- "$SHOAL" info "$WORK/stale2/out.shp"
t_expect_stdout_line "Features: 84"

# --- import ---
csv=$WORK/in.csv
printf '# test\nid,name,lon,lat\na,Đảo,114.1,10.2\nb,"x, ""y""",115,11\n' >"$csv"
t_expect_exit 0 -- "$SHOAL" import "$csv" -o "$WORK/pts.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/pts.shp"
t_expect_stdout_line "Geometry: Point"
t_expect_stdout_line "Features: 2"
t_expect_stdout_line "Code page: UTF-8 (from .cpg)"

printf 'dash,seq,lon,lat\n1,2,2,2\n1,1,1,1\n2,1,5,5\n2,2,6,6\n' >"$WORK/l.csv"
t_expect_exit 0 -- "$SHOAL" import --lines --group dash --order=seq "$WORK/l.csv" --output "$WORK/l.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/l.shp"
t_expect_stdout_line "Geometry: PolyLine"
t_expect_stdout_line "Features: 2"

t_expect_exit 0 -- "$SHOAL" import --add-field "note=a model" --rename kind=k "$shapes/zones_modelled_lines.shp" -o "$WORK/z.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/z.shp"
t_expect_stdout_line "Features: 37"
t_expect_stdout_match '^  note +string '
t_expect_stdout_match '^  k +string '
# an added field may not repeat one the input has
t_expect_exit 65 -- "$SHOAL" import --add-field "status=x" "$shapes/zones_modelled_lines.shp" -o "$WORK/out.shp"
t_expect_stderr_line "shoal: error: --add-field status: '$shapes/zones_modelled_lines.shp' already has a field 'status'"
no_output "$WORK/out"

# 64: usage
t_expect_exit 64 -- "$SHOAL" import "$csv"
t_expect_stderr_line "shoal import: no output given (-o OUT.shp)"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import --bogus "$csv" -o "$WORK/out.shp"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import --group dash "$csv" -o "$WORK/out.shp"
t_expect_stderr_line "shoal: error: --group and --order need --lines"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import "$csv" -o "$WORK/out.txt"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import --rename foo "$csv" -o "$WORK/out.shp"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import "$csv" "$csv" -o "$WORK/out.shp"
t_expect_exit 0 -- "$SHOAL" import --help
t_expect_stdout_has "--add-field NAME=VALUE"

# 65: bad data, with file:line and the quoted line
printf 'id,lon,lat\na,1,2\nb,3,95\n' >"$WORK/bad.csv"
t_expect_exit 65 -- "$SHOAL" import "$WORK/bad.csv" -o "$WORK/out.shp"
t_expect_stderr_line "$WORK/bad.csv:3: error: lat 95 is outside -90..90"
t_expect_stderr_line "    3 | b,3,95"
no_output "$WORK/out"
t_expect_exit 65 -- "$SHOAL" import "$ROOT/tests/data/places.csv" -o "$WORK/out.shp"
t_expect_stderr_has "column name 'name_zh_pinyin' is longer than 10 characters"
no_output "$WORK/out"

# 65: coordinates are decimal numbers in range; longitudes past 180 only with --lon-range 0..360
printf 'id,lon,lat\na,0x73,2\n' >"$WORK/hex.csv"
t_expect_exit 65 -- "$SHOAL" import "$WORK/hex.csv" -o "$WORK/out.shp"
t_expect_stderr_line "$WORK/hex.csv:2: error: lon '0x73' is not a decimal number"
t_expect_stderr_line "    2 | a,0x73,2"
no_output "$WORK/out"
printf 'id,lon,lat\na,200,2\n' >"$WORK/east.csv"
t_expect_exit 65 -- "$SHOAL" import "$WORK/east.csv" -o "$WORK/out.shp"
t_expect_stderr_has "$WORK/east.csv:2: error: lon 200 is outside -180..180 (longitudes east of 180 need --lon-range 0..360)"
no_output "$WORK/out"
t_expect_exit 0 -- "$SHOAL" import --lon-range 0..360 "$WORK/east.csv" -o "$WORK/east.shp"
t_expect_exit 0 -- "$SHOAL" info "$WORK/east.shp"
t_expect_stdout_line "Extent: x 200.000000 .. 200.000000, y 2.000000 .. 2.000000"
t_expect_exit 64 -- "$SHOAL" import --lon-range 0..180 "$WORK/east.csv" -o "$WORK/out.shp"
t_expect_stderr_has "--lon-range '0..180': expected -180..180 or 0..360"
no_output "$WORK/out"
t_expect_exit 64 -- "$SHOAL" import --lon-range 0..360 "$shapes/places.shp" -o "$WORK/out.shp"
no_output "$WORK/out"

# 65: not a CSV file or a shapefile
import_expect="\`shoal import\` reads CSV files and $expect_shp"
t_expect_exit 65 -- "$SHOAL" import "$ROOT/styles/house.yaml" -o "$WORK/out.shp"
t_expect_stderr_line "shoal: error: '$ROOT/styles/house.yaml' is a YAML file, not a CSV file or a shapefile: $import_expect"
no_output "$WORK/out"
t_expect_exit 65 -- "$SHOAL" import "$ROOT/styles" -o "$WORK/out.shp"
t_expect_stderr_has "'$ROOT/styles' is a folder, not a CSV file or a shapefile"
no_output "$WORK/out"
t_expect_exit 65 -- "$SHOAL" import "$shapes/places.dbf" -o "$WORK/out.shp"
t_expect_stderr_has "name its .shp instead: '$shapes/places.shp'"
no_output "$WORK/out"

# an existing output survives a failed import untouched
cp "$WORK/pts.shp" "$WORK/keep.shp.orig"
t_expect_exit 65 -- "$SHOAL" import "$WORK/bad.csv" -o "$WORK/pts.shp"
t_check "pts.shp unchanged by a failed import" cmp -s "$WORK/pts.shp" "$WORK/keep.shp.orig"

# 66: missing input
t_expect_exit 66 -- "$SHOAL" import "$WORK/nope.csv" -o "$WORK/out.shp"
t_expect_stderr_line "shoal: error: cannot open '$WORK/nope.csv': No such file or directory"
no_output "$WORK/out"
t_expect_exit 66 -- "$SHOAL" import "$WORK/nope.shp" -o "$WORK/out.shp"
no_output "$WORK/out"

# 73: cannot write
t_expect_exit 73 -- "$SHOAL" import "$csv" -o "$WORK/no/such/dir/out.shp"
t_expect_stderr_has "cannot create"

t_done
