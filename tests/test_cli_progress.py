"""Time use, comparing attempts, drills and history, through the `mlsd` command: what the bar
checks as a user runs it (a subprocess), the rest through the same entry point in this
process, which is faster; both on a real SQLite file."""
import json

from test_cli import TRANSCRIPTS, assert_one_line_error, mlsd

from mlsd.sessions.store import Store


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
    assert doc["level"] == {"a": "junior", "b": "staff", "change": "up"}


def test_compare_as_text_shows_scores_criteria_and_time(cli):
    imported("delivery-time.weak", "delivery-time.strong", run=cli)
    out = cli("compare", "1", "2").stdout
    assert "A: session 1 (delivery-time" in out and "Newly met" in out
    assert "Addresses cold start for new entities" in out and "Clarify" in out and "First question" in out


def test_compare_needs_two_known_sessions(cli):
    imported("delivery-time.weak", run=cli)
    assert_one_line_error(cli("compare", "1", "7"), "no session 7")
    assert_one_line_error(cli("compare", "1", "1"), "two different sessions")


def test_a_focused_drill_starts_in_plain_mode_and_is_scored_on_its_category():
    run = mlsd("practice", "--focus", "monitoring", "--plain", "--seed", "2",
               stdin="I'd track the prediction distribution daily with PSI as traffic patterns drift.\n/end\n")
    assert run.returncode == 0, run.stderr
    assert "Monitoring drill on Delivery-time prediction (delivery-time), 10 minutes, session 1" in run.stdout
    assert "drill on monitoring" in run.stdout or "drill monitoring" in run.stdout
    assert "Monitoring" in run.stdout and "Data and features" not in run.stdout
    entry = json.loads(mlsd("history", "--json").stdout)["sessions"][0]
    assert (entry["kind"], entry["focus"], entry["minutes"]) == ("drill", "monitoring", 10)
    assert list(entry["categories"]) == ["monitoring"] and not entry["counts_for_progress"]


def test_a_category_that_cannot_be_drilled_is_one_line_naming_the_choices(cli):
    assert_one_line_error(cli("practice", "--focus", "communication", "--plain"),
                          "--focus 'communication'", "monitoring")


def test_resume_keeps_interviews_and_drills_apart(cli, isolated_home):
    store = Store(isolated_home / "mlsd.db")
    interview = store.create_session("delivery-time", "Delivery-time prediction", "offline", 45).id
    drill = store.create_session("delivery-time", "Delivery-time prediction", "offline", 10, focus="monitoring").id
    store.close()
    run = cli("practice", "--resume", "--plain", stdin="/end\n")
    assert f"(delivery-time), 45 minutes, session {interview}\n" in run.stdout
    run = cli("practice", "--resume", "--focus", "monitoring", "--plain", stdin="/end\n")
    assert f"Monitoring drill on Delivery-time prediction (delivery-time), 10 minutes, session {drill}\n" in run.stdout
    assert_one_line_error(cli("practice", "--resume", "--focus", "model", "--plain"), "no unfinished model drills")


def test_history_json_lists_sessions_with_levels_and_the_progress_behind_the_suggestion(cli):
    imported("delivery-time.weak", "payment-fraud.medium", run=cli)
    for sid in ("1", "2"):
        cli("score", sid)
    doc = json.loads(cli("history", "--json").stdout)
    assert [s["id"] for s in doc["sessions"]] == [2, 1]
    assert all("level" in s and s["kind"] == "interview" and s["counts_for_progress"] for s in doc["sessions"])
    progress = doc["progress"]
    assert progress["sessions"] == 2 and len(progress["trends"][0]["values"]) == 2
    weakest = progress["ranking"][0]
    assert weakest["sessions"] == 2 and weakest["category"] != "communication"
    text = cli("history").stdout
    assert f"mlsd practice --focus {weakest['category']}" in text


def test_a_transcript_with_a_focus_header_imports_as_a_drill(tmp_path, cli):
    drill = tmp_path / "drill.txt"
    drill.write_text("case: delivery-time\nminutes: 10\nfocus: monitoring\n\n"
                     "[00:00] Interviewer: What would you monitor?\n"
                     "[01:00] Candidate: I'd track the prediction distribution daily with PSI "
                     "as traffic patterns drift.\n")
    assert cli("import", drill).returncode == 0
    doc = json.loads(cli("report", "1", "--format", "json").stdout)
    assert list(doc["categories"]) == ["monitoring"]
    assert [p["id"] for p in doc["timing"]["phases"]] == ["scale_monitoring"]
    bad = tmp_path / "bad.txt"
    bad.write_text(drill.read_text().replace("focus: monitoring", "focus: cooking"))
    assert_one_line_error(cli("import", bad), "bad.txt: header focus", "'cooking'")


def test_a_drill_exported_as_json_scores_as_a_drill(tmp_path, cli):
    run = cli("practice", "--focus", "model", "--case", "delivery-time", "--plain", "--seed", "5",
              stdin="I'd start with LightGBM because it is fast on tabular data and handles missing values.\n/end\n")
    assert run.returncode == 0
    export = tmp_path / "drill.json"
    assert cli("export", "1", "-o", export).returncode == 0
    scored = json.loads(cli("score", export, "--json").stdout)
    assert list(scored["categories"]) == ["model"]
