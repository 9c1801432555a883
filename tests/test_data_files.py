"""The rubric, the cases and the interviewer's lines as data: every criterion the interviewer
can probe has a question to ask, every question asks one thing, and a file that breaks either
rule is refused with one line naming the file and the field."""
from __future__ import annotations

import pytest

from mlsd.prompts.lines import interviewer_lines
from mlsd.prompts.loader import CaseFileError, load_case
from mlsd.prompts.material import choice_book, tradeoff_kinds
from mlsd.rubric.model import RUBRIC_FILE, RubricError, load_rubric


def test_every_criterion_the_interviewer_can_probe_has_a_question_in_the_rubric(rubric):
    for c in rubric.criteria:
        assert c.probes or not c.can_be_probed, c.id
    assert rubric.criterion("assumptions").probes


def test_a_rubric_with_a_probeable_criterion_and_no_question_is_refused_in_one_line(tmp_path):
    broken = tmp_path / "rubric.toml"
    text = RUBRIC_FILE.read_text(encoding="utf-8")
    broken.write_text(text.replace('probes = ["What are you assuming', 'probes = []\nold = ["What are you assuming'),
                      encoding="utf-8")
    with pytest.raises(RubricError) as err:
        load_rubric(broken)
    message = str(err.value)
    assert "\n" not in message and str(broken) in message
    assert "criteria[" in message and "(assumptions)" in message


def test_a_rubric_that_is_not_toml_is_one_line_naming_the_file(tmp_path):
    broken = tmp_path / "rubric.toml"
    broken.write_text("[[criteria]\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"rubric\.toml: invalid TOML"):
        load_rubric(broken)


def test_a_case_probe_that_asks_two_questions_is_refused_in_one_line(tmp_path):
    case = tmp_path / "two.toml"
    case.write_text('id = "two"\ntitle = "T"\nsummary = "s"\nprompt = "p"\n'
                    '[probes]\ncold_start = ["What happens? And why?"]\n', encoding="utf-8")
    with pytest.raises(CaseFileError) as err:
        load_case(case, load_rubric().criterion_ids)
    assert "two.toml: probes" in str(err.value) and "asks 2 questions" in str(err.value)


def test_every_question_the_interviewer_can_ask_asks_one_thing(rubric, cases):
    lines = interviewer_lines()
    asked = [p for c in rubric.criteria for p in c.probes]
    asked += [p for case in cases.cases for ps in case.probes.values() for p in ps]
    asked += [q.text for phase in lines.phases.values() for q in phase.questions]
    asked += [q.text for drill in lines.drills.values() for q in drill.follow_ups]
    asked += [c.question for case in cases.cases for c in [*case.tradeoffs, *case.curveballs]]
    asked += [t.question for t in tradeoff_kinds().values()]
    asked += [q.text for kind in choice_book().kinds for q in kind.questions]
    for q in asked:
        assert q.count("?") <= 1, q
    for case in cases.cases:
        for fact in case.facts:
            assert "?" not in fact.answer, (case.id, fact.id)
