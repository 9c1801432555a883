"""The Case: one interview problem, its facts, its probes and its extra evidence phrases."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

CASE_ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class Fact(BaseModel):
    """Something the interviewer may reveal, but only when a question asks for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: str | None = None
    about: str = Field(min_length=1)
    keywords: list[str] = []
    answer: str = Field(min_length=1)


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
    source: Path | None = Field(default=None, exclude=True)
    user: bool = Field(default=False, exclude=True)

    @field_validator("probes", "phrases")
    @classmethod
    def _no_empty_lists(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, items in value.items():
            if not items or any(not item.strip() for item in items):
                raise ValueError(f"{key!r} needs at least one non-empty string")
        return value

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)
