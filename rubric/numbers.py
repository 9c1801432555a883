"""Numbers with units, and whether a sentence works numbers out: the substance of estimates."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

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
    ("storage", re.compile(r"(?:gb|tb|mb|pb|kb|bytes?|(?:kilo|mega|giga|tera|peta)bytes?)\b")),
    ("mult", re.compile(r"(?:x|×)(?![a-z])")),
    ("count", _COUNT),
    ("rate", re.compile(r"(?:a|per|each) (?:second|sec)\b")),
    ("time", re.compile(r"(?:s|sec|secs|seconds?|mins?|minutes?|hours?|h|days?|weeks?)\b")),
    # Any other plural noun counts things: "60 million searches", "4.7 billion hexagon-minutes".
    ("count", re.compile(r"(?:[a-z\-]+ )?[a-z][a-z\-]*s\b")),
]
_NOUNS = (r"^[a-z\-]+", r"^[a-z\-]+ [a-z\-]+")  # "messages", "price checks"
_PER_TIME = re.compile(
    r"^\s*(?:/\s?s\b|/\s?sec|per (?:second|sec|day|minute|hour)|a (?:second|day|minute|hour)|each second|daily)")
_OPERATOR = re.compile(
    r"(?:\s[x×*/]\s|=|≈|~|\bdivided by\b|\btimes\b|\bmeans\b|\bthat.s\b|\bwhich is\b|\bgives?\b|→|->|"
    r"\bper\b|\beach\b|\bso (?:about|roughly|around|we need)\b|\bso\b.{0,20}\d|"
    r"\b(?:is|are|comes? to|works? out (?:at|to)) (?:about |roughly |around |only |just )?~?\d)",
    re.IGNORECASE,
)
# Targets said in words count too: "from about eight minutes to under six".
_NUMBER_WORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                r"sixty|seventy|eighty|ninety|a hundred|half)\b")
_QUANT_TARGET = re.compile(
    r"(?:<|>|≤|≥|\bunder|\bbelow|\babove|\bover|\bat least|\bat most|\bless than|\bmore than|\bwithin|\bbeat|"
    r"\breduce|\bcut|\bimprove|\bby|\bto)\s*(?:[a-z\-]+ )?~?(?:\d|" + _NUMBER_WORD + r")|"
    r"\d\s*(?:%|pp\b|percentage points?)",
    re.IGNORECASE,
)
_ARROW = re.compile(r"-->|->|→|=>|⟶")
# A flow said in words: one component handing to the next ("feed a Flink job, which writes to Redis").
_HANDOFF = re.compile(
    r"\b(?:feeds?|flows? (?:into|to)|goes? (?:onto|into|to)|writes? (?:\w+ ){0,4}(?:to|into)|reads? (?:\w+ ){0,3}from|"
    r"sends? (?:\w+ ){0,3}to|calls?|passes? (?:\w+ ){0,3}to|hands? (?:\w+ ){0,3}to|returns? (?:\w+ ){0,3}to|"
    r"publishes? (?:\w+ ){0,3}to|picks? (?:it )?up|lands? (?:on|in))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    value: str
    unit: str | None


@lru_cache(maxsize=8192)
def quantities(text: str) -> tuple[Quantity, ...]:
    low = text.lower()
    out: list[Quantity] = []
    for m in _NUMBER.finditer(low):
        rest = low[m.end():m.end() + 30].lstrip(" -")
        unit = next((kind for kind, pat in _UNITS if pat.match(rest)), None)
        if unit == "count" and any(_PER_TIME.match(re.sub(noun, "", rest, count=1)) for noun in _NOUNS):
            unit = "rate"
        out.append(Quantity(m.group(0).strip(), unit))
    return tuple(out)


_CAPACITY_UNITS = {"rate", "count", "compute", "storage"}


def capacity_number(text: str) -> int:
    return sum(q.unit in _CAPACITY_UNITS for q in quantities(text))


@lru_cache(maxsize=8192)
def capacity_calc(text: str) -> bool:
    """Two or more numbers with units, worked into one another (30k RPS x 10 ms = 300 cores)."""
    qs = [q for q in quantities(text) if q.unit in _CAPACITY_UNITS | {"mult", "ms"}]
    core = [q for q in qs if q.unit in _CAPACITY_UNITS]
    if not core or len({q.value for q in qs}) < 2:
        return False
    return len(qs) >= 3 or bool(_OPERATOR.search(text))


def latency_ms(text: str) -> int:
    """Distinct millisecond figures; once one is in milliseconds, bare numbers beside it
    ("20 milliseconds to read, 10 to score, 30 for the map") are too."""
    qs = quantities(text)
    if not any(q.unit == "ms" for q in qs):
        return 0
    return len({q.value for q in qs if q.unit in ("ms", None)})


def quant_target(text: str) -> bool:
    return bool(_QUANT_TARGET.search(text))


def arrows(text: str) -> int:
    return len(_ARROW.findall(text))


def spoken_flow(text: str) -> int:
    return len(_HANDOFF.findall(text))
