"""Benchmark of `handouts scan` on synthetic scans (issue 27).

    python -m benchmarks.scan [--scans 60] [--photos 30] [--big 200] [--seed 1]

Answer sheets of a 30-question, four-version pre/post set are rendered, marked at random
(benchmarks/synthscan.py: crosses, check marks, blacked-out boxes, pencil; one question in
twenty made doubtful on purpose: two ticks, a crossed-out tick, a very light mark), then
1. scanned at 300 dpi (turned up to ±5°, scaled ±3 %, blurred, noised, JPEG 75) into one PDF;
2. photographed (perspective up to 15°, turned ±4°, uneven light, the table around, JPEG);
and read with `handouts scan` in a process of its own. Each box is counted right (read as
marked), wrong but flagged (its question in `doubtful`), or wrong and not flagged; the
participant codes likewise. 3. a 200-page PDF (--big) is read for pages a minute and the
peak memory of the process. Targets: 1 ≥ 99.9 % right and ≤ 0.1 % wrong unflagged; 2 ≥ 99 %
right, the rest flagged; ≥ 60 pages a minute; < 500 MB. No test asserts these: machines are
shared and noisy, so the numbers are reported, measured in one run.
"""

from __future__ import annotations

import argparse
import copy
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks.synthscan import (
    Marked,
    draw_pdf,
    encoded,
    fill_page,
    pdf_of,
    photographed,
    scanned,
)
from generator.api import build, options
from generator.scan.geometry import Layouts

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
SLUG = "educational-alliances"
VERSIONS, SEED = 4, "5"


def thirty_questions(folder: Path) -> Path:
    """The sample with 30 questions (its five repeated, each worded apart)."""
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    quiz = data["quiz"]
    data["quiz"] = [dict(copy.deepcopy(quiz[n % len(quiz)]),
                         question=f"{quiz[n % len(quiz)]['question']} ({n + 1})")
                    for n in range(30)]
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "pictograms")
    path = folder / "thirty.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@dataclass
class Tally:
    right: int = 0
    flagged: int = 0  # wrong, but its question is in `doubtful`
    wrong: int = 0  # wrong and not flagged
    flagged_right: int = 0  # right, and flagged all the same
    codes_right: int = 0
    codes: int = 0
    unread: int = 0  # pages not read at all

    def line(self, name: str) -> str:
        boxes = self.right + self.flagged + self.wrong
        share = (lambda n: f"{100 * n / boxes:.3f} %") if boxes else (lambda n: "-")
        return (f"{name}: {boxes} boxes: {share(self.right)} right, {share(self.flagged)} wrong "
                f"but flagged, {share(self.wrong)} wrong unflagged ({self.wrong}); "
                f"{self.flagged_right} right boxes flagged as well; participant codes "
                f"{self.codes_right}/{self.codes} right; {self.unread} pages not read")


def compare(rows: list[dict[str, str]], truth: dict[str, Marked], tally: Tally,
            letters: dict[int, list[str]]) -> None:
    """Count each box of each page read against what was marked on it."""
    seen = {row["source"]: row for row in rows}
    for source, marked in truth.items():
        row = seen.get(source)
        if row is None:
            tally.unread += 1
            continue
        doubtful = set(row["doubtful"].split())
        tally.codes += 1
        tally.codes_right += row["participant"] == marked.code
        for number, meant in marked.answers.items():
            read = row[str(number)]
            for letter in letters[number]:
                if (letter in read) == (letter in meant):
                    tally.right += 1
                    tally.flagged_right += str(number) in doubtful
                elif str(number) in doubtful:
                    tally.flagged += 1
                else:
                    tally.wrong += 1


# `handouts` run so that it says its peak memory when it exits: VmHWM, the high-water mark of
# its own memory (Linux). getrusage's ru_maxrss would count this benchmark's memory too, which
# the process has, copied, between the fork and the exec.
PEAK = ("import atexit, runpy, sys\n"
        "def peak():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            sys.stderr.write(f'peak-mb {int(line.split()[1]) / 1024:.0f}\\n')\n"
        "atexit.register(peak)\n"
        "sys.argv = ['handouts', *sys.argv[1:]]\n"
        "runpy.run_module('generator', run_name='__main__')\n")


@dataclass
class Run:
    rows: list[dict[str, str]]
    seconds: float  # wall clock
    cpu: float  # the process's own time (user and system): what a busy machine does not blur
    peak: float  # MB: the process's own peak memory
    said: str

    def speed(self, pages: int) -> str:
        return (f"{pages / self.seconds * 60:.0f} pages a minute by the clock ({self.seconds:.1f}"
                f" s), {pages / self.cpu * 60:.0f} by the process's CPU time ({self.cpu:.1f} s)")


def run_scan(sheet: Path, files: list[Path], output: Path) -> Run:
    """`handouts scan` in a process of its own, and what it took."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PEAK, "scan", str(sheet), *map(str, files),
         "--versions", str(VERSIONS), "--seed", SEED, "--pre-post", "-o", str(output)],
        capture_output=True, text=True, env={**os.environ, "HANDOUTS_SETTINGS": "none"},
        check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with output.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    said = [line for line in done.stderr.splitlines() if not line.startswith("peak-mb ")]
    peak = next(float(line.split()[1]) for line in done.stderr.splitlines()
                if line.startswith("peak-mb "))
    return Run(rows, seconds, cpu, peak, "\n".join(said))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scans", type=int, default=60, help="300 dpi scanned pages")
    parser.add_argument("--photos", type=int, default=30, help="phone photos")
    parser.add_argument("--big", type=int, default=200, help="pages of the long PDF")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    os.environ["HANDOUTS_SETTINGS"] = "none"
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sheet = thirty_questions(folder)
        printed = options(versions=VERSIONS, seed=SEED, pre_post=True, answer_sheet=True,
                          only=("answer-sheet",))
        result = build([sheet], folder / "out", printed)
        assert result.ok, [str(f) for f in result.failures]
        layouts = Layouts(sheet, printed)
        editions = layouts.editions()
        pages = {e.name: layouts.layout(e, "a4").pages[0] for e in editions}
        letters = {n: pages[editions[0].name].letters(n) for n in pages[editions[0].name].questions}
        drawn = {e.name: draw_pdf((folder / "out" / SLUG / f"{SLUG}-answer-sheet-{e.name}.pdf"
                                   ).read_bytes(), 300)[0] for e in editions}

        def marked(edition: str, dpi: int = 300) -> Marked:
            image = drawn[edition] if dpi == 300 else draw_pdf(
                (folder / "out" / SLUG / f"{SLUG}-answer-sheet-{edition}.pdf").read_bytes(),
                dpi)[0]
            return fill_page(image.copy(), pages[edition], rng, dpi,
                             code=f"{rng.randrange(10_000):04d}", tricky_share=0.05)

        if arguments.scans:  # 1. 300 dpi scans, one PDF
            truth: dict[str, Marked] = {}
            images = []
            for index in range(arguments.scans):
                page = marked(editions[index % len(editions)].name)
                images.append(scanned(page.image, rng, degrees=5.0, jpeg=75))
                truth[f"{folder / 'scans.pdf'} page {index + 1}"] = page
            (folder / "scans.pdf").write_bytes(pdf_of(images, dpi=300))
            del images
            done = run_scan(sheet, [folder / "scans.pdf"], folder / "scans.csv")
            tally = Tally()
            compare(done.rows, truth, tally, letters)
            print(tally.line(f"1. 300 dpi scans ({arguments.scans} pages)"))
            print(f"   {done.speed(arguments.scans)}, the layouts of the editions met rendered "
                  f"included; peak memory {done.peak:.0f} MB"
                  f"{'; ' + done.said.strip() if done.said.strip() else ''}")

        if arguments.photos:  # 2. phone photos
            truth = {}
            files = []
            for index in range(arguments.photos):
                page = marked(editions[index % len(editions)].name)
                photo = folder / f"photo-{index + 1:03d}.jpg"
                photo.write_bytes(encoded(photographed(page.image, rng, tilt=15.0), ".jpg", 85))
                files.append(photo)
                truth[str(photo)] = page
            done = run_scan(sheet, files, folder / "photos.csv")
            tally = Tally()
            compare(done.rows, truth, tally, letters)
            print(tally.line(f"2. phone photos ({arguments.photos}, tilted up to 15°)"))
            print(f"   {done.speed(arguments.photos)}; peak memory {done.peak:.0f} MB"
                  f"{'; ' + done.said.strip() if done.said.strip() else ''}")

        # 3. a long PDF: speed and memory
        if arguments.big:
            base = [scanned(marked(e.name, 150).image, rng, degrees=3.0, jpeg=80)
                    for e in editions for _ in range(3)]
            (folder / "big.pdf").write_bytes(pdf_of([base[i % len(base)]
                                                     for i in range(arguments.big)], dpi=150))
            size = (folder / "big.pdf").stat().st_size / 1e6
            done = run_scan(sheet, [folder / "big.pdf"], folder / "big.csv")
            print(f"3. {arguments.big}-page PDF ({size:.0f} MB): {len(done.rows)} rows; "
                  f"{done.speed(arguments.big)}; peak memory {done.peak:.0f} MB")


if __name__ == "__main__":
    main()
