"""How times and long text are shown on screen, the same way everywhere."""
from mlsd.core.transcript import stamp

__all__ = ["clip", "stamp"]


def clip(text: str, width: int) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
