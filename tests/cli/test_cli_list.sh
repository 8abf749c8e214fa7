#!/usr/bin/env bash
# CLI tests of `shoal list` and `shoal list --places`, and of map names found along the search
# path (the current folder, $SHOAL_PATH, then the repository's styles/ for a build-tree binary).
#   tests/cli/test_cli_list.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"
mkdir -p "$WORK/here" "$WORK/mine"
cd "$WORK/here" || t_die "cannot cd to $WORK/here"
unset SHOAL_PATH

# ---------------------------------------------------------------- list
t_expect_exit 0 -- "$SHOAL" list
t_expect_stdout_has "maps (shoal render NAME):"
t_expect_stdout_has "south-china-sea        South China Sea"
t_expect_stdout_has "spratlys               Spratly Islands"
t_expect_stdout_has "$ROOT/styles/spratlys.yaml"
t_expect_stdout_has "batch files (shoal batch NAME):"
t_expect_stdout_has "  article "
t_expect_stdout_has "styles (include: FILE):"
t_expect_stdout_has "  house "

# a map in a SHOAL_PATH folder, with per-language titles: the English one is shown
cat >"$WORK/mine/tiny.yaml" <<EOF
map:
  size: [64, 48]
  extent: [105, 2, 122, 20]
  title: {vi: "Nhỏ", en: "Tiny map", zh: "小"}
layers:
  - name: land
    data: $ROOT/shapes/land_h.shp
furniture: false
EOF
t_expect_exit 0 -- env SHOAL_PATH="$WORK/mine" "$SHOAL" list
t_expect_stdout_has "tiny                   Tiny map"
t_expect_stdout_has "$WORK/mine/tiny.yaml"
# a name in the current folder hides the same name further on
cp "$WORK/mine/tiny.yaml" "$WORK/here/spratlys.yaml"
t_expect_exit 0 -- "$SHOAL" list
t_expect_stdout_has "spratlys               Tiny map"
if grep -q "$ROOT/styles/spratlys.yaml" "$WORK/last.out"; then
    t_fail "the hidden spratlys.yaml is not listed"
else
    t_pass "the hidden spratlys.yaml is not listed"
fi
rm "$WORK/here/spratlys.yaml"
t_expect_exit 0 -- "$SHOAL" list --names map
t_expect_stdout_has "south-china-sea"

# ---------------------------------------------------------------- list --places
t_expect_exit 0 -- "$SHOAL" list --places
t_expect_stdout_has "Vietnamese"
t_expect_stdout_has "second_thomas_shoal"
t_expect_stdout_has "Second Thomas Shoal"
t_expect_stdout_has "仁爱礁"
t_expect_stdout_has "Bãi Cỏ Mây"
n=$(($(wc -l <"$WORK/last.out") - 1))
[[ $n -eq 84 ]] && t_pass "84 places" || t_fail "84 places" "got $n"
t_expect_exit 0 -- "$SHOAL" list --places "$ROOT/shapes/places.shp"
t_expect_stdout_has "mischief_reef"
t_expect_exit 65 -- "$SHOAL" list --places "$ROOT/shapes/treaty_lines.shp"
t_expect_stderr_has "has no 'id' field: not a places file"
t_expect_exit 66 -- "$SHOAL" list --places "$WORK/none.shp"
t_expect_exit 64 -- "$SHOAL" list "$ROOT/shapes/places.shp"

# an unknown place id in a map says how to list them
cat >"$WORK/here/badplace.yaml" <<EOF
map:
  size: [200, 150]
  extent: [111, 7, 118, 12]
layers:
  - name: places
    data: $ROOT/shapes/places.shp
    marker: circle
annotations:
  - marker: {place: secnd_thomas_shoal}
EOF
t_expect_exit 65 -- "$SHOAL" render badplace -o "$WORK/b.png"
t_expect_stderr_has "did you mean 'second_thomas_shoal'?"
t_expect_stderr_has "run 'shoal list --places' to see the place ids"

# ---------------------------------------------------------------- map names
t_expect_exit 0 -- "$SHOAL" render minimal -o "$WORK/m.png" --size 64x48
t_expect_file "$WORK/m.png"
t_expect_exit 0 -- env SHOAL_PATH="$WORK/none:$WORK/mine" "$SHOAL" render tiny -o "$WORK/t.png"
t_expect_file "$WORK/t.png"
t_expect_exit 0 -- env SHOAL_PATH="$WORK/mine" "$SHOAL" check tiny.yaml minimal
t_expect_stderr_has "$WORK/mine/tiny.yaml: ok"
t_expect_exit 66 -- env SHOAL_PATH="$WORK/mine" "$SHOAL" render nosuch -o "$WORK/n.png"
t_expect_stderr_has "shoal: error: cannot find map 'nosuch': looked for 'nosuch', '$WORK/mine/nosuch',"
t_expect_stderr_has "'nosuch.yaml', '$WORK/mine/nosuch.yaml', '$ROOT/styles/nosuch.yaml', '$ROOT/nosuch.yaml'"
t_expect_no_file "$WORK/n.png"
# a path is taken as written
t_expect_exit 66 -- "$SHOAL" render ./minimal -o "$WORK/n.png"
t_expect_stderr_has "cannot read './minimal'"
t_done
