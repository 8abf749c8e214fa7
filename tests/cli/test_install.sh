#!/usr/bin/env bash
# The installed tree: `cmake --install` into a scratch prefix P, then, from a folder outside
# the repository, P/bin/shoal finds its maps, batch files and shapes in P/share/shoal, searches
# $SHOAL_PATH before them, writes batch outputs under the current directory, and has its man
# page and bash completion.
#   tests/cli/test_install.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"
BUILD=$(dirname "$SHOAL")
P=$WORK/prefix
unset SHOAL_PATH

t_check "cmake --install into $P" cmake --install "$BUILD" --prefix "$P"
for f in bin/shoal share/shoal/styles/south-china-sea.yaml share/shoal/styles/house.yaml \
    share/shoal/styles/article.batch.yaml share/shoal/shapes/places.shp \
    share/shoal/shapes/land_f.shp share/man/man1/shoal.1 \
    share/bash-completion/completions/shoal; do
    t_expect_file "$P/$f"
done
I=$P/bin/shoal

# From elsewhere: a scratch folder, not the repository.
mkdir -p "$WORK/elsewhere" "$WORK/mine"
cd "$WORK/elsewhere" || t_die "cannot cd to $WORK/elsewhere"

t_expect_exit 0 -- "$I" --version
t_expect_stdout_has "data folder: $P/share/shoal"
t_expect_exit 0 -- "$I" render south-china-sea -o x.png --size 240x240
t_expect_file "$WORK/elsewhere/x.png"
t_expect_exit 0 -- "$I" list
t_expect_stdout_has "south-china-sea        South China Sea              $P/share/shoal/styles/south-china-sea.yaml"
t_expect_exit 0 -- "$I" list --places
t_expect_stdout_has "second_thomas_shoal"

# SHOAL_PATH comes before the share folder: a different south-china-sea.yaml (64x48 pixels)
cat >"$WORK/mine/south-china-sea.yaml" <<EOF
map:
  size: [64, 48]
  extent: [105, 2, 122, 20]
layers:
  - name: land
    data: $P/share/shoal/shapes/land_h.shp
furniture: false
EOF
t_expect_exit 0 -- env SHOAL_PATH="$WORK/mine" "$I" render south-china-sea -o y.png -v
t_expect_file "$WORK/elsewhere/y.png"
size=$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(*struct.unpack(">II", d[16:24]))' y.png 2>&1)
if [[ "$size" == "64 48" ]]; then
    t_pass "SHOAL_PATH's south-china-sea.yaml was used (64x48)"
else
    t_fail "SHOAL_PATH's south-china-sea.yaml was used (64x48)" "y.png is $size"
fi
t_expect_exit 0 -- env SHOAL_PATH="$WORK/mine" "$I" list
t_expect_stdout_has "$WORK/mine/south-china-sea.yaml"

# batch by name, with the maps beside it in P/share/shoal/styles; the outputs go under the
# current directory, never into the share folder. --list keeps it fast: 6 maps x 3 languages,
# a 1x job writing PNG + PDF and a 2x job writing the PNG: 36 jobs, 54 files.
mkdir -p "$WORK/empty"
cd "$WORK/empty" || t_die "cannot cd to $WORK/empty"
t_expect_exit 0 -- "$I" batch article -j 2 --list
t_expect_stdout_has "south-china-sea [lang=en]	out/article/south-china-sea-en@1x.png	out/article/south-china-sea-en.pdf"
t_expect_stdout_has "north-natuna-sea@2x [lang=zh]	out/article/north-natuna-sea-zh@2x.png"
n=$(wc -l <"$WORK/last.out")
[[ $n -eq 36 ]] && t_pass "article: 36 jobs" || t_fail "article: 36 jobs" "got $n"
files=$(cut -f2- "$WORK/last.out" | tr '\t' '\n' | sort -u)
nf=$(grep -c . <<<"$files")
[[ $nf -eq 54 ]] && t_pass "article: 54 files" || t_fail "article: 54 files" "got $nf"
if grep -qv '^out/article/' <<<"$files"; then
    t_fail "article: every output under ./out/article/" "$(grep -v '^out/article/' <<<"$files" | head -3)"
else
    t_pass "article: every output under ./out/article/"
fi
# One real job (shard 1 of 36 is the first: south-china-sea in English, PNG + PDF).
t_expect_exit 0 -- "$I" batch article --shard 1/36
t_expect_file "$WORK/empty/out/article/south-china-sea-en@1x.png"
t_expect_file "$WORK/empty/out/article/south-china-sea-en.pdf"
t_expect_no_file "$P/share/shoal/out"
t_expect_exit 0 -- "$I" batch article --shard 1/36
t_expect_stderr_has "0 ok, 1 up to date, 0 failed"
cd "$WORK/elsewhere" || t_die "cannot cd to $WORK/elsewhere"
t_expect_exit 0 -- "$I" check article
t_expect_stderr_has "$P/share/shoal/styles/article.batch.yaml: ok (36 jobs)"

# man page and completion
if command -v man >/dev/null 2>&1; then
    if MANWIDTH=80 man -l "$P/share/man/man1/shoal.1" 2>/dev/null | grep -q "SHOAL BATCH"; then
        t_pass "installed man page formats"
    else
        t_fail "installed man page formats"
    fi
fi
t_check "installed completion parses" bash -n "$P/share/bash-completion/completions/shoal"
got=$(bash -c 'source "$1"; COMP_WORDS=("$2" render north); COMP_CWORD=2; _shoal
               printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/shoal" "$I")
if grep -qx north-natuna-sea <<<"$got"; then
    t_pass "installed completion offers installed map names"
else
    t_fail "installed completion offers installed map names" "$got"
fi
t_done
