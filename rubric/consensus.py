"""Several samples of the judge made into one report: per criterion the median status (the
lower of the two middles when the count is even, so a tie never rounds up), with the quote,
turn and rationale of a sample that gave that status; per category, how far the samples'
scores ranged. One sample is a judge that cannot disagree with itself, so it has no spread."""
from __future__ import annotations

from mlsd.core.status import Status
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import CriterionScore, ScoreReport, assemble

RANK = {Status.MISSED: 0, Status.PARTIAL: 1, Status.MET: 2}
# Category scores this many points apart across samples: the judge disagreed with itself.
WIDE_SPREAD = 25.0


def median_status(statuses: list[Status]) -> Status:
    if Status.NA in statuses:
        return Status.NA  # from the case file: every sample has it
    ordered = sorted(statuses, key=RANK.__getitem__)
    return ordered[(len(ordered) - 1) // 2]


def consensus(samples: list[ScoreReport], rubric: Rubric) -> ScoreReport:
    if not samples:
        raise ValueError("no judge samples to combine")
    criteria: dict[str, CriterionScore] = {}
    for c in rubric.criteria:
        claims = [s.criterion(c.id) or CriterionScore(id=c.id, status=Status.MISSED) for s in samples]
        status = median_status([x.status for x in claims])
        criteria[c.id] = next(x for x in claims if x.status == status)
    first = samples[0]
    report = assemble(rubric, first.scorer, first.case, criteria)
    for cid, cat in report.categories.items():
        scores = [s.categories[cid].score for s in samples]
        cat.spread = round(max(scores) - min(scores), 1) if len(samples) > 1 else None
    return report.model_copy(update={"samples": len(samples)})


def disagreements(report: ScoreReport) -> list[str]:
    """The categories where the sampled judge's scores ranged widely."""
    return [cid for cid, cat in report.categories.items() if cat.spread is not None and cat.spread >= WIDE_SPREAD]
