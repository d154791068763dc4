"""Data sub-commands: demo, embed, export-embeddings, info."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from engine.progress import RateMeter


def register(sub: Any) -> None:
    """Add this module's sub-commands to the `alignscope` parser."""
    p = sub.add_parser("demo", help="write the demo textile-inspection dataset into DIR")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--n", type=int, default=None, help="number of rows (default: all 2,000 images)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lang", choices=("en", "ja"), default="en",
                   help="language of the reports (ja: Japanese reports, same images and planted problems)")
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("embed", help="validate a dataset and embed it into a store (resumable)")
    p.add_argument("dataset", metavar="DATASET", help="manifest file or dataset folder")
    p.add_argument("--store", required=True, metavar="STORE.h5")
    p.add_argument("--image-model", action="append", default=None, metavar="ID")
    p.add_argument("--text-model", action="append", default=None, metavar="ID")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--batch", type=int, default=None, metavar="N",
                   help="batch size (default 32, or the one the store was started with)")
    p.add_argument("--map", default=None, metavar="ROLE=COLUMN,...",
                   help="column mapping overrides, e.g. id=serial,image=photo,report=text")
    p.add_argument("--threads", type=int, default=None, help="CPU threads per encoder")
    p.add_argument("--layers", action="store_true",
                   help="also store every pooled layer of each model (layer-wise alignment; same "
                        "forward pass; the storage cost per 1,000 rows is printed)")
    p.set_defaults(handler=cmd_embed)

    p = sub.add_parser("export-embeddings", help="write one model's embeddings to .npy")
    p.add_argument("store", metavar="STORE.h5")
    p.add_argument("--model", required=True, metavar="ID")
    p.add_argument("--out", required=True, metavar="OUT.npy")
    p.add_argument("--ids", default=None, metavar="IDS.txt",
                   help="sample ids, one per line (default: OUT.ids.txt)")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("info", help="what a store holds: samples, quarantine, models")
    p.add_argument("store", metavar="STORE.h5")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_info)


class ProgressPrinter:
    """A bar with rate and ETA on a terminal; plain lines (at most every 2 s) otherwise."""

    def __init__(self, stream: TextIO | None = None, unit: str = "rows") -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.unit = unit
        self.meter: RateMeter | None = None
        self.last = 0.0
        self.label = ""
        self.base = 0

    def __call__(self, done: int, total: int, message: str) -> None:
        label = message.split(":", 1)[0]
        if self.meter is None or self.meter.total != total or label != self.label:
            self.meter = RateMeter(total)
            self.base = done
            self.label = label
        now = time.perf_counter()
        if not (done >= total or now - self.last >= (0.2 if self.tty else 2.0)):
            return
        self.last = now
        rate = self.meter.rate(done - self.base)
        remaining = (total - done) / rate if rate > 0 else None
        eta = "--:--" if remaining is None else time.strftime("%M:%S", time.gmtime(remaining))
        pct = 100.0 * done / total if total else 100.0
        speed = f"{rate:6.1f}" if rate > 0 else "     -"
        if self.tty:
            filled = int(pct / 100 * 28)
            bar = "#" * filled + "-" * (28 - filled)
            self.stream.write(f"\r[{bar}] {pct:5.1f}% {done}/{total} {speed} {self.unit}/s "
                              f"ETA {eta}  {message[:40]:<40}")
            if done >= total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{message}: {done}/{total} ({pct:.0f}%), {speed.strip()} {self.unit}/s, "
                              f"ETA {eta}\n")
        self.stream.flush()


def cmd_demo(args: argparse.Namespace) -> int:
    from engine.demo import build_demo

    t0 = time.perf_counter()
    s = build_demo(args.dir, n=args.n, seed=args.seed, lang=args.lang)
    counts = {k: len(v) for k, v in s.planted.items() if isinstance(v, list)}
    bad = sum(counts.get(k, 0) for k in ("missing", "zero_bytes", "truncated", "not_an_image",
                                         "empty_report"))
    print(f"demo: {s.n_rows} rows written to {s.manifest} in {time.perf_counter() - t0:.1f} s "
          f"({counts.get('swapped_reports', 0)} swapped reports and {bad} broken rows planted; "
          f"see {s.out_dir / 'planted.json'})")
    return 0


def cmd_embed(args: argparse.Namespace) -> int:
    from engine.dataset import describe_encoding, parse_map
    from engine.embed import run_embed

    printer = ProgressPrinter()
    summary = run_embed(args.dataset, args.store, args.image_model, args.text_model,
                        device=args.device, batch_size=args.batch, mapping=parse_map(args.map),
                        threads=args.threads, progress=printer, layers=args.layers)
    print(f"dataset: {summary.source} ({describe_encoding(summary.encoding)}): "
          f"{summary.n_rows} rows, {summary.n_samples} good, {summary.n_quarantined} quarantined"
          + (" (see: alignscope info " + str(summary.store) + ")" if summary.n_quarantined else ""))
    if summary.n_samples == 0:
        print("warning: no good rows to embed; fix the quarantined rows (alignscope info "
              f"{summary.store}) and run again", file=sys.stderr)
    for m in summary.models:
        extra = f", {m.truncated} reports truncated" if m.truncated else ""
        print(f"{m.model_id} ({m.modality}, {m.provider or 'not loaded'}): {m.computed} embedded, "
              f"{m.cached} from cache, {m.already_done} already done{extra} "
              f"[{m.seconds:.1f} s]")
        if m.layers:
            print(f"  layers: {len(m.layers)} ({', '.join(m.layers)}; the last is the embedding), "
                  f"{m.layer_rows} rows computed now; storage "
                  f"{m.layer_bytes_per_row * 1000 / 1e6:.1f} MB per 1,000 rows")
        if m.note:
            print(f"  note: {m.note}")
    print(f"store: {summary.store} ({'written' if summary.rebuilt else 'resumed'}) "
          f"in {summary.seconds:.1f} s")
    if summary.n_samples:
        language = language_report(str(summary.store))
        print(language["mix"])
        _print_language_findings(language, sys.stdout)
    return 0 if summary.complete else 1


def language_report(path: str, text_models: list[str] | None = None) -> dict[str, Any]:
    """Script mix of the reports, truncation per script, and the English-only-model check."""
    from dataclasses import asdict

    from engine.dataset.language import language_check, store_script_mix, truncated_by_script
    from engine.store import Store

    mix, scripts = store_script_mix(path)
    with Store.open(path, "r") as st:
        models = st.models()["text"] if text_models is None else text_models
        truncated = {m: truncated_by_script(scripts, st.truncated_mask(m)) for m in models if st.has_model(m)}
    check = language_check(mix, models)
    return {"mix": mix.describe(), "script_mix": asdict(mix), "truncated_by_script": truncated,
            "check": {"warn": check.warn, "english_only": list(check.english_only),
                      "suggested_model": check.suggested_model, "message": check.message}}


def _print_language_findings(language: dict[str, Any], stream: TextIO) -> None:
    for model_id, counts in language["truncated_by_script"].items():
        if counts:
            parts = ", ".join(f"{script} {n}" for script, n in sorted(counts.items()))
            print(f"  {model_id}: truncated reports by script: {parts}", file=stream)
    if language["check"]["warn"]:
        print(f"warning: {language['check']['message']}", file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    import numpy as np

    from engine.errors import StoreError
    from engine.store import Store

    out = Path(args.out)
    ids_path = Path(args.ids) if args.ids else out.with_name(out.stem + ".ids.txt")
    with Store.open(args.store, "r") as st:
        vectors = st.embeddings(args.model)
        ids = st.sample_ids()
    try:
        np.save(out, vectors.astype(np.float32, copy=False))
        ids_path.write_text("".join(i.replace("\n", " ") + "\n" for i in ids), encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"cannot write {out} or {ids_path}: {exc.strerror}") from exc
    print(f"{args.model}: {vectors.shape[0]}×{vectors.shape[1]} float32 → {out}; ids → {ids_path}")
    return 0


def store_info(path: str) -> dict[str, Any]:
    """The `info --json` object."""
    from engine.store import Store

    with Store.open(path, "r") as st:
        models = st.models()
        quarantine = st.quarantine()
        ids = [m for ms in models.values() for m in ms]
        info = {
            "store": str(st.path),
            "n_samples": st.n_samples,
            "n_quarantined": len(quarantine),
            "quarantine": quarantine,
            "models": models,
            "complete": {m: st.is_complete(m) for m in ids},
            "done": {m: st.n_done(m) for m in ids},
            "truncated": {m: int(st.truncated_mask(m).sum()) for m in models["text"]},
            "layers": {m: st.layer_names(m) for m in ids if st.layer_names(m)},
            "layers_complete": {m: st.layers_complete(m) for m in ids if st.layer_names(m)},
            "columns": st.columns(),
            "label_columns": st.label_columns(),
            "dataset": st.dataset_info(),
        }
    info["language"] = language_report(path) if info["n_samples"] else None
    return info


def cmd_info(args: argparse.Namespace) -> int:
    info = store_info(args.store)
    if args.json:
        print(json.dumps(info, indent=1, ensure_ascii=False))
        return 0
    d = info["dataset"]
    print(f"store: {info['store']}")
    print(f"dataset: {d.get('source')} ({d.get('encoding')}), {d.get('n_rows')} rows: "
          f"{info['n_samples']} good, {info['n_quarantined']} quarantined")
    print(f"labels: {', '.join(info['label_columns']) or '-'}; columns: "
          f"{', '.join(info['columns']) or '-'}")
    for modality, ids in info["models"].items():
        for m in ids:
            state = "complete" if info["complete"][m] else f"{info['done'][m]}/{info['n_samples']}"
            trunc = info["truncated"].get(m, 0)
            layers = info["layers"].get(m)
            layer_state = "" if not layers else (
                f", {len(layers)} layers" + ("" if info["layers_complete"][m] else " (incomplete)"))
            print(f"  {modality:5s} {m}: {state}" + (f", {trunc} truncated" if trunc else "")
                  + layer_state)
    for q in info["quarantine"]:
        print(f"  quarantined row {q['row']} ({q['id']}, {q['file']}): {q['reason']}")
    if info["language"] is not None:
        print(info["language"]["mix"])
        _print_language_findings(info["language"], sys.stdout)
    return 0
