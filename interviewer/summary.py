"""The running summary an LLM interviewer gets in place of the earlier turns: per phase,
what the candidate asked and covered, which facts were revealed and what was probed. Built
from the transcript and the evidence tracker, so it costs no LLM call."""
from __future__ import annotations

from mlsd.core.plan import Plan
from mlsd.core.transcript import Turn
from mlsd.interviewer.clarify import facts_asked
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.tracker import EvidenceTracker


def running_summary(turns: list[Turn], upto: int, plan: Plan, case: Case, rubric: Rubric,
                    tracker: EvidenceTracker) -> str:
    """A summary of turns[:upto]."""
    if upto <= 0:
        return ""
    names = {c.id: c.name for c in rubric.criteria}
    lines = ["Summary of the interview so far (earlier turns are not repeated here):"]
    by_phase: dict[str, list[tuple[int, Turn]]] = {}
    for n, turn in enumerate(turns[:upto], start=1):
        by_phase.setdefault(plan.phase_of(turn), []).append((n, turn))
    for phase in plan.phases:
        items = by_phase.get(phase.id)
        if not items:
            continue
        first, last = items[0][0], items[-1][0]
        asked = [t for _, t in items if t.speaker == "candidate" and "?" in t.text]
        revealed = sorted({f.about for _, t in items if t.speaker == "candidate" for f in facts_asked(case, t.text)})
        probes = [names.get(t.probe, t.probe) for _, t in items if t.speaker == "interviewer" and t.probe]
        covered = [names[cid] for cid, f in tracker.findings.items()
                   if f.level and f.turn is not None and first <= f.turn <= last]
        parts = [f"- {phase.title} (turns {first}-{last}):"]
        if asked:
            parts.append(f"the candidate asked {len(asked)} question{'s' if len(asked) > 1 else ''}")
        if revealed:
            parts.append("facts already given: " + "; ".join(revealed))
        if covered:
            parts.append("the candidate covered: " + "; ".join(covered))
        if probes:
            parts.append("you already probed: " + "; ".join(probes))
        lines.append(" ".join(parts[:1]) + " " + ". ".join(parts[1:]) + ("." if len(parts) > 1 else " small talk."))
    return "\n".join(lines)
