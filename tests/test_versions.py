"""Quiz versions, keys, marking grid, answer sheet and pre/post: every printed order, PDF key
and CSV key agree with the YAML."""

from __future__ import annotations

import csv
import itertools

import pytest
import yaml
from pypdf import PdfReader

from generator.batch.build import build
from generator.options import BuildOptions
from generator.sheet.loader import load_sheet
from generator.sheet.model import LETTERS
from generator.view.versions import arrangements, editions
from tests.conftest import DATA, SAMPLE, pdf_text, plain, spaces, squash

OPTIONS = BuildOptions(versions=3, seed="42", answer_sheet=True, pre_post=False)


@pytest.fixture(scope="module")
def versions_built(tmp_path_factory):
    output = tmp_path_factory.mktemp("versions")
    result = build([SAMPLE], output, OPTIONS)
    assert result.ok, [str(f) for f in result.failures]
    return output / "educational-alliances"


def _rows(folder):
    with (folder / "educational-alliances-keys.csv").open(encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def _positions(text: str, needles: list[str]) -> list[int]:
    return [text.index(needle) for needle in needles]


@pytest.mark.parametrize("version", ["A", "B", "C"])
def test_each_version_prints_what_its_key_and_the_csv_say(versions_built, version):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    rows = [row for row in _rows(versions_built) if row["version"] == version]
    assert [int(row["number"]) for row in rows] == list(range(1, len(data["quiz"]) + 1))
    quiz = squash(pdf_text(versions_built / f"educational-alliances-quiz-{version}.pdf"))
    key_text = pdf_text(versions_built / f"educational-alliances-answer-key-{version}.pdf")
    # the key's letter circles and the edition tab are lines of one letter: set apart
    key = squash("\n".join(line for line in key_text.splitlines() if len(line.strip()) > 1))
    questions = [data["quiz"][int(row["sheet_question"]) - 1] for row in rows]
    starts = _positions(quiz, [squash(plain(q["question"])) for q in questions])
    assert starts == sorted(starts), "questions printed in the CSV's order"
    for row, question, start, end in zip(rows, questions, starts, [*starts[1:], len(quiz)],
                                         strict=True):
        correct = question["choices"][LETTERS.index(question["answer"])]
        printed = squash(f"{row['answer']}) {plain(correct)}")
        assert printed in quiz[start:end], (version, row)  # the quiz shows it at that letter
        assert squash(f"{row['number']}. {plain(question['question'])}") in key
        assert printed in key


def test_version_on_every_page_and_the_seed_for_facilitators_only(versions_built):
    for version in "ABC":
        for kind in ("quiz", "answer-key", "answer-sheet"):
            reader = PdfReader(versions_built / f"educational-alliances-{kind}-{version}.pdf")
            for page in reader.pages:
                text = spaces(page.extract_text()).casefold()
                assert f"version {version}".casefold() in text
            first = spaces(reader.pages[0].extract_text()).casefold()
            assert ("seed 42" in first) == (kind == "answer-key")
            assert all("seed" not in spaces(page.extract_text()).casefold()
                       for page in reader.pages[1:])


def test_marking_grid_matches_the_csv(versions_built):
    grid = squash(pdf_text(versions_built / "educational-alliances-marking-grid.pdf"))
    rows = _rows(versions_built)
    for number in range(1, 6):
        cells = "".join(f"{row['answer']} Q{row['sheet_question']}" for row in rows
                        if row["number"] == str(number))
        assert squash(f"{number} {cells}") in grid  # each printed number: letter and question
    assert len(PdfReader(versions_built / "educational-alliances-marking-grid.pdf").pages) == 1


def test_answer_sheets_have_a_box_row_per_question(versions_built):
    text = spaces(pdf_text(versions_built / "educational-alliances-answer-sheet-B.pdf"))
    for number in range(1, 6):  # a line per question: its number, then its letters' boxes
        assert f"{number} A B C D" in text  # the letters as on the quiz, key, grid and CSV
    assert "Score: ______ / 5" in text


def test_same_seed_same_bytes_other_seed_other_order(tmp_path):
    one = build([SAMPLE], tmp_path / "one", BuildOptions(versions=2, seed="7", only=("quiz",)))
    two = build([SAMPLE], tmp_path / "two", BuildOptions(versions=2, seed="7", only=("quiz",)))
    other = build([SAMPLE], tmp_path / "other",
                  BuildOptions(versions=2, seed="8", only=("quiz",)))
    for output in one.written:
        name = output.path.name
        assert output.path.read_bytes() == (tmp_path / "two" / output.path.parent.name
                                            / name).read_bytes()
    first = pdf_text(one.written[0].path)
    assert first != pdf_text(other.written[0].path)
    assert two.ok and other.ok


def _sheet_with(tmp_path, **question_fields):
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["quiz"] = [{"question": f"Question {n}?", "choices": ["One", "Two", "Three", "All"],
                      "answer": "b", **question_fields} for n in range(6)]
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    return load_sheet(path)


def test_shuffle_false_keeps_the_choices_in_order(tmp_path):
    sheet = _sheet_with(tmp_path, shuffle=False)
    for arrangement in arrangements(sheet, editions(4, "x")).values():
        assert all(order == (0, 1, 2, 3) for order in arrangement.choices)


def test_pin_last_keeps_the_last_choice_last(tmp_path):
    sheet = _sheet_with(tmp_path, pin_last=True)
    seen = set()
    for arrangement in arrangements(sheet, editions(5, "y")).values():
        for order in arrangement.choices:
            assert order[-1] == 3
            seen.add(order)
    assert len(seen) > 1  # the others still move


@pytest.mark.parametrize("seed", [str(n) for n in range(40)])
def test_a_movable_answer_never_stays_at_one_letter_in_every_version(tmp_path, seed):
    sheet = _sheet_with(tmp_path)
    every = editions(2, seed)
    orders = arrangements(sheet, every)
    for index in range(len(sheet.quiz)):
        places = {orders[e.name].choices[index].index(1) for e in every}
        assert len(places) > 1


def test_pre_post_prints_before_and_after_and_a_tally(tmp_path):
    result = build([SAMPLE], tmp_path, BuildOptions(pre_post=True,
                                                    only=("quiz", "tally-sheet")))
    names = sorted(output.path.name for output in result.written)
    assert names == ["educational-alliances-quiz-after.pdf",
                     "educational-alliances-quiz-before.pdf",
                     "educational-alliances-tally-sheet.pdf"]
    before = spaces(PdfReader(result.written[0].path).pages[0].extract_text())
    assert "Before" in before
    tally = squash(pdf_text(tmp_path / "educational-alliances" /
                            "educational-alliances-tally-sheet.pdf"))
    assert squash("Participants") in tally and squash("Change") in tally


def test_points_reach_the_score_box_and_the_key(tmp_path):
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["quiz"][0]["points"] = 3
    path = tmp_path / "points.yaml"
    path.write_text(yaml.safe_dump(sheet), encoding="utf-8")
    result = build([path], tmp_path / "out", BuildOptions(only=("quiz", "answer-key")))
    quiz = spaces(pdf_text(result.written[0].path))
    key = spaces(pdf_text(result.written[1].path))
    assert "/ 3" in quiz and "(3 points)" in quiz
    assert "3 points" in key and "Each question shows its points" in key


def test_check_reports_the_letters_over_versions(tmp_path):
    from click.testing import CliRunner

    from generator.cli import cli

    result = CliRunner().invoke(cli, ["check", str(SAMPLE), "--versions", "3", "--seed", "42"])
    assert result.exit_code == 0
    total = next(line for line in result.output.splitlines()
                 if "correct letters over 3 versions (seed 42): " in line)
    counts = [int(part.split()[1]) for part in total.split(": ")[-1].split(", ")]
    assert sum(counts) == 15


def _longest_run(letters: list[str]) -> int:
    longest = run = 1
    for before, after in itertools.pairwise(letters):
        run = run + 1 if before == after else 1
        longest = max(longest, run)
    return longest


def _csv_letters(folder, slug: str) -> dict[str, list[str]]:
    """Each version's correct letters in printed order, from the built keys CSV."""
    with (folder / slug / f"{slug}-keys.csv").open(encoding="utf-8") as stream:
        rows = sorted(csv.DictReader(stream), key=lambda row: int(row["number"]))
    letters: dict[str, list[str]] = {}
    for row in rows:
        letters.setdefault(row["version"], []).append(row["answer"])
    return letters


def test_no_extras_versions_spread_their_correct_letters(tmp_path):
    """Found by the lead: version B of no-extras.yaml read D A A A A (seed 1)."""
    result = build([DATA / "sheets" / "no-extras.yaml"], tmp_path,
                   BuildOptions(versions=2, only=("keys",)))
    assert result.ok
    letters = _csv_letters(tmp_path, "no-extras")
    assert sorted(letters) == ["A", "B"]
    for version in letters.values():
        assert len(set(version)) >= 3, letters
        assert _longest_run(version) <= 2, letters


@pytest.mark.parametrize("seed", [str(n) for n in range(40)])
def test_five_free_questions_use_four_letters_without_a_run_of_three(seed):
    sheet = load_sheet(DATA / "sheets" / "no-extras.yaml")
    every = editions(2, seed)
    for arrangement in arrangements(sheet, every).values():
        printed = [arrangement.choices[q].index(LETTERS.index(sheet.quiz[q].answer))
                   for q in arrangement.questions]
        assert sorted(printed.count(letter) for letter in range(4)) == [1, 1, 1, 2]
        assert _longest_run([LETTERS[p] for p in printed]) <= 2


def test_check_lists_each_version_as_the_keys_print_it(tmp_path):
    from click.testing import CliRunner

    from generator.cli import cli

    sheet = DATA / "sheets" / "no-extras.yaml"
    build([sheet], tmp_path, BuildOptions(versions=3, seed="5", only=("keys",)))
    expected = _csv_letters(tmp_path, "no-extras")
    result = CliRunner().invoke(cli, ["check", str(sheet), "--versions", "3", "--seed", "5"])
    assert result.exit_code == 0
    for version, letters in expected.items():
        counts = ", ".join(f"{letter} {letters.count(letter)}" for letter in sorted(set(letters)))
        expected_line = f"no-extras.yaml: version {version}: {counts}; in order {' '.join(letters)}"
        assert any(line.endswith(expected_line) for line in result.output.splitlines())
    assert "cannot spread" not in result.output


def _quiz_sheet(tmp_path, quiz: list[dict]):
    sheet = yaml.safe_load((DATA / "sheets" / "minimal.yaml").read_text(encoding="utf-8"))
    sheet["quiz"] = quiz
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(sheet, sort_keys=False), encoding="utf-8")
    return path


def _check(path, *options: str):
    from click.testing import CliRunner

    from generator.cli import cli

    return CliRunner().invoke(cli, ["check", str(path), *options]).output


def test_check_warns_at_the_quiz_when_its_letters_cannot_be_spread(tmp_path):
    quiz = [{"question": f"Question {n}?", "choices": ["Never", "Sometimes", "Often", "Always"],
             "answer": "b", "shuffle": False} for n in range(5)]
    path = _quiz_sheet(tmp_path, quiz)
    line = path.read_text(encoding="utf-8").splitlines().index("quiz:") + 2  # its first item
    output = _check(path, "--versions", "2")
    assert (f"{path}:{line}:1: warning: quiz: the versions cannot spread the correct letters "
            "evenly: 5 of the 5 questions cannot print their correct choice at every letter "
            "(`shuffle: false` keeps the choices in order, `pin_last: true` the last choice "
            "last), so every version has B correct 5 times (2 if every choice could move) and 5 "
            "in a row: remove `shuffle: false` where the order of the choices does not matter, "
            "or reorder the choices of these questions so that different letters are correct"
            ) in output.splitlines()
    assert "version A: B 5; in order B B B B B" in output
    assert "cannot spread" not in _check(path)  # without versions, the sheet's order is kept


@pytest.mark.parametrize(("fields", "count", "free"), [
    # "all of the above" never correct: A 3, B 2, C 2 (an even quiz: 2), one more is no warning
    ({"pin_last": True}, 7, 0),
    ({"shuffle": False}, 2, 3),  # B twice, C and A once each
    ({}, 9, 2),
])
def test_no_warning_when_the_letters_can_be_spread(tmp_path, fields, count, free):
    quiz = [{"question": f"Question {n}?", "choices": ["One", "Two", "Three", "All"],
             "answer": "b", **fields} for n in range(count)]
    quiz += [{"question": "Free?", "choices": ["One", "Two", "Three"], "answer": "a"}] * free
    assert "cannot spread" not in _check(_quiz_sheet(tmp_path, quiz), "--versions", "4")
