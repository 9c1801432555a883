"""Running the real `mlsd` command in a subprocess, and what a user error must look like."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def mlsd(home: Path, *args, stdin: str | None = None, env: dict[str, str] | None = None, stdout=subprocess.PIPE,
         **popen) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *map(str, args)], input=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env={**os.environ, "MLSD_HOME": str(home), **(env or {})},
                          timeout=60, **popen)


def one_line(result, *needles) -> None:
    """Exit code 2, one line on stderr holding every needle, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
