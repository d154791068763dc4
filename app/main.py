"""The `alignscope` command: the GUI by default, sub-commands for headless work.

Each sub-command lives in its own `app/cli_*.py` module exposing
`register(subparsers)`; handlers import the engine lazily so that
`alignscope --version` and the headless commands start fast and never load Qt
unless they draw.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from engine.errors import AlignScopeError
from engine.logs import configure as configure_logging
from engine.version import __version__

# Order here is the order of `alignscope --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "app.cli_models",
    "app.cli_encode",
    "app.cli_data",
    "app.cli_metrics",
    "app.cli_study",
    "app.cli_suspects",
    "app.cli_report",
    "app.cli_gui",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="alignscope",
        description="Image-report representation alignment for quality inspection (offline).",
    )
    parser.add_argument("--version", action="version", version=f"AlignScope {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log every step of AlignScope's own modules to stderr (debugging)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list:
        args_list = ["gui"]
    args = parser.parse_args(args_list)
    configure_logging(verbose=bool(args.verbose))
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        result = handler(args)
        sys.stdout.flush()
    except AlignScopeError as exc:
        _error(args.command, str(exc))
        return 2
    except KeyboardInterrupt:
        print(f"alignscope {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _broken_pipe()
    except MemoryError:
        _error(args.command, "out of memory; close other programs, or work on a smaller store")
        return 2
    except OSError as exc:  # a file or the terminal failed under us (disk, permissions)
        where = f" ({exc.filename})" if exc.filename else ""
        _error(args.command, f"{exc.strerror or exc}{where}; nothing was left half-written")
        return 2
    return int(result or 0)


def _error(command: str, message: str) -> None:
    from engine.safe_io import terminal_text

    print(f"alignscope {command}: error: {terminal_text(message, keep_newlines=True)}",
          file=sys.stderr)


def _broken_pipe() -> int:
    """The reader of our output went away (`alignscope info | head`): stop quietly."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a program stopped by a closed pipe


if __name__ == "__main__":
    sys.exit(main())
