"""Sessions on disk: the SQLite store, transcript import and export, and the practice runner."""
