"""The text parser: one pass over the lines (`Parser.step`), each line given to the reader
of the section it is in (`HANDLERS`), a heading opening the next section."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .header import HeaderLines
from .report import Line, dotted_path, short
from .sections import Heading, find_heading, is_boilerplate, tags_of
from .state import Question
from .text import (
    BULLET,
    NUMBERING,
    PAGE_WORD,
    PAGES,
    SOURCE_PAGES,
    URL,
    after_label,
    has_phrase,
    is_caps,
    item_text,
    normalise,
    split_numbering,
    split_pages,
    starts_with,
    strip_markers,
)

_CHOICE = re.compile(r"^\s*\(?([a-fA-F])\s*[).:]\s*(.+)$")
_QUESTION = re.compile(r"^\s*(?:question|q)\s*(\d{1,2})\b\s*(?P<rest>.*)$", re.IGNORECASE)
_EASY_TITLE = re.compile(r"^\s*(\w+)\s*\d{1,2}\s*[:.–—-]\s*(?P<heading>.+)$")


class Parser(HeaderLines):
    """The whole page: the header's lines, then each section's."""

    def run(self) -> None:
        for line in self.lines:
            self.step(line)

    def step(self, line: Line) -> None:
        if is_boilerplate(line, self.vocab):
            if normalise(line.text) in self.vocab.intro_end:
                self.intro_closed = True
            self.report.skipped.append(line.number)
            return
        tags = tags_of(line.text)
        if tags is not None:
            self.tags.extend(tags)
            self.last_path = ("tags",)
            return
        if self.section == "values" and self._values_label(line):
            return
        heading = find_heading(line, self.vocab, self.section)
        if heading and self.section == "easy_read" and heading.section in (
                "summary", "key_points") and not heading.strong:
            self.easy_sub = "key_points" if heading.section == "key_points" else "summary"
            return
        if heading and heading.section == self.section != "easy_read" \
                and heading.number is None and not is_caps(line.text):
            heading = None  # "Summary of findings" inside the summary: a sub-heading
        if heading and not (self.section is None and self.title is None):
            self.open_section(line, heading)
            return
        HANDLERS[self.section](self, line)
        kept = self.section == "references" or (self.section is None and "url" in self.source
                                                 and self.source.get("url_line") == line.number)
        for link in line.links if not kept else ():
            if link.href.startswith(("http://", "https://")) and link.text.strip() != \
                    self.title:
                self.report.add(line.number, "note", dotted_path(self.last_path),
                                f"the link \"{short(link.text, 40)}\" ({link.href}) is not "
                                f"kept: write it as [{short(link.text, 40)}]({link.href}) if "
                                "it matters")

    def open_section(self, line: Line, heading: Heading) -> None:
        section = heading.section
        if heading.by_number:
            self.report.add(line.number, "note", section, f"the heading \"{short(line.text)}\" "
                            f"was taken as section {heading.number} ({section}) from its number")
        if section == "easy_read":
            norm = normalise(split_numbering(line.text)[1])
            key_words = self.vocab.sections["key_points"]
            self.easy_sub = "key_points" if any(has_phrase(norm, p) for p in key_words) \
                else "summary"
        if section == "quiz":
            match = re.search(r"\b(\d{1,2})\b", split_numbering(line.text)[1])
            if match:
                self.quiz_count = (int(match.group(1)), line.number)
        if section not in self.section_lines:
            self.section_lines[section] = line.number
            self.report.sections.append(section)
        self.section = section
        self.pending_label = None
        self.current_q = None
        self.last_path = (section,)

    # sections
    def _paged(self, line: Line, target: list[dict[str, Any]], key: str) -> None:
        text, pages = split_pages(item_text(line.text))
        item = {"text": text}
        if pages:
            item["pages"] = pages
        target.append(item)
        self.last_path = (key, len(target) - 1)

    def in_key_points(self, line: Line) -> None:
        self._paged(line, self.key_points, "key_points")

    def in_action_paths(self, line: Line) -> None:
        self._paged(line, self.action_paths, "action_paths")

    def in_summary(self, line: Line) -> None:
        text = line.text.strip()
        words = len(text.split())
        heading_like = line.heading or (words <= 12 and not re.search(r"[.!?;:…,]$", text))
        if heading_like:
            self.summary.append({"heading": strip_markers(text), "text": [], "line": line.number})
        elif self.summary:
            self.summary[-1]["text"].append(text)
        else:
            self.summary.append({"heading": None, "text": [text], "line": line.number})
        self.last_path = ("summary", len(self.summary) - 1)

    def _bare_address(self, line: Line) -> str | None:
        """The address of a line that holds only an address (or only a link), with no bullet
        of its own: it continues the reference above it."""
        text = line.text.strip()
        if BULLET.match(text) or NUMBERING.match(text):
            return None
        links = [link for link in line.links if link.href.startswith(("http://", "https://"))]
        if len(links) == 1 and " ".join(links[0].text.split()) == text:
            return links[0].href
        match = URL.fullmatch(text)
        return match.group(1) if match else None

    def in_references(self, line: Line) -> None:
        address = self._bare_address(line)
        if address is not None:
            if self.references and "url" not in self.references[-1]:
                self.references[-1]["url"] = address
                self.last_path = ("references", len(self.references) - 1)
            else:
                self.unplaced(line, "an address with no reference above it to belong to")
            return
        text = item_text(line.text)
        reference: dict[str, Any] = {}
        links = [link for link in line.links if link.href.startswith(("http://", "https://"))]
        first = links[0] if links else None
        if first and first.text and text.startswith(first.text):
            reference["title"] = first.text
            rest = text[len(first.text):]
            note = re.sub(r"^\s*(?:[—–:-]|\s)\s*", "", rest).strip()
        else:
            parts = re.split(r"\s+[—–]\s+", text, maxsplit=1)
            reference["title"] = parts[0].strip()
            note = parts[1].strip() if len(parts) == 2 else ""
        url = first.href if first else None
        if url is None:
            match = URL.search(reference["title"] + " " + note)
            if match:
                url = match.group(1)
                reference["title"] = URL.sub("", reference["title"]).strip()
                note = URL.sub("", note).strip()
        if note:
            reference["note"] = note
        if url:
            reference["url"] = url
        self.references.append(reference)
        self.last_path = ("references", len(self.references) - 1)

    def _criterion(self, line: Line, grid: dict[str, Any], key: str) -> bool:
        text = item_text(line.text)
        name, sep, assessment = text.partition(":")
        if not sep or not assessment.strip() or len(name.split()) > 6:
            return False
        grid["criteria"].append({"name": name.strip(), "assessment": assessment.strip()})
        self.last_path = (key, "criteria", len(grid["criteria"]) - 1)
        return True

    def _values_label(self, line: Line) -> bool:
        norm = normalise(line.text)
        inline = after_label(line.text, self.vocab.conclusion)
        if inline:
            self.values["conclusion"] = [inline]
            self.values["conclusion_line"] = line.number
            self.last_path = ("values", "conclusion")
            return True
        if starts_with(norm, self.vocab.conclusion) and len(norm.split()) <= 8 \
                and not after_label(line.text, ()) and ":" not in line.text:
            self.pending_label = "conclusion"
            self.values.setdefault("conclusion_line", line.number)
            self.last_path = ("values", "conclusion")
            return True
        return False

    def in_values(self, line: Line) -> None:
        if self.pending_label == "conclusion":
            self._continue(line, self.values.setdefault("conclusion", []),
                           "values.conclusion", "the conclusion")
            return
        if self._criterion(line, self.values, "values"):
            return
        if self.values["criteria"] and "conclusion" not in self.values:
            self.values["conclusion"] = [line.text.strip()]
            self.values["conclusion_line"] = line.number
            self.report.add(line.number, "note", "values.conclusion", "a paragraph without a "
                            "label after the criteria was taken as the conclusion")
            self.last_path = ("values", "conclusion")
            return
        self.unplaced(line)

    def in_reliability(self, line: Line) -> None:
        inline = after_label(line.text, self.vocab.recommendation)
        if inline is not None:
            if inline:
                self.reliability["recommendation"] = [inline]
            self.pending_label = "recommendation"
            self.last_path = ("reliability", "recommendation")
            return
        if self.pending_label == "recommendation":
            self._continue(line, self.reliability.setdefault("recommendation", []),
                           "reliability.recommendation", "the recommendation")
            return
        if self._criterion(line, self.reliability, "reliability"):
            return
        if self.reliability["criteria"] and "recommendation" not in self.reliability:
            self.reliability["recommendation"] = [line.text.strip()]
            self.report.add(line.number, "note", "reliability.recommendation", "a paragraph "
                            "without a label after the criteria was taken as the "
                            "recommendation")
            self.last_path = ("reliability", "recommendation")
            return
        self.unplaced(line)

    def in_quiz(self, line: Line) -> None:
        text = line.text.strip()
        norm = normalise(text)
        if starts_with(norm, self.vocab.part1) and len(norm.split()) <= 8:
            self.quiz_part, self.current_q = 1, None
            return
        if starts_with(norm, self.vocab.part2) and len(norm.split()) <= 8:
            self.quiz_part, self.current_q = 2, None
            return
        match = _QUESTION.match(strip_markers(text))
        if match and (not match.group("rest") or match.group("rest")[0] in " (–—-:.)"):
            number = int(match.group(1))
            rest = match.group("rest").strip()
            table = self.part1 if self.quiz_part == 1 else self.part2
            question = Question(number, line.number)
            if number in table:
                self.report.add(line.number, "note", "quiz", f"question {number} appears twice "
                                f"in part {self.quiz_part}; the later one is kept")
            table[number] = question
            self.current_q = question
            rest = re.sub(r"^[–—\-:.]\s*", "", rest)
            paren = re.match(r"^\(\s*" + PAGE_WORD + r"\s*" + PAGES + r"\s*\)\s*", rest,
                             re.IGNORECASE)
            if paren:
                question.pages = paren.group("pages").strip()
                rest = rest[paren.end():]
            rest = re.sub(r"^[–—\-:.]\s*", "", rest).strip()
            if rest:
                text_only, pages = split_pages(rest)
                question.text.append(text_only)
                question.pages = question.pages or pages
            self.last_path = ("quiz", max(0, self._quiz_index(number)))
            return
        current = self.current_q
        if current is None:
            self.unplaced(line, "a quiz line before any 'Question N'")
            return
        question = current
        correct = after_label(text, self.vocab.correct)
        if correct is not None:
            question.answer_raw = correct
            question.answer_line = line.number
            choice = _CHOICE.match(correct)
            if choice:
                question.answer_letter = choice.group(1).lower()
                question.answer_text = choice.group(2).strip()
            elif re.fullmatch(r"[a-fA-F]\)?", correct.strip()):
                question.answer_letter = correct.strip()[0].lower()
            else:
                question.answer_text = correct.strip()
            return
        explanation = after_label(text, self.vocab.explanation)
        if explanation is not None or (question.explanation and self.quiz_part == 2
                                       and not _CHOICE.match(text)):
            body, pages = split_pages(explanation if explanation is not None else text)
            if body and explanation is None:
                self.report.add(line.number, "note", f"quiz (question {question.number})",
                                "a paragraph after the explanation was joined to it: check "
                                "that it belongs there")
            if body:
                question.explanation.append(body)
            if pages:
                question.pages2, question.pages2_line = pages, line.number
            return
        pages_only = SOURCE_PAGES.fullmatch(" " + text)
        if pages_only and self.quiz_part == 2:
            question.pages2, question.pages2_line = pages_only.group("pages").strip(), \
                line.number
            return
        choice = _CHOICE.match(item_text(text) if BULLET.match(text) else text)
        if choice and self.quiz_part == 1:
            expected = "abcdef"[len(question.choices)] if len(question.choices) < 6 else None
            if choice.group(1).lower() != expected:
                self.report.add(line.number, "note", f"quiz (question {question.number})",
                                f"choice {choice.group(1)}) is not in a, b, c order; kept in "
                                "page order")
            question.choices.append(choice.group(2).strip())
            return
        if self.quiz_part == 1 and not question.choices:
            question.text.append(text)
            return
        self.unplaced(line)

    def _quiz_index(self, number: int) -> int:
        order = list(dict.fromkeys([*self.part1, *self.part2]))
        return order.index(number) if number in order else 0

    def in_faq(self, line: Line) -> None:
        text = line.text.strip()
        answer = after_label(text, self.vocab.answer)
        if answer is not None and self.faq:
            body, pages = split_pages(answer)
            self.faq[-1]["answer"].append(body)
            if pages:
                self.faq[-1]["pages"] = pages
            return
        number, rest = split_numbering(text) if NUMBERING.match(text) else (None, text)
        if number is not None or text.endswith("?") or line.heading:
            self.faq.append({"question": strip_markers(rest) if number is None else rest,
                             "answer": [], "line": line.number})
            self.last_path = ("faq", len(self.faq) - 1)
            return
        if self.faq:
            body, pages = split_pages(text)
            if body:
                self._continue(line, self.faq[-1]["answer"], f"faq[{len(self.faq)}].answer",
                               "the answer", body)
            if pages:
                self.faq[-1]["pages"] = pages
            return
        self.unplaced(line)

    def in_easy_read(self, line: Line) -> None:
        text = line.text.strip()
        title = _EASY_TITLE.match(text)
        if title and normalise(title.group(1)) in self.vocab.easy_title:
            self.easy_sub = "summary"
            self.easy_parts.append({"heading": title.group("heading").strip(), "lines": [],
                                    "line": line.number})
            self.last_path = ("easy_read", "summary", len(self.easy_parts) - 1)
            return
        if self.easy_sub == "key_points":
            self.easy_points.append(item_text(text))
            self.last_path = ("easy_read", "key_points")
            return
        if line.heading:
            self.easy_parts.append({"heading": strip_markers(text), "lines": [],
                                    "line": line.number})
        elif self.easy_parts:
            self.easy_parts[-1]["lines"].append(item_text(text))
        else:
            self.easy_parts.append({"heading": None, "lines": [item_text(text)],
                                    "line": line.number})
        self.last_path = ("easy_read", "summary", len(self.easy_parts) - 1)


# Which reader takes a line, by the section it is in (None: the header, before any section).
HANDLERS: dict[str | None, Callable[[Parser, Line], None]] = {
    None: Parser.in_header,
    "summary": Parser.in_summary,
    "key_points": Parser.in_key_points,
    "action_paths": Parser.in_action_paths,
    "references": Parser.in_references,
    "values": Parser.in_values,
    "reliability": Parser.in_reliability,
    "quiz": Parser.in_quiz,
    "faq": Parser.in_faq,
    "easy_read": Parser.in_easy_read,
}
