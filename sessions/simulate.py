"""`mlsd simulate`: scripted candidates play whole sessions on a fake clock, against the
offline interviewer or an LLM endpoint, through the same session code the app uses, and
each run is measured. A run that raises is counted as a crash and the next run goes on."""
from __future__ import annotations

import asyncio
import random
import tempfile
import traceback
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from pydantic import BaseModel

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.context import Interviewer, TurnContext
from mlsd.interviewer.move import Move
from mlsd.prompts.case import Case
from mlsd.prompts.personas import Persona
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.sessions.candidates import ScriptedCandidate
from mlsd.sessions.pacing import silence_wait
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.sim_metrics import RunMetrics, measure
from mlsd.sessions.store import Store


class RunResult(BaseModel):
    run: int
    seed: int
    crashes: int
    error: str | None = None
    turns: int = 0
    overall: float | None = None
    metrics: RunMetrics | None = None


class Totals(BaseModel):
    runs: int
    crashes: int
    phases_on_time: int
    phases: int
    must_probe_missing: int
    must_probe_probed: int
    must_probe_recall: float
    redundant_questions: int
    fillers: int
    interviewer_turns: int
    filler_share: float
    grounded_follow_ups: int
    grounded_follow_ups_min: int
    facts_volunteered: int
    curveballs_asked: int


class Simulation(BaseModel):
    case: str
    persona: str
    backend: str
    minutes: float
    seed: int
    runs: list[RunResult]
    total: Totals

    def as_json(self) -> dict:
        """Each run's measures beside its number and seed, under the names the command documents."""
        doc = self.model_dump(exclude={"runs"})
        doc["runs"] = [{**r.model_dump(exclude={"metrics"}), **(r.metrics.model_dump() if r.metrics else {})}
                       for r in self.runs]
        return doc


class Recorder:
    """The interviewer a simulated session talks to: the real one, with each move kept."""

    def __init__(self, inner: Interviewer) -> None:
        self.inner = inner
        self.notices = inner.notices
        self.moves: list[Move] = []

    @property
    def label(self) -> str:
        return self.inner.label

    async def reply(self, ctx: TurnContext) -> AsyncIterator[str]:
        self.moves.append(ctx.move)
        async for chunk in self.inner.reply(ctx):
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


def simulate(case: Case, persona: Persona, runs: int, seed: int, make_interviewer: Callable[[], Interviewer],
             minutes: float = 45, backend: str = "offline", rubric: Rubric | None = None) -> Simulation:
    rubric = rubric or load_rubric()
    results = []
    with tempfile.TemporaryDirectory(prefix="mlsd-simulate-") as tmp:
        store = Store(Path(tmp) / "simulate.db", durable=False)
        try:
            for n in range(runs):
                results.append(_run(n + 1, seed + n, store, case, persona, make_interviewer, minutes, backend, rubric))
        finally:
            store.close()
    return Simulation(case=case.id, persona=persona.id, backend=backend, minutes=minutes, seed=seed, runs=results,
                      total=totals(results))


def _run(number: int, seed: int, store: Store, case: Case, persona: Persona,
         make_interviewer: Callable[[], Interviewer], minutes: float, backend: str, rubric: Rubric) -> RunResult:
    recorder = Recorder(make_interviewer())
    clock = FakeClock()
    session: PracticeSession | None = None
    try:
        session = PracticeSession.start(store, case, clock, recorder, minutes=minutes, backend=backend, seed=seed)
        asyncio.run(_play(session, clock, ScriptedCandidate(persona, case, random.Random(seed)), recorder))
        metrics = measure(session.turns, recorder.moves, case, session.plan, rubric, check_wording=backend == "offline")
    except Exception as exc:  # a crash is what we are here to count, whatever it is
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f" at {Path(frame.filename).name}:{frame.lineno}"
        return RunResult(run=number, seed=seed, crashes=1, error=f"{type(exc).__name__}: {exc}{where}",
                         turns=len(session.turns) if session else 0)
    # What the session stood in for (a policy or interviewer that raised) is a crash of ours too,
    # though the candidate would hardly notice it.
    failures = session.failures
    return RunResult(run=number, seed=seed, crashes=len(failures), error=failures[0] if failures else None,
                     turns=len(session.turns), overall=session.score.overall if session.score else None,
                     metrics=metrics)


async def _play(session: PracticeSession, clock: FakeClock, candidate: ScriptedCandidate, recorder: Recorder) -> None:
    """The session from the opening to time up: the candidate answers after taking its time,
    or stays quiet, and then the interviewer steps in as the app does once the phase is over."""
    try:
        await _played(session, clock, candidate, recorder)
    finally:
        await session.aclose()  # its connections, on this loop, and its lock


async def _played(session: PracticeSession, clock: FakeClock, candidate: ScriptedCandidate,
                  recorder: Recorder) -> None:
    plan = session.plan
    await _drain(session.open())
    while not session.finished:
        text = candidate.reply(recorder.moves[-1], plan.phase_at(clock.elapsed()).id)
        if text is None:
            spoken = plan.phase(session.policy.phase)
            if spoken.index + 1 >= len(plan.phases):
                clock.set(plan.total)
            else:
                following = plan.phases[spoken.index + 1]
                clock.set(max(clock.elapsed(), following.start + silence_wait(following)))
            if clock.elapsed() >= plan.total:
                await _drain(session.time_up())
            else:
                await _drain(session.interject())
            continue
        clock.set(clock.elapsed() + candidate.seconds())
        if clock.elapsed() >= plan.total:
            clock.set(plan.total)
            await _drain(session.time_up())
        else:
            await _drain(session.answer(text))


async def _drain(chunks: AsyncIterator[str]) -> None:
    async for _ in chunks:
        pass


def totals(results: list[RunResult]) -> Totals:
    done = [r.metrics for r in results if r.metrics is not None]
    missing = sum(m.must_probe_missing for m in done)
    probed = sum(m.must_probe_probed for m in done)
    fillers = sum(m.fillers for m in done)
    asked = sum(m.interviewer_turns for m in done)
    return Totals(
        runs=len(results), crashes=sum(r.crashes for r in results),
        phases_on_time=sum(m.phases_on_time for m in done), phases=sum(m.phases for m in done),
        must_probe_missing=missing, must_probe_probed=probed, must_probe_recall=probed / missing if missing else 1.0,
        redundant_questions=sum(m.redundant_questions for m in done), fillers=fillers, interviewer_turns=asked,
        filler_share=fillers / asked if asked else 0.0, grounded_follow_ups=sum(m.grounded_follow_ups for m in done),
        grounded_follow_ups_min=min((m.grounded_follow_ups for m in done), default=0),
        facts_volunteered=sum(m.facts_volunteered for m in done),
        curveballs_asked=sum(m.curveballs_asked for m in done))


class Goal(BaseModel):
    goal: str
    met: bool
    value: str


GROUNDED_GOAL, FILLER_GOAL, GOAL_MINUTES = 2, 0.10, 45


def goals(simulations: list[Simulation]) -> list[Goal]:
    """The bar every case and persona should clear. Must-probe recall and grounded follow-ups
    are judged on full 45-minute sessions only: a shorter one has too few turns for them."""
    every = totals([r for s in simulations for r in s.runs])
    out = [
        Goal(goal="no crashes", met=every.crashes == 0, value=str(every.crashes)),
        Goal(goal="every phase reached on time", met=every.phases_on_time == every.phases,
             value=f"{every.phases_on_time}/{every.phases}"),
        Goal(goal="no question about what the last two answers covered", met=every.redundant_questions == 0,
             value=str(every.redundant_questions)),
        Goal(goal=f"filler under {FILLER_GOAL:.0%} of interviewer turns for every persona",
             met=all(s.total.filler_share < FILLER_GOAL for s in simulations),
             value=f"{max((s.total.filler_share for s in simulations), default=0):.1%} at most"),
        Goal(goal="no case fact said before it was asked for", met=every.facts_volunteered == 0,
             value=str(every.facts_volunteered)),
    ]
    full = [s for s in simulations if s.minutes == GOAL_MINUTES]
    if full:
        recall = totals([r for s in full for r in s.runs])
        out.append(Goal(goal="every missing must-probe probed (45-minute sessions)", met=recall.must_probe_recall == 1,
                        value=f"{recall.must_probe_probed}/{recall.must_probe_missing}"))
    strong = [s for s in full if s.persona == "strong"]
    if strong:
        fewest = min(s.total.grounded_follow_ups_min for s in strong)
        out.append(Goal(goal=f"at least {GROUNDED_GOAL} grounded follow-ups in every strong 45-minute session",
                        met=fewest >= GROUNDED_GOAL, value=f"{fewest} at fewest"))
    return out
