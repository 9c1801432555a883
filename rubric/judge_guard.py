"""Where the offline checklist sees recitation or a sentence addressed to a grader, the
judge's claim on that sentence needs more than a quote. The checklist's own claims say where
it saw recitation: a claim crowded with rubric topics, one with nothing of this problem in
it, one held back as recitation, one not backed up when the interviewer asked for more, a
mention in a list of terms, and terms strung together without the words of a sentence. A
judge's claim whose quote falls on such a place, and on no claim of the checklist's that
stands, counts only as far as the checklist's claim there (nothing for a list or a note to
the grader). A judge that can be talked into "met" by a recited list is held to our reading;
on a sentence the checklist did not see at all (a paraphrase), the judge's reading stands."""
from __future__ import annotations

from dataclasses import dataclass

from mlsd.core.plan import Plan
from mlsd.core.status import Level, Status
from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import Rubric
from mlsd.rubric.offline_scorer import RECITED, judged
from mlsd.rubric.score import CriterionScore, ScoreReport, assemble
from mlsd.rubric.text import sentences

LEVEL = {Status.MISSED: Level.MISSED, Status.PARTIAL: Level.PARTIAL, Status.MET: Level.MET}
# The checklist's signals that a claim is recitation rather than an explanation.
HELD_SIGNALS = {"crowded": "crowded with rubric topics", "generic": "about no problem in particular",
           "recitation": "held back as recitation", "thin follow-up": "not backed up when asked for more"}
LISTED = "a list of terms, not an explanation"
GRADER = "addressed to a grader"


@dataclass(frozen=True)
class Place:
    """A stretch of a candidate turn the checklist read: what it credits there for a criterion
    (every criterion when `criterion` is None), and why, if it held back."""

    turn: int
    start: int
    end: int
    criterion: str | None
    credited: Level
    reason: str | None = None  # None: a claim of the checklist's that stands

    def covers(self, turn: int, start: int, end: int, criterion: str) -> bool:
        return self.turn == turn and self.start < end and start < self.end and self.criterion in (None, criterion)


@dataclass(frozen=True)
class ChecklistView:
    places: list[Place]
    recited: list[str]  # the checklist's recitation finding, which caps any scorer's level estimate


def checklist_view(transcript: Transcript, case: Case | None, rubric: Rubric,
                   plan: Plan | None = None) -> ChecklistView:
    """Where the offline checklist read the candidate, what it made of each place, and
    whether it found the whole answer recited."""
    tracker, claim_judge, claims = judged(transcript, case, rubric, plan)
    turns = dict(transcript.numbered())
    places: list[Place] = []
    for cid, found in claims.items():
        for c in found:
            at = turns[c.turn].text.find(c.quote)
            if at >= 0:
                reason = next((HELD_SIGNALS[s] for s in c.signals if s in HELD_SIGNALS), None)
                places.append(Place(c.turn, at, at + len(c.quote), cid, c.status, reason))
    for m in tracker.mentions:
        if m.listed:
            places.append(Place(m.turn, m.start, m.end, m.criterion, Level.MISSED, LISTED))
    # Text the checklist does not read as an explanation at all: a note to the grader, and
    # terms strung together without the words that make a sentence.
    book = PhraseBook(rubric, case)
    for n, turn in turns.items():
        if turn.speaker != "candidate":
            continue
        for span in sentences(turn.text):
            said = Sentence(span, book)
            if said.guarded or not said.is_prose:
                places.append(Place(n, span.start, span.end, None, Level.MISSED, GRADER if said.guarded else LISTED))
    names = {c.id: c.name.lower() for c in rubric.criteria}
    recitation = claim_judge.recitation
    return ChecklistView(places, recitation.reasons(names) if recitation.strength >= RECITED else [])


def hold_to_checklist(report: ScoreReport, transcript: Transcript, places: list[Place],
                      rubric: Rubric) -> ScoreReport:
    """The judge's report with every claim on recited or grader-addressed text held to the
    checklist's credit there."""
    turns = dict(transcript.numbered())
    criteria: dict[str, CriterionScore] = {}
    for cat in report.categories.values():
        for c in cat.criteria:
            criteria[c.id] = c
            n = c.turn
            said = turns.get(n) if n is not None else None
            if not c.status.earned or n is None or said is None or not c.quote or not rubric.criterion(c.id).ruled:
                continue  # judged from the turns as a whole, or drawn in the diagram
            at = said.text.find(c.quote)
            here = [p for p in places if at >= 0 and p.covers(n, at, at + len(c.quote), c.id)]
            held = [p for p in here if p.reason is not None]
            if not held or any(p.reason is None and p.criterion == c.id for p in here):
                continue
            graders = [p for p in held if p.reason == GRADER]
            worst = graders[0] if graders else max(held, key=lambda p: p.credited)
            allowed = worst.credited
            if LEVEL[c.status] <= allowed:
                continue
            note = (f"Held to {allowed.status.value}: the quoted text is {worst.reason}, and the checklist "
                    f"credits {'nothing' if not allowed else 'only a mention'} there.")
            criteria[c.id] = c.model_copy(update={
                "status": allowed.status, "rationale": f"{c.rationale} {note}" if c.rationale else note,
                **({} if allowed else {"quote": None, "turn": None, "prompted": False})})
    held_report = assemble(rubric, report.scorer, report.case, criteria)
    return held_report.model_copy(update={"samples": report.samples})
