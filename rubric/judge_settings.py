"""How the LLM judge is sampled: how many times, and at what temperature. Light on purpose:
settings and the session layer read it without loading the openai SDK."""
from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SAMPLES = 3
DEFAULT_TEMPERATURE = 0.7  # samples drawn at temperature 0 would mostly repeat one another


@dataclass(frozen=True)
class JudgeSettings:
    samples: int = DEFAULT_SAMPLES
    temperature: float = DEFAULT_TEMPERATURE

    @property
    def sample_temperature(self) -> float:
        """One sample is the judge's single best answer; several are draws around it."""
        return self.temperature if self.samples > 1 else 0.0
