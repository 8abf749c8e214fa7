#!/usr/bin/env bash
# Rebuild the GSHHG land polygons (and the high-resolution coast lines) that shared/data/land
# holds, following the recipe in shared/data/SOURCES.md (GSHHG 2.3.7 via Debian's gmt).
#   scripts/build-gshhg.sh [--install] [OUTDIR] [RES...]
# OUTDIR defaults to ./gshhg-out; RES is any of f h (default: both). --install first runs
#   apt-get install -y gmt gmt-gshhg-full gmt-gshhg-high gdal-bin   (about 1 GB of packages).
# Writes OUTDIR/gshhg_RES_land.{shp,shx,dbf,prj} for each RES and OUTDIR/gshhg_h_coast_lines.*
# when h is built. shared/data/SOURCES.md reports the result deterministic (same sha256) on
# Debian bookworm (gmt 6.4.0, gshhg 2.3.7-6), taking
# 31 s for f, 12 s for h on 2 cores. Not run here: it needs ~1 GB of packages. Copy the land
# files into shapes/ with build-shapes.sh.

# RES is checked to be f or h before use; the commands below stay word for word as in the recipe.
# shellcheck disable=SC2086
set -euo pipefail

install=0
if [ "${1:-}" = "--install" ]; then
  install=1
  shift
fi
outdir=${1:-gshhg-out}
[ $# -gt 0 ] && shift
resolutions=("$@")
[ ${#resolutions[@]} -gt 0 ] || resolutions=(f h)

if [ $install = 1 ]; then
  apt-get install -y gmt gmt-gshhg-full gmt-gshhg-high gdal-bin
fi
for tool in gmt ogr2ogr awk; do
  command -v "$tool" >/dev/null ||
    { echo "build-gshhg: '$tool' not found; apt-get install -y gmt gmt-gshhg-full gmt-gshhg-high gdal-bin" >&2; exit 1; }
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
R=95/130/-5/30 # the region of every derived file: lon 95..130 E, lat -5..30 N

for RES in "${resolutions[@]}"; do
  case $RES in f | h) ;; *) echo "build-gshhg: resolution must be f or h, not '$RES'" >&2; exit 64 ;; esac
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    # Level-1 shorelines as closed lines, clipped to the region.
    gmt coast -R$R -D$RES -W1/0.1p -M | gmt convert -a+gLINE > coast.gmt
    ogr2ogr -f GPKG w.gpkg coast.gmt -nln coast
    # Every face of the shorelines plus the region's frame (SpatiaLite's Polygonize returns
    # the ocean face with the islands as holes plus the land faces that touch the frame).
    ogr2ogr -f GPKG -update w.gpkg w.gpkg -dialect SQLite -nln faces -explodecollections -nlt POLYGON \
      -sql "SELECT Polygonize(u) AS geom FROM (SELECT ST_Union(g) AS u FROM (SELECT geom AS g FROM coast WHERE ST_NPoints(geom) > 1 UNION ALL SELECT ST_ExteriorRing(BuildMbr(95,-5,130,30,4326)) AS g))"
    # gmt select keeps the faces whose inner point is at sea: those are the ocean faces.
    OCEAN=$(ogr2ogr -f CSV /vsistdout/ w.gpkg -dialect SQLite -sql "SELECT X(PointOnSurface(geom)) AS x, Y(PointOnSurface(geom)) AS y, 'F' || rowid AS face FROM faces" |
      tail -n +2 | tr ',' '\t' | gmt select -D$RES -Nk/s/k/s/k | awk '{sub("F","",$3); printf "%s%s", (NR>1?",":""), $3}')
    # Land = frame minus ocean, one polygon per island.
    ogr2ogr -f "ESRI Shapefile" gshhg_${RES}_land.shp w.gpkg -dialect SQLite -nln gshhg_${RES}_land -explodecollections -nlt POLYGON \
      -sql "SELECT ST_Difference(BuildMbr(95,-5,130,30,4326), (SELECT ST_Union(geom) FROM faces WHERE rowid IN ($OCEAN))) AS geom"
    ogr2ogr -f "ESRI Shapefile" gshhg_${RES}_coast_lines.shp coast.gmt
    for ext in shp shx dbf prj; do
      cp "gshhg_${RES}_land.$ext" "$outdir/"
      # shared/data ships the raw coast lines at high resolution only.
      if [ "$RES" = h ]; then cp "gshhg_${RES}_coast_lines.$ext" "$outdir/"; fi
    done
  )
  rm -rf "$work"
  trap - EXIT
  echo "build-gshhg: wrote $outdir/gshhg_${RES}_land.shp"
done
