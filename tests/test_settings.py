"""Settings: flags, then the environment, then the config file, then defaults; a bad value
is one line naming the setting or the file."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mlsd.sessions.settings import SettingsError, load_settings


def config(home, text: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_a_flag_beats_the_environment_which_beats_the_config_file(isolated_home, monkeypatch):
    config(isolated_home, 'base_url = "http://localhost:9/v1"\nmodel = "from-config"\nminutes = 30\n')
    assert load_settings().model == "from-config"
    monkeypatch.setenv("MLSD_MODEL", "from-env")
    assert load_settings().model == "from-env"
    assert load_settings({"model": "from-flag"}).model == "from-flag"
    assert load_settings().minutes == 30 and load_settings({"minutes": 20}).minutes == 20


def test_only_our_environment_variables_count(isolated_home, monkeypatch):
    monkeypatch.setenv("MINUTES", "3")
    monkeypatch.setenv("MODEL", "stray")
    settings = load_settings()
    assert settings.minutes == 45 and settings.model is None and settings.backend == "offline"


def test_no_key_and_no_base_url_means_offline_and_says_why(isolated_home):
    settings = load_settings()
    assert (settings.backend, settings.backend_reason) == ("offline", "no API key or base URL set")
    assert settings.endpoint() is None


def test_a_key_makes_the_llm_the_interviewer_and_is_never_shown(isolated_home, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-settings-secret")
    settings = load_settings()
    assert settings.backend == "openai" and settings.model == "gpt-4o-mini"
    assert "sk-settings-secret" not in repr(settings) and "sk-settings-secret" not in settings.model_dump_json()


@pytest.mark.parametrize(("text", "message"), [
    ('minutes = "soon"', "minutes: 'soon' is not a number"),
    ("minutes = 500", "minutes: 500 is outside 1..240"),
    ('backend = "claude"', "backend: 'claude' is not one of offline, openai"),
    ("timeout = -1", "timeout: -1 is not a positive number"),
    ('base_url = "http://localhost:9/v1"', "model: a base URL (http://localhost:9/v1) needs a model name"),
])
def test_a_bad_setting_is_one_line_naming_it(isolated_home, text, message):
    config(isolated_home, text + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_a_config_file_that_is_not_toml_is_named(isolated_home):
    config(isolated_home, "minutes = = 3\n")
    with pytest.raises(SettingsError, match=r"config\.toml: invalid TOML"):
        load_settings()


def test_mlsd_config_path_says_where_the_files_are(isolated_home):
    result = subprocess.run([sys.executable, "-m", "mlsd.tui", "config", "path"], capture_output=True, text=True,
                            env=os.environ.copy(), timeout=60)
    assert result.returncode == 0
    assert f"config file: {isolated_home / 'config.toml'}" in result.stdout
    assert str(isolated_home) in result.stdout.splitlines()[1]
