"""No network at run time: what every entry point sets before onnxruntime can be imported.

onnxruntime sends usage telemetry from a native thread unless ``ORT_DISABLE_TELEMETRY=1`` is
in the environment when it loads (calling ``disable_telemetry_events()`` afterwards was not
enough). Importing this module sets it, overriding any other value: AlignScope makes no
network connection, ever. It is imported by ``app`` (CLI and GUI), ``engine.encoders`` (the
only importer of onnxruntime), the frozen bundle's entry script and the tests.
"""

from __future__ import annotations

import os

OFFLINE_ENV: dict[str, str] = {"ORT_DISABLE_TELEMETRY": "1"}


def apply() -> None:
    """Put the offline settings into this process's environment (children inherit them)."""
    os.environ.update(OFFLINE_ENV)


apply()
