"""How long `huashu import` takes for the 300-row test sheet (tests/phrase_sheet.py).

The sheet is imported into a fresh copy of the bundled library, in its own process as an
editor runs it (the command line, startup included), once with --check and once writing;
then the bundled library is exported and the export imported back (nothing changes).
Prints the median of several runs.

    python bench/import_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import phrase_sheet  # noqa: E402  (the test sheet's generator lives with the tests)


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one command (CPU: on a shared machine the steadier figure)."""
    cpu_before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "huashu.cli", *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"huashu {' '.join(args)} 失败：\n{result.stderr}")
    return elapsed, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(runs: int) -> dict[str, list[tuple[float, float]]]:
    figures: dict[str, list[tuple[float, float]]] = {
        "import --check": [],
        "import": [],
        "export": [],
        "import the export": [],
    }
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            phrase_sheet.write_xlsx(root / "sheet.xlsx")
            shutil.copytree(REPO / "scripts_library", root / "scripts_library")
            figures["import --check"].append(timed(["import", "sheet.xlsx", "--check"], root))
            figures["import"].append(timed(["import", "sheet.xlsx"], root))
            shutil.rmtree(root / "scripts_library")
            shutil.copytree(REPO / "scripts_library", root / "scripts_library")
            figures["export"].append(timed(["export", "all.xlsx"], root))
            figures["import the export"].append(timed(["import", "all.xlsx"], root))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    figures = run(args.runs)
    print(f"{phrase_sheet.ROWS}-row sheet into the bundled library, median of {args.runs} runs (whole command):")
    for name, times in figures.items():
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"  huashu {name:<20} {wall:6.2f} s wall  {cpu:6.2f} s CPU")


if __name__ == "__main__":
    main()
