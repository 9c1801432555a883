"""How times and long text are shown on screen, the same way everywhere."""


def stamp(seconds: float) -> str:
    """Seconds as mm:ss."""
    seconds = max(0, int(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
