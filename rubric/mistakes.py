"""The seed's common mistakes, found in a scored transcript."""
from __future__ import annotations

from collections.abc import Callable

from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import Mistake, Rubric
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.text import sentences
from mlsd.rubric.transcript import Transcript


def find_mistakes(report: ScoreReport, transcript: Transcript, rubric: Rubric,
                  phase_at: Callable[[int], str] | None = None) -> list[Mistake]:
    """A criterion-linked mistake counts when the criterion was missed or only came after a probe."""
    found: list[Mistake] = []
    for mistake in rubric.mistakes:
        if mistake.criterion:
            c = report.criterion(mistake.criterion)
            if c and (c.status in ("missed", "partial") or c.prompted):
                found.append(mistake)
        elif mistake.special == "model_in_clarify" and _model_talk_in_clarify(transcript, rubric, phase_at):
            found.append(mistake)
    return found


def _model_talk_in_clarify(transcript: Transcript, rubric: Rubric, phase_at) -> bool:
    book = PhraseBook(rubric)
    for turn in transcript.turns:
        phase = turn.phase or (phase_at(turn.elapsed) if phase_at else ("clarify" if turn.elapsed < 300 else None))
        if turn.speaker == "candidate" and phase == "clarify":
            if any("model_family" in Sentence(s, book).matches for s in sentences(turn.text)):
                return True
    return False
