"""Where an LLM lives: model, base URL, key and timeouts. Provider-neutral settings; the
client that uses them is made by `mlsd.llm.providers.connect`."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import SecretStr

DEFAULT_MODEL = "gpt-4o-mini"


def redact(url: str) -> str:
    """`url` as it may be shown anywhere: no user name or password, no query string (where
    some servers take a key). A password may hold an @, a ? or a #, unescaped: when the URL
    could be read more than one way, all of it after the scheme is hidden."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    at = rest.rfind("@")
    query = min((i for i in (rest.find("?"), rest.find("#")) if i >= 0), default=len(rest))
    if at >= 0 and query < at:
        shown = "***"
    else:
        shown = ("***@" if at >= 0 else "") + rest[at + 1:query] + ("?***" if query < len(rest) else "")
    return f"{scheme}{sep}{shown}"


def url_problem(url: str) -> str | None:
    """Why `url` cannot be an OpenAI-compatible base URL, or None if it can."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port raises only when read
    except ValueError:  # its message can quote part of a password: not shown
        return "is not a valid URL (check the host, the port and any [ ] around an IPv6 address)"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL with a host, such as http://localhost:11434/v1"
    return None


@dataclass
class Endpoint:
    model: str
    base_url: str | None = None
    api_key: SecretStr | None = None
    timeout: float = 30.0
    max_retries: int = 2       # 429 and 5xx are retried with backoff, honouring Retry-After

    @property
    def host(self) -> str:
        """Host and port, never the user name or password a base URL may carry."""
        if not self.base_url:
            return "api.openai.com"
        try:
            parts = urlsplit(redact(self.base_url))
            host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname
            return f"{host}:{parts.port}" if parts.port else str(host)
        except ValueError:
            return redact(self.base_url)

    @property
    def shown_url(self) -> str:
        return redact(self.base_url) if self.base_url else "https://api.openai.com/v1"

    @property
    def label(self) -> str:
        return f"{self.model}@{self.host}"
