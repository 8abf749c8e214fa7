#!/usr/bin/python3
# Renders a Mapnik XML map to a PNG of the given size at the map's maximum-extent (Debian's
# mapnik-render fixes the size at 600x400). Used by bench/compare.sh.
#   mapnik_render.py MAP.xml OUT.png WIDTH HEIGHT [FORMAT]
import sys
import mapnik

xml, out, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
fmt = sys.argv[5] if len(sys.argv) > 5 else "png32:z=2:t=0"  # 24-bit RGB, zlib level 2 (as Shoal)
m = mapnik.Map(w, h)
mapnik.load_map(m, xml)
m.zoom_to_box(m.maximum_extent)
mapnik.render_to_file(m, out, fmt)
