"""The interviewer's words and the fact-kind vocabulary, loaded from TOML beside this file."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from mlsd.core.plan import PhaseId
from mlsd.prompts.case import OneQuestion

HERE = Path(__file__).parent


class Question(BaseModel):
    """A canned question and what it asks about (criterion ids or kinds of choice): it is not
    asked when the candidate's last answers covered that."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: OneQuestion
    about: list[str] = Field(min_length=1)


class PhaseLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    opening: Question | None = None
    follow_ups: list[Question] = []
    deeper: list[Question] = []  # asked on settled topics, once the phase has nothing left to find out

    @property
    def questions(self) -> list[Question]:
        return ([self.opening] if self.opening else []) + self.follow_ups


class DrillLines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    topic: str
    scene: str
    opening: OneQuestion
    follow_ups: list[Question] = []


class DepthLines(BaseModel):
    """Challenges to what was just said, each in several wordings (see interviewer.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    why: list[str]
    how: list[str]
    numbers: list[str]
    breaks: list[str]
    earlier: list[str]

    def challenges(self) -> dict[str, list[str]]:
        return {"why": self.why, "how": self.how, "numbers": self.numbers, "breaks": self.breaks}


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
    deep_dive_leads: list[str]
    earlier_leads: list[str]
    tradeoff_leads: list[str]
    curveball_leads: list[str]
    wrap_ups: list[OneQuestion]
    depth: DepthLines
    phases: dict[PhaseId, PhaseLines]
    drill_intros: list[str]
    drills: dict[str, DrillLines]


@cache
def interviewer_lines() -> InterviewerLines:
    return InterviewerLines.model_validate(tomllib.loads((HERE / "interviewer.toml").read_text("utf-8")))


@cache
def fact_kinds() -> dict[str, list[str]]:
    return tomllib.loads((HERE / "fact_kinds.toml").read_text("utf-8"))
