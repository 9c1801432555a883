"""`mlsd practice --plain` in a real terminal (tmux): a line ending in a backslash goes on in
the next line, and a pasted answer is one turn even when it does not end in a newline (the
terminal's bracketed paste marks where a paste starts and ends)."""
from __future__ import annotations

import shutil
import sys

import pytest
from test_app_tmux import Terminal, terminal_env

from mlsd.sessions.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


def test_a_continued_line_and_a_paste_without_a_final_newline_are_one_answer_each(tmp_path):
    home = tmp_path / "home"
    term = Terminal(f"{sys.executable} -m mlsd.tui practice --plain --case delivery-time --minutes 5 --seed 2",
                    terminal_env(home))
    try:
        term.wait_for("You>", 20)
        term.type("How many orders a day, \\")
        term.keys("Enter")
        term.wait_for("\n...", 5)  # the continuation prompt: the line goes on
        term.type("and what is the peak?")
        term.keys("Enter")
        term.wait_for("5 million orders a day", 10)
        pasted = "Line one of my answer.\nLine two.\nLine three, no newline."
        term.tmux("set-buffer", "-b", term.name, pasted)
        term.tmux("paste-buffer", "-p", "-d", "-b", term.name, "-t", term.name)
        term.wait_for("Line three, no newline.", 5)
        term.keys("Enter")
        term.wait_for("[00:", 5)
        term.type("/end")
        term.keys("Enter")
        screen = term.wait_for("Full report: mlsd report 1", 20)
        assert "^[" not in screen and "200~" not in screen  # the paste marks are not shown
    finally:
        term.close()
    answers = [t.text for t in Store(home / "mlsd.db").turns(1) if t.speaker == "candidate"]
    assert answers == ["How many orders a day, \nand what is the peak?",
                       "Line one of my answer.\nLine two.\nLine three, no newline."]
