"""The rubric's detectors: the `@name` terms of a rule, measured in code rather than matched
by phrases. Each counts what it finds in a window of text, so `@2:name` means at least two."""
from __future__ import annotations

from collections.abc import Callable

from mlsd.rubric import numbers

DETECTORS: dict[str, Callable[[str], int]] = {
    "capacity_calc": lambda t: int(numbers.capacity_calc(t)),
    "capacity_number": numbers.capacity_number,
    "latency_ms": numbers.latency_ms,
    "quant_target": lambda t: int(numbers.quant_target(t)),
    "flow": lambda t: int(numbers.arrows(t) >= 2),
    # A flow said in words: three hand-offs from one component to the next.
    "spoken_flow": lambda t: int(numbers.spoken_flow(t) >= 3),
}
