"""The offline scorer: a checklist of claims with support. The evidence tracker finds where
the candidate raised each criterion; each such claim is graded (rubric/claims.py), what does
not apply to this problem is set aside (rubric/applicability.py), and the best claim per
criterion becomes the ScoreReport, with a level estimate."""
from __future__ import annotations

from mlsd.core.plan import Plan
from mlsd.core.status import Level, Status
from mlsd.core.transcript import Transcript
from mlsd.prompts.case import Case
from mlsd.rubric.applicability import applicability
from mlsd.rubric.claims import Claim, ClaimJudge
from mlsd.rubric.level import with_level
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.score import CriterionScore, ScoreReport, assemble, verify_quotes
from mlsd.rubric.tracker import EvidenceTracker, bounded
from mlsd.rubric.vocabulary import ProblemVocabulary

# From this recitation strength on, the level estimate says so and is capped.
RECITED = 0.5


def track(transcript: Transcript, case: Case | None, rubric: Rubric, plan: Plan | None = None,
          vocabulary: ProblemVocabulary | None = None, not_applicable: set[str] | None = None) -> EvidenceTracker:
    tracker = EvidenceTracker(rubric, case, plan, vocabulary, not_applicable)
    for turn in transcript.turns:
        tracker.add(turn)
    tracker.add_diagram(transcript.diagram)
    return tracker


def judged(transcript: Transcript, case: Case | None, rubric: Rubric,
           plan: Plan | None = None) -> tuple[EvidenceTracker, ClaimJudge, dict[str, list[Claim]]]:
    """The whole transcript tracked and every claim graded, by criterion."""
    transcript = transcript.model_copy(update={"turns": [bounded(t) for t in transcript.turns]})
    vocabulary = ProblemVocabulary.of(case, transcript, rubric.problem_words.get("generic", []))
    applies = applicability(transcript, case, rubric)
    tracker = track(transcript, case, rubric, plan, vocabulary, set(applies.not_applicable))
    judge = ClaimJudge(tracker, transcript, vocabulary, rubric)
    return tracker, judge, judge.claims()


def best_claim(claims: list[Claim]) -> Claim | None:
    live = [c for c in claims if c.status >= Level.PARTIAL]
    # The strongest claim; among equals, the one raised without a probe, then the best supported.
    return max(live, key=lambda c: (c.status, not c.prompted, c.support, -c.turn), default=None)


def score_transcript(
    transcript: Transcript,
    case: Case | None = None,
    rubric: Rubric | None = None,
    plan: Plan | None = None,
) -> ScoreReport:
    """Score with the case's facts and n/a list when known; for an unknown case, the generic
    rubric with what applies read from the transcript."""
    rubric = rubric or load_rubric()
    tracker, judge, claims = judged(transcript, case, rubric, plan)
    criteria: dict[str, CriterionScore] = {}
    for cid, f in tracker.results().items():
        criterion = rubric.criterion(cid)
        if not f.applicable:
            criteria[cid] = CriterionScore(id=cid, status=Status.NA)
        elif criterion.special == "handling_probes":
            level, turn, quote = judge.probe_handling(claims)
            criteria[cid] = CriterionScore(id=cid, status=level.status, prompted=bool(level), turn=turn, quote=quote)
        elif not criterion.ruled or (criterion.special == "diagram" and f.level == Level.MET and f.turn is None):
            # Judged from the turns as a whole, or drawn in the diagram pane.
            criteria[cid] = CriterionScore(id=cid, status=f.status, prompted=f.prompted and f.status.earned,
                                           turn=f.turn if f.level else None, quote=f.quote if f.level else None)
        elif (best := best_claim(claims.get(cid, []))) is not None:
            criteria[cid] = CriterionScore(id=cid, status=best.status.status, prompted=best.prompted, turn=best.turn,
                                           quote=best.quote)
        else:
            criteria[cid] = CriterionScore(id=cid, status=Status.MISSED)
    report = assemble(rubric, "offline", case.id if case else transcript.case_id, criteria)
    names = {c.id: c.name.lower() for c in rubric.criteria}
    recited = judge.recitation.reasons(names) if judge.recitation.strength >= RECITED else []
    return with_level(verify_quotes(report, transcript), rubric, recited)
