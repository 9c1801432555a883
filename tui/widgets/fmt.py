"""How times and long text are shown on screen, the same way everywhere. Text from users,
files and models is shown as it is: never read as Textual markup, where `[/b]` in a case id
would be a crash and `[link=...]` a link."""
from collections.abc import Sequence

from rich.markup import escape

from mlsd.core.transcript import stamp

__all__ = ["clip", "fit", "literal", "stamp"]
SEP = " · "


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def fit(parts: Sequence[tuple[str, int]], width: int) -> str:
    """(text, importance) parts joined by " · " in their order (a part in parentheses joins the
    one before it with a space); while they are too wide for `width`, the least important goes
    first, so what is left is shown whole."""
    kept = [p for p in parts if p[0]]
    while len(kept) > 1 and len(_joined(kept)) > width > 0:
        del kept[min(range(len(kept)), key=lambda i: (kept[i][1], -i))]
    line = _joined(kept)
    return clip(line, width) if width > 0 else line


def _joined(parts: Sequence[tuple[str, int]]) -> str:
    return "".join((" " if t.startswith("(") else SEP) + t if i else t for i, (t, _) in enumerate(parts))


def literal(text: str) -> str:
    """`text` where it is read as markup (a table cell, a notification), shown as it is. Cut
    it to width first: the escapes take no room on screen."""
    return escape(text)
