"""Benchmarks of handouts, side by side in one run, as medians (issue 18).

    python -m benchmarks [--repeat 5] [--edits 7] [--hundred]

1. a cold build of the sample (whole process) against bare WeasyPrint rendering the same
   HTML (`--format html`) with the same PDF/UA-1 output in one process; against four
   pandoc → WeasyPrint calls and the LaTeX exam class (quiz and key, two pdflatex runs each)
   when those tools are installed (a line says so when they are not);
2. a no-change rebuild;
3. a one-answer edit: what was rendered again, and how long the build took;
4. `handouts watch`: from the save of a one-answer edit to the answer key on disk, and to
   the whole changed set on disk;
5. batches of 1 and 10 sheets (100 with --hundred) at -j 1 and -j 2, with the peak memory
   of all the build's processes together;
6. the studio's live preview: from an edit to the pictures of the handout in view
   (benchmarks/preview.py; `--preview-edits`, default 20);
7. `handouts results` of 1,000 participants before and after (benchmarks/results.py).
Targets: 1 ≤ 1.15x bare WeasyPrint; 4 key ≤ 0.2 s, set ≤ 0.5 s; 6 median ≤ 1 s; 7 < 5 s. No test
asserts timings: machines are shared and noisy, so numbers are only reported, measured in one
run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"
SLUG = "educational-alliances"
HANDOUTS = [sys.executable, "-m", "generator"]

BARE_WEASYPRINT = """
import sys, weasyprint
for path in sys.argv[1:]:
    weasyprint.HTML(filename=path).write_pdf(path + ".pdf", pdf_variant="pdf/ua-1")
"""


def timed(command: list[str], cwd: Path = ROOT) -> float:
    """Seconds a command takes (its output hidden, and shown if it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def medians(commands: list[list[list[str]]], repeat: int) -> list[float]:
    """Each command list run in turn, `repeat` rounds (interleaved, so that a busy moment
    of the machine falls on all of them); the median time of each."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, steps in enumerate(commands):
            times[index].append(sum(timed(step) for step in steps))
    return [statistics.median(values) for values in times]


def copy_sample(folder: Path, count: int = 1) -> list[Path]:
    """`count` copies of the sample, each with its own slug, and its pictograms."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE.read_text(encoding="utf-8")
    shutil.copytree(SAMPLE.parent / "pictograms", folder / "pictograms", dirs_exist_ok=True)
    if count == 1:
        shutil.copy(SAMPLE, folder / SAMPLE.name)
        return [folder / SAMPLE.name]
    sheets = []
    for index in range(count):
        slug = f"sheet-{index:03d}"
        target = folder / f"{slug}.yaml"
        target.write_text(text.replace(f"slug: {SLUG}", f"slug: {slug}"), encoding="utf-8")
        sheets.append(target)
    return sheets


def toggle_answer(sheet: Path, question: int = 0) -> None:
    """Change a question's correct letter (b ↔ c; the first question's unless told), saved
    in one write."""
    text = sheet.read_text(encoding="utf-8")
    match = list(re.finditer(r"(?m)^(\s*answer:\s*)([a-d])\s*$", text))[question]
    new = "c" if match.group(2) == "b" else "b"
    sheet.write_text(text[:match.start(2)] + new + text[match.end(2):], encoding="utf-8")


def latex_exam(work: Path) -> str:
    """The quiz and its key with the LaTeX exam class (two pdflatex runs each)."""
    if not shutil.which("pdflatex"):
        return "skipped: pdflatex is not installed"
    found = subprocess.run(["kpsewhich", "exam.cls"], capture_output=True, text=True)
    if not found.stdout.strip():
        return "skipped: the exam class (exam.cls) is not installed"
    sheet = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))

    def tex(value: str) -> str:
        return re.sub(r"([#$%&_{}])", r"\\\1", str(value))

    lines = [r"\begin{questions}"]
    for question in sheet["quiz"]:
        lines.append(rf"\question {tex(question['question'])}")
        lines.append(r"\begin{choices}")
        for index, choice in enumerate(question["choices"]):
            correct = r"\CorrectChoice" if "abcdef"[index] == question["answer"] else r"\choice"
            lines.append(f"{correct} {tex(choice)}")
        lines.append(r"\end{choices}")
    lines.append(r"\end{questions}")
    body = "\n".join(lines)
    folder = work / "latex"
    folder.mkdir(exist_ok=True)
    for name, option in (("quiz", ""), ("key", "answers")):
        (folder / f"{name}.tex").write_text(
            rf"\documentclass[{option}]{{exam}}\usepackage[utf8]{{inputenc}}"
            rf"\begin{{document}}{body}\end{{document}}", encoding="utf-8")
    run = [["pdflatex", "-interaction=batchmode", "-output-directory", str(folder),
            str(folder / f"{name}.tex")] for name in ("quiz", "key")]
    (latex,) = medians([run], 3)
    return f"{latex:.2f} s (quiz and key)"


def pandoc_weasyprint(pages: list[str], work: Path, ours: float) -> str:
    if not shutil.which("pandoc"):
        return "skipped: pandoc is not installed"
    env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    steps = [["env", f"PATH={env_path}", "pandoc", page, "-o", str(work / f"pandoc-{i}.pdf"),
              "--pdf-engine=weasyprint"] for i, page in enumerate(pages)]
    (pandoc,) = medians([steps], 3)
    return f"{pandoc:.2f} s (the cold build takes {ours / pandoc:.2f}x that)"


def group_rss(group: int) -> int:
    """Resident memory of every process in a process group, in bytes."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) == group:
                total += int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * os.sysconf(
                    "SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    return total


def batch(folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """A forced build of a folder: seconds, and the peak memory (MiB) of its processes."""
    started = time.perf_counter()
    process = subprocess.Popen([*HANDOUTS, "build", str(folder), "-o", str(out), "--force",
                                "-j", str(jobs)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               start_new_session=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, group_rss(process.pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if process.returncode:
        raise SystemExit(f"the batch build failed ({process.returncode})")
    return elapsed, peak / 2**20


def changed(path: Path, known: tuple[int, int] | None) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return (info.st_ino, info.st_mtime_ns) != known


def identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns


def watch_latency(work: Path, edits: int, undo: bool = False
                  ) -> tuple[list[float], list[float], str]:
    """Save one-answer edits under a running `handouts watch`; for each, the seconds until
    the answer key is replaced, and until the full analysis (the last of the set) is.

    Each save changes the answer of the next question, 1 to 5 in turn, so that none of the
    first nine returns to a sheet seen before (the warm workers keep the pages of what they
    laid out: a save back to a known sheet is an undo, faster). With `undo`, every save
    changes the first answer back and forth: undo and redo."""
    folder = work / "watch"
    (sheet,) = copy_sample(folder)
    out = folder / "out"
    log = folder / "watch.log"
    key = out / SLUG / f"{SLUG}-answer-key.pdf"
    analysis = out / SLUG / f"{SLUG}-full-analysis.pdf"
    with log.open("w") as stream:
        process = subprocess.Popen([*HANDOUTS, "watch", str(sheet), "-o", str(out)], cwd=folder,
                                   stdout=stream, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    to_key, to_set = [], []
    answers = len(yaml.safe_load(sheet.read_text(encoding="utf-8"))["quiz"])
    try:
        deadline = time.monotonic() + 180
        while "watching" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # the workers finish warming up
        for edit in range(edits):
            summaries = log.read_text().count("written")
            known_key, known_analysis = identity(key), identity(analysis)
            saved = time.perf_counter()
            toggle_answer(sheet, 0 if undo else edit % answers)
            key_at = set_at = None
            while set_at is None and time.perf_counter() - saved < 30:
                now = time.perf_counter()
                if key_at is None and changed(key, known_key):
                    key_at = now
                if key_at is not None and changed(analysis, known_analysis):
                    set_at = now
                time.sleep(0.002)
            if key_at is None or set_at is None:
                raise SystemExit("watch did not rebuild within 30 s:\n" + log.read_text())
            to_key.append(key_at - saved)
            to_set.append(set_at - saved)
            while log.read_text().count("written") == summaries:  # the summary line
                time.sleep(0.01)
            time.sleep(0.3)
        last = [line for line in log.read_text().splitlines() if "written" in line][-1]
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return to_key, to_set, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (medians)")
    parser.add_argument("--edits", type=int, default=7, help="saves measured under watch")
    parser.add_argument("--preview-edits", type=int, default=20,
                        help="edits measured in each series of the studio's preview")
    parser.add_argument("--hundred", action="store_true",
                        help="also the 100-sheet batches (several minutes)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    try:
        run(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, args) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"handouts benchmark, medians of {args.repeat}, {os.cpu_count()} cores, "
          f"load average {load:.1f} at the start")
    (sheet,) = copy_sample(work / "sample")
    out = work / "pdf"
    # 1. Cold build against bare WeasyPrint (and the other tools, when installed).
    subprocess.run([*HANDOUTS, "build", str(sheet), "-o", str(work / "html"), "--format",
                    "html"], check=True, stdout=subprocess.DEVNULL)
    pages = sorted(str(p) for p in (work / "html").rglob("*.html"))
    cold = [*HANDOUTS, "build", str(sheet), "-o", str(out), "--force", "-j", "1"]
    ours, bare = medians([[cold], [[sys.executable, "-c", BARE_WEASYPRINT, *pages]]],
                         args.repeat)
    print(f"1. cold build of the sample (4 PDFs): {ours:.2f} s; bare WeasyPrint on the same "
          f"HTML: {bare:.2f} s -> {ours / bare:.2f}x (target <= 1.15x)")
    print(f"   four pandoc -> WeasyPrint calls: {pandoc_weasyprint(pages, work, ours)}")
    print(f"   LaTeX exam class: {latex_exam(work)}")

    # 2. No-change rebuild.
    (unchanged,) = medians([[[*HANDOUTS, "build", str(sheet), "-o", str(out)]]], args.repeat)
    print(f"2. no-change rebuild: {unchanged:.2f} s ({unchanged / ours:.2f}x the cold build)")

    # 3. One-answer edit, whole process.
    times, wrote = [], ""
    for _ in range(args.repeat):
        toggle_answer(sheet)
        started = time.perf_counter()
        result = subprocess.run([*HANDOUTS, "build", str(sheet), "-o", str(out), "-j", "1"],
                                cwd=ROOT, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        wrote = ", ".join(Path(line.split()[1]).stem.removeprefix(f"{SLUG}-")
                          for line in result.stdout.splitlines() if line.startswith("wrote"))
    print(f"3. one-answer edit, whole process: {statistics.median(times):.2f} s, rendered "
          f"again: {wrote} ({result.stdout.splitlines()[-1]})")

    # 4. Watch latency.
    to_key, to_set, last = watch_latency(work, args.edits)
    print(f"4. watch, one-answer edit, from the save: answer key on disk "
          f"{statistics.median(to_key):.3f} s (target <= 0.2 s), the whole changed set "
          f"{statistics.median(to_set):.3f} s (target <= 0.5 s); medians of {args.edits}, "
          f"ranges {min(to_key):.3f}-{max(to_key):.3f} s and {min(to_set):.3f}-"
          f"{max(to_set):.3f} s; watch said: {last}")
    to_key, to_set, _ = watch_latency(work / "undo", args.edits, undo=True)
    print(f"   undo and redo of one answer: key {statistics.median(to_key):.3f} s, the set "
          f"{statistics.median(to_set):.3f} s (medians of {args.edits})")

    # 5. Batches.
    sizes = [1, 10, 100] if args.hundred else [1, 10]
    for size in sizes:
        folder = work / f"batch-{size}"
        copy_sample(folder, size)
        cells = []
        for jobs in (1, 2):
            seconds, peak = batch(folder, work / f"batch-{size}-out", jobs)
            cells.append(f"-j {jobs} {seconds:.2f} s, peak {peak:.0f} MiB")
        print(f"5. {size}-sheet batch: {'; '.join(cells)}")
    if not args.hundred:
        print("   100-sheet batch: skipped (--hundred to run it; several minutes)")

    # 6. The studio's live preview.
    from .preview import report

    report(args.preview_edits, "6. ")

    # 7. The results report of a large workshop.
    from .results import report as results_report

    results_report(1000, args.repeat, "7. ")


if __name__ == "__main__":
    main()
