#!/usr/bin/env python3
"""Writes the small synthetic dataset behind tests/cli/test_formats.sh in every format Shoal
reads, so that a map of each can be compared pixel for pixel.

Provenance: the shapes are made up for the test (simple rectangles, a ring with a hole, two
lines and four points near 110-114 E, 8-12 N); the names are test strings in Vietnamese and
Chinese, not real places. Made once with this script and GDAL's ogr2ogr (gdal-bin 3.6); the
outputs are committed, so the tests do not need ogr2ogr. Rings are written clockwise (holes
anticlockwise), as shapefiles store them, so no format's writer turns them round.

    python3 tests/data/formats/make.py      (run from the repository root)
"""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))


def ring(x0, y0, x1, y1, cw=True):
    r = [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]
    return r if cw else r[::-1]


def fc(features):
    return {"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": features}


def feat(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": geom}


areas = fc([
    feat({"type": "Polygon", "coordinates": [ring(110.5, 8.5, 111.75, 9.5)]},
         name="Vùng thử Đông", kind="zone", rank=1, area=1520.25),
    feat({"type": "Polygon", "coordinates": [ring(112.0, 10.0, 113.5, 11.5),
                                             ring(112.5, 10.5, 113.0, 11.0, cw=False)]},
         name="测试区甲", kind="ring", rank=2, area=2210.5),
    feat({"type": "MultiPolygon", "coordinates": [[ring(110.25, 10.25, 110.75, 10.75)],
                                                  [ring(111.0, 11.0, 111.5, 11.25)]]},
         name="Đảo thử Bắc", kind="zone", rank=3, area=310.0),
])
routes = fc([
    feat({"type": "LineString", "coordinates": [[110.25, 8.25], [111.5, 9.75], [113.25, 9.5]]},
         name="Tuyến Ấ", kind="route", rank=1, area=0.5),
    feat({"type": "MultiLineString", "coordinates": [[[112.0, 8.25], [113.75, 8.75]],
                                                     [[113.75, 9.0], [113.75, 11.75]]]},
         name="航线乙", kind="line", rank=2, area=1.25),
])
ports = [("Cảng Một", "port", 1, 12.5, 110.75, 11.75), ("港口二", "port", 2, 7.25, 112.25, 9.0),
         ("Trạm Ba", "station", 3, 3.0, 113.0, 10.25), ("站四", "station", 4, 0.75, 111.25, 8.75)]
points = fc([feat({"type": "Point", "coordinates": [lon, lat]}, name=n, kind=k, rank=r, area=a)
             for n, k, r, a, lon, lat in ports])


def run(*args):
    subprocess.run(["ogr2ogr", *args], check=True)


os.chdir(HERE)
for name, data in (("areas", areas), ("routes", routes), ("ports", points)):
    with open(name + ".geojson", "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".fgb", ".kml"):  # rewritten below
        if os.path.exists(name + ext):
            os.remove(name + ext)
    run("-f", "ESRI Shapefile", "-lco", "ENCODING=UTF-8", name + ".shp", name + ".geojson")
    run("-f", "FlatGeobuf", name + ".fgb", name + ".geojson")
    run("-f", "LIBKML", name + ".kml", name + ".geojson")
if os.path.exists("all.gpkg"):
    os.remove("all.gpkg")
for i, name in enumerate(("areas", "routes", "ports")):
    run("-f", "GPKG", *(["-update"] if i else []), "-nln", name, "all.gpkg", name + ".geojson")
# KMZ (zipped KML) and a .json name for GeoJSON, for the points only.
if os.path.exists("ports.kmz"):
    os.remove("ports.kmz")
run("-f", "LIBKML", "ports.kmz", "ports.geojson")
with open("ports.geojson", encoding="utf-8") as f, open("ports.json", "w", encoding="utf-8") as g:
    g.write(f.read())
# CSV by hand: the coordinate columns capitalised and last, to be found by name.
with open("ports.csv", "w", encoding="utf-8") as f:
    f.write("name,kind,rank,area,Longitude,Latitude\n")
    for n, k, r, a, lon, lat in ports:
        f.write(f"{n},{k},{r},{a},{lon},{lat}\n")
