"""A minimal synchronous event: ``connect(fn)``, ``disconnect(fn)``, ``emit(*args)``.

The project model lives on the GUI thread and calls its subscribers directly, in the order
they subscribed; it has no Qt dependency, so the model is testable without widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Event:
    """A named list of subscribers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[..., Any]] = []

    def connect(self, fn: Callable[..., Any]) -> None:
        if fn not in self._subscribers:
            self._subscribers.append(fn)

    def disconnect(self, fn: Callable[..., Any]) -> None:
        self._subscribers = [s for s in self._subscribers if s != fn]

    def emit(self, *args: Any) -> None:
        log.debug("event %s → %d subscriber(s)", self.name, len(self._subscribers))
        for fn in list(self._subscribers):
            fn(*args)

    def __len__(self) -> int:
        return len(self._subscribers)
