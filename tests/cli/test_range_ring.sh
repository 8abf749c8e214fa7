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
t_check "circle reaches 1.0049 deg north and 0.9982 deg east, to the pixel" python3 - "$WORK/ring.png" <<'EOF2'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
pos, idat, w, h, ct = 8, b"", 0, 0, 0
while pos < len(data):
    n, = struct.unpack(">I", data[pos:pos + 4]); kind = data[pos + 4:pos + 8]
    body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b"IHDR": w, h, _, ct = struct.unpack(">IIBB", body[:10])
    if kind == b"IDAT": idat += body
raw = zlib.decompress(idat); bpp = 3 if ct == 2 else 4; stride = w * bpp
rows, prev = [], bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
red = lambda x, y: rows[y][x * bpp] > 200 and rows[y][x * bpp + 1] < 60
# North edge at y = 200 - 100.49 = 99.5: pixel row 100 (centre 100.5) inside, row 98 outside.
assert red(200, 101) and not red(200, 98), "north edge"
# East edge at x = 200 + 99.82 = 299.8: column 299 inside, column 302 outside.
assert red(299, 200) and not red(302, 200), "east edge"
EOF2
t_done
