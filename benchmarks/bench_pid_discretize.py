"""Label information kept by each PID discretisation, against the probes' own bound (issue 12).

    .venv/bin/python benchmarks/bench_pid_discretize.py --store data/demo.h5 --label defect_class
    .venv/bin/python benchmarks/bench_pid_discretize.py --store S.h5 --label L --image-model I --text-model T
    .venv/bin/python benchmarks/bench_pid_discretize.py --case A.h5 garment_class --case B.h5 part_type
    .venv/bin/python benchmarks/bench_pid_discretize.py --store S.h5 --label L --subsample 300
    .venv/bin/python benchmarks/bench_pid_discretize.py --synthetic    # 10 classes under nuisance directions

Per dataset: probe accuracy and information bound (H(Y) − out-of-fold cross-entropy) per modality,
then for the probe discretisation, the reference k-means with 30 clusters, and k-means with
analyze's automatic cluster count: codes per modality, the cross-fitted bits each keeps
(comparable with the probe bound: both held out) and the bias-corrected PID with the floors'
ratios I / H(Y) and (R + U_text) / text probe bound. Not a test: prints figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.store import Store  # noqa: E402
from engine.study.discretize import DiscretizeOptions, auto_clusters  # noqa: E402
from engine.study.interactions import fit_probes, interactions  # noqa: E402


def _load(path: Path, label: str | None, image: str | None, text: str | None
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, str, str, str]:
    with Store.open(path, mode="r") as st:
        models = st.models()
        image = image or sorted(models["image"])[0]
        text = text or sorted(models["text"])[0]
        label = label or st.columns()[0]
        labels = np.asarray(st.column(label)).astype(str)
        a, b = st.embeddings(image), st.embeddings(text)
    keep = labels != ""
    return a[keep], b[keep], labels[keep], label, image, text


def _share(kept: float, bound: float) -> str:
    """kept / bound as a percentage; "n/a" when the probe's bound is ~0 (an overconfident probe)."""
    return f"{kept / bound:4.0%}" if bound >= 0.05 else " n/a"


def bench(name: str, a: np.ndarray, b: np.ndarray, labels: np.ndarray, bootstrap: int) -> None:
    t0 = time.process_time()
    probes = fit_probes(a, b, labels)
    acc = [float(np.mean(p.pred == p.y)) for p in probes]
    n, n_classes = labels.size, len(probes[0].classes)
    print(f"== {name}: n {n}, {n_classes} classes, H(Y) {probes[0].label_entropy_bits():.3f} bits; "
          f"probe accuracy image {acc[0]:.3f} text {acc[1]:.3f}; probe bound image "
          f"{probes[0].information_lower_bound_bits():.3f} text {probes[1].information_lower_bound_bits():.3f}")
    auto = auto_clusters(n, n_classes)
    for method, clusters in (("probe", 0), ("kmeans", 30), ("kmeans", auto)):
        res = interactions(a, b, labels, probes=probes, method=method,
                           kmeans=DiscretizeOptions(5, clusters or 30, 0), bootstrap=bootstrap)
        d = res.discretization
        hy = d.label_entropy_bits
        label = method if method == "probe" else f"kmeans({clusters})"
        print(f"  {label:<11} codes {d.n_clusters['image']:>2}/{d.n_clusters['text']:>2}  kept image "
              f"{d.kept_bits['image']:.3f} ({_share(d.kept_bits['image'], d.probe_bits['image'])} of probe) "
              f"text {d.kept_bits['text']:.3f} ({_share(d.kept_bits['text'], d.probe_bits['text'])})  | "
              f"R {res.redundancy:.3f} Ui {res.unique_image:.3f} Ut {res.unique_text:.3f} S {res.synergy:.3f} "
              f"I {res.total_mi:.3f} (I/H(Y) {res.total_mi / hy:.2f}; R+Ut / text probe "
              f"{(res.redundancy + res.unique_text) / max(d.probe_bits['text'], 1e-9):.2f}; plug-in S "
              f"{res.plugin['synergy']:.3f}; {res.cells.samples_per_occupied_cell:.1f}/occupied cell)", flush=True)
    print(f"  ({time.process_time() - t0:.0f} s CPU)")


def ten_class_views(n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """10 classes linearly readable in both 64-d views (probe accuracy > 0.9 each), hidden under
    5 louder nuisance directions and a random rotation (as tests/test_discretize.py)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, size=n)

    def view(scale: float) -> np.ndarray:
        z = rng.normal(size=(10, 64))[y] * scale + rng.normal(size=(n, 64))
        z[:, :5] += 6.0 * rng.normal(size=(n, 5))
        out: np.ndarray = z @ np.linalg.qr(rng.normal(size=(64, 64)))[0]
        return out

    return view(0.55), view(0.6), y.astype(str)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, action="append", default=[], help="with --label")
    ap.add_argument("--label")
    ap.add_argument("--case", nargs=2, action="append", default=[], metavar=("STORE", "LABEL"),
                    help="a store and its label column (repeatable)")
    ap.add_argument("--image-model")
    ap.add_argument("--text-model")
    ap.add_argument("--synthetic", action="store_true", help="also the synthetic 10-class case")
    ap.add_argument("--subsample", type=int, default=0, help="also run on this many random rows")
    ap.add_argument("--bootstrap", type=int, default=100)
    args = ap.parse_args()
    targets: list[tuple[Path, str | None]] = [(p, args.label) for p in args.store]
    targets += [(Path(p), lab) for p, lab in args.case]
    if args.synthetic:
        bench("synthetic 10 classes (n 1000)", *ten_class_views(), args.bootstrap)
    for path, label in targets:
        a, b, labels, label, image, text = _load(path, label, args.image_model, args.text_model)
        bench(f"{path} [{label}] {image} × {text}", a, b, labels, args.bootstrap)
        if args.subsample and args.subsample < labels.size:
            idx = np.random.default_rng(0).permutation(labels.size)[:args.subsample]
            bench(f"{path} [{label}] first {args.subsample} of a shuffle", a[idx], b[idx], labels[idx],
                  args.bootstrap)


if __name__ == "__main__":
    main()
