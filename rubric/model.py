"""The rubric loaded from rubric.toml: categories with weights, criteria with rules and probes."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

RUBRIC_FILE = Path(__file__).parent / "rubric.toml"
PHASE_IDS = ("clarify", "framing", "data_features", "model_serving", "scale_monitoring", "tradeoffs")


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    weight: int
    drillable: bool = True  # a short drill can practise it on its own


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    category: str
    phase: Literal["clarify", "framing", "data_features", "model_serving", "scale_monitoring", "tradeoffs"]
    name: str
    must_probe: bool = False
    must_have: bool = False
    special: Literal["clarifying_questions", "handling_probes"] | None = None
    met: list[list[str]] = []
    partial: list[list[str]] = []
    probes: list[str] = []


class Mistake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    title: str
    why: str
    criterion: str | None = None
    special: Literal["model_in_clarify"] | None = None


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    categories: list[Category]
    criteria: list[Criterion]
    phrases: dict[str, list[str]]
    guards: dict[str, list[str]]
    tradeoff_questions: dict[str, list[str]]
    mistakes: list[Mistake]

    def criterion(self, cid: str) -> Criterion:
        return self._by_id[cid]

    @property
    def _by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def in_category(self, category_id: str) -> list[Criterion]:
        return [c for c in self.criteria if c.category == category_id]

    def weight_each(self, c: Criterion) -> float:
        """A criterion's share of its category's weight: how much missing it costs."""
        return self.category(c.category).weight / len(self.in_category(c.category))

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def phases_of(self, category_id: str) -> list[str]:
        """The phases where a category's criteria are asked about, in interview order."""
        used = {c.phase for c in self.in_category(category_id)}
        return [p for p in PHASE_IDS if p in used]

    def in_phase(self, phase: str) -> list[Criterion]:
        return [c for c in self.criteria if c.phase == phase]


@cache
def load_rubric(path: Path = RUBRIC_FILE) -> Rubric:
    return Rubric.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
