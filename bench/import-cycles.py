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
Edges from test modules (`#[cfg(test)] mod tests { … }` at the end of a file, and files
declared `#[cfg(test)] mod name;`) are skipped: a test may look up the pipeline.

Re-exports are resolved: a `pub use crate::district::District;` in src/read/mod.rs makes
`crate::read::District` (anywhere) an edge to src/district.rs, the file that defines it, and
the `pub use` line itself is no edge. A re-export only renames; a cycle through one would be
no cycle at all to the compiler, and keeping old paths alive must not hide or invent one.
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


PUB_USE = re.compile(r"\bpub(?:\s*\([^)]*\))?\s+use\s+([^;]+);")
ITEM = re.compile(r"\bpub(?:\s*\([^)]*\))?\s+(?:const|static|fn|struct|enum|type|trait|mod|use)\s+([A-Za-z_][A-Za-z0-9_]*)")
# (module path) → {name: absolute path it re-exports, or "*" → [glob targets]}
REEXPORTS = {}


def use_tree(tree, prefix=()):
    """`a::{b, c::d as e, f::*}` → [(["a","b"], "b"), (["a","c","d"], "e"), (["a","f"], "*")]."""
    tree = tree.strip()
    depth, start, parts, out = 0, 0, [], []
    if "{" in tree and tree.endswith("}"):
        head, body = tree[: tree.index("{")], tree[tree.index("{") + 1 : -1]
        head = [p for p in head.split("::") if p.strip()]
        for i, ch in enumerate(body + ","):
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                part = body[start:i].strip()
                if part:
                    out += use_tree(part, prefix + tuple(h.strip() for h in head))
                start = i + 1
        return out
    name = tree.split(" as ")
    path = [p.strip() for p in name[0].split("::") if p.strip()]
    full = list(prefix) + path
    if path and path[-1] == "*":
        return [(full[:-1], "*")]
    if path and path[-1] == "self":
        full = full[:-1]
    local = name[1].strip() if len(name) > 1 else (full[-1] if full else "")
    return [(full, local)]


def absolute(path, here, files):
    """A use path as an absolute module path, or None for another crate's."""
    if not path:
        return None
    if path[0] == "crate":
        return path[1:]
    out = list(here)
    while path and path[0] in ("self", "super"):
        if path[0] == "super":
            out = out[:-1]
        path = path[1:]
    if path is not None and (tuple(out + path[:1]) in files or len(out) < len(here)):
        return out + path
    if tuple(here + path[:1]) in files:
        return here + path
    return None


def file_of(parts, files, seen=0):
    """The file defining the longest prefix of a module path, through re-exports."""
    for n in range(len(parts), -1, -1):
        key = tuple(parts[:n])
        if key in files:
            if n < len(parts) and seen < 8:
                again = REEXPORTS.get(key, {})
                target = again.get(parts[n])
                if target is not None:
                    return file_of(target + parts[n + 1 :], files, seen + 1)
                for glob in again.get("*", []):
                    f = files.get(tuple(glob))
                    if f and parts[n] in DEFINED.get(f, ()):
                        return file_of(glob + parts[n:], files, seen + 1)
            return files[key]
    return None


DEFINED = {}


def strip_tests(text):
    """The code a build sees: no test module, no comments (doc links are not imports)."""
    m = re.search(r"#\[cfg\(test\)\]\s*mod\s+tests\s*\{", text)
    text = text[: m.start()] if m else text
    return re.sub(r"//.*", "", text)


def test_files(files):
    """Files declared `#[cfg(test)] mod name;`: test code, like a `mod tests { … }`."""
    out = set()
    for mod, path in files.items():
        text = re.sub(r"//.*", "", open(path, encoding="utf-8").read())
        for name in re.findall(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", text):
            child = tuple(mod) + (name,)
            if child in files:
                out.add(child)
    # A test file's own submodules are test code too.
    return {m for m in files if any(m[: len(t)] == t for t in out)}


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
    for m in test_files(files):
        del files[m]
    texts = {}
    for mod, path in files.items():
        text = strip_tests(open(path, encoding="utf-8").read())
        DEFINED[path] = set(ITEM.findall(text))
        for tree in PUB_USE.findall(text):
            for full, local in use_tree(tree):
                target = absolute(full, list(mod), files)
                if target is None:
                    continue
                entry = REEXPORTS.setdefault(mod, {})
                if local == "*":
                    entry.setdefault("*", []).append(target)
                else:
                    entry[local] = target
        texts[mod] = PUB_USE.sub("", text)
    edges = {f: set() for f in files.values()}
    for mod, path in files.items():
        text = texts[mod]
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
