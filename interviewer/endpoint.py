"""Where an LLM lives: model, base URL, key, timeouts and the context budget. Importing this
does not load the openai SDK, so the offline path starts fast."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from pydantic import SecretStr

from mlsd.interviewer.context_budget import DEFAULT_BUDGET

DEFAULT_MODEL = "gpt-4o-mini"


class EndpointError(Exception):
    """The endpoint cannot be used: a one-line reason the user can act on."""


@dataclass
class Endpoint:
    model: str
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout: float = 30.0
    max_retries: int = 2       # the SDK retries 429 and 5xx with backoff, honouring Retry-After
    budget: int = DEFAULT_BUDGET

    @property
    def host(self) -> str:
        return urlparse(self.base_url).netloc if self.base_url else "api.openai.com"

    @property
    def label(self) -> str:
        return f"{self.model}@{self.host}"

    def client(self):
        """An AsyncOpenAI client; the SDK loads only when an endpoint is really used."""
        import httpx
        import openai

        key = self.api_key.get_secret_value() if self.api_key else "none"  # local servers need no key
        return openai.AsyncOpenAI(api_key=key, base_url=self.base_url, max_retries=self.max_retries,
                                  timeout=httpx.Timeout(self.timeout, connect=min(5.0, self.timeout)))
