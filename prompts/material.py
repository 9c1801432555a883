"""The interviewer's material beyond its lines, loaded from TOML beside this file: the kinds of
design choice it listens for with their deep-dive questions (choices.toml), and the seed's six
tradeoffs (tradeoffs.toml)."""
from __future__ import annotations

import re
import string
import tomllib
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mlsd.core.plan import PhaseId
from mlsd.prompts.case import TRADEOFFS, OneQuestion, TradeoffId
from mlsd.prompts.lines import HERE, Question

ChallengeKind = Literal["why", "breaks", "cost"]
SLOTS = {"term", "alternative"}


class DeepDive(Question):
    """One question about a choice the candidate made: {term} is the choice as they said it."""

    challenge: ChallengeKind
    about: list[str] = Field(min_length=1)

    @field_validator("text")
    @classmethod
    def _known_slots(cls, text: str) -> str:
        used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        if used - SLOTS or "term" not in used:
            raise ValueError(f"uses {sorted(used)}; a deep-dive question says {{term}} and may say {{alternative}}")
        return text


class ChoiceKind(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    what: str
    phase: PhaseId  # where in the plan such a choice is talked about
    names: list[str] = []
    nouns: list[str] = []
    patterns: list[str] = []
    alternative: str | None = None
    questions: list[DeepDive] = []

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"{p!r} is not a regular expression: {exc}") from None
        return patterns

    @model_validator(mode="after")
    def _complete(self) -> ChoiceKind:
        if not (self.names or self.nouns or self.patterns):
            raise ValueError(f"kind {self.id!r} needs names, nouns or patterns")
        if self.alternative is None and any("{alternative}" in q.text for q in self.questions):
            raise ValueError(f"kind {self.id!r} says {{alternative}} but names none")
        return self


class ChoiceBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    challenges: dict[ChallengeKind, str]
    kinds: list[ChoiceKind]

    def kind(self, kind_id: str) -> ChoiceKind:
        return next(k for k in self.kinds if k.id == kind_id)

    @property
    def kind_ids(self) -> list[str]:
        return [k.id for k in self.kinds]


class TradeoffKind(BaseModel):
    """One of the seed's six tradeoffs: its name, what it asks about, and the question for a case
    that names none of its own. Which tradeoffs apply, and their questions, are the case's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: TradeoffId
    name: str
    about: list[str] = Field(min_length=1)
    question: OneQuestion


@cache
def choice_book() -> ChoiceBook:
    return ChoiceBook.model_validate(tomllib.loads((HERE / "choices.toml").read_text("utf-8")))


@cache
def tradeoff_kinds() -> dict[str, TradeoffKind]:
    raw = tomllib.loads((HERE / "tradeoffs.toml").read_text("utf-8"))
    kinds: dict[str, TradeoffKind] = {t.id: t for t in (TradeoffKind.model_validate(item) for item in raw["tradeoffs"])}
    if sorted(kinds) != sorted(TRADEOFFS):
        raise ValueError(f"tradeoffs.toml: needs each of the six tradeoffs once: {', '.join(TRADEOFFS)}")
    return kinds
