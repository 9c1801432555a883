"""The user-facing side: the `mlsd` command line, the plain dialogue, and (soon) the Textual app."""
