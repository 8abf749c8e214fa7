#!/bin/bash
# Golden images and CLI behaviour of labels and annotations: dense points, labels at the frame
# edge, labels along lines, a label that must be dropped (warning, and an error with
# --strict-labels), the annotations in PNG and PDF, Vietnamese and Chinese shaping, and the
# label errors.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

MAPS=$ROOT/tests/golden/labels

# Dense points: moves round the markers, leader lines, and drops reported by name.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/dense.yaml" -o "$WORK/dense.png"
t_expect_stderr_has "warning: label 'Puerto Princesa' (layer places) could not be placed"
t_golden labels_dense "$WORK/dense.png"

# Two-line labels keep their second line clear of the others.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/twoline.yaml" -o "$WORK/twoline.png"
t_golden labels_twoline "$WORK/twoline.png"

# Places on every side of the page put their labels on the inner side.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/edge.yaml" -o "$WORK/edge.png"
t_golden labels_edge "$WORK/edge.png"

# Labels along lines: beside the line, upright, on the longest free stretch, clear of the
# obstacle line crossing it; a text without fields labels its (obstacle) line too.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/line.yaml" -o "$WORK/line.png" -v
t_expect_stderr_has "2 labels placed, 0 dropped"
t_golden labels_line "$WORK/line.png"

# A label with no free position is left out with a warning naming it ...
t_expect_exit 0 -- "$SHOAL" render "$MAPS/drop.yaml" -o "$WORK/drop.png"
t_expect_stderr_has "warning: label 'BRP Sierra Madre (LT-57)' (layer outposts) could not be placed"
t_golden labels_drop "$WORK/drop.png"
# ... and with --strict-labels it is an error (exit 65) and no file is left behind.
t_expect_exit 65 -- "$SHOAL" render "$MAPS/drop.yaml" -o "$WORK/strict.png" --strict-labels
t_expect_stderr_has "error: label 'BRP Sierra Madre (LT-57)' (layer outposts) could not be placed (--strict-labels)"
t_expect_no_file "$WORK/strict.png"

# Annotations: star marker with label, callout, hatched highlight, distance note, path text.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/annotations.yaml" -o "$WORK/ann.png"
t_golden labels_annotations "$WORK/ann.png"
# The vector outputs get the distance label without its '≈': in these fonts only the CJK and
# Math faces have that glyph, and cairo 1.16 leaks memory subsetting a CFF CJK face into a
# PDF, which would fail the AddressSanitizer run for a reason outside Shoal.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/annotations.yaml" -o "$WORK/ann.pdf" -o "$WORK/ann.svg" \
    --set 'annotations.3.distance.label="{nm} nm ({km} km)"'

t_golden labels_annotations_pdf "$WORK/ann.pdf"
# Text stays text, and the hatching stays vector: no raster image in the PDF or SVG.
text=$(pdftotext "$WORK/ann.pdf" - 2>&1 | tr '\n' ' ')
for want in "BRP Sierra Madre," "Second Thomas Shoal" "Puerto Princesa" "171 nm (316 km)"; do
    if [[ "$text" == *"$want"* ]]; then
        t_pass "PDF text has '$want'"
    else
        t_fail "PDF text has '$want'" "pdftotext gave: $text"
    fi
done
if [[ "$(pdfimages -list "$WORK/ann.pdf" 2>&1 | tail -n +3)" == "" ]] && ! grep -q "<image" "$WORK/ann.svg"; then
    t_pass "no raster images in the PDF and SVG"
else
    t_fail "no raster images in the PDF and SVG"
fi

# Language: Vietnamese diacritics and Chinese characters, falling back to English names.
t_expect_exit 0 -- "$SHOAL" render "$MAPS/dense.yaml" -o "$WORK/vi.png" --set lang=vi
t_expect_stderr_has "area label 'Quần đảo Trường Sa' could not be placed"
t_golden labels_vi "$WORK/vi.png"
t_expect_exit 0 -- "$SHOAL" render "$MAPS/dense.yaml" -o "$WORK/zh.png" --set lang=zh
t_expect_stderr_has "label '牛轭礁' (layer places) could not be placed"
t_golden labels_zh "$WORK/zh.png"

# Bad input: every error reported at its file:line:col, exit 65, nothing written.
t_expect_exit 65 -- "$SHOAL" render "$MAPS/bad.yaml" -o "$WORK/bad.png"
t_expect_stderr_has "bad.yaml:15:21: error: unknown place 'second_tomas_shoal' in layer 'places' (did you mean 'second_thomas_shoal'?)"
t_expect_stderr_has "bad.yaml:11:25: error: label template field 'nmae_zh' is not in"
t_expect_stderr_has "(did you mean 'name_zh'?)"
t_expect_stderr_has "bad.yaml:12:14: error: unknown font 'Noto Sanz' (did you mean 'Noto Sans'?)"
t_expect_stderr_has "bad.yaml:13:22: error: unknown language 'vie' (did you mean 'vi'?)"
t_expect_no_file "$WORK/bad.png"
t_expect_exit 65 -- "$SHOAL" check "$MAPS/bad.yaml"
t_expect_stderr_has "unknown place 'second_tomas_shoal'"
t_expect_exit 65 -- "$SHOAL" render "$MAPS/dense.yaml" -o "$WORK/xx.png" --set lang=xx
t_expect_stderr_has "error: unknown language 'xx' (known: en, zh, zh-Latn, vi, fil, ms, id; or give the data a name_xx field)"
t_expect_no_file "$WORK/xx.png"

t_done
