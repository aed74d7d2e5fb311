#!/usr/bin/env python3
"""List the import cycles between the files of src/ (and the files over a size limit).

usage: bench/import-cycles.py [--max-lines N] [--quiet]

Every `crate::a::b…` and `super::…` path in a file (in `use` lines and inline paths) is
resolved to the file that defines that module: `crate::render::svg::Foo` → src/render/svg.rs,
`crate::render::Scene` → src/render/mod.rs. Each file is a node; an edge A → B means A names
something of B. The strongly connected components with more than one file are the cycles.
Exit status 1 when there is a cycle, so the script can gate CI once the cycles are gone.

Written by hand because no packaged tool reads Rust module paths without compiling the crate
(cargo-modules needs rust-analyzer's full build), and a regex over paths is all this needs.
Edges from test modules (`#[cfg(test)] mod tests { … }` at the end of a file) are skipped:
a test may look up the pipeline.
"""
import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
GROUP = re.compile(r"\b(crate|super)::\{([^}]*)\}")


def module_of(path):
    """src/render/svg.rs → ["render", "svg"]; src/render/mod.rs → ["render"]."""
    rel = os.path.relpath(path, SRC)[:-3].split(os.sep)
    if rel[-1] in ("mod", "lib", "main"):
        rel = rel[:-1]
    return rel


def file_of(parts, files):
    """The file defining the longest prefix of a module path."""
    for n in range(len(parts), -1, -1):
        key = tuple(parts[:n])
        if key in files:
            return files[key]
    return None


def strip_tests(text):
    """The code a build sees: no test module, no comments (doc links are not imports)."""
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{", text)
    text = text[: m.start()] if m else text
    return re.sub(r"//.*", "", text)


def main():
    max_lines = 880
    if "--max-lines" in sys.argv:
        max_lines = int(sys.argv[sys.argv.index("--max-lines") + 1])
    quiet = "--quiet" in sys.argv
    files = {}
    for root, _, names in os.walk(SRC):
        for name in names:
            if name.endswith(".rs"):
                p = os.path.join(root, name)
                if os.path.basename(p) == "main.rs":
                    continue
                files[tuple(module_of(p))] = os.path.normpath(p)
    edges = {f: set() for f in files.values()}
    for mod, path in files.items():
        text = strip_tests(open(path, encoding="utf-8").read())
        here = list(mod)
        # A file's `super` is its parent module; mod.rs's parent is one up as well.
        parent = here[:-1]
        paths = []
        for kind, rest in PATH.findall(text):
            paths.append((kind, rest.strip(":").split("::")))
        for kind, inner in GROUP.findall(text):
            for item in inner.split(","):
                item = item.strip().split(" as ")[0]
                if item:
                    paths.append((kind, re.split(r"::", item.strip("{} "))))
        for kind, parts in paths:
            parts = [p for p in parts if p and p != "self" and not p.startswith("{")]
            base = [] if kind == "crate" else parent
            target = file_of(base + parts, files)
            if target and target != path:
                edges[path].add(target)
    rel = lambda p: os.path.relpath(p, os.path.join(SRC, ".."))
    cycles = sccs(edges)
    for c in cycles:
        print("cycle between files: " + " ↔ ".join(sorted(rel(p) for p in c)))
    # The same graph one level up (src/read/*.rs is `read`): a reader importing a render type
    # while render imports the reader is a cycle of layers even when no two files form one.
    top = lambda p: rel(p).split(os.sep)[1].removesuffix(".rs")
    layers = {}
    for a, bs in edges.items():
        layers.setdefault(top(a), set()).update(top(b) for b in bs if top(b) != top(a))
    layer_cycles = sccs(layers)
    for c in layer_cycles:
        print("cycle between modules: " + " ↔ ".join(sorted(c)))
    cycles += layer_cycles
    big = []
    for p in sorted(edges):
        n = sum(1 for _ in open(p, encoding="utf-8"))
        if n > max_lines:
            big.append((n, rel(p)))
    for n, p in sorted(big, reverse=True):
        print(f"over {max_lines} lines: {p} ({n})")
    if not quiet:
        print(f"{len(edges)} files, {sum(len(e) for e in edges.values())} imports, "
              f"{len(cycles)} cycle(s)")
    sys.exit(1 if cycles else 0)


def sccs(edges):
    """Tarjan's strongly connected components, iteratively; only those of 2+ files."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(comp)
            elif nxt not in index:
                index[nxt] = low[nxt] = counter[0]
                counter[0] += 1
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(edges[nxt]))))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
    return out


if __name__ == "__main__":
    main()
