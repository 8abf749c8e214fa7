#!/bin/bash
# Distance to the nearest coast (annotations: distance with to-coast): on a made-up island
# whose north shore runs along the equator, the nearest point from just north of the shore's
# middle is inside a segment (5.5 km, not the 111 km to a corner), from the north-west it is
# the corner; `containing` picks one island of two, and the shipped Second Thomas Shoal map
# measures about 105 nmi to Palawan, as published.
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

# Two square islands (WGS84): A = 0..2 E, 1 S..0 (north shore on the equator), B = 3..4 E,
# 0.5..1.5 N, written as a polygon shapefile with .shx, .dbf (FID) and .prj.
python3 - "$WORK/isl" <<'PY'
import struct, sys
out = sys.argv[1]
rings = [[(0, -1), (0, 0), (2, 0), (2, -1), (0, -1)], [(3, 0.5), (3, 1.5), (4, 1.5), (4, 0.5), (3, 0.5)]]
recs = []
for r in rings:
    xs, ys = [p[0] for p in r], [p[1] for p in r]
    body = struct.pack("<i4dii", 5, min(xs), min(ys), max(xs), max(ys), 1, len(r)) + struct.pack("<i", 0)
    body += b"".join(struct.pack("<2d", *p) for p in r)
    recs.append(body)
def header(length_words):
    return struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_words) + struct.pack("<2i4d4d", 1000, 5, 0, -1, 4, 1.5, 0, 0, 0, 0)
shp, shx, off = b"", b"", 50
for i, b in enumerate(recs):
    shp += struct.pack(">2i", i + 1, len(b) // 2) + b
    shx += struct.pack(">2i", off, len(b) // 2)
    off += 4 + len(b) // 2
open(out + ".shp", "wb").write(header(50 + len(shp) // 2) + shp)
open(out + ".shx", "wb").write(header(50 + len(shx) // 2) + shx)
dbf = struct.pack("<BBBBIHH20x", 3, 124, 1, 1, len(rings), 32 + 32 + 1, 1 + 4)
dbf += b"FID".ljust(11, b"\0") + b"N" + b"\0" * 4 + bytes([4, 0]) + b"\0" * 14 + b"\r"
dbf += b"".join(b" " + str(i).rjust(4).encode() for i in range(len(rings))) + b"\x1a"
open(out + ".dbf", "wb").write(dbf)
open(out + ".prj", "w").write('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",'
                              '6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],'
                              'UNIT["Degree",0.0174532925199433]]')
PY
cat >"$WORK/map.yaml" <<'YAML'
map:
  size: [400, 300]
  crs: "EPSG:4326"
  extent: [-1, -1.5, 5, 2]
layers:
  - {name: isl, data: isl.shp, fill: "#dddddd"}
annotations:
  - distance: {from: [1, 0.05], to-coast: isl, label: "A {km} km {nm} nmi"}
  - distance: {from: [-0.03, 0.04], to-coast: isl, label: "B {km} km"}
  - distance: {from: [2.5, 0.2], to-coast: {layer: isl, containing: [3.5, 1]}, label: "C {km} km"}
  - distance: {from: [2.5, 0.2], to-coast: {layer: isl, filter: "FID = 0"}, label: "D {km} km"}
furniture: false
YAML
t_expect_exit 0 -- "$SHOAL" render "$WORK/map.yaml" -o "$WORK/map.pdf"
pdftotext "$WORK/map.pdf" "$WORK/map.txt"
text=$(tr '\n' ' ' <"$WORK/map.txt")
# A: 0.05 degrees of meridian at the equator = 5528.7 m = 2.99 nmi (a segment's interior).
t_check "A: to the inside of the shore, 5.5 km 3.0 nmi (got: $text)" grep -qF "A 5.5 km 3.0 nmi" <<<"$text"
# B: the corner (0, 0): hypot of 0.03 deg of longitude and 0.04 deg of latitude = 5.54 km.
t_check "B: to the corner, 5.5 km" grep -qF "B 5.5 km" <<<"$text"
# C: island B only (the point is inside it): to its corner (3, 0.5) = 64.8 km.
t_check "C: containing picks the second island, 65 km" grep -qF "C 65 km" <<<"$text"
# D: island A only (filter): to its corner (2, 0) = 59.9 km.
t_check "D: the filter picks the first island, 60 km" grep -qF "D 60 km" <<<"$text"

# In Vietnamese the decimal mark is a comma (CLDR), and a long distance groups thousands with
# a dot: 0.05 degrees as above, and from (1, 20) to the corner (3, 1.5) of island B, 2,058 km
# (geod +ellps=WGS84 -I: 2058.05 km).
sed -e 's/^map:/map:\n  lang: vi/' -e 's/extent: .*/extent: [-1, -1.5, 5, 21]/' \
    -e 's/from: \[-0.03, 0.04\], to-coast: isl, label: "B {km} km"/from: [1, 20], to-coast: isl, label: "B {km} km"/' \
    "$WORK/map.yaml" >"$WORK/map_vi.yaml"
t_expect_exit 0 -- "$SHOAL" render "$WORK/map_vi.yaml" -o "$WORK/map_vi.pdf"
vi=$(pdftotext "$WORK/map_vi.pdf" - | tr '\n' ' ')
t_check "vi: 5,5 km 3,0 nmi (got: $vi)" grep -qF "A 5,5 km 3,0 nmi" <<<"$vi"
t_check "vi: 2.058 km (got: $vi)" grep -qF "B 2.058 km" <<<"$vi"

# The shipped map: Second Thomas Shoal to Palawan's nearest coast (published: about 105 nmi).
t_expect_exit 0 -- "$SHOAL" render "$ROOT/styles/second-thomas-shoal.yaml" -o "$WORK/sts.pdf"
sts=$(pdftotext "$WORK/sts.pdf" - | tr '\n' ' ')
t_check "Second Thomas Shoal: 105 or 106 nmi to Palawan's nearest coast" \
    grep -qE "≈ 10[56] nmi \(19[4-7] km\) to Palawan" <<<"$sts"
t_done
