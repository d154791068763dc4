"""Helpers of the adversarial tests (issue 17): the CLI as a user runs it, and the check
that a failure reached the user as a message naming the fix."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import have_default_models

ROOT = Path(__file__).resolve().parents[2]
needs_models = pytest.mark.skipif(not have_default_models(),
                                  reason="exported models missing (make models)")
def cli_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.update(extra)
    return env


def cli(*args: str | Path, timeout: float = 300, env: dict[str, str] | None = None,
        stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env or cli_env(), cwd=ROOT,
                          input=None if stdin is None else stdin.decode())


def refused(proc: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The command failed with a message (rc 2, no traceback) that holds every needle."""
    err = proc.stderr
    assert proc.returncode == 2, f"rc {proc.returncode}\nstdout: {proc.stdout}\nstderr: {err}"
    assert "Traceback" not in err, err
    for needle in needles:
        assert needle in err, f"{needle!r} not in:\n{err}"
    return err


def write_png(path: Path, color: tuple[int, int, int] = (120, 90, 60), size: int = 32) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (size, size), color).save(path)
    return path
