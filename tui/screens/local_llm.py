"""The offer of a local LLM server found on loopback: which server, at which address, and the
model to use (Enter takes the highlighted one; Escape says no). Nothing has been sent to the
server but a request for its list of models, and nothing is until the user accepts here."""
from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from mlsd.llm.local_servers import LocalServer


class LocalServerScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,n", "dismiss(None)", "Not now")]

    def __init__(self, server: LocalServer) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        s = self.server
        with Vertical(id="dialog"):
            yield Label(f"{s.name} is running at {s.base_url}. Use it as the interviewer and the judge "
                        "for this run? Nothing has been sent to it yet.\n\nThe model to use (Enter picks it, "
                        "Escape keeps the offline interviewer):", id="question")
            yield OptionList(*s.models, id="models", markup=False)  # a server's names, shown as they are

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.server.models[event.option_index])
