"""Readability formulas computed locally, per language."""

from generator.readability import score, sentence_count, syllables


def test_syllables_are_counted_per_language():
    assert [syllables(w, "en") for w in ("cat", "table", "people", "education")] == [1, 2, 2, 4]
    assert [syllables(w, "fr") for w in ("école", "élèves", "parents", "sommeil")] == [2, 2, 2, 2]


def test_sentences_in_a_line():
    assert sentence_count("One sentence.") == 1
    assert sentence_count("One. Two! Three?") == 3
    assert sentence_count("No final stop") == 1


def test_simple_text_scores_higher_than_dense_text():
    simple = score(["The cat sat on the mat.", "It was warm."], "en")
    dense = score(["Institutional intersectorality necessitates comprehensive "
                   "organisational reconfiguration."], "en")
    assert simple.formula == "Flesch reading ease"
    assert simple.value > 90 > 60 > dense.value
    assert score(["Le chat dort."], "fr").formula == "Kandel & Moles"
    assert score([], "en") is None
