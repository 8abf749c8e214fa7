#!/bin/bash
# Data-level checks of the sourced feature table shapes/src/features.csv: it parses, ids are
# unique, every row cites a source, positions lie in the South China Sea box, the coded
# columns hold known values, and each claimant's count of occupied Spratly features equals
# the count shapes/src/features.md states (with its source). ($1, the binary, is unused.)
# shellcheck source=tests/cli/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
t_init "$@"

t_check "features.csv passes the data checks" python3 - "$ROOT/shapes/src" <<'PY'
import csv, re, sys
from collections import Counter
src = sys.argv[1]
with open(f"{src}/features.csv", encoding="utf-8") as f:
    lines = [l for l in f if not l.startswith("#")]
rows = list(csv.DictReader(lines))
want = ("id,name_en,name_zh,name_zh_pinyin,name_vi,name_fil,name_ms,lon,lat,kind,group,"
        "held_by,claimed_by,award_2016,source").split(",")
bad = []
if list(rows[0].keys()) != want:
    bad.append(f"header is {list(rows[0].keys())}")
kinds = {"island", "cay", "reef", "shoal", "bank", "rock", "low_tide_elevation", "atoll",
         "platform"}
groups = {"spratly", "paracel", "pratas", "scarborough", "macclesfield", "reed_bank",
          "luconia", "james_shoal"}
states = {"CN", "VN", "PH", "MY", "TW"}
ids = Counter(r["id"] for r in rows)
bad += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
for r in rows:
    i = r["id"]
    if not re.fullmatch(r"[a-z0-9_]+", i):
        bad.append(f"{i}: id is not lower_snake_case")
    if not r["source"].strip():
        bad.append(f"{i}: no source")
    try:
        lon, lat = float(r["lon"]), float(r["lat"])
        if not (105 <= lon <= 122 and 3 <= lat <= 23):
            bad.append(f"{i}: {lon},{lat} is outside the South China Sea box")
    except ValueError:
        bad.append(f"{i}: bad position")
    if r["kind"] not in kinds:
        bad.append(f"{i}: kind {r['kind']!r}")
    if r["group"] not in groups:
        bad.append(f"{i}: group {r['group']!r}")
    if r["held_by"] and r["held_by"] not in states:
        bad.append(f"{i}: held_by {r['held_by']!r}")
    if not set(r["claimed_by"].split()) <= states or not r["claimed_by"].split():
        bad.append(f"{i}: claimed_by {r['claimed_by']!r}")
    if r["award_2016"] not in ("", "rock", "low_tide_elevation", "submerged"):
        bad.append(f"{i}: award_2016 {r['award_2016']!r}")
# The per-claimant table in features.md: "| China (CN) | 7 | ...", first number = in this table.
held = Counter(r["held_by"] for r in rows if r["group"] == "spratly" and r["held_by"])
md = open(f"{src}/../SOURCES.md", encoding="utf-8").read()
stated = {m.group(1): int(m.group(2))
          for m in re.finditer(r"^\| [A-Za-z ]+ \(([A-Z]{2})\) \| (\d+)", md, re.M)}
if set(stated) != states:
    bad.append(f"SOURCES.md states counts for {sorted(stated)}, not every claimant")
for s in states:
    if held.get(s, 0) != stated.get(s):
        bad.append(f"{s}: {held.get(s, 0)} occupied Spratly rows, SOURCES.md says {stated.get(s)}")
print("\n".join(bad) or f"{len(rows)} rows ok")
sys.exit(1 if bad else 0)
PY
t_check "places.csv, baselines and the nine-dash line pass the data checks" python3 - "$ROOT" <<'PY'
import csv, re, struct, sys
from collections import Counter
root = sys.argv[1]
src = f"{root}/shapes/src"
def rows(name):
    with open(f"{src}/{name}", encoding="utf-8") as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))
bad = []
feats, places = rows("features.csv"), rows("places.csv")
if list(places[0].keys()) != list(feats[0].keys()):
    bad.append("places.csv and features.csv have different headers")
ids = Counter(r["id"] for r in feats + places)
bad += [f"duplicate id {i} across features.csv and places.csv" for i, n in ids.items() if n > 1]
for r in places:
    if not r["source"].strip():
        bad.append(f"{r['id']}: no source")
    lon, lat = float(r["lon"]), float(r["lat"])
    if not (99 <= lon <= 125 and -7 <= lat <= 25):
        bad.append(f"{r['id']}: {lon},{lat} is outside the map region")
    for w in ("Estonian", "Scots", "Indonesian Wikipedia"):
        if w in r["source"]:
            bad.append(f"{r['id']}: cites {w}")
for r in feats + places:
    for k, v in r.items():
        if len(v.encode()) > 254:
            bad.append(f"{r['id']}: {k} is {len(v.encode())} bytes, more than a .dbf field holds")
nat = [r for r in places if r["id"] == "natuna_besar"]
if not nat or nat[0]["held_by"] != "ID":
    bad.append("natuna_besar is not held by ID")
# Baselines: every state's system has base points; each point's decimal value is its text;
# the built shapefile's vertices are exactly the table's, in order.
lines = {r["line_id"]: r for r in rows("baselines.csv")}
pts = rows("baseline_points.csv")
if {r["state"] for r in lines.values()} != {"VN", "CN"}:
    bad.append(f"baseline states are {sorted(r['state'] for r in lines.values())}")
for l in lines.values():
    if l["status"] != "claimed" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", l["date"]) or not l["source"]:
        bad.append(f"{l['line_id']}: status/date/source {l['status']!r} {l['date']!r}")
    if not [p for p in pts if p["line_id"] == l["line_id"]]:
        bad.append(f"{l['line_id']}: no base points")
if {l["line_id"]: l["date"] for l in lines.values()}.get("VN-1982") != "1982-11-12":
    bad.append("Vietnam's statement is not dated 1982-11-12")
def dm(t):
    m = re.fullmatch(r"(\d+)°(\d+(?:\.\d+)?)′([NSEW])", t)
    v = int(m.group(1)) + float(m.group(2)) / 60
    return -v if m.group(3) in "SW" else v
for p in pts:
    if abs(dm(p["lon_text"]) - float(p["lon"])) > 1e-5 or abs(dm(p["lat_text"]) - float(p["lat"])) > 1e-5:
        bad.append(f"{p['line_id']} {p['point']}: decimal value is not {p['lat_text']} {p['lon_text']}")
shp = open(f"{root}/shapes/baselines.shp", "rb").read()
dbf = open(f"{root}/shapes/baselines.dbf", "rb").read()
off, got = 100, []
while off < len(shp):
    _, clen = struct.unpack(">ii", shp[off:off + 8])
    rec = shp[off + 8:off + 8 + 2 * clen]
    nparts, npts = struct.unpack("<ii", rec[36:44])
    xy = struct.unpack(f"<{2 * npts}d", rec[44 + 4 * nparts:44 + 4 * nparts + 16 * npts])
    got.append(list(zip(xy[0::2], xy[1::2])))
    off += 8 + 2 * clen
order = [lid for lid in dict.fromkeys(p["line_id"] for p in sorted(pts, key=lambda p: p["line_id"]))]
want = {lid: [(float(p["lon"]), float(p["lat"])) for p in sorted(
    (p for p in pts if p["line_id"] == lid), key=lambda p: int(p["seq"]))] for lid in lines}
if sorted(map(tuple, got)) != sorted(tuple(v) for v in want.values()):
    bad.append("baselines.shp vertices differ from baseline_points.csv")
for lid in lines:
    if lid.encode() not in dbf:
        bad.append(f"baselines.dbf has no record for {lid}")
# The nine-dash line records its source and when it was published, in the data and SOURCES.md.
nd = open(f"{root}/shapes/nine_dash_line.dbf", "rb").read()
for w in (b"Natural Earth", b"1947", b"2009-05-07"):
    if w not in nd:
        bad.append(f"nine_dash_line.dbf does not record {w.decode()}")
md = open(f"{root}/shapes/SOURCES.md", encoding="utf-8").read()
for w in ("1947", "7 May 2009", "Natural Earth"):
    if w not in md:
        bad.append(f"SOURCES.md does not record the nine-dash line's {w}")
tl = open(f"{src}/mr_v12_vietnam_lines.csv", encoding="utf-8").read()
if "Straight baseline" in tl:
    bad.append("treaty_lines still holds a straight baseline")
print("\n".join(bad) or f"{len(places)} places, {len(pts)} base points ok")
sys.exit(1 if bad else 0)
PY
t_done
