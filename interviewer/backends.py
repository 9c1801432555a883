"""The interviewer a session gets: the offline one, or the LLM one with the offline one
ready to take over."""
from __future__ import annotations

from mlsd.interviewer.context import Interviewer
from mlsd.interviewer.endpoint import Endpoint
from mlsd.interviewer.offline import OfflineInterviewer


def build(endpoint: Endpoint | None) -> Interviewer:
    if endpoint is None:
        return OfflineInterviewer()
    # The SDK loads only here, so the offline path starts without it.
    from mlsd.interviewer.openai_backend import OpenAIInterviewer
    from mlsd.interviewer.takeover import TakeoverInterviewer

    return TakeoverInterviewer(OpenAIInterviewer(endpoint), OfflineInterviewer())
