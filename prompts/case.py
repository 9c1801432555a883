"""The Case: one interview problem, its facts, its probes, its extra evidence phrases, and
what a strong answer says: per criterion, and to the tradeoffs and curveballs it raises."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from mlsd.core.printable import strings_without_controls

CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# The seed's six recurring tradeoffs; a case names the ones that matter for it.
TradeoffId = Literal["online_vs_batch", "precision_vs_recall", "complexity_vs_latency", "freshness_vs_cost",
                     "global_vs_segment", "automation_vs_review"]
TRADEOFFS: tuple[str, ...] = get_args(TradeoffId)


def check_one_question(text: str) -> str:
    """Interviewer wording asks at most one thing: two questions in one turn is a quiz."""
    if not text.strip():
        raise ValueError("is empty")
    if text.count("?") > 1:
        raise ValueError(f"asks {text.count('?')} questions; the interviewer asks one at a time: {text[:60]!r}")
    return text


OneQuestion = Annotated[str, AfterValidator(check_one_question)]  # wording the interviewer says as one turn


class Fact(BaseModel):
    """Something the interviewer may reveal, but only when a question asks for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: str | None = None
    about: str = Field(min_length=1)
    keywords: list[str] = []
    answer: str = Field(min_length=1)


class Challenge(BaseModel):
    """A question the interviewer can put, with what a strong answer says to it. A tradeoff is
    one of the seed's six (its id says which); a curveball changes the situation ("traffic is
    10x next year"). `about` is what it asks about, so the interviewer skips it when the last
    answers covered that."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    question: OneQuestion
    strong_answer: str = Field(min_length=1)
    about: list[str] = []  # criterion ids or kinds of choice; a tradeoff takes its kind's by default


class Tradeoff(Challenge):
    id: TradeoffId  # narrower than a challenge's: one of the six


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=CASE_ID_PATTERN)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    prompt: str = Field(min_length=1)
    task: str | None = None
    not_applicable: list[str] = []
    facts: list[Fact] = []
    probes: dict[str, list[str]] = {}
    # Extra phrases for the rubric's named phrase sets, e.g. {"data_signal": ["GPS pings"]}:
    # lets a case author teach the tracker the domain's words without touching the rubric.
    phrases: dict[str, list[str]] = {}
    # Per criterion id, what a strong answer says for this system, with its figures: the
    # report's debrief shows it beside what the candidate said, and the LLM judge grades with it.
    references: dict[str, str] = {}
    tradeoffs: list[Tradeoff] = []
    curveballs: list[Challenge] = []
    source: Path | None = Field(default=None, exclude=True)
    user: bool = Field(default=False, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _no_control_characters(cls, data: object) -> object:
        # A title or fact with an escape sequence would act on the terminal that shows it.
        return strings_without_controls(data)

    @field_validator("probes", "phrases")
    @classmethod
    def _no_empty_lists(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, items in value.items():
            if not items or any(not item.strip() for item in items):
                raise ValueError(f"{key!r} needs at least one non-empty string")
        return value

    @field_validator("references")
    @classmethod
    def _no_empty_references(cls, value: dict[str, str]) -> dict[str, str]:
        for key, text in value.items():
            if not text.strip():
                raise ValueError(f"{key!r} needs a non-empty reference")
        return value

    @field_validator("probes")
    @classmethod
    def _probes_ask_one_thing(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, items in value.items():
            for item in items:
                try:
                    check_one_question(item)
                except ValueError as exc:
                    raise ValueError(f"{key!r}: {exc}") from None
        return value

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)
