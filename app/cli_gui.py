"""`alignscope gui [STORE.h5] [--demo] [--screenshot PATH [--view NAME]]` — the desktop app.

Without arguments `alignscope` opens the GUI (see app/main.py). Qt is imported only inside the
handler, so other commands never load it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engine.errors import InputError

VIEWS = ("overview", "spaces", "pairs", "ladder", "interactions")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, e.g. 1366x768, got {text!r}") from exc
    return w, h


def register(sub: Any) -> None:
    """Add the `gui` sub-command."""
    p = sub.add_parser("gui", help="open the desktop application",
                       description="Open AlignScope's desktop application.")
    p.add_argument("store", nargs="?", type=Path, metavar="STORE.h5", help="project to open")
    p.add_argument("--demo", action="store_true",
                   help="open the demo project (built and embedded first when needed)")
    p.add_argument("--screenshot", type=Path, metavar="PATH",
                   help="open, wait until the view is drawn, save the window as PNG and exit")
    p.add_argument("--view", choices=VIEWS, default="spaces", help="view for --screenshot (default: spaces)")
    p.add_argument("--theme", choices=("light", "dark"), help="colour theme (default: last used)")
    p.add_argument("--lang", choices=("auto", "en", "ja"), help="interface language (default: setting or system)")
    p.add_argument("--size", type=_size, default=(1366, 768), metavar="WxH",
                   help="window size for --screenshot (default 1366x768)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ui.app_main import run_gui

    if args.store is not None and args.demo:
        raise InputError("give either STORE.h5 or --demo, not both")
    return run_gui(store=args.store, demo=args.demo, screenshot=args.screenshot, view=args.view,
                   theme=args.theme, language=args.lang, size=args.size)
