"""Benchmarks of handouts against its own limits, measured in one run, as medians.

    python -m benchmarks [--repeat 5] [--batch 12] [--memory-sheets 100]

1. the whole-process build of the sample against plain WeasyPrint rendering the tool's own
   HTML (`--format html`, same PDF/UA variant) in one process;
2. a no-change rebuild against a full build;
3. a batch of sheets with 2 jobs against 1 job;
4. resident memory along a long batch in one process (it should stay flat).
Targets (issue 7): 1 ≤ 1.2x, 2 ≤ 0.15x, 3 ≥ 1.6x faster, 4 flat. No test asserts timings:
machines are shared and noisy, so only ratios measured in one run are reported.
"""

from __future__ import annotations

import argparse
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

PLAIN_WEASYPRINT = """
import sys, weasyprint
for path in sys.argv[1:]:
    weasyprint.HTML(filename=path).write_pdf(path + ".pdf", pdf_variant="pdf/ua-1")
"""

MEMORY_PROBE = """
import sys
from pathlib import Path
from generator.batch.build import build
from generator.options import BuildOptions

def rss_mib():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20

folder, output = Path(sys.argv[1]), Path(sys.argv[2])
samples = []
build(sorted(folder.glob("*.yaml")), output, BuildOptions(), force=True,
      on_sheet=lambda outcome: samples.append(rss_mib()))
print(" ".join(f"{value:.1f}" for value in samples))
"""


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def median_pair(first: list[str], second: list[str], cwd: Path, repeat: int,
                before_first=None) -> tuple[float, float]:
    """Run the two commands alternately, `repeat` times each; their median times."""
    a, b = [], []
    for _ in range(repeat):
        if before_first:
            before_first()
        a.append(timed(first, cwd))
        b.append(timed(second, cwd))
    return statistics.median(a), statistics.median(b)


def copies(folder: Path, count: int) -> Path:
    """`count` copies of the sample, each with its own slug."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    for index in range(count):
        slug = f"sheet-{index:03d}"
        (folder / f"{slug}.yaml").write_text(
            text.replace("slug: educational-alliances", f"slug: {slug}")
            , encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "pictograms", dirs_exist_ok=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=12)
    parser.add_argument("--memory-sheets", type=int, default=100)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args) -> None:
    print(f"handouts benchmark, medians of {args.repeat} runs, {Path.cwd()}")
    # 1. Whole build against plain WeasyPrint on the same HTML.
    subprocess.run([*HANDOUTS, "build", str(SAMPLE), "-o", str(work / "html"), "--format",
                    "html"], check=True, stdout=subprocess.DEVNULL)
    pages = sorted(str(p) for p in (work / "html").rglob("*.html"))
    ours, plain = median_pair(
        [*HANDOUTS, "build", str(SAMPLE), "-o", str(work / "pdf"), "--force", "--jobs", "1"],
        [sys.executable, "-c", PLAIN_WEASYPRINT, *pages], ROOT, args.repeat)
    print(f"1. build of the sample: {ours:.2f} s; plain WeasyPrint on its HTML: {plain:.2f} s"
          f" -> {ours / plain:.2f}x (target <= 1.2x)")

    # 2. No-change rebuild against a full build.
    full, unchanged = median_pair(
        [*HANDOUTS, "build", str(SAMPLE), "-o", str(work / "pdf"), "--force", "--jobs", "1"],
        [*HANDOUTS, "build", str(SAMPLE), "-o", str(work / "pdf"), "--jobs", "1"],
        ROOT, args.repeat)
    print(f"2. no-change rebuild: {unchanged:.2f} s; full build: {full:.2f} s"
          f" -> {unchanged / full:.2f}x (target <= 0.15x)")

    # 3. A batch with 2 jobs against 1 job.
    batch = copies(work / "batch", args.batch)
    one, two = median_pair(
        [*HANDOUTS, "build", str(batch), "-o", str(work / "batch-out"), "--force", "-j", "1"],
        [*HANDOUTS, "build", str(batch), "-o", str(work / "batch-out"), "--force", "-j", "2"],
        ROOT, max(1, args.repeat // 2))
    print(f"3. {args.batch}-sheet batch: 1 job {one:.2f} s, 2 jobs {two:.2f} s"
          f" -> {one / two:.2f}x faster (target >= 1.6x on two cores)")

    # 4. Memory along a long batch, in one process.
    many = copies(work / "many", args.memory_sheets)
    samples = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(many),
                              str(work / "many-out")], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    rss = [float(value) for value in samples]
    tenth = max(1, len(rss) // 10)
    early, late = statistics.median(rss[tenth: 2 * tenth]), statistics.median(rss[-tenth:])
    print(f"4. resident memory over {len(rss)} sheets: {early:.0f} MiB after the first tenth, "
          f"{late:.0f} MiB in the last tenth, peak {max(rss):.0f} MiB"
          f" -> growth {late / early:.2f}x (target: flat)")


if __name__ == "__main__":
    main()
