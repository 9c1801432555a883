"""Text from files, transcripts and models, made safe to show: the control characters a
terminal acts on (escape sequences, bells, carriage returns, C1 controls) are turned into
visible escapes (`\\x1b`). Newlines and tabs stay. Printing also escapes bidirectional
overrides, which can make a line read differently from what it holds."""
from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def without_controls(text: str) -> str:
    """What models keep of any text a user, a file or a model gave: no control characters."""
    return _CONTROL.sub(_escape, text)


def clean_text(text: str) -> str:
    """Text as a turn holds it: one kind of newline (pasted Windows or old-Mac text), and no
    other control character."""
    return without_controls(text.replace("\r\n", "\n").replace("\r", "\n"))


def printable(text: str) -> str:
    """`text` as it may be written to a terminal."""
    return _BIDI.sub(_escape, without_controls(text))


def strings_without_controls(data: object) -> object:
    """`data` (parsed TOML or JSON) with every string in it passed through clean_text: a
    model's `mode="before"` validator, so every field gets the same rule."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, dict):
        return {strings_without_controls(k): strings_without_controls(v) for k, v in data.items()}
    if isinstance(data, list):
        return [strings_without_controls(v) for v in data]
    return data
