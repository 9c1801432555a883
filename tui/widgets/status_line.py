"""One line of status under the chat: what is happening first, then who the interviewer is, then
hints, fitted to the width. Repaints only: a spinner ticking in it must not make Textual lay the
whole screen out again, as updating a Static does."""
from __future__ import annotations

from mlsd.tui.widgets.head_line import HeadLine


class StatusLine(HeadLine):
    pass
