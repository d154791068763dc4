"""Data sub-commands: demo, embed, export-embeddings, info."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any, TextIO

from engine.dataset.encoding import ENCODING_CHOICES  # light: no reader, no numpy
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

    p = sub.add_parser("embed", help="validate a dataset and embed it into a store (resumable)",
                       description="Validate every row of a dataset (a manifest or a folder of images "
                                   "with .txt reports), say what was guessed (encoding, columns, label) "
                                   "and embed the good rows with each model into STORE.h5. Rerunning "
                                   "resumes; quarantined rows are listed by `alignscope info STORE`.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dataset", metavar="DATASET", help="manifest file or dataset folder")
    p.add_argument("--store", required=True, metavar="STORE.h5")
    p.add_argument("--image-model", action="append", default=None, metavar="ID",
                   help="image encoder (repeatable: --image-model A --image-model B embeds both; "
                        "default efficientnet-lite0; the ids are listed below)")
    p.add_argument("--text-model", action="append", default=None, metavar="ID",
                   help="report encoder (repeatable; default paraphrase-minilm-l3, English only: "
                        "for Japanese reports use multilingual-e5-small)")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--batch", type=int, default=None, metavar="N",
                   help="batch size (default 32, or the one the store was started with)")
    p.add_argument("--map", default=None, metavar="ROLE=COLUMN,...",
                   help="which column is which (roles: id, image, report, report_file), e.g. "
                        "id=管理番号,image=写真,report=所見; a role not given is recognised by the "
                        "column's name (names below)")
    p.add_argument("--encoding", default=None, choices=list(ENCODING_CHOICES),
                   help="read the manifest and the report .txt files as this instead of detecting "
                        "the encoding (detected: UTF-8 with or without BOM, UTF-16/32 with BOM, "
                        "CP932/Shift-JIS, Windows-1252)")
    p.add_argument("--threads", type=int, default=None, help="CPU threads per encoder")
    p.add_argument("--allow-outside", action="append", default=[], metavar="PATH",
                   help="also read files under PATH, outside the dataset folder (repeatable); "
                        "by default a row naming such a file, or a symbolic link to one, is "
                        "quarantined")
    p.add_argument("--reembed-changed", action="store_true",
                   help="embed again the models whose installed file differs from the one the store "
                        "was made with (after an AlignScope update); without it they are refused")
    p.add_argument("--layers", action="store_true",
                   help="also store every pooled layer of each model (layer-wise alignment; same "
                        "forward pass; the storage cost per 1,000 rows is printed)")
    p.set_defaults(handler=cmd_embed)
    _lazy_epilog(p, embed_epilog)

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
    p.add_argument("--check", action="store_true",
                   help="verify the checksum of every dataset and embedding row (exit 2 if damaged)")
    p.add_argument("--compact", action="store_true",
                   help="first rewrite the store without the space of replaced results (atomic)")
    p.set_defaults(handler=cmd_info)

    p = sub.add_parser("import-embeddings",
                       help="bring your own embeddings: add a model's vectors, matched by sample id")
    p.add_argument("store", metavar="STORE.h5")
    p.add_argument("--model", required=True, metavar="ID", help="a name for the imported model")
    p.add_argument("--modality", required=True, choices=("image", "text"))
    p.add_argument("--from", dest="source", required=True, metavar="X.npy|X.h5:DATASET|X.parquet",
                   help="the vectors, one row per id (parquet: a list column or numeric columns; "
                        "X.parquet:COLUMN picks one)")
    p.add_argument("--ids", required=True, metavar="IDS.txt",
                   help="sample ids, one per line, in the order of the rows")
    p.add_argument("--replace", action="store_true",
                   help="replace an earlier import of the same model id")
    p.set_defaults(handler=cmd_import_embeddings)


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


def _lazy_epilog(parser: argparse.ArgumentParser, make: Any) -> None:
    """Fill ``parser``'s epilog only when its help is shown (listing the models reads the
    model folders, which `alignscope --version` must not wait for)."""
    original = parser.format_help

    def format_help() -> str:
        parser.epilog = make()
        return str(original())

    parser.format_help = format_help  # type: ignore[method-assign]


def embed_epilog() -> str:
    """The end of `embed --help`: model ids, recognised column names, what happens after."""
    from pathlib import Path

    from engine.dataset.columns import KNOWN_NAMES, LABEL_HINTS
    from engine.encoders import DEFAULT_IMAGE_MODEL, DEFAULT_TEXT_MODEL, list_models

    def langs(spec: Any) -> str:
        found = tuple(getattr(spec, "languages", ()))
        if not found:
            return ""
        return " (English only)" if found == ("en",) else f" ({len(found)} languages incl. Japanese)" \
            if "ja" in found else f" ({', '.join(found)})"

    lines = ["models (repeat --image-model / --text-model to embed several; `alignscope models` "
             "shows sizes and sources):"]
    for modality, default in (("image", DEFAULT_IMAGE_MODEL), ("text", DEFAULT_TEXT_MODEL)):
        specs = [m for m in list_models() if m.modality == modality]
        names = [f"{m.id}{langs(m)}{' [default]' if m.id == default else ''}"
                 + ("" if Path(m.path).is_file() else " [not exported]")
                 for m in specs]
        lines.append(f"  {modality}: {', '.join(names) or '(none installed)'}")
    lines += ["", "columns recognised by name (case, spaces and _-./ ignored; override with --map ROLE=COLUMN):"]
    lines += [f"  {role}: {', '.join(known)}" for role, known in KNOWN_NAMES.items()]
    lines += ["  id, besides: a column whose name ends in id/no/number/番号/コード with a different value "
              "on every row; without an id column the ids are the image paths without extension (embed "
              "says so)",
              "  label: chosen by `analyze` among the other columns with 2-50 values (names like "
              f"{', '.join(LABEL_HINTS[:6])}, 判定 first; persons, dates, ids, measurements and free text "
              "passed over); change it with --label COLUMN",
              "",
              "a folder without a manifest: every image with the .txt file of the same name as its "
              "report; labels are the sub-folder names; ids are the image file names without extension "
              "(their paths inside the folder when names repeat)",
              "",
              "then: alignscope info STORE (what was imported, quarantine), alignscope analyze --store "
              "STORE (the study), alignscope suspects --store STORE (pairs that disagree), alignscope gui STORE"]
    return "\n".join(lines)


def _show_guesses(ds: Any) -> None:
    """Print what the import guessed (before embedding starts)."""
    from engine.dataset.guesses import guess_lines, guesses_of_dataset
    from engine.safe_io import terminal_text

    for line in guess_lines(guesses_of_dataset(ds)):
        print(terminal_text(line))
    sys.stdout.flush()


QUARANTINE_SHOWN = 5     # quarantined rows `embed` lists (all: `alignscope info STORE`)
TRUNCATED_SHOWN = 3      # truncated report ids listed per model (all: `info --json`)


def quarantine_line(kind: str, q: dict[str, Any]) -> str:
    """One quarantined row: a folder has files, not rows."""
    if kind == "folder":
        return f"  quarantined file {q['file']}: {q['reason']}"
    return f"  quarantined row {q['row']} ({q['id']}, {q['file']}): {q['reason']}"


def truncated_ids(path: str) -> dict[str, list[str]]:
    """Ids of the reports each text model read only in part (longer than it takes)."""
    from engine.store import Store

    with Store.open(path, "r") as st:
        ids = st.sample_ids()
        return {m: [ids[i] for i in (st.truncated_mask(m) != 0).nonzero()[0]]
                for m in st.models()["text"]}


def truncated_text(ids: list[str], store: str) -> str:
    """", 4 reports truncated (A, B, C, …; all: alignscope info STORE --json)" ("" for none)."""
    if not ids:
        return ""
    shown = ", ".join(ids[:TRUNCATED_SHOWN]) + (", …" if len(ids) > TRUNCATED_SHOWN else "")
    where = "" if len(ids) <= TRUNCATED_SHOWN else f"; all: alignscope info {store} --json"
    word = "report" if len(ids) == 1 else "reports"
    return f", {len(ids)} {word} truncated to the model's length ({shown}{where})"


def cmd_embed(args: argparse.Namespace) -> int:
    from engine.dataset import describe_encoding, parse_map
    from engine.embed import run_embed
    from engine.safe_io import terminal_text
    from engine.store import Store

    printer = ProgressPrinter()
    summary = run_embed(args.dataset, args.store, args.image_model, args.text_model,
                        device=args.device, batch_size=args.batch, mapping=parse_map(args.map),
                        threads=args.threads, progress=printer, allow_outside=args.allow_outside,
                        layers=args.layers, reembed_changed=args.reembed_changed,
                        encoding=args.encoding, on_dataset=_show_guesses)
    print(terminal_text(
        f"dataset: {summary.source} ({describe_encoding(summary.encoding)}): "
        f"{summary.n_rows} rows, {summary.n_samples} good, {summary.n_quarantined} quarantined"
        + (" (see: alignscope info " + str(summary.store) + ")" if summary.n_quarantined else "")))
    with Store.open(summary.store, "r") as st:
        kind, quarantine = str(st.dataset_info().get("kind", "manifest")), st.quarantine()
    for q in quarantine[:QUARANTINE_SHOWN]:
        print(terminal_text(quarantine_line(kind, q)))
    if len(quarantine) > QUARANTINE_SHOWN:
        print(f"  … and {len(quarantine) - QUARANTINE_SHOWN} more: alignscope info {summary.store}")
    for note in summary.notes:
        print(f"note: {terminal_text(note)}")
    if summary.n_samples == 0:
        print("warning: no good rows to embed; fix the quarantined rows (alignscope info "
              f"{summary.store}) and run again", file=sys.stderr)
    truncated = truncated_ids(str(summary.store)) if summary.n_samples else {}
    for m in summary.models:
        extra = truncated_text(truncated.get(m.model_id, []), str(summary.store))
        extra += f", {m.repaired} damaged rows computed again" if m.repaired else ""
        print(terminal_text(f"{m.model_id} ({m.modality}, {m.provider or 'not loaded'}): {m.computed} embedded, "
                            f"{m.cached} from cache, {m.already_done} already done{extra} "
                            f"[{m.seconds:.1f} s]"))
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
    from engine.safe_io import atomic_output, check_output, write_bytes
    from engine.store import Store

    out = Path(args.out)
    ids_path = Path(args.ids) if args.ids else out.with_name(out.stem + ".ids.txt")
    with Store.open(args.store, "r") as st:
        vectors = st.embeddings(args.model)
        ids = st.sample_ids()
    check_output(out, "embeddings", others=[ids_path])
    check_output(ids_path, "ids")
    with atomic_output(out, "embeddings", checked=True) as tmp, tmp.open("wb") as fh:
        np.save(fh, vectors.astype(np.float32, copy=False))
    text = "".join(i.replace("\n", " ") + "\n" for i in ids)
    write_bytes(ids_path, text.encode("utf-8"), "ids", checked=True)
    if not out.is_file():
        raise StoreError(f"cannot write {out}")
    print(f"{args.model}: {vectors.shape[0]}×{vectors.shape[1]} float32 → {out}; ids → {ids_path}")
    return 0


def store_info(path: str) -> dict[str, Any]:
    """The `info --json` object."""
    return _store_info(path)[0]


def _store_info(path: str) -> tuple[dict[str, Any], Any]:
    """The `info --json` object and the import's guesses (engine.dataset.guesses.ImportGuesses)."""
    from engine.dataset.guesses import guesses_of_store
    from engine.store import Store

    with Store.open(path, "r") as st:
        models = st.models()
        quarantine = st.quarantine()
        ids = [m for ms in models.values() for m in ms]
        dataset = st.dataset_info()
        guesses = guesses_of_store(dataset, {c: st.column(c) for c in st.columns()})
        info = {
            "store": str(st.path),
            "n_samples": st.n_samples,
            "n_quarantined": len(quarantine),
            "quarantine": quarantine,
            "models": models,
            "complete": {m: st.is_complete(m) for m in ids},
            "done": {m: st.n_done(m) for m in ids},
            "truncated": {m: int(st.truncated_mask(m).sum()) for m in models["text"]},
            "damaged": {m: rows for m in ids if (rows := st.damaged_rows(m))},
            "external": st.external_models(),
            "layers": {m: st.layer_names(m) for m in ids if st.layer_names(m)},
            "layers_complete": {m: st.layers_complete(m) for m in ids if st.layer_names(m)},
            "columns": st.columns(),
            "label_columns": st.label_columns(),
            "dataset": dataset,
            "guesses": guesses.to_json(),
        }
    info["truncated_ids"] = truncated_ids(path) if info["n_samples"] else {}
    info["language"] = language_report(path) if info["n_samples"] else None
    return info, guesses


def cmd_import_embeddings(args: argparse.Namespace) -> int:
    from engine.store.import_embeddings import import_embeddings

    s = import_embeddings(args.store, args.model, args.modality, args.source, args.ids,
                          replace=args.replace, progress=ProgressPrinter())
    print(f"{s.model_id} ({s.modality}, external): {s.n_rows}×{s.dim} from {s.source} "
          f"→ {s.store}{' (replaced)' if s.replaced else ''} in {s.seconds:.1f} s")
    if s.replaced:
        print(f"note: the replaced table's space stays in the file until: alignscope info {s.store} --compact")
    return 0


def _compact(path: str) -> None:
    from engine.store import Store

    with Store.open(path, "a") as st:
        before, after = st.compact()
    print(f"compacted: {before / 2**20:.1f} MiB → {after / 2**20:.1f} MiB")


def cmd_info(args: argparse.Namespace) -> int:
    from engine.safe_io import terminal_text

    if args.check:
        return _check(args)
    if args.compact:
        _compact(args.store)
    info, guesses = _store_info(args.store)
    if args.json:
        print(json.dumps(info, indent=1, ensure_ascii=False))
        return 0 if not info["damaged"] else 2
    lines = _info_lines(args.store, info, guesses)
    for line in lines:
        print(terminal_text(line))
    if info["language"] is not None:
        print(info["language"]["mix"])
        _print_language_findings(info["language"], sys.stdout)
    return 0 if not info["damaged"] else 2


def _info_lines(store: str, info: dict[str, Any], guesses: Any) -> list[str]:
    """`info` without --json: the dataset, what the import guessed, the models, the quarantine."""
    from engine.dataset.guesses import guess_lines

    d = info["dataset"]
    lines = [f"store: {info['store']}",
             f"dataset: {d.get('source')}, {d.get('n_rows')} rows: "
             f"{info['n_samples']} good, {info['n_quarantined']} quarantined"]
    lines += guess_lines(guesses)
    lines += [f"note: {n}" for n in d.get("notes") or []]
    lines.append("models:" if any(info["models"].values()) else
                 f"models: none yet (alignscope embed DATASET --store {store})")
    for modality, ids in info["models"].items():
        for m in ids:
            state = "complete" if info["complete"][m] else f"{info['done'][m]}/{info['n_samples']}"
            bad = len(info["damaged"].get(m, []))
            source = info["external"].get(m)
            layers = info["layers"].get(m)
            layer_state = "" if not layers else (
                f", {len(layers)} layers" + ("" if info["layers_complete"][m] else " (incomplete)"))
            lines.append(f"  {modality:5s} {m}: {state}"
                         + truncated_text(info["truncated_ids"].get(m, []), store)
                         + layer_state
                         + (f" (external: imported from {source})" if source is not None else "")
                         + (f", {bad} DAMAGED rows (run alignscope embed again)" if bad else ""))
    kind = str(d.get("kind", "manifest"))
    if info["quarantine"]:
        what = "files" if kind == "folder" else "rows"
        lines.append(f"quarantine ({len(info['quarantine'])} {what}, not embedded):")
    lines += [quarantine_line(kind, q) for q in info["quarantine"]]
    return lines


def _check(args: argparse.Namespace) -> int:
    """`info --check`: every checksum, in a child process (a damaged file cannot hang us)."""
    import os
    from pathlib import Path

    from engine.errors import StoreError
    from engine.safe_io import terminal_text
    from engine.store.opening_check import run_probe

    path = Path(args.store)
    if not path.is_file():
        raise StoreError(f"{path}: no such store")
    timeout = 30.0 + os.path.getsize(path) / 20e6  # full read at ≥ 20 MB/s
    verdict = run_probe(path, rows=True, timeout=timeout)
    if args.json:
        print(json.dumps(verdict.to_json(), indent=1))
    else:
        for problem in verdict.problems:
            print(terminal_text(f"DAMAGED: {problem}"))
        for model, rows in verdict.damaged_rows.items():
            print(terminal_text(f"DAMAGED: {len(rows)} rows of {model} (rows {', '.join(map(str, rows[:10]))}"
                                f"{' …' if len(rows) > 10 else ''}): run alignscope embed again"))
        if verdict.unchecked:
            print(f"no checksum recorded for {len(verdict.unchecked)} datasets (written by an "
                  f"older AlignScope): {', '.join(verdict.unchecked[:5])}")
        state = "damaged" if verdict.problems or verdict.damaged_rows else "all checksums match"
        print(f"{path}: {verdict.checked} datasets and {verdict.rows_checked} embedding rows "
              f"checked in {verdict.seconds:.1f} s: {state}")
    return 2 if verdict.problems or verdict.damaged_rows else 0
