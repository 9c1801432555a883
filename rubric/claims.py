"""Claims with support: the offline scorer's unit. A candidate's sentence that raises a
criterion is a claim; it is met when it says how THIS system handles it (the rule's
mechanism, in this problem's own words or with the candidate's own numbers), partial when
the point is only named. Recitation earns less: many criteria packed into few words, text
with nothing of this problem in it, and a named concept not backed up when the interviewer
follows up on it."""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from mlsd.core.status import Level
from mlsd.core.transcript import Transcript
from mlsd.rubric.matcher import GUARD, Sentence, Window
from mlsd.rubric.model import Rubric
from mlsd.rubric.text import GLUE, is_question, sentences, words
from mlsd.rubric.tracker import EvidenceTracker, Mention
from mlsd.rubric.vocabulary import ProblemVocabulary

MET, PARTIAL, MISSED = Level.MET, Level.PARTIAL, Level.MISSED
# A sentence naming this many criteria, with fewer words than this per criterion, is a list
# of concepts rather than an explanation of any one of them.
CROWDED_CRITERIA, CROWDED_WORDS_EACH = 4, 5
# A plain-spoken claim (the concept named, the mechanism in the problem's own words) needs
# this many of the problem's words.
PLAIN_ANCHORS = 2
# A rule's mechanism is met with this many of the problem's words or own numbers behind it.
MET_SUPPORT = 1
# An interviewer turn this short is a question whose every word may be echoed back.
ECHO_WORDS = 40
# Grounding: the problem's own words per rubric term the candidate used. Answers that explain
# this system use both; recitation uses the terms alone. At or above GROUNDED nothing is held
# back; at or below UNGROUNDED every claim is, weakest first, in proportion between.
GROUNDED, UNGROUNDED = 0.27, 0.19
# Requests for specifics answered thinly: up to EVADED_FREE is anyone's bad moment; from
# EVADED_ALL on, and when most such requests were evaded, every claim is held back.
EVADED_FREE, EVADED_ALL, EVADED_SHARE = 2, 4, 0.6
# Evasion is recitation only from an answer that raised this many criteria.
RAISED_MANY = 10
# A short answer says too little to tell: the ratio starts from this many terms at an even 1:2.
PRIOR_TERMS, PRIOR_GROUNDING = 10, 0.5
SHOWN = 4  # criteria named in one reason before "and N more"
_SIGNALS_ONLY = ("task_word_", "explain_need", "online_need", "latency_need", "batch_need", GUARD)
_MECHANISM = re.compile(
    r"\b(?:because|so that|so (?:we|it|they|the|that|a|an|each|every)|which means|means that|if|unless|until|"
    r"instead of|rather than|otherwise|only (?:if|when|once)|once|whenever)\b", re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_FOLLOW_UP = re.compile(
    r"\b(?:which|what exactly|exactly|concretely|specifically|name (?:two|three|one|the)|give me|for example|"
    r"example|how many|how much|how long|how often|where on|what does .{0,40}\blook like|for how long|in numbers|"
    r"what would .{0,30}\bsee)\b", re.IGNORECASE)
# Answers that point at a concept instead of saying what it is here.
_EVASIVE = re.compile(
    r"\b(?:it depends|depend(?:s|ing)? on the|as needed|as long as needed|where (?:appropriate|possible|needed)|"
    r"as (?:required|appropriate)|tunable|hyper-?parameter|"
    r"we.d (?:optimi[sz]e|tune|find|benchmark|calibrate) (?:it|that|the|them)|"
    r"empirically|through experimentation|good enough|reasonable|sensible|whatever (?:is|the)|handled by|"
    r"don.t need to fix|not a bottleneck|fairly standard|the usual|best practices?|industry[- ]standard|"
    r"state of the art|governed by|"
    r"(?:several|various|many|established|standard) (?:approaches|techniques|methods|options)|"
    r"in the literature|pick the best|stakeholders|comfortably within|"
    r"(?:would|will) be (?:decided|determined|calibrated|tuned|quantified|defined|agreed)|"
    r"discovery phase|i.m not sure|not sure|i.d have to|i don.t know|can be either|"
    r"either way)\b", re.IGNORECASE)


@dataclass
class Claim:
    criterion: str
    status: Level  # MET or PARTIAL
    turn: int
    quote: str
    prompted: bool
    support: int = 0  # the problem's words and the candidate's own numbers in it
    signals: list[str] = field(default_factory=list)  # why it was held back, if it was


@dataclass
class Recitation:
    """Transcript-level signs of recitation, for the level estimate and the report."""

    crowded: int = 0
    generic: int = 0
    thin_follow_ups: list[str] = field(default_factory=list)
    listed: int = 0
    claims: int = 0
    anchors: int = 0  # the problem's own words, summed over sentences
    terms: int = 0  # rubric terms with none of the problem's words in them, likewise
    distinct_anchors: set[str] = field(default_factory=set)
    distinct_terms: set[str] = field(default_factory=set)
    held_back: int = 0
    raised: int = 0  # criteria raised at all, named or shown
    follow_ups: int = 0  # the interviewer's requests to make a point concrete
    evaded: int = 0  # of those, answered thinly

    @property
    def grounding(self) -> float:
        """How much of the talk is about this problem: the problem's words per rubric term, as
        used sentence by sentence and as distinct words (so one word said often cannot carry
        it), their geometric mean."""
        def ratio(a: int, t: int) -> float:
            return (a + PRIOR_TERMS * PRIOR_GROUNDING) / (t + PRIOR_TERMS)
        return math.sqrt(ratio(self.anchors, self.terms)
                         * ratio(len(self.distinct_anchors), len(self.distinct_terms)))

    @property
    def strength(self) -> float:
        """0 for answers grounded in this problem that hold up when asked for specifics; 1 for
        terms with nothing of the problem in them, or for requests for specifics evaded again
        and again. Whichever signal is stronger."""
        ungrounded = (GROUNDED - self.grounding) / (GROUNDED - UNGROUNDED)
        evasive = (self.evaded - EVADED_FREE) / (EVADED_ALL - EVADED_FREE)
        if (self.follow_ups and self.evaded / self.follow_ups < EVADED_SHARE) or self.raised < RAISED_MANY:
            evasive = 0.0  # a weak answer evades too, but it never named much to hold back
        return min(1.0, max(0.0, ungrounded, evasive))

    def reasons(self, names: dict[str, str]) -> list[str]:
        out = []
        if self.strength > 0:
            out.append(f"{self.anchors} words of this problem or own numbers against {self.terms} rubric terms, "
                       f"{self.evaded} of {self.follow_ups} requests for specifics evaded: "
                       f"{self.held_back} claims held back as recitation")
        if self.thin_follow_ups:
            shown = [names[c] for c in dict.fromkeys(self.thin_follow_ups)]
            more = f" and {len(shown) - SHOWN} more" if len(shown) > SHOWN else ""
            out.append(f"named but not backed up when asked to go further: {', '.join(shown[:SHOWN])}{more}")
        if self.crowded + self.listed >= 3:
            out.append(f"{self.crowded + self.listed} sentences pack several criteria into a few words")
        if self.generic >= 3 and self.generic * 3 >= self.claims:
            out.append(f"{self.generic} of {self.claims} claims could be about any problem")
        return out


def _is_term(text: str) -> bool:
    """A rubric term says something on its own; "when", "so" or "because" do not."""
    return any(w not in GLUE for w in words(text))


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


class ClaimJudge:
    """Grades a tracked transcript's mentions into each criterion's best claim."""

    def __init__(self, tracker: EvidenceTracker, transcript: Transcript, vocabulary: ProblemVocabulary, rubric: Rubric):
        self.tracker = tracker
        self.transcript = transcript
        self.vocabulary = vocabulary
        self.rubric = rubric
        self.turns = dict(transcript.numbered())
        self.recitation = Recitation()
        self._first_heard = self._numbers_heard()
        self._prompt = self._prompt_words()
        self._load = self._sentence_loads(tracker.mentions)
        self._spans: dict[int, list] = {}

    def _numbers_heard(self) -> dict[str, int]:
        """Each number the interviewer said, and the turn it was first said in: restating it
        later is not the candidate's own estimate."""
        first: dict[str, int] = {}
        for n, turn in self.transcript.numbered():
            if turn.speaker == "interviewer":
                for x in _numbers(turn.text):
                    first.setdefault(x, n)
        return first

    def _own(self, numbers: set[str], turn: int) -> set[str]:
        """Of `numbers` said in `turn`, those the interviewer had not said before it."""
        return {x for x in numbers if self._first_heard.get(x, turn) >= turn}

    def _prompt_words(self) -> dict[int, set[str]]:
        """For each candidate turn, the problem's words in the question it answers: repeating
        them ties an answer to the question, not to a mechanism of the candidate's own."""
        out: dict[int, set[str]] = {}
        numbered = self.transcript.numbered()
        for (_, before), (n, turn) in pairwise(numbered):
            if turn.speaker == "candidate" and before.speaker == "interviewer":
                spans = sentences(before.text)
                asked = before.text if len(words(before.text)) <= ECHO_WORDS else " ".join(
                    s.text for s in spans if is_question(s.text))
                out[n] = self.vocabulary.anchors(asked)
        return out

    @staticmethod
    def _sentence_loads(mentions: Iterable[Mention]) -> dict[tuple[int, int], set[str]]:
        loads: dict[tuple[int, int], set[str]] = {}
        for m in mentions:
            loads.setdefault((m.turn, m.window.parts[0].span.start), set()).add(m.criterion)
        return loads

    def grade(self, m: Mention) -> Claim:
        text = self.turns[m.turn].text[m.start:m.end]
        first = m.window.parts[0]
        # The support is the claim and the sentence right after it, where a point raised is
        # usually made concrete ("First the simple ones. Same weekday last week, ...").
        backed = text + " " + self._next_sentence(m)
        anchors = self.vocabulary.anchors(backed)
        if m.with_probe:  # the question's words carried the rule: they are not the answer's own
            anchors -= self._prompt.get(m.turn, set())
        own = self._own(_numbers(backed), m.turn)
        load = len(self._load.get((m.turn, first.span.start), ()))
        crowded = load >= CROWDED_CRITERIA and len(first.words) / load < CROWDED_WORDS_EACH
        signals: list[str] = []
        status = PARTIAL
        if crowded:
            signals.append("crowded")
        elif not anchors and not own:
            signals.append("generic")
        elif m.level == MET and len(anchors) + len(own) >= MET_SUPPORT:
            status = MET
        elif self.rubric.criterion(m.criterion).plain and len(anchors) >= PLAIN_ANCHORS and (
                own or _MECHANISM.search(text)):
            status = MET
            signals.append("plain")
        return Claim(m.criterion, status, m.turn, text, m.prompted, len(anchors) + len(own), signals)

    def _next_sentence(self, m: Mention) -> str:
        spans = self._spans.get(m.turn)
        if spans is None:
            spans = self._spans[m.turn] = sentences(self.turns[m.turn].text)
        return next((s.text for s in spans if s.start >= m.end), "")

    def claims(self) -> dict[str, list[Claim]]:
        out: dict[str, list[Claim]] = {}
        for m in self.tracker.mentions:
            if m.listed:
                self.recitation.listed += 1
                continue
            claim = self.grade(m)
            if m.by_question and claim.status < MET:
                continue  # the question named the point and the answer did not say how
            out.setdefault(m.criterion, []).append(claim)
        for found in out.values():
            for c in found:
                self.recitation.claims += 1
                self.recitation.crowded += "crowded" in c.signals
                self.recitation.generic += "generic" in c.signals
        self._follow_ups(out)
        self.recitation.raised = sum(1 for found in out.values() if any(c.status >= PARTIAL for c in found))
        self._grounding()
        self._hold_back(out)
        return out

    def _grounding(self) -> None:
        for n, turn in self.transcript.numbered():
            if turn.speaker != "candidate":
                continue
            for span in sentences(turn.text):
                sentence = Sentence(span, self.tracker.book)
                if sentence.guarded:
                    continue
                # The problem's words and the candidate's own numbers both tie talk to this system.
                anchors = self.vocabulary.anchors(span.text) | {
                    f"#{x}" for x in self._own(_numbers(span.text), n)}
                terms = {m for name, found in sentence.matches.items() if not name.startswith(_SIGNALS_ONLY)
                         for m in found if _is_term(m) and not self.vocabulary.anchors(m)}
                self.recitation.anchors += len(anchors)
                self.recitation.terms += len(terms)
                self.recitation.distinct_anchors |= anchors
                self.recitation.distinct_terms |= terms

    def _hold_back(self, claims: dict[str, list[Claim]]) -> None:
        """Recitation holds back the share of met claims its strength says, the least supported
        first: they count as named."""
        every = [c for found in claims.values() for c in found if c.status == MET]
        count = round(self.recitation.strength * len(every))
        for c in sorted(every, key=lambda c: c.support)[:count]:
            c.status = PARTIAL  # named, not shown to be known
            c.signals.append("recitation")
        self.recitation.held_back = count

    # ------------------------------------------------------------------ follow-ups
    def _follow_ups(self, claims: dict[str, list[Claim]]) -> None:
        """A claim the interviewer then asks about ("which heuristic?", "how many machines?")
        and the candidate answers thinly is held back a level: it was named, not known."""
        numbered = self.transcript.numbered()
        index = _ByTurn(claims)
        held: dict[str, int] = {}  # per criterion, how many of its claims (in turn order) are held back
        for i, (_, turn) in enumerate(numbered):
            if turn.speaker != "interviewer" or i == 0 or i + 1 >= len(numbered):
                continue
            before_n, before = numbered[i - 1]
            after_n, after = numbered[i + 1]
            if before.speaker != "candidate" or after.speaker != "candidate":
                continue
            targets = self._targets(turn.text, index.raised.get(before_n, []))
            if targets is None:
                continue  # not a request for specifics
            self.recitation.follow_ups += 1
            if not self._thin(after.text, turn.text, after_n):
                continue
            self.recitation.evaded += 1
            for cid in targets:
                if any(c.status == MET for c in index.at.get((cid, after_n), [])):
                    continue
                # The concept was shown not to be known: what was said of it so far counts a level less.
                found, k = claims.get(cid, []), held.get(cid, 0)
                while k < len(found) and found[k].turn <= before_n:
                    c = found[k]
                    if "thin follow-up" not in c.signals:
                        c.status = Level(c.status - 1)
                        c.signals.append("thin follow-up")
                        self.recitation.thin_follow_ups.append(cid)
                    k += 1
                held[cid] = k

    def probe_handling(self, claims: dict[str, list[Claim]]) -> tuple[Level, int | None, str | None]:
        """How the probes were handled: an answer counts when it backs the probed point up or
        is not thin. Level, and the turn and quote of the first answer that counted."""
        answers = self.tracker.probe_answers
        if not answers:
            return MISSED, None, None
        good = []
        index = _ByTurn(claims)
        for a in answers:
            asked, said = self.turns[a.probe_turn].text, self.turns[a.answer_turn].text
            backed = any(c.status == MET for c in index.at.get((a.criterion, a.answer_turn), []))
            if a.answered and (backed or not self._thin(said, asked, a.answer_turn)):
                good.append(a)
        share = len(good) / len(answers)
        level = MET if share >= 2 / 3 else PARTIAL if share >= 1 / 3 else MISSED
        first = good[0] if good else None
        return level, (first.turn if first else None), (first.quote if first else None)

    def _targets(self, question: str, raised: list[str]) -> list[str] | None:
        """Of the criteria `raised` in the turn before, those the interviewer's question asks to
        make concrete: those the question names, or else all of them; None when the question
        does not ask for specifics."""
        asked = [s for s in sentences(question) if is_question(s.text)]
        if not asked or not any(_FOLLOW_UP.search(s.text) for s in asked):
            return None
        window = Window([Sentence(s, self.tracker.book) for s in asked])
        return [cid for cid in raised if window.touches(self.rubric.criterion(cid))] or raised

    def _thin(self, answer: str, question: str, turn: int) -> bool:
        if _EVASIVE.search(answer):
            return True
        new = self.vocabulary.anchors(answer) - self.vocabulary.anchors(question)
        own = self._own(_numbers(answer), turn)
        return len(words(answer)) < 40 and len(new) < 2 and not own


class _ByTurn:
    """Claims looked up by criterion and turn, and the criteria raised in each turn, without
    going through every claim each time: grading stays linear in the transcript."""

    def __init__(self, claims: dict[str, list[Claim]]) -> None:
        self.at: dict[tuple[str, int], list[Claim]] = {}
        self.raised: dict[int, list[str]] = {}
        for cid, found in claims.items():
            for c in found:
                self.at.setdefault((cid, c.turn), []).append(c)
                in_turn = self.raised.setdefault(c.turn, [])
                if not in_turn or in_turn[-1] != cid:
                    in_turn.append(cid)
