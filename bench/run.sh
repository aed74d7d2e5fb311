#!/usr/bin/env bash
# controlmap benchmark: phases in process, whole-process time and peak memory of
# `controlmap render`, and (when the peers of ../shared/peers are installed) the same map made
# by Mapnik in the same run, quoted as a ratio. Not run by CI; needs hyperfine and GNU time.
#   usage: bench/run.sh            env: RUNS (default 10), PEERBENCH (default /tmp/peerbench)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
PB=${PEERBENCH:-/tmp/peerbench}
D=../shared/data
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo build --release --quiet
BIN=$PWD/target/release/controlmap

echo "## Phases, in process (median of 7)"
cargo bench --quiet --bench phases
echo

TOPO=(--boundaries "$D/taliban-takeover-2021/combined.json" --status "$D/taliban-takeover-2021/taliban_takeover.csv"
      --map 1=taliban --map 2=taliban --map 0=no-report --date 2021-06-20)
OCHA=(--boundaries "$D/ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp" --status "$D/lwj-control-2018/afg_districts.csv")

peak_mb() { # median peak RSS (MB) of 5 runs of a command
  for _ in 1 2 3 4 5; do /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; done |
    sort -n | sed -n 3p | awk '{printf "%.1f", $1 / 1024}'
}

echo "## Whole process, 1600x1200 (hyperfine median of $RUNS, peak RSS median of 5)"
echo "| input | output | median s | min-max s | peak RSS MB | bytes |"
echo "|---|---|---:|---:|---:|---:|"
for name in TOPO OCHA; do
  declare -n args=$name
  for fmt in svg png; do
    out="$OUT/$name.$fmt"
    hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$OUT/h.json" \
      "$BIN render -q ${args[*]} -o $out" >/dev/null
    read -r med min max < <(python3 -c "import json;r=json.load(open('$OUT/h.json'))['results'][0];print(f\"{r['median']:.3f} {r['min']:.3f} {r['max']:.3f}\")")
    mb=$(peak_mb "$BIN" render -q "${args[@]}" -o "$out")
    label=$([ $name = TOPO ] && echo "2021 takeover TopoJSON (329)" || echo "OCHA Shapefile (399) + LWJ")
    echo "| $label | $fmt | $med | $min-$max | $mb | $(stat -c %s "$out") |"
  done
done
echo

# Against an older build of controlmap, side by side in this run (issue 12's "2x faster than
# today" was set at commit 6fd70b9):
#   git worktree add --detach /tmp/cm-baseline 6fd70b9 && (cd /tmp/cm-baseline && cargo build --release)
#   BASELINE=/tmp/cm-baseline/target/release/controlmap bench/run.sh
if [ -n "${BASELINE:-}" ]; then
  echo "## Side by side with the baseline build (OCHA Shapefile + LWJ, default PNG)"
  hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-json "$OUT/base.json" \
    -n baseline "$BASELINE render -q ${OCHA[*]} -o $OUT/base.png" \
    -n controlmap "$BIN render -q ${OCHA[*]} -o $OUT/new.png" | grep -E "Time|±|faster" || true
  python3 - "$OUT/base.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"baseline / controlmap median wall time: {r['baseline']['median'] / r['controlmap']['median']:.2f}x")
PY
  echo
fi

echo "## Series, 1600x1200, whole process (hyperfine median of $RUNS, peak RSS median of 5)"
echo "| frames | output | median s | min-max s | peak RSS MB | files |"
echo "|---|---|---:|---:|---:|---:|"
for sel in "--dates changes" "--from 2021-01-01 --to 2021-12-31 --every 1d"; do
  for fmt in png svg; do
    dir="$OUT/series"
    cmd="$BIN series -q ${TOPO[*]:0:10} $sel -o $dir/{date}.$fmt"
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --prepare "rm -rf $dir" --export-json "$OUT/h.json" "$cmd" >/dev/null
    read -r med min max < <(python3 -c "import json;r=json.load(open('$OUT/h.json'))['results'][0];print(f\"{r['median']:.3f} {r['min']:.3f} {r['max']:.3f}\")")
    rm -rf "$dir"; mb=$(peak_mb $cmd)
    n=$(ls "$dir" | wc -l)
    echo "| $n ($([ "${sel:0:7}" = "--dates" ] && echo 'the 37 record dates' || echo 'daily, 2021')) | $fmt | $med | $min-$max | $mb | $n |"
  done
done
echo

# Cost growth: the peer job's districts (GeoJSON from ../shared/peers/prepare_data.sh) with
# every edge split into 4 and 16 pieces (bench/densify.py, in the temp dir), drawn as the
# same plain PNG: whole-process time and peak RSS against the input's vertices.
if command -v mapshaper >/dev/null || [ -x "$PB/npm/node_modules/.bin/mapshaper" ]; then
  PEERBENCH=$PB bash ../shared/peers/prepare_data.sh >/dev/null
  FRAME=$(cat "$PB/data/frame.txt")
  echo "## Growth: whole process and peak RSS against input vertices (peer job, plain PNG; hyperfine median of $RUNS)"
  echo "| vertices | input MB | median s | s per ×1 | peak RSS MB |"
  echo "|---:|---:|---:|---:|---:|"
  base=""
  for k in 1 4 16; do
    python3 bench/densify.py "$PB/data/districts.geojson" $k "$OUT/x$k.geojson"
    verts=$(python3 -c "import json,sys;n=0
def w(c):
  global n
  if isinstance(c[0],(int,float)): n+=1
  else: [w(p) for p in c]
[w(f['geometry']['coordinates']) for f in json.load(open(sys.argv[1]))['features']];print(n)" "$OUT/x$k.geojson")
    G="$BIN render -q --boundaries $OUT/x$k.geojson --status $D/taliban-takeover-2021/taliban_takeover.csv --map 1=taliban --map 2=contested --map 0=government --ambiguous all --proj +proj=longlat --bbox $FRAME --plain --border-color=#ffffff --border-width 0.5 --province-width 0 --outline-width 0 --date 2021-06-20"
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --export-json "$OUT/h.json" "$G -o $OUT/g.png" >/dev/null
    med=$(python3 -c "import json;print(f\"{json.load(open('$OUT/h.json'))['results'][0]['median']:.3f}\")")
    base=${base:-$med}
    mb=$(peak_mb $G -o "$OUT/g.png")
    echo "| $verts (×$k) | $(du -m "$OUT/x$k.geojson" | cut -f1) | $med | $(python3 -c "print(f'{$med / $base:.2f}')") | $mb |"
  done
  echo
fi

# Side by side with Mapnik on the peer benchmark's job (shared/peers/README.md): same data,
# frame, colours, plain lon/lat, 0.5 px white borders, one PNG for 2021-06-20. The peers
# stroke every district's own outline (a shared border twice), so controlmap is timed with
# `--borders each`, which does the same; verify.py checks both border modes.
if /usr/bin/python3 -c "import mapnik" 2>/dev/null && command -v mapshaper >/dev/null || [ -x "$PB/npm/node_modules/.bin/mapshaper" ]; then
  PEERBENCH=$PB bash ../shared/peers/prepare_data.sh >/dev/null
  FRAME=$(cat "$PB/data/frame.txt")
  CM="$BIN render -q --boundaries $D/taliban-takeover-2021/combined.json --status $D/taliban-takeover-2021/taliban_takeover.csv --map 1=taliban --map 2=contested --map 0=government --ambiguous all --proj +proj=longlat --bbox $FRAME --plain --border-color=#ffffff --border-width 0.5 --province-width 0 --outline-width 0 --color taliban=#c0392b --color contested=#f5b041 --color government=#d5d8dc --color no-data=#ffffff --borders each --date 2021-06-20"
  MAPNIK="/usr/bin/python3 ../shared/peers/peer_mapnik.py png $PB/data/districts.geojson $PB/data/taliban_takeover.csv 2021-06-20 $OUT/mapnik"
  echo "## Side by side with Mapnik (peer job: one plain PNG, 2021-06-20)"
  hyperfine -N --style basic --warmup 2 --runs "$RUNS" --export-json "$OUT/peer.json" \
    -n controlmap "$CM -o $OUT/cm.png" -n mapnik "$MAPNIK" | grep -E "Time|±|faster" || true
  python3 - "$OUT/peer.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"mapnik / controlmap median wall time: {r['mapnik']['median'] / r['controlmap']['median']:.1f}x")
PY
  echo "## Side by side with Mapnik (peer job: the 37-date PNG series)"
  CMS="${CM/render/series} --dates changes"; CMS="${CMS/ --date 2021-06-20/}"
  MAPNIKS="/usr/bin/python3 ../shared/peers/peer_mapnik.py series-png $PB/data/districts.geojson $PB/data/taliban_takeover.csv 2021-06-20 $OUT/mapnik-series"
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" --export-json "$OUT/peers.json" \
    -n controlmap "$CMS -o $OUT/cms/{date}.png" -n mapnik "$MAPNIKS" | grep -E "Time|±|faster" || true
  python3 - "$OUT/peers.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(f"mapnik / controlmap median wall time, 37 PNG frames: {r['mapnik']['median'] / r['controlmap']['median']:.1f}x")
PY
  if [ -x "$PB/venv/bin/python" ]; then
    # The default border mode too: the shared border mesh, stroked once.
    ${CMS/--borders each/--borders shared} -o "$OUT/cms-shared/{date}.png"
    for mode in each shared; do
      echo "## The peers' verify.py, controlmap --borders $mode (counts at each district's interior point, pixel agreement)"
      src=$OUT/cms; [ $mode = shared ] && src=$OUT/cms-shared
      rm -rf "$OUT/verify"
      mkdir -p "$OUT/verify/controlmap/series-png" "$OUT/verify/mapnik/series-png"
      for day in 2021-06-20 2021-08-16; do
        cp "$src/$day.png" "$OUT/verify/controlmap/series-png/$day.png"
        cp "$OUT/mapnik-series/$day.png" "$OUT/verify/mapnik/series-png/$day.png"
      done
      (cd ../shared/peers && "$PB/venv/bin/python" verify.py "$PB/data/districts.geojson" "$PB/data/taliban_takeover.csv" "$OUT/verify" 2021-06-20 2021-08-16)
    done
  fi
else
  echo "(peers not installed: run ../shared/peers/setup.sh for the side-by-side comparison)"
fi
