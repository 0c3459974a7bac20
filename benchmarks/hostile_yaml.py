"""Time and peak memory of `handouts check` and `build` on two hostile sheets (issue #22):

    python -m benchmarks.hostile_yaml [SOURCE_TREE]

- a minimal sheet with 90,000 extra fields in one group (901 KB);
- a minimal sheet with 200,000 tiny fields in nested groups of 200 (607 KB).

SOURCE_TREE (default: this checkout) is the folder whose `generator` runs, so that an older
commit can be measured with the same script (`git archive COMMIT | tar -x -C /tmp/old`).
Peak memory is the command's own process (VmHWM), read as it exits.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "sheets" / "minimal.yaml"
# the command run in-process, then its own peak memory printed to stderr as it exits
RUNNER = ("import atexit, re, sys; sys.path.insert(0, sys.argv.pop(1));"
          "atexit.register(lambda: print('VmHWM', re.search(r'VmHWM:\\s+(\\d+)',"
          " open('/proc/self/status').read())[1], file=sys.stderr));"
          "from generator.cli import cli; cli(prog_name='handouts')")


def hostile_sheets(folder: Path) -> list[Path]:
    minimal = MINIMAL.read_text(encoding="utf-8")
    wide = folder / "wide.yaml"
    wide.write_text(minimal + "".join(f"k{n:05d}: x\n" for n in range(90_000)),
                    encoding="utf-8")
    names = [f"{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(200)]
    inner = "{" + ",".join(names) + "}"
    middle = "{" + ",".join(f"{name}: {inner}" for name in names) + "}"
    nested = folder / "nested.yaml"
    nested.write_text(minimal + "".join(f"extra{n}: {middle}\n" for n in range(5)),
                      encoding="utf-8")
    return [wide, nested]


def main() -> None:
    source = sys.argv[1] if len(sys.argv) > 1 else str(ROOT)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        for sheet in hostile_sheets(folder):
            print(f"{sheet.name}: {sheet.stat().st_size:,} bytes")
            for command in (["check", str(sheet)],
                            ["build", str(sheet), "-o", str(folder / "out"), "--time-limit",
                             "5"]):
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-c", RUNNER, source, *command],
                                      capture_output=True, text=True, check=False)
                took = time.perf_counter() - started
                errors = done.stderr.splitlines()
                peaks = [line.split()[1] for line in errors if line.startswith("VmHWM")]
                lines = done.stdout.splitlines() + [line for line in errors
                                                    if not line.startswith("VmHWM")]
                print(f"  {command[0]}: exit {done.returncode}, {took:.2f} s, peak "
                      f"{int(peaks[-1]) / 1024:.0f} MB, {len(lines):,} lines printed")


if __name__ == "__main__":
    main()
