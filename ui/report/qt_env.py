"""Qt set-up for rendering reports, headless or inside the GUI."""

from __future__ import annotations

import os
import sys


def ensure_app() -> object:
    """The running QApplication, creating one (offscreen when there is no display) if needed.

    pyqtgraph widgets need a QApplication (not just a QGuiApplication).
    """
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(["alignscope-report"])
    return app
