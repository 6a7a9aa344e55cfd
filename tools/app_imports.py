"""Print the import graph between the project's packages: one line per (importer -> imported)
with the number of importing lines, then any cycle between packages.

    .venv/bin/python tools/app_imports.py                  # the packages of .importlinter
    .venv/bin/python tools/app_imports.py ikm products     # just these

Imports inside functions count (grimp reads every import statement), as they do for lint-imports.
"""

from __future__ import annotations

import configparser
import itertools
import sys
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def configured_packages() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return config["importlinter"]["root_packages"].split()


def package_edges(packages: list[str]) -> Counter:
    graph = grimp.build_graph(*packages)
    edges: Counter = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            src, dst = module.split(".")[0], imported.split(".")[0]
            if src != dst and dst in packages:
                details = graph.get_import_details(importer=module, imported=imported)
                edges[src, dst] += max(1, len(details))
    return edges


def cycles(edges: Counter, packages: list[str]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for a, b in itertools.combinations(packages, 2)
        if (a, b) in edges and (b, a) in edges
    ]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    packages = argv or configured_packages()
    edges = package_edges(packages)
    for (src, dst), count in sorted(edges.items()):
        print(f"{src:>15} -> {dst:<15} {count:4d}")
    found = cycles(edges, packages)
    print("cycles between packages:", ", ".join(f"{a} <-> {b}" for a, b in found) or "none")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
