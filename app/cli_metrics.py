"""`alignscope metrics`: alignment metrics of two paired feature matrices (files or a store).

    alignscope metrics A.npy B.npy [--k 10] [--metrics all|NAME,...] [--rbf-sigma 1.0]
        [--svcca-dim 10] [--clamp-quantile Q] [--no-normalize] [--bootstrap N]
        [--permutations N] [--seed S] [--json]
    alignscope metrics --store STORE.h5 --image-model ID --text-model ID [same options]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    """Add `metrics` to the `alignscope` parser."""
    p = sub.add_parser(
        "metrics",
        help="alignment metrics between two paired representation spaces",
        description=(
            "Alignment metrics (mutual/cycle/LCS kNN, CKA variants, CKNNA, SVCCA) between "
            "two paired feature matrices: two .npy files (row i of A pairs with row i of B) "
            "or an image model and a text model embedded in a project store."
        ),
    )
    p.add_argument("a", nargs="?", type=Path, metavar="A.npy", help="features of space A")
    p.add_argument("b", nargs="?", type=Path, metavar="B.npy", help="features of space B")
    p.add_argument("--store", type=Path, metavar="STORE.h5", help="project store instead of files")
    p.add_argument("--image-model", metavar="ID", help="image model id in the store (space A)")
    p.add_argument("--text-model", metavar="ID", help="text model id in the store (space B)")
    p.add_argument("--k", type=int, default=10, help="neighbours for kNN metrics and cknna (10)")
    p.add_argument("--metrics", default="all", help="all, or a comma-separated list of metric names")
    p.add_argument("--rbf-sigma", type=float, default=1.0, help="RBF kernel width σ (1.0)")
    p.add_argument("--svcca-dim", type=int, default=10, help="SVCCA subspace dimension (10)")
    p.add_argument(
        "--clamp-quantile", type=float, default=None, metavar="Q",
        help="clamp values to ±(Q-quantile of |x|) before normalising (off; not rotation-invariant)",
    )
    p.add_argument("--no-normalize", action="store_true", help="do not L2-normalise rows")
    p.add_argument("--bootstrap", type=int, default=0, metavar="N", help="bootstrap resamples for CIs")
    p.add_argument("--permutations", type=int, default=0, metavar="N", help="permutations for the null")
    p.add_argument("--seed", type=int, default=0, help="random seed (subsampling, bootstrap, null)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=run_metrics)


def _load_npy(path: Path, name: str) -> Any:
    import numpy as np

    from engine.errors import InputError

    if not path.exists():
        raise InputError(f"{path}: no such file ({name})")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a .npy file ({name})")
    with path.open("rb") as fh:
        magic = fh.read(6)
    if magic != b"\x93NUMPY":
        raise InputError(
            f"{path}: not a readable .npy array (no NumPy header); save the features "
            "with numpy.save as a 2-D float32/float64 array"
        )
    try:
        return np.load(path, allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "pickle" in str(exc).lower():
            raise InputError(
                f"{path}: holds Python objects (pickled), not a numeric array; "
                "save the features with numpy as float32/float64"
            ) from exc
        raise InputError(f"{path}: not a readable .npy array ({exc})") from exc
    except (OSError, EOFError) as exc:
        raise InputError(f"{path}: not a readable .npy array ({exc})") from exc


def _load_inputs(args: argparse.Namespace) -> tuple[Any, Any, str]:
    from engine.errors import InputError

    if args.store is not None:
        if args.a is not None or args.b is not None:
            raise InputError("give either two .npy files or --store, not both")
        if not args.image_model or not args.text_model:
            raise InputError("--store needs --image-model ID and --text-model ID")
        from engine.store import Store

        with Store.open(args.store, mode="r") as st:
            a = st.embeddings(args.image_model)
            b = st.embeddings(args.text_model)
        return a, b, f"{args.store} ({args.image_model} vs {args.text_model})"
    if args.a is None or args.b is None:
        raise InputError("give two feature files A.npy B.npy, or --store STORE.h5 with models")
    if args.image_model or args.text_model:
        raise InputError("--image-model/--text-model only go with --store")
    return _load_npy(args.a, "A"), _load_npy(args.b, "B"), f"{args.a} vs {args.b}"


def _json_safe(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def _print_table(result: dict[str, Any], source: str, names: list[str]) -> None:
    print(f"AlignScope metrics: {source}")
    print(f"n = {result['n']}, k = {result['k']}, normalized = {result['normalized']}, "
          f"seed = {result['seed']}")
    ci = result.get("ci", {})
    null = result.get("null", {})
    head = f"{'metric':<22}{'value':>12}"
    if "ci" in result:
        head += f"{'95% CI':>26}"
    if "null" in result:
        head += f"{'null mean':>12}{'p':>10}"
    print(head)
    for m in names:
        line = f"{m:<22}{result[m]:>12.6f}"
        if "ci" in result:
            lo_hi = ci.get(m)
            line += f"{f'[{lo_hi[0]:.4f}, {lo_hi[1]:.4f}]' if lo_hi else '—':>26}"
        if "null" in result:
            nm = null.get(m)
            line += f"{nm['mean']:>12.4f}{nm['p']:>10.4f}" if nm else f"{'—':>12}{'—':>10}"
        print(line)
    for note in result.get("notes", []):
        print(f"note: {note}")


def run_metrics(args: argparse.Namespace) -> int:
    from engine.metrics import compute_metrics, resolve_metrics

    names = resolve_metrics(args.metrics)
    a, b, source = _load_inputs(args)
    result = compute_metrics(
        a, b,
        k=args.k, metrics=names, rbf_sigma=args.rbf_sigma, svcca_dim=args.svcca_dim,
        clamp_quantile=args.clamp_quantile, normalize=not args.no_normalize,
        bootstrap=args.bootstrap, permutations=args.permutations, seed=args.seed,
    )
    if args.json:
        json.dump(_json_safe(result), sys.stdout, allow_nan=False)
        sys.stdout.write("\n")
    else:
        _print_table(result, source, names)
    return 0
