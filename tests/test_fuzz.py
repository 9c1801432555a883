"""Fuzzing with hypothesis: the transcript formats round-trip any text, the case loader turns
any file into a case or a one-line error, and the scorer never crashes, stays in 0..100 and
quotes only what was said. Quick in the normal run; MLSD_FUZZ=1 runs thousands of examples."""
from __future__ import annotations

import os
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsd.core.transcript import Transcript, Turn
from mlsd.prompts.loader import CaseFileError, load_case, load_cases
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.sessions.store import SessionRow
from mlsd.sessions.transcript_json import from_json, to_json
from mlsd.sessions.transcript_text import TranscriptError, format_text, parse_text

LONG = os.environ.get("MLSD_FUZZ") == "1"
FUZZ = settings(max_examples=3000 if LONG else 60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

RUBRIC_WORDS = ["cold start", "fallback", "median", "feature store", "latency", "p99", "10 ms", "5M orders/day",
                "label delay", "drift", "retrain", "baseline", "->", "not", "don't", "assume", "RPS", "x", "=",
                "point-in-time", "Kafka", "batch", "real-time", "?", ".", ",", "\n", "[00:12] Candidate:"]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(RUBRIC_WORDS) | st.text(string.ascii_letters + " ", max_size=12), max_size=60)
    .map(" ".join),
    st.text(max_size=20).map(lambda t: t * 500),  # huge turns
)


@st.composite
def transcripts(draw) -> Transcript:
    n = draw(st.integers(min_value=1, max_value=25))
    times = sorted(draw(st.lists(st.integers(min_value=0, max_value=6 * 3600), min_size=n, max_size=n)))
    turns = [Turn(speaker=draw(st.sampled_from(["interviewer", "candidate"])), text=draw(texts), elapsed=t)
             for t in times]
    return Transcript(case_id="delivery-time", headers={"case": "delivery-time", "minutes": "45"}, turns=turns)


@st.composite
def stored_transcripts(draw) -> Transcript:
    """As a session stores them: every turn with its phase, some interviewer turns probing, a diagram."""
    t = draw(transcripts())
    probes = st.sampled_from([None, "cold_start", "fallback", "assumptions"])
    turns = [x.model_copy(update={"phase": "clarify",
                                  "probe": draw(probes) if x.speaker == "interviewer" else None}) for x in t.turns]
    diagram = draw(st.text(max_size=200) | st.just("a -> b\n  c -> d\n"))
    return Transcript(case_id=t.case_id, headers=t.headers, turns=turns, diagram=diagram)  # as the store builds it


@FUZZ
@given(transcripts())
def test_any_transcript_survives_the_text_format(t):
    back = parse_text(format_text(t), "fuzz")
    assert [(x.speaker, x.text, x.elapsed) for x in back.turns] == [(x.speaker, x.text, x.elapsed) for x in t.turns]
    assert back.headers == t.headers


@FUZZ
@given(stored_transcripts())
def test_any_stored_transcript_keeps_its_probes_and_diagram_in_the_text_format(t):
    text = format_text(t)
    back = parse_text(text, "fuzz")
    assert [(x.speaker, x.text, x.elapsed, x.probe) for x in back.turns] == \
        [(x.speaker, x.text, x.elapsed, x.probe) for x in t.turns]
    diagram = t.diagram.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    assert back.diagram == (diagram if diagram.strip() else "")
    assert format_text(back) == text


@FUZZ
@given(transcripts(), st.text(max_size=200))
def test_any_session_survives_the_json_export(t, diagram):
    row = SessionRow(id=1, case_id="delivery-time", backend="offline", minutes=45, started="2026-11-25T10:00:00+00:00",
                     status="completed", diagram=diagram)
    back = from_json(to_json(row, t.turns, {}), "fuzz")
    assert back.turns == t.turns and back.session == row


@FUZZ
@given(st.text(max_size=400))
def test_any_text_is_a_transcript_or_a_one_line_error(text):
    try:
        parse_text(text, "fuzz.txt")
    except TranscriptError as exc:
        assert str(exc).startswith("fuzz.txt: ") and "\n" not in str(exc)


CASES = load_cases(vocabulary=load_rubric().vocabulary())
VALID_CASE = (Path(__file__).resolve().parent.parent / "prompts" / "cases" / "delivery-time.toml").read_text()


@st.composite
def case_files(draw) -> str:
    kind = draw(st.sampled_from(["mutated", "random", "lines"]))
    if kind == "random":
        return draw(st.text(max_size=500))
    if kind == "lines":
        keys = st.sampled_from(["id", "title", "summary", "prompt", "task", "not_applicable", "facts", "x"])
        values = st.sampled_from(['"a"', '""', "3", "[]", '["cold_start"]', '["nope"]', "{}", "true",
                                  '"""\nmulti\n"""'])
        return "\n".join(f"{draw(keys)} = {draw(values)}" for _ in range(draw(st.integers(0, 12))))
    lines = VALID_CASE.splitlines()
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "cut", "garble"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        else:
            lines[i] = draw(st.text(max_size=30))
        if not lines:
            break
    return "\n".join(lines)


@FUZZ
@given(case_files())
def test_any_case_file_loads_or_gives_one_line_naming_the_file(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.toml"
        path.write_text(text, encoding="utf-8")
        try:
            load_case(path, vocabulary=load_rubric().vocabulary())
        except CaseFileError as exc:
            assert str(exc).startswith(f"{path}: ") and "\n" not in str(exc).strip()


@settings(FUZZ, max_examples=3000 if LONG else 25)
@given(transcripts())
def test_the_scorer_never_crashes_stays_in_range_and_quotes_verbatim(t):
    for case in (CASES.get("delivery-time"), None):
        report = score_transcript(t, case)
        assert 0 <= report.overall <= 100
        turns = dict(t.numbered())
        for cat in report.categories.values():
            assert 0 <= cat.score <= 100
            for c in cat.criteria:
                if c.quote is not None:
                    assert c.turn in turns and turns[c.turn].speaker == "candidate" and c.quote in turns[c.turn].text
