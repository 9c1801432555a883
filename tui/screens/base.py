"""The screens' common base: the app, typed, so a screen reaches the session service and the
app's navigation through checked attributes rather than an untyped `self.app`."""
from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from mlsd.sessions.service import Service
    from mlsd.tui.app import MlsdApp


class MlsdScreen(Screen[None]):
    @property
    def mlsd(self) -> MlsdApp:
        return cast("MlsdApp", self.app)

    @property
    def service(self) -> Service:
        return self.mlsd.service
