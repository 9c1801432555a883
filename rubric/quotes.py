"""Quotes a scorer offers as evidence, held to what counts as evidence, whoever offers them
(the LLM judge, a report in an imported file). A met or partial criterion stands only on a
quote that is copied from the candidate turn it names, at least a few words long, inside one
sentence that itself supports the criterion (rubric/support.py) and is not addressed to a
grader, and not already backing what a criterion of another category says. One that fails
is dropped: the criterion is missed. A judge's claims are first held to the offline
checklist's reading where it saw recitation (check_judge_claims)."""
from __future__ import annotations

from typing import NamedTuple

from mlsd.core.status import Status
from mlsd.core.transcript import Transcript, Turn
from mlsd.prompts.case import Case
from mlsd.rubric.judge_guard import ChecklistView, hold_to_checklist
from mlsd.rubric.level import with_level
from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import Criterion, Rubric
from mlsd.rubric.score import CriterionScore, Scorer, ScoreReport, assemble
from mlsd.rubric.support import supports
from mlsd.rubric.text import is_question, sentences, words
from mlsd.rubric.tracker import diagram_flow

# Fewer words than this show nothing: " ", "a", "cold start" are words, not evidence.
MIN_QUOTE_WORDS = 4
# A clarifying question is short; three words ("What's the budget?") already ask something.
MIN_QUESTION_WORDS = 3


def check_claims(claims: list[CriterionScore], transcript: Transcript, case: Case | None, rubric: Rubric,
                 scorer: Scorer) -> ScoreReport:
    """The claims (criterion scores as a scorer gave them) as a ScoreReport, keeping only
    those whose quotes are evidence."""
    checker = _Checker(transcript, case, rubric)
    na = set(case.not_applicable) if case else set()
    claimed = _first_claims(claims)
    backs: dict[tuple[int | None, int], str] = {}  # a sentence -> the category its quotes back
    criteria: dict[str, CriterionScore] = {}
    for criterion in rubric.criteria:
        if criterion.id in na:
            criteria[criterion.id] = CriterionScore(id=criterion.id, status=Status.NA)
            continue
        c = claimed.get(criterion.id)
        if c is None or not c.status.earned:  # a "missed" keeps the scorer's reason for it
            criteria[criterion.id] = CriterionScore(id=criterion.id, status=Status.MISSED,
                                                    rationale=c.rationale if c else None)
            continue
        quote = checker.evidence(c, criterion)
        # A question asked or a probe answered is shown by what a sentence does, not by what it
        # says: those two may share a sentence with what it says.
        taken = quote is not None and criterion.ruled and \
            backs.setdefault(quote.sentence, criterion.category) != criterion.category
        if quote is None or taken:
            # The reason rested on a quote that failed: it goes with it.
            criteria[criterion.id] = CriterionScore(id=criterion.id, status=Status.MISSED)
            continue
        criteria[criterion.id] = CriterionScore(id=criterion.id, status=c.status, prompted=c.prompted, turn=c.turn,
                                                quote=quote.text, rationale=c.rationale)
    return with_level(assemble(rubric, scorer, case.id if case else transcript.case_id, criteria), rubric)


def check_judge_claims(claims: list[CriterionScore], transcript: Transcript, case: Case | None, rubric: Rubric,
                       checklist: ChecklistView) -> ScoreReport:
    """A judge's claims (one sample's, or an imported judge report's) held to every check:
    first to the checklist's credit where it saw recitation or a note to a grader, with the
    reason written into the claim (rubric/judge_guard.py), then as evidence."""
    claimed = _first_claims(claims)
    as_claimed = {c.id: claimed.get(c.id) or CriterionScore(id=c.id, status=Status.MISSED) for c in rubric.criteria}
    report = assemble(rubric, "llm", case.id if case else transcript.case_id, as_claimed)
    held = hold_to_checklist(report, transcript, checklist.places, rubric)
    return check_claims(held.all_criteria(), transcript, case, rubric, "llm")


def _first_claims(claims: list[CriterionScore]) -> dict[str, CriterionScore]:
    """A claim per criterion id: of a criterion claimed twice, the first claim counts."""
    out: dict[str, CriterionScore] = {}
    for claim in claims:
        out.setdefault(claim.id, claim)
    return out


class _Quote(NamedTuple):
    text: str
    sentence: tuple[int | None, int]  # the turn it is in (None: the diagram), and where in it


class _Checker:
    def __init__(self, transcript: Transcript, case: Case | None, rubric: Rubric) -> None:
        self.transcript, self.case, self.rubric = transcript, case, rubric
        self.turns = dict(transcript.numbered())
        self.book = PhraseBook(rubric, case)

    def evidence(self, claim: CriterionScore, criterion: Criterion) -> _Quote | None:
        """The claim's quote, and the sentence it shows the criterion in; None if it does not."""
        quote = (claim.quote or "").strip()
        if not quote:
            return None
        if claim.turn is None:  # only the diagram speaks without a turn, and only for itself
            flow = diagram_flow(self.transcript.diagram)
            return _Quote(quote, (None, 0)) if criterion.special == "diagram" and flow and quote in flow else None
        said = self.turns.get(claim.turn)
        if said is None or said.speaker != "candidate":
            return None
        before = self.turns.get(claim.turn - 1)
        asked = before if before is not None and before.speaker == "interviewer" else None
        for span in sentences(said.text):
            if quote not in span.text or Sentence(span, self.book).guarded:
                continue
            enough = MIN_QUESTION_WORDS if is_question(span.text) else MIN_QUOTE_WORDS
            if len(words(quote)) >= enough and self._shows(criterion, span.text, asked):
                return _Quote(quote, (claim.turn, span.start))
        return None

    def _shows(self, criterion: Criterion, sentence: str, asked: Turn | None) -> bool:
        # Two criteria are judged from the turns as a whole, not from what one sentence says:
        # a sentence shows them by being a question of the candidate's, or an answer to one.
        if criterion.special == "clarifying_questions":
            return is_question(sentence)
        if criterion.special == "handling_probes":
            return asked is not None and not is_question(sentence)
        return supports(sentence, criterion.id, self.case, asked.text if asked else None, self.rubric)
