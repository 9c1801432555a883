"""The one error the LLM layer raises: whatever went wrong, as a line the user can act on."""
from __future__ import annotations


class EndpointError(Exception):
    """The endpoint cannot be used: a one-line reason naming the host, never the key."""
