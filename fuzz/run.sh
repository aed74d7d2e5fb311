#!/usr/bin/env bash
# Fuzz every reader with cargo-fuzz (libFuzzer; needs the nightly toolchain and
# `cargo install cargo-fuzz`; without a nightly toolchain, RUSTC_BOOTSTRAP=1 lets the stable
# one take the -Z flags cargo-fuzz passes). Not run by CI.
#   usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default 600 s, all targets
# Corpora are seeded from tests/fixtures and from small inputs written here; crashes land in
# fuzz/artifacts/<target>/. Copy each crashing input into tests/fuzz_regressions/<target>/
# once fixed: tests/fuzz_regressions.rs replays them on every `cargo test`.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET=${1:-600}
shift || true
TARGETS=${*:-"boundaries_json shapefile timeline_csv timeline_json places_csv join_tables style_toml crs"}

seed() { mkdir -p "corpus/$1"; cp "$2" "corpus/$1/" 2>/dev/null || true; }
seed boundaries_json ../tests/fixtures/districts.geojson
seed timeline_csv ../tests/fixtures/timeline.csv
seed timeline_csv ../tests/fixtures/timeline_wide.csv
seed timeline_json ../tests/fixtures/timeline.json
seed join_tables ../assets/aliases/afghanistan.csv
printf 'old,older,code\nTALUQAN,NA,AF1801\n"KHAN, ABAD",,AF1802\n' > corpus/join_tables/crosswalk.csv
for f in ../assets/styles/*.toml; do seed style_toml "$f"; done
for f in ../tests/fuzz_regressions/*/*; do [ -f "$f" ] && seed "$(basename "$(dirname "$f")")" "$f"; done
mkdir -p corpus/boundaries_json corpus/places_csv corpus/shapefile
cat > corpus/boundaries_json/topo.json <<'JSON'
{"type":"Topology","transform":{"scale":[0.5,0.5],"translate":[60,30]},
 "objects":{"d":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","arcs":[[0,1]],"id":"A","properties":{"province":"P"}},
  {"type":"Polygon","arcs":[[-1,2]],"id":"B","properties":{"province":"Q"}}]}},
 "arcs":[[[2,0],[0,2]],[[2,2],[-2,0],[0,-2],[2,0]],[[2,0],[2,0],[0,2],[-2,0]]]}
JSON
# A one-square Shapefile and its DBF, joined by the marker the shapefile target splits at.
python3 - corpus/shapefile/square <<'PY'
import struct, sys
pts = [(60, 30), (60, 31), (61, 31), (61, 30), (60, 30)]
content = struct.pack("<i4d2i", 5, 60, 30, 61, 31, 1, len(pts)) + struct.pack("<i", 0)
content += b"".join(struct.pack("<2d", *p) for p in pts)
record = struct.pack(">2i", 1, len(content) // 2) + content
header = struct.pack(">7i", 9994, 0, 0, 0, 0, 0, (100 + len(record)) // 2)
header += struct.pack("<2i8d", 1000, 5, 60, 30, 61, 31, 0, 0, 0, 0)
field = b"NAME".ljust(11, b"\0") + b"C" + b"\0" * 4 + bytes([10, 0]) + b"\0" * 14
dbf = struct.pack("<B3BIHH20x", 3, 125, 1, 1, 1, 32 + 32 + 1, 1 + 10) + field + b"\r"
dbf += b" " + b"Alpha".ljust(10) + b"\x1a"
open(sys.argv[1], "wb").write(header + record + b"\xff\x00\xff" + dbf)
PY
printf 'name,lon,lat,kind\nKabul,69.17,34.53,capital\nHerat,62.2,34.35,\n' > corpus/places_csv/places.csv
printf 'district,date,status\nAlpha,5/11/2021,1\nBeta,6/13/2021,0\n' > corpus/timeline_csv/mdy.csv
mkdir -p corpus/timeline_json
printf '[{"name": "Alpha", "date": "2021-05-11", "status": 1, "note": null},\n {"name": "Beta", "date": "2021-06-13", "status": "0", "source": "x"}]\n' > corpus/timeline_json/records.json
printf '[{"district": "Alpha", "province": "P", "5/11/2021": 1, "6/13/2021": 0.0}]\n' > corpus/timeline_json/wide.json

mkdir -p corpus/crs
cp ../tests/fixtures/*.prj corpus/crs/ 2>/dev/null || true
printf 'EPSG:32642' > corpus/crs/epsg
printf '+proj=lcc +lat_1=30 +lat_2=40 +lon_0=66 +datum=WGS84' > corpus/crs/lcc
for f in ../tests/fixtures/*.geojson ../tests/fixtures/*.topojson; do seed boundaries_json "$f"; done
python3 - corpus/shapefile/utm42n <<'PY'
import sys
shp = open("../tests/fixtures/utm42n.shp", "rb").read()
dbf = open("../tests/fixtures/utm42n.dbf", "rb").read()
open(sys.argv[1], "wb").write(shp + b"\xff\x00\xff" + dbf)
PY

if rustup toolchain list 2>/dev/null | grep -q nightly; then
  FUZZ=(cargo +nightly fuzz)
else
  FUZZ=(env RUSTC_BOOTSTRAP=1 cargo fuzz)
fi
for t in $TARGETS; do
  echo "== $t ($SECONDS_PER_TARGET s)"
  "${FUZZ[@]}" run -O "$t" "corpus/$t" -- -max_total_time="$SECONDS_PER_TARGET" -max_len=65536 \
    -rss_limit_mb=2048 -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|stat::peak_rss|SUMMARY|ERROR|Done" || true
done
ls artifacts/*/ 2>/dev/null && echo "(artifacts above: crashes or leaks to fix)" || echo "no crashes"
