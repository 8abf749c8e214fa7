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
md = open(f"{src}/features.md", encoding="utf-8").read()
stated = {m.group(1): int(m.group(2))
          for m in re.finditer(r"^\| [A-Za-z ]+ \(([A-Z]{2})\) \| (\d+)", md, re.M)}
if set(stated) != states:
    bad.append(f"features.md states counts for {sorted(stated)}, not every claimant")
for s in states:
    if held.get(s, 0) != stated.get(s):
        bad.append(f"{s}: {held.get(s, 0)} occupied Spratly rows, features.md says {stated.get(s)}")
print("\n".join(bad) or f"{len(rows)} rows ok")
sys.exit(1 if bad else 0)
PY
t_done
