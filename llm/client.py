"""What mlsd asks of a chat model, whoever serves it. The interviewer and the judge hold a
ChatClient and never a provider's SDK; every failure reaches them as an EndpointError whose
message is the provider's one-line description of what went wrong."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict

from mlsd.llm.endpoint import Endpoint


class Message(TypedDict):
    role: str  # system | user | assistant
    content: str


@dataclass(frozen=True)
class JsonSchema:
    """The shape a structured answer must take: a name and a JSON schema."""

    name: str
    schema: dict[str, Any]


class ChatClient(Protocol):
    @property
    def endpoint(self) -> Endpoint: ...

    def stream(self, messages: list[Message], *, temperature: float, max_tokens: int) -> AsyncIterator[str]:
        """The reply, piece by piece; an empty reply is an error."""
        ...

    async def complete(self, messages: list[Message], *, schema: JsonSchema | None = None,
                       temperature: float = 0.0) -> str:
        """The whole reply (at temperature 0 unless a caller draws samples), held to `schema`
        where the server can do that (where it cannot, the caller's own parsing is the check)."""
        ...

    async def check(self) -> None:
        """One tiny request: a bad key or an unknown model is said before a session starts."""
        ...

    async def aclose(self) -> None:
        """Let go of connections made on the running event loop."""
        ...
