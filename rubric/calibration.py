"""Agreement between a scorer and expert labels on a folder of transcripts: Spearman rank
correlation, mean absolute error overall and per category, and the gaps between levels of
candidate (strong, medium, weak, keyword-stuffed, grader-addressed) that a fair scorer keeps.

A folder holds `<problem>.<kind>.txt` transcripts and `labels.json`:
`{"<file stem>": {"overall": n, "categories": {"<category id>": n}}}`."""
from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from mlsd.rubric.score import ScoreReport

# A gap is (higher kind, lower kind): the scorer's score of the first minus the second, per problem.
GAPS = {
    "strong-medium": ("strong", "medium"),
    "medium-weak": ("medium", "weak"),
    "stuffed-weak": ("stuffed", "weak"),
    "injection-weak": ("injection", "weak"),
    "plain-strong": ("strong-plain", "strong"),
    "plain-medium": ("strong-plain", "medium"),
    "rambling-medium": ("rambling", "medium"),
}


class CalibrationError(Exception):
    """A calibration folder the user can fix: the message names the file and the key."""


class Label(BaseModel):
    overall: float = Field(ge=0, le=100)
    categories: dict[str, float] = {}


class Item(BaseModel):
    stem: str
    label: Label
    score: ScoreReport

    @property
    def problem(self) -> str:
        return self.stem.rsplit(".", 1)[0] if "." in self.stem else self.stem

    @property
    def kind(self) -> str:
        return self.stem.rsplit(".", 1)[1] if "." in self.stem else ""


class Gap(BaseModel):
    mean: float
    min: float
    max: float
    label_mean: float
    by_problem: dict[str, float]


class Calibration(BaseModel):
    scorer: str
    n: int
    spearman: float | None
    mae: float
    categories: dict[str, float]
    gaps: dict[str, Gap]
    items: list[dict]


def read_labels(folder: Path) -> dict[str, Label]:
    path = folder / "labels.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CalibrationError(f"{path}: not found (expected {{\"<file stem>\": {{\"overall\": n}}}})") from None
    except OSError as exc:
        raise CalibrationError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CalibrationError(f"{path}: not valid JSON: {str(exc).splitlines()[0]}") from None
    if not isinstance(raw, dict):
        raise CalibrationError(f"{path}: the top level must be an object of file stems")
    labels: dict[str, Label] = {}
    for stem, value in raw.items():
        try:
            labels[stem] = Label.model_validate(value)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise CalibrationError(f"{path}: {stem}{'.' + where if where else ''}: {err['msg']}") from None
        if not (folder / f"{stem}.txt").is_file():
            raise CalibrationError(f"{path}: {stem}: no transcript {stem}.txt in {folder}")
    if not labels:
        raise CalibrationError(f"{path}: no labels")
    return labels


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties sharing their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Pearson correlation of the ranks; None when either side has no spread."""
    if len(xs) < 2:
        return None
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    sy = math.sqrt(sum((b - my) ** 2 for b in ry))
    if sx == 0 or sy == 0:
        return None
    return sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True)) / (sx * sy)


def _gaps(items: list[Item]) -> dict[str, Gap]:
    by: dict[tuple[str, str], Item] = {(i.problem, i.kind): i for i in items}
    problems = sorted({i.problem for i in items})
    out: dict[str, Gap] = {}
    for name, (hi, lo) in GAPS.items():
        pairs = [(p, by[(p, hi)], by[(p, lo)]) for p in problems if (p, hi) in by and (p, lo) in by]
        if not pairs:
            continue
        diffs = {p: round(a.score.overall - b.score.overall, 1) for p, a, b in pairs}
        out[name] = Gap(mean=round(statistics.fmean(diffs.values()), 1), min=min(diffs.values()),
                        max=max(diffs.values()),
                        label_mean=round(statistics.fmean(a.label.overall - b.label.overall for _, a, b in pairs), 1),
                        by_problem=diffs)
    return out


def measure(items: list[Item], scorer: str) -> Calibration:
    scores = [i.score.overall for i in items]
    labels = [i.label.overall for i in items]
    errors: dict[str, list[float]] = {}
    for i in items:
        for cid, value in i.label.categories.items():
            if cid in i.score.categories:
                errors.setdefault(cid, []).append(abs(i.score.categories[cid].score - value))
    rho = spearman(scores, labels)
    return Calibration(
        scorer=scorer, n=len(items), spearman=round(rho, 3) if rho is not None else None,
        mae=round(statistics.fmean(abs(s - lab) for s, lab in zip(scores, labels, strict=True)), 1),
        categories={cid: round(statistics.fmean(e), 1) for cid, e in errors.items()},
        gaps=_gaps(items),
        items=[{"stem": i.stem, "label": i.label.overall, "score": i.score.overall,
                "level": i.score.level.estimate if i.score.level else None} for i in items],
    )


def calibrate(folder: Path, score: Callable[[Path], ScoreReport], scorer: str,
              skipped: Callable[[Iterable[str]], None] | None = None) -> Calibration:
    """Score every labelled transcript in `folder` with `score` and compare with the labels."""
    if not folder.is_dir():
        raise CalibrationError(f"{folder}: not a folder")
    labels = read_labels(folder)
    unlabelled = sorted(p.stem for p in folder.glob("*.txt") if p.stem not in labels)
    if unlabelled and skipped:
        skipped(unlabelled)
    items = [Item(stem=stem, label=label, score=score(folder / f"{stem}.txt"))
             for stem, label in sorted(labels.items())]
    return measure(items, scorer)


def render_text(result: Calibration, folder: Path) -> str:
    rho = f"{result.spearman:.3f}" if result.spearman is not None else "n/a"
    lines = [f"{result.n} labelled transcripts in {folder}, {result.scorer} scorer", "",
             f"  Spearman rank correlation   {rho}",
             f"  mean absolute error         {result.mae:.1f} points", "",
             "  per category, mean absolute error:"]
    lines += [f"    {cid:<15} {err:5.1f}" for cid, err in result.categories.items()]
    if result.gaps:
        lines += ["", "  level gaps, scorer points (labels' mean gap in brackets):",
                  f"    {'':<17} {'mean':>6} {'min':>6} {'max':>6}   labels"]
        for name, g in result.gaps.items():
            lines.append(f"    {name:<17} {g.mean:+6.1f} {g.min:+6.1f} {g.max:+6.1f}   [{g.label_mean:+.1f}]")
    lines += ["", f"  {'transcript':<44} {'label':>5} {'score':>6} {'error':>6}  level"]
    for it in result.items:
        lines.append(f"  {it['stem']:<44} {it['label']:5.0f} {it['score']:6.1f} {it['score'] - it['label']:+6.1f}"
                     f"  {it['level'] or '-'}")
    return "\n".join(lines) + "\n"
