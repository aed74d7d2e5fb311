#!/usr/bin/env python3
"""Fails when a dependency in Cargo.lock declares a newer rust-version than ours.

usage: bench/msrv.py

Only one toolchain exists here (no rustup downloads), so the declared `rust-version` cannot be
checked by building with that compiler. Two checks stand in for it: clippy's
`incompatible_msrv` lint (on by default, run by .ci/run) flags our own code calling a std API
newer than the declared version, and this script reads `cargo metadata` (the resolved graph of
Cargo.lock, offline) and lists every package in it whose own `rust-version` is newer than ours:
such a dependency would not build with the compiler we claim to support. Packages that declare
none are not judged (nothing to compare). Exit 1 when there is one, 0 otherwise.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def version(text):
    """"1.88" or "1.88.0" → (1, 88, 0)."""
    parts = [int(p) for p in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


def main():
    # The host's packages only: another platform's (Windows console crates) are not in the
    # offline registry cache, and cargo needs their manifests to know their rust-version.
    host = next(
        line.split(": ", 1)[1]
        for line in subprocess.run(["rustc", "-vV"], check=True, capture_output=True,
                                   text=True).stdout.splitlines()
        if line.startswith("host: ")
    )
    out = subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked", "--offline",
         "--filter-platform", host],
        cwd=ROOT, capture_output=True, text=True,
    )
    if out.returncode != 0:
        # e.g. a rust-version below what the edition needs: cargo says so itself.
        sys.stderr.write(out.stderr)
        sys.exit(1)
    meta = json.loads(out.stdout)
    ours = [p for p in meta["packages"] if p["id"] in meta["workspace_members"]]
    declared = {p["name"]: p.get("rust_version") for p in ours}
    if not all(declared.values()):
        print("no rust-version declared for: " + ", ".join(n for n, v in declared.items() if not v))
        sys.exit(1)
    msrv = min(version(v) for v in declared.values())
    resolved = {n["id"] for n in meta["resolve"]["nodes"]}
    newer = sorted(
        (p["name"], p["version"], p["rust_version"])
        for p in meta["packages"]
        if p["id"] in resolved and p["id"] not in meta["workspace_members"]
        and p.get("rust_version") and version(p["rust_version"]) > msrv
    )
    for name, v, rv in newer:
        print(f"{name} {v} needs rust {rv}, newer than our rust-version {'.'.join(map(str, msrv))}")
    checked = sum(1 for p in meta["packages"] if p["id"] in resolved)
    print(f"{checked} packages in Cargo.lock, {len(newer)} newer than rust-version "
          f"{'.'.join(map(str, msrv))}")
    sys.exit(1 if newer else 0)


if __name__ == "__main__":
    main()
