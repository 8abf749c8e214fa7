# shellcheck shell=bash
# Shared helpers for Shoal's CLI and golden-image test scripts (bash; source, don't run).
#
# Usage in a tests/cli/test_*.sh script:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   t_init "$@"                      # $1 shoal binary, $2 repo root, $3 scratch dir
#   t_expect_exit 0 -- "$SHOAL" render "$ROOT/tests/golden/x.yaml" -o "$WORK/x.png"
#   t_expect_stderr_has "some text"
#   t_golden x "$WORK/x.png"         # compare with tests/golden/x.png
#   t_done                           # prints "N passed, N failed"; exit 1 on failure
#
# Each check prints "ok - ..." or "FAIL - ..." and counts; a script never stops
# at the first failed check, only t_done decides the exit status.
#
# Environment:
#   SHOAL_IMGDIFF        path of the imgdiff tool (CTest sets it; needed by t_golden)
#   SHOAL_UPDATE_GOLDEN  when 1, t_golden rewrites references that differ (or are
#                        missing) instead of failing.  Developer use only: NEVER set
#                        it in CI; t_golden refuses and fails when CI is set too.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    echo "lib.sh is a library: source it from a test script" >&2
    exit 2
fi

# Abort the whole script: used for mistakes in the test script itself.
t_die() {
    echo "lib.sh: $*" >&2
    exit 2
}

t_init() {
    [[ $# -eq 3 ]] || t_die "t_init: expected SHOAL ROOT WORK, got $# argument(s)"
    # shellcheck disable=SC2034  # SHOAL and ROOT are for the test scripts
    SHOAL=$1
    ROOT=$2
    WORK=$3
    [[ -n "$WORK" && "$WORK" != "/" ]] || t_die "t_init: refusing scratch dir '$WORK'"
    rm -rf -- "$WORK"
    mkdir -p -- "$WORK" || t_die "t_init: cannot create '$WORK'"
    T_PASS=0
    T_FAIL=0
    # A user's own search path must not change what the tests find.
    unset SHOAL_PATH
    # Where t_golden finds references; only the imgdiff self-test points it elsewhere.
    T_GOLDEN_DIR=$ROOT/tests/golden
    : >"$WORK/last.out"
    : >"$WORK/last.err"
    set -u
}

t_pass() {
    T_PASS=$((T_PASS + 1))
    printf 'ok - %s\n' "$1"
}

# t_fail DESCRIPTION [DETAIL...]: each detail line is printed indented.
t_fail() {
    local line
    T_FAIL=$((T_FAIL + 1))
    printf 'FAIL - %s\n' "$1"
    shift
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/    /'
    done
}

# The command line, shell-quoted, for messages.
# t_check DESCRIPTION cmd args... : passes when the command exits 0 (its output is hidden).
t_check() {
    local desc=$1
    shift
    if "$@" >"$WORK/check.out" 2>&1; then
        t_pass "$desc"
    else
        t_fail "$desc" "$(head -c 2000 "$WORK/check.out")"
    fi
}

t_quote() {
    local out="" a
    for a in "$@"; do
        out+="$(printf '%q' "$a") "
    done
    printf '%s' "${out% }"
}

# t_expect_exit CODE -- COMMAND ARGS...
t_expect_exit() {
    [[ $# -ge 3 && "$2" == "--" ]] || t_die "usage: t_expect_exit CODE -- COMMAND ARGS..."
    local want=$1 got desc
    shift 2
    desc="$(t_quote "$@") exits $want"
    "$@" </dev/null >"$WORK/last.out" 2>"$WORK/last.err"
    got=$?
    if [[ "$got" == "$want" ]]; then
        t_pass "$desc"
    else
        t_fail "$desc" "expected exit $want, got $got" "stderr:" "$(cat "$WORK/last.err")"
    fi
}

t_expect_stderr_has() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_stderr_has TEXT"
    if grep -qF -- "$1" "$WORK/last.err"; then
        t_pass "stderr has '$1'"
    else
        t_fail "stderr has '$1'" "stderr was:" "$(cat "$WORK/last.err")"
    fi
}

t_expect_stdout_has() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_stdout_has TEXT"
    if grep -qF -- "$1" "$WORK/last.out"; then
        t_pass "stdout has '$1'"
    else
        t_fail "stdout has '$1'" "stdout was:" "$(cat "$WORK/last.out")"
    fi
}

# t_expect_stdout_line TEXT / t_expect_stderr_line TEXT: some whole line equals TEXT.
t_expect_stdout_line() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_stdout_line TEXT"
    if grep -qxF -- "$1" "$WORK/last.out"; then
        t_pass "stdout line '$1'"
    else
        t_fail "stdout line '$1'" "stdout was:" "$(cat "$WORK/last.out")"
    fi
}

t_expect_stderr_line() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_stderr_line TEXT"
    if grep -qxF -- "$1" "$WORK/last.err"; then
        t_pass "stderr line '$1'"
    else
        t_fail "stderr line '$1'" "stderr was:" "$(cat "$WORK/last.err")"
    fi
}

# t_expect_stdout_match REGEX: some line of stdout matches the extended regular expression.
t_expect_stdout_match() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_stdout_match REGEX"
    if grep -qE -- "$1" "$WORK/last.out"; then
        t_pass "stdout matches /$1/"
    else
        t_fail "stdout matches /$1/" "stdout was:" "$(cat "$WORK/last.out")"
    fi
}

t_expect_stderr_empty() {
    [[ $# -eq 0 ]] || t_die "usage: t_expect_stderr_empty"
    if [[ ! -s "$WORK/last.err" ]]; then
        t_pass "stderr is empty"
    else
        t_fail "stderr is empty" "stderr was:" "$(cat "$WORK/last.err")"
    fi
}

t_expect_file() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_file FILE"
    if [[ -f "$1" ]]; then
        t_pass "file exists: $1"
    else
        t_fail "file exists: $1" "no such file"
    fi
}

t_expect_no_file() {
    [[ $# -eq 1 ]] || t_die "usage: t_expect_no_file FILE"
    if [[ -e "$1" ]]; then
        t_fail "no file: $1" "it exists"
    else
        t_pass "no file: $1"
    fi
}

# True when running under CI (CI set to anything but empty, 0 or false).
t_in_ci() {
    case "${CI:-}" in
        "" | 0 | false | FALSE | False) return 1 ;;
        *) return 0 ;;
    esac
}

# t_golden NAME ACTUAL_FILE [MAX_DIFF] [MAX_PIXELS]
#
# Compares ACTUAL_FILE (.png, .pdf or .svg) with $T_GOLDEN_DIR/NAME.png using
# imgdiff: a pixel differs when a channel differs by more than MAX_DIFF (default
# 8); the check passes when at most MAX_PIXELS (default 0) pixels differ.
# PDF is rasterised with pdftoppm and SVG with rsvg-convert, scaled so the width
# equals the reference's width (the height follows the page's aspect ratio, so
# a wrong aspect shows up as a size mismatch).  The raster is kept in
# $WORK/golden/NAME.actual.png and, on mismatch, the diff image in
# $WORK/golden/NAME.diff.png (red = differing pixels over the faded reference).
t_golden() {
    [[ $# -ge 2 && $# -le 4 ]] || t_die "usage: t_golden NAME ACTUAL_FILE [MAX_DIFF] [MAX_PIXELS]"
    local name=$1 actual=$2 maxd=${3:-8} maxp=${4:-0}
    local ref="$T_GOLDEN_DIR/$name.png" dir="$WORK/golden"
    local raster="$dir/$name.actual.png" diff="$dir/$name.diff.png"
    local desc="golden $name: $actual" update=0 tool=${SHOAL_IMGDIFF:-}
    local size w="" out rc

    if [[ "${SHOAL_UPDATE_GOLDEN:-}" == 1 ]]; then
        if t_in_ci; then
            t_fail "$desc" "SHOAL_UPDATE_GOLDEN=1 is set while CI=${CI}: refusing to rewrite references in CI"
            return
        fi
        update=1
    fi
    if [[ -z "$tool" || ! -x "$tool" ]]; then
        t_fail "$desc" "SHOAL_IMGDIFF is not set to the imgdiff executable ('$tool')"
        return
    fi
    if [[ ! -f "$actual" ]]; then
        t_fail "$desc" "actual output does not exist"
        return
    fi
    mkdir -p -- "$dir"
    rm -f -- "$raster" "$diff"

    if [[ -f "$ref" ]]; then
        if ! size=$("$tool" --size "$ref" 2>&1); then
            t_fail "$desc" "cannot read reference $ref:" "$size"
            return
        fi
        w=${size%% *}
    elif [[ $update -eq 0 ]]; then
        t_fail "$desc" "no reference $ref" \
            "create it with SHOAL_UPDATE_GOLDEN=1 (see tests/golden/README.md)"
        return
    fi

    # Rasterise to $raster; with no reference yet, at the file's natural size.
    case "${actual,,}" in
        *.png)
            out=$(cp -- "$actual" "$raster" 2>&1)
            ;;
        *.pdf)
            # Like "pdftoppm -r R" with R = 72 * W / page width in points, but
            # pdftoppm computes R itself, so the width is exactly W (no rounding).
            if [[ -n "$w" ]]; then
                out=$(pdftoppm -png -singlefile -scale-to-x "$w" -scale-to-y -1 \
                    -- "$actual" "${raster%.png}" 2>&1)
            else
                out=$(pdftoppm -png -singlefile -r 96 -- "$actual" "${raster%.png}" 2>&1)
            fi
            ;;
        *.svg)
            if [[ -n "$w" ]]; then
                out=$(rsvg-convert -f png -w "$w" -o "$raster" -- "$actual" 2>&1)
            else
                out=$(rsvg-convert -f png -o "$raster" -- "$actual" 2>&1)
            fi
            ;;
        *)
            t_fail "$desc" "don't know how to rasterise this file (expected .png, .pdf or .svg)"
            return
            ;;
    esac
    rc=$?
    if [[ $rc -ne 0 || ! -f "$raster" ]]; then
        t_fail "$desc" "rasterising failed (exit $rc):" "$out"
        return
    fi

    if [[ -f "$ref" ]]; then
        out=$("$tool" "$raster" "$ref" --max-diff "$maxd" --max-pixels "$maxp" --diff "$diff" 2>&1)
        rc=$?
    else
        out="no reference yet"
        rc=1
    fi

    if [[ $rc -eq 0 ]]; then
        rm -f -- "$diff"
        t_pass "$desc ($out)"
    elif [[ $update -eq 1 ]]; then
        mkdir -p -- "$T_GOLDEN_DIR"
        if cp -- "$raster" "$ref"; then
            t_pass "$desc: UPDATED reference $ref ($out) - look at it before committing"
        else
            t_fail "$desc" "could not update $ref"
        fi
    else
        local keep=("actual raster: $raster")
        [[ -f "$diff" ]] && keep+=("diff image:    $diff")
        t_fail "$desc" "$out" "${keep[@]}" "reference:     $ref"
    fi
}

t_done() {
    echo "$T_PASS passed, $T_FAIL failed"
    [[ $T_FAIL -eq 0 ]] || exit 1
    exit 0
}
