"""Where an LLM lives: model, base URL, key and timeouts. Provider-neutral settings; the
client that uses them is made by `mlsd.llm.providers.connect`."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

from pydantic import SecretStr

DEFAULT_MODEL = "gpt-4o-mini"


@dataclass
class Endpoint:
    model: str
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout: float = 30.0
    max_retries: int = 2       # 429 and 5xx are retried with backoff, honouring Retry-After

    @property
    def host(self) -> str:
        return urlparse(self.base_url).netloc if self.base_url else "api.openai.com"

    @property
    def label(self) -> str:
        return f"{self.model}@{self.host}"
