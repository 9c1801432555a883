import io
import subprocess
from pathlib import Path

import pytest

from mlsd.core.plan import Plan
from mlsd.prompts.loader import load_cases
from mlsd.rubric.model import load_rubric
from mlsd.sessions.transcript_text import parse_text

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own MLSD_HOME and no API credentials."""
    home = tmp_path / "home"
    monkeypatch.setenv("MLSD_HOME", str(home))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MLSD_MODEL"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture
def cli(capsys, monkeypatch):
    """`mlsd ARGS` in this process: a CompletedProcess like the subprocess one."""
    from mlsd.tui.cli import main

    def run(*args, stdin=""):
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)
    return run


@pytest.fixture(scope="session")
def rubric():
    return load_rubric()


@pytest.fixture(scope="session")
def cases():
    return load_cases(vocabulary=load_rubric().vocabulary())


@pytest.fixture(scope="session")
def plan45():
    return Plan.scaled(45)


def add_user_case(home: Path) -> Path:
    """A small case of the user's own, with no tradeoffs, in their cases folder."""
    (home / "cases").mkdir(parents=True, exist_ok=True)
    path = home / "cases" / "search.toml"
    path.write_text(
        'id = "search-ranking"\ntitle = "Search ranking"\nsummary = "Rank results."\n'
        'prompt = "Design search ranking."\n'
        '[[facts]]\nid = "scale"\nkind = "scale"\nabout = "traffic"\nanswer = "1,000 queries per second."\n')
    return path


def transcript(name: str):
    return parse_text((DATA / "transcripts" / f"{name}.txt").read_text(), name)
