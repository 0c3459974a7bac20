"""Fixed texts of the handouts, one catalog per language, and locale-aware formatting.

Adding a language is adding a catalog here (and its code to `model.LANGUAGES`): a test checks
that every catalog has the same keys.
"""

from __future__ import annotations

import datetime as dt
import re

CATALOGS: dict[str, dict[str, str]] = {
    "en": {
        "locale": "en_GB",
        "colon": ":",
        "doc_full_analysis": "Resource analysis sheet",
        "doc_easy_read": "Easy to read",
        "doc_quiz": "Quiz",
        "doc_answer_key": "Answer key",
        "sec_summary": "Analytical summary",
        "sec_key_points": "Key points of the document",
        "sec_action_paths": "Action paths for local actors",
        "sec_references": "Complementary references",
        "sec_values": "Cross-analysis — values of health practices",
        "sec_reliability": "Evaluation of the reliability of the resource",
        "sec_quiz": "MCQ — {count} questions",
        "sec_faq": "Frequently asked questions (FAQ)",
        "sec_easy_read": "Rewriting in easy-to-read language",
        "quiz_part_questions": "Part 1 — Questions",
        "quiz_part_correction": "Part 2 — Commented correction",
        "question": "Question",
        "question_n": "Question {number}",
        "answer": "Answer",
        "correct_answer": "Correct answer",
        "explanation": "Explanation",
        "source_pages": "Source",
        "pages_one": "p. {pages}",
        "pages_many": "pp. {pages}",
        "criterion": "Criterion",
        "assessment": "Assessment",
        "values_conclusion": "Final summary",
        "recommendation": "Recommendation",
        "easy_key_points": "Key points",
        "tags": "Tags",
        "source_document": "Analysed document",
        "authors": "Authors",
        "publisher": "Publisher",
        "published": "Published",
        "analysis_by": "Analysis by",
        "analysis_date": "Date of the analysis",
        "name": "Name",
        "date": "Date",
        "group": "Group",
        "score": "Score",
        "quiz_instructions": "Tick one answer per question.",
        "quiz_instructions_pages": "The page numbers show where the answer is in the document.",
        "key_at_a_glance": "Answers at a glance",
        "key_instructions": "For the facilitator. Each correct answer is worth one point.",
        "key_instructions_points": "For the facilitator. Each question shows its points.",
        "points_n": "{points} points",
        "page_of": "page {page} of {pages}",
        "phase_before": "Before",
        "phase_after": "After",
        "version_label": "Version {version} · seed {seed}",
        "seed_label": "Versions drawn with seed {seed}",
        "version": "Version",
        "doc_marking_grid": "Marking grid",
        "doc_answer_sheet": "Answer sheet",
        "doc_tally_sheet": "Before and after tally",
        "marking_instructions": "Lay this grid next to a quiz: find the version printed at "
        "the foot of its pages, then compare each ticked letter with the one below.",
        "answer_sheet_instructions": "Tick one box per question.",
        "tally_instructions": "For each question, write how many participants answered "
        "correctly, before and after the session.",
        "points": "Points",
        "total": "Total",
        "participants": "Participants",
        "correct_before": "Correct before",
        "correct_after": "Correct after",
        "change": "Change",
        "page_short": "{page} / {pages}",
        "web_site_title": "Resource analysis sheets",
        "web_site_description": "Analyses of public reports for health promotion, with an "
        "easy-to-read version, a self-check quiz and handouts to print.",
        "web_skip": "Skip to the content",
        "web_home": "All sheets",
        "web_site_nav": "Site",
        "web_sheet_nav": "This sheet",
        "web_analysis": "Full analysis",
        "web_quiz": "Self-check quiz",
        "web_downloads": "Handouts to print",
        "web_downloads_intro": "The same sheet as PDF files, ready to print.",
        "web_pages_one": "1 page",
        "web_pages_many": "{count} pages",
        "web_kb": "{size} KB",
        "web_external": "(external link)",
        "web_tag_title": "Sheets tagged {tag}",
        "web_all_tags": "All tags",
        "web_quiz_intro": "Choose one answer per question, then check it. Your answers stay "
        "in your browser: nothing is sent.",
        "web_show_answer": "Answer and explanation",
        "web_check": "Check my answer",
        "web_right": "Right!",
        "web_wrong": "Not quite. The right answer is {answer}.",
        "web_choose_first": "Choose an answer first.",
        "web_reread": "Pages to reread",
        "web_progress": "{done} of {count} questions checked.",
        "web_score": "Your score: {score} out of {total}.",
        "web_restart": "Start again",
        "web_listen": "Listen",
        "web_stop": "Stop",
        "web_feed": "Atom feed",
        "web_made_with": "These pages and the handouts to print are made from the same sheet "
        "by handouts.",
        "web_contents": "Contents",
    },
    "fr": {
        "locale": "fr_FR",
        "colon": "\u00a0:",
        "doc_full_analysis": "Fiche d’analyse de ressource",
        "doc_easy_read": "Facile à lire",
        "doc_quiz": "Questionnaire",
        "doc_answer_key": "Corrigé",
        "sec_summary": "Synthèse analytique",
        "sec_key_points": "Points clés du document",
        "sec_action_paths": "Pistes d’action pour les acteurs locaux",
        "sec_references": "Références complémentaires",
        "sec_values": "Analyse croisée — valeurs des pratiques en santé",
        "sec_reliability": "Évaluation de la fiabilité de la ressource",
        "sec_quiz": "QCM — {count} questions",
        "sec_faq": "Foire aux questions (FAQ)",
        "sec_easy_read": "Réécriture en facile à lire et à comprendre (FALC)",
        "quiz_part_questions": "Partie 1 — Questions",
        "quiz_part_correction": "Partie 2 — Correction commentée",
        "question": "Question",
        "question_n": "Question {number}",
        "answer": "Réponse",
        "correct_answer": "Bonne réponse",
        "explanation": "Explication",
        "source_pages": "Source",
        "pages_one": "p. {pages}",
        "pages_many": "p. {pages}",
        "criterion": "Critère",
        "assessment": "Appréciation",
        "values_conclusion": "Synthèse finale",
        "recommendation": "Recommandation",
        "easy_key_points": "Les points importants",
        "tags": "Mots-clés",
        "source_document": "Document analysé",
        "authors": "Auteurs",
        "publisher": "Éditeur",
        "published": "Publication",
        "analysis_by": "Analyse de",
        "analysis_date": "Date de l’analyse",
        "name": "Nom",
        "date": "Date",
        "group": "Groupe",
        "score": "Score",
        "quiz_instructions": "Cochez une seule réponse par question.",
        "quiz_instructions_pages": "Les numéros de page indiquent où trouver la réponse dans le "
        "document.",
        "key_at_a_glance": "Les réponses en un coup d’œil",
        "key_instructions": "Pour l’animateur ou l’animatrice. Chaque bonne réponse vaut un "
        "point.",
        "key_instructions_points": "Pour l’animateur ou l’animatrice. Chaque question indique "
        "ses points.",
        "points_n": "{points} points",
        "page_of": "page {page} sur {pages}",
        "phase_before": "Avant",
        "phase_after": "Après",
        "version_label": "Version {version} · graine {seed}",
        "seed_label": "Versions tirées avec la graine {seed}",
        "version": "Version",
        "doc_marking_grid": "Grille de correction",
        "doc_answer_sheet": "Feuille de réponses",
        "doc_tally_sheet": "Relevé avant et après",
        "marking_instructions": "Posez cette grille à côté d’un questionnaire : trouvez la "
        "version imprimée en bas de ses pages, puis comparez chaque lettre cochée avec celle "
        "de la grille.",
        "answer_sheet_instructions": "Cochez une case par question.",
        "tally_instructions": "Pour chaque question, notez combien de participants ont bien "
        "répondu, avant et après la séance.",
        "points": "Points",
        "total": "Total",
        "participants": "Participants",
        "correct_before": "Bonnes réponses avant",
        "correct_after": "Bonnes réponses après",
        "change": "Évolution",
        "page_short": "{page} / {pages}",
        "web_site_title": "Fiches d’analyse de ressources",
        "web_site_description": "Des analyses de rapports publics pour la promotion de la "
        "santé, avec une version facile à lire, un quiz d’autoévaluation et des documents à "
        "imprimer.",
        "web_skip": "Aller au contenu",
        "web_home": "Toutes les fiches",
        "web_site_nav": "Site",
        "web_sheet_nav": "Cette fiche",
        "web_analysis": "Analyse complète",
        "web_quiz": "Quiz d’autoévaluation",
        "web_downloads": "Documents à imprimer",
        "web_downloads_intro": "La même fiche en fichiers PDF, prêts à imprimer.",
        "web_pages_one": "1 page",
        "web_pages_many": "{count} pages",
        "web_kb": "{size} Ko",
        "web_external": "(lien externe)",
        "web_tag_title": "Fiches avec le mot-clé {tag}",
        "web_all_tags": "Tous les mots-clés",
        "web_quiz_intro": "Choisissez une réponse par question, puis vérifiez-la. Vos "
        "réponses restent dans votre navigateur : rien n’est envoyé.",
        "web_show_answer": "Réponse et explication",
        "web_check": "Vérifier ma réponse",
        "web_right": "Bonne réponse !",
        "web_wrong": "Pas tout à fait. La bonne réponse est {answer}.",
        "web_choose_first": "Choisissez d’abord une réponse.",
        "web_reread": "Pages à relire",
        "web_progress": "{done} questions vérifiées sur {count}.",
        "web_score": "Votre score : {score} sur {total}.",
        "web_restart": "Recommencer",
        "web_listen": "Écouter",
        "web_stop": "Arrêter",
        "web_feed": "Flux Atom",
        "web_made_with": "Ces pages et les documents à imprimer sont faits à partir de la même "
        "fiche par handouts.",
        "web_contents": "Sommaire",
    },
}

_SEVERAL_PAGES = re.compile(r"\d\s*[-–,;]\s*\d|\d\s+(?:and|et|à|to)\s+\d")
_RANGE_HYPHEN = re.compile(r"(?<=\d)\s*-\s*(?=\d)")


def catalog(lang: str) -> dict[str, str]:
    """The labels of one language."""
    return CATALOGS[lang]


def format_date(value: dt.date, lang: str) -> str:
    """A date as people write it: 23 February 2026, 23 février 2026."""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format="long", locale=CATALOGS[lang]["locale"])


def format_list(items: list[str], lang: str) -> str:
    """A list as a sentence: "A, B and C" / "A, B et C"."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, locale=CATALOGS[lang]["locale"]) if items else ""


def format_pages(pages: str | None, lang: str) -> str | None:
    """`30-33` → `pp. 30–33` (en) or `p. 30–33` (fr); ranges get an en dash, as printers do."""
    if not pages:
        return None
    text = _RANGE_HYPHEN.sub("–", pages.strip())
    key = "pages_many" if _SEVERAL_PAGES.search(pages) else "pages_one"
    return CATALOGS[lang][key].format(pages=text)
