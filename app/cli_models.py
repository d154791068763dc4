"""`alignscope models [--json]` and `alignscope models add FILE.onnx --modality M --id NAME`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add `models` (with its `add` sub-command) to the `alignscope` parser."""
    parser = sub.add_parser("models", help="list the available encoders, or register your own",
                            description="List the bundled and user-registered encoders.")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(handler=run_list)
    inner = parser.add_subparsers(dest="models_command", metavar="add")
    add = inner.add_parser("add", help="register an ONNX encoder of your own",
                           description="Validate an ONNX encoder (one dummy batch) and register it.")
    add.add_argument("file", type=Path, metavar="FILE.onnx")
    add.add_argument("--modality", required=True, choices=["image", "text"])
    add.add_argument("--id", required=True, dest="model_id", metavar="NAME")
    add.add_argument("--card", type=Path, default=None, metavar="CARD.toml",
                     help="TOML card: dim, input_size, max_tokens, tokenizer, mean, std, source, licence")
    add.add_argument("--json", action="store_true", help="print the new model's card as JSON")
    add.set_defaults(handler=run_add)


def _format_params(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M"
    if n >= 1_000:
        return f"{n / 1e3:.0f} k"
    return str(n)


def _format_languages(codes: list[str]) -> str:
    """"en", "ja, en", or "94 incl. ja" for long lists; "-" when the card states none."""
    if not codes:
        return "-"
    if len(codes) <= 3:
        return ", ".join(codes)
    return f"{len(codes)} incl. ja" if "ja" in codes else f"{len(codes)} languages"


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain text table of the models (one line each)."""
    header = ("id", "modality", "rung", "dim", "params", "input", "languages", "layers", "source",
              "sha256")
    lines = [header]
    for r in rows:
        geometry = f"{r['input_size']} px" if r["input_size"] else (
            f"{r['max_tokens']} tok" if r["max_tokens"] else "-")
        lines.append((r["id"] + (" (user)" if r["user"] else ""), r["modality"], str(r["rung"]),
                      str(r["dim"]), _format_params(int(r["params"])), geometry,
                      _format_languages(r.get("languages") or []),
                      str(len(r["layers"])) if r.get("layers") else "-", r["source"],
                      r["sha256"][:12]))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def run_list(args: argparse.Namespace) -> int:
    from engine.encoders import bundled_dir, list_models

    rows = [s.to_json() for s in list_models()]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print(f"No encoders found in {bundled_dir()}: run `make models` "
              "(python -m models_onnx.export --ladder default).")
        return 0
    from engine.safe_io import terminal_text

    print(terminal_text(format_table(rows), keep_newlines=True))  # cards are user text
    return 0


def run_add(args: argparse.Namespace) -> int:
    from engine.encoders.user_models import add_user_model

    spec = add_user_model(args.file, args.modality, args.model_id, args.card)
    if args.json:
        print(json.dumps(spec.to_json(), indent=2))
    else:
        print(f"added {spec.modality} model {spec.id!r}: {spec.dim}-d, "
              f"{_format_params(spec.params)} params, stored in {spec.path.parent}")
    return 0
