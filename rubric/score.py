"""The ScoreReport: the Score JSON of DESIGN.md as a model, and the arithmetic behind it."""
from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, field_validator, model_serializer

from mlsd.core.printable import without_controls
from mlsd.core.status import Status
from mlsd.core.transcript import Transcript
from mlsd.rubric.model import Rubric

Scorer = Literal["offline", "llm"]
LevelName = Literal["junior", "mid", "senior", "staff"]
# Naming a point without saying how it is handled earns a quarter of saying how.
CREDIT = {Status.MET: 1.0, Status.PARTIAL: 0.25, Status.MISSED: 0.0}
# Raising a point only after the interviewer asked for it is worth less than raising it unprompted.
PROMPTED_FACTOR = 0.75


class _Sparse(BaseModel):
    """A model whose optional extras are left out of its JSON while unset: most reports
    carry none of them, and the Score JSON stays as it was for them."""

    SPARSE: ClassVar[tuple[str, ...]] = ()

    @model_serializer(mode="wrap")
    def _without_unset_extras(self, handler: SerializerFunctionWrapHandler) -> dict:
        data = handler(self)
        for key in self.SPARSE:
            if key in data and data[key] is None:
                del data[key]
        return data


class CriterionScore(_Sparse):
    SPARSE: ClassVar[tuple[str, ...]] = ("reference", "rationale")

    id: str
    status: Status
    prompted: bool = False
    turn: int | None = None
    quote: str | None = None
    reference: str | None = None  # what a strong answer says, on a missed or partial criterion of a known case
    rationale: str | None = None  # the LLM judge's reason for its status

    @field_validator("rationale", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        # A model's words, shown on screens and in reports: no byte a terminal acts on.
        return without_controls(value) if isinstance(value, str) else value

    @property
    def credit(self) -> float:
        base = CREDIT.get(self.status, 0.0)
        return base * PROMPTED_FACTOR if self.prompted and self.status.earned else base


class CategoryScore(_Sparse):
    SPARSE: ClassVar[tuple[str, ...]] = ("spread",)

    weight: int
    score: float = Field(ge=0, le=100)
    criteria: list[CriterionScore]
    # A sampled judge's category scores ranged this many points from lowest to highest.
    spread: float | None = None


class LevelEstimate(BaseModel):
    """The level an interviewer would put this performance at, and the signals that put it there."""

    estimate: LevelName
    reasons: list[str]


class ScoreReport(_Sparse):
    SPARSE: ClassVar[tuple[str, ...]] = ("samples",)

    overall: float = Field(ge=0, le=100)
    scorer: Scorer
    case: str | None
    categories: dict[str, CategoryScore]
    level: LevelEstimate | None = None  # None only in reports stored before levels existed
    samples: int | None = None  # how many judge samples the statuses are the median of

    def criterion(self, cid: str) -> CriterionScore | None:
        return next((c for c in self.all_criteria() if c.id == cid), None)

    def all_criteria(self) -> list[CriterionScore]:
        return [c for cat in self.categories.values() for c in cat.criteria]


def category_score(criteria: list[CriterionScore]) -> float:
    """Mean credit of the applicable criteria: an n/a criterion's share goes to the others."""
    live = [c for c in criteria if c.status != Status.NA]
    return round(100 * sum(c.credit for c in live) / len(live), 1) if live else 0.0


def overall_of(categories: dict[str, CategoryScore]) -> float:
    """Weight-averaged category scores; a category with nothing applicable drops out."""
    live = [c for c in categories.values() if any(x.status != Status.NA for x in c.criteria)]
    total = sum(c.weight for c in live)
    return round(sum(c.weight * c.score for c in live) / total, 1) if total else 0.0


def assemble(rubric: Rubric, scorer: Scorer, case_id: str | None, criteria: dict[str, CriterionScore]) -> ScoreReport:
    categories: dict[str, CategoryScore] = {}
    for cat in rubric.categories:
        items = [criteria[c.id] for c in rubric.in_category(cat.id)]
        categories[cat.id] = CategoryScore(weight=cat.weight, score=category_score(items), criteria=items)
    return ScoreReport(overall=overall_of(categories), scorer=scorer, case=case_id, categories=categories)


def verify_quotes(report: ScoreReport, transcript: Transcript) -> ScoreReport:
    """Every quote must be a verbatim substring of a candidate turn (or, for a quote with no
    turn, of the candidate's diagram); one that is not is dropped, and the criterion it was
    meant to support falls back to missed."""
    texts = transcript.candidate_texts()
    fixed: dict[str, CriterionScore] = {}
    for cat in report.categories.values():
        for c in cat.criteria:
            sources = texts if c.turn is not None else [transcript.diagram] if transcript.diagram.strip() else []
            if c.quote is not None and not any(c.quote in t for t in sources):
                c = c.model_copy(update={"quote": None, "status": Status.MISSED, "turn": None, "prompted": False})
            fixed[c.id] = c
    out = report.model_copy(deep=True)
    for cat in out.categories.values():
        cat.criteria = [fixed[c.id] for c in cat.criteria]
        cat.score = category_score(cat.criteria)
    out.overall = overall_of(out.categories)
    return out


def focused(report: ScoreReport, category: str) -> ScoreReport:
    """A drill's report: the one category it drilled, whose score is the overall."""
    cat = report.categories[category]
    return report.model_copy(update={"categories": {category: cat}, "overall": cat.score})


def level_estimate(report: ScoreReport) -> str | None:
    """The level the scorer put this performance at; reports stored before level estimates
    have none."""
    return report.level.estimate if report.level is not None else None
