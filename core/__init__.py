"""Shared types every layer uses: the transcript, the time plan and a criterion's status."""
