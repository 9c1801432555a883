"""Whether an answer was plainly about a probe's subject, read from the case's own wording of
that probe: the answer names one of the case's entities the probe names (a restaurant, a
payment, the model service) and a word only that probe uses ("joined", "responding", "label").
The interviewer then does not ask it (the candidate just answered it in their own words); the
score is not touched: only the rubric credits anything."""
from __future__ import annotations

import re
from collections.abc import Iterable

from mlsd.prompts.case import Case
from mlsd.rubric.text import words

_STOP = frozenset("""a an the and or but of to in on at for from by with as is are was were be been it its this that
these those there their they them you your we our i do does did what when where which who how why would could should
can will has have had not no yet any all some one first just like so if then than before after about into out up down
over per each more most long time make sure system last month few day know put need many see it's what's ones
yet""".split())


def _stem(word: str) -> str:
    word = word.lower().strip("'")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[:-len(suffix)]
            break
    return word[:6]


def content_words(text: str) -> set[str]:
    """The words of `text` that carry meaning, each cut to its stem."""
    return _stems(text)


def _stems(text: str) -> set[str]:
    return {_stem(w) for w in words(text) if w.lower() not in _STOP and re.match(r"[a-z]", w.lower())}


class Subjects:
    """Each probe's subject in `case`: the words it shares with the case (its scene, its other
    probes): the things it is about; and the words no other probe and not the scene uses."""

    def __init__(self, case: Case) -> None:
        own = {cid: _stems(" ".join(texts)) for cid, texts in case.probes.items()}
        scene = _stems(" ".join([case.prompt, case.summary]))
        self.entities: dict[str, set[str]] = {}
        self.distinct: dict[str, set[str]] = {}
        for cid, stems in own.items():
            shared = scene.union(*(s for o, s in own.items() if o != cid))
            self.entities[cid], self.distinct[cid] = stems & shared, stems - shared

    def answered(self, criterion: str, answer: str) -> bool:
        """The answer names the probe's entity and something only that probe is about."""
        return self.answered_in(criterion, [_stems(answer)])

    def answered_in(self, criterion: str, answers: Iterable[set[str]]) -> bool:
        """`answered` for any of `answers`, each given as its `content_words`."""
        if criterion not in self.distinct:
            return False
        return any(said & self.entities[criterion] and said & self.distinct[criterion] for said in answers)
