#!/usr/bin/env bash
# Fractional scales keep the CSS-px layout: at --scale 1.5 an 801x801 page is 1201.5 device px
# (a 1202 px PNG), and a mark sits where PROJ puts it on the 801 px layout times 1.5, within
# 0.25 px, also at the bottom-right where stretching the map to 1202 px would push it 0.44 px.
source "$(dirname "$0")/lib.sh"
t_init "$@"

cat >"$WORK/frac.yaml" <<'EOF2'
map:
  size: [801, 801]
  extent: [108, -2, 112, 2]      # 200.25 CSS px per degree
  background: "#ffffff"
layers: []
annotations:
  - highlight: {at: [111.5, -1.5], radius-nm: 10, fill: "#ff0000"}
  - highlight: {at: [108.5, 1.5], radius-nm: 10, fill: "#ff0000"}
furniture: false
EOF2
for scale in 1.5 1.25 0.75 3; do
    t_expect_exit 0 -- "$SHOAL" render "$WORK/frac.yaml" --scale $scale -o "$WORK/frac.png"
    t_check "scale $scale: both discs centred within 0.25 px of PROJ x scale" \
        python3 - "$WORK/frac.png" "$scale" "$ROOT/tests/tools" <<'EOF2'
import sys
sys.path.insert(0, sys.argv[3])
from pngrows import read_png
s = float(sys.argv[2])
w, h, bpp, rows = read_png(sys.argv[1])
assert w == int(801 * s + 0.5) and h == w, "page size %dx%d" % (w, h)
k = 801 / 4 * s                     # device px per degree on the CSS layout
for lon, lat in ((111.5, -1.5), (108.5, 1.5)):
    ex, ey = (lon - 108) * k, (2 - lat) * k
    r = int(0.2 * k) + 2
    sa = sx = sy = 0.0
    for y in range(max(0, int(ey) - r), min(h, int(ey) + r)):
        for x in range(max(0, int(ex) - r), min(w, int(ex) + r)):
            a = 1 - rows[y][x * bpp + 1] / 255
            sa += a; sx += a * (x + 0.5); sy += a * (y + 0.5)
    cx, cy = sx / sa, sy / sa
    assert abs(cx - ex) <= 0.25 and abs(cy - ey) <= 0.25, \
        "disc at (%g, %g) drawn at (%.3f, %.3f), PROJ x scale says (%.3f, %.3f)" % (lon, lat, cx, cy, ex, ey)
EOF2
done
t_done
