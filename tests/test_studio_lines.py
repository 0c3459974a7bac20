"""The editor's preview says where its problems are as the author will find them (real requests
to the studio): the form's data is previewed as a save would write it, so a problem is at the
line and column of the saved file (the same as the editor's own check), and one at a field the
file does not hold yet is said by the field's place in the form, in the page's language."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from generator import api
from generator.studio import preview
from generator.studio.app import Studio, create_app
from generator.studio.security import token
from tests.conftest import ROOT

OWN = "http://127.0.0.1:8000"
SHEET = "content/sheet.yaml"
MINIMAL = ROOT / "tests" / "data" / "sheets" / "minimal.yaml"


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    shutil.copy(MINIMAL, folder / SHEET)
    return folder.resolve()


@pytest.fixture
def client(project) -> Iterator[TestClient]:
    studio = Studio(project=project, port=8000)
    app = create_app(studio)
    with TestClient(app, base_url=OWN, follow_redirects=False,
                    headers={"origin": OWN, "X-CSRF-Token": token(studio.secret)}) as client:
        yield client
    preview.close(app)  # the warm workers of the handouts' preview, when one was made


def edited(project: Path) -> dict:
    """minimal.yaml as the form holds it after three edits: a short title added above the quiz
    (a new field: every line below moves down by one), the first answer changed to a letter
    that names no choice (a field the file holds), and a second question with one choice."""
    data = copy.deepcopy(api.open_sheet(project / SHEET).data)
    data["short_title"] = "Minimal"
    data["quiz"][0]["answer"] = "z"
    data["quiz"].append({"question": "New?", "choices": ["Only"], "answer": "a"})
    return data


@pytest.mark.parametrize("kind", ["web", "quiz"])
def test_the_previews_problems_are_at_the_saved_files_lines(client, project, kind):
    before = (project / SHEET).read_bytes()
    answer = client.post(f"/sheet/{SHEET}/preview",
                         json={"kind": kind, "lang": "en", "data": edited(project)}).json()
    assert answer["valid"] is False
    # minimal.yaml's `answer: a` is on line 28; short_title goes in after `title:` (line 4),
    # so it is on line 29 once saved, its value at column 13 (after "    answer: ")
    assert [problem["message"] for problem in answer["problems"]] == [
        f"{SHEET}:29:13: quiz[1].answer: 'z' is not the letter of a choice: write one of a, b",
        f"{SHEET}: Multiple-choice quiz, Question 2, Choices: has 1 choice(s); a question "
        "needs 2 to 6"]
    assert [problem["line"] for problem in answer["problems"]] == [29, None]
    assert (project / SHEET).read_bytes() == before  # previewed, not saved
    # the editor's own check says the same line; the save writes the answer there
    check = client.post(f"/sheet/{SHEET}/check", json={"data": edited(project)}).json()
    assert check["errors"][0]["text"] == answer["problems"][0]["message"]
    saved = client.post(f"/sheet/{SHEET}/save", json={
        "data": edited(project), "digest": api.open_sheet(project / SHEET).digest})
    assert saved.status_code == 200
    lines = (project / SHEET).read_text(encoding="utf-8").splitlines()
    assert lines[29 - 1] == "    answer: z"
    assert lines[29 - 1].index("z") + 1 == 13


def test_a_new_field_is_said_by_its_place_in_the_forms_language(client, project):
    data = copy.deepcopy(api.open_sheet(project / SHEET).data)
    data["quiz"].append({"question": "Nouvelle ?", "choices": ["Oui", ""]})
    data["faq"].append({"questoin": "Pourquoi pas ?", "answer": "Parce que."})
    data["values"]["criteria"][0]["assessment"] = ""  # a field the file holds: its line
    answer = client.post(f"/sheet/{SHEET}/preview",
                         json={"kind": "web", "lang": "fr", "data": data}).json()
    assert [problem["message"] for problem in answer["problems"]] == [
        f"{SHEET}:18:19: values.criteria[1].assessment: is empty: write the text, or delete "
        "the line if the field is optional",
        f"{SHEET}: Questionnaire à choix multiples, Question 2: this required field is "
        "missing: add `answer: …`",
        f"{SHEET}: Questionnaire à choix multiples, Question 2, Choix b: is empty: write the "
        "text, or delete the line if the field is optional",
        f"{SHEET}: Questions fréquentes, Question 2, questoin: unknown field `questoin`: did "
        "you mean `question`?"]


def test_data_the_file_cannot_take_is_said_as_a_save_would_say_it(client, project):
    data = edited(project)
    latin1 = MINIMAL.read_text(encoding="utf-8").replace("Test Author", "François").encode(
        "latin-1")
    (project / SHEET).write_bytes(latin1)
    answer = client.post(f"/sheet/{SHEET}/preview",
                         json={"kind": "web", "lang": "en", "data": data}).json()
    said = f"{SHEET}: the file is not UTF-8 text; the studio does not write over it"
    assert answer == {"valid": False, "kind": "web", "more": 0, "problems": [
        {"message": said, "path": "", "line": None}]}
    assert client.post(f"/sheet/{SHEET}/save", json={
        "data": data, "digest": api.open_sheet(project / SHEET).digest}).json() == {
        "error": said}
    assert (project / SHEET).read_bytes() == latin1
