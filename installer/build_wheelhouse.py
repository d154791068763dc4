"""Collect every wheel needed to install AlignScope offline.

Usage: python installer/build_wheelhouse.py [--out dist/wheelhouse]

The wheelhouse holds AlignScope itself (a wheel that carries the exported encoder ladder as
package data, so run `make setup` first) and all its run-time dependencies for this platform
and Python. Install on an offline machine with:

    python3.11 -m venv venv
    venv/bin/pip install --no-index --find-links WHEELHOUSE alignscope

Export-only packages (torch, onnx, weight packages) are not included: the app runs on
onnxruntime alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "wheelhouse")
    args = parser.parse_args()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not (ROOT / "models_onnx" / "exported" / "manifest.json").exists():
        raise SystemExit("no exported encoders: run `make setup` first")
    pip = [sys.executable, "-m", "pip"]
    # AlignScope's own wheel, built from the working tree (carries models_onnx/exported).
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(out), str(ROOT)], check=True)
    # Every run-time dependency, resolved for this interpreter and platform.
    subprocess.run([*pip, "download", "--only-binary=:all:", "-d", str(out), str(ROOT)], check=True)
    wheels = sorted(out.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels)
    print(f"wheelhouse: {out} ({len(wheels)} wheels, {size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
