#!/usr/bin/env bash
# Golden images of seams and horizons: the small world of tests/data/world (rings across 180,
# 0 and -30, a ring holding the south pole, lines across 180) in EPSG:4326, EPSG:3857,
# Robinson centred on 180, equirectangular centred on 150, EPSG:3832 (Mercator centred on
# 150), an orthographic view of the western Pacific and a Mercator view across 180 written
# both ways ([100, -50, -120, 60] and [100, -50, 240, 60]). No streak across the map, no
# sliver from the far side of the globe. Annotations (a range ring, a polygon, a distance line,
# a highlight `within` a box) across 180 go through the same cut: ring3857 and ringrobin180. An
# inset across 180 frames a main map across 180 with one box: inset3857. Maps in tests/golden/seam/, references
# tests/golden/seam_*.png (regenerate: SHOAL_UPDATE_GOLDEN=1, see lib.sh).
#   tests/cli/test_golden_seam.sh SHOAL_BINARY REPO_ROOT SCRATCH_DIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

SEAM=$ROOT/tests/golden/seam

for name in wgs84 merc3857 robin180 eqc150 pdc3832 ortho pacific3857 ring3857 ringrobin180 inset3857; do
    t_expect_exit 0 -- "$SHOAL" render "$SEAM/$name.yaml" -o "$WORK/$name.png"
    if [[ -s "$WORK/last.err" ]]; then
        t_fail "$name renders without messages" "$(cat "$WORK/last.err")"
    else
        t_pass "$name renders without messages"
    fi
    t_golden "seam_$name" "$WORK/$name.png"
done

# East < west means the same crossing of 180 as east > 180: the same image.
t_expect_exit 0 -- "$SHOAL" render "$SEAM/pacific3857.yaml" -o "$WORK/pacific_neg.png" \
    --set 'map.extent=[100, -50, -120, 60]'
t_golden "seam_pacific3857" "$WORK/pacific_neg.png"

# The inset's extent crossing 180 written with east > 180: the same image.
t_expect_exit 0 -- "$SHOAL" render "$SEAM/inset3857.yaml" -o "$WORK/inset_east.png" \
    --set 'furniture.inset.extent=[100, -50, 240, 60]'
t_golden "seam_inset3857" "$WORK/inset_east.png"

# `check` reports an extent outside the CRS's area of use (the bad-input corpus has more).
t_expect_exit 65 -- "$SHOAL" check "$SEAM/merc3857.yaml" --set 'map.extent=[100, 89, 120, 90]'
t_expect_stderr_has "lies outside the area of use of 'EPSG:3857'"

t_done
