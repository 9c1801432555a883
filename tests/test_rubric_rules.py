"""The rubric and case files as data the code trusts: criteria are found by the role they
play, a rule term means one thing, and a reference to a name that does not exist is an
error at load, not a rule that silently never matches."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from mlsd.prompts.loader import CaseFileError, load_case
from mlsd.rubric.model import RUBRIC_FILE, Rubric, Term
from mlsd.rubric.offline_scorer import score_transcript

from conftest import transcript

CASES = Path(__file__).resolve().parent.parent / "prompts" / "cases"


def rubric_with(edit) -> Rubric:
    data = tomllib.loads(RUBRIC_FILE.read_text())
    edit(data)
    return Rubric.model_validate(data)


def test_at_two_means_two_distinct_finds_of_a_phrase_set_or_a_detector():
    detectors = {"latency_ms"}
    assert Term.parse("@2:data_source", detectors) == Term(name="data_source", detector=False, min=2)
    assert Term.parse("@2:latency_ms", detectors) == Term(name="latency_ms", detector=True, min=2)
    assert Term.parse("@latency_ms", detectors) == Term(name="latency_ms", detector=True, min=1)
    assert Term.parse("cold_start_term", detectors) == Term(name="cold_start_term", detector=False, min=1)


def test_the_diagram_criterion_is_found_by_its_role_not_its_id(cases):
    def rename(data):
        for c in data["criteria"]:
            if c["id"] == "diagram":
                c["id"] = "draws_a_diagram"
    rubric = rubric_with(rename)
    t = transcript("delivery-time.weak").model_copy(update={"diagram": "app -> eta api -> model"})
    report = score_transcript(t, None, rubric)
    assert report.criterion("draws_a_diagram").status == "met"
    assert report.criterion("draws_a_diagram").quote == "app -> eta api -> model"


def test_a_rule_naming_a_phrase_set_that_does_not_exist_fails_at_load():
    def typo(data):
        data["criteria"][1]["met"] = [["task_tpye"]]
    with pytest.raises(ValidationError, match="'task_tpye' is not a phrase set"):
        rubric_with(typo)


def test_a_role_taken_twice_fails_at_load():
    def twice(data):
        data["criteria"][2]["special"] = "diagram"
    with pytest.raises(ValidationError, match="one criterion at most"):
        rubric_with(twice)


def broken_case(tmp_path, old: str, new: str) -> Path:
    path = tmp_path / "delivery-time.toml"
    text = (CASES / "delivery-time.toml").read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('task = "regression"', 'task = "regresion"', "task: unknown task type 'regresion'"),
    ("\ndata_source = [", "\ndata_sources = [", "phrases: unknown phrase set 'data_sources'"),
    ("\ncold_start = [", "\ncold_starts = [", "probes: unknown criterion 'cold_starts'"),
])
def test_a_case_naming_what_the_rubric_lacks_is_one_line_naming_file_and_field(tmp_path, rubric, old, new,
                                                                              message):
    path = broken_case(tmp_path, old, new)
    with pytest.raises(CaseFileError) as caught:
        load_case(path, rubric.vocabulary())
    assert str(caught.value).startswith(f"{path}: {message}") and "\n" not in str(caught.value)
