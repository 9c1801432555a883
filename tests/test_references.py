"""References in the case files: what a strong answer says per criterion (with the seed's
figures), the seed's tradeoffs and curveballs; validated at load; carried by every missed or
partly met criterion of a known case in the Score JSON and the report JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mlsd.prompts.case import TRADEOFFS
from mlsd.prompts.loader import CaseFileError, load_case
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.references import with_references

from conftest import transcript

TRANSCRIPTS = Path(__file__).parent / "data" / "transcripts"
CASE = 'id = "search"\ntitle = "Search"\nsummary = "Rank results."\nprompt = "Design search ranking."\n'


def mlsd(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], capture_output=True, text=True, timeout=60)


def test_every_seed_case_has_a_reference_for_every_criterion_that_applies(cases, rubric):
    for case in cases.cases:
        applicable = {c for c in rubric.criterion_ids if c not in case.not_applicable}
        assert set(case.references) == applicable, case.id
        assert all(len(text.split()) >= 12 for text in case.references.values()), case.id


@pytest.mark.parametrize("case_id, criterion, figures", [
    ("delivery-time", "cold_start", ["city average", "city median"]),
    ("delivery-time", "fallback", ["distance x 6 + 15 min"]),
    ("delivery-time", "latency_breakdown", ["100 ms", "20 ms"]),
    ("delivery-time", "capacity", ["580", "30 replicas"]),
    ("delivery-time", "label_delay", ["30-90 min", "1 h"]),
    ("delivery-time", "retraining_trigger", ["weekly", "5 percentage points"]),
    ("delivery-time", "drift", ["PSI", "distance_km"]),
    ("payment-fraud", "ml_task", ["score"]),
    ("payment-fraud", "feature_computation", ["Three tiers"]),
    ("payment-fraud", "baseline", ["max(lgbm_score, rule_score)"]),
    ("payment-fraud", "business_vs_ml_metric", ["precision-recall AUC"]),
    ("payment-fraud", "label_delay", ["7-30 days", "~2%"]),
    ("payment-fraud", "capacity", ["1,157", "12 replicas"]),
    ("payment-fraud", "retraining_trigger", ["same day"]),
    ("product-recs", "model_tradeoffs", ["~500 candidates", "30 ms"]),
    ("product-recs", "capacity", ["2,083", "250,000 s"]),
    ("product-recs", "monitoring_metrics", ["NDCG@10", "coverage", "novelty", "CTR", "conversion"]),
    ("product-recs", "retraining_trigger", ["daily", "weekly", "hourly"]),
])
def test_references_carry_the_seeds_own_figures(cases, case_id, criterion, figures):
    reference = cases.get(case_id).references[criterion]
    for figure in figures:
        assert figure in reference, (criterion, figure)


def test_seed_cases_name_the_tradeoffs_that_matter_for_them(cases):
    named = {c.id: {t.id for t in c.tradeoffs} for c in cases.cases}
    assert {"precision_vs_recall", "automation_vs_review"} <= named["payment-fraud"]
    assert "global_vs_segment" in named["delivery-time"]
    assert "online_vs_batch" in named["product-recs"]
    assert all(c.curveballs for c in cases.cases)
    assert set().union(*named.values()) <= set(TRADEOFFS)


@pytest.mark.parametrize("extra, message", [
    ('[references]\ncold_strat = "New restaurants use the city average prep time."\n',
     "references: unknown criterion 'cold_strat'"),
    ('not_applicable = ["explainability"]\n[references]\nexplainability = "RBI wants reasons."\n',
     "references.explainability: the case marks 'explainability' not applicable"),
    ('[references]\ncold_start = "  "\n', "references: 'cold_start' needs a non-empty reference"),
    ('[[tradeoffs]]\nid = "speed_vs_taste"\nquestion = "q"\nstrong_answer = "a"\n', "tradeoffs[0] (speed_vs_taste).id"),
    ('[[curveballs]]\nid = "x"\nquestion = "q"\nstrong_answer = "a"\n[[curveballs]]\nid = "x"\nquestion = "q2"\n'
     'strong_answer = "a2"\n', "curveballs[1].id: duplicate id 'x'"),
    ('[[curveballs]]\nid = "x"\nquestion = "q"\n', "curveballs[0] (x).strong_answer: is required"),
])
def test_a_bad_reference_is_one_line_naming_the_file_and_field(tmp_path, rubric, extra, message):
    path = tmp_path / "search.toml"
    # Top-level keys must come before the first table: put them first whatever the case.
    top, _, tables = extra.partition("[")
    path.write_text(CASE + top + ("[" + tables if tables else ""))
    with pytest.raises(CaseFileError) as err:
        load_case(path, rubric.vocabulary())
    text = str(err.value)
    assert text.startswith(f"{path}: ") and message in text and "\n" not in text


def test_a_user_case_may_carry_references_or_none(tmp_path, rubric):
    bare = tmp_path / "bare.toml"
    bare.write_text(CASE)
    assert load_case(bare, rubric.vocabulary()).references == {}
    rich = tmp_path / "rich.toml"
    rich.write_text(CASE + '[references]\ncold_start = "A new query falls back to BM25 ranking."\n'
                    '[[tradeoffs]]\nid = "online_vs_batch"\nquestion = "Precompute?"\n'
                    'strong_answer = "No: queries vary."\n')
    case = load_case(rich, rubric.vocabulary())
    assert case.references["cold_start"].startswith("A new query") and case.tradeoffs[0].id == "online_vs_batch"


def test_missed_and_partial_criteria_carry_the_reference_and_met_ones_do_not(cases, rubric):
    t = transcript("delivery-time.medium")
    case = cases.get("delivery-time")
    report = with_references(score_transcript(t, case, rubric), case)
    criteria = [c for cat in report.categories.values() for c in cat.criteria]
    assert {c.status for c in criteria} >= {"met", "partial", "missed", "n/a"}
    for c in criteria:
        assert (c.reference == case.references[c.id]) if c.status in ("missed", "partial") else c.reference is None
    assert "reference" not in json.loads(report.model_dump_json())["categories"]["model"]["criteria"][2]  # n/a


def test_an_unknown_case_has_no_references_to_give(rubric):
    report = with_references(score_transcript(transcript("delivery-time.weak"), None, rubric), None)
    assert all(c.reference is None for cat in report.categories.values() for c in cat.criteria)


def test_score_json_of_a_seed_transcript_has_a_reference_on_every_missed_criterion():
    result = mlsd("score", TRANSCRIPTS / "payment-fraud.medium.txt", "--json")
    assert result.returncode == 0, result.stderr
    short = [c for cat in json.loads(result.stdout)["categories"].values() for c in cat["criteria"]
             if c["status"] in ("missed", "partial")]
    assert short and all(c["reference"].strip() for c in short)


def test_an_imported_seed_transcript_reports_references_and_a_debrief_in_json(isolated_home):
    assert mlsd("import", TRANSCRIPTS / "product-recs.medium.txt").returncode == 0
    result = mlsd("report", "1", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    missed = [c for cat in doc["categories"].values() for c in cat["criteria"] if c["status"] == "missed"]
    assert missed and all(c["reference"].strip() for c in missed)
    assert doc["scorer"] == "offline" and "checklist" not in doc  # no judge configured: the checklist is the score
    assert doc["level"]["estimate"] in ("junior", "mid", "senior", "staff") and doc["level"]["reasons"]
    debriefed = {i["id"]: i for i in doc["debrief"]["items"]}
    assert {c["id"] for c in missed} <= set(debriefed)
    assert all(debriefed[c["id"]]["reference"] == c["reference"] for c in missed)
