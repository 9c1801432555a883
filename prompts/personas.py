"""Scripted candidates for `mlsd simulate`, loaded from prompts/personas/*.toml. A persona is
data: what it asks while clarifying, what it says in each phase (each beat in several
paraphrases, one picked per run), how it answers the interviewer's probes, deep dives,
tradeoffs and curveballs, how fast it answers and how often it says nothing. A case may
have its own lines; a persona may start from another one (`based_on`)."""
from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from mlsd.prompts.case import CASE_ID_PATTERN
from mlsd.prompts.loader import describe_error

BUILTIN_PERSONAS = Path(__file__).parent / "personas"
PHASE_FIELDS = ("clarify", "framing", "data_features", "model_serving", "scale_monitoring", "tradeoffs")


class PersonaFileError(Exception):
    """A persona file that cannot be used: the message names the file and the field."""


def _no_blank(lines: list[str]) -> list[str]:
    if not lines or any(not line.strip() for line in lines):
        raise ValueError("needs at least one line, none of them empty")
    return lines


class Beat(BaseModel):
    """One thing the persona says in a phase, in paraphrases. `about` names what it covers
    (usually criterion ids): a question on that is answered with it, and `never` leaves it
    unsaid."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    say: list[str]
    about: list[str] = []
    early: bool = False  # said at the first chance in its phase, alongside whatever was asked

    _lines = field_validator("say")(_no_blank)


class Lines(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    ask: list[list[str]] = []      # clarifying questions in the order asked, each in paraphrases
    clarify: list[Beat] = []
    framing: list[Beat] = []
    data_features: list[Beat] = []
    model_serving: list[Beat] = []
    scale_monitoring: list[Beat] = []
    tradeoffs: list[Beat] = []
    idle: list[str] = []           # when it has nothing planned left for the phase
    # Replies to the interviewer, by what it asked: a probed criterion id, a deep dive's
    # challenge (why, breaks, cost; {term} is the choice), a tradeoff or curveball id,
    # "tradeoff", "curveball", or "default".
    answers: dict[str, list[str]] = {}

    @field_validator("ask")
    @classmethod
    def _asks(cls, asks: list[list[str]]) -> list[list[str]]:
        for ask in asks:
            _no_blank(ask)
        return asks

    @field_validator("answers")
    @classmethod
    def _answers(cls, answers: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, lines in answers.items():
            try:
                _no_blank(lines)
            except ValueError as exc:
                raise ValueError(f"{key!r} {exc}") from None
        return answers

    def beats(self, phase: str) -> list[Beat]:
        return list(getattr(self, phase))

    def over(self, base: Lines) -> Lines:
        """These lines, with whatever they leave empty taken from `base`."""
        fields = {name: getattr(self, name) or getattr(base, name) for name in Lines.model_fields}
        fields["answers"] = {**base.answers, **self.answers}
        return Lines(**fields)


class Persona(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    summary: str = Field(min_length=1)
    based_on: str | None = None
    pace: tuple[int, int] = (60, 120)   # seconds it takes over an answer: fewest, most
    silence: float = Field(default=0.0, ge=0, le=1)       # share of turns it says nothing
    questions: int = Field(default=0, ge=0)               # clarifying questions while clarifying
    keep_asking: float = Field(default=0.0, ge=0, le=1)   # chance of a question in a later answer
    lines: Lines = Lines()
    cases: dict[str, Lines] = {}                          # a case's own lines, by case id
    never: list[str] = []                                 # beats it never says on its own

    @field_validator("pace")
    @classmethod
    def _pace(cls, pace: tuple[int, int]) -> tuple[int, int]:
        if not 0 < pace[0] <= pace[1]:
            raise ValueError("needs two positive numbers of seconds, the smaller first")
        return pace

    @field_validator("cases")
    @classmethod
    def _case_ids(cls, cases: dict[str, Lines]) -> dict[str, Lines]:
        for case_id in cases:
            if not re.fullmatch(CASE_ID_PATTERN, case_id):
                raise ValueError(f"{case_id!r} is not a case id")
        return cases

    @field_validator("never")
    @classmethod
    def _never_names_beats(cls, never: list[str], info: ValidationInfo) -> list[str]:
        if info.data.get("based_on") is None:  # a persona built on another is checked once built
            check_never(never, [info.data.get("lines") or Lines(), *(info.data.get("cases") or {}).values()])
        return never

    def lines_for(self, case_id: str) -> Lines:
        own = self.cases.get(case_id)
        return own.over(self.lines) if own else self.lines

    def on(self, base: Persona) -> Persona:
        """This persona built on `base`: its own fields where it sets them, the base's lines under its own."""
        cases = {cid: self.cases[cid].over(lines) if cid in self.cases else lines for cid, lines in base.cases.items()}
        cases.update({cid: lines for cid, lines in self.cases.items() if cid not in cases})
        merged = base.model_copy(update={**{k: getattr(self, k) for k in self.model_fields_set if k != "based_on"},
                                         "lines": self.lines.over(base.lines), "cases": cases, "based_on": None})
        check_never(merged.never, [merged.lines, *merged.cases.values()])
        return merged


def check_never(never: list[str], lines: list[Lines]) -> None:
    named = {a for ls in lines for p in PHASE_FIELDS for b in ls.beats(p) for a in b.about}
    for topic in never:
        if topic not in named:
            raise ValueError(f"no beat is about {topic!r}")


def load_persona_file(path: Path) -> Persona:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PersonaFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PersonaFileError(f"{path}: invalid TOML: {exc}") from None
    try:
        return Persona.model_validate(raw)
    except ValidationError as exc:
        raise PersonaFileError(f"{path}: {describe_error(exc, raw)}") from None


@cache
def load_personas(folder: Path = BUILTIN_PERSONAS) -> dict[str, Persona]:
    """Every persona in `folder` by id, each built on the one it is based on."""
    raw: dict[str, tuple[Path, Persona]] = {}
    for path in sorted(folder.glob("*.toml")):
        persona = load_persona_file(path)
        if persona.id in raw:
            raise PersonaFileError(f"{path}: id: {persona.id!r} is already used by {raw[persona.id][0].name}")
        raw[persona.id] = (path, persona)
    out: dict[str, Persona] = {}
    for pid, (path, persona) in raw.items():
        if persona.based_on is None:
            out[pid] = persona
            continue
        base = raw.get(persona.based_on)
        if base is None or base[1].based_on is not None:
            raise PersonaFileError(f"{path}: based_on: {persona.based_on!r} is not a persona with lines of its own")
        try:
            out[pid] = persona.on(base[1])
        except ValueError as exc:
            raise PersonaFileError(f"{path}: never: {exc}") from None
    return out
