"""Progress across sessions: each category's scores over the latest full interviews, and the
weakest category, the one to drill next. Drills and sessions without an answer in them do
not count: a drill scores one category in a short session, and an empty one scores nothing."""
from __future__ import annotations

from pydantic import BaseModel

from mlsd.rubric.model import Rubric
from mlsd.sessions.history import SessionSummary

TREND_SESSIONS = 12
SUGGEST_OVER = 5  # sessions the weakest category is averaged over


class CategoryTrend(BaseModel):
    id: str
    name: str
    values: list[float]  # oldest first

    @property
    def last(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def change(self) -> float | None:
        """Since the session before the latest."""
        return round(self.values[-1] - self.values[-2], 1) if len(self.values) > 1 else None


class Suggestion(BaseModel):
    category: str
    name: str
    average: float
    sessions: int

    @property
    def text(self) -> str:
        over = "your last session" if self.sessions == 1 else f"your last {self.sessions} sessions"
        return f"{self.name}: {self.average:.0f} over {over} — drill it"


class Progress(BaseModel):
    sessions: int  # how many sessions the trends cover
    trends: list[CategoryTrend]
    ranking: list[Suggestion]  # the drillable categories over the latest sessions, weakest first

    @property
    def suggestion(self) -> Suggestion | None:
        return self.ranking[0] if self.ranking else None


def counted(items: list[SessionSummary], last: int) -> list[SessionSummary]:
    """The latest `last` sessions that count towards progress, oldest first."""
    return [s for s in items if s.counts][:last][::-1]


def progress(items: list[SessionSummary], rubric: Rubric, last: int = TREND_SESSIONS) -> Progress:
    """`items` newest first, as `summaries` lists them."""
    window = counted(items, last)
    trends = [CategoryTrend(id=c.id, name=c.name, values=[s.categories[c.id] for s in window if c.id in s.categories])
              for c in rubric.categories]
    return Progress(sessions=len(window), trends=trends, ranking=ranking(items, rubric))


def ranking(items: list[SessionSummary], rubric: Rubric, last: int = SUGGEST_OVER) -> list[Suggestion]:
    """The drillable categories by their average over the latest sessions, lowest first;
    between equals, the one that weighs more in the overall first. The first is the one to drill."""
    window = counted(items, last)
    options = []
    for cat in rubric.categories:
        scores = [s.categories[cat.id] for s in window if cat.id in s.categories]
        if cat.drillable and scores:
            options.append((sum(scores) / len(scores), -cat.weight,
                            Suggestion(category=cat.id, name=cat.name, average=round(sum(scores) / len(scores), 1),
                                       sessions=len(scores))))
    return [o[2] for o in sorted(options, key=lambda o: (o[0], o[1]))]
