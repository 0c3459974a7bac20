"""Readability formulas computed locally, per language. The expected scores are computed by
hand in the comments (words, sentences, syllables, then the formula), so that changing a
constant of a locale file, or a syllable rule, fails here."""

import re
from pathlib import Path

import pytest
import yaml

from generator.sheet.readability import score, sentence_count, smog, syllables


def test_syllables_are_counted_per_language():
    assert [syllables(w, "en") for w in ("cat", "table", "people", "education")] == [1, 2, 2, 4]
    assert [syllables(w, "fr") for w in ("école", "élèves", "parents", "sommeil")] == [2, 2, 2, 2]


@pytest.mark.parametrize(("word", "count"), [
    ("salud", 2), ("derecho", 3), ("ciudad", 2),  # diphthong iu: ciu-dad
    ("poeta", 3), ("leer", 2),  # two strong vowels: hiatus
    ("día", 2), ("país", 2), ("enfermería", 5),  # stressed í: hiatus
    ("quiere", 2), ("guerra", 2), ("cincuenta", 3),
    ("hoy", 1), ("y", 1), ("ayuda", 3), ("mayores", 3),  # y: vowel at the end only
    ("Uruguay", 3), ("Estrategia", 4), ("vacunación", 4),
])
def test_spanish_syllables(word, count):
    assert syllables(word, "es") == count


def test_sentences_in_a_line():
    assert sentence_count("One sentence.") == 1
    assert sentence_count("One. Two! Three?") == 3
    assert sentence_count("No final stop") == 1


def test_flesch_reading_ease_by_hand():
    # 9 words, 2 sentences; syllables chil-dren 2, need 1, sleep 1, screens 1, at 1,
    # night 1, de-lay 2, their 1, sleep 1 = 11.
    # 206.835 - 1.015 * 9/2 - 84.6 * 11/9 = 206.835 - 4.5675 - 103.4 = 98.8675
    result = score(["Children need sleep.", "Screens at night delay their sleep."], "en")
    assert (result.formula, result.value, result.threshold) == ("Flesch reading ease", 98.9, 60)


def test_kandel_and_moles_by_hand():
    # 9 words, 2 sentences; syllables les 1, en-fants 2, dor-ment 2, mal 1, les 1,
    # é-crans 2, re-tar-dent 3, le 1, som-meil 2 = 15.
    # 207 - 1.015 * 9/2 - 73.6 * 15/9 = 207 - 4.5675 - 122.6667 = 79.7658
    result = score(["Les enfants dorment mal.", "Les écrans retardent le sommeil."], "fr")
    assert (result.formula, result.value, result.threshold) == ("Kandel & Moles", 79.8, 60)


def test_szigriszt_pazos_inflesz_by_hand():
    # 12 words, 1 sentence; syllables la 1, Es-tra-te-gia 4, prio-ri-za 3, la 1, in-fan-cia 3,
    # y 1, las 1, per-so-nas 3, ma-yo-res 3, de 1, cin-cuen-ta 3, a-ños 2 = 26.
    # 206.835 - 12/1 - 62.3 * 26/12 = 206.835 - 12 - 134.9833 = 59.8517: "normal" on the
    # INFLESZ scale, under the 65 ("fairly easy") that easy-to-read text should reach.
    result = score(["La Estrategia prioriza la infancia y las personas mayores de cincuenta "
                    "años."], "es")
    assert (result.formula, result.value) == ("Szigriszt-Pazos/INFLESZ", 59.9)
    assert result.threshold == 65 and not result.plain
    # 5 + 10 words, 2 sentences; syllables la 1, sa-lud 2, es 1, un 1, de-re-cho 3; el 1,
    # plan 1, quie-re 2, más 1, a-ños 2, de 1, vi-da 2, con 1, bue-na 2, sa-lud 2 = 23.
    # 206.835 - 15/2 - 62.3 * 23/15 = 206.835 - 7.5 - 95.5267 = 103.8083
    easy = score(["La salud es un derecho.", "El plan quiere más años de vida con buena salud."],
                 "es")
    assert easy.value == 103.8 and easy.plain


def test_simple_text_scores_higher_than_dense_text():
    simple = score(["The cat sat on the mat.", "It was warm."], "en")
    dense = score(["Institutional intersectorality necessitates comprehensive "
                   "organisational reconfiguration."], "en")
    assert simple.value > 90 > 60 > dense.value
    assert score([], "en") is None


# SMOG (#24 item 15): the grade a reader needs, English only, counted offline.

def test_english_syllables_know_silent_e_and_ed():
    assert [syllables(w, "en") for w in ("lonely", "loneliness", "careful", "statement")] \
        == [2, 3, 2, 2]
    assert [syllables(w, "en") for w in ("questioned", "lived", "wanted", "needed", "bed")] \
        == [2, 1, 2, 2, 1]


def test_smog_grade_by_hand():
    # No word of three syllables or more: 1.0430 * sqrt(0) + 3.1291 = 3.1
    assert smog(["Children need sleep.", "Screens at night delay their sleep."], "en") == 3.1
    # 2 sentences; lone-li-ness 3, sev-en-ty 3, reg-u-lar 3 (vis-its 2): 3 polysyllables.
    # 1.0430 * sqrt(3 * 30 / 2) + 3.1291 = 1.0430 * 6.7082 + 3.1291 = 10.1258
    assert smog(["Loneliness is common after seventy.", "Regular visits and shared meals "
                 "help."], "en") == 10.1
    assert smog([], "en") is None


def test_smog_is_english_only():
    assert smog(["Les enfants dorment mal."], "fr") is None
    assert smog(["La salud es un derecho."], "es") is None


NO_EXTRAS = Path(__file__).parent / "data" / "sheets" / "no-extras.yaml"


def _report(path: Path):
    from generator.api import check

    return check(path).sheets[0]


def test_check_reports_the_smog_grades_of_the_leaflet_and_the_analysis():
    # The leaflet's 11 lines (9 of the parts, 2 key points), one sentence each, hold 3 words
    # of three syllables: to-geth-er twice, lone-li-ness once ("lonely" has two).
    # 1.0430 * sqrt(3 * 30 / 11) + 3.1291 = 1.0430 * 2.8604 + 3.1291 = 6.1125
    found = _report(NO_EXTRAS)
    leaflet, analysis = (float(grade) for grade in re.findall(
        r"leaflet ([\d.]+), full analysis ([\d.]+) \(6 to 8 for the public\)$", found.smog)[0])
    assert found.smog.startswith("SMOG grade: ")
    assert leaflet == 6.1
    assert analysis > 8  # a national survey's report, for professionals: reported, no warning
    assert not [w for w in found.warnings if "SMOG" in w.message]


def test_check_warns_when_the_leaflet_is_above_grade_8(tmp_path):
    # Two hard key points replace the easy ones: mu-ni-ci-pal, au-thor-i-ties, or-gan-ise,
    # reg-u-lar, ac-tiv-i-ties (5); ev-ery-bo-dy, ben-e-fits, com-mu-ni-ty, par-tic-i-pa-tion
    # (4); with to-geth-er in the parts: 10 polysyllables in 11 sentences.
    # 1.0430 * sqrt(10 * 30 / 11) + 3.1291 = 1.0430 * 5.2223 + 3.1291 = 8.5760
    data = yaml.safe_load(NO_EXTRAS.read_text(encoding="utf-8"))
    data["easy_read"]["key_points"] = [
        "Municipal authorities should organise regular activities.",
        "Everybody benefits from community participation."]
    sheet = tmp_path / "hard.yaml"
    sheet.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = next(n for n, text in enumerate(sheet.read_text().splitlines(), start=1)
                if text.startswith("easy_read:")) + 1
    messages = [(w.line, w.message) for w in _report(sheet).warnings if "SMOG" in w.message]
    assert messages == [(line, "the leaflet's SMOG grade is 8.6; text for the public should "
                         "be at grade 6 to 8, easy-to-read text lower: use fewer words of "
                         "three syllables or more, and shorter sentences")]


def test_french_and_spanish_are_told_smog_is_english_only():
    root = Path(__file__).parent.parent / "content"
    for name in ("competences-psychosociales.yaml", "estrategia-promocion-salud.yaml"):
        assert _report(root / name).smog == "SMOG grade: English only"
