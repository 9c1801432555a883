"""Deep-dive questions on the candidate's own choices: for each choice in the last answers,
the questions its kind holds (why this over the alternative, what breaks it, what it costs),
said with the choice as the candidate said it."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from mlsd.interviewer.choices import Choice
from mlsd.prompts.material import DeepDive, choice_book


class Pick(BaseModel):
    model_config = ConfigDict(frozen=True)

    choice: Choice
    question: DeepDive
    text: str

    @property
    def key(self) -> tuple[str, str]:
        """One challenge per choice: the same term is never asked about the same way twice."""
        return self.choice.term.lower(), self.question.challenge


def picks(choices: list[Choice]) -> list[Pick]:
    """Every question that could pick up one of `choices`, in the order of the choices."""
    book = choice_book()
    out = []
    for choice in choices:
        kind = book.kind(choice.kind)
        for q in kind.questions:
            out.append(Pick(choice=choice, question=q,
                            text=q.text.format(term=choice.said, alternative=kind.alternative or "")))
    return out


def challenge_wording(challenge: str) -> str:
    """What a challenge asks, for an LLM to phrase: "why this choice rather than the alternative"."""
    return choice_book().challenges[challenge]  # type: ignore[index]
