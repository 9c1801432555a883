"""The interviewer a session gets: the offline one, or one on an LLM with the offline one
ready to take over."""
from __future__ import annotations

from mlsd.interviewer.context import Interviewer
from mlsd.interviewer.context_budget import DEFAULT_BUDGET
from mlsd.interviewer.llm_interviewer import LLMInterviewer
from mlsd.interviewer.offline import OfflineInterviewer
from mlsd.interviewer.takeover import TakeoverInterviewer
from mlsd.llm.client import ChatClient


def build(client: ChatClient | None, budget: int = DEFAULT_BUDGET) -> Interviewer:
    if client is None:
        return OfflineInterviewer()
    return TakeoverInterviewer(LLMInterviewer(client, budget), OfflineInterviewer())
