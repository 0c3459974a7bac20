"""Readability formulas computed locally, per language. The expected scores are computed by
hand in the comments (words, sentences, syllables, then the formula), so that changing a
constant of a locale file, or a syllable rule, fails here."""

import pytest

from generator.sheet.readability import score, sentence_count, syllables


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
