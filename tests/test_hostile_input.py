"""Hostile and unlucky input through the real `mlsd` command: files nested too deeply, too big,
or not files at all; numbers out of range; scores an import claims; bytes meant for the
terminal; settings that cannot work. Each is one line and exit code 2 (or a file skipped
with one line), and nothing stored is lost or left half written."""
from __future__ import annotations

import json
import os
import resource
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import mlsd as in_a_process
from cli_helpers import one_line

from mlsd.core.transcript import Transcript, Turn
from mlsd.prompts.loader import load_cases
from mlsd.rubric.debrief import debrief
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.references import with_references
from mlsd.rubric.report import ReportInput, render_report
from mlsd.rubric.tracker import MAX_TURN_CHARS
from mlsd.sessions.importing import load_file
from mlsd.sessions.settings import SettingsError, load_settings
from mlsd.sessions.store import Store
from mlsd.sessions.transcript_json import to_json
from mlsd.sessions.transcript_text import TranscriptError

from conftest import DATA, transcript

MEDIUM = DATA / "transcripts" / "delivery-time.medium.txt"
DEEP = 50_000


def export_of(tmp_path: Path, name: str = "delivery-time.medium") -> dict:
    """A real JSON export of a stored, scored session, as a dict to tamper with."""
    store = Store(tmp_path / "source.db")
    t = transcript(name)
    row = store.create_session(t.case_id, "Delivery-time prediction", "offline", 45, status="completed")
    for turn in t.turns:
        store.add_turn(row.id, turn)
    case = load_cases(vocabulary=load_rubric().vocabulary()).get(t.case_id)
    scores = {"offline": score_transcript(store.transcript(row.id), case)}
    data = json.loads(to_json(store.session(row.id), store.turns(row.id), scores))
    store.close()
    return data


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data))
    return path


def sessions_in(home: Path) -> int:
    db = home / "mlsd.db"
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def mlsd(cli, monkeypatch):
    """`mlsd ARGS` with MLSD_HOME `home` and `env` set, run in this process (starting Python for
    each would double this file's time). What needs a process of its own (a read that could
    hang, a full device as standard output, a file size limit) uses `in_a_process`."""
    def run(home: Path, *args, stdin: str = "", env: dict[str, str] | None = None):
        for name, value in {"MLSD_HOME": str(home), **(env or {})}.items():
            monkeypatch.setenv(name, value)
        return cli(*args, stdin=stdin)
    return run


# ---------------------------------------------------------------------- nested too deeply
def test_a_case_file_nested_fifty_thousand_deep_is_skipped_with_one_line_and_the_others_load(mlsd, isolated_home):
    (isolated_home / "cases").mkdir(parents=True)
    (isolated_home / "cases" / "deep.toml").write_text("x = " + "[" * DEEP + "]" * DEEP + "\n")
    result = mlsd(isolated_home, "cases")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "deep.toml" in result.stderr and "nested" in result.stderr
    assert all(case in result.stdout for case in ("delivery-time", "payment-fraud", "product-recs"))


def test_a_config_file_nested_too_deeply_is_one_line(mlsd, isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("theme = " + "[" * DEEP + "]" * DEEP + "\n")
    one_line(mlsd(isolated_home, "history"), "config.toml", "nested")


def test_deeply_nested_json_is_one_line_for_import_and_for_score(mlsd, isolated_home, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "mlsd-session", "session": ' + "[" * DEEP + "]" * DEEP + "}")
    one_line(mlsd(isolated_home, "import", deep), "deep.json", "nested")
    one_line(mlsd(isolated_home, "score", deep), "deep.json", "nested")
    assert sessions_in(isolated_home) == 0


# ---------------------------------------------------------------------- not a regular file, or too big
def test_importing_dev_zero_is_one_line_at_once(isolated_home):
    one_line(in_a_process(isolated_home, "import", "/dev/zero"), "/dev/zero", "regular file")
    one_line(in_a_process(isolated_home, "score", "/dev/zero"), "/dev/zero", "regular file")


def test_importing_a_fifo_is_one_line_instead_of_waiting_forever(isolated_home, tmp_path):
    fifo = tmp_path / "talk.txt"
    os.mkfifo(fifo)
    one_line(in_a_process(isolated_home, "import", fifo), "talk.txt", "FIFO")
    one_line(in_a_process(isolated_home, "score", fifo), "talk.txt", "FIFO")


def test_a_fifo_in_the_cases_folder_is_skipped_with_one_line(isolated_home):
    (isolated_home / "cases").mkdir(parents=True)
    os.mkfifo(isolated_home / "cases" / "x.toml")
    result = in_a_process(isolated_home, "cases")
    assert result.returncode == 0 and "x.toml" in result.stderr and "FIFO" in result.stderr
    assert "delivery-time" in result.stdout


def test_a_transcript_over_the_size_limit_is_one_line_naming_the_limit(mlsd, isolated_home, tmp_path):
    big = tmp_path / "big.txt"
    line = "[00:01] Candidate: " + "we would use a feature store " * 30 + "\n"
    big.write_text("case: delivery-time\n\n" + line * (6 * 1024 * 1024 // len(line)))
    one_line(mlsd(isolated_home, "import", big), "big.txt", "5.0 MB")
    assert sessions_in(isolated_home) == 0


def test_case_and_config_files_over_their_size_limit_are_refused_with_one_line(mlsd, isolated_home):
    (isolated_home / "cases").mkdir(parents=True)
    (isolated_home / "cases" / "huge.toml").write_text("# padding\n" * 200_000)
    result = mlsd(isolated_home, "cases")
    assert result.returncode == 0 and "huge.toml" in result.stderr and "1.0 MB" in result.stderr
    (isolated_home / "config.toml").write_text("# padding\n" * 200_000)
    one_line(mlsd(isolated_home, "history"), "config.toml", "1.0 MB")


# ---------------------------------------------------------------------- formats
def test_a_transcript_starting_with_a_byte_order_mark_imports(mlsd, isolated_home, tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + MEDIUM.read_bytes())
    result = mlsd(isolated_home, "import", bom)
    assert result.returncode == 0, result.stderr
    assert mlsd(isolated_home, "export", "1").stdout.startswith("case: delivery-time")


def test_a_json_export_starting_with_a_byte_order_mark_imports(mlsd, isolated_home, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(export_of(tmp_path)).encode())
    assert mlsd(isolated_home, "import", path).returncode == 0


def test_a_json_file_whose_top_level_is_an_array_gets_a_json_error(mlsd, isolated_home, tmp_path):
    path = write_json(tmp_path / "list.json", [export_of(tmp_path)])
    one_line(mlsd(isolated_home, "import", path), "list.json", "JSON object")
    one_line(mlsd(isolated_home, "score", path), "list.json", "JSON object")


# ---------------------------------------------------------------------- numbers out of range
def refused(path: Path, *needles: str) -> None:
    """What import and score say of `path`, in process: the CLI prints this one line."""
    with pytest.raises(TranscriptError) as error:
        load_file(path, load_rubric())
    assert "\n" not in str(error.value) and all(n in str(error.value) for n in needles), str(error.value)


def test_bad_minutes_in_a_transcript_header_are_refused_at_import(mlsd, isolated_home, tmp_path):
    path = tmp_path / "t.txt"
    for minutes in ("0", "-5", "nan", "1e400"):
        path.write_text(MEDIUM.read_text().replace("minutes: 45", f"minutes: {minutes}"))
        refused(path, "t.txt: header minutes")
    path.write_text(MEDIUM.read_text().replace("minutes: 45", "minutes: inf"))
    one_line(mlsd(isolated_home, "import", path), "t.txt: header minutes: inf is outside 1..240")
    one_line(mlsd(isolated_home, "score", path), "t.txt: header minutes")
    assert sessions_in(isolated_home) == 0


def test_bad_minutes_in_a_json_export_are_refused_at_import(mlsd, isolated_home, tmp_path):
    path = tmp_path / "s.json"
    for minutes in ("Infinity", "0", "-5", "NaN"):
        text = json.dumps(export_of(tmp_path)).replace('"minutes": 45.0', f'"minutes": {minutes}')
        assert minutes in text
        path.write_text(text)
        refused(path, "s.json: session.minutes")
    one_line(mlsd(isolated_home, "import", path), "s.json: session.minutes")
    assert sessions_in(isolated_home) == 0


def test_an_oversized_time_in_a_transcript_is_one_line_naming_the_line(mlsd, isolated_home, tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(MEDIUM.read_text().replace("[44:50] Interviewer", "[99999999999999999999:00] Interviewer"))
    one_line(mlsd(isolated_home, "import", path), "t.txt: line 26")
    one_line(mlsd(isolated_home, "score", path), "t.txt: line 26")
    assert sessions_in(isolated_home) == 0


def test_an_oversized_number_in_a_json_export_leaves_no_half_imported_session(mlsd, isolated_home, tmp_path):
    data = export_of(tmp_path)
    data["turns"][-1]["elapsed"] = 2 ** 63
    one_line(mlsd(isolated_home, "import", write_json(tmp_path / "s.json", data)), "s.json", "elapsed")
    data = export_of(tmp_path)
    data["session"]["seed"] = 2 ** 64
    one_line(mlsd(isolated_home, "import", write_json(tmp_path / "s.json", data)), "s.json", "seed")
    assert sessions_in(isolated_home) == 0


# ---------------------------------------------------------------------- scores an import claims
def test_imported_scores_are_recomputed_not_trusted(mlsd, isolated_home, tmp_path):
    data = export_of(tmp_path, "delivery-time.weak")
    honest = data["scores"]["offline"]["overall"]
    forged = json.loads(json.dumps(data["scores"]["offline"]))
    forged["overall"] = 100.0
    for cat in forged["categories"].values():
        cat["score"] = 100.0
        for c in cat["criteria"]:
            c.update(status="met", turn=2, quote="I designed a flawless system with every detail covered.")
    data["scores"] = {"offline": forged, "llm": {**forged, "scorer": "llm"}}
    assert mlsd(isolated_home, "import", write_json(tmp_path / "forged.json", data)).returncode == 0
    history = mlsd(isolated_home, "history").stdout
    assert " 100  " not in history and f" {honest:.0f}  " in history
    report = mlsd(isolated_home, "report", "1", "--format", "md").stdout
    assert "flawless" not in report and "100/100" not in report
    stored = Store(isolated_home / "mlsd.db").scores(1)
    assert stored["offline"].overall == honest
    assert stored["llm"].overall == 0 and all(c.quote is None for cat in stored["llm"].categories.values()
                                              for c in cat.criteria)


def test_an_imported_score_with_an_unknown_criterion_is_one_line(mlsd, isolated_home, tmp_path):
    data = export_of(tmp_path)
    data["scores"]["offline"]["categories"]["framing"]["criteria"][0]["id"] = "charisma"
    one_line(mlsd(isolated_home, "import", write_json(tmp_path / "s.json", data)), "s.json",
             "unknown criterion 'charisma'")
    assert sessions_in(isolated_home) == 0


def test_an_imported_score_with_a_wrong_weight_is_one_line(mlsd, isolated_home, tmp_path):
    data = export_of(tmp_path)
    for weight in (-10, 0, 1000):
        data["scores"]["offline"]["categories"]["monitoring"]["weight"] = weight
        refused(write_json(tmp_path / "s.json", data), "scores.offline.categories.monitoring.weight")
    one_line(mlsd(isolated_home, "import", tmp_path / "s.json"), "s.json", "1000 is not the rubric's 15")
    assert sessions_in(isolated_home) == 0


# ---------------------------------------------------------------------- output that cannot be written
def test_a_report_to_a_full_device_is_one_line(mlsd, isolated_home):
    assert mlsd(isolated_home, "import", MEDIUM).returncode == 0
    with open("/dev/full", "w") as full:
        one_line(in_a_process(isolated_home, "report", "1", stdout=full), "standard output")


def test_an_output_file_is_replaced_whole_or_left_as_it_was(mlsd, isolated_home, tmp_path):
    long = tmp_path / "long.txt"
    long.write_text(MEDIUM.read_text().replace("we might be missing some signals like weather.",
                                               "we might be missing signals. " + "weather matters. " * 20_000))
    assert mlsd(isolated_home, "import", long).returncode == 0
    out = tmp_path / "out.json"
    assert mlsd(isolated_home, "export", "1", "-o", out).returncode == 0
    before = out.read_bytes()
    assert len(before) > 300_000

    def small_files():  # as a full disk would: writes past 128 KB fail
        resource.setrlimit(resource.RLIMIT_FSIZE, (128 * 1024, resource.RLIM_INFINITY))

    one_line(in_a_process(isolated_home, "export", "1", "-o", out, preexec_fn=small_files), "out.json",
             "cannot write")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.json")] == []


# ---------------------------------------------------------------------- bytes meant for the terminal
def test_terminal_escapes_in_case_titles_and_transcripts_never_reach_the_terminal(mlsd, isolated_home, tmp_path):
    (isolated_home / "cases").mkdir(parents=True)
    (isolated_home / "cases" / "evil.toml").write_text(
        'id = "evil"\ntitle = "Evil \\u001b]0;pwned\\u0007\\u001b[2J"\nsummary = "s"\nprompt = "p"\n')
    cases = mlsd(isolated_home, "cases")
    assert cases.returncode == 0 and "evil" in cases.stdout
    assert "\x1b" not in cases.stdout and "\x07" not in cases.stdout
    path = tmp_path / "t.txt"
    path.write_text("case: evil\x1b[31m\n\n[00:00] Interviewer: Hi.\n"
                    "[00:05] Candidate: Hello \x1b]0;pwned\x07 \x9b2J there.\n")
    assert mlsd(isolated_home, "import", path).returncode == 0
    for args in (("replay", "1"), ("history",), ("score", "1"), ("score", path)):
        result = mlsd(isolated_home, *args)
        shown = result.stdout + result.stderr
        assert result.returncode == 0 and not any(c in shown for c in "\x1b\x07\x9b"), (args, shown)
    assert "Hello" in mlsd(isolated_home, "replay", "1").stdout


# ---------------------------------------------------------------------- settings that cannot work
def test_a_non_ascii_api_key_is_one_line_that_does_not_show_it(mlsd, isolated_home):
    result = mlsd(isolated_home, "practice", "--plain", env={"OPENAI_API_KEY": "sk-ключ-42"})
    one_line(result, "OPENAI_API_KEY")
    assert "ключ" not in result.stderr


def test_a_base_url_that_is_not_a_url_is_one_line(mlsd, isolated_home):
    for url in ("http://[::1", "ftp://example.com/v1", "localhost:8000"):
        one_line(mlsd(isolated_home, "practice", "--plain", env={"OPENAI_BASE_URL": url, "MLSD_MODEL": "m"}),
                 "OPENAI_BASE_URL")


def test_a_config_number_that_is_not_finite_and_positive_is_one_line(mlsd, isolated_home):
    isolated_home.mkdir(parents=True)
    for line in ("timeout = inf", "context_budget = nan", "timeout = -1"):
        (isolated_home / "config.toml").write_text(line + "\n")
        with pytest.raises(SettingsError, match=line.split()[0]):
            load_settings()
    (isolated_home / "config.toml").write_text("timeout = nan\n")
    one_line(mlsd(isolated_home, "history"), "timeout: nan is not a positive number")


def test_the_markdown_report_keeps_titles_and_quotes_on_their_line_and_passes_no_raw_html(cases):
    t = transcript("delivery-time.medium")
    report = score_transcript(t, cases.get("delivery-time"))
    hostile = "<script>alert(1)</script>\n## Injected heading\n\x1b[2J<img src=x onerror=alert(2)>"
    framing = report.categories["framing"]
    framing.criteria[1] = framing.criteria[1].model_copy(update={"status": "met", "turn": 4, "quote": hostile})
    data = ReportInput(report=report, transcript=t, title="Delivery\n# Owned <b>bold</b>",
                       meta={"case": "x\n\n<iframe src=evil>", "session": "1"})
    md = render_report(data, "md")
    assert "<script>" not in md and "<img" not in md and "<b>" not in md and "<iframe" not in md and "\x1b" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ## Injected heading" in md
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[0] == f"# Delivery # Owned &lt;b&gt;bold&lt;/b&gt;: {report.overall:.0f}/100"
    assert not any("Injected" in h or "Owned" in h for h in headings[1:])


def test_the_markdown_debrief_keeps_the_judges_words_and_the_references_on_their_line(cases, rubric):
    t = transcript("delivery-time.medium")
    hostile = "<script>alert(1)</script>\n## Injected heading\n<img src=x onerror=alert(2)>"
    case = cases.get("delivery-time")
    case = case.model_copy(update={"references": {**case.references, "fallback": "Strong " + hostile}})
    report = with_references(score_transcript(t, case), case)
    fallback = report.categories["system_design"].criteria
    at = next(n for n, c in enumerate(fallback) if c.id == "fallback")
    fallback[at] = fallback[at].model_copy(update={"rationale": "Judged " + hostile})
    data = ReportInput(report=report, transcript=t, title="Delivery", meta={"session": "1"},
                       debrief=debrief(report, t, rubric, case))
    md = render_report(data, "md")
    assert "<script>" not in md and "<img" not in md
    assert "Strong &lt;script&gt;alert(1)&lt;/script&gt; ## Injected heading" in md
    assert "Judged &lt;script&gt;alert(1)&lt;/script&gt; ## Injected heading" in md
    assert not any("Injected" in line for line in md.splitlines() if line.startswith("#"))


def test_only_the_first_part_of_a_huge_turn_is_read_so_each_turn_costs_a_bounded_amount(cases):
    evidence = "New restaurants with no history use the city median prep time for their cuisine."
    filler = "We would think about the problem carefully and talk it through. " * (MAX_TURN_CHARS // 50)

    def cold_start(text: str) -> str:
        t = Transcript(case_id="delivery-time", turns=[Turn(speaker="candidate", text=text, elapsed=700)])
        return score_transcript(t, cases.get("delivery-time")).criterion("cold_start").status

    assert cold_start(evidence + " " + filler) == "met"
    assert cold_start(filler + " " + evidence) == "missed"
