"""Transcripts in from files: a text transcript or a JSON export, read for scoring or
stored as a new session. Errors name the file (and the line or field)."""
from __future__ import annotations

from pathlib import Path

from mlsd.core.transcript import Transcript, Turn
from mlsd.interviewer.drill import drill_categories
from mlsd.prompts.loader import CaseCatalog
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import ScoreReport
from mlsd.sessions.scoring import marked_phases, plan_of
from mlsd.sessions.store import SessionRow, Store
from mlsd.sessions.transcript_json import SessionExport, from_json
from mlsd.sessions.transcript_text import TranscriptError, parse_text


def read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise TranscriptError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _is_json(text: str) -> bool:
    return text.lstrip().startswith("{")


def _as_transcript(export: SessionExport) -> Transcript:
    s = export.session
    headers = {"case": s.case_id, "minutes": f"{s.minutes:g}"} | ({"focus": s.focus} if s.focus else {})
    return Transcript(case_id=s.case_id, headers=headers, turns=export.turns, diagram=s.diagram)


def read_transcript(path: Path) -> Transcript:
    """A text transcript or a JSON export, as a transcript."""
    text = read_file(path)
    return _as_transcript(from_json(text, str(path))) if _is_json(text) else parse_text(text, str(path))


def import_file(store: Store, path: Path, cases: CaseCatalog, rubric: Rubric) -> tuple[SessionRow, int]:
    """Store a text transcript or a JSON export as a new session; returns it and its turn count."""
    text = read_file(path)
    turns: list[Turn]
    scores: dict[str, ScoreReport]
    if _is_json(text):
        export = from_json(text, str(path))
        s = export.session
        if s.focus is not None and s.focus not in drill_categories(rubric):
            raise TranscriptError(f"{path}: session.focus: {s.focus!r} is not a category that can be drilled")
        row = store.create_session(s.case_id, s.case_title, s.backend, s.minutes, model=s.model, seed=s.seed,
                                   status=s.status, started=s.started, focus=s.focus)
        store.update_session(row.id, ended=s.ended, diagram=s.diagram)
        turns, scores = export.turns, export.scores
    else:
        transcript = parse_text(text, str(path))
        h = transcript.headers
        plan = plan_of(transcript, rubric, str(path))
        case = cases.get(transcript.case_id or "")
        row = store.create_session(transcript.case_id or "unknown", case.title if case else "",
                                   h.get("backend", "imported"), plan.minutes, model=h.get("model"),
                                   status="imported", started=h.get("started"), focus=plan.focus)
        # Stored as a session stores its own: turns with their phases (so its marked probes stay
        # the only probes), and the diagram.
        transcript = marked_phases(transcript, plan)
        if transcript.diagram:
            store.save_diagram(row.id, transcript.diagram, transcript.turns[-1].elapsed)
        turns, scores = transcript.turns, {}
    for turn in turns:
        store.add_turn(row.id, turn)
    for report in scores.values():
        store.save_score(row.id, report)
    return row, len(turns)
