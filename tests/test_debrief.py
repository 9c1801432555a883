"""The debrief: for each missed or partly met criterion, the candidate's own closest sentence
(or "not raised") beside what a strong answer says; for each met one, what made it count. On
the report screen (a tab beside Criteria and Common mistakes) and in every export."""
from __future__ import annotations

import io
import json

from rich.console import Console

from mlsd.core.transcript import Transcript, Turn
from mlsd.rubric.debrief import debrief, stem
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.references import with_references
from mlsd.rubric.report import render_report
from mlsd.rubric.score import CriterionScore
from mlsd.sessions.reporting import session_report
from mlsd.sessions.store import Store
from mlsd.tui.app import Start
from mlsd.tui.screens.report import ReportScreen

from app_helpers import make_app, seed, stored_session, until
from conftest import transcript


def plain(renderable, width: int) -> str:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as captured:
        console.print(renderable)
    return captured.get()


def scored(name, cases, rubric):
    t = transcript(name)
    case = cases.get(t.case_id)
    return t, case, with_references(score_transcript(t, case, rubric), case)


def items(name, cases, rubric):
    t, case, report = scored(name, cases, rubric)
    return {i.id: i for i in debrief(report, t, rubric, case).items}


def test_a_point_never_raised_says_so_beside_the_reference(cases, rubric):
    cold = items("delivery-time.weak", cases, rubric)["cold_start"]
    assert cold.status == "missed" and cold.said is None and cold.turn is None
    assert cold.reference == cases.get("delivery-time").references["cold_start"]


def test_a_missed_point_shows_the_candidates_closest_sentence(cases, rubric):
    # Timestamps and a careful join hint at point-in-time correctness without saying it: the
    # checklist misses it, and the debrief shows the candidate where they came closest.
    case = cases.get("delivery-time")
    hinted = "So I'd compute features with timestamps and join them carefully."
    t = Transcript(case_id="delivery-time", turns=[
        Turn(speaker="interviewer", text="How would you build the training data?", elapsed=600),
        Turn(speaker="candidate", text="We take last month's orders with their delivery times. " + hinted,
             elapsed=630)])
    report = with_references(score_transcript(t, case, rubric), case)
    item = next(i for i in debrief(report, t, rubric, case).items if i.id == "point_in_time")
    assert item.status == "missed" and item.said == hinted and (item.turn, item.at) == (2, "10:30")


def test_a_sentence_is_closest_only_to_the_reference_it_shares_its_own_terms_with(cases, rubric):
    case = cases.get("delivery-time")
    t = Transcript(case_id="delivery-time", turns=[
        Turn(speaker="interviewer", text="Go ahead.", elapsed=0),
        Turn(speaker="candidate", text="The weather is nice today and I like food.", elapsed=10)])
    report = with_references(score_transcript(t, case, rubric), case)
    assert all(i.said is None for i in debrief(report, t, rubric, case).to_work_on)


def test_a_partly_met_point_shows_the_quote_that_earned_it(cases, rubric):
    t, case, report = scored("delivery-time.medium", cases, rubric)
    partial = [i for i in debrief(report, t, rubric, case).items if i.status == "partial"]
    assert partial
    for item in partial:
        c = report.criterion(item.id)
        assert item.said == c.quote and item.turn == c.turn and item.reference == case.references[item.id]


def test_a_met_point_says_what_made_it_count(cases, rubric):
    cold = items("delivery-time.medium", cases, rubric)["cold_start"]
    assert cold.status == "met" and cold.reference is None
    assert cold.why.startswith("Met after a probe")
    assert "in line with a strong answer on: restaurant, average, prep" in cold.why


def test_the_judges_rationale_is_what_the_debrief_says_for_its_verdict(cases, rubric):
    t, case, report = scored("delivery-time.medium", cases, rubric)
    judged = report.model_copy(deep=True, update={"scorer": "llm"})
    judged.categories["data_features"].criteria[2] = CriterionScore(
        id="cold_start", status="missed", rationale="Only the city average for restaurants; nothing for drivers.")
    item = next(i for i in debrief(judged, t, rubric, case, checklist=report).items if i.id == "cold_start")
    assert item.why == "Only the city average for restaurants; nothing for drivers."
    # The checklist's quote is where the candidate came closest.
    assert item.said == report.criterion("cold_start").quote


def test_plurals_and_verb_endings_fold_together():
    assert stem("retrains") == stem("retraining") == stem("retrained")
    assert stem("features") == stem("feature") and stem("restaurants") == stem("restaurant's")
    assert stem("entities") == "entity" and stem("bias") == "bias"


def test_markdown_and_html_exports_carry_the_debrief(isolated_home, cases):
    store = Store(isolated_home / "mlsd.db")
    sid = stored_session(store, "delivery-time.medium", "2026-11-18T09:30:00+00:00")
    data = session_report(store, sid, cases.get).data
    md, html = render_report(data, "md"), render_report(data, "html")
    reference = cases.get("delivery-time").references["label_delay"]
    assert "## Debrief" in md and "### To work on" in md and "### What counted" in md
    assert f"- **A strong answer**: {reference}" in md
    assert "#### ✘ Addresses the feedback loop and label delay (missed)\n\n- **You**: not raised" in md
    assert "<h2>Debrief</h2>" in html and "not raised" in html and "30-90 min after the prediction" in html


def test_json_export_carries_the_debrief(isolated_home, cases):
    store = Store(isolated_home / "mlsd.db")
    sid = stored_session(store, "delivery-time.medium", "2026-11-18T09:30:00+00:00")
    doc = json.loads(render_report(session_report(store, sid, cases.get).data, "json"))
    by_id = {i["id"]: i for i in doc["debrief"]["items"]}
    assert by_id["label_delay"]["said"] is None and by_id["label_delay"]["reference"]
    assert by_id["cold_start"]["why"].startswith("Met after a probe")
    assert "class_imbalance" not in by_id  # not applicable to this case


async def test_the_debrief_tab_sits_beside_criteria_and_shows_the_reference():
    app, _ = make_app(Start("report", session_id=2))
    seed(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.result is not None)
        tabs = [str(t.label) for t in app.screen.query("Tab")]
        assert tabs[:2] == ["Criteria", "Debrief"] and tabs[2].startswith("Common mistakes")
        await pilot.press("t")
        assert app.screen.query_one("TabbedContent").active == "tab-debrief"
        assert app.screen.focused.id == "debrief-scroll"
        text = plain(app.screen.query_one("#debrief").content, 78)
        assert "Scored by the offline checklist." in text and "To work on" in text and "What counted" in text
        assert "not raised" in text


def test_a_stored_report_from_before_references_gains_them(isolated_home, cases):
    store = Store(isolated_home / "mlsd.db")
    sid = stored_session(store, "payment-fraud.weak", "2026-11-18T09:30:00+00:00")
    bare = score_transcript(store.transcript(sid), cases.get("payment-fraud"))  # as stored by an older mlsd
    store.save_score(sid, bare)
    report = session_report(store, sid, cases.get).data.report
    assert report.criterion("capacity").reference == cases.get("payment-fraud").references["capacity"]
