"""The `alignscope` command line and its wiring."""

import engine.offline  # noqa: F401  (telemetry off before anything can import onnxruntime)
