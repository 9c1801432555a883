"""What the interviewer asks from a case's tradeoffs and curveballs: the six tradeoffs' shared
wording covers each of the six once, a case's question asks one thing, and what it asks about
is something the interviewer knows. (Ids, duplicates and references: test_references.py.)"""
from pathlib import Path

import pytest

from mlsd.prompts.case import TRADEOFFS
from mlsd.prompts.loader import CaseFileError, load_case
from mlsd.prompts.material import tradeoff_kinds

BASE = '''id = "search-ranking"
title = "Search ranking"
summary = "Rank search results."
prompt = "Design search ranking."
'''


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "search.toml"
    path.write_text(BASE + extra, encoding="utf-8")
    return path


def test_the_shared_wording_covers_each_of_the_six_tradeoffs_once():
    assert sorted(tradeoff_kinds()) == sorted(TRADEOFFS)


@pytest.mark.parametrize(("extra", "needle"), [
    ('[[tradeoffs]]\nid = "online_vs_batch"\nquestion = "Now? Or later?"\nstrong_answer = "Now."\n',
     "tradeoffs[0] (online_vs_batch).question: asks 2 questions"),
    ('[[curveballs]]\nid = "outage"\nquestion = "The region is down. What now?"\nstrong_answer = "Fail over."\n'
     'about = ["resilience"]\n', "curveballs[0].about: 'resilience' is neither a criterion nor a kind of choice"),
])
def test_a_tradeoff_or_curveball_the_interviewer_cannot_ask_is_one_line_naming_the_file_and_field(
        tmp_path, rubric, extra, needle):
    path = write(tmp_path, extra)
    with pytest.raises(CaseFileError) as err:
        load_case(path, rubric.vocabulary())
    message = str(err.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    assert needle in message


def test_a_curveball_may_name_a_kind_of_choice_as_what_it_asks_about(tmp_path, rubric):
    path = write(tmp_path, '[[curveballs]]\nid = "canary_fails"\nquestion = "The canary looks worse. What now?"\n'
                           'strong_answer = "Roll back."\nabout = ["rollout", "monitoring_metrics"]\n')
    assert load_case(path, rubric.vocabulary()).curveballs[0].about == ["rollout", "monitoring_metrics"]


def test_a_case_tradeoff_without_about_asks_about_what_its_kind_does(cases):
    delivery = cases.get("delivery-time")
    from mlsd.interviewer.tradeoff_phase import tradeoffs
    asked = {m.id: m.about for m in tradeoffs(delivery)}
    assert asked["global_vs_segment"] == tradeoff_kinds()["global_vs_segment"].about
