#!/usr/bin/env bash
# Golden images of the core renderer (maps in tests/golden/core/, references
# tests/golden/core_*.png): land, rule-styled lines and markers, polygons with holes (even-odd),
# hatching, opacity, a hidden layer, and the same map in EPSG:4326, EPSG:3857, UTM 50N and a
# Lambert conformal conic; each map drawn to PNG, PDF and SVG.
#   tests/cli/test_golden_core.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

CORE=$ROOT/tests/golden/core

# Tolerances (t_golden MAX_DIFF MAX_PIXELS; the images are 400x300 = 120000 pixels):
#  - PNG against its reference: the default, no pixel off by more than 8. Same binary, same
#    cairo: the output is deterministic.
#  - SVG (rasterised by rsvg-convert, which draws with cairo too) against the PNG reference:
#    24 and 20 pixels (0.02 %). Measured: no pixel off by more than 7.
#  - PDF (rasterised by pdftoppm, poppler's Splash rasteriser) against its own reference
#    core_NAME_pdf.png: 24 and 20 pixels. Splash snaps strokes to the pixel grid ("stroke
#    adjustment"), so almost every stroked edge differs from cairo's PNG by up to ~130: a
#    separate reference is needed for a tight check.
#  - PDF against the PNG reference as a cross-format check that the PDF draws the same map:
#    100 and 120 pixels (0.1 %). Measured: at most 17-30 pixels off by more than 96, all on
#    stroked edges; a missing or moved layer or a wrong colour changes far more.
for name in rules merc3857 utm50 lcc holes; do
    out=$WORK/$name
    t_expect_exit 0 -- "$SHOAL" render "$CORE/$name.yaml" -o "$out.png" -o "$out.pdf" -o "$out.svg"
    if [[ -s "$WORK/last.err" ]]; then
        t_fail "$name renders without messages" "$(cat "$WORK/last.err")"
    else
        t_pass "$name renders without messages"
    fi
    t_golden "core_$name" "$out.png"
    t_golden "core_$name" "$out.svg" 24 20
    t_golden "core_${name}_pdf" "$out.pdf" 24 20
    t_golden "core_$name" "$out.pdf" 100 120
done

# The layer marked `visible: false` really is what keeps it out: shown, it changes the image.
t_expect_exit 0 -- "$SHOAL" render "$CORE/rules.yaml" -o "$WORK/shown.png" \
    --set layers.hidden.visible=true
out=$("$SHOAL_IMGDIFF" "$WORK/shown.png" "$ROOT/tests/golden/core_rules.png" --max-diff 8 2>&1)
if [[ $? -eq 1 && "$out" == *" pixels differ by more than 8"* ]]; then
    t_pass "a hidden layer made visible changes the image ($out)"
else
    t_fail "a hidden layer made visible changes the image" "$out"
fi

t_done
