"""The LLM judge: a second opinion on a transcript, against the same rubric, through any
ChatClient. Structured output where the server supports it, strict JSON
parsing with one repair round where it does not. Our code, not the model, decides what
counts: every quote must be copied from the candidate turn it names, and a quote that is
text aimed at the grader earns nothing."""
from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel, ValidationError

from mlsd.core.plan import Plan
from mlsd.core.status import Status
from mlsd.core.transcript import Transcript, Turn, stamp
from mlsd.llm.client import ChatClient, JsonSchema, Message
from mlsd.llm.errors import EndpointError
from mlsd.prompts.case import Case
from mlsd.prompts.templates import render
from mlsd.rubric.level import with_level
from mlsd.rubric.matcher import PhraseBook, Sentence
from mlsd.rubric.model import Rubric, load_rubric
from mlsd.rubric.offline_scorer import track
from mlsd.rubric.score import CriterionScore, ScoreReport, assemble
from mlsd.rubric.text import sentences


class JudgedCriterion(BaseModel):
    id: str
    rationale: str = ""  # written before the status, so the status follows from a reason
    status: Status
    prompted: bool = False
    turn: int | None = None
    quote: str | None = None


class Judgement(BaseModel):
    criteria: list[JudgedCriterion]


def judge_messages(transcript: Transcript, case: Case | None, rubric: Rubric,
                   plan: Plan | None = None, fence: str | None = None) -> list[Message]:
    fence = fence or secrets.token_hex(4)  # unguessable, so a transcript cannot close the fence itself
    tracker = track(transcript, case, rubric, plan)
    names = {c.id: c.name for c in rubric.criteria}
    evidence = []
    for cid, f in tracker.results().items():
        if f.applicable and f.level:
            where = f"turn {f.turn}" if f.turn else "the diagram"
            evidence.append(f"{cid} ({names[cid]}): {f.status} at {where}{', after a probe' if f.prompted else ''}")
    system = render("judge.j2", fence=fence, case_title=case.title if case else (transcript.case_id or "unknown"),
                    not_applicable=case.not_applicable if case else [], rubric=rubric,
                    references=case.references if case else {}, evidence=evidence or ["nothing found"])
    lines = [f"[{n}] {t.speaker.title()} ({stamp(t.elapsed)}): {t.text}"
             for n, t in transcript.numbered()]
    if transcript.diagram.strip():
        lines.append("Candidate's diagram:\n" + transcript.diagram)
    user = f"<<<TRANSCRIPT {fence}>>>\n" + "\n".join(lines) + f"\n<<<END {fence}>>>\nScore it now, JSON only."
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


_CRITERION: dict[str, Any] = {
    "type": "object", "additionalProperties": False,
    # The rationale comes before the status: a model writes them in this order.
    "required": ["id", "rationale", "status", "prompted", "turn", "quote"],
    "properties": {"id": {"type": "string"}, "rationale": {"type": "string"},
                   "status": {"enum": [s.value for s in Status]}, "prompted": {"type": "boolean"},
                   "turn": {"type": ["integer", "null"]}, "quote": {"type": ["string", "null"]}}}
SCHEMA = JsonSchema("judgement", {"type": "object", "additionalProperties": False, "required": ["criteria"],
                                  "properties": {"criteria": {"type": "array", "items": _CRITERION}}})


def _parse(text: str) -> Judgement:
    text = text.strip()
    if text.startswith("```"):  # a fenced answer is still an answer
        text = text.strip("`").removeprefix("json").strip()
    return Judgement.model_validate_json(text)


async def ask(client: ChatClient, messages: list[Message], temperature: float = 0.0) -> Judgement:
    text = await client.complete(messages, schema=SCHEMA, temperature=temperature)
    try:
        return _parse(text)
    except (ValidationError, ValueError) as exc:
        repair: list[Message] = [*messages, {"role": "assistant", "content": text}, {"role": "user", "content":
                                 f"That is not valid JSON for the required shape ({_first_error(exc)}). "
                                 "Answer again with the corrected JSON only."}]
        again = await client.complete(repair, temperature=temperature)
        try:
            return _parse(again)
        except (ValidationError, ValueError) as exc2:
            raise EndpointError(f"{client.endpoint.host}: the judge's answer was not valid JSON twice "
                                f"({_first_error(exc2)})") from None


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"{'.'.join(map(str, err['loc']))}: {err['msg']}"
    return str(exc).splitlines()[0][:120]


def accept(judgement: Judgement, transcript: Transcript, case: Case | None, rubric: Rubric) -> ScoreReport:
    """The judge's claims as a ScoreReport, keeping only what our checks let through."""
    turns = dict(transcript.numbered())
    book = PhraseBook(rubric, case)
    na = set(case.not_applicable) if case else set()
    claimed = {c.id: c for c in judgement.criteria}
    criteria: dict[str, CriterionScore] = {}
    for c in rubric.criteria:
        j = claimed.get(c.id)
        if c.id in na:
            criteria[c.id] = CriterionScore(id=c.id, status=Status.NA)
            continue
        if j is None or not j.status.earned:
            reason = (j.rationale or None) if j else None  # the judge's own "missed" keeps its reason
            criteria[c.id] = CriterionScore(id=c.id, status=Status.MISSED, rationale=reason)
            continue
        if not _holds(j, turns, book):
            criteria[c.id] = CriterionScore(id=c.id, status=Status.MISSED)  # its reason rested on a quote that failed
            continue
        criteria[c.id] = CriterionScore(id=c.id, status=j.status, prompted=j.prompted, turn=j.turn, quote=j.quote,
                                        rationale=j.rationale or None)
    return with_level(assemble(rubric, "llm", case.id if case else transcript.case_id, criteria), rubric)


def _holds(j: JudgedCriterion, turns: dict[int, Turn], book: PhraseBook) -> bool:
    """The quote is copied from the candidate turn named, and is not text aimed at the grader."""
    turn = turns.get(j.turn) if j.turn is not None else None
    if not j.quote or turn is None or turn.speaker != "candidate" or j.quote not in turn.text:
        return False
    return not any(Sentence(span, book).guarded for span in sentences(j.quote))


async def judge(transcript: Transcript, case: Case | None, client: ChatClient, rubric: Rubric | None = None,
                plan: Plan | None = None) -> ScoreReport:
    """The judge's report; the client's connections are let go of when it is done."""
    rubric = rubric or load_rubric()
    try:
        judgement = await ask(client, judge_messages(transcript, case, rubric, plan))
    finally:
        await client.aclose()
    return accept(judgement, transcript, case, rubric)
