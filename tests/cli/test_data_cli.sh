#!/usr/bin/env bash
# CLI tests of `shoal info`, `shoal index` and `shoal import`: output fields and counts of every
# shipped shapefile, .qix creation, exit codes 0/64/65/66/73 and no partial output on failure.
#   tests/cli/test_data_cli.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
set -u

shoal=${1:?usage: test_data_cli.sh SHOAL REPO SCRATCH}
repo=${2:?usage: test_data_cli.sh SHOAL REPO SCRATCH}
scratch=${3:?usage: test_data_cli.sh SHOAL REPO SCRATCH}
shapes=$repo/shapes
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() {
  fail=$((fail + 1))
  echo "FAIL: $*" >&2
}

# run EXPECTED_STATUS CMD...: run with stdout/stderr captured in $out/$err.
run() {
  local want=$1
  shift
  "$@" >"$scratch/stdout" 2>"$scratch/stderr"
  status=$?
  out=$(cat "$scratch/stdout")
  err=$(cat "$scratch/stderr")
  if [ "$status" -eq "$want" ]; then ok; else bad "exit $status, wanted $want: $*"$'\n'"$err"; fi
}

has() { # has TEXT WHAT: $out (or $err with WHAT=err) contains a line equal to TEXT
  local hay=$out
  [ "${2:-}" = err ] && hay=$err
  if grep -qxF -- "$1" <<<"$hay"; then ok; else bad "missing line '$1' in:"$'\n'"$hay"; fi
}

contains() { # contains TEXT [err]: substring anywhere
  local hay=$out
  [ "${2:-}" = err ] && hay=$err
  if grep -qF -- "$1" <<<"$hay"; then ok; else bad "missing '$1' in:"$'\n'"$hay"; fi
}

no_output() { # no_output BASE: none of BASE.{shp,shx,dbf,prj,cpg} nor temporaries exist
  local left
  left=$(ls "$1".* "$1".tmp-* 2>/dev/null)
  if [ -z "$left" ]; then ok; else bad "left behind: $left"; fi
}

rm -rf "$scratch"
mkdir -p "$scratch"

# --- info on every shipped file ---
# name geometry features codepage index
while read -r name geom n cp idx; do
  run 0 "$shoal" info "$shapes/$name.shp"
  has "File: $shapes/$name.shp"
  has "Geometry: $geom"
  has "Features: $n"
  has "CRS: GCS_WGS_1984 (from .prj)"
  contains "Code page: $cp"
  has "Index: $idx"
  if [ -z "$err" ]; then ok; else bad "info $name wrote to stderr: $err"; fi
done <<'EOF'
land_f Polygon 15598 LDID/87 .qix present
land_h Polygon 13823 LDID/87 .qix present
zones_modelled Polygon 13 UTF-8 .qix present
zones_modelled_lines PolyLine 32 UTF-8 none (in-memory index)
nine_dash_line PolyLine 9 UTF-8 none (in-memory index)
places Point 27 UTF-8 none (in-memory index)
treaty_lines PolyLine 5 UTF-8 none (in-memory index)
EOF

run 0 "$shoal" info "$shapes/land_f.shp"
has "Extent: x 95.000000 .. 130.000000, y -5.000000 .. 30.000000"
has "Fields: 1"
run 0 "$shoal" info "$shapes/places.shp"
has "Fields: 9"
for f in id name_en name_zh name_zh_py name_vi name_fil kind held_by source; do
  if grep -qE "^  $f +string " <<<"$out"; then ok; else bad "places: no string field $f"; fi
done
run 0 "$shoal" info "$shapes/nine_dash_line.shp"
if grep -qE '^  dash +integer +1 +0$' <<<"$out"; then ok; else bad "nine_dash_line: dash field"; fi
contains "  source "
run 0 "$shoal" info "$shapes/treaty_lines.shp"
for f in line_id name type date; do
  if grep -qE "^  $f " <<<"$out"; then ok; else bad "treaty_lines: no field $f"; fi
done
for z in zones_modelled zones_modelled_lines; do
  run 0 "$shoal" info "$shapes/$z.shp"
  contains "  status "
done

# several files at once; a missing one fails with 66 but the others are still reported
run 66 "$shoal" info "$shapes/places.shp" "$scratch/missing.shp" "$shapes/treaty_lines.shp"
has "Features: 27"
has "Features: 5"
has "shoal: error: cannot open '$scratch/missing.shp': No such file or directory" err
run 64 "$shoal" info
run 64 "$shoal" info --bogus "$shapes/places.shp"
run 0 "$shoal" info --help
contains "usage: shoal info"

# a damaged file is 65 with a reason
cp "$shapes/nine_dash_line."* "$scratch/" && truncate -s 1000 "$scratch/nine_dash_line.shp"
run 65 "$shoal" info "$scratch/nine_dash_line.shp"
contains "is not a valid shapefile" err
rm -f "$scratch/nine_dash_line."*

# --- index ---
for ext in shp shx dbf prj cpg; do cp "$shapes/places.$ext" "$scratch/idx.$ext"; done
run 0 "$shoal" index "$scratch/idx.shp"
if [ -s "$scratch/idx.qix" ]; then ok; else bad "index did not create idx.qix"; fi
if ls "$scratch"/*.qix.tmp >/dev/null 2>&1; then bad "index left a temporary"; else ok; fi
run 0 "$shoal" info "$scratch/idx.shp"
has "Index: .qix present"
run 66 "$shoal" index "$scratch/none.shp"
if [ -e "$scratch/none.qix" ]; then bad "index of a missing file wrote a .qix"; else ok; fi
run 64 "$shoal" index

# --- import ---
csv=$scratch/in.csv
printf '# test\nid,name,lon,lat\na,Đảo,114.1,10.2\nb,"x, ""y""",115,11\n' >"$csv"
run 0 "$shoal" import "$csv" -o "$scratch/pts.shp"
run 0 "$shoal" info "$scratch/pts.shp"
has "Geometry: Point"
has "Features: 2"
has "Code page: UTF-8 (from .cpg)"

printf 'dash,seq,lon,lat\n1,2,2,2\n1,1,1,1\n2,1,5,5\n2,2,6,6\n' >"$scratch/l.csv"
run 0 "$shoal" import --lines --group dash --order=seq "$scratch/l.csv" --output "$scratch/l.shp"
run 0 "$shoal" info "$scratch/l.shp"
has "Geometry: PolyLine"
has "Features: 2"

run 0 "$shoal" import --add-field "note=a model" --rename kind=k "$shapes/zones_modelled_lines.shp" -o "$scratch/z.shp"
run 0 "$shoal" info "$scratch/z.shp"
has "Features: 32"
if grep -qE '^  note +string ' <<<"$out" && grep -qE '^  k +string ' <<<"$out"; then ok; else bad "z.shp fields"; fi
# an added field may not repeat one the input has
run 65 "$shoal" import --add-field "status=x" "$shapes/zones_modelled_lines.shp" -o "$scratch/out.shp"
has "shoal: error: --add-field status: '$shapes/zones_modelled_lines.shp' already has a field 'status'" err
no_output "$scratch/out"

# 64: usage
run 64 "$shoal" import "$csv"
has "shoal import: no output given (-o OUT.shp)" err
no_output "$scratch/out"
run 64 "$shoal" import --bogus "$csv" -o "$scratch/out.shp"
no_output "$scratch/out"
run 64 "$shoal" import --group dash "$csv" -o "$scratch/out.shp"
has "shoal: error: --group and --order need --lines" err
no_output "$scratch/out"
run 64 "$shoal" import "$csv" -o "$scratch/out.txt"
no_output "$scratch/out"
run 64 "$shoal" import --rename foo "$csv" -o "$scratch/out.shp"
no_output "$scratch/out"
run 64 "$shoal" import "$csv" "$csv" -o "$scratch/out.shp"
run 0 "$shoal" import --help
contains "--add-field NAME=VALUE"

# 65: bad data, with file:line and the quoted line
printf 'id,lon,lat\na,1,2\nb,3,95\n' >"$scratch/bad.csv"
run 65 "$shoal" import "$scratch/bad.csv" -o "$scratch/out.shp"
has "$scratch/bad.csv:3: error: lat 95 is outside -90..90" err
has "    3 | b,3,95" err
no_output "$scratch/out"
run 65 "$shoal" import "$repo/tests/data/places.csv" -o "$scratch/out.shp"
contains "column name 'name_zh_pinyin' is longer than 10 characters" err
no_output "$scratch/out"

# an existing output survives a failed import untouched
cp "$scratch/pts.shp" "$scratch/keep.shp.orig"
run 65 "$shoal" import "$scratch/bad.csv" -o "$scratch/pts.shp"
if cmp -s "$scratch/pts.shp" "$scratch/keep.shp.orig"; then ok; else bad "pts.shp changed by a failed import"; fi

# 66: missing input
run 66 "$shoal" import "$scratch/nope.csv" -o "$scratch/out.shp"
has "shoal: error: cannot open '$scratch/nope.csv': No such file or directory" err
no_output "$scratch/out"
run 66 "$shoal" import "$scratch/nope.shp" -o "$scratch/out.shp"
no_output "$scratch/out"

# 73: cannot write
run 73 "$shoal" import "$csv" -o "$scratch/no/such/dir/out.shp"
contains "cannot create" err

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
