"""Sub-commands (filled in by the issue that owns them)."""

from __future__ import annotations

from typing import Any


def register(sub: Any) -> None:
    """Add this module's sub-commands to the `alignscope` parser."""
    del sub
