"""Properties of quiz editions over every combination of shuffle, pin_last, answer position,
number of choices, editions and seeds: `shuffle: false` and `pin_last` hold in every edition,
each edition prints every question and choice exactly once, and a correct choice that can move
never sits at one letter in every version; each version's correct letters are as even, and run
no longer, as the questions allow (checked by brute force on small quizzes)."""

from __future__ import annotations

import functools
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.sheet.loader import load_sheet
from generator.sheet.model import LETTERS, Question
from generator.view.balance import spaced_order
from generator.view.versions import arrangements, editions
from tests.conftest import DATA, examples

BASE = load_sheet(DATA / "sheets" / "minimal.yaml")

question = st.integers(min_value=2, max_value=6).flatmap(lambda n: st.builds(
    dict,
    n=st.just(n),
    answer=st.integers(min_value=0, max_value=n - 1),
    shuffle=st.booleans(),
    pin_last=st.booleans(),
))


def _sheet(specs: list[dict]):
    quiz = [Question(question=f"Question {i}?", choices=[f"Choice {i}.{c}" for c in range(s["n"])],
                     answer=LETTERS[s["answer"]], shuffle=s["shuffle"], pin_last=s["pin_last"])
            for i, s in enumerate(specs)]
    return BASE.model_copy(update={"quiz": quiz})


@settings(max_examples=examples(300), deadline=None)
@given(specs=st.lists(question, min_size=1, max_size=8),
       versions=st.integers(min_value=1, max_value=8),
       seed=st.text(min_size=0, max_size=6),
       pre_post=st.booleans())
def test_every_edition_keeps_order_pins_and_moves_answers(specs, versions, seed, pre_post):
    sheet = _sheet(specs)
    every = editions(versions, seed, pre_post)
    orders = arrangements(sheet, every)
    for edition in every:
        arrangement = orders[edition.name]
        assert sorted(arrangement.questions) == list(range(len(specs)))
        for index, spec in enumerate(specs):
            order = arrangement.choices[index]
            assert sorted(order) == list(range(spec["n"]))
            if not spec["shuffle"]:
                assert order == tuple(range(spec["n"]))
            if spec["pin_last"]:
                assert order[-1] == spec["n"] - 1
    for phase in {edition.phase for edition in every}:
        group = [e for e in every if e.phase == phase and e.version]
        if len(group) < 2:
            continue
        for index, spec in enumerate(specs):
            movable = spec["n"] - (1 if spec["pin_last"] else 0)
            if not spec["shuffle"] or movable < 2 or spec["answer"] >= movable:
                continue
            places = {orders[e.name].choices[index].index(spec["answer"]) for e in group}
            assert len(places) > 1


def test_the_reported_case_a_pinned_correct_last_choice_stays_last(tmp_path):
    """answer: d + pin_last: true, --versions 4 --seed 1: edition D printed it as b."""
    sheet = _sheet([{"n": 4, "answer": 3, "shuffle": True, "pin_last": True}] * 3)
    every = editions(4, "1")
    for edition in every:
        assert all(order[-1] == 3 for order in arrangements(sheet, every)[edition.name].choices)


def _allowed(spec: dict) -> set[int]:
    """Where the question's correct choice may be printed (0 = A), from the format's rules."""
    n, answer = spec["n"], spec["answer"]
    if not spec["shuffle"] or (spec["pin_last"] and (answer == n - 1 or n < 3)):
        return {answer}
    return set(range(n - 1 if spec["pin_last"] else n))


def _longest_run(letters: list[int]) -> int:
    longest = run = 1
    for before, after in itertools.pairwise(letters):
        run = run + 1 if before == after else 1
        longest = max(longest, run)
    return longest


@functools.cache
def _best(allowed: tuple[tuple[int, ...], ...]) -> tuple[int, int]:
    """By brute force over every placing of the correct choices and every order of the
    questions: the smallest difference between the most and least used letter (among the
    letters any question can take) and the shortest longest run of one letter."""
    letters = sorted(set().union(*allowed))
    spread = run = len(allowed)
    for placing in itertools.product(*allowed):
        counts = [placing.count(letter) for letter in letters]
        spread = min(spread, max(counts) - min(counts))
        run = min(run, _shortest_run(tuple(sorted(placing))))
    return spread, run


@functools.cache
def _shortest_run(multiset: tuple[int, ...]) -> int:
    return min(_longest_run(list(order)) for order in set(itertools.permutations(multiset)))


@settings(max_examples=examples(300), deadline=None)
@given(specs=st.lists(question, min_size=1, max_size=5),
       versions=st.integers(min_value=2, max_value=8),
       seed=st.text(min_size=0, max_size=6),
       pre_post=st.booleans())
def test_every_version_spreads_its_correct_letters_as_evenly_as_it_can(specs, versions, seed,
                                                                       pre_post):
    """Each version's correct letters differ in count by no more, and run no longer, than
    the best placing and order allows (found by brute force); for the last version of a
    phase, a question that sat at one letter in every earlier version may not take it."""
    sheet = _sheet(specs)
    every = editions(versions, seed, pre_post)
    orders = arrangements(sheet, every)
    assert orders == arrangements(sheet, every)  # the same seed, the same versions
    for phase in {edition.phase for edition in every}:
        group = [e for e in every if e.phase == phase]
        for position, edition in enumerate(group):
            arrangement = orders[edition.name]
            placed = [arrangement.choices[q].index(s["answer"]) for q, s in enumerate(specs)]
            allowed = [_allowed(spec) for spec in specs]
            if position == len(group) - 1:
                for q, options in enumerate(allowed):
                    seen = {orders[e.name].choices[q].index(specs[q]["answer"])
                            for e in group[:-1]}
                    if len(seen) == 1 and len(options) > 1:
                        options -= seen
            spread, run = _best(tuple(tuple(sorted(options)) for options in allowed))
            counts = [placed.count(letter) for letter in set().union(*allowed)]
            assert max(counts) - min(counts) == spread, (edition.name, placed)
            printed = [placed[q] for q in arrangement.questions]
            # two in a row is no pattern: three or more only where every order has them
            assert max(_longest_run(printed), 2) == max(run, 2), (edition.name, printed)


@settings(max_examples=examples(300), deadline=None)
@given(letters=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=8),
       drawn=st.randoms(use_true_random=False))
def test_the_spaced_order_runs_no_longer_than_any_order_of_the_same_letters(letters, drawn):
    order = list(range(len(letters)))
    drawn.shuffle(order)
    spaced = spaced_order(order, letters)
    assert sorted(spaced) == sorted(order)
    assert (max(_longest_run([letters[q] for q in spaced]), 2)
            == max(_shortest_run(tuple(sorted(letters))), 2))
