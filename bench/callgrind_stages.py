#!/usr/bin/env python3
"""Where a run's instructions go, by stage: the self cost of every function in a callgrind
output (from callgrind_annotate), grouped by the library or Shoal source file it is in.

    valgrind --tool=callgrind --callgrind-out-file=cg.out build/shoal render MAP -o a.png
    bench/callgrind_stages.py cg.out [more.out ...]     # one column per file
"""
import re
import subprocess
import sys

# (stage, pattern on "file:function [object]"), first match wins
STAGES = [
    ("PNG encoding", r"libdeflate|libz\.so|libpng|/png[a-z]*\.c|/surface\.c:shoal_png_write"),
    ("PROJ set-up (proj.db, CRS parsing)", r"libsqlite3|libstdc\+\+|libcurl|libtiff"),
    ("PROJ per vertex and set-up code", r"libproj|/xform[a-z_]*\.c"),
    ("Cairo/pixman rasterising", r"libcairo|libpixman"),
    ("clip, simplify, cull", r"/clip\.c|/cull\.c|/layer\.c"),
    ("reading shapefiles", r"/shp[a-z]*\.c|libshp"),
    ("fonts (fontconfig, Pango, FreeType, HarfBuzz, GLib)",
     r"libfontconfig|libpango|libfreetype|libharfbuzz|libglib|libgobject|libexpat|libfribidi"),
    ("dynamic linking (start-up)", r"ld-linux"),
    ("libc/libm", r"libc\.so|libm\.so|/libc|\./[a-z]+/"),
    ("other Shoal code", r"(^|/)src/"),
]
LINE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def stages(path):
    out = subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", path], capture_output=True,
                         text=True, check=True).stdout
    total, sums, body = 0, {}, False
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        n, what = int(m.group(1).replace(",", "")), m.group(2)
        if "PROGRAM TOTALS" in what:
            total = n
            body = True
            continue
        if not body:
            continue
        name = next((s for s, p in STAGES if re.search(p, what)), "other")
        sums[name] = sums.get(name, 0) + n
    return total, sums


def main():
    cols = [stages(p) for p in sys.argv[1:]]
    names = [s for s, _ in STAGES] + ["other"]
    print("| stage | " + " | ".join(sys.argv[1:]) + " |")
    print("|---|" + "---|" * len(cols))
    for s in names:
        cells = [f"{c[1].get(s, 0) / 1e6:,.0f} M ({100 * c[1].get(s, 0) / c[0]:.1f} %)" for c in cols]
        print(f"| {s} | " + " | ".join(cells) + " |")
    print("| **all** | " + " | ".join(f"**{c[0] / 1e6:,.0f} M**" for c in cols) + " |")


if __name__ == "__main__":
    main()
