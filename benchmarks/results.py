"""`handouts results` on a large workshop (issue 26): 1,000 participants before and after, on
quizzes printed in four versions, from the responses table to the whole report on disk (the
PDF with its charts, the easy-read summary, the workbook and the CSVs), as a whole process.

    python -m benchmarks.results [--participants 1000] [--repeat 3]

Target: under 5 s. Reported, never asserted: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
HANDOUTS = [sys.executable, "-m", "generator"]


def responses(path: Path, participants: int, questions: int = 5) -> None:
    """A pre/post table: every participant on a random version each time, random letters
    (some empty, a few double ticks)."""
    rng = random.Random(26)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["participant", "moment", "edition", *range(1, questions + 1)])
        for moment in ("before", "after"):
            for n in range(participants):
                cells = [rng.choice(["A", "B", "C", "D", "A", "B", "C", "D", "", "AB"])
                         for _ in range(questions)]
                writer.writerow([f"P{n:04d}", moment, rng.choice("ABCD"), *cells])


def figures(table: Path) -> float:
    """Seconds to read the table, map it back through the editions and compute every figure
    (in this process, the sheet loaded first)."""
    from generator.sheet.loader import load_sheet
    from generator.sheet.responses import read_responses
    from generator.view.results import compute, map_responses

    sheet = load_sheet(SAMPLE)
    started = time.perf_counter()
    compute(sheet, map_responses(sheet, read_responses([table], sheet), 4, "7"))
    return time.perf_counter() - started


def report(participants: int, repeat: int, prefix: str = "") -> None:
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-results-"))
    try:
        table = work / "responses.csv"
        responses(table, participants)
        command = [*HANDOUTS, "results", str(SAMPLE), str(table), "--versions", "4",
                   "--seed", "7", "-o", str(work / "out")]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL,  # a warning per double tick
                           env={"HANDOUTS_SETTINGS": "none", "PATH": ""})
            times.append(time.perf_counter() - started)
        sizes = ", ".join(f"{p.name.removeprefix('educational-alliances-')} "
                          f"{p.stat().st_size / 1024:.0f} KiB"
                          for p in sorted((work / "out" / "educational-alliances").iterdir())
                          if not p.name.startswith("."))
        print(f"{prefix}results of {participants:,} participants before and after (4 versions), "
              f"whole process: {statistics.median(times):.2f} s (target < 5 s; median of "
              f"{repeat}, range {min(times):.2f}-{max(times):.2f} s); of which reading, "
              f"mapping and statistics {figures(table):.3f} s; {sizes}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    report(args.participants, args.repeat)


if __name__ == "__main__":
    main()
