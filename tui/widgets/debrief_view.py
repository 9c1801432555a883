"""The debrief as the report screen shows it: first what to work on (each missed or partly met
criterion, the candidate's closest sentence or "not raised", and what a strong answer says),
then what counted and why. Each entry is a two-column grid, so long lines wrap under their
own text and stay readable at 80 columns."""
from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from mlsd.rubric.debrief import Debrief, DebriefItem
from mlsd.rubric.report import MARK

LABEL_WIDTH = 8


def debrief_view(debrief: Debrief, styles: dict[str, str], head: list[str]) -> Group:
    """`styles` by status (met, partial, missed) and "dim"; `head`: lines said above it all."""
    parts: list[RenderableType] = [Text(line, style=styles["dim"]) for line in head]
    short, counted = debrief.to_work_on, debrief.counted
    if short:
        parts.append(Text(f"\nTo work on ({len(short)})", style="bold"))
        parts += [_entry(i, styles, strong=True) for i in short]
    if counted:
        parts.append(Text(f"\nWhat counted ({len(counted)})", style="bold"))
        parts += [_entry(i, styles, strong=False) for i in counted]
    if not short and not counted:
        parts.append(Text("Nothing was scored."))
    return Group(*parts)


def _entry(item: DebriefItem, styles: dict[str, str], strong: bool) -> Group:
    how = {"missed": "missed", "partial": "partly met", "met": "met"}[item.status]
    title = Text.assemble((f"{MARK[item.status]} ", styles[item.status]), (item.name, "bold"),
                          (f" · {how}{', after a probe' if item.prompted else ''}", styles["dim"]))
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=LABEL_WIDTH, no_wrap=True)
    grid.add_column(ratio=1)
    if item.said:
        where = f"{item.at} " if item.at else "diagram "
        grid.add_row(Text("You" if item.status == "met" else "Closest", style=styles["dim"]),
                     Text.assemble((where, styles["dim"]), f"“{' '.join(item.said.split())}”"))
    else:
        grid.add_row(Text("You", style=styles["dim"]), Text("not raised", style=styles["missed"]))
    if item.why:
        grid.add_row(Text("Judge" if strong else "Why", style=styles["dim"]), Text(item.why))
    if strong:
        grid.add_row(Text("Strong", style=styles["dim"]),
                     Text(item.reference or "(this case has no reference for it)"))
    return Group(title, grid)
