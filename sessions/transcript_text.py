"""The transcript text format of DESIGN.md: optional `key: value` headers, a blank line, then
`[mm:ss] Speaker: text` turns, continuation lines indented. An interviewer turn that probed a
criterion says so (`[12:40] Interviewer (probe: cold_start): ...`), and the candidate's diagram
follows the turns as an indented `diagram:` block, so a text export scores exactly as the
stored session. A file mlsd writes with its probes marked says so in a `probes: marked` header
(so does the parsed transcript of any file with a probe marker): its unmarked interviewer turns
probed nothing, which scoring honours (sessions.scoring). Older files, with neither, still parse,
and the scorer infers their probes from the questions. format(parse(x)) == x for files mlsd wrote."""
from __future__ import annotations

import re

from mlsd.core.transcript import MAX_ELAPSED, Transcript, Turn, stamp

SPEAKERS = {"interviewer": "Interviewer", "candidate": "Candidate"}
_TURN = re.compile(r"^\[(\d+):([0-5]\d)\] (Interviewer|Candidate)(?: \(probe: ([a-z0-9_]+)\))?:(?: (.*))?$",
                   re.IGNORECASE)
_HEADER = re.compile(r"^([A-Za-z_][\w-]*):\s?(.*)$")
DIAGRAM = "diagram:"
INDENT = "  "
MARKED = ("probes", "marked")


class TranscriptError(Exception):
    """A transcript file that cannot be read; the message names the file and the line."""


def probes_marked(transcript: Transcript) -> bool:
    """Whether the transcript says which interviewer turns probed: a session's stored turns
    know their phase and their probe; a parsed file says so in its headers."""
    return transcript.headers.get(MARKED[0]) == MARKED[1] or \
        any(t.phase for t in transcript.turns if t.speaker == "interviewer")


def is_turn_line(line: str) -> bool:
    return bool(_TURN.match(line.rstrip("\r")))


def format_text(transcript: Transcript) -> str:
    headers = dict(transcript.headers)
    if probes_marked(transcript):
        headers[MARKED[0]] = MARKED[1]
    out: list[str] = [f"{k}: {v}" for k, v in headers.items()]
    if out:
        out.append("")
    for turn in transcript.turns:
        first, *rest = turn.text.split("\n")
        who = SPEAKERS[turn.speaker] + (f" (probe: {turn.probe})" if turn.probe else "")
        out.append(f"[{stamp(turn.elapsed)}] {who}:" + (f" {first}" if first else ""))
        out += [INDENT + line for line in rest]
    diagram = transcript.diagram.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    if diagram.strip():
        out.append(DIAGRAM)
        out += [INDENT + line if line else "" for line in diagram.split("\n")]
    return "\n".join(out) + "\n"


def parse_text(text: str, source: str = "<transcript>") -> Transcript:
    headers: dict[str, str] = {}
    turns: list[dict] = []
    diagram: list[str] | None = None
    in_header = True
    text = text.removeprefix("\ufeff")  # a byte order mark, as some editors save UTF-8
    # Only \n ends a line: other line separators (\u2028, form feeds...) are part of the text.
    for n, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        m = _TURN.match(line)
        if diagram is not None:
            if line.startswith(INDENT) or not line.strip():
                diagram.append(line[len(INDENT):])
                continue
            what = "turns come before the diagram" if m else "a diagram line is indented by two spaces"
            raise TranscriptError(f"{source}: line {n}: {what}, got {_shown(line)}")
        if m:
            in_header = False
            if len(m.group(1)) > 6 or (elapsed := int(m.group(1)) * 60 + int(m.group(2))) > MAX_ELAPSED:
                raise TranscriptError(f"{source}: line {n}: time {_clip(m.group(1))}:{m.group(2)} is more than "
                                      f"{MAX_ELAPSED // 3600} hours into the session")
            if turns and elapsed < turns[-1]["elapsed"]:
                raise TranscriptError(
                    f"{source}: line {n}: time {m.group(1)}:{m.group(2)} is earlier than the turn before")
            speaker = m.group(3).lower()
            if m.group(4) and speaker != "interviewer":
                raise TranscriptError(f"{source}: line {n}: only an interviewer turn probes, got {_shown(line)}")
            turns.append({"speaker": speaker, "text": m.group(5) or "", "elapsed": elapsed, "probe": m.group(4),
                          "move": "probe" if m.group(4) else None})
        elif line.strip().lower() == DIAGRAM and turns and not line[:1].isspace():
            diagram = []
        elif line[:1].isspace() and turns:
            turns[-1]["text"] += "\n" + (line[len(INDENT):] if line.startswith(INDENT) else line.lstrip())
        elif not line.strip():
            in_header = False if headers or turns else in_header
        elif in_header and (h := _HEADER.match(line)):
            headers[h.group(1)] = h.group(2)
        else:
            raise TranscriptError(
                f"{source}: line {n}: expected `[mm:ss] Interviewer: ...` or `[mm:ss] Candidate: ...`, "
                f"got {_shown(line)}")
    if not turns:
        raise TranscriptError(f"{source}: no turns found (lines look like `[00:12] Candidate: ...`)")
    if any(t["probe"] for t in turns):
        headers.setdefault(MARKED[0], MARKED[1])
    return Transcript(case_id=headers.get("case") or None, headers=headers, turns=[Turn(**t) for t in turns],
                      diagram="\n".join(diagram or []).rstrip("\n"))


def _shown(line: str) -> str:
    return repr(_clip(line))


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width] + "..."
