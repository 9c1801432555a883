"""Data, not logic: case files, interviewer lines, templates, and the loaders that validate them."""
