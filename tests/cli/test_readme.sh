#!/usr/bin/env bash
# The README is true: every ```sh, ```bash and ```console block runs as written, in document
# order, in a scratch copy of the repository whose build/shoal is the binary under test (the
# state a user is in after the quick start); listings that say they are a file agree with it;
# the stated size of the article set is what the batch file makes.
#
# Markers: an HTML comment on the last non-blank line before a fence says how to treat it:
#   <!-- not run: REASON -->     never run here (the quick start itself, Slurm, Kubernetes)
#   <!-- needs: CMD -->          run only when CMD is installed, else skipped and listed
#   <!-- pending: REASON -->     waits for a feature not merged yet: skipped and listed, run
#                                when SHOAL_README_PENDING=1 (then delete the marker)
#   <!-- file: PATH -->          the block is the file PATH, byte for byte
#   <!-- batch-example: PATH --> the block is written to PATH in the scratch copy and must pass
#                                `shoal batch PATH --list`
#   <!-- map-example: PATH -->   the block is written to PATH and must pass `shoal check PATH`
# and, before a paragraph (not a fence):
#   <!-- count: BATCH -->        the paragraph says "N files" with N the outputs BATCH lists
# The CLI reference's bounds, `<!-- Written by `shoal help --markdown` ... -->` and
# `<!-- end of `shoal help --markdown` -->` (scripts/update-cli-reference and
# tests/cli/test_cli_help.sh use them), mark a section, not a block: the blocks inside are
# treated like any other (`help --markdown` writes a marker before examples that need one).
# A block with no marker is run. In ```console blocks only the "$ " lines are commands.
# Blocks run with bash -e -o pipefail, no stdin, and the copy's build/ first on PATH, so a
# block that calls `shoal` as an installed command runs the binary under test (the README
# says its examples use `shoal` as installed or as build/shoal).
#
#   test_readme.sh SHOAL REPO SCRATCH   (CTest passes these)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

readme=$ROOT/README.md
[[ -f "$readme" ]] || t_die "no $readme"
command -v python3 >/dev/null || t_die "python3 is needed (scripts/setup installs it)"

# ---- the scratch copy ------------------------------------------------------------------------
repo=$WORK/repo
mkdir -p "$repo"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
    [[ -e "$f" ]] && printf '%s\0' "$f"
  done | tar --null -T - -cf -) | tar -xf - -C "$repo" || t_die "cannot copy $ROOT"
else
  (cd "$ROOT" && tar --exclude='./build*' --exclude='./out/*' -cf - .) | tar -xf - -C "$repo" ||
    t_die "cannot copy $ROOT"
fi
mkdir -p "$repo/build" "$repo/out"
cp -- "$SHOAL" "$repo/build/shoal" || t_die "cannot copy $SHOAL"

# ---- split the README into blocks ------------------------------------------------------------
# manifest: one line per fenced block: index, line, language, marker kind, marker argument.
blocks=$WORK/blocks
mkdir -p "$blocks"
python3 - "$readme" "$blocks" >"$WORK/manifest" <<'EOF' || t_die "cannot read the README"
import re, sys
readme, out = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().split("\n")
marker = re.compile(r"^<!--\s*([a-z][a-z -]*?)\s*:\s*(.*?)\s*-->\s*$")
# The CLI reference's bounds: they mark a section, so they say nothing about the next block.
section = re.compile(r"^<!-- (Written by|end of) `shoal help --markdown`.*-->$")
i, n, prev = 0, 0, ""
while i < len(lines):
    m = re.match(r"^```(\S*)\s*$", lines[i])
    if not m:
        if lines[i].strip() and section.match(lines[i].strip()):
            prev = ""
        elif lines[i].strip():
            prev = lines[i].strip()
            mc = marker.match(prev)
            if mc and mc.group(1) == "count":
                # the paragraph after it: up to the next blank line
                j = i + 1
                para = []
                while j < len(lines) and lines[j].strip():
                    para.append(lines[j])
                    j += 1
                n += 1
                open(f"{out}/{n}.txt", "w", encoding="utf-8").write(" ".join(para) + "\n")
                print(f"{n}\t{i + 1}\tparagraph\tcount\t{mc.group(2)}")
        i += 1
        continue
    lang, start = m.group(1), i + 1
    body = []
    i += 1
    while i < len(lines) and not lines[i].startswith("```"):
        body.append(lines[i])
        i += 1
    i += 1
    n += 1
    kind, arg = "", ""
    mc = marker.match(prev)
    if mc:
        kind, arg = mc.group(1), mc.group(2)
    elif prev.startswith("<!--"):
        kind, arg = "unknown", prev
    open(f"{out}/{n}.txt", "w", encoding="utf-8").write("\n".join(body) + "\n")
    print(f"{n}\t{start}\t{lang or '-'}\t{kind or '-'}\t{arg or '-'}")
    prev = ""
EOF

# ---- check each block ------------------------------------------------------------------------
skipped=()
ran=0
run_block() { # N LINE LANG: run block N in the scratch copy
  local n=$1 line=$2 lang=$3 script=$blocks/$1.sh rc
  if [[ "$lang" == console ]]; then
    sed -n 's/^\$ //p' "$blocks/$n.txt" >"$script"
  else
    cp "$blocks/$n.txt" "$script"
  fi
  (cd "$repo" && PATH=$repo/build:$PATH timeout 900 bash -e -o pipefail "$script") \
    </dev/null >"$blocks/$n.out" 2>&1
  rc=$?
  ran=$((ran + 1))
  if [[ $rc -eq 0 ]]; then
    t_pass "README.md:$line ($lang block) runs"
  else
    t_fail "README.md:$line ($lang block) runs" "exit $rc; the block:" "$(cat "$script")" \
      "its output (last 40 lines):" "$(tail -n 40 "$blocks/$n.out")"
  fi
}

while IFS=$'\t' read -r n line lang kind arg; do
  where="README.md:$line"
  shell=0
  case $lang in sh | bash | console) shell=1 ;; esac
  case $kind in
    not\ run)
      skipped+=("$where ($lang): not run: $arg")
      ;;
    needs)
      if command -v "$arg" >/dev/null; then
        run_block "$n" "$line" "$lang"
      else
        skipped+=("$where ($lang): needs $arg, which is not installed")
      fi
      ;;
    pending)
      if [[ "${SHOAL_README_PENDING:-0}" == 1 ]]; then
        run_block "$n" "$line" "$lang"
      else
        skipped+=("$where ($lang): PENDING: $arg (SHOAL_README_PENDING=1 runs it)")
      fi
      ;;
    file)
      if [[ ! -f "$ROOT/$arg" ]]; then
        t_fail "$where is $arg" "no such file in the repository"
      elif cmp -s "$blocks/$n.txt" "$ROOT/$arg"; then
        t_pass "$where is $arg, byte for byte"
      else
        t_fail "$where is $arg, byte for byte" \
          "$(diff -u --label "$arg" --label "README.md:$line" "$ROOT/$arg" "$blocks/$n.txt")"
      fi
      ((shell)) && run_block "$n" "$line" "$lang"
      ;;
    batch-example | map-example)
      mkdir -p "$(dirname "$repo/$arg")"
      cp "$blocks/$n.txt" "$repo/$arg"
      if [[ $kind == batch-example ]]; then
        cmd=(build/shoal batch "$arg" --list)
      else
        cmd=(build/shoal check "$arg")
      fi
      if (cd "$repo" && "${cmd[@]}") </dev/null >"$blocks/$n.out" 2>&1; then
        t_pass "$where: ${cmd[*]}"
      else
        t_fail "$where: ${cmd[*]}" "$(cat "$blocks/$n.out")"
      fi
      ;;
    count)
      want=$(cd "$repo" && build/shoal batch "$arg" --list </dev/null 2>/dev/null |
        grep -oE '[^[:space:]]+\.(png|pdf|svg)' | sort -u | wc -l)
      if [[ "$want" -gt 0 ]] && grep -qE "(^|[^0-9])$want files" "$blocks/$n.txt"; then
        t_pass "$where: the README says $want files, as $arg makes"
      else
        t_fail "$where: the README's file count for $arg" \
          "$arg lists $want output files; the paragraph says:" "$(cat "$blocks/$n.txt")"
      fi
      ;;
    unknown)
      t_fail "$where: unknown marker before a block" "$arg" \
        "known: not run, needs, pending, file, batch-example, map-example, count"
      ;;
    -)
      ((shell)) && run_block "$n" "$line" "$lang"
      ;;
    *)
      t_fail "$where: unknown marker '$kind'" \
        "known: not run, needs, pending, file, batch-example, map-example, count"
      ;;
  esac
done <"$WORK/manifest"

# Guard against a README that lost its blocks (or a parser that stopped finding them).
if ((ran >= 2)); then
  t_pass "ran $ran README shell blocks"
else
  t_fail "ran $ran README shell blocks" "expected at least 2: is the README's fencing intact?"
fi
for s in "${skipped[@]}"; do
  echo "skip - $s"
done
t_done
