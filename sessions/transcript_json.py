"""The JSON export: everything the store holds about a session, and back again exactly."""
from __future__ import annotations

import json

from pydantic import BaseModel, ValidationError

from mlsd.core.transcript import Turn
from mlsd.rubric.score import ScoreReport
from mlsd.sessions.store import SessionRow
from mlsd.sessions.transcript_text import TranscriptError, is_turn_line

FORMAT = "mlsd-session"
_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
          type(None): "null"}


class SessionExport(BaseModel):
    format: str = FORMAT
    version: int = 1
    session: SessionRow
    turns: list[Turn]
    scores: dict[str, ScoreReport] = {}


def to_json(session: SessionRow, turns: list[Turn], scores: dict[str, ScoreReport]) -> str:
    return SessionExport(session=session, turns=turns, scores=scores).model_dump_json(indent=2) + "\n"


def looks_like_json(text: str) -> bool:
    """JSON rather than the text format: an object, or an array (a text transcript may start
    with `[` too, but only as a turn line)."""
    start = text.lstrip("\ufeff \t\r\n")
    return start.startswith("{") or (start.startswith("[") and not is_turn_line(start.split("\n", 1)[0]))


def from_json(text: str, source: str = "<json>") -> SessionExport:
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"{source}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise TranscriptError(f"{source}: JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise TranscriptError(f"{source}: top level: expected a JSON object (an mlsd session export), "
                              f"not {_KINDS[type(data)]}")
    if data.get("format") != FORMAT:
        raise TranscriptError(f"{source}: format: expected {FORMAT!r}, not an mlsd session export")
    try:
        return SessionExport.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise TranscriptError(f"{source}: {where}: {err['msg']}") from None
    except RecursionError:
        raise TranscriptError(f"{source}: JSON nested too deeply to read") from None
