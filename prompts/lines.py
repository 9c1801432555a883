"""The interviewer's words and the fact-kind vocabulary, loaded from TOML beside this file."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from mlsd.core.plan import PhaseId
from mlsd.prompts.case import check_one_question

HERE = Path(__file__).parent


class PhaseLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    opening: str | None = None
    follow_ups: list[str] = []

    @field_validator("opening", "follow_ups")
    @classmethod
    def _one_question_each(cls, value: str | list[str] | None) -> str | list[str] | None:
        for text in [value] if isinstance(value, str) else value or []:
            check_one_question(text)
        return value


class DrillLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    scene: str
    opening: str
    follow_ups: list[str] = []


class InterviewerLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    greetings: list[str]
    clarify_invites: list[str]
    no_detail: list[str]
    repeat_answer: list[str]
    acks: list[str]
    probe_leads: list[str]
    transitions: list[str]
    nudges: list[str]
    closings: list[str]
    ended_early: list[str]
    keep_going: list[str]
    phases: dict[PhaseId, PhaseLines]
    drill_intros: list[str]
    drills: dict[str, DrillLines]


@cache
def interviewer_lines() -> InterviewerLines:
    return InterviewerLines.model_validate(tomllib.loads((HERE / "interviewer.toml").read_text("utf-8")))


@cache
def fact_kinds() -> dict[str, list[str]]:
    return tomllib.loads((HERE / "fact_kinds.toml").read_text("utf-8"))
