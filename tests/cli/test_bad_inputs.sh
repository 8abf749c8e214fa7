#!/bin/bash
# The bad-input corpus (tests/bad/*/case, described in tests/bad/README.md): every case exits
# with its expected, documented code, says what its fragments say, and leaves no temporary or
# partial output behind.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

documented=" 0 64 65 66 70 73 "
ncases=0
for casedir in "$ROOT"/tests/bad/*/; do
    name=$(basename "$casedir")
    [[ -f "$casedir/case" ]] || t_die "$casedir has no case file"
    ncases=$((ncases + 1))
    copy=$WORK/$name
    cp -r "$casedir" "$copy"
    setups=() run="" want="" frags=() nofiles=()
    while IFS= read -r line || [[ -n "$line" ]]; do
        case $line in
            '#'* | '') ;;
            setup:*) setups+=("${line#setup: }") ;;
            run:*) run=${line#run: } ;;
            exit:*) want=${line#exit: } ;;
            stderr:*) frags+=("${line#stderr: }") ;;
            no-file:*) nofiles+=("${line#no-file: }") ;;
            *) t_die "$name/case: unknown line '$line'" ;;
        esac
    done <"$casedir/case"
    [[ -n "$run" && -n "$want" ]] || t_die "$name/case needs run: and exit:"
    [[ "$documented" == *" $want "* ]] || t_die "$name/case expects undocumented exit $want"
    (
        cd "$copy" || exit 1
        export ROOT
        for s in "${setups[@]}"; do
            bash -c "$s" >/dev/null 2>&1 || { echo "setup failed: $s" >&2; exit 1; }
        done
    ) || { t_fail "$name: setup" "a setup line failed"; continue; }
    # shellcheck disable=SC2206 # split run: like a shell would, after expanding $ROOT
    args=(${run//\$ROOT/$ROOT})
    (cd "$copy" && "$SHOAL" "${args[@]}" </dev/null >"$WORK/last.out" 2>"$WORK/last.err")
    got=$?
    if [[ "$got" == "$want" ]]; then
        t_pass "$name: exit $want"
    else
        t_fail "$name: exit $want" "got exit $got" "stderr:" "$(cat "$WORK/last.err")"
    fi
    for f in "${frags[@]}"; do
        if grep -qF -- "$f" "$WORK/last.err"; then
            t_pass "$name: stderr has '$f'"
        else
            t_fail "$name: stderr has '$f'" "stderr was:" "$(cat "$WORK/last.err")"
        fi
    done
    for f in "${nofiles[@]}"; do
        t_check "$name: no file $f" test ! -e "$copy/$f"
    done
    if [[ "$got" != 0 ]]; then
        for ((i = 0; i + 1 < ${#args[@]}; i++)); do
            [[ "${args[$i]}" == -o || "${args[$i]}" == --output ]] &&
                t_check "$name: no output ${args[$((i + 1))]}" test ! -e "$copy/${args[$((i + 1))]}"
        done
    fi
    tmps=$(find "$copy" -name '*.tmp.*' | head -n 3)
    t_check "$name: no temporary files left${tmps:+ ($tmps)}" test -z "$tmps"
done
echo "bad-input corpus: $ncases cases"
t_check "the corpus holds cases" test "$ncases" -gt 0
t_done
