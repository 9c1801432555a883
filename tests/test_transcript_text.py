"""The transcript text format carries what scoring needs: which interviewer turns probed which
criterion (`Interviewer (probe: cold_start):`) and the candidate's diagram (a `diagram:` block
after the turns), so a text export scores exactly as the stored session. Older files, without
either, still parse and score as before."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import pytest

from mlsd.interviewer.clock import FakeClock
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.sessions.practice import PracticeSession
from mlsd.sessions.settings import load_settings
from mlsd.sessions.store import Store
from mlsd.sessions.transcript_text import TranscriptError, format_text, parse_text

from conftest import DATA

SCRIPT = [
    (1, "How many orders a day, and what is the latency budget?"),
    (6, "It's a regression problem: we predict delivery minutes."),
    (11, "We'd use historical orders and driver GPS pings as data sources."),
    (14, "Distance and time of day would be the most useful features here in my view."),
    (17, "Weather matters too, and so does the traffic index at order time."),
    (19, "New restaurants get the city median prep time until they have two weeks of orders."),
    (21, "I'd use LightGBM because it is fast on tabular data."),
    (27, "Features would come from Redis as a feature store with a 1 ms lookup."),
    (29, "If the model service is down, the app shows the static 30-40 minute range."),
    (46, "Done."),
]
DIAGRAM = "app -> eta api -> model\n  model -> feature store\n\n(redis)\n"


def stored_session(cases) -> int:
    """A whole session with probes and a diagram, stored where `mlsd` will find it."""
    store = Store(load_settings({}).db_path)
    case = cases.get("delivery-time")
    clock = FakeClock()
    s = PracticeSession.start(store, case, clock, OfflineInterviewer(), minutes=45, seed=5)

    async def go():
        [c async for c in s.open()]
        for minute, text in SCRIPT:
            clock.set(minute * 60)
            if minute == 17:
                s.set_diagram(DIAGRAM)
            [c async for c in s.answer(text)]

    asyncio.run(go())
    assert s.finished and any(t.probe for t in s.turns)
    store.close()
    return s.id


def mlsd(*args):
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=60)


def test_a_text_export_scores_exactly_as_the_stored_session(cases, tmp_path):
    sid = stored_session(cases)
    exported = tmp_path / "s.txt"
    assert mlsd("export", sid, "-o", exported).returncode == 0
    text = exported.read_text()
    assert "Interviewer (probe: " in text and "\ndiagram:\n  app -> eta api -> model\n" in text
    stored = Store(load_settings({}).db_path).scores(sid)["offline"]
    scored = mlsd("score", exported, "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout) == json.loads(stored.model_dump_json())


def test_an_imported_text_export_keeps_its_diagram_and_probes_and_exports_the_same(cases, tmp_path):
    sid = stored_session(cases)
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    mlsd("export", sid, "-o", first)
    assert "session 2" in mlsd("import", first).stdout
    mlsd("export", "2", "-o", second)
    body = lambda p: p.read_text().split("\n\n", 1)[1]  # noqa: E731 - headers say when and how it was stored
    assert body(first) == body(second)
    store = Store(load_settings({}).db_path)
    assert store.session(2).diagram == DIAGRAM.rstrip("\n")
    assert [t.probe for t in store.turns(2)] == [t.probe for t in store.turns(sid)]


def test_the_probe_marker_and_the_diagram_block_parse():
    t = parse_text("case: delivery-time\n\n[00:10] Interviewer (probe: cold_start): A new restaurant?\n"
                   "[00:20] Candidate: City median.\n  Until it has orders.\ndiagram:\n  a -> b\n\n    c\n")
    assert [(x.speaker, x.probe) for x in t.turns] == [("interviewer", "cold_start"), ("candidate", None)]
    assert t.turns[1].text == "City median.\nUntil it has orders."
    assert t.diagram == "a -> b\n\n  c"


@pytest.mark.parametrize("text,where", [
    ("[00:10] Candidate (probe: cold_start): hi\n", "line 1"),
    ("[00:10] Candidate: hi\ndiagram:\nnot indented\n", "line 3"),
    ("[00:10] Candidate: hi\ndiagram:\n  a -> b\n[00:20] Candidate: more\n", "line 4"),
])
def test_a_misplaced_probe_marker_or_diagram_line_names_its_line(text, where):
    with pytest.raises(TranscriptError, match=f"t.txt: {where}: "):
        parse_text(text, "t.txt")


def test_older_files_without_markers_or_a_diagram_still_parse_and_infer_their_probes():
    for path in sorted((DATA / "transcripts").glob("*.txt")):
        t = parse_text(path.read_text(), path.name)
        assert t.diagram == "" and all(x.phase is None for x in t.turns)
        assert "probes" not in t.headers and format_text(t) == path.read_text()
