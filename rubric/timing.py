"""Time use: how a session's time went against its plan. Each phase's actual time is the
time spent on that phase's topics, read from what the candidate talked about (the evidence
tracker's criteria per turn) and falling back to the clock only for turns that touch none;
with it the minute of the first question, the pace and share of talk, and the minute each
must-have topic first came up."""
from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from pydantic import BaseModel

from mlsd.core.plan import SHORT, Phase, Plan
from mlsd.core.transcript import Transcript, Turn
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.text import is_question, sentences, words
from mlsd.rubric.tracker import EvidenceTracker

# One letter per phase for the timeline strip, the same in every plan (a drill shows the
# letters of the full interview, so time off the drill's topic is visible as such).
LETTERS: dict[str, str] = {phase_id: short[:1] for phase_id, short in SHORT.items()}
SILENT = "·"
# Tradeoffs revisits the whole design: a turn in its window is tradeoff talk whatever it
# names, unless it answers a probe on a topic left uncovered (then it is catching up on it).
BY_CLOCK = {"tradeoffs"}


class PhaseTime(BaseModel):
    id: str
    planned_s: int
    actual_s: int
    title: str = ""
    start_s: int = 0  # where the plan puts it

    @property
    def end_s(self) -> int:
        return self.start_s + self.planned_s


class Segment(BaseModel):
    """A stretch of the session spent on one phase's topics."""

    start_s: int
    end_s: int
    topic: str


class FirstMention(BaseModel):
    id: str                 # criterion id
    at_s: int | None        # when it first came up; None: never
    after_probe: bool = False


class Timing(BaseModel):
    total_s: int
    phases: list[PhaseTime]
    off_plan_s: int = 0     # time on topics of phases the plan does not have (a drill's other topics)
    first_question_s: int | None = None
    words_per_minute: float | None = None
    talk_share: float | None = None  # the candidate's share of the words said, 0-1
    must_have: list[FirstMention] = []
    segments: list[Segment] = []

    def phase(self, phase_id: str) -> PhaseTime | None:
        return next((p for p in self.phases if p.id == phase_id), None)


def time_use(transcript: Transcript, plan: Plan, rubric: Rubric,
             case: Case | None = None, focus: str | None = None) -> Timing:
    """`focus`: a drill's category; its must-have topics are the only ones it reports."""
    turns = transcript.turns
    phases = plan.phases
    total = max([plan.total] + [t.elapsed for t in turns])
    tracker = EvidenceTracker(rubric, case, plan)
    segments: list[Segment] = []
    said = {"candidate": 0, "interviewer": 0}
    candidate_s = 0
    first_question: int | None = None
    first_seen: dict[str, tuple[int, bool]] = {}
    for turn, (start, end) in zip(turns, _spans(turns), strict=True):
        evidence = tracker.add(turn)
        said[turn.speaker] += len(words(turn.text))
        if turn.speaker == "interviewer":
            probe_topic = rubric.criterion(turn.probe).phase if turn.probe in rubric.criterion_ids else None
            segments += _split(start, end, {probe_topic: 1}) if probe_topic else _by_clock(start, end, phases)
            continue
        candidate_s += end - start
        if first_question is None and _asks(turn):
            first_question = turn.elapsed
        clock = turn.phase or plan.phase_id_at(turn.elapsed)
        weights: dict[str, int] = {}
        for cid, level in evidence.hits.items():
            probed = tracker.probed.get(cid)
            first_seen.setdefault(cid, (turn.elapsed, probed is not None and probed < tracker.turn_no))
            if clock not in BY_CLOCK or probed == tracker.turn_no - 1:
                weights[rubric.criterion(cid).phase] = weights.get(rubric.criterion(cid).phase, 0) + level
        order = [p.id for p in phases]
        ranked = sorted(weights, key=lambda p: order.index(p) if p in order else len(order))
        segments += _split(start, end, {p: weights[p] for p in ranked}) if weights else _by_clock(start, end, phases)
    segments = _merged(segments)
    spent = {p.id: 0 for p in phases}
    off_plan = 0
    for seg in segments:
        if seg.topic in spent:
            spent[seg.topic] += seg.end_s - seg.start_s
        else:
            off_plan += seg.end_s - seg.start_s
    na = set(case.not_applicable) if case else set()
    return Timing(
        total_s=total,
        phases=[PhaseTime(id=p.id, title=p.title, start_s=p.start, planned_s=p.end - p.start, actual_s=spent[p.id])
                for p in phases],
        off_plan_s=off_plan,
        first_question_s=first_question,
        words_per_minute=round(said["candidate"] / (candidate_s / 60), 1) if candidate_s else None,
        talk_share=round(said["candidate"] / sum(said.values()), 2) if sum(said.values()) else None,
        must_have=[FirstMention(id=c.id, at_s=first_seen[c.id][0], after_probe=first_seen[c.id][1])
                   if c.id in first_seen else FirstMention(id=c.id, at_s=None)
                   for c in rubric.criteria
                   if c.must_have and c.id not in na and (focus is None or c.category == focus)],
        segments=segments,
    )


def stamped_at_send(turns: list[Turn]) -> bool:
    """Sessions recorded by mlsd stamp a turn when it is sent, and the reply with the same
    second as the answer it follows; transcripts of spoken interviews stamp when a turn
    starts, and no candidate speaks for zero seconds."""
    replies = [(a, b) for a, b in pairwise(turns) if a.speaker == "candidate" and b.speaker == "interviewer"]
    return bool(replies) and sum(a.elapsed == b.elapsed for a, b in replies) * 2 >= len(replies)


def _spans(turns: list[Turn]) -> list[tuple[int, int]]:
    """The stretch of the session each turn took: up to its stamp when turns are stamped as
    they are sent (the candidate was reading and typing), from it to the next otherwise."""
    stamps = [t.elapsed for t in turns]
    if stamped_at_send(turns):
        return list(zip([0, *stamps[:-1]], stamps, strict=True))
    return list(zip(stamps, [*stamps[1:], *stamps[-1:]], strict=True))


def _split(start: int, end: int, weights: dict[str, int]) -> list[Segment]:
    """[start, end) shared out among topics in proportion to their weights, in order."""
    total = sum(weights.values())
    out: list[Segment] = []
    at, acc = start, 0
    for topic, weight in weights.items():
        acc += weight
        until = start + round((end - start) * acc / total)
        if until > at:
            out.append(Segment(start_s=at, end_s=until, topic=topic))
        at = until
    return out


def _by_clock(start: int, end: int, phases: Sequence[Phase]) -> list[Segment]:
    """[start, end) cut where the plan's phases change: for turns that name no topic."""
    out = []
    for p in phases:
        lo, hi = max(start, p.start), min(end, p.end)
        if hi > lo:
            out.append(Segment(start_s=lo, end_s=hi, topic=p.id))
    if phases and end > max(start, phases[-1].end):  # past the end of the plan: still its last phase
        out.append(Segment(start_s=max(start, phases[-1].end), end_s=end, topic=phases[-1].id))
    return out


def _merged(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for seg in segments:
        if out and out[-1].topic == seg.topic and out[-1].end_s == seg.start_s:
            out[-1] = out[-1].model_copy(update={"end_s": seg.end_s})
        else:
            out.append(seg)
    return out


def _asks(turn: Turn) -> bool:
    return any(len(words(s.text)) >= 3 and is_question(s.text) for s in sentences(turn.text))


# ---------------------------------------------------------------------- the timeline strip
class Strip(BaseModel):
    """The session as text columns: minute marks, the plan, and the topics actually covered."""

    axis: str
    planned: str
    covered: str


def letter(phase_id: str) -> str:
    return LETTERS.get(phase_id, phase_id[:1].upper() or "?")


def strip(timing: Timing, width: int) -> Strip:
    width = max(10, width)
    per = max(timing.total_s, 1) / width
    planned, covered = [], []
    for col in range(width):
        lo, hi = col * per, (col + 1) * per
        mid = (lo + hi) / 2
        planned.append(next((letter(p.id) for p in timing.phases if p.start_s <= mid < p.end_s), " "))
        best, topic = 0.0, None
        for seg in timing.segments:
            overlap = min(hi, seg.end_s) - max(lo, seg.start_s)
            if overlap > best:
                best, topic = overlap, seg.topic
        covered.append(letter(topic) if topic else SILENT)
    return Strip(axis=_axis(timing.total_s, width), planned="".join(planned), covered="".join(covered))


def _axis(total_s: int, width: int) -> str:
    """Minute marks under the strip: every 5 minutes, or 10 when 5 would crowd."""
    minutes = total_s / 60
    step = next((s for s in (1, 2, 5, 10, 15, 30) if width / max(minutes / s, 1) >= 5), 60)
    axis = [" "] * width
    mark = 0
    while mark <= minutes:
        col = min(width - 1, round(mark * 60 / max(total_s, 1) * width))
        label = str(mark)
        if col + len(label) > width:
            col = width - len(label)
        if all(c == " " for c in axis[max(0, col - 1):col + len(label)]):
            axis[col:col + len(label)] = label
        mark += step
    return "".join(axis)


def legend(timing: Timing) -> str:
    """What the strip's letters stand for: the plan's phases, then any topic outside the
    plan that the candidate spent time on (in a drill, the other parts of the design)."""
    names = {p.id: p.title or p.id for p in timing.phases}
    for seg in timing.segments:
        names.setdefault(seg.topic, seg.topic.replace("_", " "))
    return "  ".join(f"{letter(pid)} {name}" for pid, name in names.items()) + f"  {SILENT} nothing said"
