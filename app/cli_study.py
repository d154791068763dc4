"""Sub-commands of the study: `pid`, `analyze`, `synth`.

    alignscope pid --joint P.npy [--json]
    alignscope pid --store S.h5 --image-model ID --text-model ID --label COLUMN
                   [--discretize probe|kmeans] [--json]
    alignscope analyze --store S.h5 [--label COLUMN] [--json]
    alignscope synth [--out DIR] [--quick] [--seeds 0,1,2] [--samples N] [--epochs E1,E2] [--jobs N] [--json]

Engine modules are imported inside the handlers (fast `--version`, no torch at start-up).
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
    """Add this module's sub-commands to the `alignscope` parser."""
    p = sub.add_parser("pid", help="partial information decomposition (redundancy, uniqueness, synergy)",
                       description="PID in bits of a discrete joint (--joint) or of a store's "
                                   "discretised embeddings with a label (--store).")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--joint", type=Path, metavar="P.npy",
                     help="non-negative 3-D array [x1, x2, y] saved with numpy.save")
    src.add_argument("--store", type=Path, metavar="STORE.h5", help="project store")
    p.add_argument("--image-model", metavar="ID", help="image model in the store (with --store)")
    p.add_argument("--text-model", metavar="ID", help="text model in the store (with --store)")
    p.add_argument("--label", metavar="COLUMN", help="label column used as Y (with --store)")
    p.add_argument("--discretize", choices=("probe", "kmeans"), default="probe",
                   help="probe (default): clusters of each modality's out-of-fold probe probabilities, "
                        "which keep the label information; kmeans: the reference's L2 → PCA → k-means")
    p.add_argument("--clusters", type=int, default=30,
                   help="k-means clusters per modality with --discretize kmeans (default 30)")
    p.add_argument("--pca-dim", type=int, default=5,
                   help="PCA dimensions before k-means with --discretize kmeans (default 5)")
    p.add_argument("--bootstrap", type=int, default=100,
                   help="bootstrap resamples for the bias correction and intervals (default 100, at least 2)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=_pid)

    a = sub.add_parser("analyze", help="the whole study: probes, alignment vs performance, PID, "
                                       "heterogeneity, explicit-alignment trial, recommendation",
                       description="Run the study on a store (or read it from the store's cache) and "
                                   "print: the headline in plain words, the label and the models used and "
                                   "why, the findings, the recommendation (is explicit alignment worth "
                                   "it, and which side to improve) and the notes that qualify the numbers.",
                       epilog="Which pairs disagree: alignscope suspects --store STORE. Every number "
                              "with its interval: --json (the typed study contract, with \"headline\"). "
                              "A PDF for a manager: alignscope report --store STORE --out R.pdf.")
    a.add_argument("--store", type=Path, required=True, metavar="STORE.h5")
    a.add_argument("--label", metavar="COLUMN",
                   help="label column (default: chosen automatically among the categorical columns "
                        "with 2-50 values, label-like names first; the choice and why are printed)")
    a.add_argument("--image-model", metavar="ID",
                   help="image model of the default pair (default: efficientnet-lite0 when embedded, else "
                        "the first complete one; every complete pair is measured for the ladder)")
    a.add_argument("--text-model", metavar="ID",
                   help="report model of the default pair (default: a multilingual model for Japanese "
                        "reports when embedded, else paraphrase-minilm-l3, else the first complete one)")
    a.add_argument("--seed", type=int, default=0)
    a.add_argument("--no-cache", action="store_true", help="recompute even if the store has a cached result")
    a.add_argument("--json", action="store_true", help="print one JSON object")
    a.set_defaults(handler=_analyze)

    s = sub.add_parser("synth", help="synthetic calibration: reproduce the paper's alignment trends",
                       description="The paper's synthetic study, like-for-like with its reference "
                                   "code: alignment vs uniqueness, heterogeneity and performance. "
                                   "The full sweep takes hours; with --out it is resumable "
                                   "(finished cells are kept and skipped on a rerun).")
    s.add_argument("--out", type=Path, metavar="DIR",
                   help="keep finished cells (synth_cells.jsonl) and write synth.json and "
                        "synth_rows.csv here; a rerun with the same settings resumes")
    s.add_argument("--quick", action="store_true",
                   help="reduced sizes: U = 0..8, D_phi = 1..10, encoder depths 1, 2, 4, 7, 10, "
                        "16,384 samples, one seed (minutes)")
    s.add_argument("--seeds", metavar="LIST",
                   help="comma-separated data/training seeds (default: 0 with --quick, 0,1,2 otherwise)")
    s.add_argument("--samples", type=int, metavar="N",
                   help="samples per dataset, split 70/15/15 (default 65,536 as the reference; "
                        "16,384 with --quick)")
    s.add_argument("--epochs", metavar="E1,E2",
                   help="training epochs of the untransformed and the transformed modality's "
                        "encoders (default 50,300 as the reference; 20,30 with --quick)")
    s.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="cells run at once in worker processes (default 1)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(handler=_synth)


def _load_joint(path: Path) -> Any:
    import numpy as np

    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        arr = np.load(path, allow_pickle=False)
    except (ValueError, OSError) as exc:
        raise InputError(f"{path}: not a numpy .npy array ({exc})") from exc
    return arr


def _pid(args: argparse.Namespace) -> int:
    if args.joint is not None:
        from engine.study.pid import check_joint, pid_from_joint

        joint, warnings = check_joint(_load_joint(args.joint), name=str(args.joint))
        for w in warnings:
            print(f"alignscope pid: warning: {w}", file=sys.stderr)
        out: dict[str, Any] = pid_from_joint(joint).as_dict()
    else:
        missing = [f for f, v in (("--image-model", args.image_model), ("--text-model", args.text_model),
                                  ("--label", args.label)) if not v]
        if missing:
            raise InputError(f"pid --store also needs {', '.join(missing)}")
        out = _pid_store(args)
        for warning in out.get("warnings", []):
            print(f"alignscope pid: warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        _print_pid(out)
    return 0


def _pid_store(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from engine.errors import StoreError
    from engine.store import Store
    from engine.study.discretize import DiscretizeOptions, legacy_pid_json
    from engine.study.interactions import interactions

    if args.bootstrap < 2:
        raise InputError(f"pid: --bootstrap {args.bootstrap}: the bias correction needs at least 2 resamples")
    with Store.open(args.store, mode="r") as st:
        if args.label not in st.columns():
            raise InputError(f"{args.store}: no column '{args.label}'; columns: {', '.join(st.columns())}")
        for mid in (args.image_model, args.text_model):
            if not st.is_complete(mid):
                raise StoreError(f"{args.store}: no complete embeddings for model '{mid}'; "
                                 f"the store has {st.models()}")
        a = st.embeddings(args.image_model)
        b = st.embeddings(args.text_model)
        labels = np.asarray(st.column(args.label)).astype(str)
    keep = labels != ""
    if not keep.all():
        print(f"alignscope pid: warning: {int((~keep).sum())} samples without a '{args.label}' value "
              "left out", file=sys.stderr)
    result = interactions(a[keep], b[keep], labels[keep], method=args.discretize,
                          kmeans=DiscretizeOptions(args.pca_dim, args.clusters, args.seed),
                          bootstrap=args.bootstrap, seed=args.seed)
    return legacy_pid_json(result.to_json())


def _print_pid(out: dict[str, Any]) -> None:
    ci = out.get("ci") or {}
    for key, name in (("redundancy", "redundancy R"), ("unique_1", "unique to 1 U1"),
                      ("unique_2", "unique to 2 U2"), ("synergy", "synergy S"),
                      ("total_mi", "I(X1,X2;Y)")):
        interval = f"  [{ci[key][0]:.4f}, {ci[key][1]:.4f}]" if key in ci else ""
        print(f"{name:<16} {out[key]:.6f} bits{interval}")
    print(f"solver           {out['solver']}")
    if "bias_correction" in out:
        print(f"bias correction  {out['bias_correction']} ({out['bootstrap']} bootstrap resamples, "
              f"{out['jackknife_groups']} jackknife groups; plug-in values in --json)")
    cells = out.get("cells")
    if isinstance(cells, dict):
        print(f"cells            {cells['occupied']} occupied of {cells['possible']} "
              f"({cells['samples_per_occupied_cell']:.1f} samples per occupied cell)")
    disc = out.get("discretization")
    if isinstance(disc, dict):
        for side, num in (("image", "1"), ("text", "2")):
            print(f"discretisation {num} {disc['method']}, {disc['n_clusters'][side]} codes: keeps "
                  f"{disc['kept_bits'][side]:.3f} bits of the label, probe bound {disc['probe_bits'][side]:.3f} "
                  f"(H(Y) = {disc['label_entropy_bits']:.3f})")


def _analyze(args: argparse.Namespace) -> int:
    from engine.study.analyze import analyze_store

    if not args.store.is_file():
        raise InputError(f"{args.store}: no such store file")
    result = analyze_store(args.store, args.label, seed=args.seed, progress=stderr_progress(),
                           use_cache=not args.no_cache, image_model=args.image_model,
                           text_model=args.text_model)
    if args.json:
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False, allow_nan=False))
        return 0
    from engine.safe_io import terminal_text

    for line in analysis_lines(result):
        print(terminal_text(line))
    return 0


def analysis_lines(result: Any) -> list[str]:
    """`analyze` without --json: the headline, what was chosen and how to change it, the
    findings, the recommendation, and the notes that qualify the numbers."""
    lines = [f"AlignScope study of {result.store} ({result.n} samples)"]
    if result.headline:
        lines += ["", result.headline, ""]
    label = result.label
    lines.append(f"label: {label.column or 'none'} ({label.reason}; change: --label COLUMN)")
    lines.append(f"models: {result.models.reason.text} (change: --image-model ID --text-model ID)")
    lines += [f"- {f.text}" for f in result.findings]
    if result.recommendation is not None:
        lines.append(f"Recommendation ({result.recommendation.decision}): {result.recommendation.text}")
    het = result.heterogeneity
    if het is not None and het.transfer is not None and het.transfer < 0:
        lines.append(f"note: heterogeneity transfer loss measured {het.transfer:.2f} bits per sample: below 0 "
                     "only by chance (a loss is >= 0 in expectation); read it as 0")
    pair = result.default_pair()
    notes = [*result.notes, *(pair.notes if pair is not None else ())]
    lines += [f"note: {n}" for n in dict.fromkeys(n.text for n in notes)]
    lines.append(f"which pairs disagree: alignscope suspects --store {result.store}; "
                 f"every number: alignscope analyze --store {result.store} --json")
    return lines


def _int_list(text: str, option: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError as exc:
        raise InputError(f"{option}: expected comma-separated integers, got {text!r}") from exc
    if not values:
        raise InputError(f"{option}: give at least one value")
    return values


def _synth_config(args: argparse.Namespace) -> Any:
    from dataclasses import replace

    from engine.synth.calibrate import FULL, QUICK

    config = QUICK if args.quick else FULL
    if args.seeds:
        config = replace(config, seeds=_int_list(args.seeds, "--seeds"))
    if args.samples is not None:
        config = replace(config, n_samples=args.samples)
    if args.epochs:
        epochs = _int_list(args.epochs, "--epochs")
        if len(epochs) != 2 or min(epochs) < 1:
            raise InputError(f"--epochs: expected two positive integers E1,E2, got {args.epochs!r}")
        config = replace(config, epochs_fixed=epochs[0], epochs_transformed=epochs[1])
    if args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    return config


def _synth(args: argparse.Namespace) -> int:
    from engine.synth.calibrate import run_sweep, write_outputs

    config = _synth_config(args)
    result = run_sweep(config, out_dir=args.out, progress=stderr_progress(), jobs=args.jobs)
    if args.out is not None:
        write_outputs(result, args.out)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"Synthetic calibration ({'quick' if args.quick else 'full'}, {result['seconds']:.0f} s, "
          f"{result['cells_done']}/{result['cells_total']} cells)")
    for key, per in (("spearman_alignment_vs_U", "D_phi"), ("spearman_alignment_vs_Dphi", "U")):
        print(f"{key} (per {per}):")
        for metric, vals in result[key].items():
            cells = "  ".join(f"{k}: {'-' if v is None else f'{v:+.2f}'}" for k, v in vals.items())
            print(f"  {metric:<22} {cells}")
    print("median ρ(alignment, performance) per U:")
    medians = {u: v["median_spearman"] for u, v in result["alignment_performance"]["by_uniqueness"].items()}
    print("  " + "  ".join(f"U={u}: {'-' if m is None else f'{m:+.2f}'}" for u, m in medians.items()))
    print(f"targets met: {result['targets_met']}")
    return 0
