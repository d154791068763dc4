"""Start the desktop application (called by `alignscope gui`)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from engine.errors import AlignScopeError

SCREENSHOT_TIMEOUT_S = 1800.0


def has_display() -> bool:
    """Whether Qt can open a window here without aborting the process."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


# Messages the offscreen platform plugin prints about window-manager features it lacks;
# they say nothing about AlignScope and would only worry a user reading the terminal.
_OFFSCREEN_NOISE = ("This plugin does not support propagateSizeHints()",
                    "This plugin does not support raise()")


def _install_message_filter() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(mode: QtMsgType, context: object, message: str) -> None:
        del context
        if message in _OFFSCREEN_NOISE:
            return
        level = {QtMsgType.QtWarningMsg: "warning", QtMsgType.QtCriticalMsg: "critical",
                 QtMsgType.QtFatalMsg: "fatal"}.get(mode)
        if level is not None:
            print(f"Qt {level}: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


WARM_AFTER_MS = 300  # after the window is drawn


def _save_screenshot(window: object, path: Path) -> bool:
    """The window as PNG, written atomically (never over the project or another input)."""
    from engine.safe_io import atomic_output

    with atomic_output(path, "screenshot", checked=True) as tmp:
        ok = bool(window.grab().save(str(tmp), "PNG"))  # type: ignore[attr-defined]
        if not ok:
            return False
    return True


def run_gui(store: Path | None = None, demo: bool = False, screenshot: Path | None = None,
            view: str = "spaces", theme: str | None = None, language: str | None = None,
            size: tuple[int, int] = (1366, 768)) -> int:
    if screenshot is not None:
        from engine.safe_io import check_output

        check_output(screenshot, "screenshot")  # before any window opens: refuse early
    if screenshot is not None and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    if not has_display():
        raise AlignScopeError(
            "no display found (DISPLAY and WAYLAND_DISPLAY are unset): run AlignScope on a desktop, "
            "use `alignscope gui --screenshot FILE.png` or the headless commands, or set "
            "QT_QPA_PLATFORM=offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from engine.logs import LOG_FILE, configure, log_dir

    logging.getLogger(__name__).info(
        "AlignScope GUI starting; log file %s", configure(verbose=False, log_file=log_dir() / LOG_FILE))

    from ui.i18n import install_translations
    from ui.main_window import VIEW_NAMES, MainWindow
    from ui.theme import apply_theme

    if view not in VIEW_NAMES:
        raise AlignScopeError(f"unknown view {view!r}; views: {', '.join(VIEW_NAMES)}")
    if store is not None and not Path(store).is_file():
        raise AlignScopeError(f"project file not found: {store}")
    existing = QApplication.instance()
    if existing is None and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _install_message_filter()  # (not under pytest-qt, whose own handler must see everything)
    app = existing or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("AlignScope")
    app.setApplicationName("AlignScope")
    settings = QSettings("AlignScope", "AlignScope")
    install_translations(app, language or str(settings.value("language", "auto")))
    chosen_theme = theme or str(settings.value("theme", "light"))
    apply_theme(app, chosen_theme)
    window = MainWindow(settings=settings, theme=chosen_theme)
    if screenshot is not None:
        window.resize(*size)
    window.show()
    requested = store is not None or demo
    if store is not None:
        window.open_project(Path(store))
    elif demo:
        window.open_demo()
    if screenshot is None:
        from engine.study.warm import warm_imports

        # the study's libraries, imported on the GUI thread as part of start-up (≈ 1 s, while the
        # project opens): imported later by the study's worker, each import would hold the GIL
        # and stall the window 0.1-0.3 s while the study's progress runs (torch is left to the
        # optional contrastive trial: it is not in the bundle)
        QTimer.singleShot(WARM_AFTER_MS, lambda: warm_imports(optional=False))
        return int(app.exec())

    state = {"rc": 1, "started": time.monotonic(), "settled": 0, "study": 0}
    study_views = ("overview", "ladder", "interactions")

    def poll() -> None:
        busy = window.is_busy()
        waiting = requested and window.data is None and not window.errors
        data = window.data
        if (not busy and not waiting and view in study_views and data is not None and data.analysis is None
                and data.has_spaces and not state["study"] and not window.errors):
            # the study views show the study: run it (or load it from the store's cache) first
            state["study"] = 1
            window.run_study(window.overview.label_combo.currentText())
            return
        if not busy and not waiting:
            state["settled"] += 1
            if state["settled"] == 1:
                window.show_view(view)
            if state["settled"] >= 4:  # a few quiet ticks: layout and plots drawn
                timer.stop()
                app.processEvents()
                ok = _save_screenshot(window, Path(screenshot))
                state["rc"] = 0 if ok and not window.errors else 1
                if window.errors:
                    print(f"alignscope gui: error: {window.errors[-1][0]}", file=sys.stderr)
                if not ok:
                    print(f"alignscope gui: error: cannot write {screenshot}", file=sys.stderr)
                window.close()
                app.quit()
            return
        state["settled"] = 0
        if time.monotonic() - state["started"] > SCREENSHOT_TIMEOUT_S:
            timer.stop()
            print("alignscope gui: error: timed out waiting for the view to finish drawing", file=sys.stderr)
            window.close()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(150)
    app.exec()
    return int(state["rc"])
