"""Logging set-up shared by the CLI and the GUI (Python ``logging``, one logger per module).

- The CLI logs warnings to stderr; ``alignscope --verbose`` (or ``-v``) logs everything from
  AlignScope's own modules at DEBUG.
- The GUI also writes a rotating log file (1 MB × 5) in the user's data folder — the folder
  "Help → Open log folder" shows: ``$ALIGNSCOPE_LOG_DIR``, else ``$XDG_STATE_HOME/alignscope/logs``,
  else ``~/.local/state/alignscope/logs`` (``%LOCALAPPDATA%\\AlignScope\\logs`` on Windows).
Nothing is ever sent anywhere: the log stays on this machine.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

OUR_LOGGERS = ("engine", "app", "ui", "models_onnx")
LOG_FILE = "alignscope.log"
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def log_dir() -> Path:
    """Where the GUI's log file lives (not created here)."""
    env = os.environ.get("ALIGNSCOPE_LOG_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "AlignScope" / "logs"
    state = os.environ.get("XDG_STATE_HOME")
    base = Path(state) if state else Path.home() / ".local" / "state"
    return base / "alignscope" / "logs"


def configure(*, verbose: bool = False, log_file: Path | None = None) -> Path | None:
    """Configure AlignScope's loggers; returns the log file used (None when not writable)."""
    level = logging.DEBUG if verbose else logging.INFO
    handlers: list[logging.Handler] = []
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handlers.append(console)
    written: Path | None = None
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            rotating = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=5,
                                                            encoding="utf-8")
        except OSError as exc:
            print(f"alignscope: warning: cannot write the log file {log_file}: {exc.strerror or exc}",
                  file=sys.stderr)
        else:
            rotating.setLevel(logging.DEBUG)
            rotating.setFormatter(logging.Formatter(FORMAT))
            handlers.append(rotating)
            written = log_file
    for name in OUR_LOGGERS:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if getattr(old, "_alignscope", False):
                logger.removeHandler(old)
                old.close()
        logger.setLevel(level if log_file is None else logging.DEBUG)
        for h in handlers:
            h._alignscope = True  # type: ignore[attr-defined]
            logger.addHandler(h)
        logger.propagate = False
    return written
