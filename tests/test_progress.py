"""Progress across sessions: trends and the weakest category count full interviews only."""
from mlsd.sessions.history import HistoryEntry, SessionSummary
from mlsd.sessions.progress import progress
from mlsd.sessions.store import SessionRow

CATS = ("framing", "data_features", "model", "system_design", "monitoring", "communication")


def summary(sid, scores=None, focus=None, status="completed", answers=5, level=None):
    row = SessionRow(id=sid, case_id="delivery-time", backend="offline", minutes=10 if focus else 45,
                     started=f"2026-11-{sid:02d}T10:00:00+00:00", status=status, focus=focus)
    cats = dict(zip(CATS, scores, strict=True)) if scores else {}
    return SessionSummary(row=row, overall=sum(scores) / len(scores) if scores else None, categories=cats,
                          answers=answers, level=level)


def newest_first(*items):
    return sorted(items, key=lambda s: -s.row.id)


def test_trends_follow_full_interviews_oldest_first_and_ignore_drills_and_empty_sessions(rubric):
    items = newest_first(summary(1, [10, 20, 30, 40, 50, 60]), summary(2, [90] * 6, focus="monitoring"),
                         summary(3, [0] * 6, answers=0), summary(4, [30, 40, 50, 60, 70, 80]),
                         summary(5, status="active"))
    p = progress(items, rubric)
    assert p.sessions == 2
    framing = p.trends[0]
    assert (framing.id, framing.values, framing.last, framing.change) == ("framing", [10, 30], 30, 20)


def test_the_weakest_category_over_the_last_five_interviews_is_the_one_to_drill(rubric):
    old = summary(1, [0, 0, 0, 0, 0, 0])  # six sessions ago: outside the window
    recent = [summary(n, [60, 55, 70, 50, 42, 10]) for n in range(2, 7)]
    hint = progress(newest_first(old, *recent), rubric).suggestion
    assert (hint.category, hint.average, hint.sessions) == ("monitoring", 42, 5)
    assert hint.text == "Monitoring: 42 over your last 5 sessions — drill it"  # communication (10) is not drillable


def test_between_equal_averages_the_heavier_category_comes_first(rubric):
    hint = progress([summary(1, [40, 40, 90, 90, 40, 90])], rubric).suggestion
    assert hint.category == "data_features" and hint.text.endswith("over your last session — drill it")


def test_no_scored_interview_means_no_suggestion(rubric):
    assert progress([summary(1, status="active"), summary(2, [9] * 6, focus="model")], rubric).suggestion is None


def test_a_history_entry_says_its_kind_level_and_whether_it_counts():
    drill, junk = summary(1, [50] * 6, focus="model"), summary(2, [0] * 6, answers=0)
    full = summary(3, [70] * 6, level="mid")
    assert HistoryEntry.of(drill).kind == "drill" and not HistoryEntry.of(drill).counts_for_progress
    assert not HistoryEntry.of(junk).counts_for_progress
    entry = HistoryEntry.of(full)
    assert (entry.kind, entry.level, entry.counts_for_progress) == ("interview", "mid", True)
