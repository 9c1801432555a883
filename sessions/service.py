"""The application, as every front end sees it: settings, cases, the interviewer and the
clock a session runs on, and the things a user asks for (start or resume an interview or a
drill, score, report, replay, compare, history, import). The TUI, plain mode and the command
line only render what this returns; a third front end would need nothing else."""
from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from mlsd.core.plan import Plan
from mlsd.core.transcript import Transcript
from mlsd.interviewer.backends import build
from mlsd.interviewer.clock import Clock, SessionClock
from mlsd.interviewer.context import Interviewer
from mlsd.interviewer.drill import DRILL_MINUTES, drill_categories, session_plan
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.providers import connect
from mlsd.prompts.case import Case
from mlsd.prompts.loader import CaseCatalog, load_cases
from mlsd.prompts.material import choice_book
from mlsd.prompts.personas import Persona, PersonaFileError, build_personas, load_personas
from mlsd.rubric.compare import Comparison
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.score import Scorer, ScoreReport
from mlsd.sessions import importing
from mlsd.sessions.history import SessionSummary, summaries
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.progress import Progress, progress
from mlsd.sessions.replay import ReplayData, replay_data
from mlsd.sessions.reporting import SessionReport, compare_sessions, session_report
from mlsd.sessions.scoring import Judge, offline_score, plan_of
from mlsd.sessions.settings import Settings
from mlsd.sessions.simulate import GOAL_MINUTES, Simulation, simulate
from mlsd.sessions.store import SessionRow, Store


class SessionError(Exception):
    """A request the user can fix (an unknown case, nothing to resume): one line saying so."""


def load_catalog(settings: Settings, rubric: Rubric | None = None) -> CaseCatalog:
    """Built-in and user cases, each checked against the rubric."""
    return load_cases([settings.cases_dir], (rubric or load_rubric()).vocabulary())


def new_seed() -> int:
    """The interviewer's choice of words for a new session, when no --seed fixed it."""
    return int.from_bytes(os.urandom(2), "big")


class Service:
    def __init__(self, settings: Settings, catalog: CaseCatalog, rubric: Rubric | None = None,
                 clock_factory: Callable[[float], Clock] | None = None,
                 interviewer_factory: Callable[[], Interviewer] | None = None) -> None:
        self.settings, self.catalog = settings, catalog
        self.rubric = rubric or load_rubric()
        self.clock_factory = clock_factory or (lambda offset: SessionClock(offset=offset))
        self.interviewer_factory = interviewer_factory or self._interviewer

    def _interviewer(self) -> Interviewer:
        endpoint = self.settings.endpoint()
        return build(connect(endpoint) if endpoint else None, self.settings.context_budget)

    def store(self) -> Store:
        """A connection of the calling thread's own (SQLite connections stay in their thread)."""
        return Store(self.settings.db_path)

    def use_local_server(self, base_url: str, model: str) -> None:
        """An LLM server on this machine the user accepted: the interviewer and the judge from
        the next session on (the settings of this run only; nothing is written)."""
        self.settings = self.settings.model_copy(update={"backend": "openai", "backend_reason": "",
                                                         "base_url": base_url, "model": model})

    def check_endpoint(self) -> None:
        """A bad key or an unknown model is said now, before any clock starts."""
        endpoint = self.settings.endpoint()
        if endpoint is not None:
            asyncio.run(connect(endpoint).check())

    # ------------------------------------------------------------------ cases
    def case(self, case_id: str) -> Case:
        case = self.catalog.get(case_id)
        if case is None:
            raise SessionError(f"unknown case {case_id!r}; known: {', '.join(self.catalog.ids)}")
        return case

    def case_for(self, case_id: str) -> Case | None:
        return self.catalog.get(case_id)

    # ------------------------------------------------------------------ practice
    def drill_categories(self) -> list[str]:
        return drill_categories(self.rubric)

    def practice_plan(self, focus: str | None = None, minutes: float | None = None) -> Plan:
        """The plan of a new session: the full interview, or a drill on `focus`, for `minutes`
        (else a drill's own length, or the settings' for an interview)."""
        if focus is not None and focus not in self.drill_categories():
            raise SessionError(f"--focus {focus!r}: not a category that can be drilled; choose one of: "
                               + ", ".join(self.drill_categories()))
        length = minutes if minutes is not None else DRILL_MINUTES if focus else self.settings.minutes
        return session_plan(self.rubric, length, focus)

    def plan_of(self, row: SessionRow) -> Plan:
        """The plan a stored session runs on."""
        return session_plan(self.rubric, row.minutes, row.focus)

    def start(self, case_id: str, clock: Clock, seed: int | None = None, focus: str | None = None,
              minutes: float | None = None) -> PracticeSession:
        """A new session on `case_id`, stored at once: an interview, or with `focus` a drill;
        `seed` fixes the interviewer's words."""
        case = self.case(case_id)
        plan = self.practice_plan(focus, minutes)
        s = self.settings
        return PracticeSession.start(self.store(), case, clock, self.interviewer_factory(), minutes=plan.minutes,
                                     backend=s.backend or "offline", model=s.model,
                                     seed=new_seed() if seed is None else seed, focus=focus)

    def resumable(self, store: Store, which: int | str = "latest", focus: str | None = None) -> tuple[SessionRow, Case]:
        """An unfinished session and its case, or why not. `which`: its id, or "latest": the
        latest unfinished interview, or with `focus` the latest unfinished drill on it (drills
        and interviews in progress are kept apart)."""
        rows = [r for r in store.sessions() if r.status == "active"]
        if which != "latest":
            row = next((r for r in rows if str(r.id) == str(which)), None)
        else:
            row = next((r for r in rows if r.focus == focus), None)
        if row is None:
            what = f"{focus} drill" if focus else "interview"
            target = f"unfinished {what}s" if which == "latest" else f"unfinished session {which}"
            raise SessionError(f"no {target} to resume (see `mlsd history`)")
        return row, self.case(row.case_id)

    def resume(self, session_id: int, clock: Clock) -> PracticeSession:
        store = self.store()
        row, case = self.resumable(store, session_id)
        return PracticeSession.resume(store, row, case, clock, self.interviewer_factory())

    # ------------------------------------------------------------------ after the session
    def report(self, store: Store, session_id: int | str, ask_judge: bool = True) -> SessionReport:
        """The session's report; with an endpoint configured and `ask_judge`, the sampled LLM
        judge is asked (once: its report is stored) and gives the headline score."""
        return session_report(store, session_id, self.case_for, self.rubric, self.judge() if ask_judge else None)

    def replay(self, store: Store, session_id: int) -> ReplayData:
        return replay_data(store, session_id, self.case_for, self.rubric)

    def compare(self, store: Store, a: int | str, b: int | str) -> Comparison:
        if str(a) == str(b):
            raise SessionError(f"compare needs two different sessions, got {a} twice")
        return compare_sessions(store, a, b, self.case_for, self.rubric)

    def history(self, store: Store) -> tuple[list[SessionSummary], Progress]:
        """Every session, newest first, and the progress they show."""
        items = summaries(store)
        return items, progress(items, self.rubric)

    def history_of_nothing(self) -> tuple[list[SessionSummary], Progress]:
        """The history before the first session (without making a database to read it)."""
        return [], progress([], self.rubric)

    def import_file(self, store: Store, path: Path) -> tuple[SessionRow, int]:
        return importing.import_file(store, path, self.catalog, self.rubric)

    def transcript_of(self, target: str) -> tuple[Transcript, int | None]:
        """A transcript file (text or JSON export), or a stored session by id."""
        path = Path(target)
        if os.path.lexists(path):  # whatever it is: a pipe or a device gets its own one line
            return importing.read_transcript(path, self.rubric), None
        if target.isdigit():
            store = self.store()
            try:
                return store.transcript(int(target)), int(target)
            finally:
                store.close()
        raise SessionError(f"{target!r} is neither a transcript file nor a session id (see `mlsd history`)")

    def score(self, transcript: Transcript, case: Case | None, scorer: Scorer = "offline",
              source: str = "<transcript>") -> ScoreReport:
        """The transcript scored on the plan of its `minutes` and `focus` headers (a drill on
        its category only)."""
        plan = plan_of(transcript, self.rubric, source)
        if scorer == "offline":
            return offline_score(transcript, case, plan, self.rubric)
        return Judge(self.judge_endpoint(), self.settings.judge_settings()).score(transcript, case, plan, self.rubric)

    def judge(self) -> Judge | None:
        """The sampled LLM judge, when an endpoint is configured."""
        endpoint = self.settings.endpoint()
        return Judge(endpoint, self.settings.judge_settings()) if endpoint else None

    # ------------------------------------------------------------------ checking a case
    def simulations(self, case_id: str, persona: str, runs: int, seed: int, minutes: float | None = None,
                    personas_dir: Path | None = None) -> Iterator[Simulation]:
        """Scripted candidates playing whole sessions on `case_id` (or "all" cases) as `persona`
        (see `personas`) against this service's interviewer: one Simulation per case and persona,
        as each is done. Bad names, files and numbers are said before any runs."""
        if runs < 1:
            raise SessionError(f"--runs {runs}: needs at least one run")
        cases = self.catalog.cases if case_id == "all" else [self.case(case_id)]
        chosen = self.personas(persona, personas_dir)
        length = GOAL_MINUTES if minutes is None else minutes
        try:
            session_plan(self.rubric, length)
        except ValueError as exc:
            raise SessionError(f"--minutes {length:g}: {exc}") from None
        self.check_endpoint()
        backend = self.interviewer_factory().label
        for case in cases:
            for one in chosen:
                yield simulate(case, one, runs, seed, self.interviewer_factory, length, backend, self.rubric)

    def personas(self, which: str, folder: Path | None = None) -> list[Persona]:
        """The personas to play: "all" or one id among those in `folder` (the built-in ones when
        no folder is given), or the path of a persona file. Each is checked against the rubric."""
        if which.endswith(".toml") or Path(which).is_file():
            chosen = list(build_personas([Path(which)]).values())
        else:
            known = load_personas(folder) if folder is not None else load_personas()
            if which != "all" and which not in known:
                raise SessionError(f"unknown persona {which!r}; known: {', '.join(known)}")
            chosen = list(known.values()) if which == "all" else [known[which]]
        topics = set(self.rubric.criterion_ids) | set(choice_book().kind_ids)
        for persona in chosen:
            if problem := persona.unknown_topic(topics):
                raise PersonaFileError(f"{persona.source}: {problem}")
        return chosen

    def judge_endpoint(self) -> Endpoint:
        """The endpoint the LLM judge would use, or why there is none."""
        endpoint = self.settings.endpoint()
        if endpoint is None:
            raise SessionError("--scorer llm needs an endpoint: set OPENAI_API_KEY, or OPENAI_BASE_URL and MLSD_MODEL")
        return endpoint

