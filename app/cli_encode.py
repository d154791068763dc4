"""`alignscope encode --model ID (--images PATH... | --texts FILE) --out OUT.npy`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp",
                            ".ppm", ".pgm", ".pbm", ".pnm"})


def register(sub: Any) -> None:
    """Add `encode` to the `alignscope` parser."""
    parser = sub.add_parser("encode", help="embed image files or texts with one encoder into a .npy",
                            description="Embed images (files and/or folders, folders sorted by path) "
                                        "or texts (one per line, UTF-8) into a float32 [n, dim] .npy.")
    parser.add_argument("--model", required=True, metavar="ID", help="encoder id (see `alignscope models`)")
    src = parser.add_mutually_exclusive_group(required=True)
    src.add_argument("--images", nargs="+", type=Path, metavar="PATH", help="image files and/or folders")
    src.add_argument("--texts", type=Path, metavar="FILE", help="UTF-8 text file, one text per line")
    parser.add_argument("--out", required=True, type=Path, metavar="OUT.npy")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--batch", type=int, default=32, metavar="N", help="batch size (default 32)")
    parser.add_argument("--threads", type=int, default=None, metavar="N",
                        help="inference threads (default: all cores)")
    parser.set_defaults(handler=run)


def expand_images(paths: list[Path]) -> list[Path]:
    """Files as given; each folder replaced by the image files under it, sorted by path."""
    import stat

    from engine.errors import InputError
    from engine.safe_io import note_input

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(Path(d) / f for d, _, files in os.walk(p) for f in files
                           if Path(f).suffix.lower() in IMAGE_SUFFIXES and (Path(d) / f).is_file())
            if not found:
                raise InputError(f"{p}: folder holds no image files ({', '.join(sorted(IMAGE_SUFFIXES))})")
            out.extend(found)
        elif p.exists():
            if not stat.S_ISREG(p.stat().st_mode):
                raise InputError(f"{p}: not a regular file (a device or pipe?); give image files")
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    for p in out:
        note_input(p)
    return out


def _progress_printer(label: str) -> Any:
    from engine.progress import RateMeter

    meter: RateMeter | None = None
    interactive = sys.stderr.isatty()
    last = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        nonlocal meter
        if meter is None:
            meter = RateMeter(total)
        now = time.perf_counter()
        if done == 0 or (done < total and now - last[0] < (0.2 if interactive else 5.0)):
            return
        last[0] = now
        eta = meter.eta_seconds(done)
        text = f"{label}: {done}/{total} ({meter.rate(done):.1f}/s" + (
            f", ETA {eta:.0f} s)" if eta is not None and done < total else ")")
        print(("\r" + text) if interactive else text, end="" if interactive and done < total else "\n",
              file=sys.stderr, flush=True)

    return progress


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from engine.encoders import get_spec, load_encoder
    from engine.encoders.texts import read_text_lines
    from engine.errors import InputError

    if args.batch < 1:
        raise InputError(f"--batch must be at least 1 (got {args.batch})")
    from engine.encoders.registry import MAX_DIM
    from engine.safe_io import atomic_output, check_output, note_input

    spec = get_spec(args.model)
    if not 0 < spec.dim <= MAX_DIM:
        raise InputError(f"model {spec.id!r} declares {spec.dim:,} dimensions; AlignScope takes 1 to {MAX_DIM:,}")
    items: list[Any]
    if args.images is not None:
        if spec.modality != "image":
            raise InputError(f"model {spec.id!r} is a {spec.modality} model; use --texts, or an image model")
        items = expand_images(list(args.images))
        kind = "images"
    else:
        if spec.modality != "text":
            raise InputError(f"model {spec.id!r} is an image model; use --images, or a text model")
        items = read_text_lines(args.texts)
        note_input(args.texts)
        kind = "texts"
    out_path: Path = args.out
    if out_path.parent and not out_path.parent.exists():
        raise InputError(f"{out_path.parent}: output folder does not exist")
    check_output(out_path, "embeddings")
    enc = load_encoder(spec.id, device=args.device, threads=args.threads)
    started = time.perf_counter()
    emb = enc.encode(items, batch_size=args.batch, progress=_progress_printer(f"encode {spec.id}"))
    seconds = time.perf_counter() - started
    with atomic_output(out_path, "embeddings") as tmp, tmp.open("wb") as f:
        np.save(f, emb)
    rate = len(items) / seconds if seconds > 0 else 0.0
    print(f"encoded {len(items)} {kind} with {spec.id} on {enc.provider} in {seconds:.1f} s "
          f"({rate:.1f}/s) -> {out_path} float32 {list(emb.shape)}", file=sys.stderr)
    if kind == "texts" and enc.truncated_count:
        from engine.dataset.language import report_script

        texts = [str(t) for t in items]
        by_script: dict[str, int] = {}
        for text, n in zip(texts, enc.token_lengths(texts), strict=True):
            if spec.max_tokens and n > spec.max_tokens:
                by_script[report_script(text)] = by_script.get(report_script(text), 0) + 1
        parts = ", ".join(f"{k} {v}" for k, v in sorted(by_script.items()))
        print(f"note: {enc.truncated_count} of {len(items)} texts are longer than {spec.max_tokens} "
              f"tokens and were truncated to their first {spec.max_tokens} (by script: {parts})",
              file=sys.stderr)
    return 0
