"""Home, report, replay and history screens, each driven by its key bindings."""
from __future__ import annotations

import json

from mlsd.tui.app import Start
from mlsd.tui.screens.confirm import ConfirmScreen
from mlsd.tui.screens.history import HistoryScreen
from mlsd.tui.screens.home import HomeScreen
from mlsd.tui.screens.practice import Mode, PracticeScreen
from mlsd.tui.screens.replay import ReplayScreen
from mlsd.tui.screens.report import ReportScreen
from mlsd.tui.widgets.trend import Trend

from app_helpers import db, make_app, seed, until


def report_ready(app):
    return lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None


def replay_ready(app):
    return lambda: isinstance(app.screen, ReplayScreen) and app.screen.data is not None and app.screen.at


async def test_home_lists_cases_recent_sessions_and_a_trend_per_category():
    app, _ = make_app()
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        await until(pilot, lambda: home.query_one(Trend).progress and home.recent)
        cases = home.query_one("#cases")
        assert [cases.get_row_at(i)[0] for i in range(cases.row_count)] == [
            "Delivery-time prediction", "Real-time payment fraud detection", "Two-stage product recommendations"]
        recent = home.query_one("#recent")
        assert recent.row_count == 4 and recent.get_row_at(0)[3] == "open (u)"
        trends = home.query_one(Trend).progress.trends
        assert [t.id for t in trends] == ["framing", "data_features", "model", "system_design", "monitoring",
                                          "communication"]
        assert all(len(t.values) == 3 for t in trends)


async def test_home_keys_open_history_report_replay_and_resume():
    app, _ = make_app()
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        home = app.screen
        await until(pilot, lambda: home.recent)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.press("tab")  # to the recent sessions
        await pilot.press("down", "o")  # the newest finished session
        await until(pilot, report_ready(app))
        assert app.screen.session_id == 3
        await pilot.press("escape")
        await pilot.press("v")
        await until(pilot, replay_ready(app))
        await pilot.press("escape")
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id == 4)


async def test_home_enter_on_a_case_starts_a_session_on_it():
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id)
        assert app.screen.case.id == "payment-fraud"


async def test_report_shows_categories_criteria_quotes_and_mistakes():
    app, _ = make_app(Start("report", session_id=2))
    seed(app, scored=False)  # scored when the report opens, in a worker
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, report_ready(app))
        screen = app.screen
        report = screen.result.data.report
        assert screen.query_one("#overall").value == f"{report.overall:.0f}"
        table = screen.query_one("#criteria")
        assert table.row_count == 25
        turns = dict(screen.result.data.transcript.numbered())
        quoted = [c for cat in report.categories.values() for c in cat.criteria if c.quote]
        assert quoted and all(c.quote in turns[c.turn].text for c in quoted)
        first = report.categories["framing"].criteria[0]
        detail = str(screen.query_one("#detail").render())
        assert "Asks clarifying questions" in detail and (first.quote is None or first.quote[:30] in detail)
        await pilot.press("t")
        mistakes = str(screen.query_one("#mistakes").render())
        assert "Forgetting cold start" in mistakes or "No fallback plan" in mistakes
        # Each mistake says how its criterion stands in the criteria table.
        said = {"missed": "missed", "partial": "partly met"}
        for m in screen.result.mistakes:
            c = report.criterion(m.criterion) if m.criterion else None
            if c is not None and c.status in said:
                assert f"{m.title} ({said[c.status]}" in mistakes, m.title
        assert db(app).scores(2)["offline"].overall == report.overall


async def test_report_shows_the_level_estimate_and_what_the_checklist_cannot_read():
    app, _ = make_app(Start("report", session_id=2))
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, report_ready(app))
        screen = app.screen
        level = screen.result.data.report.level
        assert str(screen.query_one("#level").render()) == f"level: {level.estimate}"
        await pilot.press("t", "t")
        about = str(screen.query_one("#about").render())
        assert f"Level estimate: {level.estimate}" in about and level.reasons[0] in about
        assert "offline checklist" in about and "--scorer llm" in about


async def test_report_enter_jumps_to_the_turn_that_earned_the_criterion():
    app, _ = make_app(Start("report", session_id=3))
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, report_ready(app))
        report = app.screen.result.data.report
        table = app.screen.query_one("#criteria")
        row = next(i for i in range(table.row_count) if report.criterion(
            table.coordinate_to_cell_key((i, 0)).row_key.value).turn)
        cid = table.coordinate_to_cell_key((row, 0)).row_key.value
        table.move_cursor(row=row)
        await pilot.press("enter")
        await until(pilot, replay_ready(app))
        assert app.screen.at == report.criterion(cid).turn


async def test_report_exports_markdown_html_and_json_from_keys(tmp_path, monkeypatch):
    app, _ = make_app(Start("report", session_id=1))
    app.service.settings.export_dir = tmp_path / "out"
    seed(app)
    async with app.run_test() as pilot:
        await until(pilot, report_ready(app))
        await pilot.press("m", "h", "j")
        files = [tmp_path / "out" / f"mlsd-session-1.{ext}" for ext in ("md", "html", "json")]
        await until(pilot, lambda: all(f.exists() for f in files))
    md, html, js = (f.read_text() for f in files)
    assert md.startswith("# ") and "Problem framing" in md
    assert "<html" in html.lower()
    assert json.loads(js)["scorer"] == "offline" and json.loads(js)["overall"] == db(app).scores(1)["offline"].overall


async def test_replay_steps_by_turn_and_jumps_by_phase():
    app, _ = make_app(Start("replay", session_id=3))
    seed(app)
    store = db(app)
    store.save_diagram(3, "client -> api -> model", 20 * 60)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, replay_ready(app))
        screen = app.screen
        turns = screen.data.transcript.turns
        assert screen.at == 1 and len(screen.query(".message")) == 1
        await pilot.press("right", "right", "n")
        assert screen.at == 4 and len(screen.query(".message")) == 4
        await pilot.press("left")
        assert screen.at == 3
        await pilot.press("right_square_bracket")
        first_framing = next(i for i in range(1, len(turns) + 1) if screen._phase(i) == "framing")
        assert screen.at == first_framing
        await pilot.press("left_square_bracket")
        assert screen.at == 1
        await pilot.press("end")
        assert screen.at == len(turns)
        side = str(screen.query_one("#so-far").render())
        assert "Covered by turn" in side and "Draws an architecture diagram" in side
        assert screen.query_one("#replay-diagram").text == "client -> api -> model"
        await pilot.press("home")
        assert screen.query_one("#replay-diagram").text == ""  # not drawn yet at the first turn


async def test_history_sorts_resumes_and_deletes_with_confirmation():
    app, _ = make_app(Start("history"))
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.items)
        screen = app.screen
        table = screen.query_one("#sessions")
        assert [table.get_row_at(i)[0] for i in range(4)] == [4, 3, 2, 1]
        await pilot.press("s")  # by date, newest first
        assert screen.sort_by == "date" and table.get_row_at(0)[0] == 4
        await pilot.press("s", "s", "s")  # by score, best first
        assert screen.sort_by == "overall" and table.get_row_at(0)[0] == 3
        assert table.cursor_row == 3  # the cursor stays on session 4 (unscored: last)
        table.move_cursor(row=0)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert len(db(app).sessions()) == 4
        await pilot.press("d", "y")
        await until(pilot, lambda: len(screen.items) == 3)
        assert 3 not in [s.id for s in db(app).sessions()]
        await pilot.press("s", "s", "s", "s", "s")  # back to id order
        table.move_cursor(row=[table.get_row_at(i)[0] for i in range(3)].index(4))
        await pilot.press("enter")  # unfinished: resumes
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id == 4)
        assert len(app.screen.query(".message")) == 6


async def test_every_screen_action_is_in_the_command_palette():
    app, _ = make_app(Start("practice", case_id="delivery-time", seed=1))
    async with app.run_test() as pilot:
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Pause", "End early", "Diagram ⇄ answer", "Quit (resumable)"):
            assert action in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Pause")
        command.callback()
        await pilot.pause(0.1)
        assert app.screen.mode is Mode.PAUSED
    home = HomeScreen()
    assert {b.description for b in home.BINDINGS} >= {"Start", "Drill", "History", "Report", "Replay", "Resume"}


async def test_the_remaining_keys_of_home_report_replay_and_history():
    app, _ = make_app()
    seed(app)
    async with app.run_test(size=(100, 32)) as pilot:
        await until(pilot, lambda: app.screen.recent)
        await pilot.press("h")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.items)
        await pilot.press("down", "v")  # session 3
        await until(pilot, replay_ready(app))
        replay = app.screen
        await pilot.press("space", "n", "p")
        assert replay.at == 2
        await pilot.press("o")
        await until(pilot, report_ready(app))
        assert app.screen.session_id == 3
        await pilot.press("r")
        await until(pilot, replay_ready(app))
        await pilot.press("q", "q")  # back from replay, back from report
        assert app.screen is replay
        await pilot.press("escape", "o")  # history: the report of the selected session
        await until(pilot, report_ready(app))
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")  # start the selected case
        await until(pilot, lambda: isinstance(app.screen, PracticeScreen) and app.screen.session_id)
        assert app.screen.case.id == "delivery-time"
        await pilot.press("ctrl+q")
    assert [r.id for r in db(app).sessions()] == [4, 3, 2, 1]  # left with nothing answered: not kept


async def test_the_report_at_80x24_shows_its_whole_header_and_eleven_criteria():
    app, _ = make_app(Start("report", session_id=2))
    seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, report_ready(app))
        await pilot.pause(0.1)
        screen = app.screen
        head = str(screen.query_one("#report-head").render())
        assert head.startswith("Real-time payment fraud detection · session 2") and head.endswith("completed")
        table = screen.query_one("#criteria")
        assert table.scrollable_content_region.height - 1 >= 11
        assert len(str(screen.query_one("#detail").render()).splitlines()) <= 2


async def test_headers_fit_80_columns_whole():
    app, _ = make_app(Start("replay", session_id=3))
    seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, replay_ready(app))
        await pilot.press("right_square_bracket", "right_square_bracket", "right")
        await pilot.pause(0.1)
        head = str(app.screen.query_one("#replay-head").render())
        assert "turn 12/30" in head and head.endswith("Data & features") and len(head) <= 78
        await pilot.press("escape")
        await pilot.pause(0.1)
        head = str(app.screen.query_one("#home-head").render())
        assert head.endswith("interviewer: offline (no API key or base URL set)") and len(head) <= 78


async def test_text_that_looks_like_markup_is_shown_as_it_is_on_every_screen():
    from mlsd.core.transcript import Turn

    app, _ = make_app()
    store = db(app)
    sid = store.create_session("evil-[/b]-[red]x", "Title [/i] here", "imported [bold]", 45, status="imported").id
    store.add_turn(sid, Turn(speaker="interviewer", text="Hi [/b] there.", elapsed=0))
    store.add_turn(sid, Turn(speaker="candidate", elapsed=5, text="New restaurants with no history [/red] use the "
                             "city median prep time [link=http://x]for their cuisine[/link]."))
    screens = [  # what the screen holds once loaded, and where it shows the session's text
        (Start("replay", session_id=sid), ReplayScreen, "data", lambda s: s.query_one("#replay-head").render()),
        (Start("report", session_id=sid), ReportScreen, "result", lambda s: s.query_one("#report-head").render()),
        (Start("history"), HistoryScreen, "items", lambda s: s.query_one("#sessions").get_row_at(0)[2]),
        (Start("home"), HomeScreen, "recent", lambda s: s.query_one("#recent").get_row_at(0)[2]),
    ]
    for start, kind, loaded, text_of in screens:
        app, _ = make_app(start)
        async with app.run_test(size=(120, 32)) as pilot:
            await until(pilot, lambda app=app, kind=kind, loaded=loaded: isinstance(app.screen, kind)
                        and getattr(app.screen, loaded))
            await pilot.pause()
            assert "[/" in str(text_of(app.screen)), start.screen
