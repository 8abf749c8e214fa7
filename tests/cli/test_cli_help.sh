#!/usr/bin/env bash
# CLI tests of the help: every command's help (synopsis, options, exit codes, examples) the
# same from `shoal help CMD`, `shoal CMD --help` and `-h`; suggestions for misspelt commands
# and options; --version; the README's CLI reference, the man page and the bash completion
# written from the same command table.
#   tests/cli/test_cli_help.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"
cd "$WORK" || t_die "cannot cd to $WORK"

# t_expect_same_text FILE1 FILE2 DESCRIPTION
t_expect_same_text() {
    if cmp -s -- "$1" "$2"; then
        t_pass "$3"
    else
        t_fail "$3" "$(diff -- "$1" "$2" | head -n 20)"
    fi
}

# ---------------------------------------------------------------- every command's help
t_expect_exit 0 -- "$SHOAL" help
cmds=$(sed -n '/^commands:/,/^$/p' "$WORK/last.out" | awk 'NF > 1 { print $1 }')
[[ $(wc -w <<<"$cmds") -ge 9 ]] && t_pass "help lists the commands ($(echo $cmds))" ||
    t_fail "help lists the commands" "$cmds"
for c in $cmds; do
    t_expect_exit 0 -- "$SHOAL" help "$c"
    cp "$WORK/last.out" "$WORK/help-$c.txt"
    t_expect_stdout_has "usage: shoal $c"
    t_expect_stdout_has "options:"
    t_expect_stdout_has "-h, --help"
    t_expect_stdout_has "exit codes:"
    t_expect_stdout_has "  0   "
    t_expect_stdout_has "  64  "
    t_expect_stdout_has "examples:"
    n=$(sed -n '/^examples:/,$p' "$WORK/help-$c.txt" | grep -c "^  shoal ")
    [[ $n -eq 2 ]] && t_pass "$c: two examples" || t_fail "$c: two examples" "found $n"
    t_expect_exit 0 -- "$SHOAL" "$c" --help
    t_expect_same_text "$WORK/last.out" "$WORK/help-$c.txt" "'shoal $c --help' = 'shoal help $c'"
    t_expect_exit 0 -- "$SHOAL" "$c" -h
    t_expect_same_text "$WORK/last.out" "$WORK/help-$c.txt" "'shoal $c -h' = 'shoal help $c'"
done
# options carry their argument and default
t_expect_exit 0 -- "$SHOAL" help render
t_expect_stdout_has "  -o, --output OUT"
t_expect_stdout_has "  --size WxH"
t_expect_stdout_has "(default: the map's, else 1)"
t_expect_exit 0 -- "$SHOAL" help batch
t_expect_stdout_has "  -j, --jobs N"
t_expect_stdout_has "(default: the number of cores"
t_expect_stdout_has "shoal batch article -j 2"
t_expect_exit 0 -- "$SHOAL" --help
t_expect_stdout_has "usage: shoal <command> [options]"
t_expect_exit 64 -- "$SHOAL"
t_expect_stderr_has "usage: shoal <command> [options]"

# ---------------------------------------------------------------- suggestions (64)
t_expect_exit 64 -- "$SHOAL" rendr
t_expect_stderr_has "shoal: unknown command 'rendr' (did you mean 'render'?)"
t_expect_exit 64 -- "$SHOAL" bach article
t_expect_stderr_has "did you mean 'batch'?"
t_expect_exit 64 -- "$SHOAL" --verison
t_expect_stderr_has "shoal: unknown option '--verison' (did you mean '--version'?)"
t_expect_exit 64 -- "$SHOAL" help rendr
t_expect_stderr_has "shoal help: unknown command 'rendr' (did you mean 'render'?)"
t_expect_exit 64 -- "$SHOAL" render minimal --ouput x.png
t_expect_stderr_has "shoal render: unknown option '--ouput' (did you mean '--output'?)"
t_expect_stderr_has "usage: shoal render MAP"
t_expect_stderr_has "(see 'shoal help render')"
t_expect_exit 64 -- "$SHOAL" batch article --forse
t_expect_stderr_has "shoal batch: unknown option '--forse' (did you mean '--force'?)"
t_expect_exit 64 -- "$SHOAL" list --place
t_expect_stderr_has "(did you mean '--places'?)"
t_expect_exit 64 -- "$SHOAL" import in.csv -o
t_expect_stderr_has "shoal import: option '--output' needs a value (OUT.shp)"
t_expect_exit 64 -- "$SHOAL" check --strict-label x.yaml
t_expect_stderr_has "(did you mean '--strict-labels'?)"

# ---------------------------------------------------------------- --version
t_expect_exit 0 -- "$SHOAL" --version
for lib in shoal cairo pango proj shapelib libyaml; do
    if grep -qE "^$lib [^ ]*[0-9]+\.[0-9]+" "$WORK/last.out"; then
        t_pass "--version names $lib with a version"
    else
        t_fail "--version names $lib with a version" "$(cat "$WORK/last.out")"
    fi
done
t_expect_exit 0 -- "$SHOAL" version

# ---------------------------------------------------------------- README, man page, completion
"$SHOAL" help --markdown >"$WORK/ref.md"
sed -n '/^<!-- Written by `shoal help --markdown`/,/^<!-- end of `shoal help --markdown` -->$/p' \
    "$ROOT/README.md" >"$WORK/readme-ref.md"
if [[ -s "$WORK/readme-ref.md" ]]; then
    t_expect_same_text "$WORK/readme-ref.md" "$WORK/ref.md" \
        "README's CLI reference = 'shoal help --markdown' (update it with scripts/update-cli-reference)"
else
    t_fail "README has the CLI reference section"
fi
for c in $cmds; do
    if grep -q "^### shoal $c\$" "$WORK/ref.md"; then t_pass "markdown has shoal $c"; else
        t_fail "markdown has shoal $c"; fi
done

t_expect_exit 0 -- "$SHOAL" help --man
cp "$WORK/last.out" "$WORK/shoal.1"
for c in $cmds; do
    up=$(tr a-z A-Z <<<"$c")
    t_expect_stdout_has ".SH \"SHOAL $up\""
done
built=$(dirname "$SHOAL")/shoal.1
if [[ -f "$built" ]]; then
    t_expect_same_text "$built" "$WORK/shoal.1" "the built man page is 'shoal help --man'"
fi
if command -v man >/dev/null 2>&1; then
    if MANWIDTH=80 man -l "$WORK/shoal.1" 2>"$WORK/man.err" | grep -q "shoal render MAP"; then
        t_pass "man -l formats the page"
    else
        t_fail "man -l formats the page" "$(cat "$WORK/man.err")"
    fi
fi

# Completion: drive _shoal as bash would, with this binary as COMP_WORDS[0].
"$SHOAL" help --bash-completion >"$WORK/shoal.bash"
t_check "completion script parses" bash -n "$WORK/shoal.bash"
complete_words() { # completion candidates for the words given (the last one is completed)
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _shoal
             printf "%s\n" "${COMPREPLY[@]}"' _ "$WORK/shoal.bash" "$SHOAL" "$@" 2>&1
}
mkdir -p "$WORK/comp" && touch "$WORK/comp/a.png" "$WORK/comp/b.txt" "$WORK/comp/c.yaml"
check_completion() { # DESCRIPTION WANT [NOT] -- WORDS...
    local desc=$1 want=$2 not=$3 got
    shift 4
    got=$(cd "$WORK/comp" && complete_words "$@")
    if grep -qx -- "$want" <<<"$got" && { [[ -z "$not" ]] || ! grep -qx -- "$not" <<<"$got"; }; then
        t_pass "completion: $desc"
    else
        t_fail "completion: $desc" "got: $got"
    fi
}
check_completion "commands" render "" -- rend
check_completion "render options" --output "" -- render --out
check_completion "map names on the search path" south-china-sea "" -- render sou
check_completion "map files" c.yaml b.txt -- render ""
check_completion "-o takes images" a.png b.txt -- render x -o ""
check_completion "batch names" article "" -- batch art
check_completion "help topics" import "" -- help im
t_done
