"""The Jinja2 environment for the templates beside this file, with an `md` filter for users'
text in Markdown."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mlsd.core.printable import printable

_LINE_BREAKS = re.compile(r"\s*[\n\r\v\f\x85\u2028\u2029]+\s*")


def md_inline(text: object) -> str:
    """Text from a transcript, a case or a setting, kept to what it is inside one line of
    Markdown: no raw HTML, no line break to start a heading or a block of its own."""
    one_line = printable(_LINE_BREAKS.sub(" ", str(text)))
    return one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
