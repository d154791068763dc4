"""The shared selection model: one object every view listens to, so a selection anywhere
selects the same samples everywhere.

    sel = SelectionModel(n)
    sel.changed.connect(fn)          # fn(indices: np.ndarray[int64], sorted)
    sel.current_changed.connect(fn)  # fn(index or -1): the sample shown in the detail pane
    sel.select(indices, mode="replace"|"add"|"remove"|"toggle", source="spaces")
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.project.events import Event


class SelectionModel:
    """Which samples are selected, and which one is current (shown in the detail pane)."""

    def __init__(self, n: int) -> None:
        self.changed = Event("selection.changed")
        self.current_changed = Event("selection.current_changed")
        self.n = int(n)
        self._mask = np.zeros(self.n, dtype=bool)
        self._current = -1
        self.last_source = ""

    @property
    def mask(self) -> np.ndarray:
        return self._mask

    def indices(self) -> np.ndarray:
        return np.flatnonzero(self._mask)

    def count(self) -> int:
        return int(self._mask.sum())

    @property
    def current(self) -> int:
        return self._current

    def reset(self, n: int) -> None:
        """A new project: n samples, nothing selected, no current sample."""
        self.n = int(n)
        self._mask = np.zeros(self.n, dtype=bool)
        self._current = -1
        self.last_source = ""
        self.changed.emit(self.indices())
        self.current_changed.emit(-1)

    def select(self, indices: Sequence[int] | np.ndarray, mode: str = "replace", source: str = "") -> None:
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        if idx.size and (idx.min() < 0 or idx.max() >= self.n):
            raise IndexError(f"selection index out of range 0..{self.n - 1}")
        new = self._mask.copy() if mode != "replace" else np.zeros(self.n, dtype=bool)
        if mode in ("replace", "add"):
            new[idx] = True
        elif mode == "remove":
            new[idx] = False
        elif mode == "toggle":
            new[idx] = ~new[idx]
        else:
            raise ValueError(f"unknown selection mode {mode!r}")
        if np.array_equal(new, self._mask):
            return
        self._mask = new
        self.last_source = source
        self.changed.emit(self.indices())

    def select_mask(self, mask: np.ndarray, mode: str = "replace", source: str = "") -> None:
        self.select(np.flatnonzero(mask), mode=mode, source=source)

    def clear(self, source: str = "") -> None:
        self.select(np.empty(0, dtype=np.int64), source=source)

    def set_current(self, index: int) -> None:
        index = int(index)
        if index >= self.n or index < -1:
            raise IndexError(f"sample index {index} out of range")
        if index != self._current:
            self._current = index
            self.current_changed.emit(index)
