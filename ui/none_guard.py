"""Keep ``None`` (and ``True``/``False``) alive under PySide6 6.12 on Python 3.11.

Measured here: every call of a Python override of a void Qt virtual (``paintEvent``,
``QGraphicsItem.paint``…) drops one reference to ``None`` that was never taken — a plain
``pg.PlotWidget`` repaint loses 4, a Spaces plot ~12. Python 3.12+ makes ``None`` immortal, but on
3.11 its count reaches zero after a few thousand redraws and the interpreter aborts ("Fatal Python
error: none_dealloc"). This guard records the count at start and, twice a second (and from
our own paint()), gives back what was lost with ``Py_IncRef`` — references that are never
released, so nothing can drop the count at interpreter exit either. No-op on Python ≥ 3.12.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer

_state: dict[str, int] = {}
_timer: list[QTimer] = []
NEEDED = sys.version_info < (3, 12)


# The same loss was seen for the two bools (a "bool_dealloc" abort at exit after the ladder
# and interactions views had drawn): guard all three singletons.
_GUARDED: tuple[object, ...] = (None, True, False)


def top_up() -> int:
    """Restore the singletons' reference counts to their recorded floors; returns refs added."""
    if not NEEDED:
        return 0
    added = 0
    incref = ctypes.pythonapi.Py_IncRef
    for obj in _GUARDED:
        current = sys.getrefcount(obj)
        floor = _state.setdefault(repr(obj), current)
        missing = floor - current
        if missing > 0:
            ref = ctypes.py_object(obj)
            for _ in range(missing):
                incref(ref)
            added += missing
    return added


def install(parent: QObject | None = None) -> None:
    """Start the periodic top-up once per process (idempotent)."""
    if not NEEDED or _timer:
        return
    top_up()
    timer = QTimer(parent or QCoreApplication.instance())
    timer.setObjectName("NoneGuard")
    timer.timeout.connect(top_up)
    timer.start(500)
    _timer.append(timer)
