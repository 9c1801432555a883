"""The debrief: for every criterion the candidate missed or only partly met, their own closest
sentence (or that they never raised it) beside what a strong answer says for this case; for
every criterion met, what made it count. A score says *that* cold start was missed; the
debrief shows what saying it would have looked like."""
from __future__ import annotations

import math
from collections import Counter

from pydantic import BaseModel

from mlsd.core.status import Status
from mlsd.core.transcript import Transcript, stamp
from mlsd.prompts.case import Case
from mlsd.rubric.model import Rubric
from mlsd.rubric.score import ScoreReport
from mlsd.rubric.text import GLUE, sentences, words

# Words too common in any design answer to tie a sentence to one criterion.
_COMMON = frozenset("""model system data use would like think also say get one two new time
want need make sure just really okay yes start first then uses""".split())
# A sentence is the closest to a reference only when it shares this many of its terms, of
# which this many are the reference's own: terms found in no more than a few references.
MIN_SHARED, MIN_OWN, OWN_TERM_REFERENCES = 3, 2, 3
SHOWN_TERMS = 6


class DebriefItem(BaseModel):
    id: str
    name: str
    category: str
    status: Status
    prompted: bool = False
    said: str | None = None    # the quote, or the candidate's closest sentence; None: never raised
    turn: int | None = None
    at: str | None = None      # mm:ss of that turn
    reference: str | None = None
    why: str | None = None     # met: what made it count; from the judge: its rationale


class Debrief(BaseModel):
    scorer: str
    items: list[DebriefItem]

    @property
    def to_work_on(self) -> list[DebriefItem]:
        return [i for i in self.items if i.status in (Status.MISSED, Status.PARTIAL)]

    @property
    def counted(self) -> list[DebriefItem]:
        return [i for i in self.items if i.status == Status.MET]


def stem(word: str) -> str:
    """Plurals, possessives and the common verb endings folded, so "retrains" meets
    "retraining", "features" meets "feature" and "restaurants" meets "restaurant's"."""
    w = word.lower().replace("’", "'").removesuffix("'s")
    if w.endswith("ies") and len(w) > 5:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith("ss") and len(w) > 4:
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


def terms(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in GLUE and w not in _COMMON and (len(w) > 2 or w.isdigit())}


def debrief(report: ScoreReport, transcript: Transcript, rubric: Rubric, case: Case | None,
            checklist: ScoreReport | None = None) -> Debrief:
    """`checklist`, the offline scorer's report beside a judge's, lends its quotes: where the
    judge found a criterion missed, the checklist's partial mention is the closest sentence."""
    references = case.references if case is not None else {}
    # Only the criteria that have no quote of their own compete for the candidate's sentences.
    quoted = {c.id for cat in report.categories.values() for c in cat.criteria if c.quote} | (
        {c.id for cat in checklist.categories.values() for c in cat.criteria if c.quote} if checklist else set())
    said = _CandidateSentences(transcript, {cid: terms(text) for cid, text in references.items()}, quoted)
    stamps = {n: stamp(t.elapsed) for n, t in transcript.numbered()}
    items: list[DebriefItem] = []
    for cat in report.categories.values():
        for c in cat.criteria:
            if c.status == Status.NA:
                continue
            criterion = rubric.criterion(c.id)
            item = DebriefItem(id=c.id, name=criterion.name, category=criterion.category, status=c.status,
                               prompted=c.prompted, reference=c.reference, why=c.rationale)
            other = checklist.criterion(c.id) if checklist is not None else None
            if c.quote:
                item.said, item.turn = c.quote, c.turn
            elif other is not None and other.quote:
                item.said, item.turn = other.quote, other.turn
            elif (found := said.closest(c.id)) is not None:
                item.turn, item.said = found
            item.at = stamps.get(item.turn) if item.turn is not None else None
            if c.status == Status.MET and item.why is None:
                item.why = _what_counted(c.prompted, c.quote or "", references.get(c.id, ""), report.scorer)
            items.append(item)
    return Debrief(scorer=report.scorer, items=items)


def _what_counted(prompted: bool, quote: str, reference: str, scorer: str) -> str:
    how = "after a probe" if prompted else "unprompted"
    ref = terms(reference)
    shared: list[str] = []
    for w in words(quote):
        if stem(w) in ref and w not in shared and w not in GLUE and w not in _COMMON:
            shared.append(w)
    on = f"; in line with a strong answer on: {', '.join(shared[:SHOWN_TERMS])}" if len(shared) >= MIN_SHARED else ""
    checker = "the judge" if scorer == "llm" else "the offline checklist"
    return f"Met {how}: {checker} found the point made concretely{on}."


class _CandidateSentences:
    """Every sentence the candidate said, each given to the reference it comes nearest to.
    A term weighs by how rare it is among the candidate's sentences (a word said in every
    answer says little) and among the case's references (a word in every reference ties a
    sentence to none of them). A sentence counts only for the reference it shares most with,
    so a list of features is the closest sentence to feature computation and not to capacity
    as well, and only when it shares enough of that reference's own terms."""

    def __init__(self, transcript: Transcript, references: dict[str, set[str]], taken: set[str]) -> None:
        said = [(n, s.text, terms(s.text)) for n, t in transcript.numbered() if t.speaker == "candidate"
                for s in sentences(t.text)]
        in_said = Counter(term for _, _, ts in said for term in ts)
        in_refs = Counter(term for ts in references.values() for term in ts)

        def weight(term: str) -> float:
            return math.log(1 + len(said) / in_said[term]) * math.log(1 + len(references) / in_refs[term])

        open_refs = {cid: ref for cid, ref in references.items() if cid not in taken}
        self.best: dict[str, tuple[float, int, str]] = {}
        for n, text, ts in said:
            scored = []
            for cid, ref in open_refs.items():
                shared = ts & ref
                own = [t for t in shared if in_refs[t] <= OWN_TERM_REFERENCES]
                if len(shared) >= MIN_SHARED and len(own) >= MIN_OWN:
                    scored.append((sum(weight(t) for t in shared) / math.sqrt(len(ref)), cid))
            if not scored:
                continue
            score, cid = max(scored)
            if cid not in self.best or score > self.best[cid][0]:
                self.best[cid] = (score, n, text)

    def closest(self, cid: str) -> tuple[int, str] | None:
        found = self.best.get(cid)
        return (found[1], found[2]) if found else None
