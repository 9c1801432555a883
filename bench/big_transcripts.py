"""Offline scoring of transcripts far past any real session, as a hostile or careless import
would bring: 2 MB of ordinary turns, and 2 MB of turns that are one endless sentence each.
Each vs tokenising the same text; the cost should grow linearly with the size, and a turn
should cost no more than its first MAX_TURN_CHARS. Usage: python -m bench.big_transcripts
[MB ...] prints the figures for other sizes too (e.g. 50)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from mlsd.core.transcript import MAX_ELAPSED, Transcript, Turn
from mlsd.prompts.loader import load_cases
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.text import sentences, words
from mlsd.sessions.transcript_text import parse_text

STRONG = Path(__file__).resolve().parent.parent / "tests" / "data" / "transcripts" / "delivery-time.strong.txt"
MB = 1024 * 1024


def ordinary(size: int) -> Transcript:
    """The strong 45-minute transcript over and over, to `size` characters of turns."""
    strong = parse_text(STRONG.read_text(), "strong")
    turns: list[Turn] = []
    length = 0
    while length < size:
        for turn in strong.turns:
            turns.append(turn.model_copy(update={"elapsed": min(len(turns) * 10, MAX_ELAPSED)}))
            length += len(turn.text)
    return Transcript(case_id="delivery-time", turns=turns)


def unbroken(size: int, turn_chars: int = 100_000) -> Transcript:
    """Candidate turns of `turn_chars` each with no sentence break: the strong candidate's
    words joined by commas."""
    strong = parse_text(STRONG.read_text(), "strong")
    prose = " ".join(t.text for t in strong.turns if t.speaker == "candidate")
    prose = prose.replace(". ", ", ").replace("? ", ", ")
    text = (prose * (turn_chars // len(prose) + 1))[:turn_chars]
    turns = []
    for n in range(max(1, size // turn_chars)):
        turns += [Turn(speaker="interviewer", text="Go on.", elapsed=n * 20),
                  Turn(speaker="candidate", text=text, elapsed=n * 20 + 10)]
    return Transcript(case_id="delivery-time", turns=turns)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def rows_for(size: int) -> list[tuple[str, float, float, str]]:
    case = load_cases(vocabulary=load_rubric().vocabulary()).get("delivery-time")
    rubric = load_rubric()
    rows = []
    for label, make in (("ordinary turns", ordinary), ("one-sentence 100 KB turns", unbroken)):
        t = make(size)

        def score(t: Transcript = t) -> None:
            score_transcript(t, case, rubric)

        def tokenise(t: Transcript = t) -> None:
            for turn in t.turns:
                for span in sentences(turn.text):
                    words(span.text)

        rows.append((f"offline scoring, {size / MB:g} MB of {label} vs tokenising it", timed(score), timed(tokenise),
                     "s"))
    return rows


def run() -> list[tuple[str, float, float, str]]:
    return rows_for(2 * MB)


if __name__ == "__main__":
    sizes = [float(a) for a in sys.argv[1:]] or [2]
    for label, ours, base, unit in [r for mb in sizes for r in rows_for(int(mb * MB))]:
        print(f"{label:<62} {ours:>9.1f} {unit}  {base:>7.2f} {unit}  {ours / base:>7.1f}", flush=True)
