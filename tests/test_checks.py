"""The code checks, run as a developer runs them: from the repository root, with no
arguments, configured in pyproject.toml. Each must pass."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which(tool, path=str(Path(sys.executable).parent)) or shutil.which(tool)
    if exe is None:
        pytest.fail(f"{tool} is not installed: pip install -e '.[test]'")
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=240,
                          env={**os.environ, "NO_COLOR": "1"})


def test_ruff_finds_nothing():
    result = run("ruff", "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold():
    result = run("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_starting_offline_loads_neither_the_sdk_nor_the_tokenizer(tmp_path):
    """What `mlsd` does before the home screen (settings, cases, the service, the offline
    interviewer, the app) imports no openai, httpx or tiktoken."""
    code = (
        "import sys\n"
        "from mlsd.tui.cli import service\n"
        "from mlsd.sessions.settings import load_settings\n"
        "from mlsd.tui.app import MlsdApp\n"
        "s = service(load_settings())\n"
        "MlsdApp(s)\n"
        "s.interviewer_factory()\n"
        "print(sorted(m for m in ('openai', 'httpx', 'tiktoken') if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**env, "MLSD_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
