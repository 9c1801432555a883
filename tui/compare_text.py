"""`mlsd compare A B` as text: scores, criteria, time use and level, A against B."""
from __future__ import annotations

from mlsd.core.transcript import stamp
from mlsd.rubric.compare import Change, Comparison, Side
from mlsd.rubric.model import Rubric
from mlsd.rubric.report import MARK, signed

GROUPS = (("newly met", "Newly met"), ("lost", "Lost"), ("better", "Better"), ("worse", "Worse"))


def side_label(side: Side, rubric: Rubric) -> str:
    kind = f"{rubric.category(side.focus).name} drill, " if side.focus else ""
    date = (side.started or "")[:16].replace("T", " ")
    return f"session {side.session} ({kind}{side.case}, {date})"


def _num(value: float | None, fmt: str = "{:.0f}") -> str:
    return "-" if value is None else fmt.format(value)


def _delta(change: Change) -> str:
    """The change between the two numbers as shown, so the columns add up on screen."""
    if change.a is None or change.b is None:
        return ""
    return f"{round(change.b) - round(change.a):+d}"


def _at(seconds: float | None) -> str:
    return "never" if seconds is None else stamp(seconds)


def comparison_text(c: Comparison, rubric: Rubric) -> str:
    out = [f"A: {side_label(c.a, rubric)}", f"B: {side_label(c.b, rubric)}"]
    if not c.same_case:
        out.append(f"(different cases: {c.a.case} and {c.b.case}; the rubric is the same, the facts are not)")
    out += ["", f"{'':<26}{'A':>7}{'B':>7}{'change':>8}",
            f"{'Overall':<26}{_num(c.overall.a):>7}{_num(c.overall.b):>7}{_delta(c.overall):>8}"]
    level = {"up": "up", "down": "down", "same": "same", None: ""}[c.level.change]
    out.append(f"{'Level':<26}{c.level.a or '-':>7}{c.level.b or '-':>7}{level:>8}")
    for cat in rubric.categories:
        if cat.id in c.categories:
            ch = c.categories[cat.id]
            out.append(f"  {cat.name:<24}{_num(ch.a):>7}{_num(ch.b):>7}{_delta(ch):>8}")

    names = {x.id: x.name for x in rubric.criteria}
    out += ["", "Criteria"]
    same = sum(1 for x in c.criteria.values() if x.change == "same")
    for key, title in GROUPS:
        items = [(cid, x) for cid, x in c.criteria.items() if x.change == key]
        if not items:
            continue
        out.append(f"  {title} ({len(items)})")
        for cid, x in items:
            a = (MARK[x.a] if x.a else "-") + ("*" if x.a_prompted else " ")
            b = (MARK[x.b] if x.b else "-") + ("*" if x.b_prompted else " ")
            out.append(f"    {a}→ {b} {names.get(cid, cid)}")
    out.append(f"  Unchanged: {same}    (✔ met  ◐ partly met  ✘ missed  * after a probe)")

    t = c.timing
    out += ["", f"{'Time use':<26}{'plan':>7}{'A':>7}{'B':>7}{'change':>8}"]
    for p in t.phases:
        planned = stamp(p.a_planned_s if p.a_planned_s is not None else p.b_planned_s or 0)
        change = signed(p.delta_s) if p.delta_s is not None else ""
        note = "  closer to plan" if p.closer_to_plan else ""
        out.append(f"  {p.title:<24}{planned:>7}{_clock(p.a_actual_s):>7}{_clock(p.b_actual_s):>7}{change:>8}{note}")
    if t.off_plan_s.a or t.off_plan_s.b:
        out.append(f"  {'Outside the plan':<24}{'':>7}{_clock(t.off_plan_s.a):>7}{_clock(t.off_plan_s.b):>7}")
    q = t.first_question_s
    out.append(f"  {'First question':<24}{'':>7}{_at(q.a):>7}{_at(q.b):>7}"
               f"{signed(int(q.delta)) if q.delta is not None else '':>8}")
    out.append(f"  {'Words per minute':<24}{'':>7}{_num(t.words_per_minute.a):>7}{_num(t.words_per_minute.b):>7}"
               f"{_delta(t.words_per_minute):>8}")
    share = t.talk_share
    out.append(f"  {'Your share of the words':<24}{'':>7}{_num(share.a, '{:.0%}'):>7}{_num(share.b, '{:.0%}'):>7}"
               f"{'' if share.delta is None else f'{share.delta * 100:+.0f} pts':>8}")
    if t.must_have:
        out += ["", f"{'First came up':<16}{'A':>7}{'B':>8}"]
        for m in t.must_have:
            a = _at(m.a_s) + ("*" if m.a_after_probe else " ")
            b = _at(m.b_s) + ("*" if m.b_after_probe else " ")
            out.append(f"  {'':<14}{a:>8}{b:>8}  {names.get(m.id, m.id)}")
        out.append("  (* after a probe)")
    return "\n".join(out) + "\n"


def _clock(seconds: float | None) -> str:
    return "-" if seconds is None else stamp(seconds)
