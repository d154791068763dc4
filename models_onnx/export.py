"""Export the encoder ladder to ONNX and write ``manifest.json``.

    python -m models_onnx.export --ladder default
    python -m models_onnx.export --models all-mpnet-base-v2
    python -m models_onnx.export --ladder default --force

Output folder: ``models_onnx/exported/`` (``$ALIGNSCOPE_MODELS_DIR`` overrides). Idempotent:
a model is skipped when its ``<id>.onnx`` exists with the sha256 recorded in the manifest
*and* was made by the current export code (the card records ``export_code``, a sha256 over
every models_onnx/*.py but ladder.py, plus the model's own card): editing the export code, or
a card's preprocessing, re-exports on the next ``make models`` (whose stamp depends on the
same files).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from models_onnx.ladder import DEFAULT_LADDER, LADDER, LARGE_MODELS
from models_onnx.parity import within_tolerance

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
# the card file is hashed per model (its card), every other source of this package whole
CARDS_SOURCE = "ladder.py"


def exported_dir() -> Path:
    env = os.environ.get("ALIGNSCOPE_MODELS_DIR")
    return Path(env) if env else Path(__file__).resolve().parent / "exported"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST_NAME
    if not path.exists():
        return {"format": MANIFEST_FORMAT, "models": {}}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.setdefault("models", {})
    return data


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    tmp = folder / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    tmp.replace(folder / MANIFEST_NAME)


def export_code(model_id: str) -> str:
    """sha256 over the export sources (models_onnx/*.py but the cards) and ``model_id``'s card."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for source in sorted(here.glob("*.py")):
        if source.name != CARDS_SOURCE:
            h.update(source.name.encode() + b"\0" + source.read_bytes())
    h.update(json.dumps(LADDER[model_id], sort_keys=True).encode())
    return h.hexdigest()


def is_current(folder: Path, manifest: dict[str, Any], model_id: str) -> bool:
    entry = manifest["models"].get(model_id)
    onnx_path = folder / f"{model_id}.onnx"
    if entry is None or not onnx_path.exists():
        return False
    if model_id in LADDER and entry.get("export_code") != export_code(model_id):
        return False
    if entry.get("modality") == "text" and not (folder / entry.get("tokenizer", "")).is_file():
        return False
    return bool(sha256_file(onnx_path) == entry.get("sha256"))


def _text_exporter(model_id: str) -> Any:
    """The export function of a text rung: torch models, or a graph written from the package's format."""
    if model_id == "multilingual-e5-small":
        from models_onnx.export_e5 import export_e5_model

        return export_e5_model
    if model_id == "use-multilingual-v3":
        from models_onnx.export_use import export_use_model

        return export_use_model
    from models_onnx.export_text import export_text_model

    return export_text_model


def export_one(model_id: str, folder: Path) -> dict[str, Any]:
    card = dict(LADDER[model_id])
    out = folder / f"{model_id}.onnx"
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # legacy exporter deprecation, tracer warnings
        if card["modality"] == "image":
            from models_onnx.export_image import export_image_model

            measured = export_image_model(card, out)
        else:
            tokenizer_name = f"{model_id}.tokenizer.json"
            with tempfile.TemporaryDirectory(dir=folder) as work:
                measured = _text_exporter(model_id)(card, out, folder / tokenizer_name, Path(work))
            card["tokenizer"] = tokenizer_name
    parity = measured["parity"]
    if not within_tolerance(parity):
        out.unlink(missing_ok=True)
        raise RuntimeError(f"{model_id}: ONNX export disagrees with its reference: {parity}")
    card.update(
        file=out.name,
        sha256=sha256_file(out),
        export_code=export_code(model_id),
        params=measured["params"],
        layers=measured.get("layers", []),  # [] for exporters without layer outputs
        parity=parity,
        onnx_bytes=out.stat().st_size,
        exported=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        export_seconds=round(time.perf_counter() - started, 1),
    )
    return card


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models_onnx.export", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--ladder", choices=["default", "all"], help="default: the bundled ladder (incl. the multilingual rungs)")
    group.add_argument("--models", nargs="+", metavar="ID", choices=sorted(LADDER))
    parser.add_argument("--force", action="store_true", help="re-export even when up to date")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: models_onnx/exported)")
    args = parser.parse_args(argv)
    if args.ladder == "default":
        ids = list(DEFAULT_LADDER)
    elif args.ladder == "all":
        ids = list(DEFAULT_LADDER) + list(LARGE_MODELS)
    else:
        ids = list(args.models)
    folder = args.out or exported_dir()
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(folder)
    manifest["format"] = MANIFEST_FORMAT
    for model_id in ids:
        if not args.force and is_current(folder, manifest, model_id):
            # refresh the static card fields (licence, preprocessing, ...) without re-exporting
            manifest["models"][model_id].update(LADDER[model_id])
            print(f"{model_id}: up to date ({folder / (model_id + '.onnx')})")
            continue
        print(f"{model_id}: exporting ...", flush=True)
        card = export_one(model_id, folder)
        manifest["models"][model_id] = card
        write_manifest(folder, manifest)
        p = card["parity"]
        print(f"{model_id}: {card['onnx_bytes'] / 1e6:.1f} MB, {card['params']:,} params, "
              f"parity max|diff| {p['max_abs_diff']:.2e} min cos {p['min_cosine']:.7f} "
              f"({card['export_seconds']} s)", flush=True)
    write_manifest(folder, manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
