"""Entry script for the frozen (PyInstaller) AlignScope program."""

import sys

import engine.offline  # noqa: F401  (no network, ever: onnxruntime telemetry off first)


def _run() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--alignscope-store-probe":
        # the store integrity check runs in a child process of this same executable
        from engine.store.opening_check import probe_main

        return probe_main(sys.argv[2:])
    from app.main import main

    return main()


if __name__ == "__main__":
    sys.exit(_run())
