"""`mlsd calibrate DIR`: how a scorer agrees with expert labels. The development split is the
one the offline scorer was tuned on, so its floors guard against regressions; the held-out
splits are measured, not asserted on here."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.llm_server import FakeLLM
from mlsd.rubric.calibration import CalibrationError, calibrate, ranks, read_labels, spearman
from mlsd.sessions.scoring import offline_score, plan_of
from mlsd.sessions.transcript_text import parse_text
from mlsd.tui.cli import main

from conftest import DATA

DEV = DATA / "calibration" / "dev"
SEED = DATA / "transcripts"


def mlsd(*args):
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


@pytest.fixture
def small(tmp_path) -> Path:
    """Three seed transcripts with labels, one problem: strong, medium, weak."""
    folder = tmp_path / "small"
    folder.mkdir()
    labels = {}
    for kind, overall in (("strong", 92), ("medium", 45), ("weak", 12)):
        shutil.copy(SEED / f"delivery-time.{kind}.txt", folder / f"delivery-time.{kind}.txt")
        labels[f"delivery-time.{kind}"] = {"overall": overall, "categories": {"framing": overall, "model": overall}}
    (folder / "labels.json").write_text(json.dumps(labels))
    return folder


def test_ranks_share_ties_and_spearman_is_one_for_the_same_order():
    assert ranks([10, 30, 20, 30]) == [1.0, 3.5, 2.0, 3.5]
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 3, 4], [40, 30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([5, 5, 5], [1, 2, 3]) is None


def test_the_development_split_keeps_the_agreement_it_was_tuned_to(cases, rubric):
    def score(path):
        t = parse_text(path.read_text(encoding="utf-8"), str(path))
        return offline_score(t, cases.get(t.case_id or ""), plan_of(t, rubric, str(path)), rubric)

    result = calibrate(DEV, score, "offline")
    gaps = result.gaps
    assert result.n == 28 and set(result.categories) == {
        "framing", "data_features", "model", "system_design", "monitoring", "communication"}
    assert result.spearman >= 0.90
    assert result.mae <= 7
    assert gaps["strong-medium"].min >= 15 and gaps["medium-weak"].min >= 15
    # On average stuffing and grader notes gain at most what the targets allow; on the worst
    # problem, no more than this split reaches today.
    assert gaps["stuffed-weak"].mean <= 5 and gaps["injection-weak"].mean <= 3
    assert gaps["stuffed-weak"].max <= 10 and gaps["injection-weak"].max <= 10
    assert gaps["plain-medium"].min >= 0
    assert all(i["score"] >= 80 for i in result.items if i["stem"].endswith(".strong"))
    assert all(i["level"] == "junior" for i in result.items if i["stem"].endswith((".weak", ".stuffed", ".injection")))


def test_calibrate_prints_agreement_error_per_category_and_level_gaps(small):
    run = mlsd("calibrate", small)
    assert run.returncode == 0, run.stderr
    out = run.stdout
    for needle in ("3 labelled transcripts", "Spearman rank correlation", "mean absolute error", "framing",
                   "strong-medium", "medium-weak", "delivery-time.strong"):
        assert needle in out


def test_calibrate_json_has_the_documented_keys(small):
    run = mlsd("calibrate", small, "--json")
    data = json.loads(run.stdout)
    assert {"spearman", "mae", "n", "categories", "gaps"} <= set(data)
    assert data["n"] == 3 and data["scorer"] == "offline"
    assert data["spearman"] == pytest.approx(1.0)
    assert set(data["categories"]) == {"framing", "model"}
    assert data["gaps"]["strong-medium"]["by_problem"]["delivery-time"] > 0


def test_calibrate_checks_a_judge_model_through_an_openai_compatible_server(small, monkeypatch, capsys):
    with FakeLLM(key="sk-c") as llm:
        llm.reply_for = lambda body: json.dumps({"criteria": []})
        for var, value in (("OPENAI_BASE_URL", llm.base_url), ("OPENAI_API_KEY", "sk-c"), ("MLSD_MODEL", "test-model")):
            monkeypatch.setenv(var, value)
        assert main(["calibrate", str(small), "--scorer", "llm", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scorer"] == "llm" and data["n"] == 3
    assert all(i["score"] == 0 for i in data["items"])  # a judge that claims nothing earns nothing


def test_calibrate_with_the_llm_scorer_and_no_endpoint_is_one_line(small, capsys):
    assert main(["calibrate", str(small), "--scorer", "llm"]) == 2
    err = capsys.readouterr().err
    assert "needs an endpoint" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("content,needle", [
    (None, "labels.json: not found"),
    ("{not json", "labels.json: not valid JSON"),
    ('["a"]', "the top level must be an object"),
    ('{"delivery-time.strong": {"overall": 140}}', "delivery-time.strong.overall"),
    ('{"nowhere.strong": {"overall": 50}}', "no transcript nowhere.strong.txt"),
])
def test_a_bad_labels_file_is_one_line_naming_it(small, content, needle, capsys):
    path = small / "labels.json"
    if content is None:
        path.unlink()
    else:
        path.write_text(content)
    with pytest.raises(CalibrationError, match=r"labels\.json"):
        read_labels(small)
    assert main(["calibrate", str(small)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_a_bad_labels_file_from_the_command_line_is_one_line_and_no_traceback(small):
    (small / "labels.json").write_text("{not json")
    run = mlsd("calibrate", small)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("mlsd: ") and len(run.stderr.strip().splitlines()) == 1


def test_a_folder_that_does_not_exist_is_one_line(tmp_path, capsys):
    assert main(["calibrate", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_a_transcript_without_a_label_is_named_and_skipped(small, capsys):
    shutil.copy(SEED / "payment-fraud.weak.txt", small / "payment-fraud.weak.txt")
    assert main(["calibrate", str(small), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["n"] == 3 and "no label for payment-fraud.weak" in out.err
