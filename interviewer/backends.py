"""The interviewer a session gets: the offline one, or the LLM one with the offline one
ready to take over."""
from __future__ import annotations

from interviewer.context import Interviewer
from interviewer.offline import OfflineInterviewer
from interviewer.openai_backend import Endpoint, OpenAIInterviewer
from interviewer.takeover import TakeoverInterviewer


def build(endpoint: Endpoint | None) -> Interviewer:
    if endpoint is None:
        return OfflineInterviewer()
    return TakeoverInterviewer(OpenAIInterviewer(endpoint), OfflineInterviewer())
