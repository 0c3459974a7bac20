"""The studio's live preview (issue 25): from an edit of the sheet's text to the PNG pictures
of the handout in view, by the preview service the studio calls (`api.preview` on warm
workers), in one process as the studio runs it. The browser's own part (the pause before it
asks, the pictures' download) is not in it.

    python -m benchmarks.preview [--edits 20]

Three series of edits of the sample, none returning to a text seen before:
1. answers changed, the answer key in view (one page);
2. answers changed, the full analysis in view (ten pages: its commented correction laid out
   again, its first page group kept by the worker, and the pictures of the pages that draw
   the same);
3. a word typed at the end of the first question, the full analysis in view (the question
   is in both page groups: the ten pages laid out again, the worst case).
Target: the median of each ≤ 1 s on the project's two-core machine. Reported, never
asserted: machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from generator import api

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "educational-alliances.yaml"


def answers_set(text: str, number: int) -> str:
    """The sheet with the answers of the questions named by the bits of `number` changed
    (b to c, c to b): another set for every number from 1 to 2 ** questions - 1."""
    matches = list(re.finditer(r"(?m)^(\s*answer:\s*)([a-d])\s*$", text))
    for index, match in reversed(list(enumerate(matches))):
        if (number >> index) & 1:
            letter = "c" if match.group(2) == "b" else "b"
            text = text[:match.start(2)] + letter + text[match.end(2):]
    return text


def typed(text: str, number: int) -> str:
    """The sheet with `number` words typed at the end of its first question."""
    match = re.search(r'(?m)^(\s*- question: ")([^"]*)(")', text)
    if match is None:
        raise SystemExit("the sample has no question written as - question: \"...\"")
    words = "".join(f" word{index}" for index in range(number))
    return text[:match.end(2)] + words + text[match.end(2):]


def series(previewer: object, sheet: Path, kind: str, edit: Callable[[str, int], str],
           edits: int) -> list[float]:
    """Seconds from each edit to its handout's pictures, the handout made again each time."""
    from generator.batch.preview import Previewer

    assert isinstance(previewer, Previewer)
    text = sheet.read_text(encoding="utf-8")
    times = []
    for number in range(1, edits + 1):
        data = edit(text, number).encode("utf-8")
        made = len(previewer.rendered)
        started = time.perf_counter()
        preview = api.preview(sheet, data, (kind,), service=previewer)
        times.append(time.perf_counter() - started)
        if not preview.valid or previewer.rendered[made:] != [kind]:
            raise SystemExit(f"edit {number} did not make the {kind} again: "
                             f"{preview.problems} {previewer.rendered[made:]}")
        time.sleep(0.3)  # the author's pause: the workers are idle again
    return times


def describe(times: list[float]) -> str:
    p90 = statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]
    return (f"median {statistics.median(times):.3f} s, 90th percentile {p90:.3f} s "
            f"({min(times):.3f}-{max(times):.3f} s, {len(times)} edits)")


def preview_latency(edits: int) -> tuple[str, str, str]:
    """Both series on the sample (its pictograms beside it), after the service has made the
    sample's four handouts once (as when its editor page opens)."""
    with api.previewer() as previewer:
        first = api.preview(SAMPLE, service=previewer)
        if not first.valid:
            raise SystemExit(f"the sample has problems: {first.problems}")
        key = series(previewer, SAMPLE, "answer-key", answers_set, edits)
        analysis = series(previewer, SAMPLE, "full-analysis", answers_set, edits)
        whole = series(previewer, SAMPLE, "full-analysis", typed, edits)
    return describe(key), describe(analysis), describe(whole)


def report(edits: int, number: str = "") -> None:
    key, analysis, whole = preview_latency(edits)
    print(f"{number}studio preview, from an edit to the pictures of the handout in view "
          f"(service call; target: medians <= 1 s):\n"
          f"   answers changed, the answer key: {key}\n"
          f"   answers changed, the full analysis: {analysis}\n"
          f"   a word typed in a question, the full analysis (laid out whole): {whole}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=20, help="edits measured in each series")
    report(parser.parse_args().edits)


if __name__ == "__main__":
    main()
