"""What the results report and its easy-read summary print: headline sentences in the
sheet's language, charts with their text alternatives and data tables, a row per question
with its words and page references, the flagged questions with advice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..sheet import locales
from . import charts, labels, typography
from .commonview import CommonView
from .markup import inline
from .quizview import quiz_questions
from .stats import SMALL_GROUP

if TYPE_CHECKING:
    from ..sheet.model import Sheet
    from .results import Doubled, QuestionResult, Results

TOP_QUESTIONS = 3  # headline questions, and the summary's "most got right"
MOST_IN_TEN = 5  # the summary's "what most people knew": more than 5 in 10
DOUBLED_SHOWN = 30  # answers with several letters listed by the report (the command says all)


@dataclass(frozen=True)
class Chart:
    uri: str  # SVG data: URI
    title: str
    alt: str  # the text alternative: what the chart shows, in one or two sentences
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class QuestionRow:
    number: int
    html: Markup
    pages: str | None
    shares: tuple[str, ...]  # share correct per moment, as printed ("30 %")
    blanks: tuple[str, ...]  # how many gave no answer, per moment
    discrimination: str
    flags: tuple[str, ...]  # in words


@dataclass(frozen=True)
class Flagged:
    number: int
    html: Markup
    pages: str | None
    advice: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ResultsView(CommonView):
    """The report: its headline, figures, charts, questions and flagged questions."""

    moments: tuple[str, ...]  # column heads: "Before", "After", or "Correct"
    headline: tuple[str, ...]
    figures: tuple[tuple[str, tuple[str, ...]], ...]  # (measure in words, value per moment)
    paired_figures: tuple[tuple[str, str], ...]  # (measure in words, value): before/after
    caveats: tuple[str, ...]
    charts: tuple[Chart, ...]
    questions: tuple[QuestionRow, ...]
    flagged: tuple[Flagged, ...]
    unpaired: tuple[Markup, ...] = ()
    doubled: tuple[Markup, ...] = ()  # the answers with several letters, each at its cell
    doubled_more: int = 0  # those past DOUBLED_SHOWN, counted
    # the easy-read summary's sentences, and where to read more
    easy: tuple[str, ...] = field(default_factory=tuple)
    easy_best: tuple[str, ...] = field(default_factory=tuple)
    easy_more: tuple[str, ...] = field(default_factory=tuple)


def results_view(common: CommonView, sheet: Sheet, results: Results) -> ResultsView:
    """The report's view, made from the sheet's common view and the computed results."""
    text, lang = common.labels, common.lang

    def num(value: float | None, digits: int = 2) -> str:
        if value is None:
            return "—"
        from babel.numbers import format_decimal

        return format_decimal(value, format="0." + "0" * digits, locale=locales.get(lang).babel)

    def percent(value: float | None) -> str:
        return "—" if value is None else text["results_percent"].format(value=round(value * 100))

    def tenths(value: float | None) -> int:
        """"N in 10": never 10 unless everyone, never 0 unless no one (95 % is "9 in 10")."""
        share = value or 0
        return min(max(round(share * 10), 1 if share > 0 else 0), 10 if share >= 1 else 9)

    printed = {q.sheet_number: q for q in quiz_questions(sheet)}
    by_moment: dict[str, dict[int, QuestionResult]] = {}
    for result in results.questions:
        by_moment.setdefault(result.moment, {})[result.number] = result
    moments = tuple(m.moment for m in results.moments)
    heads = tuple(text[f"phase_{m}"] if m else text["results_correct"] for m in moments)
    last = by_moment[moments[-1]]

    headline: list[str] = []
    every = results.moments
    figures = (
        (text["results_people"], tuple(str(m.participants) for m in every)),
        (text["results_mean"], tuple(text["results_out_of"].format(
            score=num(m.mean, 1), max=results.maximum) for m in every)),
        (text["results_sd"], tuple(num(m.sd) for m in every)),
        (text["results_kr20"], tuple(num(m.kr20) for m in every)))
    caveats = [text["results_small_group"].format(count=m.participants, least=SMALL_GROUP)
               for m in every if m.participants < SMALL_GROUP]
    paired_figures: list[tuple[str, str]] = []
    easy: list[str] = []
    paired = results.paired
    if paired is not None:
        paired_figures += [(text["results_paired"], str(paired.count)),
                    (text["results_paired_mean"], text["results_out_of"].format(
                        score=text["results_arrow"].format(before=num(paired.mean_before, 1),
                                                           after=num(paired.mean_after, 1)),
                        max=results.maximum)),
                    (text["results_mean_gain"], num(paired.mean_gain, 1)),
                    (text["results_hake"], _with_band(num(paired.hake), paired.band, text)),
                    (text["results_dz"], num(paired.cohen_dz))]
        headline.append(text["results_head_paired"].format(
            count=paired.count, before=num(paired.mean_before, 1),
            after=num(paired.mean_after, 1), max=results.maximum))
        if paired.hake is not None and paired.band:
            headline.append(text["results_head_gain"].format(
                share=percent(paired.hake), band=text["results_band_" + paired.band]))
        before = by_moment["before"]
        rise = sorted(last.values(), key=lambda r: (-((r.difficulty or 0) - (
            before[r.number].difficulty or 0)), r.number))
        for result in rise[:TOP_QUESTIONS]:
            headline.append(text["results_head_question"].format(
                number=result.number, after=tenths(result.difficulty),
                before=tenths(before[result.number].difficulty)))
        for key, value in (("results_easy_before", paired.mean_before),
                           ("results_easy_after", paired.mean_after)):
            easy.append(_counted(lang, key, value, results.maximum))
    else:
        only = results.moments[0]
        headline.append(text["results_head_single"].format(
            count=only.participants, mean=num(only.mean, 1), max=results.maximum))
        easy.append(_counted(lang, "results_easy_single", only.mean, results.maximum))
    best = sorted(last.values(), key=lambda r: (-(r.difficulty or 0), r.number))[:TOP_QUESTIONS]
    if paired is None:
        headline += [text["results_head_share"].format(number=r.number, share=tenths(r.difficulty))
                     for r in best]
    # "what most people knew": 6 in 10 or more, as printed; half the group is not most
    easy_best = tuple(text["results_easy_best"].format(
        question=printed[r.number].html.striptags(), share=tenths(r.difficulty))
        for r in best if tenths(r.difficulty) > MOST_IN_TEN)
    weakest = sorted(last.values(), key=lambda r: (r.difficulty or 0, r.number))
    pages = list(dict.fromkeys(page.replace("-", "–") for r in weakest
                               if (page := sheet.quiz[r.number - 1].pages)))
    easy_more = tuple(text["results_easy_more"].format(pages=p) for p in pages[:2]) or (
        text["results_easy_more_document"],)

    rows, flagged = [], []
    for number, question in sorted(printed.items()):
        # after the workshop when there is a before: a hard pre-test question is expected
        flags = last[number].flags
        words = tuple(text[f"results_flag_{flag}"] for flag in flags)
        rows.append(QuestionRow(number, question.html, question.pages,
                                tuple(percent(by_moment[m][number].difficulty) for m in moments),
                                tuple(str(by_moment[m][number].blank) for m in moments),
                                num(last[number].discrimination), words))
        if flags:
            result = last[number]
            advice = []
            for flag in flags:
                advice.append(text[f"results_advice_{flag}"].format(
                    pages=question.pages or text["results_no_pages"],
                    choice=_top_distractor(result, sheet)))
            flagged.append(Flagged(number, question.html, question.pages, tuple(advice)))

    numbers = [str(n) for n in sorted(printed)]
    series = [(head, [by_moment[m][int(n)].difficulty or 0 for n in numbers])
              for m, head in zip(moments, heads, strict=True)]
    question_chart = Chart(
        charts.bars(numbers, series, text["results_axis_share"]),
        text["results_chart_questions"],
        text["results_chart_questions_alt"].format(
            count=len(numbers), best=best[0].number, share=percent(best[0].difficulty)),
        (text["question"], *heads),
        tuple((n, *(percent(by_moment[m][int(n)].difficulty) for m in moments))
              for n in numbers))
    scores = [str(s) for s in range(results.maximum + 1)]
    distribution = [(head, [float(moment.scores.count(s)) for s in range(results.maximum + 1)])
                    for moment, head in zip(results.moments, heads, strict=True)]
    score_chart = Chart(
        charts.bars(scores, distribution, text["results_axis_people"], percent=False),
        text["results_chart_scores"],
        text["results_chart_scores_alt"].format(max=results.maximum, means=labels.format_list(
            [f"{head}: {num(m.mean, 1)}" for head, m in zip(heads, results.moments,
                                                            strict=True)], lang)),
        (text["score"], *heads),
        tuple((s, *(str(int(values[int(s)])) for _, values in distribution)) for s in scores))
    view = ResultsView(
        **{name: getattr(common, name) for name in CommonView.__dataclass_fields__},
        moments=heads, headline=tuple(headline), figures=figures,
        paired_figures=tuple(paired_figures),
        caveats=tuple(dict.fromkeys(caveats)), charts=(question_chart, score_chart),
        questions=tuple(rows), flagged=tuple(flagged),
        unpaired=tuple(Markup("{} ({}, {})").format(code, _only(text, moment),
                                                    _short_place(where))
                       for code, moment, where in paired.unpaired) if paired else (),
        doubled=tuple(_doubled(text, item) for item in results.doubled[:DOUBLED_SHOWN]),
        doubled_more=max(0, len(results.doubled) - DOUBLED_SHOWN),
        easy=tuple(easy), easy_best=easy_best, easy_more=easy_more)
    return replace(view, pictures=view.pictures | {question_chart.uri, score_chart.uri})


def _short_place(place: str) -> Markup:
    """"folder/marked.csv:6" → "marked.csv:6" (the report is read beside the table), on one
    line: a reader looks it up whole."""
    return Markup('<span class="place">{}</span>').format(
        place.replace("\\", "/").rsplit("/", 1)[-1])


def _only(text: dict[str, str], moment: str) -> str:
    """"before only", in the sheet's language."""
    return text["results_only"].format(moment=text[f"results_moment_{moment}"])


def _doubled(text: dict[str, str], item: Doubled) -> Markup:
    """One answer with several letters: who, which question, what, where in the table."""
    who = (f"{item.participant} ({text[f'results_moment_{item.moment}']})" if item.moment
           else item.participant)
    return escape(text["results_doubled_item"]).format(
        participant=who, number=item.question, letters=item.letters,
        place=_short_place(item.place))


def _counted(lang: str, key: str, value: float | None, maximum: int) -> str:
    """An easy-read sentence with a whole number of good answers, in its plural form."""
    count = round(value or 0)
    return typography.apply(labels.plural(lang, key, count).format(count=count, max=maximum),
                            lang)


def _with_band(value: str, band: str | None, text: dict[str, str]) -> str:
    return f"{value} ({text['results_band_' + band]})" if band else "—"


def _top_distractor(result: QuestionResult, sheet: Sheet) -> str:
    """The words of the wrong choice chosen most: its letter differs from one edition to
    the next, its words do not."""
    from ..sheet.model import LETTERS

    question = sheet.quiz[result.number - 1]
    key = LETTERS.index(question.answer)
    wrong = [(share, -i) for i, share in enumerate(result.shares) if i != key]
    if not wrong:
        return ""
    return inline(question.choices[-max(wrong)[1]], sheet.lang).striptags()
