"""The words of published sheet pages, one table per language, for `handouts import`.

Headings are matched by meaning, not by exact string: every phrase here is written
*normalised* (lowercase, no accents, punctuation and emoji as spaces, see
`importer.normalise`), and a heading matches a section when it contains one of the
section's phrases as whole words. A new language is one more `Vocabulary` in `VOCABULARIES`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The nine sections of the template, in their printed order (a heading with a number and no
# known words is taken by its number).
SECTIONS = ("summary", "key_points", "action_paths", "references", "values", "reliability",
            "quiz", "faq", "easy_read")

# Which section wins when a heading holds the words of several: the most specific first
# ("Analytical summary (Easy to Read)" is the easy-read part, "Key points (FALC)" too).
MATCH_ORDER = ("easy_read", "faq", "quiz", "reliability", "values", "references",
               "action_paths", "key_points", "summary")


@dataclass(frozen=True)
class Vocabulary:
    """The phrases of one language's template."""

    sections: dict[str, tuple[str, ...]]
    months: dict[str, int]
    boilerplate: tuple[str, ...]      # whole lines of page furniture (digits ignored)
    intro_end: tuple[str, ...]        # the line that closes the introduction
    by: tuple[str, ...]               # "23 February 2026 by" / "by Daniel Oberlé"
    authors: tuple[str, ...]          # label of the authors' line, when there is no ✍️
    source: tuple[str, ...]
    part1: tuple[str, ...]            # quiz "Part 1 — Questions"
    part2: tuple[str, ...]            # quiz "Part 2 — Commented correction"
    question: tuple[str, ...]         # "Question 3", "Q3"
    correct: tuple[str, ...]          # "Correct answer: b) …"
    explanation: tuple[str, ...]
    answer: tuple[str, ...]           # FAQ "Answer: …"
    conclusion: tuple[str, ...]       # values grid: "Final summary (PES values)"
    recommendation: tuple[str, ...]
    easy_title: tuple[str, ...]       # easy-read "Title 1: …"
    stopwords: frozenset[str] = field(default_factory=frozenset)  # left out of slugs
    template_words: frozenset[str] = field(default_factory=frozenset)  # in headings

    @property
    def heading_words(self) -> frozenset[str]:
        """Words a heading of the template is made of: a line of only these (and stopwords)
        that holds a section's phrase is a heading, in capitals or not."""
        words = {word for phrases in self.sections.values() for phrase in phrases
                 for word in phrase.split()}
        return frozenset(words) | self.template_words


ENGLISH = Vocabulary(
    sections={
        "summary": ("analytical summary", "executive summary", "summary"),
        "key_points": ("key points", "key messages"),
        "action_paths": ("action paths", "paths for action", "courses of action",
                         "avenues for action", "action points"),
        "references": ("complementary references", "additional resources", "other references",
                       "further reading", "references", "resources"),
        "values": ("cross analysis", "values of health practices", "health practice values",
                   "values"),
        "reliability": ("reliability",),
        "quiz": ("mcq", "quiz", "multiple choice"),
        "faq": ("frequently asked questions", "faq"),
        "easy_read": ("easy to read", "easy read", "easy to understand", "plain language",
                      "rewriting"),
    },
    months={"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
            "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
            "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
            "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12},
    boilerplate=("skip to content", "skip to main content", "skip to navigation",
                 "no comments for now", "no comments yet", "no comments", "comments",
                 "comment", "leave a comment", "sign in to leave a comment",
                 "log in to leave a comment", "share", "share this", "share on facebook",
                 "share on twitter", "share on linkedin", "share this article", "print",
                 "tweet", "facebook", "twitter", "linkedin", "email", "e mail", "copy link",
                 "back to top", "read more", "like", "reply", "menu", "search"),
    intro_end=("at the heart of the matter",),
    by=("by",),
    authors=("authors", "author", "written by"),
    source=("source", "sources", "document"),
    part1=("part 1",),
    part2=("part 2",),
    question=("question", "q"),
    correct=("correct answer", "right answer", "good answer"),
    explanation=("explanation", "comment", "commentary"),
    answer=("answer",),
    conclusion=("final summary", "conclusion", "overall conclusion", "in summary"),
    recommendation=("recommendation", "recommendations"),
    easy_title=("title", "part", "heading"),
    stopwords=frozenset({"a", "an", "the", "of", "in", "on", "for", "and", "to", "at", "by",
                         "with", "from", "its", "their", "context"}),
    template_words=frozenset({"document", "local", "actors", "evaluation", "resource",
                              "questions", "question", "language", "health", "practices",
                              "analysis", "pes", "max", "final", "n", "section", "part"}),
)

FRENCH = Vocabulary(
    sections={
        "summary": ("resume analytique", "resume", "synthese analytique"),
        "key_points": ("points cles", "messages cles"),
        "action_paths": ("pistes d action", "pistes", "leviers d action"),
        "references": ("references complementaires", "ressources complementaires",
                       "autres references", "pour aller plus loin", "references"),
        "values": ("analyse croisee", "valeurs des pratiques de sante", "valeurs"),
        "reliability": ("fiabilite",),
        "quiz": ("qcm", "quiz", "questionnaire a choix multiples",
                 "questions a choix multiples"),
        "faq": ("foire aux questions", "faq", "questions frequentes"),
        "easy_read": ("falc", "facile a lire", "facile a lire et a comprendre",
                      "reecriture"),
    },
    months={"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "mars": 3, "avril": 4,
            "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
            "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
            "decembre": 12, "dec": 12},
    boilerplate=("aller au contenu", "aller au contenu principal", "passer au contenu",
                 "pas de commentaire pour le moment", "pas encore de commentaire",
                 "aucun commentaire", "commentaires", "commentaire", "laisser un commentaire",
                 "connectez vous pour laisser un commentaire", "partager", "partager sur facebook",
                 "partager sur twitter", "partager sur linkedin", "imprimer", "copier le lien",
                 "retour en haut", "lire la suite", "j aime", "repondre", "rechercher"),
    intro_end=("au coeur du sujet", "l essentiel"),
    by=("par",),
    authors=("auteurs", "auteur", "auteures", "autrices", "redige par"),
    source=("source", "sources", "document"),
    part1=("partie 1",),
    part2=("partie 2",),
    question=("question", "q"),
    correct=("bonne reponse", "reponse correcte", "la bonne reponse"),
    explanation=("explication", "commentaire", "explications"),
    answer=("reponse",),
    conclusion=("synthese finale", "synthese", "conclusion", "en resume", "bilan"),
    recommendation=("recommandation", "recommandations"),
    easy_title=("titre", "partie"),
    stopwords=frozenset({"le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "et",
                         "a", "au", "aux", "en", "pour", "par", "sur", "dans"}),
    template_words=frozenset({"document", "acteurs", "locaux", "evaluation", "ressource",
                              "questions", "question", "langage", "sante", "pratiques",
                              "analyse", "pes", "max", "finale", "n", "section", "partie",
                              "comprendre", "lire", "et"}),
)

# Share buttons and the like, the same in every language.
COMMON_BOILERPLATE = ("facebook", "twitter", "linkedin", "x", "whatsapp", "email", "e mail",
                      "pinterest", "mastodon", "bluesky", "tweet", "rss", "instagram")

# A language is importable once it has a vocabulary here (a Spanish one can be added beside).
VOCABULARIES: dict[str, Vocabulary] = {"en": ENGLISH, "fr": FRENCH}
