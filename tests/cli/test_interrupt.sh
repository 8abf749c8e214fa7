#!/usr/bin/env bash
# Interrupted runs leave nothing behind: SIGTERM and SIGINT at random moments of the article
# batch and of a render stop it with 143 / 130, keep only complete files and no temporary
# ones; after kill -9, the next run removes the temporaries the killed process left, and never
# those of a process that still runs. Delays are random (printed, to replay one: set
# SHOAL_TEST_SEED); the whole script stays well under 40 s.
#   tests/cli/test_interrupt.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# Job control: a background job of a script otherwise starts with SIGINT ignored, and an
# ignored signal never reaches the program.
set -m
RANDOM=${SHOAL_TEST_SEED:-$$}
echo "# seed ${SHOAL_TEST_SEED:-$$}"
BATCH=$ROOT/styles/article.batch.yaml
RUN=$WORK/run
mkdir -p "$RUN"
cd "$RUN" || t_die "cannot cd to $RUN"

# complete FILE: a whole PNG (decodes, or ends with its IEND chunk) or PDF (pdfinfo reads it, or
# it ends with %%EOF); no other files are expected.
complete() {
    [[ -s "$1" ]] || return 1
    case $1 in
        *.png)
            if [[ -n "${SHOAL_IMGDIFF:-}" ]]; then
                "$SHOAL_IMGDIFF" --size "$1" >/dev/null
            else
                [[ "$(tail -c 8 "$1" | od -An -tx1 | tr -d ' \n')" == 49454e44ae426082 ]]
            fi
            ;;
        *.pdf)
            if command -v pdfinfo >/dev/null; then
                pdfinfo "$1" >/dev/null 2>&1
            else
                tail -c 8 "$1" | grep -q '%%EOF'
            fi
            ;;
        *.json) python3 -m json.tool "$1" >/dev/null 2>&1 || grep -q '^}$' "$1" ;;
        *) return 1 ;;
    esac
}

# check_folder WHAT DIR: no temporary file, every file complete.
check_folder() {
    local what=$1 dir=$2 f bad="" tmps
    tmps=$(find "$dir" -name '*.tmp.*' | head -n 5)
    t_check "$what: no temporary files left${tmps:+ ($tmps)}" test -z "$tmps"
    while IFS= read -r f; do
        complete "$f" || bad+=" $f"
    done < <(find "$dir" -type f)
    t_check "$what: every file is complete${bad:+ (not:$bad)}" test -z "$bad"
}

# stop_after PID SECONDS SIGNAL: send SIGNAL after SECONDS, then wait (at most 25 s, else
# kill -9 and fail); sets RC to the exit code, or to the code the signal asks for when the run
# ended before the signal could be sent (a fast machine: nothing to test then).
stop_after() {
    local pid=$1 i
    sleep "$2"
    if ! kill "-$3" "$pid" 2>/dev/null; then
        wait "$pid"
        RC=$?
        echo "# pid $pid ended (exit $RC) before SIG$3 after $2 s"
        [[ $RC -eq 0 ]] && RC=$((128 + $(kill -l "$3")))
        return
    fi
    for ((i = 0; i < 250; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"
        t_fail "pid $pid stopped within 25 s of SIG$3"
    fi
    wait "$pid"
    RC=$?
}

# A random delay from $1 to $2 tenths of a second, as seconds.
delay() {
    local t=$(($1 + RANDOM % ($2 - $1 + 1)))
    printf '%d.%d' $((t / 10)) $((t % 10))
}

# ---------------------------------------------------------------- batch: SIGTERM, SIGINT
round=0
for sig in TERM TERM TERM INT INT; do
    round=$((round + 1))
    before=$(find out -type f 2>/dev/null | wc -l)
    d=$(delay 2 20)
    "$SHOAL" batch "$BATCH" -j 2 --force --report out/report.json >"$WORK/b$round.out" \
        2>"$WORK/b$round.err" &
    stop_after $! "$d" "$sig"
    want=$([[ $sig == TERM ]] && echo 143 || echo 130)
    t_check "batch SIG$sig after ${d}s: exit $want (got $RC)" test "$RC" -eq "$want"
    check_folder "batch SIG$sig after ${d}s" out
    after=$(find out -type f | wc -l)
    t_check "batch SIG$sig after ${d}s: earlier outputs kept ($before, now $after)" \
        test "$after" -ge "$before"
done
t_check "the interrupted batch says so" grep -q "interrupted by SIGINT" "$WORK/b$round.err"
t_check "the report says the batch was interrupted" grep -q '"interrupted": true' out/report.json

# ---------------------------------------------------------------- render: SIGTERM
mkdir -p r k
for round in 1 2; do
    d=$(delay 2 15)
    "$SHOAL" render south-china-sea --scale 4 -o r/a.png -o r/a.pdf -o r/b.png -o r/c.png \
        -o r/d.png -o r/e.png 2>"$WORK/r$round.err" &
    stop_after $! "$d" TERM
    t_check "render SIGTERM after ${d}s: exit 143 (got $RC)" test "$RC" -eq 143
    check_folder "render SIGTERM after ${d}s" r
done

# ---------------------------------------------------------------- render: a draw stops between layers
# One big output: the draw checks the signal between layers, labels and furniture, so SIGTERM
# 0.2 s in stops it within a second (a generous bound: the slowest single layer), not after
# the whole page is drawn; the output and its temporary are gone.
mkdir -p one
"$SHOAL" render "$ROOT/styles/south-china-sea.yaml" --scale 4 -o one/big.png 2>"$WORK/one.err" &
pid=$!
sleep 0.2
t0=$(date +%s.%N)
if kill -TERM "$pid" 2>/dev/null; then
    for ((i = 0; i < 250; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    t1=$(date +%s.%N)
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    wait "$pid"
    RC=$?
    took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    t_check "one render SIGTERM after 0.2 s: exit 143 (got $RC)" test "$RC" -eq 143
    t_check "one render SIGTERM: stopped within 1 s of the signal (took ${took}s)" \
        awk -v t="$took" 'BEGIN { exit !(t < 1) }'
    t_check "one render SIGTERM: the unfinished output is not kept" test ! -e one/big.png
else
    wait "$pid"
    echo "# the render ended (exit $?) before SIGTERM after 0.2 s"
fi
check_folder "one render SIGTERM" one

# ---------------------------------------------------------------- a second signal stops at once
# Two different signals, back to back: they cannot merge into one as two SIGTERMs can, and
# the batch is still finishing its running jobs when the second comes.
"$SHOAL" batch "$BATCH" -j 2 --force -q 2>"$WORK/twice.err" &
pid=$!
sleep "$(delay 5 15)"
kill -TERM "$pid" 2>/dev/null
stop_after "$pid" 0 INT
t_check "SIGTERM then SIGINT: exit 130 or 143 (got $RC)" test "$RC" -eq 130 -o "$RC" -eq 143
t_check "SIGTERM then SIGINT: says it stops now" grep -q "interrupted again: stopping now" \
    "$WORK/twice.err"

# ---------------------------------------------------------------- kill -9, then a later run
rm -rf out
found=""
for try in 1 2 3 4 5; do
    d=$(delay 10 25)
    "$SHOAL" batch "$BATCH" -j 2 --force -q 2>/dev/null &
    stop_after $! "$d" KILL
    found=$(find out -name '*.shoal-*.tmp.*' | head -n 1)
    [[ -n "$found" ]] && break
done
echo "# kill -9 after ${d}s left: ${found:-nothing}"
t_check "kill -9 left a temporary file to clean up" test -n "$found"
# A live process's temporary file (this shell's pid) and a dead one's of another host stay. No
# process has a pid past the kernel's pid_max.
host=$(hostname | tr -c 'A-Za-z0-9.\n-' '_')
dead=$(($(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 4194304) + 1))
live="out/article/.x.png.shoal-$$@$host.tmp.AAAAAA"
other="out/article/.x.png.shoal-$dead@not-$host.tmp.AAAAAA"
touch "$live" "$other"
t_expect_exit 0 -- "$SHOAL" batch "$BATCH" -j 2
t_expect_stderr_has "temporary file"
t_expect_stderr_has "left in 'out/article' by an interrupted Shoal run"
t_check "a running process's temporary file is kept" test -f "$live"
t_check "another host's temporary file is kept" test -f "$other"
rm -f "$live" "$other"
check_folder "after kill -9 and a second run" out
t_check "the second run wrote all 54 files" test "$(find out/article -type f | wc -l)" -eq 54

# A render cleans its output folder too.
"$SHOAL" render south-china-sea --scale 4 -o k/a.png -o k/b.pdf -o k/c.png 2>/dev/null &
stop_after $! "$(delay 3 8)" KILL
touch "k/.y.pdf.shoal-$dead@$host.tmp.BBBBBB"
t_expect_exit 0 -- "$SHOAL" render minimal -o k/m.png
t_expect_stderr_has "left in 'k' by an interrupted Shoal run"
check_folder "render after kill -9" k

t_done
