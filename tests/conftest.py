"""Test-wide set-up: headless Qt and the no-network rule.

In-process tests: any Python-level connect to a non-local address fails the test (below).
Native threads (onnxruntime's telemetry) are invisible to that patch: real commands are
traced at the system-call level with strace in tests/adversarial/test_no_network.py.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator

import pytest

import engine.offline  # noqa: F401  (onnxruntime telemetry off, as every entry point does)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "2")
# the GUI's rotating log goes to a throw-away folder, never the user's (subprocesses inherit it)
os.environ.setdefault("ALIGNSCOPE_LOG_DIR", tempfile.mkdtemp(prefix="alignscope-test-logs-"))
# the report font's text-layer copy (ui/report/font_text_layer.py, 2 × 17 MB) is derived once
# per run into a throw-away folder, never the user's cache
if "ALIGNSCOPE_FONT_CACHE" not in os.environ:
    os.environ["ALIGNSCOPE_FONT_CACHE"] = tempfile.mkdtemp(prefix="alignscope-test-fonts-")
    atexit.register(shutil.rmtree, os.environ["ALIGNSCOPE_FONT_CACHE"], ignore_errors=True)


class NetworkAccessError(AssertionError):
    pass


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        return host in {"localhost", "::1"} or host.startswith("127.")
    return isinstance(address, (str, bytes))  # AF_UNIX paths


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise NetworkAccessError(f"network access attempted at run time: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise NetworkAccessError(f"network access attempted at run time: {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """AlignScope never touches the network at run time: any outbound connect fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield
