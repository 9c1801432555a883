"""Numbers with units, and whether a sentence works numbers out: the substance of estimates."""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(k|m|mn|million|thousand|bn|billion|b)(?![a-z]))?",
    re.IGNORECASE,
)
_COUNT = re.compile(
    r"(?:[a-z\-]+ )?(?:requests?|req|predictions?|orders?|transactions?|txns?|payments?|calls?|queries|"
    r"events?|lookups?|reads?|writes?|recs|recommendations?|impressions?|sessions?|users?|dau|mau|"
    r"products?|items?|candidates?|features?|pairs?|rows?|drivers?|restaurants?|merchants?)\b")
_UNITS: list[tuple[str, re.Pattern[str]]] = [
    ("ms", re.compile(r"(?:ms|msec|milliseconds?)\b")),
    ("percent", re.compile(r"(?:%|percent\b|pp\b|percentage points?\b)")),
    ("rate", re.compile(r"(?:rps|qps|tps|req/s|requests?/s)\b")),
    ("compute", re.compile(
        r"(?:[a-z\-]+ )?(?:replicas?|pods?|cores?|cpus?|vcpus?|gpus?|machines?|servers?|nodes?|instances?|"
        r"containers?|workers?|boxes|hosts?)\b")),
    ("storage", re.compile(r"(?:gb|tb|mb|pb|kb|bytes?|gigabytes?|terabytes?)\b")),
    ("mult", re.compile(r"(?:x|×)(?![a-z])")),
    ("count", _COUNT),
    ("time", re.compile(r"(?:s|sec|secs|seconds?|mins?|minutes?|hours?|h|days?|weeks?)\b")),
]
_PER_TIME = re.compile(
    r"^\s*(?:/\s?s\b|/\s?sec|per (?:second|sec|day|minute|hour)|a (?:second|day|minute|hour)|each second|daily)")
_OPERATOR = re.compile(
    r"(?:\s[x×*/]\s|=|≈|~|\bdivided by\b|\btimes\b|\bmeans\b|\bthat.s\b|\bwhich is\b|\bgives?\b|→|->|"
    r"\bper\b|\beach\b|\bso (?:about|roughly|around|we need)\b|\bso\b.{0,20}\d)",
    re.IGNORECASE,
)
_QUANT_TARGET = re.compile(
    r"(?:<|>|≤|≥|\bunder|\bbelow|\babove|\bover|\bat least|\bat most|\bless than|\bmore than|\bwithin|\bbeat|"
    r"\breduce|\bcut|\bimprove|\bby|\bto)\s*(?:[a-z\-]+ )?~?\d|\d\s*(?:%|pp\b|percentage points?)",
    re.IGNORECASE,
)
_ARROW = re.compile(r"-->|->|→|=>|⟶")


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None


def quantities(text: str) -> list[Quantity]:
    low = text.lower()
    out: list[Quantity] = []
    for m in _NUMBER.finditer(low):
        rest = low[m.end():m.end() + 30].lstrip(" -")
        unit = next((kind for kind, pat in _UNITS if pat.match(rest)), None)
        if unit == "count" and _PER_TIME.match(_COUNT.sub("", rest, count=1)):
            unit = "rate"
        out.append(Quantity(m.group(0).strip(), unit))
    return out


_CAPACITY_UNITS = {"rate", "count", "compute", "storage"}


def capacity_number(text: str) -> int:
    return sum(q.unit in _CAPACITY_UNITS for q in quantities(text))


def capacity_calc(text: str) -> bool:
    """Two or more numbers with units, worked into one another (30k RPS x 10 ms = 300 cores)."""
    qs = [q for q in quantities(text) if q.unit in _CAPACITY_UNITS | {"mult", "ms"}]
    core = [q for q in qs if q.unit in _CAPACITY_UNITS]
    if not core or len({q.value for q in qs}) < 2:
        return False
    return len(qs) >= 3 or bool(_OPERATOR.search(text))


def latency_ms(text: str) -> int:
    return len({q.value for q in quantities(text) if q.unit == "ms"})


def quant_target(text: str) -> bool:
    return bool(_QUANT_TARGET.search(text))


def arrows(text: str) -> int:
    return len(_ARROW.findall(text))
