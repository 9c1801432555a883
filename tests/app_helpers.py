"""Building the Textual app for tests: a fake clock, an isolated home, sessions with fixed
dates so screens look the same on every run, and waiting for the session thread."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.context import Interviewer
from mlsd.llm.local_servers import Known
from mlsd.prompts.loader import load_cases
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.sessions.service import Service, load_catalog
from mlsd.sessions.settings import load_settings
from mlsd.sessions.store import Store
from mlsd.tui.app import MlsdApp, Start

from conftest import transcript

FIXED_DATES = ("2026-11-18T09:30:00+00:00", "2026-11-20T18:05:00+00:00", "2026-11-22T07:45:00+00:00")


def make_app(start: Start | None = None, clock: FakeClock | None = None, minutes: float = 45,
             interviewer: Callable[[], Interviewer] | None = None,
             local_servers: Sequence[Known] = ()) -> tuple[MlsdApp, FakeClock]:
    """No local LLM servers are looked for unless a test names where: the screens must not
    depend on what happens to run on this machine."""
    clock = clock or FakeClock()
    settings = load_settings({"minutes": minutes})
    service = Service(settings, load_catalog(settings), clock_factory=lambda offset: _at(clock, offset),
                      interviewer_factory=interviewer)
    app = MlsdApp(service, start, local_servers=local_servers)
    return app, clock


def _at(clock: FakeClock, offset: float) -> FakeClock:
    clock.set(max(clock.now, offset))
    return clock


async def until(pilot, condition: Callable[[], object], seconds: float = 10.0) -> None:
    """Let the app run until `condition()` holds; the session thread works meanwhile."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    screen = pilot.app.screen
    state = {k: getattr(screen, k, None) for k in ("session_id", "mode", "failure")}
    driver = getattr(screen, "driver", None)
    if driver is not None:
        state.update(stopped=driver.stopped.is_set())
    raise AssertionError(f"gave up after {seconds}s waiting on {screen!r} {state}; "
                         f"workers: {[w.name + ':' + w.state.name for w in pilot.app.workers]}")


async def practice_ready(pilot):
    """The practice screen once its session is on screen and the interviewer has spoken."""
    screen = pilot.app.screen

    def spoken() -> bool:
        messages = screen.query(".message")
        return bool(messages) and messages[-1].speaker == "interviewer" and screen.reply is None

    # "Your turn" comes as soon as the session is on screen, a moment before the opening
    # reply is asked for: wait for the reply too.
    await until(pilot, lambda: screen.mode.takes_answers and spoken())
    return screen


def stored_session(store: Store, name: str, started: str, status: str = "completed", upto: int | None = None,
                   diagram: str = "", minutes: float = 45) -> int:
    """A session made of a test transcript, with a fixed start date."""
    t = transcript(name)
    case = load_cases(vocabulary=load_rubric().vocabulary()).get(t.case_id)
    row = store.create_session(t.case_id, case.title if case else "", "offline", minutes, seed=7, status=status,
                               started=started)
    for turn in t.turns[:upto]:
        store.add_turn(row.id, turn)
    if diagram:
        store.save_diagram(row.id, diagram, t.turns[min(len(t.turns), upto or len(t.turns)) - 1].elapsed)
    return row.id


def db(app: MlsdApp) -> Store:
    return app.service.store()


def seed(app, scored: bool = True) -> None:
    """Three finished sessions (scored when `scored`) and one unfinished."""
    store = db(app)
    names = ("delivery-time.weak", "payment-fraud.medium", "delivery-time.strong")
    for name, date in zip(names, FIXED_DATES, strict=True):
        sid = stored_session(store, name, date)
        if scored:
            case = app.service.case_for(store.session(sid).case_id)
            store.save_score(sid, score_transcript(store.transcript(sid), case))
    stored_session(store, "product-recs.medium", "2026-11-24T12:00:00+00:00", status="active", upto=6)
