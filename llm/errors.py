"""The one error the LLM layer raises: whatever went wrong, as a line the user can act on."""
from __future__ import annotations

from mlsd.core.printable import without_controls


class EndpointError(Exception):
    """The endpoint cannot be used: a one-line reason naming the host, never the key. What a
    server sent may be part of it, so it keeps no control character."""

    def __init__(self, reason: str) -> None:
        super().__init__(without_controls(reason))
