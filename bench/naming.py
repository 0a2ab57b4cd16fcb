"""Benchmark apps.scanning.naming.parse_path on the test corpus: names parsed per second on one core.

Run: .venv/bin/python bench/naming.py [seconds]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apps.scanning import naming  # noqa: E402

CORPUS = ROOT / "apps" / "libraries" / "tests" / "naming_corpus.json"


def clear_folder_caches() -> None:
    # Cold figure: a real scan reuses each folder's parse for every file in it, the corpus mostly does not.
    naming._movie_folder.cache_clear()
    naming._show_folder.cache_clear()


def run(cases: list[tuple[str, str]], seconds: float, *, cold: bool) -> float:
    """Parse the corpus over and over for about `seconds`; return names per second."""
    parse = naming.parse_path
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        if cold:
            clear_folder_caches()
        for path, kind in cases:
            parse(path, library_kind=kind)
        done += len(cases)
    return done / (time.perf_counter() - start)


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    cases = [(c["path"], c["kind_of_library"]) for c in json.loads(CORPUS.read_text(encoding="utf-8"))]
    run(cases, 0.2, cold=True)  # warm up
    cold = run(cases, seconds / 2, cold=True)
    warm = run(cases, seconds / 2, cold=False)
    print(f"{len(cases)} corpus names, single process")
    print(f"cold folder cache: {cold:,.0f} names/s")
    print(f"warm folder cache: {warm:,.0f} names/s")


if __name__ == "__main__":
    main()
