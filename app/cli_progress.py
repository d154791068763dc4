"""One progress line format for the long CLI commands (analyze, synth, suspects, report)."""

from __future__ import annotations

import sys
import time

from engine.progress import Progress


def stderr_progress(enabled: bool = True, every_s: float = 1.0) -> Progress | None:
    """``[done/total] message`` on stderr: when the message changes, at most every ``every_s``
    seconds otherwise, and at the end. None (no progress) when not ``enabled``."""
    if not enabled:
        return None
    last_at, last_message = [0.0], [""]

    def progress(done: int, total: int, message: str) -> None:
        now = time.perf_counter()
        if message != last_message[0] or now - last_at[0] >= every_s or done == total:
            last_at[0], last_message[0] = now, message
            print(f"[{done}/{total}] {message}", file=sys.stderr, flush=True)

    return progress
