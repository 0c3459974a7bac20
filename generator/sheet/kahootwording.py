"""A question's wording for Kahoot (`--format kahoot`): the optional `kahoot:` fields of a
sheet's question, and Kahoot's limits. Apart from model.py, which takes `KahootText` as a
question's `kahoot` field (and checks there that fewer choices come with their answer)."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

LETTERS = "abcd"  # of Kahoot's answers


def letter_of(answer: str, choices: list[str] | None, letters: str, whose: str) -> str:
    """`answer` when it is the letter of one of `choices` (a, b…; "B)" reads as b), else the
    error that says which letters may be written (the sheet's questions and Kahoot's)."""
    letter = answer.strip().rstrip(")").lower()
    allowed = letters[: len(choices)] if choices else letters
    if len(letter) != 1 or letter not in allowed:
        raise PydanticCustomError(
            "answer_letter", "'{answer}' is not the letter of {whose}: write one of {letters}",
            {"answer": answer, "whose": whose, "letters": ", ".join(allowed)})
    return letter
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                        max_length=500)]  # as model.Line

# Kahoot's quiz spreadsheet: a question of at most 120 characters, 2 to 4 answers of at most
# 75, and one of these time limits (seconds).
KAHOOT_QUESTION = 120
KAHOOT_ANSWER = 75
KAHOOT_ANSWERS = 4
KAHOOT_TIMES = (5, 10, 20, 30, 60, 90, 120, 240)
KAHOOT_TIME = 20  # Kahoot's own default


def _kahoot_length(most: int, what: str) -> AfterValidator:
    """Kahoot's own limit, said as Kahoot's (the sheet's general limits are longer)."""
    def check(text: str) -> str:
        if len(text) > most:
            raise PydanticCustomError(
                "kahoot_length", "has {length} characters; Kahoot takes {what} of at most "
                "{most}: shorten it", {"length": len(text), "what": what, "most": most})
        return text

    return AfterValidator(check)


KahootQuestionText = Annotated[Text, _kahoot_length(KAHOOT_QUESTION, "questions"),
                               Field(json_schema_extra={"maxLength": KAHOOT_QUESTION})]
KahootAnswerText = Annotated[Text, _kahoot_length(KAHOOT_ANSWER, "answers"),
                             Field(json_schema_extra={"maxLength": KAHOOT_ANSWER})]


class KahootText(BaseModel):
    """Shorter wording of a question for Kahoot (`--format kahoot`), whose spreadsheet takes
    questions of at most 120 characters and 2 to 4 answers of at most 75; plain text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # as model.Strict

    question: KahootQuestionText | None = Field(
        None, description=f"The question as Kahoot shows it, at most {KAHOOT_QUESTION} "
        "characters of plain text. Default: the question.")
    choices: list[KahootAnswerText] | None = Field(
        None, min_length=2, max_length=KAHOOT_ANSWERS,
        description=f"2 to {KAHOOT_ANSWERS} answers as Kahoot shows them, at most "
        f"{KAHOOT_ANSWER} characters of plain text each. With as many as the question's "
        "`choices`, in the same order (the question's `answer` stays right); with fewer, "
        "say which is right in `answer`. Default: the question's choices.")
    answer: Text | None = Field(None, description="Letter of the right answer among Kahoot's "
                                "`choices` (a for the first…): needed when they are fewer "
                                "than the question's.")
    time: int | None = Field(
        None, description="Seconds players have to answer: 5, 10, 20, 30, 60, 90, 120 or 240. "
        f"Default: {KAHOOT_TIME}.", json_schema_extra={"enum": list(KAHOOT_TIMES)})

    @field_validator("time")
    @classmethod
    def _a_kahoot_time(cls, time: int | None) -> int | None:
        if time is not None and time not in KAHOOT_TIMES:
            raise PydanticCustomError(
                "kahoot_time", "Kahoot offers no time limit of {time} seconds: write one of "
                "{times}", {"time": time, "times": ", ".join(map(str, KAHOOT_TIMES))})
        return time

    @field_validator("answer")
    @classmethod
    def _letter_of_a_kahoot_choice(cls, answer: str, info: ValidationInfo) -> str:
        return letter_of(answer, info.data.get("choices"), LETTERS, "one of Kahoot's choices")
