"""Score reports for people: Markdown and HTML through the templates in prompts/, or JSON."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from mlsd.core.plan import Plan
from mlsd.core.status import Status
from mlsd.core.transcript import Transcript, stamp
from mlsd.prompts.templates import render
from mlsd.rubric.agreement import Agreement
from mlsd.rubric.consensus import disagreements
from mlsd.rubric.debrief import Debrief
from mlsd.rubric.level import with_level
from mlsd.rubric.mistakes import find_mistakes, standing
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.timing import Timing, legend, strip

FORMATS = ("md", "html", "json")
MARK = {Status.MET: "✔", Status.PARTIAL: "◐", Status.MISSED: "✘", Status.NA: "–"}
STRIP_WIDTH = 72  # columns of the timeline strip in exports


def about(report: ScoreReport, rubric: Rubric) -> str:
    """What this scorer's number is, what it cannot read, and where to get the other view."""
    return rubric.about.get(report.scorer, "")


def with_estimate(report: ScoreReport, rubric: Rubric) -> ScoreReport:
    """A report stored before levels existed gets its estimate when it is shown."""
    return report if report.level is not None else with_level(report, rubric)


class ReportDocument(ScoreReport):
    """The report JSON: the headline Score JSON (the judge's when there is one) and the
    session's time use; beside a judge's score, the offline checklist and how far they agree;
    the debrief."""

    SPARSE: ClassVar[tuple[str, ...]] = ("samples", "checklist", "agreement", "judge_note")

    timing: Timing | None = None
    checklist: ScoreReport | None = None
    agreement: Agreement | None = None
    judge_note: str | None = None
    debrief: Debrief | None = None


@dataclass
class ReportInput:
    report: ScoreReport
    transcript: Transcript
    title: str
    meta: dict[str, str]
    others: list[ScoreReport] | None = None  # other scorers' reports for the same session
    timing: Timing | None = None
    agreement: Agreement | None = None  # the judge (the report) against the offline checklist
    debrief: Debrief | None = None
    judge_note: str | None = None       # why the judge is not the headline though one was asked for

    @property
    def checklist(self) -> ScoreReport | None:
        """The offline checklist beside a judge's headline."""
        return next((o for o in self.others or [] if o.scorer == "offline"), None) if self.agreement else None


def render_report(data: ReportInput, fmt: str, rubric: Rubric | None = None, plan: Plan | None = None) -> str:
    if fmt == "json":
        doc = ReportDocument(**data.report.model_dump(), timing=data.timing, checklist=data.checklist,
                             agreement=data.agreement, judge_note=data.judge_note, debrief=data.debrief)
        return doc.model_dump_json(indent=2) + "\n"
    rubric = rubric or load_rubric()
    names = {c.id: c.name for c in rubric.criteria}
    cats = {c.id: c.name for c in rubric.categories}
    turns = dict(data.transcript.numbered())
    stamps = {n: stamp(t.elapsed) for n, t in turns.items()}
    return render(
        f"report.{fmt}.j2", d=data, names=names, cats=cats, mark=MARK, stamp=stamps, scorer=scorer_name,
        short=short_name, wide=[(cats[c], data.report.categories[c].spread) for c in disagreements(data.report)],
        mistakes=find_mistakes(data.report, data.transcript, rubric, plan), about=about(data.report, rubric),
        strip=strip(data.timing, STRIP_WIDTH) if data.timing else None,
        legend=legend(data.timing) if data.timing else "", signed=signed, stamp_s=stamp,
        standing=lambda m: standing(m, data.report),
        bar=lambda score, width=20: "█" * round(score / 100 * width) + "░" * (width - round(score / 100 * width)),
    )


def scorer_name(report: ScoreReport) -> str:
    """Which scorer a report is from, as reports say it."""
    if report.scorer == "llm":
        return "LLM judge" + (f", median of {report.samples} samples" if report.samples and report.samples > 1 else "")
    return "offline checklist"


def short_name(report: ScoreReport) -> str:
    return "judge" if report.scorer == "llm" else "checklist"


def signed(seconds: int) -> str:
    """A difference of times as +mm:ss or -mm:ss."""
    return ("-" if seconds < 0 else "+") + stamp(abs(seconds))
