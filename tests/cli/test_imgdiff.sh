#!/bin/bash
# Self-test of the golden-image tooling: tests/tools/imgdiff and t_golden in lib.sh.
# $1 (shoal binary) is unused; needs SHOAL_IMGDIFF, rsvg-convert and pdftoppm.
# shellcheck disable=SC2317  # helper functions are run indirectly, via t_expect_exit

# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# This test compares against its committed reference; it never regenerates it.
unset SHOAL_UPDATE_GOLDEN
IMGDIFF=${SHOAL_IMGDIFF:-}
[[ -n "$IMGDIFF" && -x "$IMGDIFF" ]] || t_die "SHOAL_IMGDIFF must name the imgdiff executable"

# svg WIDTH HEIGHT [EXTRA-ELEMENTS] [BLUE]: white page with a 20x10 blue rect.
svg() {
    printf '<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s">' "$1" "$2"
    printf '<rect width="%s" height="%s" fill="#ffffff"/>' "$1" "$2"
    printf '<rect x="10" y="10" width="20" height="10" fill="%s"/>%s</svg>\n' "${4:-#0000ff}" "${3:-}"
}
svg 40 30 >"$WORK/a.svg"
svg 40 30 '<rect x="2" y="2" width="4" height="3" fill="#ff0000"/>' >"$WORK/b.svg"
svg 40 30 '' '#0000fc' >"$WORK/c.svg"
svg 41 30 >"$WORK/d.svg"
svg 40 40 >"$WORK/e.svg"
for f in a b c d; do
    rsvg-convert -f png -o "$WORK/$f.png" "$WORK/$f.svg" || t_die "rsvg-convert failed on $f.svg"
done
echo "not a png" >"$WORK/text.png"

# --- imgdiff itself --------------------------------------------------------

t_expect_exit 0 -- "$IMGDIFF" --size "$WORK/a.png"
t_expect_stdout_has "40 30"
t_expect_exit 2 -- "$IMGDIFF" --size "$WORK/missing.png"

t_expect_exit 0 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png"
t_expect_stdout_has "imgdiff: 40 x 30, 0 pixels differ by more than 8 (max channel difference 0), allowed 0"

# 4x3 block of red over white: 12 pixels, channel difference 255 (green/blue).
t_expect_exit 1 -- "$IMGDIFF" "$WORK/b.png" "$WORK/a.png"
t_expect_stdout_has "imgdiff: 40 x 30, 12 pixels differ by more than 8 (max channel difference 255), allowed 0"
t_expect_exit 1 -- "$IMGDIFF" "$WORK/b.png" "$WORK/a.png" --max-pixels 11
t_expect_exit 0 -- "$IMGDIFF" "$WORK/b.png" "$WORK/a.png" --max-pixels 12
t_expect_stdout_has "12 pixels differ by more than 8 (max channel difference 255), allowed 12"

# Blue 252 instead of 255 over the 20x10 rect: within the default tolerance.
t_expect_exit 0 -- "$IMGDIFF" "$WORK/c.png" "$WORK/a.png"
t_expect_stdout_has "0 pixels differ by more than 8 (max channel difference 3), allowed 0"
t_expect_exit 1 -- "$IMGDIFF" "$WORK/c.png" "$WORK/a.png" --max-diff 2
t_expect_stdout_has "200 pixels differ by more than 2 (max channel difference 3), allowed 0"
t_expect_exit 0 -- "$IMGDIFF" "$WORK/c.png" "$WORK/a.png" --max-diff 3

# Diff image: same size as the inputs, written whether or not the check passes.
t_expect_exit 1 -- "$IMGDIFF" "$WORK/b.png" "$WORK/a.png" --diff "$WORK/ba.diff.png"
t_expect_file "$WORK/ba.diff.png"
t_expect_exit 0 -- "$IMGDIFF" --size "$WORK/ba.diff.png"
t_expect_stdout_has "40 30"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/b.png" "$WORK/a.png" --diff "$WORK/no/such/dir/d.png"
t_expect_stderr_has "cannot write diff image"

# Errors: exit 2 with a message naming the problem.
t_expect_exit 2 -- "$IMGDIFF" "$WORK/d.png" "$WORK/a.png"
t_expect_stderr_has "size mismatch"
t_expect_stderr_has "is 41 x 30"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/missing.png" "$WORK/a.png"
t_expect_stderr_has "cannot read PNG '$WORK/missing.png'"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/text.png"
t_expect_stderr_has "cannot read PNG '$WORK/text.png'"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png"
t_expect_stderr_has "usage:"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" "$WORK/a.png"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-diff
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-diff 8x
t_expect_stderr_has "--max-diff: expected an integer from 0 to 255, got '8x'"
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-diff 256
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-pixels -1
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-pixels ''
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --max-pixels 99999999999999999999999
t_expect_exit 2 -- "$IMGDIFF" "$WORK/a.png" "$WORK/a.png" --bogus

# --- t_golden against the committed reference tests/golden/imgdiff_selftest.png
# (a.svg rasterised by rsvg-convert) --------------------------------------------

t_golden imgdiff_selftest "$WORK/a.svg"
t_golden imgdiff_selftest "$WORK/a.png"
# PDF page of 30 x 22.5 pt (rsvg-convert uses 96 dpi), rasterised to 40 px wide.
rsvg-convert -f pdf -o "$WORK/a.pdf" "$WORK/a.svg" || t_die "rsvg-convert -f pdf failed"
t_golden imgdiff_selftest "$WORK/a.pdf"
# Twice as large: scaled down to the reference's width.
rsvg-convert -f pdf -w 80 -h 60 -o "$WORK/a2.pdf" "$WORK/a.svg" || t_die "rsvg-convert -f pdf failed"
t_golden imgdiff_selftest "$WORK/a2.pdf"
t_golden imgdiff_selftest "$WORK/c.svg"  # within the default tolerance

# --- t_golden's failure and update paths, in subshells with their own counters
# and a scratch reference directory, so the repository is never written ---------

# Variables set here are read by lib.sh functions.
# shellcheck disable=SC2034
in_sub() {
    (
        T_PASS=0
        T_FAIL=0
        T_GOLDEN_DIR=$WORK/fake-golden
        "$@"
        t_done
    )
}
golden_compare() { unset SHOAL_UPDATE_GOLDEN; t_golden sel "$1"; }
# shellcheck disable=SC2034
golden_update() { SHOAL_UPDATE_GOLDEN=1; CI=${2:-}; t_golden sel "$1"; }
golden_bad() { unset SHOAL_UPDATE_GOLDEN; t_golden sel "$WORK/a.txt"; }

mkdir -p "$WORK/fake-golden"
FAKE=$WORK/fake-golden/sel.png

t_expect_exit 1 -- in_sub golden_compare "$WORK/a.png"
t_expect_stdout_has "no reference $FAKE"
t_expect_exit 1 -- in_sub golden_update "$WORK/a.png" true
t_expect_stdout_has "refusing to rewrite references in CI"
t_expect_no_file "$FAKE"

t_expect_exit 0 -- in_sub golden_update "$WORK/a.svg"
t_expect_stdout_has "UPDATED reference $FAKE"
t_expect_exit 0 -- "$IMGDIFF" "$FAKE" "$WORK/a.png"

t_expect_exit 0 -- in_sub golden_compare "$WORK/a.png"
t_expect_no_file "$WORK/golden/sel.diff.png"

t_expect_exit 1 -- in_sub golden_compare "$WORK/b.png"
t_expect_stdout_has "12 pixels differ by more than 8"
t_expect_stdout_has "diff image:    $WORK/golden/sel.diff.png"
t_expect_file "$WORK/golden/sel.diff.png"
t_expect_file "$WORK/golden/sel.actual.png"
t_expect_exit 0 -- "$IMGDIFF" "$FAKE" "$WORK/a.png"  # compare mode left it alone

t_expect_exit 1 -- in_sub golden_compare "$WORK/d.png"
t_expect_stdout_has "size mismatch"
# Vector output is scaled to the reference's width; a different aspect ratio
# then shows up as a different height.
t_expect_exit 1 -- in_sub golden_compare "$WORK/e.svg"
t_expect_stdout_has "is 40 x 40"
t_expect_exit 1 -- in_sub golden_compare "$WORK/missing.svg"
t_expect_stdout_has "actual output does not exist"
echo x >"$WORK/a.txt"
t_expect_exit 1 -- in_sub golden_bad
t_expect_stdout_has "don't know how to rasterise"

t_expect_exit 1 -- in_sub golden_update "$WORK/b.png" true
t_expect_exit 0 -- "$IMGDIFF" "$FAKE" "$WORK/a.png"  # CI refusal left it alone
t_expect_exit 0 -- in_sub golden_update "$WORK/b.png" false
t_expect_stdout_has "UPDATED reference $FAKE"
t_expect_exit 0 -- "$IMGDIFF" "$FAKE" "$WORK/b.png"
t_expect_exit 0 -- in_sub golden_update "$WORK/b.png"
# Unchanged within tolerance: passes without rewriting the reference.
t_expect_stdout_has "0 pixels differ by more than 8 (max channel difference 0)"

t_done
