"""The client for an endpoint. A provider's module (and its SDK) loads only here, when an
endpoint is really used, so the offline path starts without it. A new provider is a module
beside openai_client.py implementing ChatClient, and a branch here."""
from __future__ import annotations

from mlsd.llm.client import ChatClient
from mlsd.llm.endpoint import Endpoint


def connect(endpoint: Endpoint) -> ChatClient:
    from mlsd.llm.openai_client import OpenAIChatClient  # every endpoint today speaks the OpenAI API

    return OpenAIChatClient(endpoint)
