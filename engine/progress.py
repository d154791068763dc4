"""Progress reporting and cancellation shared by every long engine job.

Engine functions that take a while accept ``progress: Progress | None``. They call
``progress(done, total, message)`` now and then; the callback may raise
:class:`Cancelled` to stop the job (the GUI worker does this when the user presses
Cancel). Jobs must leave everything they finished in a resumable state when that
happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[int, int, str], None]


class Cancelled(Exception):
    """Raised from a progress callback to stop the running job."""


def report(progress: Progress | None, done: int, total: int, message: str = "") -> None:
    """Call ``progress`` when given; a no-op otherwise."""
    if progress is not None:
        progress(done, total, message)


@dataclass
class RateMeter:
    """Items per second and ETA over a job, for progress bars."""

    total: int
    started: float = field(default_factory=time.perf_counter)

    def rate(self, done: int) -> float:
        elapsed = time.perf_counter() - self.started
        return done / elapsed if elapsed > 0 else 0.0

    def eta_seconds(self, done: int) -> float | None:
        rate = self.rate(done)
        if rate <= 0 or done <= 0:
            return None
        return max(self.total - done, 0) / rate
