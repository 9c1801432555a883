"""Fuzzing with hypothesis: the transcript formats round-trip any text, the case loader turns
any file into a case or a one-line error, and the scorer never crashes, stays in 0..100 and
quotes only what was said. Hostile input too: files nested to any depth, whatever a judge or
an imported file claims, credentials in a base URL, control characters and markup, any event
stream. Quick in the normal run; MLSD_FUZZ=1 runs thousands of examples."""
from __future__ import annotations

import asyncio
import json
import os
import string
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsd.core.printable import printable
from mlsd.core.transcript import Transcript, Turn
from mlsd.llm.endpoint import redact
from mlsd.llm.errors import EndpointError
from mlsd.llm.openai_client import streamed_text
from mlsd.prompts.case import Case
from mlsd.prompts.loader import CaseFileError, load_case, load_cases
from mlsd.prompts.templates import md_inline
from mlsd.rubric.judge_guard import checklist_view
from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.quotes import MIN_QUESTION_WORDS, MIN_QUOTE_WORDS, check_judge_claims
from mlsd.rubric.score import CriterionScore, ScoreReport
from mlsd.rubric.support import supports
from mlsd.rubric.text import is_question, sentences, words
from mlsd.sessions.importing import load_file, rescored
from mlsd.sessions.scoring import offline_score
from mlsd.sessions.settings import SettingsError, load_settings
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


RUBRIC = load_rubric()
CASES = load_cases(vocabulary=RUBRIC.vocabulary())
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


# ---------------------------------------------------------------------- hostile input (issue 10)
def one_line_naming(exc: Exception, name: str) -> None:
    assert name in str(exc) and "\n" not in str(exc).strip(), str(exc)


nestings = st.tuples(st.integers(1, 3000), st.sampled_from(["[", "{ a = ", "[[", "[{a=["]))


@FUZZ
@given(nestings)
def test_a_case_or_config_file_nested_to_any_depth_loads_or_is_one_line(nesting):
    depth, opener = nesting
    closer = {"[": "]", "{ a = ": "}", "[[": "]]", "[{a=[": "]}]"}[opener]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deep.toml"
        nested = f"{opener * depth}1{closer * depth}"
        path.write_text(f'id = "deep"\ntitle = "t"\nsummary = "s"\nprompt = "p"\nx = {nested}\n')
        try:
            load_case(path, RUBRIC.vocabulary())
        except CaseFileError as exc:
            one_line_naming(exc, str(path))
        (Path(tmp) / "config.toml").write_text(f"theme = {opener * depth}1{closer * depth}\n")
        try:
            with mock.patch.dict(os.environ, {"MLSD_HOME": tmp}):
                load_settings()
        except SettingsError as exc:  # the file it cannot read, or the setting it cannot take
            one_line_naming(exc, "config.toml" if "nested" in str(exc) else "theme")


@FUZZ
@given(st.integers(1, 5000), st.sampled_from(["[", '{"a": ']))
def test_a_json_file_nested_to_any_depth_is_a_session_or_one_line(depth, opener):
    closer = "]" if opener == "[" else "}"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deep.json"
        path.write_text('{"format": "mlsd-session", "session": ' + opener * depth + "1" + closer * depth + "}")
        try:
            load_file(path, RUBRIC)
        except TranscriptError as exc:
            one_line_naming(exc, str(path))


STRONG = parse_text((Path(__file__).parent / "data" / "transcripts" / "delivery-time.strong.txt").read_text(), "s")
STRONG_SPANS = [(n, sp.text) for n, t in STRONG.numbered() if t.speaker == "candidate" for sp in sentences(t.text)]
STRONG_CHECKLIST = checklist_view(STRONG, CASES.get("delivery-time"), RUBRIC)


@st.composite
def claimed_quotes(draw, n: int) -> str | None:
    kind = draw(st.sampled_from(["blank", "word", "sentence", "fragment", "across", "invented", "none"]))
    turn = dict(STRONG.numbered())[n]
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "  \n", "\t"]))
    if kind == "word":
        return draw(st.sampled_from(turn.text.split() or ["a"]))
    if kind in ("sentence", "fragment") and turn.speaker == "candidate":
        text = draw(st.sampled_from(sentences(turn.text))).text
        if kind == "fragment":
            i = draw(st.integers(0, len(text)))
            text = text[i:draw(st.integers(i, len(text)))]
        return text
    if kind == "across":
        i = draw(st.integers(0, len(turn.text)))
        return turn.text[i:i + draw(st.integers(0, 200))]
    return None if kind == "none" else draw(texts)


@st.composite
def claims(draw) -> list[CriterionScore]:
    out = []
    for cid in draw(st.lists(st.sampled_from([*RUBRIC.criterion_ids, "charisma"]), max_size=40)):
        n = draw(st.sampled_from([n for n, _ in STRONG.numbered()] + [0, 999]))
        quote = draw(claimed_quotes(n)) if n in dict(STRONG.numbered()) else draw(texts)
        out.append(CriterionScore(id=cid, status=draw(st.sampled_from(["met", "partial", "missed", "n/a"])),
                         prompted=draw(st.booleans()), turn=n, quote=quote))
    return out


@settings(FUZZ, max_examples=1000 if LONG else 20)
@given(claims())
def test_whatever_a_judge_claims_only_evidence_is_kept(claimed):
    case = CASES.get("delivery-time")
    report = check_judge_claims(claimed, STRONG, case, RUBRIC, STRONG_CHECKLIST)
    assert 0 <= report.overall <= 100
    only_evidence(report, STRONG, case)


def only_evidence(report: ScoreReport, transcript: Transcript, case: Case) -> None:
    """Every quote kept is evidence, as rubric/quotes.py defines it."""
    turns = dict(transcript.numbered())
    backing: dict[tuple[int, int], str] = {}
    book = PhraseBook(RUBRIC, case)
    for cat_id, cat in report.categories.items():
        for c in cat.criteria:
            if c.status in ("missed", "n/a"):
                assert c.quote is None
                continue
            said = turns[c.turn]
            span = next(sp for sp in sentences(said.text) if c.quote in sp.text)
            question = is_question(span.text)
            assert said.speaker == "candidate" and not Sentence(span, book).guarded
            assert len(words(c.quote)) >= (MIN_QUESTION_WORDS if question else MIN_QUOTE_WORDS)
            asked = turns.get(c.turn - 1)
            asked_text = asked.text if asked is not None and asked.speaker == "interviewer" else None
            special = RUBRIC.criterion(c.id).special
            if special == "clarifying_questions":
                assert question
            elif special == "handling_probes":
                assert asked_text is not None and not question
            else:
                assert supports(span.text, c.id, case, asked_text, RUBRIC)
                assert backing.setdefault((c.turn, span.start), cat_id) == cat_id


EXPORT = json.loads(to_json(SessionRow(id=1, case_id="delivery-time", backend="offline", minutes=45,
                                       started="2026-11-25T10:00:00+00:00", status="completed"),
                            STRONG.turns, {"offline": score_transcript(STRONG, CASES.get("delivery-time"))}))


@st.composite
def tampered_exports(draw) -> dict:
    data = json.loads(json.dumps(EXPORT))
    report = data["scores"]["offline"]
    for _ in range(draw(st.integers(0, 6))):
        cat = draw(st.sampled_from(sorted(report["categories"])))
        c = draw(st.sampled_from(report["categories"][cat]["criteria"]))
        field = draw(st.sampled_from(["status", "quote", "turn", "id", "weight", "overall", "minutes", "elapsed"]))
        if field == "status":
            c["status"] = draw(st.sampled_from(["met", "partial", "missed", "n/a"]))
        elif field == "quote":
            c["quote"] = draw(st.none() | texts | st.sampled_from([q for _, q in STRONG_SPANS]))
        elif field == "turn":
            c["turn"] = draw(st.none() | st.integers(-5, 40))
        elif field == "id":
            c["id"] = draw(st.sampled_from([*RUBRIC.criterion_ids, "charisma"]))
        elif field == "weight":
            report["categories"][cat]["weight"] = draw(st.integers(-10, 1000))
        elif field == "overall":
            report["overall"] = draw(st.floats(0, 100))
        elif field == "minutes":
            data["session"]["minutes"] = draw(st.floats(allow_nan=False) | st.integers(-10, 500))
        else:
            data["turns"][0]["elapsed"] = draw(st.integers(-1, 2 ** 70))
    if draw(st.booleans()):
        data["scores"]["llm"] = {**report, "scorer": "llm"}
    return data


@settings(FUZZ, max_examples=1000 if LONG else 20)
@given(tampered_exports())
def test_an_imported_export_is_one_line_or_scores_as_the_transcript_earns(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.json"
        path.write_text(json.dumps(data))
        try:
            loaded = load_file(path, RUBRIC)
        except TranscriptError as exc:
            one_line_naming(exc, str(path))
            return
    case = CASES.get("delivery-time")
    stored = {r.scorer: r for r in rescored(loaded, case, RUBRIC)}
    honest = offline_score(loaded.transcript, case, loaded.plan, RUBRIC)
    assert stored["offline"] == honest
    if "llm" in stored:
        only_evidence(stored["llm"], loaded.transcript, case)


hosts = st.sampled_from(["127.0.0.1:8000", "localhost", "[::1]:11434", "example.com", "h", "[::1", "a:b:c", ""])
secrets_ = st.text(st.characters(codec="ascii", exclude_characters="\n\r\0"), min_size=6, max_size=20).filter(
    lambda s: s.strip() and s not in "http://https://127.0.0.1:8000/v1localhost[::1]:11434example.com")


@FUZZ
@given(st.sampled_from(["http", "https", "ftp", ""]), secrets_, secrets_, hosts,
       st.sampled_from(["/v1", "", "/v1?key="]))
def test_credentials_in_a_base_url_are_never_shown(scheme, user, password, host, tail):
    url = f"{scheme}://{user}:{password}@{host}{tail}" + (password if tail.endswith("=") else "")
    env = {"MLSD_HOME": tempfile.gettempdir(), "OPENAI_BASE_URL": url, "MLSD_MODEL": "m"}
    try:
        with mock.patch.dict(os.environ, env):
            settings_ = load_settings()
    except SettingsError as exc:
        assert password not in str(exc) and "\n" not in str(exc)
        return
    endpoint = settings_.endpoint()
    assert endpoint is not None
    for shown in (endpoint.host, endpoint.label, endpoint.shown_url, redact(url)):
        assert password not in shown and user not in shown.replace(endpoint.model, "")


@FUZZ
@given(st.text(max_size=300))
def test_text_for_the_terminal_or_a_markdown_line_carries_no_control_or_markup(text):
    shown = printable(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in shown)
    inline = md_inline(text)
    assert "\n" not in inline and "<" not in inline and ">" not in inline
    assert not any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in inline)


sse_lines = st.lists(st.one_of(
    st.sampled_from(["", ": keep-alive", "data: [DONE]", "event: x", "data: {}", "data: []", "data: nope",
                     'data: {"error": {"message": "boom"}}',
                     'data: {"choices": [{"delta": {}, "finish_reason": "stop"}]}',
                     'data: {"choices": "x"}', 'data: {"choices": [{"delta": "x"}]}', 'data: {"choices": [3]}']),
    texts.map(lambda t: 'data: {"choices": [{"delta": {"content": ' + json.dumps(t) + '}, "finish_reason": null}]}'),
    texts), max_size=30)


@FUZZ
@given(sse_lines)
def test_any_event_stream_is_text_then_an_end_or_an_endpoint_error(lines):
    async def read() -> list[str]:
        async def source():
            for line in lines:
                yield line
        return [piece async for piece in streamed_text(source())]

    try:
        pieces = asyncio.run(read())
    except EndpointError as exc:
        assert "\n" not in str(exc)
        return
    assert all(isinstance(p, str) and p for p in pieces)
    assert any(line.strip() == "data: [DONE]" or '"finish_reason": "stop"' in line for line in lines)
