#!/usr/bin/env bash
# A nautical-mile zone (highlight with radius-nm) is the geodesic circle: 60 nm around a point
# on the equator reaches 1.0049 degrees of latitude north (111,120 m over 110,574 m per degree)
# and 0.9982 degrees of longitude east (111,319 m per degree); checked on the pixels of a plain
# lon/lat map.
source "$(dirname "$0")/lib.sh"
t_init "$@"

cat >"$WORK/ring.yaml" <<'EOF2'
map:
  size: [400, 400]
  extent: [108, -2, 112, 2]      # 100 px per degree, centre (110, 0) at pixel (200, 200)
  background: "#ffffff"
layers: []
annotations:
  - highlight: {at: [110, 0], radius-nm: 60, fill: "#ff0000"}
furniture: false
EOF2
t_expect_exit 0 -- "$SHOAL" render "$WORK/ring.yaml" -o "$WORK/ring.png"
# Sample pixels with a tiny Cairo-free reader: Python's zlib is enough for an RGB PNG.
t_check "circle reaches 1.0049 deg north and 0.9982 deg east, to the pixel" python3 - "$WORK/ring.png" "$ROOT/tests/tools" <<'EOF2'
import sys
sys.path.insert(0, sys.argv[2])
from pngrows import read_png
w, h, bpp, rows = read_png(sys.argv[1])
red = lambda x, y: rows[y][x * bpp] > 200 and rows[y][x * bpp + 1] < 60
# North edge at y = 200 - 100.49 = 99.5: pixel row 100 (centre 100.5) inside, row 98 outside.
assert red(200, 101) and not red(200, 98), "north edge"
# East edge at x = 200 + 99.82 = 299.8: column 299 inside, column 302 outside.
assert red(299, 200) and not red(302, 200), "east edge"
EOF2
t_done
