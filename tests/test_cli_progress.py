"""Time use and comparing attempts, through the `mlsd` command: what the bar
checks as a user runs it (a subprocess), the rest through the same entry point in this
process, which is faster; both on a real SQLite file."""
import io
import json
import subprocess

import pytest
from test_cli import TRANSCRIPTS, assert_one_line_error, mlsd

from mlsd.tui.cli import main


@pytest.fixture
def cli(capsys, monkeypatch):
    """`mlsd ARGS` in this process: a CompletedProcess like the subprocess one."""
    def run(*args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)
    return run


def imported(*names, run=mlsd):
    for name in names:
        assert run("import", TRANSCRIPTS / f"{name}.txt").returncode == 0


def test_the_report_json_of_an_imported_session_has_its_time_use():
    imported("delivery-time.strong")
    doc = json.loads(mlsd("report", "1", "--format", "json").stdout)
    assert doc["overall"] > 80 and "categories" in doc
    phases = doc["timing"]["phases"]
    assert [p["id"] for p in phases] == ["clarify", "framing", "data_features", "model_serving", "scale_monitoring",
                                         "tradeoffs"]
    assert phases[0]["planned_s"] == 300 and all(isinstance(p["actual_s"], int) for p in phases)
    assert doc["timing"]["first_question_s"] == 30


def test_the_markdown_report_draws_the_timeline(cli):
    imported("delivery-time.weak", run=cli)
    md = cli("report", "1").stdout
    assert "## Time use" in md
    planned = next(line for line in md.splitlines() if line.startswith("planned  "))
    covered = next(line for line in md.splitlines() if line.startswith("covered  "))
    assert planned[9:].startswith("CCCCC") and "M" in covered[9:20]  # model talk while the plan says clarify


def test_compare_json_has_categories_with_delta_criteria_timing_and_level():
    imported("delivery-time.weak", "delivery-time.strong")
    doc = json.loads(mlsd("compare", "1", "2", "--json").stdout)
    assert {"categories", "criteria", "timing", "level"} <= set(doc)
    assert doc["categories"]["framing"]["delta"] > 0
    assert doc["criteria"]["cold_start"]["change"] == "newly met" and "cold_start" in doc["newly_met"]
    assert doc["timing"]["phases"][0]["id"] == "clarify" and "delta_s" in doc["timing"]["phases"][0]
    assert doc["level"] == {"a": None, "b": None, "change": None}  # this scorer estimates no level


def test_compare_as_text_shows_scores_criteria_and_time(cli):
    imported("delivery-time.weak", "delivery-time.strong", run=cli)
    out = cli("compare", "1", "2").stdout
    assert "A: session 1 (delivery-time" in out and "Newly met" in out
    assert "Addresses cold start for new entities" in out and "Clarify" in out and "First question" in out


def test_compare_needs_two_known_sessions(cli):
    imported("delivery-time.weak", run=cli)
    assert_one_line_error(cli("compare", "1", "7"), "no session 7")
    assert_one_line_error(cli("compare", "1", "1"), "two different sessions")
