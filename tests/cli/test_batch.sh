#!/usr/bin/env bash
# CLI tests of `shoal batch` (matrix, name templates, outputs relative to the current
# directory, failing jobs, report, up-to-date skips, shards) and of `shoal render --watch`
# (re-render after a file change, bounded in time).
source "$(dirname "$0")/lib.sh"
t_init "$@"
# Relative outputs in a batch file are relative to the current directory, like render -o.
cd "$WORK" || t_die "cannot cd to $WORK"

# A small, fast map: high-resolution land over the Spratlys at 200x150.
cat >"$WORK/small.yaml" <<EOF
map:
  size: [200, 150]
  extent: [111, 7, 118, 12]
  background: "#dfe9f0"
  title: "Small"
layers:
  - name: land
    data: $ROOT/shapes/land_h.shp
    fill: "#f3f0ea"
furniture: false
EOF
cp "$WORK/small.yaml" "$WORK/other.yaml"

# 2 maps x 2 langs x 2 scales = 8 good jobs, plus 2 jobs of a missing map file.
cat >"$WORK/set.batch.yaml" <<'EOF'
defaults:
  output: "out/{map}-{lang}@{scale}x.{ext}"
  formats: [png, pdf]
matrix:
  lang: [en, vi]
  scale: [1, 2]
jobs:
  - map: small.yaml
  - map: other.yaml
    set: {title: "Other"}
  - map: missing.yaml
    matrix: {scale: [1]}
EOF

# --list shows the expansion without rendering.
t_expect_exit 0 -- "$SHOAL" batch "$WORK/set.batch.yaml" --list
t_expect_stdout_has "small [lang=en scale=1]	out/small-en@1x.png	out/small-en@1x.pdf"
t_expect_stdout_has "other [lang=vi scale=2]	out/other-vi@2x.png	out/other-vi@2x.pdf"
t_expect_stdout_has "missing [lang=vi scale=1]	out/missing-vi@1x.png"
njobs=$(wc -l <"$WORK/last.out")
t_check "10 jobs after matrix expansion (got $njobs)" test "$njobs" -eq 10

# A run with a failing job: the others finish, the exit code says it failed, the report names it.
mkdir -p "$WORK/out"
t_expect_exit 66 -- "$SHOAL" batch "$WORK/set.batch.yaml" -j 2 --report "$WORK/report.json"
t_expect_stderr_has "FAILED missing [lang=en scale=1] (missing input)"
t_expect_stderr_has "cannot read '$WORK/missing.yaml'"
t_expect_stderr_has "10 jobs in"
t_expect_stderr_has "8 ok, 0 up to date, 2 failed"
for m in small other; do
  for l in en vi; do
    for s in 1 2; do
      t_expect_file "$WORK/out/$m-$l@${s}x.png"
      t_expect_file "$WORK/out/$m-$l@${s}x.pdf"
    done
  done
done
t_expect_no_file "$WORK/out/missing-en@1x.png"
leftovers=$(find "$WORK/out" -name '*.tmp*' | wc -l)
t_check "no temporary files left (found $leftovers)" test "$leftovers" -eq 0
t_check "report is valid JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$WORK/report.json"
t_check "report: the failing job is marked failed with its reason" python3 - "$WORK/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
jobs = {j["name"]: j for j in r["jobs"]}
bad = jobs["missing [lang=en scale=1]"]
assert bad["status"] == "failed" and bad["exit_code"] == 66, bad
assert any("missing.yaml" in e for e in bad["errors"]), bad
good = jobs["other [lang=vi scale=2]"]
assert good["status"] == "ok" and good["outputs"][0].endswith("other-vi@2x.png"), good
assert r["failed"] == 2 and r["jobs_run"] == 10, r
EOF

# --scale 2 really doubled the pixels.
t_expect_exit 0 -- "$SHOAL_IMGDIFF" --size "$WORK/out/small-en@2x.png"
t_expect_stdout_has "400 300"
t_expect_exit 0 -- "$SHOAL_IMGDIFF" --size "$WORK/out/small-en@1x.png"
t_expect_stdout_has "200 150"

# Up-to-date outputs are skipped; touching an input re-renders the jobs that read it.
t_expect_exit 66 -- "$SHOAL" batch "$WORK/set.batch.yaml" -j 2
t_expect_stderr_has "0 ok, 8 up to date, 2 failed"
sleep 1.1
touch "$WORK/other.yaml"
t_expect_exit 66 -- "$SHOAL" batch "$WORK/set.batch.yaml" -j 2
t_expect_stderr_has "4 ok, 4 up to date, 2 failed"
t_expect_exit 66 -- "$SHOAL" batch "$WORK/set.batch.yaml" -j 2 --force
t_expect_stderr_has "8 ok, 0 up to date, 2 failed"

# Shards partition the job list: every job exactly once over 1/3, 2/3, 3/3.
: >"$WORK/shards.txt"
for i in 1 2 3; do
  t_expect_exit 0 -- "$SHOAL" batch "$WORK/set.batch.yaml" --shard "$i/3" --list
  cat "$WORK/last.out" >>"$WORK/shards.txt"
done
t_expect_exit 0 -- "$SHOAL" batch "$WORK/set.batch.yaml" --list
t_check "shards cover every job exactly once" \
  diff <(sort "$WORK/shards.txt") <(sort "$WORK/last.out")
t_expect_exit 64 -- "$SHOAL" batch "$WORK/set.batch.yaml" --shard 4/3
t_expect_exit 64 -- "$SHOAL" batch "$WORK/set.batch.yaml" -j 0

# Errors in the batch file itself are reported at file:line:col.
cat >"$WORK/bad.batch.yaml" <<'EOF'
defaults:
  output: "out/{map}-{langg}.png"
jobz:
  - map: small.yaml
EOF
t_expect_exit 65 -- "$SHOAL" batch "$WORK/bad.batch.yaml"
t_expect_stderr_has "bad.batch.yaml:3:1: error: unknown key 'jobz' in the batch file (did you mean 'jobs'?)"
cat >"$WORK/bad2.batch.yaml" <<'EOF'
defaults:
  output: "out/{map}-{langg}.png"
jobs:
  - map: small.yaml
EOF
t_expect_exit 65 -- "$SHOAL" batch "$WORK/bad2.batch.yaml"
t_expect_stderr_has "bad2.batch.yaml:2:22: error: unknown name in output template"
cat >"$WORK/clash.batch.yaml" <<'EOF'
defaults:
  output: "out/same.png"
jobs:
  - map: small.yaml
  - map: other.yaml
EOF
t_expect_exit 65 -- "$SHOAL" batch "$WORK/clash.batch.yaml"
t_expect_stderr_has "both write"
t_expect_exit 66 -- "$SHOAL" batch "$WORK/nothere.batch.yaml"

# Names: a batch file found along SHOAL_PATH by name; its maps beside it or on the search path,
# its outputs in the current directory (not beside the batch file).
mkdir -p "$WORK/lib" "$WORK/jobs" "$WORK/cwd"
cp "$WORK/small.yaml" "$WORK/lib/libmap.yaml"
cp "$WORK/small.yaml" "$WORK/jobs/small.yaml"
cat >"$WORK/jobs/named.batch.yaml" <<'EOF'
defaults: {output: "out/{map}.png"}
jobs:
  - map: small.yaml
  - map: libmap.yaml
EOF
cd "$WORK/cwd" || t_die "cannot cd to $WORK/cwd"
t_expect_exit 0 -- env SHOAL_PATH="$WORK/jobs:$WORK/lib" "$SHOAL" batch named --list
t_expect_stdout_has "small	out/small.png"
t_expect_stdout_has "libmap	out/libmap.png"
t_expect_exit 0 -- env SHOAL_PATH="$WORK/jobs:$WORK/lib" "$SHOAL" batch named -j 2 -q
t_expect_file "$WORK/cwd/out/small.png"
t_expect_file "$WORK/cwd/out/libmap.png"
t_expect_no_file "$WORK/jobs/out"
# The up-to-date check looks at the outputs in the current directory too.
t_expect_exit 0 -- env SHOAL_PATH="$WORK/jobs:$WORK/lib" "$SHOAL" batch named -j 2
t_expect_stderr_has "0 ok, 2 up to date, 0 failed"
# Another current directory: nothing there yet, so both render again, there.
mkdir -p "$WORK/cwd2"
cd "$WORK/cwd2" || t_die "cannot cd to $WORK/cwd2"
t_expect_exit 0 -- env SHOAL_PATH="$WORK/lib" "$SHOAL" batch "$WORK/jobs/named.batch.yaml" -j 2
t_expect_stderr_has "2 ok, 0 up to date, 0 failed"
t_expect_file "$WORK/cwd2/out/small.png"
cd "$WORK/cwd" || t_die "cannot cd to $WORK/cwd"
t_expect_exit 66 -- env SHOAL_PATH="$WORK/jobs" "$SHOAL" batch nameless
t_expect_stderr_has "cannot find batch 'nameless': looked for 'nameless', '$WORK/jobs/nameless',"
t_expect_stderr_has "'nameless.batch.yaml', '$WORK/jobs/nameless.batch.yaml',"
t_expect_exit 64 -- "$SHOAL" batch named --jbos 2
t_expect_stderr_has "(did you mean '--jobs'?)"
cd "$WORK" || t_die "cannot cd to $WORK"

# A data file cut short under a running batch: job 1 opens it (the data cache keeps it open),
# then the test truncates it and only then lets job 2 read its map (a FIFO that blocks job 2
# until written; -j 1 runs the jobs in order). Job 2 fails with the file, the record and why,
# on stderr and in the report; no sleeps, no race.
mkdir -p "$WORK/cut"
# Big enough that reads go past stdio's buffer to the file.
# With its .qix, so that job 2 fails in the query (where the error used to be lost).
for ext in shp shx dbf prj qix; do cp "$ROOT/shapes/land_h.$ext" "$WORK/cut/land.$ext"; done
cut_map() { # cut_map EXTENT
  printf 'map:\n  size: [200, 150]\n  crs: "EPSG:4326"\n  extent: %s\nlayers:\n' "$1"
  printf '  - name: land\n    data: land.shp\n    fill: "#3a7d44"\nfurniture: false\n'
}
cut_map "[105, 0, 125, 25]" >"$WORK/cut/a.yaml"
cut_map "[100, -5, 130, 30]" >"$WORK/cut/b.src"
mkfifo "$WORK/cut/b.yaml"
printf 'jobs:\n  - map: a.yaml\n    output: cut/a.png\n  - map: b.yaml\n    output: cut/b.png\n' \
  >"$WORK/cut/cut.batch.yaml"
"$SHOAL" batch "$WORK/cut/cut.batch.yaml" -j 1 --force --report "$WORK/cut/report.json" \
  >"$WORK/last.out" 2>"$WORK/last.err" &
cpid=$!
exec 3>"$WORK/cut/b.yaml" # returns once job 2 opens its map: job 1 is done
truncate -s 1000000 "$WORK/cut/land.shp"
cat "$WORK/cut/b.src" >&3
exec 3>&-
wait "$cpid"
crc=$?
t_check "data cut under a batch: exit 65 (got $crc)" test "$crc" -eq 65
t_check "data cut under a batch: the first job's map is drawn" test -s "$WORK/cut/a.png"
t_expect_stderr_has "FAILED b (bad data or style)"
why="'$WORK/cut/land.shp' changed while it was being read (3250444 bytes when opened, 1000000 now): record"
t_expect_stderr_has "$why"
t_expect_stderr_has "is no longer in it"
t_check "data cut under a batch: the report names the error" \
  grep -qF "\"errors\": [\"$why" "$WORK/cut/report.json"
t_expect_no_file "$WORK/cut/b.png"

# --max-pixels: a batch job's page over the budget fails and the error says how to raise it;
# the option raises or lowers the budget for every job.
mkdir -p "$WORK/px"
cat >"$WORK/px/px.batch.yaml" <<EOF
defaults:
  output: "px/{map}.{ext}"
  formats: [png]
jobs:
  - map: $WORK/small.yaml
EOF
t_expect_exit 65 -- "$SHOAL" batch "$WORK/px/px.batch.yaml" --force --max-pixels 10000 -j 1
t_expect_stderr_has "200x150 px at scale 1 is 30000 device pixels, over the limit of 10000"
t_expect_stderr_has "shoal batch --max-pixels raises it"
t_expect_no_file "$WORK/px/small.png"
t_expect_exit 0 -- "$SHOAL" batch "$WORK/px/px.batch.yaml" --force --max-pixels 30000 -j 1
t_expect_file "$WORK/px/small.png"
t_expect_exit 64 -- "$SHOAL" batch "$WORK/px/px.batch.yaml" --max-pixels 0
t_expect_stderr_has "--max-pixels needs a number of pixels, not '0'"

# Watch mode: render, change the map file, expect a second render; SIGTERM ends it cleanly,
# with the exit code of an interrupted run.
cp "$WORK/small.yaml" "$WORK/watched.yaml"
"$SHOAL" render "$WORK/watched.yaml" -o "$WORK/watched.png" --watch 2>"$WORK/watch.log" &
wpid=$!
wait_for() { # wait_for PATTERN SECONDS
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    grep -qF -- "$1" "$WORK/watch.log" && return 0
    sleep 0.1
  done
  return 1
}
t_check "watch: first render" wait_for "[1] rendered $WORK/watched.png" 20
cp "$WORK/watched.png" "$WORK/watched-1.png"
sed -i 's/#dfe9f0/#203040/' "$WORK/watched.yaml"
t_check "watch: re-rendered after the map file changed" wait_for "[2] rendered" 20
t_check "watch: the new render differs" bash -c "! cmp -s '$WORK/watched.png' '$WORK/watched-1.png'"
# A broken edit is reported without exiting, and fixing it renders again.
sed -i 's/background: "#203040"/backgroud: "#203040"/' "$WORK/watched.yaml"
t_check "watch: error reported, still watching" wait_for "[3] render failed" 20
t_check "watch: the error names the key" grep -qF "unknown key 'backgroud'" "$WORK/watch.log"
sed -i 's/backgroud:/background:/' "$WORK/watched.yaml"
t_check "watch: fixed file renders again" wait_for "[4] rendered" 20
kill -TERM "$wpid"
wait "$wpid"
wrc=$?
t_check "watch: SIGTERM ends with exit 143 (got $wrc)" test "$wrc" -eq 143
t_check "watch: says it stopped" grep -qF "stopped watching" "$WORK/watch.log"

t_done
