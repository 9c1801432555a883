"""Does this sentence support this criterion? The offline scorer's reading of one candidate
sentence, for anyone holding a quote: the LLM judge's claims are checked with it, so a
judge cannot cite a capacity sentence for the fallback or a note to the grader for anything.

A sentence supports a criterion when, alone or read with the interviewer's question it
answers, it raises the point (names it, or says how it is handled); a question of the
candidate's own, or text addressed to a grader, supports nothing."""
from __future__ import annotations

from mlsd.core.status import Level
from mlsd.prompts.case import Case
from mlsd.rubric.matcher import PhraseBook, Sentence, Window
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.text import Span, is_question, sentences

_BOOKS: dict[tuple[int, str | None], tuple[Rubric, Case | None, PhraseBook]] = {}


def _book(rubric: Rubric, case: Case | None) -> PhraseBook:
    """One compiled phrase book per rubric and case (kept with them, so the key stays theirs)."""
    key = (id(rubric), case.model_dump_json() if case else None)
    if key not in _BOOKS:
        _BOOKS[key] = (rubric, case, PhraseBook(rubric, case))
    return _BOOKS[key][2]


def supports(sentence: str, criterion: str, case: Case | None = None, question: str | None = None,
             rubric: Rubric | None = None) -> bool:
    """True when `sentence` is evidence for `criterion` (a rubric criterion id)."""
    rubric = rubric or load_rubric()
    c = rubric.criterion(criterion)
    if not c.ruled:
        return False  # judged from the turns as a whole, never from one sentence
    book = _book(rubric, case)
    said = Sentence(Span(0, len(sentence), sentence), book)
    if said.guarded or is_question(sentence):
        return False
    task = case.task if case else None
    if Window([said]).level(c, task) >= Level.PARTIAL:
        return True
    asked = [Sentence(s, book) for s in sentences(question or "")]
    return any(Window([q, said]).level(c, task) > Window([q]).level(c, task) for q in asked)
