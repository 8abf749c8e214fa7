#!/usr/bin/env bash
# Rebuild the GSHHG land polygons (and the high-resolution coast lines) that shapes/land_f and
# shapes/land_h are copied from, following the recipe in shapes/SOURCES.md (GSHHG 2.3.7 via
# Debian's gmt).
#   scripts/build-gshhg.sh [--install] [--region W/E/S/N] [--name NAME] [OUTDIR] [RES...]
# OUTDIR defaults to ./gshhg-out; RES is any of f h i l c (default: f h). --install first runs
#   apt-get install -y gmt gmt-gshhg-full gmt-gshhg-high gdal-bin   (about 1 GB of packages),
# or with gmt-gshhg-low in place of full/high when only i, l or c are asked for.
# --region defaults to 95/130/-5/30 (lon 95..130 E, lat -5..30 N, the region of shapes/).
# Writes OUTDIR/gshhg_RES_land.{shp,shx,dbf,prj} for each RES and OUTDIR/gshhg_h_coast_lines.*
# when h is built over the default region without --name. --name NAME writes
# OUTDIR/NAME.{shp,shx,dbf,prj} instead (one RES only), e.g. the inset locator's land:
#   scripts/build-gshhg.sh --region 60/160/-20/55 --name land_c_asia shapes c
# The result is deterministic (same sha256 on every run) on Debian bookworm (gmt 6.4.0,
# gshhg 2.3.7-6), taking 31 s for f, 12 s for h on 2 cores. Copy the f/h land files into
# shapes/ with `SHOAL_GSHHG=OUTDIR scripts/build-shapes.sh`.

# RES and the region are checked before use; the commands below stay word for word as in the
# recipe, with the region's bounds in place of 95,-5,130,30.
# shellcheck disable=SC2086
set -euo pipefail

install=0
R=95/130/-5/30 # the region of shapes/: lon 95..130 E, lat -5..30 N
name=
while [ $# -gt 0 ]; do
  case $1 in
    --install) install=1; shift ;;
    --region) [ $# -ge 2 ] || { echo "build-gshhg: --region needs W/E/S/N" >&2; exit 64; }
              R=$2; shift 2 ;;
    --name) [ $# -ge 2 ] || { echo "build-gshhg: --name needs a file name" >&2; exit 64; }
            name=$2; shift 2 ;;
    *) break ;;
  esac
done
outdir=${1:-gshhg-out}
[ $# -gt 0 ] && shift
resolutions=("$@")
[ ${#resolutions[@]} -gt 0 ] || resolutions=(f h)

num='-?[0-9]+(\.[0-9]+)?'
[[ $R =~ ^($num)/($num)/($num)/($num)$ ]] ||
  { echo "build-gshhg: region must be W/E/S/N in degrees, not '$R'" >&2; exit 64; }
IFS=/ read -r W E S N <<<"$R"
awk -v w="$W" -v e="$E" -v s="$S" -v n="$N" 'BEGIN { exit !(w < e && s < n && s >= -90 && n <= 90) }' ||
  { echo "build-gshhg: region '$R' is empty or out of range" >&2; exit 64; }
if [ -n "$name" ]; then
  [[ $name =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "build-gshhg: bad --name '$name'" >&2; exit 64; }
  [ ${#resolutions[@]} = 1 ] || { echo "build-gshhg: --name takes exactly one RES" >&2; exit 64; }
fi
for RES in "${resolutions[@]}"; do
  case $RES in f | h | i | l | c) ;; *) echo "build-gshhg: resolution must be f, h, i, l or c, not '$RES'" >&2; exit 64 ;; esac
done

pkgs=(gmt)
for RES in "${resolutions[@]}"; do
  case $RES in
    f) pkgs+=(gmt-gshhg-full) ;;
    h) pkgs+=(gmt-gshhg-high) ;;
    *) pkgs+=(gmt-gshhg-low) ;; # crude, low and intermediate
  esac
done
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" gdal-bin | awk '!seen[$0]++')
if [ $install = 1 ]; then
  apt-get install -y "${pkgs[@]}"
fi
for tool in gmt ogr2ogr awk; do
  command -v "$tool" >/dev/null ||
    { echo "build-gshhg: '$tool' not found; apt-get install -y ${pkgs[*]}" >&2; exit 1; }
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

for RES in "${resolutions[@]}"; do
  out=${name:-gshhg_${RES}_land}
  # The raw coast lines are written at high resolution over the default region only.
  lines=0
  if [ "$RES" = h ] && [ -z "$name" ] && [ "$R" = 95/130/-5/30 ]; then lines=1; fi
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
      -sql "SELECT Polygonize(u) AS geom FROM (SELECT ST_Union(g) AS u FROM (SELECT geom AS g FROM coast WHERE ST_NPoints(geom) > 1 UNION ALL SELECT ST_ExteriorRing(BuildMbr($W,$S,$E,$N,4326)) AS g))"
    # gmt select keeps the faces whose inner point is at sea: those are the ocean faces.
    OCEAN=$(ogr2ogr -f CSV /vsistdout/ w.gpkg -dialect SQLite -sql "SELECT X(PointOnSurface(geom)) AS x, Y(PointOnSurface(geom)) AS y, 'F' || rowid AS face FROM faces" |
      tail -n +2 | tr ',' '\t' | gmt select -D$RES -Nk/s/k/s/k | awk '{sub("F","",$3); printf "%s%s", (NR>1?",":""), $3}')
    # Land = frame minus ocean, one polygon per island.
    ogr2ogr -f "ESRI Shapefile" $out.shp w.gpkg -dialect SQLite -nln $out -explodecollections -nlt POLYGON \
      -sql "SELECT ST_Difference(BuildMbr($W,$S,$E,$N,4326), (SELECT ST_Union(geom) FROM faces WHERE rowid IN ($OCEAN))) AS geom"
    ogr2ogr -f "ESRI Shapefile" gshhg_${RES}_coast_lines.shp coast.gmt
    for ext in shp shx dbf prj; do
      cp "$out.$ext" "$outdir/"
      if [ $lines = 1 ]; then cp "gshhg_${RES}_coast_lines.$ext" "$outdir/"; fi
    done
  )
  rm -rf "$work"
  trap - EXIT
  # A stale spatial index would not match the new records.
  rm -f "$outdir/$out.qix"
  echo "build-gshhg: wrote $outdir/$out.shp"
done
