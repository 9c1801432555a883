"""The `mlsd` command as a user runs it: a subprocess, a real SQLite file, real files."""
import json
import os
import subprocess
import sys

from conftest import DATA, add_user_case

TRANSCRIPTS = DATA / "transcripts"


def mlsd(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], input=stdin, capture_output=True,
                          text=True, env=os.environ.copy(), timeout=60)


def assert_one_line_error(result, *needles):
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_malformed_case_file_is_one_line_naming_file_and_field_and_others_still_load(isolated_home):
    (isolated_home / "cases").mkdir(parents=True)
    (isolated_home / "cases" / "broken.toml").write_text('id = "broken"\ntitle = "B"\nsummary = "s"\n')
    (isolated_home / "cases" / "syntax.toml").write_text('id = "x\n')
    result = mlsd("cases")
    assert result.returncode == 0
    assert "broken.toml: prompt: is required" in result.stderr
    assert "syntax.toml: invalid TOML" in result.stderr
    assert "delivery-time" in result.stdout and "payment-fraud" in result.stdout


def test_user_case_file_is_listed_and_usable(isolated_home):
    add_user_case(isolated_home)
    assert "search-ranking" in mlsd("cases").stdout
    run = mlsd("practice", "--case", "search-ranking", "--minutes", "5", stdin="How many queries per second?\n/end\n")
    assert run.returncode == 0 and "1,000 queries per second." in run.stdout


def test_transcript_with_a_bad_line_names_the_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("case: delivery-time\n\n[00:00] Interviewer: Hi.\nthis is not a turn\n")
    assert_one_line_error(mlsd("score", bad), "bad.txt: line 4")


def test_unknown_session_id(isolated_home):
    mlsd("import", TRANSCRIPTS / "delivery-time.weak.txt")
    assert_one_line_error(mlsd("report", "42"), "no session 42")


def test_a_database_that_is_not_sqlite(isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "mlsd.db").write_bytes(b"this is not a database at all" * 100)
    assert_one_line_error(mlsd("history"), "mlsd.db", "not an SQLite database")


def test_unknown_case_flag(tmp_path):
    assert_one_line_error(mlsd("practice", "--case", "nope"), "unknown case 'nope'")


def test_score_a_file_as_json(tmp_path):
    result = mlsd("score", TRANSCRIPTS / "payment-fraud.strong.txt", "--json")
    data = json.loads(result.stdout)
    assert data["case"] == "payment-fraud" and data["overall"] > 80


def test_score_without_a_case_header_reads_what_applies_from_the_transcript(tmp_path):
    text = (TRANSCRIPTS / "delivery-time.strong.txt").read_text().split("\n\n", 1)[1]
    f = tmp_path / "nocase.txt"
    f.write_text(text)
    result = mlsd("score", f, "--json")
    assert result.returncode == 0 and "generic rubric, applicability read from the transcript" in result.stderr
    data = json.loads(result.stdout)
    statuses = {c["id"]: c["status"] for cat in data["categories"].values() for c in cat["criteria"]}
    # A regression on minutes with no rare class and nobody asking for reasons.
    assert statuses["class_imbalance"] == "n/a" and statuses["explainability"] == "n/a"
    assert statuses["latency_breakdown"] != "n/a" and data["case"] is None


def test_text_export_import_round_trip_is_exact(tmp_path):
    source = TRANSCRIPTS / "product-recs.medium.txt"
    assert "session 1" in mlsd("import", source).stdout
    first = tmp_path / "a.txt"
    mlsd("export", "1", "-o", first)
    assert "session 2" in mlsd("import", first).stdout
    second = tmp_path / "b.txt"
    mlsd("export", "2", "-o", second)
    assert first.read_text() == second.read_text()
    body = lambda p: p.read_text().split("\n\n", 1)[1]  # noqa: E731 - headers gain what the store knows
    assert body(first) == body(source)


def test_json_export_import_round_trip_is_exact(tmp_path):
    mlsd("practice", "--case", "delivery-time", "--minutes", "3", "--seed", "3",
         stdin="What's the latency budget?\nIt's regression on minutes.\n/end\n")
    a = tmp_path / "a.json"
    mlsd("export", "1", "-o", a)
    mlsd("import", a)
    b = tmp_path / "b.json"
    mlsd("export", "2", "-o", b)
    da, db = json.loads(a.read_text()), json.loads(b.read_text())
    assert da["session"].pop("id") == 1 and db["session"].pop("id") == 2
    assert da == db and len(da["turns"]) == 6 and "offline" in da["scores"]


def test_practice_plain_then_score_history_and_report(tmp_path):
    run = mlsd("practice", "--case", "delivery-time", "--seed", "1",
               stdin="How many orders a day?\nNew restaurants get the city average prep time.\n/end\n")
    assert run.returncode == 0
    assert "About 5 million orders a day" in run.stdout and "/100" in run.stdout
    history = mlsd("history").stdout
    assert "delivery-time" in history and "ended_early" in history
    report = tmp_path / "r.md"
    assert mlsd("report", "1", "-o", report).returncode == 0
    assert "New restaurants get the city average prep time." in report.read_text()
    html = mlsd("report", "1", "--format", "html").stdout
    assert html.startswith("<!doctype html>") and "Addresses cold start" in html


def test_no_key_means_offline_and_says_so(tmp_path):
    run = mlsd("practice", "--case", "payment-fraud", stdin="/end\n")
    assert "Interviewer: offline (no API key or base URL set)" in run.stdout


def test_mlsd_without_a_terminal_lists_the_cases_and_the_history(isolated_home):
    mlsd("import", TRANSCRIPTS / "delivery-time.weak.txt")
    result = mlsd()
    assert result.returncode == 0, result.stderr
    assert "delivery-time" in result.stdout and "Start a session: mlsd practice" in result.stdout


def test_zero_minutes_is_refused_like_any_length_outside_the_range(tmp_path):
    for minutes in ("0", "-5", "0.5"):
        assert_one_line_error(mlsd("practice", "--plain", "--case", "delivery-time", "--minutes", minutes, stdin=""),
                              "minutes", "outside 1..240")


def test_zero_minutes_in_the_config_file_is_refused_too(isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("minutes = 0\n")
    assert_one_line_error(mlsd("practice", "--plain", "--case", "delivery-time", stdin=""), "minutes: 0")
