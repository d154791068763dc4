"""Sub-commands of the report: `report` (PDF, optionally also JSON/CSV) and `export-study`.

    alignscope report --store STORE.h5 --out REPORT.pdf [--label COLUMN] [--lang en|ja]
                      [--paper a4|letter] [--json OUT.json] [--csv OUT.csv]
                      [--analysis ANALYSIS.json] [--suspects N] [--seed S] [--no-cache]
    alignscope export-study --store STORE.h5 [--label COLUMN] [--json OUT.json] [--csv OUT.csv]

`report` runs the study (or reuses the store's cached result, or --analysis), then writes
the PDF with the per-sample CSV attached. `export-study` writes the exports without Qt.
Qt and the engine are imported inside the handlers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli_progress import stderr_progress
from engine.errors import InputError

if TYPE_CHECKING:
    from engine.study.result import Analysis


def register(sub: Any) -> None:
    """Add this module's sub-commands to the `alignscope` parser."""
    r = sub.add_parser(
        "report",
        help="write the PDF report (and optionally the study JSON and per-sample CSV)",
        description="A stand-alone PDF for managers: summary, alignment, interactions, suspect "
        "pairs, data quality and method, with the per-sample CSV attached.",
    )
    r.add_argument("--store", type=Path, required=True, metavar="STORE.h5")
    r.add_argument("--out", type=Path, required=True, metavar="REPORT.pdf")
    r.add_argument("--label", metavar="COLUMN", help="label column (default: the first label column)")
    r.add_argument("--lang", choices=("en", "ja"), default="en", help="report language (default en)")
    r.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)")
    r.add_argument("--json", type=Path, metavar="OUT.json", help="also write the study as JSON")
    r.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write the per-sample table as CSV")
    r.add_argument("--analysis", type=Path, metavar="ANALYSIS.json",
                   help="use this saved `alignscope analyze --json` result instead of running the study")
    r.add_argument("--suspects", type=int, default=20, metavar="N",
                   help="least-aligned pairs to show (default 20)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--no-cache", action="store_true", help="recompute the study even if cached")
    r.set_defaults(handler=_report)

    e = sub.add_parser("export-study", help="write the study as JSON and the per-sample table as CSV")
    e.add_argument("--store", type=Path, required=True, metavar="STORE.h5")
    e.add_argument("--label", metavar="COLUMN", help="label column (default: the first label column)")
    e.add_argument("--json", type=Path, metavar="OUT.json", help="study JSON file")
    e.add_argument("--csv", type=Path, metavar="OUT.csv", help="per-sample CSV file")
    e.add_argument("--analysis", type=Path, metavar="ANALYSIS.json",
                   help="use this saved `alignscope analyze --json` result")
    e.add_argument("--seed", type=int, default=0)
    e.set_defaults(handler=_export)


def _load_analysis(path: Path | None, store: Path) -> Analysis | None:
    """A saved ``analyze --json`` result or study export, with its per-sample scores from the store."""
    if path is None:
        return None
    from engine.study.analyze import attach_per_sample
    from engine.study.result import read_analysis

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the analysis {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(data, dict) and "pairs" not in data and isinstance(data.get("analysis"), dict):
        data = data["analysis"]  # a study export written by --json
    return attach_per_sample(read_analysis(data, str(path)), store)


def _report(args: argparse.Namespace) -> int:
    from ui.report.export import export_report

    if args.suspects < 0:
        raise InputError("--suspects must be 0 or more")
    result = export_report(
        args.store, args.out, label=args.label, lang=args.lang, paper=args.paper,
        analysis=_load_analysis(args.analysis, args.store), json_out=args.json, csv_out=args.csv,
        n_suspects=args.suspects, seed=args.seed, use_cache=not args.no_cache,
        progress=stderr_progress(sys.stderr.isatty(), every_s=float("inf")),
    )
    print(f"wrote {result.pdf} ({result.pages} pages, label: {result.label or 'none'}"
          + (f"; {result.label_reason}" if result.label_reason else "") + ")")
    for path in (result.json, result.csv):
        if path is not None:
            print(f"wrote {path}")
    if result.missing_figures:
        print(f"note: figures not available in this build: {', '.join(result.missing_figures)}",
              file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from engine.report import gather_inputs, write_per_sample_csv, write_study_json

    if args.json is None and args.csv is None:
        raise InputError("nothing to write: give --json OUT.json and/or --csv OUT.csv")
    if args.json is not None and args.csv is not None and args.json.resolve() == args.csv.resolve():
        raise InputError(f"{args.json} is given for both --json and --csv; choose two names")
    if not args.store.is_file():
        raise InputError(f"project store {args.store} does not exist")
    from engine.safe_io import check_output
    from engine.store import Store

    with Store.open(args.store, mode="r"):
        pass  # the store and its dataset's files are now inputs no output may replace
    for out, what in ((args.json, "study JSON"), (args.csv, "per-sample CSV")):
        if out is not None:
            check_output(out, what)  # before the study runs: refuse early, lose nothing
    analysis = _load_analysis(args.analysis, args.store)
    if analysis is None:
        from engine.study.analyze import analyze_store

        analysis = analyze_store(args.store, args.label, seed=args.seed)
    if args.json is not None:
        inputs = gather_inputs(args.store, analysis, n_suspects=0)
        print(f"wrote {write_study_json(args.json, analysis, inputs)}")
    if args.csv is not None:
        print(f"wrote {write_per_sample_csv(args.csv, args.store, analysis)}")
    return 0
