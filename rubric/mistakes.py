"""The seed's common mistakes, found in a scored transcript."""
from __future__ import annotations

from mlsd.core.plan import OPENING, Plan
from mlsd.core.status import Status
from mlsd.core.transcript import Transcript
from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import Mistake, Rubric
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.text import sentences


def find_mistakes(report: ScoreReport, transcript: Transcript, rubric: Rubric,
                  plan: Plan | None = None) -> list[Mistake]:
    """A criterion-linked mistake counts when the criterion was missed or only came after a probe."""
    found: list[Mistake] = []
    for mistake in rubric.mistakes:
        if mistake.criterion:
            c = report.criterion(mistake.criterion)
            if c and (c.status in (Status.MISSED, Status.PARTIAL) or c.prompted):
                found.append(mistake)
        elif mistake.special == "model_in_clarify" and _model_talk_in_clarify(transcript, rubric,
                                                                               plan or Plan.scaled()):
            found.append(mistake)
    return found


def standing(mistake: Mistake, report: ScoreReport) -> str:
    """How the mistake's criterion stood, in the criteria table's words, so the two agree."""
    c = report.criterion(mistake.criterion) if mistake.criterion else None
    if c is None:
        return ""
    if c.status == Status.MET:
        return "met only after a probe"
    said = {Status.MISSED: "missed", Status.PARTIAL: "partly met"}.get(c.status, str(c.status))
    return said + (", after a probe" if c.prompted else "")


def _model_talk_in_clarify(transcript: Transcript, rubric: Rubric, plan: Plan) -> bool:
    book = PhraseBook(rubric)
    for turn in transcript.turns:
        if turn.speaker == "candidate" and plan.phase_of(turn) == OPENING \
                and any("model_family" in Sentence(s, book).matches for s in sentences(turn.text)):
            return True
    return False
