"""The literal text every match of a phrase pattern must start with, so a sentence that holds
none of a set's starts is not scanned by its regular expression at all. Scoring reads each
sentence against some sixty large alternations; most sentences touch a handful of them.

The extraction is conservative: a pattern whose start it cannot read (a lookbehind, a
character class, an optional first group) gives None, and its set is always scanned."""
from __future__ import annotations

from collections.abc import Iterable, Iterator

_META = set("\\()[].?*+{}|^$")


def _structure(pattern: str) -> Iterator[tuple[int, str | None, int]]:
    """(index, character, depth after it) for each character outside escapes and character
    classes; None as the character when a class does not close."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = pattern.find("]", i + 2)
            if end < 0:
                yield i, None, depth
                return
            i = end + 1
            continue
        depth += {"(": 1, ")": -1}.get(c, 0)
        yield i, c, depth
        i += 1


def split_top(pattern: str) -> list[str] | None:
    """`a|b|(?:c|d)` -> ["a", "b", "(?:c|d)"]; None if the parentheses do not balance."""
    parts, start, depth = [], 0, 0
    for i, c, depth in _structure(pattern):
        if c is None:
            return None
        if c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    return [*parts, pattern[start:]] if depth == 0 else None


def _group_end(pattern: str, start: int) -> int:
    """Index just past the `)` closing the group opened at `start`."""
    for i, c, depth in _structure(pattern[start:]):
        if c == ")" and depth == 0:
            return start + i + 1
    return -1


def starts(pattern: str, entity_words: Iterable[str] = ()) -> set[str] | None:
    """Lower-case literal starts of every match of `pattern`, or None when unknown."""
    alternatives = split_top(pattern)
    if alternatives is None:
        return None
    out: set[str] = set()
    for alt in alternatives:
        found = _starts_one(alt, tuple(entity_words))
        if not found:
            return None
        out |= found
    return out


def _starts_one(pattern: str, entity_words: tuple[str, ...]) -> set[str] | None:
    p = pattern
    while p.startswith(("\\b", "^")):
        p = p[2:] if p.startswith("\\b") else p[1:]
    if p.startswith("{entity}"):
        return {w.lower() for w in entity_words} or None
    if p.startswith("(?:"):
        end = _group_end(p, 0)
        if end < 0 or (end < len(p) and p[end] in "?*{"):
            return None
        return starts(p[3:end - 1], entity_words)
    literal = ""
    i = 0
    while i < len(p) and p[i] not in _META:
        if i + 1 < len(p) and p[i + 1] in "?*{":
            break
        literal += p[i]
        i += 1
    if i < len(p) and p[i] == "\\" and i + 1 < len(p) and p[i + 1] == "d" and not literal:
        return set("0123456789")
    return {literal.lower()} if literal.strip() else None
