"""Render a sheet (its YAML, read with plain PyYAML) into the shape of a published sheet page,
as text copied from a browser and as the page saved as HTML, like the seed page.

Written independently of generator/sheet/importer/ (its own words per language), so that
importing these pages back tests the importer against the YAML, not against itself.
"""

from __future__ import annotations

import html
from pathlib import Path

import yaml

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}

WORDS = {
    "en": {
        "skip": "Skip to Content", "by": "by", "comments": "| No comments for now",
        "source": "Source: ", "link": "LINK", "heart": "At the heart of the matter",
        "h1": "1. ANALYTICAL SUMMARY", "h2": "2. KEY POINTS OF THE DOCUMENT",
        "h3": "3. ACTION PATHS FOR LOCAL ACTORS (max. 4)", "h4": "4. COMPLEMENTARY REFERENCES",
        "h5": "5. CROSS-ANALYSIS — VALUES OF HEALTH PRACTICES",
        "conclusion": "Final summary (PES values)",
        "h6": "6. EVALUATION OF THE RELIABILITY OF THE RESOURCE",
        "recommendation": "Recommendation: ", "h7": "7. MCQ — {n} QUESTIONS",
        "part1": "PART 1 — Questions (without answers)", "part2": "PART 2 — Commented correction",
        "question": "Question", "correct": "✅ Correct answer: ",
        "explanation": "📝 Explanation: ", "pagesource": "Source: ", "pp": "pp.",
        "h8": "8. FREQUENTLY ASKED QUESTIONS (FAQ)", "answer": "Answer: ",
        "h9": "9. REWRITING IN EASY TO READ LANGUAGE",
        "easy_summary": "Analytical summary (Easy to Read Language)", "title": "Title",
        "easy_points": "Key points (Easy to Read)", "sign": "Sign in to leave a comment",
        "colon": ": ",
    },
    "fr": {
        "skip": "Aller au contenu", "by": "par", "comments": "| Pas de commentaire pour le moment",
        "source": "Source : ", "link": "LIEN", "heart": "Au cœur du sujet",
        "h1": "1. RÉSUMÉ ANALYTIQUE", "h2": "2. POINTS CLÉS DU DOCUMENT",
        "h3": "3. PISTES D'ACTION POUR LES ACTEURS LOCAUX (max. 4)",
        "h4": "4. RÉFÉRENCES COMPLÉMENTAIRES",
        "h5": "5. ANALYSE CROISÉE – VALEURS DES PRATIQUES DE SANTÉ",
        "conclusion": "Synthèse finale (valeurs PES)",
        "h6": "6. ÉVALUATION DE LA FIABILITÉ DE LA RESSOURCE",
        "recommendation": "Recommandation : ", "h7": "7. QCM – {n} QUESTIONS",
        "part1": "Partie 1 – Questions", "part2": "Partie 2 – Correction commentée",
        "question": "Question", "correct": "✅ Bonne réponse : ",
        "explanation": "📝 Explication : ", "pagesource": "Source : ", "pp": "p.",
        "h8": "8. FOIRE AUX QUESTIONS (FAQ)", "answer": "Réponse : ",
        "h9": "9. RÉÉCRITURE EN FALC – FACILE À LIRE ET À COMPRENDRE",
        "easy_summary": "Résumé analytique (FALC)", "title": "Titre",
        "easy_points": "Points clés (FALC)",
        "sign": "Connectez-vous pour laisser un commentaire", "colon": " : ",
    },
}
LANGUAGES = tuple(WORDS)


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _paged(text: str, pages: str | None, pp: str) -> str:
    """'… co-education.' + 30-33 → '… co-education (pp. 30-33).' as on the page."""
    if not pages:
        return text
    if text and text[-1] in ".!?…":
        return f"{text[:-1]} ({pp} {pages}){text[-1]}"
    return f"{text} ({pp} {pages})"


def _with_source(text: str, pages: str | None, w: dict) -> str:
    return f"{text} {w['pagesource']}{w['pp']} {pages}." if pages else text


def blocks(sheet: dict) -> list[tuple[str, str, str | None]]:
    """The page as (tag, text, link) blocks in order; tag is h1-h4, p or li."""
    w = WORDS[sheet["lang"]]
    out: list[tuple[str, str, str | None]] = []

    def add(tag: str, text: str, link: str | None = None) -> None:
        out.append((tag, text, link))

    def paragraphs(text: str, tag: str = "p") -> None:
        for part in str(text).split("\n\n"):
            add(tag, " ".join(part.split()))

    source = sheet.get("source") or {}
    info = sheet["sheet"]
    date = info["date"]
    add("skip", w["skip"])
    add("h1", sheet["title"])
    if source.get("authors") or source.get("publisher"):
        who = "; ".join(source.get("authors") or [])
        publisher = f" - {source['publisher']}" if source.get("publisher") else ""
        add("p", f"✍️ {who}{publisher}".replace("✍️  -", "✍️ -"))
    add("p", f"{date.day} {MONTHS[sheet['lang']][date.month - 1]} {date.year} {w['by']}")
    add("p", sheet["title"])
    add("p", info["author"] + (f" - {info['site']}" if info.get("site") else ""))
    add("p", w["comments"])
    for line in sheet.get("highlights") or []:
        add("p", f"🔍💡 {line}")
    add("source", f"{w['source']}📒 {sheet['title']}", source.get("url"))
    if sheet.get("introduction"):
        paragraphs(sheet["introduction"])
    add("p", w["heart"])
    add("h2", w["h1"])
    for part in sheet["summary"]:
        add("h3", part["heading"])
        paragraphs(part["text"])
    add("h2", w["h2"])
    for point in sheet["key_points"]:
        add("li", _paged(point["text"], point.get("pages"), w["pp"]))
    add("h2", w["h3"])
    for point in sheet["action_paths"]:
        add("li", _paged(point["text"], point.get("pages"), w["pp"]))
    if sheet.get("references"):
        add("h2", w["h4"])
        for reference in sheet["references"]:
            add("ref", reference["title"] + (f" — {reference['note']}"
                                             if reference.get("note") else ""),
                reference.get("url"))
    add("h2", w["h5"])
    for criterion in sheet["values"]["criteria"]:
        add("li", f"{criterion['name']}{w['colon']}{criterion['assessment']}")
    add("h3", w["conclusion"])
    paragraphs(sheet["values"]["conclusion"])
    add("h2", w["h6"])
    for criterion in sheet["reliability"]["criteria"]:
        add("li", f"{criterion['name']}{w['colon']}{criterion['assessment']}")
    add("p", w["recommendation"] + " ".join(sheet["reliability"]["recommendation"].split()))
    add("h2", w["h7"].format(n=len(sheet["quiz"])))
    add("h3", w["part1"])
    for number, question in enumerate(sheet["quiz"], 1):
        pages = f" ({w['pp']} {question['pages']})" if question.get("pages") else ""
        add("h4", f"{w['question']} {number}{pages}")
        add("p", question["question"])
        for letter, choice in zip("abcdef", question["choices"], strict=False):
            add("p", f"{letter}) {choice}")
    add("h3", w["part2"])
    for number, question in enumerate(sheet["quiz"], 1):
        add("h4", f"{w['question']} {number}")
        letter = str(question["answer"]).strip().rstrip(")").lower()
        choice = question["choices"]["abcdef".index(letter)]
        add("p", f"{w['correct']}{letter}) {choice}")
        if question.get("explanation"):
            parts = str(question["explanation"]).split("\n\n")
            parts[-1] = _with_source(parts[-1], question.get("pages"), w)
            add("p", w["explanation"] + parts[0])
            for part in parts[1:]:
                add("p", part)
    add("h2", w["h8"])
    for item in sheet["faq"]:
        add("faq", item["question"])
        parts = str(item["answer"]).split("\n\n")
        parts[-1] = _with_source(parts[-1], item.get("pages"), w)
        add("p", w["answer"] + " ".join(parts[0].split()))
        for part in parts[1:]:
            add("p", " ".join(part.split()))
    add("h2", w["h9"])
    add("h3", w["easy_summary"])
    for number, part in enumerate(sheet["easy_read"]["summary"], 1):
        add("h4", f"{w['title']} {number}{w['colon']}{part['heading']}")
        for line in part["lines"]:
            add("p", line)
    if sheet["easy_read"].get("key_points"):
        add("h3", w["easy_points"])
        for line in sheet["easy_read"]["key_points"]:
            add("li", line)
    if sheet.get("tags"):
        add("p", "#️⃣ " + " ".join(f"#{tag}" for tag in sheet["tags"]))
    add("p", w["sign"])
    return out


def page_text(sheet: dict) -> str:
    """The page as a browser copies it: headings as lines, bullets before items, numbers
    before FAQ questions, links reduced to their words."""
    lines: list[str] = []
    faq = 0
    w = WORDS[sheet["lang"]]
    for tag, text, link in blocks(sheet):
        if tag == "li":
            lines.append(f"  • {text}")
        elif tag == "faq":
            faq += 1
            lines.append(f"  {faq}. {text}")
        elif tag == "source":
            lines.append(text + (f"📜🔗{w['link']}" if link else ""))
        else:
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


def page_html(sheet: dict) -> str:
    """The page saved as HTML: real headings, paragraphs, lists and links."""
    e = html.escape
    w = WORDS[sheet["lang"]]
    body: list[str] = []
    open_list: str | None = None
    for tag, text, link in blocks(sheet):
        wanted = {"li": "ul", "ref": "ul", "faq": "ol"}.get(tag)
        if open_list and wanted != open_list:
            body.append(f"</{open_list}>")
            open_list = None
        if wanted and not open_list:
            body.append(f"<{wanted}>")
            open_list = wanted
        if tag == "skip":
            body.append(f'<a class="skip" href="#content">{e(text)}</a>')
        elif tag in ("h1", "h2", "h3", "h4"):
            body.append(f"<{tag}>{e(text)}</{tag}>")
        elif tag == "li":
            body.append(f"<li>{e(text)}</li>")
        elif tag == "ref":
            title, _, note = text.partition(" — ")
            shown = f'<a href="{e(link)}">{e(title)}</a>' if link else e(title)
            body.append(f"<li>{shown}{' — ' + e(note) if note else ''}</li>")
        elif tag == "faq":
            body.append(f"<li><p>{e(text)}</p>")
        elif tag == "source":
            anchor = f'<a href="{e(link)}">📜🔗{w["link"]}</a>' if link else ""
            body.append(f"<p>{e(text)}{anchor}</p>")
        else:
            body.append(f"<p>{e(text)}</p>")
    if open_list:
        body.append(f"</{open_list}>")
    # FAQ answers belong inside their <li>: close each item before the next question
    joined = "\n".join(body).replace("\n<li><p>", "</li>\n<li><p>").replace(
        "<ol></li>\n", "<ol>\n")
    return (f'<!DOCTYPE html>\n<html lang="{sheet["lang"]}">\n<head><meta charset="utf-8">'
            f"<title>{e(sheet['title'])}</title></head>\n<body>\n"
            '<nav><a href="/">Home</a> <a href="/blog">Blog</a></nav>\n'
            f'<article id="content">\n{joined}\n</article>\n</body>\n</html>\n')
