"""Transcripts in from files: a text transcript or a JSON export, read for scoring or stored
as a new session. Errors name the file (and the line or field). Nothing in a file is
trusted: it is read only if it is a regular file of a sane size, its minutes must make a
plan, its scores must name the rubric's own categories, weights and criteria, and even then
they are not kept as claimed: the offline score is computed again, and any other scorer's
claims are checked like the LLM judge's. A session is stored whole, or not at all."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mlsd.core.files import MB, read_text
from mlsd.core.plan import Plan, minutes_problem
from mlsd.core.transcript import Transcript
from mlsd.interviewer.drill import drill_categories
from mlsd.prompts.case import Case
from mlsd.prompts.loader import CaseCatalog
from mlsd.rubric.judge_guard import checklist_view
from mlsd.rubric.level import with_level
from mlsd.rubric.model import Rubric
from mlsd.rubric.quotes import check_judge_claims
from mlsd.rubric.score import ScoreReport
from mlsd.sessions.scoring import finish, marked_phases, offline_score, plan_of
from mlsd.sessions.store import SessionRow, Store, now_iso
from mlsd.sessions.transcript_json import SessionExport, from_json, looks_like_json
from mlsd.sessions.transcript_text import TranscriptError, parse_text

# A four-hour session is about 100 KB of text; this is fifty of them.
TRANSCRIPT_LIMIT = 5 * MB


@dataclass
class Loaded:
    """A transcript file as read: the transcript, the plan it was recorded under, and the
    whole export when it was JSON."""

    transcript: Transcript
    plan: Plan
    export: SessionExport | None = None


def read_file(path: Path) -> str:
    return read_text(path, TRANSCRIPT_LIMIT, "a transcript", TranscriptError)


def _as_transcript(export: SessionExport) -> Transcript:
    s = export.session
    headers = {"case": s.case_id, "minutes": f"{s.minutes:g}"} | ({"focus": s.focus} if s.focus else {})
    return Transcript(case_id=s.case_id, headers=headers, turns=export.turns, diagram=s.diagram)


def load_file(path: Path, rubric: Rubric) -> Loaded:
    """A text transcript or a JSON export, read and checked."""
    source, text = str(path), read_file(path)
    if not looks_like_json(text):
        transcript = parse_text(text, source)
        return Loaded(transcript, plan_of(transcript, rubric, source))
    export = from_json(text, source)
    s = export.session
    if problem := minutes_problem(s.minutes):
        raise TranscriptError(f"{source}: session.minutes: {problem}")
    if s.focus is not None and s.focus not in drill_categories(rubric):
        raise TranscriptError(f"{source}: session.focus: {s.focus!r} is not a category that can be drilled")
    transcript = _as_transcript(export)
    plan = plan_of(transcript, rubric, source)
    for scorer, report in export.scores.items():
        _check_scores(report, scorer, rubric, plan, f"{source}: scores.{scorer}")
    return Loaded(transcript, plan, export)


def read_transcript(path: Path, rubric: Rubric) -> Transcript:
    """A text transcript or a JSON export, as a transcript."""
    return load_file(path, rubric).transcript


def _check_scores(report: ScoreReport, scorer: str, rubric: Rubric, plan: Plan, where: str) -> None:
    """The rubric's categories (a drill's one) with their weights, each with its own criteria
    once: a report naming anything else cannot be shown, let alone trusted."""
    if scorer != report.scorer:
        raise TranscriptError(f"{where}.scorer: {report.scorer!r} is filed under {scorer!r}")
    weights = {c.id: c.weight for c in rubric.categories}
    for cid, cat in report.categories.items():
        if cid not in weights:
            raise TranscriptError(f"{where}.categories: unknown category {cid!r}")
        if cat.weight != weights[cid]:
            raise TranscriptError(f"{where}.categories.{cid}.weight: {cat.weight} is not the rubric's {weights[cid]}")
        want = [c.id for c in rubric.in_category(cid)]
        for n, c in enumerate(cat.criteria):
            if c.id not in want:
                raise TranscriptError(f"{where}.categories.{cid}.criteria[{n}].id: unknown criterion {c.id!r}")
        if sorted(c.id for c in cat.criteria) != sorted(want):
            raise TranscriptError(f"{where}.categories.{cid}.criteria: expected each of {', '.join(want)} once")
    expected = [plan.focus] if plan.focus else list(weights)
    if sorted(report.categories) != sorted(expected):
        raise TranscriptError(f"{where}.categories: expected {', '.join(expected)}")


def rescored(loaded: Loaded, case: Case | None, rubric: Rubric) -> list[ScoreReport]:
    """The scores to store for an imported session: the offline score computed again (when
    the file had one), and every other scorer's claims kept only where they hold."""
    if loaded.export is None:
        return []
    out = []
    for scorer, claimed in loaded.export.scores.items():
        if scorer == "offline":
            out.append(offline_score(loaded.transcript, case, loaded.plan, rubric))
            continue
        # A judge's report, held to every check a sample of the judge is held to. Its samples
        # and spread cannot be checked: they are not kept.
        plan = loaded.plan
        t = marked_phases(loaded.transcript, plan)  # as the judge reads a session
        view = checklist_view(t, case, rubric, plan)
        checked = check_judge_claims(claimed.all_criteria(), t, case, rubric, view)
        out.append(finish(with_level(checked, rubric, view.recited), case, plan))
    return out


def import_file(store: Store, path: Path, cases: CaseCatalog, rubric: Rubric) -> tuple[SessionRow, int]:
    """Store a text transcript or a JSON export as a new session, in one transaction; returns
    it and its turn count."""
    loaded = load_file(path, rubric)
    # Stored as a session stores its own: turns with their phases (so its marked probes stay
    # the only probes), and the diagram.
    plan = loaded.plan
    t = marked_phases(loaded.transcript, plan)
    case = cases.get(t.case_id or "")
    if loaded.export is not None:
        row = loaded.export.session
    else:
        h = t.headers
        row = SessionRow(id=0, case_id=t.case_id or "unknown", case_title=case.title if case else "",
                         backend=h.get("backend", "imported"), model=h.get("model"), minutes=plan.minutes,
                         started=h.get("started") or now_iso(), status="imported", focus=plan.focus,
                         diagram=t.diagram)
    return store.import_session(row, t.turns, rescored(loaded, case, rubric)), len(t.turns)
