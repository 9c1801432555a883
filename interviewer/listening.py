"""What the interviewer heard in each answer: what it covered (the rubric criteria it showed,
the kinds of choice it named, a question asked), the choices themselves, how far into the
plan its topics reach, and whether it stopped mid-thought. A question about what the last
answers covered would be redundant; a choice in them is something to pick up."""
from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from mlsd.core.plan import Plan
from mlsd.core.status import Level
from mlsd.interviewer.choices import Choice, choices_in
from mlsd.interviewer.subject import content_words
from mlsd.prompts.material import choice_book
from mlsd.rubric.model import Criterion, Rubric
from mlsd.rubric.text import is_question, sentences
from mlsd.rubric.tracker import TurnEvidence

RECENT = 2  # "the last answers": this answer and the one before it

# An answer that trails off ("...and then,", "so first:", "which means") is not finished; one
# that ends a sentence (". ! ?") is, whatever its last word.
_TRAILS_OFF = re.compile(
    r"(?:[,:;(\u2013\u2014]|\s-|\.\.\.|…|\b(?:and|or|but|so|then|because|like|with|the|a|an|to|of|first|also|plus|which|that|"
    r"where|when|if|means|would|will))[\s\"')]*$", re.IGNORECASE)
_SAYS_MORE_COMES = re.compile(r"\b(?:let me (?:continue|finish)|hold on|one (?:sec|second|moment)|more on that in a)\b",
                              re.IGNORECASE)


# An answer that says there is nothing more, or that the candidate does not know: nothing in it
# to dig into.
_NOTHING_MORE = re.compile(
    r"\b(?:not sure|no idea|don'?t know|haven'?t thought|that'?s (?:it|all|about it)|nothing (?:more|else)|"
    r"done with|covered|all i have|what else to add|good question)\b", re.IGNORECASE)
# An answer this long (in words that carry meaning) says something, even when it names no
# rubric topic the tracker knows.
SAYS_SOMETHING_WORDS = 5


def trails_off(text: str) -> bool:
    """The answer stopped mid-thought: the only time "go on" is the right reply."""
    text = text.strip()
    return bool(text) and bool(_TRAILS_OFF.search(text) or _SAYS_MORE_COMES.search(text[-60:]))


def says_something(text: str) -> bool:
    """A claim of some length that is not "that's all" or "not sure"."""
    return not _NOTHING_MORE.search(text) and len(content_words(text)) >= SAYS_SOMETHING_WORDS


def criteria_shown(evidence: TurnEvidence, rubric: Rubric) -> set[str]:
    """The criteria an answer showed something of. A bare number ("7-day aggregates", "50
    orders") partly meets the capacity estimate for the scorer, but it is not a topic covered."""
    return {cid for cid, level in evidence.hits.items()
            if level >= Level.MET or not _numbers_only(rubric.criterion(cid))}


def _numbers_only(criterion: Criterion) -> bool:
    return bool(criterion.partial) and all(part.startswith("@") for rule in criterion.partial for part in rule)


class Heard(BaseModel):
    model_config = ConfigDict(frozen=True)

    turn: int
    covered: frozenset[str]   # criterion ids with evidence, kinds of choice named, "clarifying_questions"
    choices: tuple[Choice, ...]
    # The phases (plan indexes) its evidence or choices belong to, leaving out those the
    # interviewer had just asked about: where the candidate took the talk on their own.
    touched: frozenset[int]
    reach: int                # the latest of them; -1 for none
    unfinished: bool
    said: str = ""            # its first sentence, to quote when going back to it
    substantive: bool = False  # it says something to dig into: a topic, a choice, or a real claim


def _squeezed(text: str) -> str:
    return re.sub(r"[\s,]", "", text.lower())


class Listener:
    def __init__(self, plan: Plan, rubric: Rubric, given: str = "") -> None:
        """`given`: what the case itself says (its prompt and facts). A figure from there that
        the candidate repeats ("100 ms", "5 million orders") is the case's, not their choice."""
        self.plan, self.rubric = plan, rubric
        self.given = _squeezed(given)
        self.heard: list[Heard] = []
        self.asked_phases: frozenset[int] = frozenset()  # what the latest question was about

    def asked(self, about: list[str]) -> None:
        """The interviewer asked about these criteria or kinds of choice."""
        book = choice_book()
        phases = [self.rubric.criterion(a).phase if a in self.rubric.criterion_ids else book.kind(a).phase
                  for a in about if a in self.rubric.criterion_ids or a in book.kind_ids]
        self.asked_phases = frozenset(self.plan.index_of(p) for p in phases)

    def hear(self, turn: int, text: str, evidence: TurnEvidence) -> Heard:
        """Take in candidate turn number `turn`; hearing the same turn again changes nothing."""
        if self.heard and self.heard[-1].turn == turn:
            return self.heard[-1]
        book = choice_book()
        choices = [c for c in choices_in(text, turn)
                   if not (book.kind(c.kind).patterns and _squeezed(c.term) in self.given)]
        shown = criteria_shown(evidence, self.rubric)
        covered = shown | {c.kind for c in choices}
        if any(is_question(s.text) for s in sentences(text)):
            covered.add("clarifying_questions")
        phases = [self.rubric.criterion(c).phase for c in shown] + [book.kind(c.kind).phase for c in choices]
        touched = frozenset(self.plan.index_of(p) for p in phases) - {-1} - self.asked_phases
        heard = Heard(turn=turn, covered=frozenset(covered), choices=tuple(choices), touched=touched,
                      reach=max(touched, default=-1), unfinished=trails_off(text),
                      said=next((s.text.strip() for s in sentences(text)), ""),
                      substantive=bool(set(covered) - {"clarifying_questions"}) or says_something(text))
        self.heard.append(heard)
        return heard

    @property
    def latest(self) -> Heard | None:
        return self.heard[-1] if self.heard else None

    @property
    def recent(self) -> list[Heard]:
        return self.heard[-RECENT:]

    @property
    def covered(self) -> frozenset[str]:
        return frozenset().union(*(h.covered for h in self.recent))

    def covered_in(self, turn: int) -> frozenset[str]:
        """What candidate turn number `turn` covered (nothing, for a turn not heard)."""
        return next((h.covered for h in self.heard if h.turn == turn), frozenset())

    def redundant(self, about: list[str]) -> bool:
        """Asking about any of `about` would repeat what the last answers covered."""
        return not self.covered.isdisjoint(about)

    @property
    def floor(self) -> int:
        """How far the candidate has gone on their own: the plan phase both of the last two
        answers reach at least (-1 until two answers have shown anything)."""
        if len(self.heard) < RECENT:
            return -1
        return min(h.reach for h in self.recent)

    def moved_past(self, phase: int) -> bool:
        """Both of the last two answers were about later phases, and not about that one."""
        return len(self.recent) == RECENT and all(h.reach > phase and phase not in h.touched for h in self.recent)

    def dwelt_on(self, phase: int) -> bool:
        """Both of the last two answers were (also) about that phase."""
        return len(self.recent) == RECENT and all(phase in h.touched for h in self.recent)

    def recent_choices(self) -> list[Choice]:
        """Choices from the last answers, the newest answer's first."""
        return [c for h in reversed(self.recent) for c in h.choices]
