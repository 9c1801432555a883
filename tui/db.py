"""Reading and writing the store from screens, always in a thread worker: each job opens its
own connection (SQLite connections stay in the thread that made them) and hands the result
back to the UI thread. A StoreError becomes a notification, never a crash."""
from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from textual.app import App
from textual.widget import Widget

from mlsd.sessions.service import Service
from mlsd.sessions.store import Store, StoreError

T = TypeVar("T")


def in_thread(node: Widget, service: Service, job: Callable[[Store], T], then: Callable[[T], object],
              name: str = "db") -> None:
    app = node.app

    async def deliver(result: T) -> None:
        if node.is_attached:  # the screen may have closed while the job ran
            shown = then(result)
            if inspect.isawaitable(shown):
                await shown

    def run() -> None:
        try:
            store = service.store()
            try:
                result = job(store)
            finally:
                store.close()
        except (StoreError, OSError) as exc:
            _back(app, app.notify, str(exc), title="Storage", severity="error", timeout=10)
            return
        _back(app, deliver, result)

    node.run_worker(run, thread=True, name=name, group=name)


def _back(app: App[Any], fn: Callable[..., object], *args: Any, **kwargs: Any) -> None:
    with suppress(RuntimeError):  # the app is shutting down; nothing left to show
        app.call_from_thread(fn, *args, **kwargs)
