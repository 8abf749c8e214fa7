#!/usr/bin/env python3
"""The world land file of job C in bench/vs-mapserver.sh, built in seconds rather than with the
GEOS recipe of scripts/build-gshhg.sh (which takes hours over the whole world): GSHHG full
resolution level-1 shorelines as GMT dumps them from its binned database (`gmt coast -Df -W
-M`, one piece per bin), joined end to start into rings and written as a polygon shapefile
(one ring a record, outer rings clockwise, a numeric FID field).  A ring cut open by the
region's frame (lat +-60) is closed by the straight line between its ends: wrong far north,
where no job looks.  Over lon -180..180, lat -60..60 this gives 113k rings, 6.8 M vertices,
115 MB, the biggest ring (Eurasia with Africa) 0.72 M vertices.

    gmt coast -R-180/180/-60/60 -Df -W1/0.1p -M > coast.txt
    bench/world_land.py coast.txt OUT/world_land_f     # writes .shp .shx .dbf
"""
import struct
import sys

src, out = sys.argv[1], sys.argv[2]
segs, cur = [], None
for line in open(src):
    if line[0] == '>':
        cur = []; segs.append(cur); continue
    a, b = line.split()
    cur.append((float(a), float(b)))
segs = [s for s in segs if len(s) > 1]
key = lambda p: (round(p[0] * 1e5), round(p[1] * 1e5))
starts = {}
for i, s in enumerate(segs):
    starts.setdefault(key(s[0]), []).append(i)
used = [False] * len(segs)
rings = []
for i in range(len(segs)):
    if used[i]: continue
    used[i] = True
    ring = list(segs[i]); k0 = key(ring[0])
    while key(ring[-1]) != k0:
        nxt = next((j for j in starts.get(key(ring[-1]), []) if not used[j]), None)
        if nxt is None: break
        used[nxt] = True
        ring.extend(segs[nxt][1:])
    if ring[0] != ring[-1]: ring.append(ring[0])
    if len(ring) >= 4: rings.append(ring)
# shapefile: one polygon per ring, clockwise outer rings as the format wants
def area2(r):
    return sum(r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1] for i in range(len(r) - 1))
shp, shx = bytearray(), bytearray()
allx = [p[0] for r in rings for p in r]; ally = [p[1] for r in rings for p in r]
bb = (min(allx), min(ally), max(allx), max(ally))
recs = []
for n, r in enumerate(rings):
    if area2(r) > 0: r = r[::-1]
    xs = [p[0] for p in r]; ys = [p[1] for p in r]
    body = struct.pack('<i4dii', 5, min(xs), min(ys), max(xs), max(ys), 1, len(r)) + struct.pack('<i', 0)
    body += b''.join(struct.pack('<2d', *p) for p in r)
    recs.append(body)
def header(length_words):
    return struct.pack('>i5ii', 9994, 0, 0, 0, 0, 0, length_words) + struct.pack('<ii4d4d', 1000, 5, *bb, 0, 0, 0, 0)
off = 50; shpbody = bytearray(); shxbody = bytearray()
for n, body in enumerate(recs):
    shxbody += struct.pack('>ii', off, len(body) // 2)
    shpbody += struct.pack('>ii', n + 1, len(body) // 2) + body
    off += 4 + len(body) // 2
open(out + '.shp', 'wb').write(header(50 + len(shpbody) // 2) + shpbody)
open(out + '.shx', 'wb').write(header(50 + len(shxbody) // 2) + shxbody)
# dbf with one numeric field FID
nrec = len(recs)
dbf = bytearray(struct.pack('<BBBBIHH20x', 3, 126, 1, 1, nrec, 32 + 32 + 1, 1 + 10))
dbf += b'FID'.ljust(11, b'\0') + b'N' + b'\0' * 4 + bytes([10, 0]) + b'\0' * 14 + b'\r'
for i in range(nrec): dbf += b' ' + str(i).rjust(10).encode()
dbf += b'\x1a'
open(out + '.dbf', 'wb').write(dbf)
print(len(segs), 'pieces ->', len(rings), 'rings,', sum(len(r) for r in rings), 'vertices; biggest', max(len(r) for r in rings))
