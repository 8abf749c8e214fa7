#!/usr/bin/env python3
"""Writes the small world fixture (world.shp polygons, world_lines.shp lines) used by the seam
and horizon tests. Plain Python, no libraries: the shapefile format is a few fixed records.
Shapes are made-up outlines, not real coastlines: what matters is where they sit relative to
the seams (180 deg, 0 deg, -30 deg) and the poles. Run from anywhere; writes beside itself."""
import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
PRJ = ('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
       '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')


def wavy(cx, cy, rx, ry, n, phase):
    """A closed clockwise blob (outer rings of shapefiles are clockwise)."""
    pts = []
    for i in range(n):
        a = -2 * math.pi * i / n + phase
        r = 1 + 0.18 * math.sin(5 * a) + 0.07 * math.cos(11 * a)
        pts.append((round(cx + rx * r * math.cos(a), 4), round(cy + ry * r * math.sin(a), 4)))
    pts.append(pts[0])
    return pts


def box(w, s, e, n):
    return [(w, s), (w, n), (e, n), (e, s), (w, s)]


def antarctica():
    """Coast from -180 to 180 then along the pole line back: how Natural Earth stores it."""
    pts = [(-180.0, -90.0)]
    for i in range(73):
        lon = -180 + 5 * i
        pts.append((float(lon), round(-70 + 4 * math.sin(math.radians(3 * lon)), 4)))
    pts += [(180.0, -90.0), (-180.0, -90.0)]
    return pts


POLYS = [
    # name, kind, rings
    ("Fijiish", "cross180", [box(177, -19, 180, -16), box(-180, -18.5, -178.5, -16.5)]),
    ("Chukotkish", "cross180", [[(170, 62), (172, 70), (182, 71), (190, 68), (195, 64),
                                 (186, 60), (170, 62)]]),
    ("Antarcticish", "pole", [antarctica()]),
    ("Eurafrica", "cross0", [[(-17, 15), (-10, 36), (-9, 43), (-5, 48), (0, 50), (8, 55),
                              (20, 58), (30, 50), (30, 31), (12, 33), (10, 4), (-8, 4),
                              (-17, 15)]]),
    ("Greenlandish", "cross-30", [wavy(-42, 72, 22, 10, 48, 0.0)]),
    ("Australish", "plain", [wavy(134, -25, 18, 11, 48, 0.3)]),
]

LINES = [
    ("cable180", [[(150, 30), (165, 20), (180, 12), (195, 5), (210, -5)]]),
    ("cable0", [[(-30, 45), (-10, 48), (10, 50), (35, 42)]]),
    ("route180", [[(120, 25), (150, 22)], [(170, -40), (185, -44), (200, -45)]]),
]


def bbox(parts):
    xs = [p[0] for r in parts for p in r]
    ys = [p[1] for r in parts for p in r]
    return min(xs), min(ys), max(xs), max(ys)


def write_shp(base, shptype, shapes):
    recs = []
    for i, parts in enumerate(shapes):
        pts = [p for r in parts for p in r]
        starts, k = [], 0
        for r in parts:
            starts.append(k)
            k += len(r)
        body = struct.pack('<i4dii', shptype, *bbox(parts), len(parts), len(pts))
        body += struct.pack('<%di' % len(starts), *starts)
        body += b''.join(struct.pack('<2d', *p) for p in pts)
        recs.append(struct.pack('>2i', i + 1, len(body) // 2) + body)
    allb = bbox([p for s in shapes for p in s])

    def header(length_bytes):
        return (struct.pack('>7i', 9994, 0, 0, 0, 0, 0, length_bytes // 2) +
                struct.pack('<2i', 1000, shptype) + struct.pack('<4d', *allb) +
                struct.pack('<4d', 0, 0, 0, 0))

    shp = b''.join(recs)
    with open(base + '.shp', 'wb') as f:
        f.write(header(100 + len(shp)) + shp)
    with open(base + '.shx', 'wb') as f:
        f.write(header(100 + 8 * len(recs)))
        off = 100
        for r in recs:
            f.write(struct.pack('>2i', off // 2, (len(r) - 8) // 2))
            off += len(r)
    with open(base + '.prj', 'w') as f:
        f.write(PRJ)
    with open(base + '.cpg', 'w') as f:
        f.write('UTF-8')


def write_dbf(base, rows, fields):
    """fields: (name, width); every field is a character field."""
    reclen = 1 + sum(w for _, w in fields)
    hlen = 32 + 32 * len(fields) + 1
    out = struct.pack('<B3BIHH20x', 3, 124, 1, 1, len(rows), hlen, reclen)
    for name, w in fields:
        out += struct.pack('<11sc4xBB14x', name.encode(), b'C', w, 0)
    out += b'\r'
    for row in rows:
        out += b' ' + b''.join(v.encode().ljust(w)[:w] for v, (_, w) in zip(row, fields))
    out += b'\x1a'
    with open(base + '.dbf', 'wb') as f:
        f.write(out)


if __name__ == '__main__':
    base = os.path.join(HERE, 'world')
    write_shp(base, 5, [p[2] for p in POLYS])
    write_dbf(base, [(p[0], p[1]) for p in POLYS], [('name', 14), ('kind', 10)])
    base = os.path.join(HERE, 'world_lines')
    write_shp(base, 3, [p[1] for p in LINES])
    write_dbf(base, [(p[0],) for p in LINES], [('name', 10)])
