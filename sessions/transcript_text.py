"""The transcript text format of DESIGN.md: optional `key: value` headers, a blank line, then
`[mm:ss] Speaker: text` turns, continuation lines indented. format(parse(x)) == x for files
mlsd wrote."""
from __future__ import annotations

import re

from mlsd.core.transcript import Transcript, Turn, stamp

SPEAKERS = {"interviewer": "Interviewer", "candidate": "Candidate"}
_TURN = re.compile(r"^\[(\d+):([0-5]\d)\] (Interviewer|Candidate):(?: (.*))?$", re.IGNORECASE)
_HEADER = re.compile(r"^([A-Za-z_][\w-]*):\s?(.*)$")
INDENT = "  "


class TranscriptError(Exception):
    """A transcript file that cannot be read; the message names the file and the line."""


def format_text(transcript: Transcript) -> str:
    out: list[str] = [f"{k}: {v}" for k, v in transcript.headers.items()]
    if out:
        out.append("")
    for turn in transcript.turns:
        first, *rest = turn.text.split("\n")
        out.append(f"[{stamp(turn.elapsed)}] {SPEAKERS[turn.speaker]}:" + (f" {first}" if first else ""))
        out += [INDENT + line for line in rest]
    return "\n".join(out) + "\n"


def parse_text(text: str, source: str = "<transcript>") -> Transcript:
    headers: dict[str, str] = {}
    turns: list[dict] = []
    in_header = True
    # Only \n ends a line: other line separators (\u2028, form feeds...) are part of the text.
    for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        m = _TURN.match(line)
        if m:
            in_header = False
            elapsed = int(m.group(1)) * 60 + int(m.group(2))
            if turns and elapsed < turns[-1]["elapsed"]:
                raise TranscriptError(
                    f"{source}: line {n}: time {m.group(1)}:{m.group(2)} is earlier than the turn before")
            turns.append({"speaker": m.group(3).lower(), "text": m.group(4) or "", "elapsed": elapsed})
        elif line[:1].isspace() and turns:
            turns[-1]["text"] += "\n" + (line[len(INDENT):] if line.startswith(INDENT) else line.lstrip())
        elif not line.strip():
            in_header = False if headers or turns else in_header
        elif in_header and (h := _HEADER.match(line)):
            headers[h.group(1)] = h.group(2)
        else:
            shown = line if len(line) <= 40 else line[:40] + "..."
            raise TranscriptError(
                f"{source}: line {n}: expected `[mm:ss] Interviewer: ...` or `[mm:ss] Candidate: ...`, got {shown!r}")
    if not turns:
        raise TranscriptError(f"{source}: no turns found (lines look like `[00:12] Candidate: ...`)")
    return Transcript(case_id=headers.get("case") or None, headers=headers, turns=[Turn(**t) for t in turns])
