"""Shared types every layer uses: the transcript, the time plan and a criterion's status; and
the user's files and text made safe to read, write and show."""
