#!/usr/bin/env bash
# `shoal serve` over HTTP with curl: status codes, the JSON API (inspect at Second Thomas
# Shoal names it and its holder; a broken map returns its errors with their locations, as the
# command line prints them), nothing but the API is served (traversal, data files, other paths
# are 404), a burst of 20 saves renders at most twice, a client leaving mid-render costs
# nothing, --host warns, SIGINT/SIGTERM stop it. Works on a scratch copy of styles/.
#   tests/cli/test_serve.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"
set -m # background jobs get SIGINT delivered

command -v curl >/dev/null || t_die "curl is needed (scripts/setup installs it)"
mkdir -p "$WORK/site"
cp -r "$ROOT/styles" "$WORK/site/styles"
# The data by links, but the places as a copy: a save of a data file is watched too.
mkdir -p "$WORK/site/shapes"
ln -s "$ROOT"/shapes/* "$WORK/site/shapes/"
rm "$WORK/site/shapes"/places.*
cp "$ROOT"/shapes/places.* "$WORK/site/shapes/"
MAP=$WORK/site/styles/second-thomas-shoal.yaml
cd "$WORK/site" || t_die "no scratch site"

# start_serve LOG ARGS...: start the server in the background; sets PID and BASE.
start_serve() {
    local log=$1
    shift
    "$SHOAL" serve "$@" 2>"$log" &
    PID=$!
    BASE=""
    for _ in $(seq 100); do
        BASE=$(grep -o 'http://[^ ]*/' "$log" | head -1)
        [[ -n "$BASE" ]] && return 0
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.1
    done
    t_fail "shoal serve $* starts" "$(cat "$log")"
    return 1
}

# code PATH [curl args]: the HTTP status of GET BASE PATH (as written: no normalising).
code() {
    local p=$1
    shift
    curl -s --path-as-is -o "$WORK/body" -w '%{http_code}' "$@" "${BASE%/}$p"
}

expect_code() {
    local want=$1 p=$2 got
    shift 2
    got=$(code "$p" "$@")
    if [[ "$got" == "$want" ]]; then t_pass "GET $p $* is $want"; else t_fail "GET $p $* is $want" "got $got: $(head -c 300 "$WORK/body")"; fi
}

# json PATH EXPR: evaluate a Python expression over the JSON answer j.
json() {
    curl -s "${BASE%/}$1" | python3 -c "import json,sys; j=json.load(sys.stdin); print($2)"
}

# save FILE: rewrite a file as editors do (a new file renamed over it), its text from stdin.
save() {
    cat >"$1.tmp" && mv "$1.tmp" "$1"
}

# wait_for PY_EXPR_OVER_STATUS: poll the status until the expression is true (10 s at most).
wait_for() {
    for _ in $(seq 100); do
        [[ "$(json /api/status "$1")" == True ]] && return 0
        sleep 0.1
    done
    return 1
}

start_serve "$WORK/serve.log" "$MAP" --port 0 || t_done
t_check "listens on 127.0.0.1 by default" grep -q "http://127.0.0.1:" "$WORK/serve.log"

# ---- the page, the image and the API -------------------------------------------------------
expect_code 200 /
t_check "the page is the built-in HTML" grep -q "<title>Shoal preview</title>" "$WORK/body"
expect_code 200 /api/status
t_check "status says the map drew, with its languages and layers" python3 -c "
import json; j = json.load(open('$WORK/body'))
assert j['ok'] and j['renders'] == 1 and j['langs'] == ['en', 'vi', 'zh'], j
assert [l['name'] for l in j['layers']] == ['zone-boundaries', 'land', 'nine-dash-line', 'places']"
expect_code 200 /map.png
t_check "the image is a PNG" bash -c "head -c 8 '$WORK/body' | od -An -tx1 | grep -q '89 50 4e 47'"
RULE_LINE=$(grep -n "filter: \"id in ('second_thomas_shoal'" "$MAP" | cut -d: -f1)
expect_code 200 "/api/inspect?lon=115.86667&lat=9.73333"
t_check "inspect at 115.86667 E 9.73333 N names Second Thomas Shoal, held by PH, and its rule" \
    python3 -c "
import json; j = json.load(open('$WORK/body'))
f = [f for L in j['layers'] if L['layer'] == 'places' for f in L['features']
     if f['attributes']['name_en'] == 'Second Thomas Shoal']
assert f and f[0]['attributes']['held_by'] == 'PH', j
assert f[0]['rule']['at'].endswith('second-thomas-shoal.yaml:$RULE_LINE:18'), f[0]['rule']
assert j['where'] == '9°44.0′N 115°52.0′E', j['where']"
expect_code 200 "/api/inspect?lon=118.6&lat=9.7"
t_check "inspect on Palawan lists the land layer" grep -q '"layer":"land"' "$WORK/body"
expect_code 200 "/api/lonlat?x=600&y=400"
t_check "lonlat gives degrees and minutes" grep -q '"where":"[0-9]*°[0-9.]*′N' "$WORK/body"
expect_code 200 /api/labels
t_check "labels lists placed labels with boxes and candidates" python3 -c "
import json; j = json.load(open('$WORK/body'))
assert any(l['placed'] and l['text'] == 'Palawan' and l['candidates'] for l in j['labels']), j"
expect_code 200 /download/map.pdf
t_check "the PDF download is a PDF" grep -q '^%PDF' "$WORK/body"
curl -s -D "$WORK/headers" -o /dev/null "${BASE}download/map.pdf"
t_check "the download is saved as second-thomas-shoal-en.pdf" \
    grep -qi 'Content-Disposition: attachment; filename="second-thomas-shoal-en.pdf"' "$WORK/headers"
expect_code 200 /download/map.svg
t_check "the SVG download is SVG" grep -q '<svg' "$WORK/body"
expect_code 200 "/map.png?lang=vi&w=600&h=600&scale=1&hide=land"
t_check "a view with overrides renders it" python3 -c "
import json, urllib.request
j = json.load(urllib.request.urlopen('${BASE}api/status'))
assert j['lang'] == 'vi' and j['size'] == [600, 600] and j['title'].replace('\xa0', ' ') == 'Bãi Cỏ Mây', j
assert [l['visible'] for l in j['layers']] == [True, False, True, True], j"
expect_code 200 "/map.png"

# ---- only the API: everything else is 404, bad requests are refused -------------------------
for p in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /styles/second-thomas-shoal.yaml \
    /second-thomas-shoal.yaml /shapes/places.shp "$ROOT/shapes/places.shp" /api/../map.png \
    /map.png/../../etc/passwd /download/map.yaml /api /favicon.ico "/..%2fshapes%2fplaces.dbf"; do
    expect_code 404 "$p"
done
expect_code 405 / -X POST -d x=1
expect_code 400 "/api/inspect?x=abc&y=1"
expect_code 400 "/map.png?scale=1e9"
expect_code 400 "/map.png?lang=../../etc"
long=$(head -c 100000 /dev/zero | tr '\0' a)
got=$(code "/api/status?q=$long")
if [[ "$got" != 200 ]]; then t_pass "a 100 kB request is refused ($got)"; else t_fail "a 100 kB request is refused"; fi

# ---- server-sent events and a burst of saves -------------------------------------------------
curl -s -N --max-time 6 "${BASE}api/events" >"$WORK/events" &
EV=$!
sleep 0.5
r0=$(json /api/status "j['renders']")
# 20 saves as fast as a script makes them, each a new file renamed over the map.
python3 - "$MAP" <<'PY'
import os, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
for i in range(20):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text + f"# save {i}\n")
    os.replace(path + ".tmp", path)
PY
sleep 2
r1=$(json /api/status "j['renders']")
if ((r1 - r0 >= 1 && r1 - r0 <= 2)); then
    t_pass "a burst of 20 saves renders at most twice ($((r1 - r0)))"
else
    t_fail "a burst of 20 saves renders at most twice" "renders went from $r0 to $r1"
fi
wait "$EV"
t_check "the event stream announced the render" grep -q '^event: render' "$WORK/events"

# ---- a data file saved is drawn again ------------------------------------------------------
r0=$(json /api/status "j['renders']")
cp "$ROOT/shapes/places.dbf" "$WORK/site/shapes/places.dbf.tmp"
mv "$WORK/site/shapes/places.dbf.tmp" "$WORK/site/shapes/places.dbf"
if wait_for "j['renders'] > $r0 and j['ok']"; then t_pass "saving a data file draws the map again"; else t_fail "saving a data file draws the map again"; fi

# ---- a broken map: its errors with locations, the last good image kept ------------------------
cp "$MAP" "$WORK/good.yaml"
sed 's/^  size: \[1200, 800\]/  size: [1200, wide]/' "$WORK/good.yaml" | save "$MAP"
if wait_for "not j['ok']"; then t_pass "a broken save shows as not ok"; else t_fail "a broken save shows as not ok"; fi
"$SHOAL" render "$MAP" -o "$WORK/broken.png" 2>"$WORK/cli.err"
json /api/status "j['messages']" >"$WORK/messages"
size_line=$(grep -n "^  size: \[1200, wide\]" "$MAP" | cut -d: -f1)
t_check "the errors have file:line:col" grep -q "second-thomas-shoal.yaml:$size_line:16: error" "$WORK/messages"
t_check "the errors are what the command line prints, source line and caret too" python3 -c "
cli = open('$WORK/cli.err').read(); page = open('$WORK/messages').read()
lines = [l for l in cli.splitlines() if not l.startswith('shoal: ')]
assert lines and all(l in page.splitlines() for l in lines), (cli, page)
assert any(l.rstrip().endswith('|                ^') for l in page.splitlines()), page"
expect_code 200 /map.png
t_check "the last good image is still served" bash -c "head -c 8 '$WORK/body' | od -An -tx1 | grep -q '89 50 4e 47'"
save "$MAP" <"$WORK/good.yaml"
if wait_for "j['ok'] and j['messages'] == ''"; then t_pass "the next good save clears the errors"; else t_fail "the next good save clears the errors"; fi

# ---- a client leaving mid-render costs nothing --------------------------------------------
curl -s --max-time 0.05 -o /dev/null "${BASE}map.png?lang=zh&scale=2" || true
sleep 1.5
expect_code 200 /api/status
t_check "after a client left mid-render the server still renders" python3 -c "
import json; j = json.load(open('$WORK/body')); assert j['ok'] and not j['rendering'], j"

# ---- stopping --------------------------------------------------------------------------------
kill -TERM "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
    t_fail "SIGTERM stops it within 5 s"
    kill -KILL "$PID"
else
    wait "$PID"
    rc=$?
    # 0: stopped as asked (under the sanitizers, also: nothing leaked)
    if [[ $rc == 0 ]]; then t_pass "SIGTERM stops it within 5 s, exit 0"; else t_fail "SIGTERM stops it within 5 s, exit 0" "exit $rc: $(tail -20 "$WORK/serve.log")"; fi
fi
t_check "it said it stopped" grep -q "stopped serving" "$WORK/serve.log"

start_serve "$WORK/serve2.log" "$MAP" --port 0 --host 0.0.0.0 || t_done
t_check "--host 0.0.0.0 warns that the network can read the map" \
    grep -q "warning: listening on 0.0.0.0: anyone" "$WORK/serve2.log"
curl -s -N --max-time 20 "${BASE}api/events" >/dev/null &
sleep 0.3
kill -INT "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then
    t_fail "SIGINT stops it within 5 s, an event stream open"
    kill -KILL "$PID"
else
    t_pass "SIGINT stops it within 5 s, an event stream open"
fi
wait 2>/dev/null

t_expect_exit 64 -- "$SHOAL" serve
t_expect_exit 64 -- "$SHOAL" serve "$MAP" --port 70000
t_expect_exit 66 -- "$SHOAL" serve "$WORK/none.yaml" --port 0
t_done
