"""Sub-command `suspects`: which reports do not describe the image they are filed with.

    alignscope suspects --store P.h5 [--image-model ID] [--text-model ID] [--label COL|--no-label]
                        [--top N] [--json] [--csv OUT.csv] [--seed S] [--no-cache]

``--json`` prints one object: {"method", "signals", "self_test": {"auc", "recall_at_2p",
"planted"}, "no_signal", "suspects": [{"id", "rank", "score", "q_value", "reasons"}]},
most suspect first (an empty list when there is no signal).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli_progress import stderr_progress
from engine.errors import InputError


def register(sub: Any) -> None:
    """Add the `suspects` sub-command to the `alignscope` parser."""
    p = sub.add_parser("suspects", help="suspect pairs: reports that may not describe their image",
                       description="Which pairs disagree: rank the image-report pairs by how likely the "
                                   "report was written for another part, with a self-test on planted "
                                   "swaps and a 5 %% false-discovery threshold. Prints the method, the "
                                   "self-test, then the pairs (rank, id, score, q, why); --csv writes "
                                   "every pair with its report and image path.",
                       epilog="The same list is in the GUI's Suspect pairs view and in the PDF "
                              "(alignscope report). The result is cached in the store.")
    p.add_argument("--store", type=Path, required=True, metavar="P.h5", help="project store")
    p.add_argument("--image-model", metavar="ID",
                   help="image model (default: the study's default pair: efficientnet-lite0 when embedded, "
                        "else the first complete image model; `alignscope info STORE` lists them)")
    p.add_argument("--text-model", metavar="ID",
                   help="report model (default: the study's: a multilingual model for Japanese reports "
                        "when embedded, else paraphrase-minilm-l3, else the first complete one)")
    lab = p.add_mutually_exclusive_group()
    lab.add_argument("--label", metavar="COL",
                     help="label column that helps the scores (default: the one the study chooses; "
                          "`alignscope info STORE` shows it and why)")
    lab.add_argument("--no-label", action="store_true", help="use no label column (alignment only)")
    p.add_argument("--top", type=int, default=20, metavar="N", help="pairs to list (default 20)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write every pair, ranked, to a CSV")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-cache", action="store_true", help="recompute even if the store has a cached result")
    p.set_defaults(handler=_suspects)


def _suspects(args: argparse.Namespace) -> int:
    from engine.pairs import suspects_for_store

    if args.top < 0:
        raise InputError("--top must be 0 or more")
    if args.csv is not None and args.csv.resolve() == args.store.resolve():
        raise InputError(f"--csv {args.csv} would replace the store; choose another file")
    result = suspects_for_store(args.store, image_model=args.image_model, text_model=args.text_model,
                                label=args.label, no_label=args.no_label, seed=args.seed,
                                use_cache=not args.no_cache, progress=stderr_progress(not args.json, every_s=2.0))
    if args.csv is not None:
        _write_csv(args, result)
    if args.json:
        print(json.dumps(result.to_json(args.top), ensure_ascii=False, indent=2))
    else:
        _print_plain(args.store, result, args.top)
    return 0


def _write_csv(args: argparse.Namespace, result: Any) -> None:
    from engine.pairs.export import write_suspects_csv
    from engine.store import Store

    with Store.open(args.store, mode="r") as st:
        columns = {c: st.column(c) for c in st.columns()}
        paths, reports = st.image_paths(), st.report_texts()
    write_suspects_csv(args.csv, result, columns=columns, image_paths=paths, reports=reports)
    print(f"wrote {args.csv} ({result.n} pairs)", file=sys.stderr)


def _print_plain(store: Path, result: Any, top: int) -> None:
    from engine.safe_io import terminal_text

    def print(text: str = "") -> None:  # ids and reasons come from the user's data
        sys.stdout.write(terminal_text(text, keep_newlines=True) + "\n")

    label = f"label '{result.label}'" if result.label else "no label"
    print(f"Suspect pairs in {store}: {result.image_model} (image) x {result.text_model} (report), "
          f"{label}, {result.n:,} pairs")
    print(f"Method: {result.method}.")
    print(result.self_test.sentence())
    for note in result.notes:
        print(f"Note: {note}.")
    if result.no_signal:
        print("No list: on this data the method cannot tell reports written for another part from "
              "normal pairs, so a ranking would mislead. Check the pairs by other means.")
        return
    if result.flagged:
        print(f"{result.flagged} pair(s) are beyond the {result.fdr_level:.0%} false-discovery threshold "
              f"(estimated share of wrongly paired reports: {result.mismatch_share:.1%}).")
    else:
        print(f"No pair is beyond the {result.fdr_level:.0%} false-discovery threshold; the list is "
              "ranked, most suspect first.")
    print("Score: how much the pair looks like a random pairing (1 = no sign that the report belongs "
          "to the image); q: estimated share of false alarms if you flag down to this pair.\n")
    print(f"{'rank':>5}  {'id':<16} {'score':>6} {'q':>6}  why")
    shown_line = result.flagged == 0
    for entry in result.suspect_entries(top):
        if not shown_line and entry["q_value"] > result.fdr_level:
            print(f"{'':>5}  --- below this line: not beyond the {result.fdr_level:.0%} threshold ---")
            shown_line = True
        print(f"{entry['rank']:>5}  {entry['id']:<16} {entry['score']:>6.3f} {entry['q_value']:>6.3f}  "
              + "; ".join(entry["reasons"]))
