#!/usr/bin/env python3
"""Regenerates the fuzz seed corpora in tests/fuzz/corpus/ from the repository's style files,
golden-test inputs, filters and shapefiles, plus small hand-made edge cases. Run from anywhere;
needs only Python 3 (and, for the .qix seed, a built `shoal`: pass its path as argument 1)."""
import os
import re
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(HERE, "corpus")
SEP = b"\n#--8<--\n"  # fuzz_yaml.c: separates the map from house.yaml, a.yaml, b.yaml


def read(*p):
    with open(os.path.join(ROOT, *p), "rb") as f:
        return f.read()


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- yaml ----------------------------------------------------------------------------------
def yaml_seeds():
    house = read("styles", "house.yaml")
    for n in ["south-china-sea", "spratlys", "second-thomas-shoal", "north-natuna-sea"]:
        put("yaml", n + ".yaml", read("styles", n + ".yaml") + SEP + house)
    for n in ["minimal", "house", "default.batch", "article.batch"]:
        put("yaml", n + ".yaml", read("styles", n + ".yaml"))
    core_common = read("tests", "golden", "core", "common.yaml")
    core_layers = read("tests", "golden", "core", "layers.yaml")
    for n in ["holes", "lcc", "rules"]:
        t = read("tests", "golden", "core", n + ".yaml")
        t = t.replace(b"[common.yaml, layers.yaml]", b"[house.yaml, a.yaml]")
        t = t.replace(b"include: common.yaml", b"include: house.yaml")
        put("yaml", "core-" + n + ".yaml", t + SEP + core_common + SEP + core_layers)
    lab_common = read("tests", "golden", "labels", "common.yaml").replace(
        b"../../../styles/house.yaml", b"a.yaml")
    for n in ["annotations", "bad", "dense", "edge"]:
        t = read("tests", "golden", "labels", n + ".yaml").replace(b"include: common.yaml",
                                                                   b"include: house.yaml")
        put("yaml", "labels-" + n + ".yaml", t + SEP + lab_common + SEP + house)
    # Hand-made: anchors and merge keys, variables in strings and subtrees, include cycles
    # and lists, duplicate keys, flow style, odd scalars.
    put("yaml", "anchors.yaml", b"""map: &m
  size: [400, 300]
  crs: "EPSG:4326"
  extent: [105, 2, 122, 20]
  title: Anchored
layers:
  - &l {name: a, data: x.shp, fill: "#fff"}
  - *l
  - <<: *l
    name: b
""")
    put("yaml", "vars.yaml", b"""variables:
  c: "#102030"
  w: 1.5
  st: {stroke: $c, stroke-width: $w}
  name: "Sea ${c} and ${w}"
map: {size: [10, 10], crs: "EPSG:3857", extent: [0, 0, 1, 1], title: "${name}", background: $c}
classes:
  thin: $st
layers:
  - {name: l, data: ../x.shp, class: thin, rules: [{filter: "a = 1", fill: $c}, {else: true}]}
""")
    put("yaml", "include-cycle.yaml", b"include: [house.yaml, a.yaml]\nmap: {title: x}\n" + SEP
        + b"include: a.yaml\nvariables: {x: 1}\n" + SEP + b"include: house.yaml\n")
    put("yaml", "include-self.yaml", b"include: map.yaml\n")
    put("yaml", "dupes.yaml", b"map:\n  size: [1, 2]\n  size: [3, 4]\nmap: {}\n")
    put("yaml", "scalars.yaml", b"""map:
  size: [0x10, 1e3]
  scale: .inf
  width: ~
  title: !!str 12
  subtitle: 'it''s'
  credit: |
    line one
    line two
  lang: zh
layers: []
""")
    put("yaml", "empty.yaml", b"")
    put("yaml", "two-docs.yaml", b"a: 1\n---\nb: 2\n")


# ---- expr ----------------------------------------------------------------------------------
def expr_seeds():
    texts = set()
    src = [read("tests", "unit", "test_expr.c").decode()]
    for p in ["styles", os.path.join("tests", "golden", "core"),
              os.path.join("tests", "golden", "labels")]:
        for n in sorted(os.listdir(os.path.join(ROOT, p))):
            if n.endswith(".yaml"):
                src.append(read(p, n).decode())
    for s in src[1:]:
        for m in re.finditer(r'(?:filter|text): "((?:[^"\\]|\\.)*)"', s):
            texts.add(m.group(1))
    for m in re.finditer(r'(?:ev|perr|terr|texp|tx)\("((?:[^"\\]|\\.)*)"', src[0]):
        texts.add(m.group(1).encode().decode("unicode_escape").encode("latin-1").decode())
    for m in re.finditer(r'"([^"\n]*\{[^"\n]*\}[^"\n]*)"', src[0]):
        texts.add(m.group(1))
    texts.update(["not (a = 1 or b in ('x', \"y\", 3)) and c is not null",
                  "[Sovereign Name] <> -1.5e-3", "{{{name_en|name_vi}}}", "  1e308  ", "-0"])
    for i, t in enumerate(sorted(texts)):
        put("expr", "e%03d" % i, t.encode())


# ---- shp -----------------------------------------------------------------------------------
def frame(parts, write_qix=False, do_import=False):
    """fuzz_shp.c framing: flags byte, then (u32 LE length, bytes) per present file."""
    order = ["shp", "shx", "dbf", "prj", "cpg", "qix"]
    flags = 0
    out = b""
    for i, k in enumerate(order):
        if k in parts:
            flags |= 1 << i
            out += struct.pack("<I", len(parts[k])) + parts[k]
    flags |= 0x40 if write_qix else 0
    flags |= 0x80 if do_import else 0
    return bytes([flags]) + out


def shapefile(shptype, records):
    """records: list of (content bytes without the type, or None for a null shape)."""
    body, index = b"", b""
    off = 50
    for i, rec in enumerate(records):
        content = struct.pack("<i", 0) if rec is None else struct.pack("<i", shptype) + rec
        body += struct.pack(">ii", i + 1, len(content) // 2) + content
        index += struct.pack(">ii", off, len(content) // 2)
        off += 4 + len(content) // 2

    def header(length_words):
        return (struct.pack(">i5ii", 9994, 0, 0, 0, 0, 0, length_words)
                + struct.pack("<ii", 1000, shptype)
                + struct.pack("<8d", -10, -10, 10, 10, 0, 0, 0, 0))
    return (header(50 + len(body) // 2) + body, header(50 + len(index) // 2) + index)


def poly(parts, z=False, m=False, patch_types=None):
    pts = [p for part in parts for p in part]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    b = struct.pack("<4d", min(xs), min(ys), max(xs), max(ys))
    starts, n = [], 0
    for part in parts:
        starts.append(n)
        n += len(part)
    b += struct.pack("<ii", len(parts), len(pts)) + struct.pack("<%di" % len(parts), *starts)
    if patch_types is not None:
        b += struct.pack("<%di" % len(parts), *patch_types)
    b += b"".join(struct.pack("<2d", x, y) for x, y in pts)
    if z:
        b += struct.pack("<2d", 0, 5) + b"".join(struct.pack("<d", i) for i in range(len(pts)))
    if m:
        b += struct.pack("<2d", 0, 5) + b"".join(struct.pack("<d", i) for i in range(len(pts)))
    return b


def dbf(fields, rows, ldid=0):
    """fields: (name, type, width, decimals); rows: lists of already-formatted strings."""
    reclen = 1 + sum(f[2] for f in fields)
    hdrlen = 32 + 32 * len(fields) + 1
    out = struct.pack("<B3BIHH", 3, 124, 1, 1, len(rows), hdrlen, reclen)
    out += bytes(17) + bytes([ldid]) + bytes(2)
    for name, typ, width, dec in fields:
        out += name.encode().ljust(11, b"\0") + typ.encode() + bytes(4) + bytes([width, dec])
        out += bytes(14)
    out += b"\r"
    for row in rows:
        out += b" " + b"".join((v if isinstance(v, bytes) else v.encode()).ljust(f[2])[:f[2]]
                               for v, f in zip(row, fields))
    return out + b"\x1a"


SQ = [(0, 0), (0, 4), (4, 4), (4, 0), (0, 0)]
HOLE = [(1, 1), (3, 1), (3, 3), (1, 3), (1, 1)]
WGS84 = read("shapes", "places.prj")


def shp_seeds(shoal):
    # The repository's small real sets (points, lines, polygons with holes, DBF code pages).
    for base, parts in [("shapes/places", "shp shx dbf prj cpg"),
                        ("shapes/nine_dash_line", "shp shx dbf prj cpg"),
                        ("shapes/treaty_lines", "shp shx dbf prj cpg"),
                        ("tests/golden/core/holes", "shp shx dbf prj"),
                        ("tests/golden/core/lines", "shp shx dbf prj cpg"),
                        ("tests/golden/core/points", "shp shx dbf prj cpg"),
                        ("shapes/land_c_asia", "shp shx dbf prj qix")]:
        files = {k: read(*(base + "." + k).split("/")) for k in parts.split()}
        put("shp", os.path.basename(base), frame(files))
    # A freshly written .qix for a small set, and the write-index and import paths.
    if shoal:
        with tempfile.TemporaryDirectory() as t:
            for k in ["shp", "shx", "dbf", "prj", "cpg"]:
                with open(os.path.join(t, "p." + k), "wb") as f:
                    f.write(read("shapes", "places." + k))
            subprocess.run([shoal, "index", os.path.join(t, "p.shp")], check=True)
            files = {}
            for k in ["shp", "shx", "dbf", "prj", "cpg", "qix"]:
                with open(os.path.join(t, "p." + k), "rb") as f:
                    files[k] = f.read()
            put("shp", "places-qix", frame(files))
    small = {k: read("shapes", "treaty_lines." + k) for k in ["shp", "shx", "dbf", "prj", "cpg"]}
    put("shp", "treaty-writeqix-import", frame(small, write_qix=True, do_import=True))

    fields = [("NAME", "C", 12, 0), ("N", "N", 6, 0), ("F", "F", 10, 3), ("OK", "L", 1, 0),
              ("DAY", "D", 8, 0)]
    rows = [["Đảo", "12", "1.500", "T", "20240131"], ["caf\xe9", "", "-0.001", "?", ""],
            [b"\xff\xfe\x80", "x", "1e999", "F", "2024"]]
    cases = {
        "points": (1, [struct.pack("<2d", 1, 2), None, struct.pack("<2d", -5, 7)]),
        "pointz": (11, [struct.pack("<4d", 1, 2, 3, 4), struct.pack("<4d", 0, 0, 0, 0), None]),
        "multipoint": (8, [struct.pack("<4di", 0, 0, 4, 4, 3) + b"".join(
            struct.pack("<2d", x, y) for x, y in [(0, 0), (4, 4), (2, 2)]), None, None]),
        "lines": (3, [poly([SQ[:3], SQ[2:]]), poly([[(0, 0), (0, 0)]]), None]),
        "linez": (13, [poly([SQ], z=True, m=True), None, poly([HOLE], z=True, m=True)]),
        "polygons": (5, [poly([SQ, HOLE]), poly([HOLE]), None]),
        "polygonm": (25, [poly([SQ], m=True), None, poly([SQ, HOLE], m=True)]),
        "multipatch": (31, [poly([SQ, HOLE], z=True, m=True, patch_types=[5, 3]), None,
                            poly([SQ[:4]], z=True, m=True, patch_types=[0])]),
    }
    for name, (typ, recs) in cases.items():
        shp, shx = shapefile(typ, recs)
        put("shp", "gen-" + name, frame({"shp": shp, "shx": shx, "dbf": dbf(fields, rows),
                                         "prj": WGS84, "cpg": b"UTF-8"}))
    shp, shx = shapefile(5, cases["polygons"][1])
    for i, (cpg, ldid) in enumerate([(b"1252", 0), (None, 87), (b"LDID/200", 0),
                                     (b"bogus", 0), (b"CP936", 0), (None, 0)]):
        files = {"shp": shp, "shx": shx, "dbf": dbf(fields, rows, ldid)}
        if cpg is not None:
            files["cpg"] = cpg
        put("shp", "gen-codepage%d" % i, frame(files, write_qix=(i == 0)))
    put("shp", "gen-badprj", frame({"shp": shp, "shx": shx, "dbf": dbf(fields, rows),
                                    "prj": b"\0binary"}))
    put("shp", "gen-nodbf", frame({"shp": shp, "shx": shx}))
    put("shp", "gen-fewrecords", frame({"shp": shp, "shx": shx, "dbf": dbf(fields, rows[:1])}))
    put("shp", "gen-truncated", frame({"shp": shp[:150], "shx": shx, "dbf": dbf(fields, rows)}))
    put("shp", "gen-empty", frame({"shp": shp[:100], "shx": shx[:100], "dbf": dbf(fields, [])}))


# ---- csv -----------------------------------------------------------------------------------
def csv_seeds():
    # Options byte (fuzz_csv.c): 1 lines, 2 order by seq, 4 x/y columns, 8 rename, 16 add field,
    # 32 longitudes 0..360.
    put("csv", "points", bytes([0]) + read("tests", "golden", "core", "points.csv"))
    put("csv", "lines", bytes([1 | 2]) + read("tests", "golden", "core", "lines.csv").replace(
        b"id,kind", b"group,kind"))
    put("csv", "lines-unordered", bytes([1 | 16]) + b"group,name,lon,lat\ng1,a,1,2\ng1,a,3,4\n"
        b"g2,b,5,6\ng2,c,7,8\ng3,d,9,9\n")
    put("csv", "xy-rename", bytes([4 | 8 | 16]) + b"# comment\n# more\nname,x,y,pop,area\n"
        b"\"Thi\"\"tu\",114.3,11.0,1500,2.5\r\n\"multi\nline\",-170,89.9,,\r\n"
        b"caf\xc3\xa9,359.9,-90,7,1e3\r\n")
    put("csv", "errors", bytes([0]) + b"lon,lat,name,name\n200,0,a\nx,1,b,c\n1,2\n\"unclosed\n")
    put("csv", "types", bytes([0]) + b"lon,lat,i,d,s,Very_Long_Column_Name,1bad\n"
        b"1,1,1,1.5,x,a,b\n2,2,-2,2,yy,c,d\n3,3,99999999999999999999,-0,,e,f\n")
    put("csv", "empty", bytes([1]))
    put("csv", "numbers", bytes([0]) + b"lon,lat\n0x73,1\ninf,2\nnan,3\n1e2,-9e1\n+5.,.5\n200,1\n")
    put("csv", "lon-360", bytes([32]) + b"lon,lat\n359.5,1\n-1,2\n0,90\n360,-90\n")


if __name__ == "__main__":
    yaml_seeds()
    expr_seeds()
    shp_seeds(sys.argv[1] if len(sys.argv) > 1 else None)
    csv_seeds()
    for t in sorted(os.listdir(CORPUS)):
        d = os.path.join(CORPUS, t)
        files = os.listdir(d)
        print("%-5s %3d files %7d bytes" % (t, len(files),
                                             sum(os.path.getsize(os.path.join(d, f)) for f in files)))
