"""Load and validate case files; every error is one line naming the file and the field.
What a case may refer to (criterion ids, phrase sets, task types) is the rubric's to say: it
is handed in as a Vocabulary, since the rubric sits above this layer."""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from mlsd.core.files import MB, read_text
from mlsd.prompts.case import Case
from mlsd.prompts.material import choice_book

BUILTIN_CASES = Path(__file__).parent / "cases"
M = TypeVar("M", bound=BaseModel)
FILE_LIMIT = 1 * MB  # a TOML data file: a case, a persona, the rubric; the built-in cases are 5 KB each


class CaseFileError(Exception):
    """A case file the user can fix: the message names the file and the field."""


@dataclass(frozen=True)
class Vocabulary:
    """The names a case file may use, as the rubric defines them."""

    criteria: frozenset[str]
    phrase_sets: frozenset[str]
    tasks: frozenset[str]

    def unknown(self, case: Case) -> str | None:
        """The first reference `case` makes to a name the rubric does not have, as `field: ...`."""
        checks = (("not_applicable", case.not_applicable, self.criteria, "criterion"),
                  ("probes", case.probes, self.criteria, "criterion"),
                  ("references", case.references, self.criteria, "criterion"),
                  ("phrases", case.phrases, self.phrase_sets, "phrase set"),
                  ("task", [case.task] if case.task else [], self.tasks, "task type"))
        for fld, names, known, what in checks:
            for name in names:
                if name not in known:
                    return f"{fld}: unknown {what} {name!r} (known: {', '.join(sorted(known))})"
        return None


def _field_path(loc: tuple, raw: object = None) -> str:
    """`criteria[17] (assumptions).probes`: list items are named by their id where they have one."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            raw = raw[part] if isinstance(raw, list) and part < len(raw) else None
            if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                out += f" ({raw['id']})"
        else:
            out += f".{part}" if out else str(part)
            raw = raw.get(part) if isinstance(raw, dict) else None
    return out or "(top level)"


def describe_error(err: ValidationError, raw: object = None) -> str:
    """The first problem of a validation error as `field: what is wrong`, on one line."""
    first = err.errors()[0]
    msg = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        msg = "is required"
    elif first["type"] == "extra_forbidden":
        msg = "is not a known field"
    more = len(err.errors()) - 1
    return f"{_field_path(first['loc'], raw)}: {msg}" + (f" (and {more} more)" if more else "")


def read_toml(path: Path, limit: int, what: str, error: type[Exception]) -> dict[str, Any]:
    """A TOML file (a case, a persona, the config...) as a dict, or `error` with one line naming it."""
    text = read_text(path, limit, what, error)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise error(f"{path}: invalid TOML: nested too deeply to read") from None


def load_model(path: Path, model: type[M], error: type[Exception], what: str = "a data file") -> M:
    """A TOML data file read into `model`. A file that cannot be read, parsed or validated is
    `error`, with one line naming the file and the first bad field."""
    raw = read_toml(path, FILE_LIMIT, what, error)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise error(f"{path}: {describe_error(exc, raw)}") from None


def load_case(path: Path, vocabulary: Vocabulary | None = None, user: bool = False) -> Case:
    """Read one case file, checking its references against `vocabulary` when given."""
    case = load_model(path, Case, CaseFileError, "a case file")
    problem = vocabulary.unknown(case) if vocabulary is not None else None
    if problem:
        raise CaseFileError(f"{path}: {problem}")
    for cid in case.references:
        if cid in case.not_applicable:
            raise CaseFileError(f"{path}: references.{cid}: the case marks {cid!r} not applicable")
    topics = None if vocabulary is None else vocabulary.criteria | set(choice_book().kind_ids)
    for fld, items in (("tradeoffs", case.tradeoffs), ("curveballs", case.curveballs)):
        ids = [item.id for item in items]
        for i, item in enumerate(items):
            if item.id in ids[:i]:
                raise CaseFileError(f"{path}: {fld}[{i}].id: duplicate id {item.id!r}")
            # What it asks about: the interviewer skips it when the last answers covered that.
            unknown = [tag for tag in item.about if topics is not None and tag not in topics]
            if unknown:
                raise CaseFileError(f"{path}: {fld}[{i}].about: {unknown[0]!r} is neither a criterion "
                                    "nor a kind of choice")
    seen: set[str] = set()
    for i, fact in enumerate(case.facts):
        if not fact.keywords and not fact.kind:
            raise CaseFileError(f"{path}: facts[{i}]: needs keywords or a kind")
        if fact.id in seen:
            raise CaseFileError(f"{path}: facts[{i}].id: duplicate fact id {fact.id!r}")
        seen.add(fact.id)
    return case.model_copy(update={"source": path, "user": user})


@dataclass
class CaseCatalog:
    cases: list[Case] = field(default_factory=list)
    errors: list[CaseFileError] = field(default_factory=list)

    def get(self, case_id: str) -> Case | None:
        return next((c for c in self.cases if c.id == case_id), None)

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.cases]


def load_cases(user_dirs: Iterable[Path] = (), vocabulary: Vocabulary | None = None) -> CaseCatalog:
    """Built-in cases, then the user's; a user case with a built-in id replaces it.

    One bad file never stops the others from loading: its error is collected instead.
    """
    catalog = CaseCatalog()
    by_id: dict[str, Case] = {}
    sources = [(BUILTIN_CASES, False)] + [(Path(d), True) for d in user_dirs]
    for folder, user in sources:
        if not folder.is_dir():
            continue
        user_ids: set[str] = set()
        for path in sorted(folder.glob("*.toml")):
            try:
                case = load_case(path, vocabulary, user=user)
            except CaseFileError as exc:
                catalog.errors.append(exc)
                continue
            if case.id in user_ids:
                catalog.errors.append(
                    CaseFileError(f"{path}: id: {case.id!r} is already used by another case file")
                )
                continue
            if user:
                user_ids.add(case.id)
            by_id[case.id] = case
    catalog.cases = list(by_id.values())
    return catalog
