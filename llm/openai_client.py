"""ChatClient for any OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, llama.cpp, LM
Studio) through the openai SDK: the only module that imports it."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, cast

import httpx
import openai

from mlsd.llm.client import JsonSchema, Message
from mlsd.llm.endpoint import Endpoint
from mlsd.llm.errors import EndpointError

FAILURES = (openai.APIError, httpx.HTTPError)
# The first that matches says what went wrong (a timeout is also a connection error).
_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    (openai.AuthenticationError, "{host} refused the API key (401): check OPENAI_API_KEY"),
    (openai.NotFoundError, "{host} has no model {model!r} (404): check --model or MLSD_MODEL"),
    (openai.RateLimitError, "{host} is rate limiting (429)"),
    (openai.APITimeoutError, "{host} did not answer within {timeout:g}s"),
    (openai.APIConnectionError, "cannot reach {where}"),
    (openai.APIStatusError, "{host} answered HTTP {status}"),
)


class OpenAIChatClient:
    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        # The SDK's client belongs to the event loop it was made on: one per loop in turn.
        self._client: openai.AsyncOpenAI | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _sdk(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            e = self.endpoint
            key = e.api_key.get_secret_value() if e.api_key else "none"  # local servers need no key
            self._client = openai.AsyncOpenAI(api_key=key, base_url=e.base_url, max_retries=e.max_retries,
                                              timeout=httpx.Timeout(e.timeout, connect=min(5.0, e.timeout)))
            self._loop = loop
        return self._client

    def describe(self, exc: BaseException) -> str:
        """One line for what went wrong, never including the key."""
        e = self.endpoint
        for kind, reason in _REASONS:
            if isinstance(exc, kind):
                return reason.format(host=e.host, model=e.model, timeout=e.timeout, where=e.shown_url,
                                     status=getattr(exc, "status_code", "?"))
        return f"{e.host}: {type(exc).__name__}"

    async def stream(self, messages: list[Message], *, temperature: float, max_tokens: int) -> AsyncIterator[str]:
        said = False
        try:
            # The raw stream rather than the SDK's chunks: only the raw stream tells a finished
            # reply from one cut off mid-sentence.
            async with self._sdk().chat.completions.with_streaming_response.create(
                    model=self.endpoint.model, messages=_sdk_messages(messages), stream=True,
                    temperature=temperature, max_tokens=max_tokens) as response:
                lines = cast(AsyncGenerator[str, None], response.iter_lines())
                try:
                    async for piece in streamed_text(lines):
                        said = True
                        yield piece
                finally:
                    await lines.aclose()  # now, on this loop, not when garbage collection gets to it
        except FAILURES as exc:
            raise EndpointError(self.describe(exc)) from None
        except EndpointError as exc:
            raise EndpointError(f"{self.endpoint.host}: {exc}") from None
        if not said:
            raise EndpointError(f"{self.endpoint.host}: the model sent an empty reply")

    async def complete(self, messages: list[Message], *, schema: JsonSchema | None = None,
                       temperature: float = 0.0) -> str:
        create = self._sdk().chat.completions.create
        model, sent = self.endpoint.model, _sdk_messages(messages)
        try:
            if schema is None:
                answer = await create(model=model, messages=sent, temperature=temperature)
            else:
                try:
                    answer = await create(model=model, messages=sent, temperature=temperature, response_format={
                        "type": "json_schema", "json_schema": {"name": schema.name, "strict": True,
                                                               "schema": schema.schema}})
                except openai.BadRequestError:
                    # The server does not take json_schema: the caller asked for JSON in words too.
                    answer = await create(model=model, messages=sent, temperature=temperature)
        except FAILURES as exc:
            raise EndpointError(self.describe(exc)) from None
        return answer.choices[0].message.content or ""

    async def check(self) -> None:
        try:
            await self._sdk().chat.completions.create(model=self.endpoint.model, max_tokens=1,
                                                      messages=[{"role": "user", "content": "ping"}])
        except FAILURES as exc:
            raise EndpointError(self.describe(exc)) from None
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.close()
        self._client = self._loop = None


def _sdk_messages(messages: list[Message]) -> Any:
    # Our messages are the SDK's message dicts; its own types are a union of TypedDicts per role.
    return messages


async def streamed_text(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """The text of a chat-completions event stream, piece by piece. A stream that ends with
    neither a finish_reason nor [DONE] was cut off, and is an EndpointError: half a reply
    is not a reply."""
    stream = _EventStream()
    async for line in lines:
        for piece in stream.line(line):
            yield piece
        if stream.finished:
            break
    for piece in stream.end():
        yield piece


class _EventStream:
    """Server-sent events, one line at a time: `data:` lines gather, a blank line ends an
    event, `[DONE]` or a choice's finish_reason ends the reply."""

    def __init__(self) -> None:
        self.data: list[str] = []
        self.finished = False

    def line(self, line: str) -> list[str]:
        if line.startswith("data:"):
            self.data.append(line[5:].removeprefix(" "))
            return []
        return self._event() if not line else []  # comments, event names and ids say nothing

    def end(self) -> list[str]:
        pieces = self._event()  # the last event, with no blank line after it
        if not self.finished:
            raise EndpointError("the reply was cut off: the stream ended with no finish_reason and no [DONE]")
        return pieces

    def _event(self) -> list[str]:
        payload, self.data = "\n".join(self.data), []
        if not payload or self.finished:
            return []
        if payload.strip() == "[DONE]":
            self.finished = True
            return []
        try:
            chunk = json.loads(payload)
        except ValueError:
            raise EndpointError("the reply stream held something that is not JSON") from None
        if not isinstance(chunk, dict):
            raise EndpointError("the reply stream held something that is not a chunk")
        if chunk.get("error"):
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else None
            said = " ".join(str(message or error).split())[:120]
            raise EndpointError(f"the reply stream ended in an error: {said}")
        pieces = []
        for choice in chunk.get("choices") or []:
            if not isinstance(choice, dict):
                continue
            self.finished = self.finished or bool(choice.get("finish_reason"))
            delta = choice.get("delta")
            content = delta.get("content") if isinstance(delta, dict) else None
            if isinstance(content, str) and content:
                pieces.append(content)
        return pieces
