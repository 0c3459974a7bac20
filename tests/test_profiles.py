"""The property tests' profiles (registered in conftest.py): a plain `pytest`, and so the
README's test command on a fresh clone, draws the same examples on every machine; fresh
randomness only under HYPOTHESIS_PROFILE=fuzz, what `sh scripts/dev.sh fuzz` sets."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

# What a property test would run under: the default profile once conftest has loaded.
ACTIVE = ("import tests.conftest as suite; from hypothesis import settings; "
          "active = settings.default; "
          "print(active.derandomize, active.database is None, active.print_blob, "
          "suite.examples(150))")


def _active_profile(**environment: str) -> list[str]:
    env = {key: value for key, value in os.environ.items()
           if key not in {"HYPOTHESIS_PROFILE", "FUZZ_TIMES", "CI"}}
    env.update(environment)
    done = subprocess.run([sys.executable, "-c", ACTIVE], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.split()


def test_without_a_profile_the_examples_are_fixed_and_nothing_is_replayed():
    # derandomized, no database of earlier runs' failures, the usual number of examples
    assert _active_profile() == ["True", "True", "True", "150"]


def test_the_ci_profile_is_the_default_one():
    assert _active_profile(HYPOTHESIS_PROFILE="ci") == _active_profile()


def test_fuzzing_draws_fresh_examples_and_more_of_them():
    assert _active_profile(HYPOTHESIS_PROFILE="fuzz") == ["False", "False", "True", "1500"]
    assert _active_profile(HYPOTHESIS_PROFILE="fuzz", FUZZ_TIMES="3")[-1] == "450"

