"""The level estimate that comes with every score (junior, mid, senior, staff), as interview
rubrics give one, with the signals that put it there. The mapping, also in the README:

- the overall score sets the band: under 35 junior, 35 to 71 mid, 72 to 84 senior, 85 and
  above staff;
- senior and staff also need depth: the points interviewers probe because juniors forget
  them (`depth = true` in rubric.toml: fallback, cold start, point-in-time training data,
  label delay, capacity numbers, retraining trigger, model tradeoffs). Staff needs six of
  the seven met, three of them before any probe; senior needs three met. Short of that the
  estimate drops a band;
- a scorer's recitation finding (concepts named and not backed up) caps the estimate at mid.
"""
from __future__ import annotations

from mlsd.core.status import Status
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import LevelEstimate, LevelName, ScoreReport

BANDS: tuple[tuple[float, LevelName], ...] = ((85, "staff"), (72, "senior"), (35, "mid"), (0, "junior"))
ORDER: list[LevelName] = ["junior", "mid", "senior", "staff"]
STAFF_DEPTH, STAFF_UNPROMPTED, SENIOR_DEPTH = 6, 3, 3


def estimate_level(report: ScoreReport, rubric: Rubric, recitation: list[str] | None = None) -> LevelEstimate:
    names = {c.id: c.name.lower() for c in rubric.criteria}
    band = next(name for floor, name in BANDS if report.overall >= floor)
    reasons = [f"overall {report.overall:.0f}/100 is in the {band} band"]
    depth = [report.criterion(c.id) for c in rubric.criteria if c.depth]
    live = [c for c in depth if c is not None and c.status != Status.NA]
    unprompted = [c for c in live if c.status == Status.MET and not c.prompted]
    met = [c for c in live if c.status == Status.MET]
    # A case that makes some depth points n/a asks for no more than it has.
    staff_need = min(STAFF_DEPTH, len(live))
    senior_need = min(SENIOR_DEPTH, len(live))
    if unprompted:
        reasons.append("met without a probe: " + ", ".join(names[c.id] for c in unprompted))
    prompted = [c for c in met if c.prompted]
    if prompted:
        reasons.append("met only after a probe: " + ", ".join(names[c.id] for c in prompted))
    estimate: LevelName = band
    if estimate == "staff" and (len(met) < staff_need or len(unprompted) < min(STAFF_UNPROMPTED, staff_need)):
        estimate = "senior"
        reasons.append(f"staff needs {staff_need} of the depth points met, {STAFF_UNPROMPTED} of them unprompted; "
                       f"this has {len(met)}, {len(unprompted)} unprompted")
    if estimate == "senior" and len(met) < senior_need:
        estimate = "mid"
        reasons.append(f"senior needs {senior_need} of the depth points met, this has {len(met)}")
    if recitation:
        reasons += recitation
        if ORDER.index(estimate) > ORDER.index("mid"):
            estimate = "mid"
            reasons.append("recitation caps the estimate at mid")
    weakest = min(((cid, cat.score) for cid, cat in report.categories.items()
                   if any(c.status != Status.NA for c in cat.criteria)), key=lambda x: x[1], default=None)
    if weakest is not None:
        cat_name = next(c.name for c in rubric.categories if c.id == weakest[0])
        reasons.append(f"weakest category: {cat_name} ({weakest[1]:.0f})")
    return LevelEstimate(estimate=estimate, reasons=reasons)


def with_level(report: ScoreReport, rubric: Rubric, recitation: list[str] | None = None) -> ScoreReport:
    return report.model_copy(update={"level": estimate_level(report, rubric, recitation)})
