"""How well the interviewer did in one simulated session, read from the transcript and the
moves behind it: phases reached on time, must-probes asked when missing, questions about what
the last two answers covered, filler, questions that picked up the candidate's own choices,
and case facts said without being asked for. The transcript is read again by a fresh
evidence tracker, so nothing is taken from the policy's own bookkeeping."""
from __future__ import annotations

import re

from pydantic import BaseModel

from mlsd.core.plan import Plan
from mlsd.core.transcript import Turn
from mlsd.interviewer.choices import choices_in
from mlsd.interviewer.listening import RECENT, criteria_shown
from mlsd.interviewer.move import Move
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.text import is_question, sentences
from mlsd.rubric.tracker import EvidenceTracker, TurnEvidence

# A phase is reached on time when the interviewer moves on within this many of its turns
# after the phase's start: the first, or after a must-probe or two of the phase before.
ON_TIME_TURNS = 3
_FIGURE = re.compile(r"\b\d[\d,.]*\s?(?:%|[a-z]+)", re.IGNORECASE)
QUESTION_KINDS = ("probe", "follow_up", "deep_dive", "tradeoff", "curveball", "transition", "nudge")


class RunMetrics(BaseModel):
    interviewer_turns: int
    phases_on_time: int
    phases: int
    late_phases: list[str]
    must_probe_missing: int
    must_probe_probed: int
    must_probe_recall: float
    redundant_questions: int
    redundant: list[str]          # the redundant questions, for reading
    fillers: int
    filler_share: float
    grounded_follow_ups: int
    facts_volunteered: int
    volunteered: list[str]        # "turn 12: 100 ms"
    tradeoffs_asked: int
    curveballs_asked: int


def figures(text: str) -> set[str]:
    """Numbers with their unit ("100 ms", "5 million", "0.1%"), written one way."""
    return {re.sub(r"[\s,]", "", m.group(0).lower()) for m in _FIGURE.finditer(text)}


def measure(turns: list[Turn], moves: list[Move], case: Case, plan: Plan, rubric: Rubric,
            check_wording: bool = True) -> RunMetrics:
    """`moves` are the interviewer's, one per interviewer turn and in order. `check_wording`:
    the reply is ours to read (offline), so a grounded question must name the choice."""
    numbered = list(enumerate(turns))
    asking = [(i, t) for i, t in numbered if t.speaker == "interviewer"]
    move_at = {i: moves[n] for n, (i, _) in enumerate(asking) if n < len(moves)}
    evidence = _replay(turns, case, plan, rubric)
    on_time, late = _phases_on_time(plan, asking, move_at)
    missing, probed = _must_probes(turns, move_at, evidence, case, plan, rubric)
    redundant = _redundant(turns, move_at, evidence, rubric)
    fillers = sum(1 for m in move_at.values() if m.kind == "go_on" or (m.kind == "follow_up" and not m.question))
    grounded = _grounded(turns, move_at, check_wording)
    volunteered = _volunteered(turns, move_at, case)
    return RunMetrics(
        interviewer_turns=len(asking), phases_on_time=on_time, phases=len(plan.phases) - 1, late_phases=late,
        must_probe_missing=missing, must_probe_probed=probed, must_probe_recall=probed / missing if missing else 1.0,
        redundant_questions=len(redundant), redundant=redundant, fillers=fillers,
        filler_share=fillers / len(asking) if asking else 0.0, grounded_follow_ups=grounded,
        facts_volunteered=len(volunteered), volunteered=volunteered,
        tradeoffs_asked=sum(1 for m in move_at.values() if m.kind == "tradeoff"
                            or (m.kind == "transition" and m.question in {t.question for t in case.tradeoffs})),
        curveballs_asked=sum(1 for m in move_at.values() if m.kind == "curveball"))


def _replay(turns: list[Turn], case: Case, plan: Plan, rubric: Rubric) -> dict[int, TurnEvidence]:
    tracker = EvidenceTracker(rubric, case, plan)
    return {i: tracker.add(t) for i, t in enumerate(turns)}


def _phases_on_time(plan: Plan, asking: list[tuple[int, Turn]], move_at: dict[int, Move]) -> tuple[int, list[str]]:
    late: list[str] = []
    for phase in plan.phases[1:]:
        after = [i for i, t in asking if t.elapsed >= phase.start][:ON_TIME_TURNS]
        if not any(move_at.get(i) is not None and move_at[i].transition_to == phase.id for i in after):
            late.append(phase.id)
    return len(plan.phases) - 1 - len(late), late


def _must_probes(turns: list[Turn], move_at: dict[int, Move], evidence: dict[int, TurnEvidence], case: Case,
                 plan: Plan, rubric: Rubric) -> tuple[int, int]:
    """A must-probe criterion is missing when the candidate had shown nothing of it by the time
    it was probed or its phase was left; it is probed when that happened before leaving."""
    missing = probed = 0
    for c in rubric.criteria:
        if not c.must_probe or c.id in case.not_applicable or plan.index_of(c.phase) < 0:
            continue
        leave = next((i for i, m in move_at.items()
                      if m.transition_to and plan.index_of(m.transition_to) > plan.index_of(c.phase)), len(turns))
        probe = next((i for i, m in move_at.items() if m.probe == c.id), None)
        deadline = min(leave, probe) if probe is not None else leave
        if any(evidence[i].hits.get(c.id) for i in range(deadline) if turns[i].speaker == "candidate"):
            continue
        missing += 1
        probed += probe is not None and probe < leave
    return missing, probed


def _redundant(turns: list[Turn], move_at: dict[int, Move], evidence: dict[int, TurnEvidence],
               rubric: Rubric) -> list[str]:
    out = []
    for i, move in move_at.items():
        if move.kind not in QUESTION_KINDS or not move.question:
            continue
        answers = [j for j in range(i) if turns[j].speaker == "candidate"][-RECENT:]
        covered: set[str] = set()
        for j in answers:
            covered |= criteria_shown(evidence[j], rubric) | {c.kind for c in choices_in(turns[j].text, j + 1)}
            if any(is_question(s.text) for s in sentences(turns[j].text)):
                covered.add("clarifying_questions")
        if covered & (set(move.about) | ({move.probe} if move.probe else set())):
            out.append(move.question)
    return out


def _grounded(turns: list[Turn], move_at: dict[int, Move], check_wording: bool) -> int:
    n = 0
    for i, move in move_at.items():
        choice = move.choice
        if choice is None:
            continue
        said_before = any(t.speaker == "candidate" and choice.sentence in t.text for t in turns[:i])
        named = not check_wording or choice.term.lower() in turns[i].text.lower()
        n += said_before and named
    return n


def _volunteered(turns: list[Turn], move_at: dict[int, Move], case: Case) -> list[str]:
    """Figures from the case's facts in an interviewer turn before the candidate asked for them
    (or said them): the case's prompt and the minute mark of a transition do not count."""
    known = figures(case.prompt)
    revealed: set[str] = set()
    out = []
    for i, turn in enumerate(turns):
        if turn.speaker == "candidate":
            known |= figures(turn.text)
            continue
        move = move_at.get(i)
        if move is None or move.kind == "open":
            continue
        revealed |= {f.id for f in move.facts}
        known |= {fig for f in case.facts if f.id in revealed for fig in figures(f.answer)}
        said = figures(turn.text) - known - {f"{round(move.elapsed / 60)}minutes"}
        unasked = {fig for f in case.facts if f.id not in revealed for fig in figures(f.answer)}
        out += [f"turn {i + 1}: {fig}" for fig in sorted(said & unasked)]
    return out
