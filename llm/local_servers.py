"""An OpenAI-compatible server already running on this machine, found without asking: with
neither a key nor a base URL set, the app asks each usual loopback port for its list of
models (one quick request each, nothing more) and offers the first server that answers.
Nothing of an interview is sent to it until the user accepts."""
from __future__ import annotations

import http.client
import json
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

TIMEOUT = 0.5  # seconds: a server on this machine answers a models list far faster


@dataclass(frozen=True)
class Known:
    """Where a kind of local server listens by default."""

    name: str
    port: int


KNOWN = (Known("Ollama", 11434), Known("LM Studio", 1234), Known("llama.cpp server", 8080))


@dataclass(frozen=True)
class LocalServer:
    name: str
    port: int
    models: tuple[str, ...]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def model(self) -> str:
        """The model to offer: the first the server lists."""
        return self.models[0]


def find_local_server(known: Sequence[Known] = KNOWN, timeout: float = TIMEOUT) -> LocalServer | None:
    """The first of `known` (in its order) that answers with at least one model, or None."""
    if not known:
        return None
    with ThreadPoolExecutor(max_workers=len(known)) as pool:
        found = list(pool.map(lambda k: _ask(k, timeout), known))
    return next((server for server in found if server is not None), None)


def _ask(known: Known, timeout: float) -> LocalServer | None:
    # No proxy: the question is for this machine only, whatever the environment says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"http://127.0.0.1:{known.port}/v1/models", timeout=timeout) as answer:
            data = json.loads(answer.read(1_000_000))
    except (OSError, http.client.HTTPException, ValueError):  # refused, timed out, not HTTP, not JSON
        return None
    # A name that is not printable cannot be shown as it is, nor typed: it is passed over.
    models = tuple(m["id"] for m in data.get("data", []) if isinstance(m, dict) and isinstance(m.get("id"), str)
                   and m["id"].isprintable()) if isinstance(data, dict) and isinstance(data.get("data"), list) else ()
    return LocalServer(known.name, known.port, models) if models else None
