"""Settings, through pydantic-settings: flags first, then the environment (OPENAI_API_KEY,
OPENAI_BASE_URL, MLSD_MODEL), then the TOML config file, then defaults. Where the files
live follows MLSD_HOME, else the user's data and config dirs. The API key is held here
only; nothing writes it anywhere."""
from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from mlsd.core.files import MB
from mlsd.core.plan import minutes_problem
from mlsd.interviewer.context_budget import DEFAULT_BUDGET
from mlsd.llm.endpoint import DEFAULT_MODEL, Endpoint, redact, url_problem
from mlsd.prompts.loader import read_toml
from mlsd.rubric.judge_settings import DEFAULT_SAMPLES, DEFAULT_TEMPERATURE, JudgeSettings

# Environment variable -> setting. Only these: a stray MODEL or MINUTES means nothing to us.
ENVIRONMENT = {"OPENAI_API_KEY": "api_key", "OPENAI_BASE_URL": "base_url", "MLSD_MODEL": "model"}
CONFIG_KEYS = frozenset({"minutes", "backend", "model", "base_url", "api_key", "theme", "export_dir", "timeout",
                         "context_budget", "judge_samples", "judge_temperature", "local_servers"})
# Flag -> setting, where the two are named differently.
FLAGS = {"minutes": "minutes", "backend": "backend", "model": "model", "samples": "judge_samples"}
MAX_SAMPLES = 15
CONFIG_LIMIT = 1 * MB


class SettingsError(Exception):
    """A setting the user can fix: the message names the setting (or the config file)."""


def home() -> Path | None:
    value = os.environ.get("MLSD_HOME")
    return Path(value) if value else None


def data_dir() -> Path:
    return home() or Path(platformdirs.user_data_dir("mlsd"))


def config_file() -> Path:
    root = home()
    return root / "config.toml" if root else Path(platformdirs.user_config_dir("mlsd")) / "config.toml"


class _Environment(PydanticBaseSettingsSource):
    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ reads the few variables we know

    def __call__(self) -> dict[str, Any]:
        return {key: os.environ[name] for name, key in ENVIRONMENT.items() if os.environ.get(name)}


class _ConfigFile(PydanticBaseSettingsSource):
    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = config_file()
        if not os.path.lexists(path):
            return {}
        raw = read_toml(path, CONFIG_LIMIT, "a config file", SettingsError)
        return {k: v for k, v in raw.items() if k in CONFIG_KEYS}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Field(default_factory=data_dir)
    config_file: Path = Field(default_factory=config_file)
    backend: Literal["offline", "openai"] | None = None  # as asked for; resolved below
    backend_reason: str = ""
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    minutes: float = 45
    export_dir: Path = Path(".")
    theme: str | None = None
    timeout: float = 30.0
    context_budget: int = DEFAULT_BUDGET
    judge_samples: int = DEFAULT_SAMPLES
    judge_temperature: float = DEFAULT_TEMPERATURE
    local_servers: bool = True  # with no key and no base URL, look for an LLM server on loopback

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, _Environment(settings_cls), _ConfigFile(settings_cls)

    @field_validator("minutes", mode="before")
    @classmethod
    def _minutes(cls, value: Any) -> float:
        try:
            minutes = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{value!r} is not a number") from None
        if problem := minutes_problem(minutes):
            raise ValueError(problem)
        return minutes

    @field_validator("backend", mode="before")
    @classmethod
    def _backend(cls, value: Any) -> Any:
        if value not in (None, "offline", "openai"):
            raise ValueError(f"{value!r} is not one of offline, openai")
        return value

    @field_validator("timeout", "context_budget", mode="before")
    @classmethod
    def _positive(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise ValueError(f"{value!r} is not a positive number")
        return value

    @field_validator("judge_samples", mode="before")
    @classmethod
    def _samples(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SAMPLES:
            raise ValueError(f"{value!r} is not a whole number from 1 to {MAX_SAMPLES}")
        return value

    @field_validator("judge_temperature", mode="before")
    @classmethod
    def _temperature(cls, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 2:
            raise ValueError(f"{value!r} is not a number from 0 to 2")
        return value

    @field_validator("local_servers", mode="before")
    @classmethod
    def _true_or_false(cls, value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(f"{value!r} is not true or false")
        return value

    @field_validator("api_key", mode="before")
    @classmethod
    def _sendable(cls, value: Any) -> Any:
        # An HTTP header carries it: only printable ASCII can be sent. The key is not shown.
        if value is not None and not (isinstance(value, str) and value.isascii() and value.isprintable()):
            raise ValueError("the API key has characters that are not printable ASCII (a copy-and-paste slip?)")
        return value

    @field_validator("base_url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> Any:
        if value is not None and (problem := url_problem(str(value))):
            raise ValueError(f"{redact(str(value))} {problem}")
        return value

    @field_validator("export_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @model_validator(mode="after")
    def _resolve_backend(self) -> Settings:
        """Offline unless asked for, or unless a key or a base URL says an LLM is there."""
        if self.backend == "offline":
            self.backend_reason = "chosen"
        elif self.backend == "openai" or self.api_key or self.base_url:
            self.backend, self.backend_reason = "openai", ""
            if not self.api_key and not self.base_url:
                raise ValueError("backend: openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for a local server")
            if not self.model and self.base_url:
                raise ValueError(f"model: a base URL ({redact(self.base_url)}) needs a model name: "
                                 "--model or MLSD_MODEL")
            self.model = self.model or DEFAULT_MODEL
        else:
            self.backend, self.backend_reason = "offline", "no API key or base URL set"
        return self

    def judge_settings(self) -> JudgeSettings:
        return JudgeSettings(self.judge_samples, self.judge_temperature)

    def endpoint(self) -> Endpoint | None:
        """The LLM endpoint, when the backend is openai."""
        if self.backend != "openai":
            return None
        return Endpoint(model=self.model or DEFAULT_MODEL, base_url=self.base_url, api_key=self.api_key,
                        timeout=self.timeout)

    @property
    def interviewer_label(self) -> str:
        """Who interviews, as the home screen and the plain dialogue say it."""
        endpoint = self.endpoint()
        return f"{self.backend} ({self.backend_reason})" if endpoint is None else endpoint.label

    @property
    def db_path(self) -> Path:
        return self.data_dir / "mlsd.db"

    @property
    def cases_dir(self) -> Path:
        return self.data_dir / "cases"


def load_settings(flags: Mapping[str, object] | None = None) -> Settings:
    """Settings from `flags` (None meaning not given), the environment and the config file."""
    given = {FLAGS[k]: v for k, v in (flags or {}).items() if v is not None and k in FLAGS}
    try:
        return Settings(**given)  # type: ignore[arg-type]  # flags are checked by the validators
    except ValidationError as exc:
        # A bad value given as a flag is named as the flag the user typed.
        named = {setting: f"--{flag}" for flag, setting in FLAGS.items() if flag != setting and setting in given}
        raise SettingsError(_one_line(exc, named)) from None


def _one_line(exc: ValidationError, named: Mapping[str, str]) -> str:
    err = exc.errors()[0]
    cause = err.get("ctx", {}).get("error")
    msg = str(cause) if cause is not None else err["msg"]
    where = ".".join(str(p) for p in err["loc"])
    if where in named:  # a flag, as the user typed it
        where = named[where]
    elif where in _VARIABLE:  # say it as the user set it
        where = f"{where} ({_VARIABLE[where]})"
    return f"{where}: {msg}" if where else msg


_VARIABLE = {key: name for name, key in ENVIRONMENT.items()}
