"""The evidence tracker: turn by turn, which criteria the candidate's own words cover, where,
and whether that came before or after the interviewer probed for it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mlsd.core.plan import PhaseId, Plan
from mlsd.core.status import Level, Status
from mlsd.core.transcript import Turn
from mlsd.prompts.case import Case
from mlsd.rubric import numbers
from mlsd.rubric.matcher import PhraseBook, Sentence, Window, windows
from mlsd.rubric.model import Criterion, Rubric
from mlsd.rubric.text import Span, is_question, sentences, words
from mlsd.rubric.vocabulary import ProblemVocabulary

# The sentences at the start of an answer that answer the question itself.
ANSWER_SENTENCES = 3
# "Why not a graph network? ..." in an answer is the candidate weighing an option, not asking.
_RHETORICAL = re.compile(r"^\W*(?:so,? )?why not\b", re.IGNORECASE)
_NO_ANSWER = re.compile(r"\b(?:i don.t know|not sure|no idea|pass|skip this|can we move on)\b", re.IGNORECASE)
# A sentence that is a list of short items touching this many criteria is a list of terms.
_DUMP_CRITERIA, _DUMP_WORDS_PER, _LIST_ITEM_WORDS = 4, 8, 4
_LIST_SPLIT = re.compile(r",|;|\band\b|\bor\b|\bplus\b", re.IGNORECASE)
# A turn of many short sentences, each naming another criterion, is the same list in disguise.
_TURN_DUMP_SENTENCES, _TURN_DUMP_MEDIAN_WORDS = 4, 9
# What one turn can show is read from its first this many characters: a turn pasted at
# megabytes costs what this costs, and scoring stays linear in the number of turns.
MAX_TURN_CHARS = 20_000


def bounded(turn: Turn) -> Turn:
    """The part of `turn` the scorer reads."""
    return turn if len(turn.text) <= MAX_TURN_CHARS else turn.model_copy(update={"text": turn.text[:MAX_TURN_CHARS]})


@dataclass
class Finding:
    criterion: str
    level: Level = Level.MISSED
    turn: int | None = None
    quote: str | None = None
    prompted: bool = False
    applicable: bool = True

    @property
    def status(self) -> Status:
        return self.level.status if self.applicable else Status.NA


@dataclass
class TurnEvidence:
    """What one candidate turn showed: criterion id -> level reached in this turn."""

    hits: dict[str, Level] = field(default_factory=dict)


@dataclass
class Mention:
    """A window of a candidate turn that names a criterion (level partial) or meets its rule
    (level met): the raw material the scorer grades into claims."""

    criterion: str
    level: Level
    turn: int
    window: Window
    start: int  # the window's offsets in the turn's text
    end: int
    prompted: bool
    listed: bool = False  # in a sentence or turn that reads as a list of terms
    with_probe: bool = False  # only holds when read with the interviewer's question
    # Named by the question alone: the answer counts only if it states a mechanism of its own.
    by_question: bool = False


@dataclass
class ProbeAnswer:
    probe_turn: int
    criterion: str
    answered: bool
    quote: str | None
    turn: int | None
    answer_turn: int = 0


class EvidenceTracker:
    """Reads turns in order against the rubric. Turns without a stored phase are placed by
    `plan` (the reference 45-minute plan unless the session had another length)."""

    def __init__(self, rubric: Rubric, case: Case | None = None, plan: Plan | None = None,
                 vocabulary: ProblemVocabulary | None = None, not_applicable: set[str] | None = None):
        self.rubric = rubric
        self.case = case
        self.plan = plan or Plan.scaled()
        self.book = PhraseBook(rubric, case, vocabulary)
        na = not_applicable if not_applicable is not None else set(case.not_applicable) if case else set()
        self.findings = {c.id: Finding(c.id, applicable=c.id not in na) for c in rubric.criteria}
        self.probed: dict[str, int] = {}
        self.turn_no = 0
        self._ruled = [c for c in rubric.criteria if c.ruled and c.id not in na]
        self._by_set: dict[str, list[str]] = {}
        for c in self._ruled:
            for name in c.phrase_sets:
                self._by_set.setdefault(name, []).append(c.id)
        self._by_detector = [c.id for c in self._ruled if c.detectors]
        self._not_a_topic = set(rubric.questions.get("not_a_topic", []))
        self._task = case.task if case else None
        self._questions_criterion = rubric.special("clarifying_questions")
        self._probes_criterion = rubric.special("handling_probes")
        self._diagram_criterion = rubric.special("diagram")
        self._probe_texts = {p.strip(): c.id for c in rubric.criteria for p in c.probes}
        if case:
            self._probe_texts.update({p.strip(): cid for cid, ps in case.probes.items() for p in ps})
        self._pending: tuple[int, str] | None = None
        self._pending_text = ""
        self._answers: list[ProbeAnswer] = []
        self._answered = 0  # of them, kept as they come: grading stays linear in the turns
        self._first_answered: ProbeAnswer | None = None
        self._questions: list[tuple[int, str]] = []
        self.mentions: list[Mention] = []

    # ------------------------------------------------------------------ feeding turns
    def add(self, turn: Turn) -> TurnEvidence:
        self.turn_no += 1
        turn = bounded(turn)
        if turn.speaker == "interviewer":
            self._interviewer_turn(turn)
            return TurnEvidence()
        return self._candidate_turn(turn)

    def _interviewer_turn(self, turn: Turn) -> None:
        probed = [turn.probe] if turn.probe else []
        if not probed and turn.phase is None:
            probed = self._infer_probes(turn.text)
        for cid in probed:
            if cid in self.findings:
                self.probed.setdefault(cid, self.turn_no)
        self._pending = (self.turn_no, probed[0]) if probed else None
        self._pending_text = turn.text

    def _infer_probes(self, text: str) -> list[str]:
        """For transcripts from elsewhere: which criteria an interviewer's question asks about."""
        if text.strip() in self._probe_texts:
            return [self._probe_texts[text.strip()]]
        # A probe often sets the scene in one sentence and asks in the next; a turn that asks
        # nothing (an answer to the candidate's question) probes nothing.
        spans = sentences(text)
        if not any(is_question(sp.text) for sp in spans):
            return []
        found: list[str] = []
        for window in windows([Sentence(sp, self.book) for sp in spans]):
            found += [c.id for c in self._relevant(window) if c.id not in found and window.level(c, None) > 0]
        return found

    def _candidate_turn(self, turn: Turn) -> TurnEvidence:
        sents = [Sentence(span, self.book) for span in sentences(turn.text)]
        # A question shows curiosity, not a design: it counts for clarifying, not as evidence.
        prose = [s for s in sents if s.is_prose and (not is_question(s.span.text) or _RHETORICAL.match(s.span.text))]
        touched = {id(s): self._touched(s) for s in prose}
        usable = [s for s in prose if not self._is_dump(s, touched[id(s)])]
        evidence = TurnEvidence()
        best: dict[str, tuple[Level, Window]] = {}
        first = len(self.mentions)
        for window in windows(usable):
            if window.parts[-1].span.start - window.parts[0].span.end > 3:
                continue  # the two sentences were not adjacent: a dropped one stood between
            for c in self._relevant(window):
                level = window.level(c, self._task)
                if level > _level_in(best, c.id):
                    best[c.id] = (level, window)
                # A pair is a claim when its first sentence raises the point and the next backs it up.
                if level and (len(window.parts) == 1 or Window(window.parts[:1]).touches(c)):
                    self._mention(c.id, level, window)
        self._across_turn(usable, best)
        self._typed_diagram(turn, best)
        for s in prose:
            if s not in usable:
                for c in self._relevant(Window([s])):
                    if level := Window([s]).level(c, self._task):
                        self._mention(c.id, level, Window([s]), listed=True)
        self._with_probe_context(usable, best)
        if self._is_listed_turn([(s, touched[id(s)]) for s in usable]):
            best = {}  # one short sentence per topic: a list of terms, not an explanation
            for m in self.mentions[first:]:
                m.listed = True
        for cid, (level, window) in best.items():
            evidence.hits[cid] = level
            self._credit(cid, level, turn.text[window.parts[0].span.start:window.parts[-1].span.end])
        self._clarifying(turn, sents)
        self._answered_probe(turn, evidence, usable)
        return evidence

    def _across_turn(self, usable: list[Sentence], best: dict[str, tuple[Level, Window]]) -> None:
        """Criteria whose parts may sit anywhere in one answer: the quote runs from the first
        sentence with one part to the first with the other."""
        whole = Window(usable)
        for c in self._ruled:
            if c.scope != "turn" or _level_in(best, c.id) >= Level.MET:
                continue
            rule = next((r for r in c.met if whole.holds(r)), None)
            if rule is None:
                continue
            firsts = [next(i for i, s in enumerate(usable) if Window([s]).has(n)) for n in rule]
            window = Window(usable[min(firsts):max(firsts) + 1])
            self._mention(c.id, Level.MET, window)
            best[c.id] = (Level.MET, window)

    def _typed_diagram(self, turn: Turn, best: dict[str, tuple[Level, Window]]) -> None:
        """A flow typed into an answer (`app -> api -> model`) is a diagram, as in the pane."""
        criterion = self._diagram_criterion
        if criterion is None or criterion not in self._ruled:
            return
        line = diagram_flow(turn.text)
        if line is None:
            return
        start = turn.text.index(line)
        window = Window([Sentence(Span(start, start + len(line), line), self.book)])
        self._mention(criterion.id, Level.MET, window)
        best[criterion.id] = (Level.MET, window)

    def _mention(self, cid: str, level: Level, window: Window, listed: bool = False, with_probe: bool = False,
                 by_question: bool = False) -> None:
        prompted = cid in self.probed and self.probed[cid] < self.turn_no
        self.mentions.append(Mention(cid, level, self.turn_no, window, window.parts[0].span.start,
                                     window.parts[-1].span.end, prompted, listed, with_probe, by_question))

    def _with_probe_context(self, usable: list[Sentence], best: dict[str, tuple[Level, Window]]) -> None:
        """An answer is read with the question it answers ("what if scoring times out?" /
        "approve the payment"; "when do you retrain?" / "every night, if it beats the live
        one"), for the criteria that question is about; the quote stays the candidate's own
        sentence. Only the probed criterion's reading counts for the live findings."""
        if not self._pending_text:
            return
        everything = [Sentence(sp, self.book) for sp in sentences(self._pending_text)]
        probed = self._pending[1] if self._pending else None
        # A question, and the sentence that sets its scene, frame the answer; a list of facts
        # the interviewer hands over does not.
        asks = [i for i, q in enumerate(everything) if is_question(q.span.text)]
        if not asks and probed is None:
            return
        keep = {j for i in asks for j in (i - 1, i) if j >= 0} if asks else set(range(len(everything)))
        context = [q for j, q in enumerate(everything) if j in keep]
        asked = Window(context)
        questions = Window([q for q in context if is_question(q.span.text)])
        for criterion in self._ruled:
            if criterion.id != probed and not (criterion.phrase_sets - self._not_a_topic) & asked.names:
                continue
            named_in_question = questions.level(criterion, self._task) if questions.parts else Level.MISSED
            named = asked.level(criterion, self._task)
            for i, s in enumerate(usable):
                own = Window([s]).level(criterion, self._task)
                level = Level.MET if any(Window([s]).answers(Window([q]), criterion) for q in context) else Level.MISSED
                if level > named and level > own:
                    self._mention(criterion.id, level, Window([s]), with_probe=True)
                    if criterion.id == probed and level > _level_in(best, criterion.id):
                        best[criterion.id] = (level, Window([s]))
                elif named_in_question and not own and i < ANSWER_SENTENCES:
                    # The question names the point; a plain answer may say how without its words.
                    self._mention(criterion.id, Level.PARTIAL, Window([s]), with_probe=True, by_question=True)

    def _touched(self, sentence: Sentence) -> int:
        window = Window([sentence])
        return sum(window.level(c, None) > 0 for c in self._relevant(window))

    def _relevant(self, window: Window) -> list[Criterion]:
        """The criteria a window could raise: those with one of its phrase sets, and those
        judged on numbers or arrows alone. Reading every criterion against every window
        would cost most of the scoring time."""
        ids = set(self._by_detector)
        for name in window.names:
            ids.update(self._by_set.get(name, ()))
        return [c for c in self._ruled if c.id in ids]

    @staticmethod
    def _is_dump(sentence: Sentence, touched: int) -> bool:
        if touched < _DUMP_CRITERIA or len(sentence.words) / touched >= _DUMP_WORDS_PER:
            return False
        items = [ws for part in _LIST_SPLIT.split(sentence.span.text) if (ws := words(part))]
        short = sum(1 for item in items if len(item) <= _LIST_ITEM_WORDS)
        return len(items) >= _DUMP_CRITERIA and short >= len(items) * 0.6

    @staticmethod
    def _is_listed_turn(usable: list[tuple[Sentence, int]]) -> bool:
        hitting = [s for s, touched in usable if touched > 0]
        if len(hitting) < _TURN_DUMP_SENTENCES:
            return False
        lengths = sorted(len(s.words) for s in hitting)
        return lengths[len(lengths) // 2] < _TURN_DUMP_MEDIAN_WORDS

    def _credit(self, cid: str, level: Level, quote: str) -> None:
        finding = self.findings[cid]
        if level > finding.level:
            finding.level, finding.turn, finding.quote = level, self.turn_no, quote
            finding.prompted = cid in self.probed and self.probed[cid] < self.turn_no

    def _clarifying(self, turn: Turn, sents: list[Sentence]) -> None:
        criterion = self._questions_criterion
        if criterion is None or self.plan.phase_of(turn) != criterion.phase:
            return
        # Questions are short, so they are not held to the prose bar; grader notes still are.
        self._questions += [(self.turn_no, s.span.text) for s in sents
                            if not s.guarded and len(s.words) >= 3 and is_question(s.span.text)]
        if not self._questions:
            return
        level = Level.MET if len(self._questions) >= 2 else Level.PARTIAL
        finding = self.findings[criterion.id]
        if level > finding.level:
            finding.level = level
            finding.turn, finding.quote = self._questions[0]
            finding.prompted = criterion.id in self.probed

    def _answered_probe(self, turn: Turn, evidence: TurnEvidence, usable: list[Sentence]) -> None:
        if self._pending is None:
            return
        probe_turn, cid = self._pending
        self._pending = None
        substantive = sum(len(s.words) for s in usable) >= 20 and not _NO_ANSWER.search(turn.text)
        answered = evidence.hits.get(cid, Level.MISSED) > Level.MISSED or substantive
        quote = usable[0].span.text if usable and answered else None
        self._answers.append(ProbeAnswer(probe_turn, cid, answered, quote, self.turn_no if answered else None,
                                         self.turn_no))
        if answered:
            self._answered += 1
            self._first_answered = self._first_answered or self._answers[-1]
        self._grade_probes()

    def _grade_probes(self) -> None:
        if self._probes_criterion is None:
            return
        finding = self.findings[self._probes_criterion.id]
        share = self._answered / len(self._answers)
        finding.level = Level.MET if share >= 2 / 3 else Level.PARTIAL if share >= 1 / 3 else Level.MISSED
        first = self._first_answered
        finding.turn, finding.quote = (first.turn, first.quote) if first else (None, None)
        finding.prompted = True

    def add_diagram(self, text: str) -> None:
        """The candidate's diagram pane. A drawn flow meets the diagram criterion with no turn:
        its quote is the diagram line that shows the flow."""
        if self._diagram_criterion is None:
            return
        finding = self.findings[self._diagram_criterion.id]
        line = diagram_flow(text)
        if line and finding.level < Level.MET:
            finding.level, finding.turn, finding.quote = Level.MET, None, line
            finding.prompted = self._diagram_criterion.id in self.probed

    # ------------------------------------------------------------------ reading the state
    def finding(self, cid: str) -> Finding:
        return self.findings[cid]

    def missed(self, phase: PhaseId) -> list[Criterion]:
        """Criteria of `phase` with no evidence at all yet, most important first."""
        out = [c for c in self.rubric.in_phase(phase) if c.ruled and self.findings[c.id].applicable
               and self.findings[c.id].level == Level.MISSED]
        return sorted(out, key=lambda c: (not c.must_probe, -self.rubric.weight_each(c)))

    @property
    def probe_answers(self) -> list[ProbeAnswer]:
        return list(self._answers)

    def results(self) -> dict[str, Finding]:
        if self._probes_criterion is not None and not self._answers:
            # Nothing was probed, so there was nothing to handle: not held against anyone.
            self.findings[self._probes_criterion.id].applicable = False
        return self.findings


def _level_in(best: dict[str, tuple[Level, Window]], cid: str) -> Level:
    return best[cid][0] if cid in best else Level.MISSED


_VERTICAL_ARROW = re.compile(r"^\s*(?:v|V|↓|\|\s*v|▼)\s*$")


def diagram_flow(text: str) -> str | None:
    """The line that best shows a flow in a diagram: two or more arrows on one line, or
    boxes joined by arrows across lines (`->` or a vertical `v`). None if there is no flow."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    for ln in lines:
        if numbers.arrows(ln) >= 2:
            return ln.strip()
    joined = sum(numbers.arrows(ln) for ln in lines) + sum(bool(_VERTICAL_ARROW.match(ln)) for ln in lines)
    if joined >= 2:
        return next((ln.strip() for ln in lines if numbers.arrows(ln)), lines[0].strip())
    return None
