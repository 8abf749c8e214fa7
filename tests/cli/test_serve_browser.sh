#!/usr/bin/env bash
# `shoal serve` in a real browser (headless Chromium through chromedriver and selenium,
# tests/serve/browser.py): a land colour saved in a scratch copy of the map shows on the page
# within 2 s, a click on Second Thomas Shoal names it in the inspect panel, switching to
# Vietnamese shows Vietnamese names. Saves the page's screenshot as $WORK/page.png; with
# SHOAL_UPDATE_SCREENSHOT=1 also as docs/live-preview.png (the README's picture).
#   tests/cli/test_serve_browser.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# The Debian python3-selenium package is for the system's Python.
PY=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c "import selenium" 2>/dev/null; then PY=$p; break; fi
done
[[ -n "$PY" ]] || t_die "python3-selenium is needed (scripts/setup installs it)"
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] ||
    t_die "chromium and chromium-driver are needed (scripts/setup installs them)"

mkdir -p "$WORK/site"
cp -r "$ROOT/styles" "$WORK/site/styles"
ln -s "$ROOT/shapes" "$WORK/site/shapes"
# Served by a relative name, as a user would: the page shows the paths it was given.
cd "$WORK/site" || t_die "no scratch site"
MAP=styles/second-thomas-shoal.yaml
export HOME=$WORK # Chromium keeps its profile and crash reports under HOME

"$SHOAL" serve "$MAP" --port 0 2>"$WORK/serve.log" &
PID=$!
BASE=""
for _ in $(seq 100); do
    BASE=$(grep -o 'http://[^ ]*/' "$WORK/serve.log" | head -1)
    [[ -n "$BASE" ]] && break
    sleep 0.1
done
if [[ -z "$BASE" ]]; then
    t_fail "shoal serve starts" "$(cat "$WORK/serve.log")"
    kill "$PID" 2>/dev/null
    t_done
fi

if timeout 120 "$PY" "$ROOT/tests/serve/browser.py" "$BASE" "$MAP" --screenshot "$WORK/page.png" \
    >"$WORK/browser.out" 2>&1; then
    t_pass "the page in headless Chromium"
else
    t_fail "the page in headless Chromium" "$(tail -c 3000 "$WORK/browser.out")"
fi
cat "$WORK/browser.out"
if [[ "${SHOAL_UPDATE_SCREENSHOT:-}" == 1 && -s "$WORK/page.png" ]]; then
    cp "$WORK/page.png" "$ROOT/docs/live-preview.png"
fi
kill "$PID"
wait "$PID" 2>/dev/null
t_done
