"""The LLM judge: a second opinion on a transcript, against the same rubric, through any
ChatClient. Structured output where the server supports it, strict JSON parsing with one
repair round where it does not. Nothing the transcript says reaches the prompt outside its
fence, and inside it every turn starts with a marker drawn for this request, so a candidate
cannot forge a turn. One answer is one sample: rubric/sampled_judge.py asks for several and
holds every one to our checks, since our code, not the model, decides what counts."""
from __future__ import annotations

import secrets
from typing import Any

from pydantic import BaseModel, ValidationError

from mlsd.core.plan import Plan
from mlsd.core.status import Status
from mlsd.core.transcript import Transcript, stamp
from mlsd.llm.client import ChatClient, JsonSchema, Message
from mlsd.llm.errors import EndpointError
from mlsd.prompts.case import Case
from mlsd.prompts.templates import render
from mlsd.rubric.model import Rubric
from mlsd.rubric.offline_scorer import track
from mlsd.rubric.quotes import MIN_QUOTE_WORDS
from mlsd.rubric.score import CriterionScore


class JudgedCriterion(BaseModel):
    id: str
    rationale: str = ""  # written before the status, so the status follows from a reason
    status: Status
    prompted: bool = False
    turn: int | None = None
    quote: str | None = None


class Judgement(BaseModel):
    criteria: list[JudgedCriterion]

    def claims(self) -> list[CriterionScore]:
        """What the judge claims, as criterion scores for rubric/quotes.py to check."""
        return [CriterionScore(id=j.id, status=j.status, prompted=j.prompted, turn=j.turn, quote=j.quote,
                               rationale=j.rationale or None) for j in self.criteria]


def judge_messages(transcript: Transcript, case: Case | None, rubric: Rubric, plan: Plan | None = None,
                   fence: str | None = None, marker: str | None = None) -> list[Message]:
    # Drawn for each request, so the transcript can neither close the fence nor start a turn.
    fence = fence or secrets.token_hex(8)
    marker = marker or secrets.token_hex(8)
    tracker = track(transcript, case, rubric, plan)
    names = {c.id: c.name for c in rubric.criteria}
    evidence = []
    for cid, f in tracker.results().items():
        if f.applicable and f.level:
            where = f"turn {f.turn}" if f.turn else "the diagram"
            evidence.append(f"{cid} ({names[cid]}): {f.status} at {where}{', after a probe' if f.prompted else ''}")
    # An unknown case's name comes from the transcript: it is data, so it stays in the fence.
    system = render("judge.j2", fence=fence, marker=marker, min_words=MIN_QUOTE_WORDS,
                    case_title=case.title if case else None, not_applicable=case.not_applicable if case else [],
                    rubric=rubric, references=case.references if case else {}, evidence=evidence or ["nothing found"])
    named = case is None and transcript.case_id
    lines = [f"{marker} case named by the transcript: {transcript.case_id}"] if named else []
    lines += [f"{marker} turn {n} · {t.speaker} · {stamp(t.elapsed)}\n{t.text}" for n, t in transcript.numbered()]
    if transcript.diagram.strip():
        lines.append(f"{marker} the candidate's diagram\n{transcript.diagram}")
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
