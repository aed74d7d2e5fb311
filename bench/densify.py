#!/usr/bin/env python3
"""Writes a copy of a GeoJSON with every edge split into FACTOR pieces (FACTOR-1 points
interpolated on it), so the input has FACTOR times the vertices and draws the same map.
Used by bench/run.sh for the growth table; the output goes to a temp dir, never committed.
   usage: densify.py IN.geojson FACTOR OUT.geojson"""
import json, sys

src, factor, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def ring(r):
    out = []
    for (x0, y0, *_), (x1, y1, *_) in zip(r, r[1:]):
        out.extend([x0 + (x1 - x0) * k / factor, y0 + (y1 - y0) * k / factor] for k in range(factor))
    out.append(r[-1])
    return out

def walk(c, depth):
    return ring(c) if depth == 0 else [walk(p, depth - 1) for p in c]

depth = {"Polygon": 1, "MultiPolygon": 2}
data = json.load(open(src))
for f in data["features"]:
    g = f["geometry"]
    if g and g["type"] in depth:
        g["coordinates"] = walk(g["coordinates"], depth[g["type"]])
json.dump(data, open(dst, "w"))
