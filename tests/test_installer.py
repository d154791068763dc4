"""Offline installation routes (slow: run with ALIGNSCOPE_BUNDLE=1, as CI's bundle job does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
needs_bundle_flag = pytest.mark.skipif(
    os.environ.get("ALIGNSCOPE_BUNDLE") != "1", reason="set ALIGNSCOPE_BUNDLE=1 to test installers"
)


@needs_bundle_flag
def test_wheelhouse_installs_with_registries_unreachable(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build_wheelhouse.py"), "--out", str(wheelhouse)],
        check=True,
    )
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    # Registries unreachable: an index on a closed loopback port and no fallback.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PIP_INDEX_URL": "http://127.0.0.1:9/simple",
        "PIP_NO_INDEX": "1",
        "PIP_CONFIG_FILE": os.devnull,
    }
    subprocess.run(
        [str(target / "bin" / "pip"), "install", "--no-index", "--find-links", str(wheelhouse),
         "alignscope"],
        check=True, env=env,
    )
    out = subprocess.run(
        [str(target / "bin" / "alignscope"), "models", "--json"],
        check=True, env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    models = json.loads(out.stdout)
    ids = {m["id"] for m in models}
    assert {"efficientnet-lite0", "paraphrase-minilm-l3"} <= ids
    # torch and the export-only packages must not have come along (onnx itself is a run-time
    # dependency: `models add` validates users' ONNX files with it)
    check = subprocess.run(
        [str(target / "bin" / "python"), "-c",
         "import importlib.util as u; print([m for m in ('torch','onnxscript','transformers',"
         "'efficientnet_lite_pytorch') if u.find_spec(m)])"],
        check=True, env=env, capture_output=True, text=True,
    )
    assert check.stdout.strip() == "[]"
    # the UI's styles and translations came along as data files
    res = subprocess.run(
        [str(target / "bin" / "python"), "-c",
         "from ui.resource_paths import RESOURCES as R; "
         "print((R / 'i18n' / 'alignscope_ja.qm').is_file(), (R / 'styles' / 'dark.qss').is_file())"],
        check=True, env=env, capture_output=True, text=True, cwd=tmp_path,
    )
    assert res.stdout.split() == ["True", "True"]
