"""Settings: flags first, then the environment, then the TOML config file, then defaults.
The API key is held here only; nothing writes it anywhere."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from pydantic import BaseModel, SecretStr

from mlsd.interviewer.context_budget import DEFAULT_BUDGET
from mlsd.llm.endpoint import DEFAULT_MODEL, Endpoint


class SettingsError(Exception):
    pass


class Settings(BaseModel):
    data_dir: Path
    config_file: Path
    backend: str = "offline"
    backend_reason: str = ""
    model: str | None = None
    base_url: str | None = None
    api_key: SecretStr | None = None
    minutes: float = 45
    export_dir: Path = Path(".")
    theme: str | None = None
    timeout: float = 30.0
    budget: int = DEFAULT_BUDGET

    def endpoint(self) -> Endpoint | None:
        """The LLM endpoint, when the backend is openai."""
        if self.backend != "openai":
            return None
        return Endpoint(model=self.model or DEFAULT_MODEL, base_url=self.base_url, api_key=self.api_key,
                        timeout=self.timeout)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "mlsd.db"

    @property
    def cases_dir(self) -> Path:
        return self.data_dir / "cases"


def _config(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None


def load_settings(flags: Mapping[str, object] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if env is None else env
    home = env.get("MLSD_HOME")
    data_dir = Path(home) if home else Path(platformdirs.user_data_dir("mlsd"))
    config_file = (Path(home) / "config.toml") if home else Path(platformdirs.user_config_dir("mlsd")) / "config.toml"
    cfg = _config(config_file)

    def pick(flag: str, env_name: str | None, key: str):
        if flag in flags:
            return flags[flag]
        if env_name and env.get(env_name):
            return env[env_name]
        return cfg.get(key)

    key = pick("api_key", "OPENAI_API_KEY", "api_key")
    base_url = pick("base_url", "OPENAI_BASE_URL", "base_url")
    model = pick("model", "MLSD_MODEL", "model")
    minutes = pick("minutes", None, "minutes") or 45
    try:
        minutes = float(minutes)
    except (TypeError, ValueError):
        raise SettingsError(f"minutes: {minutes!r} is not a number") from None
    if not 1 <= minutes <= 240:
        raise SettingsError(f"minutes: {minutes:g} is outside 1..240")
    wanted = pick("backend", None, "backend")
    if wanted not in (None, "offline", "openai"):
        raise SettingsError(f"backend: {wanted!r} is not one of offline, openai")
    if wanted == "offline":
        backend, reason = "offline", "chosen"
    elif wanted == "openai" or key or base_url:
        backend, reason = "openai", ""
        if not key and not base_url:
            raise SettingsError("backend: openai needs OPENAI_API_KEY, or OPENAI_BASE_URL for a local server")
        if not model and base_url:
            raise SettingsError(f"model: a base URL ({base_url}) needs a model name: --model or MLSD_MODEL")
        model = model or DEFAULT_MODEL
    else:
        backend, reason = "offline", "no API key or base URL set"
    timeout, budget = _number(cfg, "timeout", 30.0), int(_number(cfg, "context_budget", DEFAULT_BUDGET))
    export_dir = Path(str(cfg.get("export_dir", "."))).expanduser()
    theme = cfg.get("theme")
    return Settings(data_dir=data_dir, config_file=config_file, backend=backend, backend_reason=reason, model=model,
                    base_url=base_url, api_key=SecretStr(key) if key else None, minutes=minutes,
                    export_dir=export_dir, theme=str(theme) if theme else None, timeout=timeout, budget=budget)


def _number(cfg: dict, key: str, default: float) -> float:
    value = cfg.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise SettingsError(f"{key}: {value!r} is not a positive number")
    return float(value)
