"""Offline scoring of a 45-minute transcript, and of a 4-hour one to show how the cost grows,
each vs reading and tokenising the same text (parse, sentences, words); and the longest
45-minute transcript of the calibration set (an expert answering at length, about 3,400
words) against the 100 ms budget for scoring in process. Caches that would remember the
text from one run to the next are emptied before each run."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from mlsd.core.transcript import Transcript
from mlsd.prompts.loader import load_cases
from mlsd.rubric import numbers, vocabulary
from mlsd.rubric.model import load_rubric
from mlsd.rubric.offline_scorer import score_transcript
from mlsd.rubric.text import sentences, words
from mlsd.sessions.transcript_text import format_text, parse_text

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
STRONG = DATA / "transcripts" / "delivery-time.strong.txt"
BUDGET_MS = 100.0


def stretched(t: Transcript, times: int) -> Transcript:
    """The transcript `times` over, spread across `times` x 45 minutes."""
    turns = []
    for k in range(times):
        turns += [x.model_copy(update={"elapsed": x.elapsed + k * 2700}) for x in t.turns]
    return t.model_copy(update={"turns": turns})


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        fresh()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh() -> None:
    """Forget what earlier runs read, so each run scores the text as if for the first time."""
    numbers.quantities.cache_clear()
    numbers.capacity_calc.cache_clear()
    vocabulary.tokens.cache_clear()


def longest_calibration_transcript() -> Path:
    return max((DATA / "calibration").glob("*/*.txt"), key=lambda p: len(p.read_text(encoding="utf-8")))


def run() -> list[tuple[str, float, float, str]]:
    case = load_cases(vocabulary=load_rubric().vocabulary()).get("delivery-time")
    rubric = load_rubric()
    rows = []
    for label, times in (("45-minute", 1), ("4-hour", 5)):
        text = format_text(stretched(parse_text(STRONG.read_text(), "strong"), times))

        def score(text: str = text) -> None:
            score_transcript(parse_text(text, "bench"), case, rubric)

        def tokenise(text: str = text) -> None:
            for turn in parse_text(text, "bench").turns:
                for span in sentences(turn.text):
                    words(span.text)

        rows.append((f"offline scoring, {label} transcript vs tokenising it", best(score) * 1000, best(tokenise) * 1000,
                     "ms"))
    longest = longest_calibration_transcript().read_text(encoding="utf-8")

    def score_longest():
        score_transcript(parse_text(longest, "bench"), None, rubric)

    rows.append(("offline scoring, longest 45-minute calibration transcript vs the 100 ms budget",
                 best(score_longest) * 1000, BUDGET_MS, "ms"))
    return rows
