#!/usr/bin/env bash
# Rebuilds holes.shp (polygons with holes) with shapelib's command-line tools (Debian package
# `shapelib`): needed only to regenerate this data, not to run the tests.
# Shapefile rings: outer rings clockwise, holes counter-clockwise; `+` starts a new ring.
set -euo pipefail
cd "$(dirname "$0")"
rm -f holes.shp holes.shx holes.dbf
shpcreate holes polygon
dbfcreate holes -s name 12 -s kind 8
# 1: a square with a square hole, both oriented by the book
shpadd holes 2 2 2 12 12 12 12 2 2 2 + 5 5 9 5 9 9 5 9 5 5
dbfadd holes proper hole
# 2: the same with the hole wound like the outer ring: even-odd still shows the hole
shpadd holes 15 2 15 12 25 12 25 2 15 2 + 18 5 18 9 22 9 22 5 18 5
dbfadd holes misorient hole
# 3: two separate parts (islands), no hole
shpadd holes 28 2 28 6 32 6 32 2 28 2 + 34 8 34 12 38 12 38 8 34 8
dbfadd holes twoparts land
# 4: an island in a lake in an island (three nested rings)
shpadd holes 2 15 2 28 18 28 18 15 2 15 + 5 18 15 18 15 25 5 25 5 18 + 8 20 8 23 12 23 12 20 8 20
dbfadd holes nested hole
# 5: a triangular hole in a pentagon
shpadd holes 22 15 21 23 30 28 39 23 38 15 22 15 + 26 17 34 17 30 25 26 17
dbfadd holes triangle hole
cp ../../../shapes/places.prj holes.prj
