"""The rubric as data, the evidence tracker that reads a transcript against it, and the scorers."""
