"""The calibration sweep behind ``alignscope synth``: alignment vs uniqueness U and heterogeneity D_phi.

For every (U, D_phi): draw a dataset with the paper's generator, train one MLP encoder per
modality on the label, and measure alignment as the maximum over pairs of hidden layers of
the metric on a held-out evaluation batch (rows L2-normalised). Then Spearman ρ(alignment, U)
per D_phi and ρ(alignment, D_phi) per U. The modality-2 encoder does not depend on D_phi, so
it is trained once per U.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.progress import Progress, report
from engine.synth.generator import generate

DEFAULT_LABEL_SEED = 6  # I(X1,X2;Y) = 1.158 nats with T = 0.05 (the paper: ≈ 1.159)
SYNTH_METRICS = ("mutual_knn", "unbiased_cka_linear")

# The paper's figures (Tjandrasuwita et al. 2025), for the side-by-side table.
PAPER_RHO_VS_U: dict[str, dict[str, float]] = {
    "unbiased_cka_linear": {"1": -0.95, "3": -0.83, "5": -0.98, "7": -0.98, "9": -1.0},
    "mutual_knn": {"1": -0.95, "3": -0.95, "5": -0.98, "7": -0.98, "9": -1.0},
}
PAPER_RHO_VS_DPHI: dict[str, dict[str, float]] = {
    "unbiased_cka_linear": {"0": -0.92, "2": -0.71, "4": -0.44, "6": -0.77},
    "mutual_knn": {"0": -0.94, "2": -0.65, "4": -0.31, "6": -0.59},
}


@dataclass(frozen=True)
class SynthConfig:
    """Sizes of the sweep. The paper: 65,536 samples, 70/15/15, 512-sample alignment batch, k=100."""

    u_values: tuple[int, ...] = tuple(range(9))
    dphi_values: tuple[int, ...] = tuple(range(10))
    n_train: int = 16384
    n_eval: int = 512
    depth: int = 4
    width: int = 12
    epochs: int = 40
    k: int = 100
    seeds: tuple[int, ...] = (0, 1)
    label_seed: int = DEFAULT_LABEL_SEED
    metrics: tuple[str, ...] = field(default=SYNTH_METRICS)
    heterogeneity_check: bool = True  # also validate the heterogeneity scores (D_phi = 0..8, U = 0)


QUICK = SynthConfig(dphi_values=(0, 1, 3, 5), n_train=8192, epochs=20, seeds=(0,))
FULL = SynthConfig()


def _unit_rows(x: NDArray[Any]) -> NDArray[np.float32]:
    arr = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    out: NDArray[np.float32] = arr / np.maximum(norms, 1e-12)
    return out


def max_layer_alignment(layers1: list[NDArray[np.float32]], layers2: list[NDArray[np.float32]],
                        metrics: tuple[str, ...], k: int) -> dict[str, float]:
    """Maximum over hidden-layer pairs of each metric (rows L2-normalised first)."""
    from engine.metrics import compute_metrics

    best = {m: -np.inf for m in metrics}
    l1 = [_unit_rows(a) for a in layers1]
    l2 = [_unit_rows(b) for b in layers2]
    for a in l1:
        for b in l2:
            res = compute_metrics(a, b, k=min(k, a.shape[0] - 1), metrics=list(metrics),
                                  normalize=False)
            for m in metrics:
                val = float(res[m])
                if np.isfinite(val):
                    best[m] = max(best[m], val)
    return {m: (float(v) if np.isfinite(v) else float("nan")) for m, v in best.items()}


def _spearman(x: list[float], y: list[float]) -> float | None:
    from scipy.stats import spearmanr

    if len(x) < 3 or np.ptp(np.asarray(y)) == 0:
        return None
    rho = float(spearmanr(x, y)[0])
    return rho if np.isfinite(rho) else None


def run_sweep(config: SynthConfig = QUICK, *, progress: Progress | None = None,
              threads: int | None = 1) -> dict[str, Any]:
    """Run the sweep; return the JSON object of ``alignscope synth --json``."""
    from engine.synth.train_torch import train_mlp

    started = time.perf_counter()
    total = len(config.seeds) * len(config.u_values) * (1 + len(config.dphi_values))
    done = 0
    rows: list[dict[str, Any]] = []
    n_all = config.n_train + config.n_eval
    for seed in config.seeds:
        for u in config.u_values:
            r = 8 - u
            base = generate(n_all, r, 0, seed=seed, label_seed=config.label_seed)
            tr, ev = slice(0, config.n_train), slice(config.n_train, n_all)
            enc2 = train_mlp(base.x2[tr], base.y[tr], base.x2[ev], base.y[ev], depth=config.depth,
                             width=config.width, epochs=config.epochs, seed=seed, threads=threads)
            done += 1
            report(progress, done, total, f"seed {seed}: U={u} modality 2 trained")
            for d_phi in config.dphi_values:
                data = generate(n_all, r, d_phi, seed=seed, label_seed=config.label_seed)
                enc1 = train_mlp(data.x1[tr], data.y[tr], data.x1[ev], data.y[ev],
                                 depth=config.depth, width=config.width, epochs=config.epochs,
                                 seed=seed + 1000, threads=threads)
                align = max_layer_alignment(enc1.layers, enc2.layers, config.metrics, config.k)
                rows.append({"seed": seed, "U": u, "D_phi": d_phi, **align,
                             "accuracy_1": enc1.accuracy, "accuracy_2": enc2.accuracy})
                done += 1
                report(progress, done, total, f"seed {seed}: U={u} D_phi={d_phi}")
    out = summarise(rows, config, seconds=time.perf_counter() - started)
    if config.heterogeneity_check:
        from engine.study.heterogeneity import validate_on_generator

        t0 = time.perf_counter()
        out["heterogeneity_validation"] = validate_on_generator(label_seed=config.label_seed)
        out["heterogeneity_validation"]["seconds"] = time.perf_counter() - t0
        out["seconds"] = time.perf_counter() - started
    return out


def _mean_over_seeds(rows: list[dict[str, Any]], metric: str) -> dict[tuple[int, int], float]:
    acc: dict[tuple[int, int], list[float]] = {}
    for row in rows:
        acc.setdefault((row["U"], row["D_phi"]), []).append(float(row[metric]))
    return {key: float(np.mean(v)) for key, v in acc.items()}


def summarise(rows: list[dict[str, Any]], config: SynthConfig, *, seconds: float) -> dict[str, Any]:
    """Spearman correlations (on seed-averaged alignment) plus the raw rows."""
    vs_u: dict[str, dict[str, float | None]] = {}
    vs_d: dict[str, dict[str, float | None]] = {}
    table: dict[str, dict[str, dict[str, float]]] = {}
    for m in config.metrics:
        mean = _mean_over_seeds(rows, m)
        vs_u[m] = {}
        for d in config.dphi_values:
            us = [u for u in config.u_values if (u, d) in mean]
            vs_u[m][str(d)] = _spearman([float(u) for u in us], [mean[(u, d)] for u in us])
        vs_d[m] = {}
        for u in config.u_values:
            ds = [d for d in config.dphi_values if (u, d) in mean]
            vs_d[m][str(u)] = _spearman([float(d) for d in ds], [mean[(u, d)] for d in ds])
        table[m] = {f"U={u}": {f"D_phi={d}": mean[(u, d)] for d in config.dphi_values
                               if (u, d) in mean} for u in config.u_values}
    targets = {
        "rho_vs_U_at_Dphi_1_3_5_le_-0.8": all(
            (vs_u[m].get(str(d)) is not None and (vs_u[m][str(d)] or 0.0) <= -0.8)
            for m in ("mutual_knn", "unbiased_cka_linear") if m in vs_u
            for d in (1, 3, 5) if d in config.dphi_values),
        "rho_vs_Dphi_at_U0_negative": all(
            (vs_d[m].get("0") is not None and (vs_d[m]["0"] or 0.0) < 0)
            for m in ("mutual_knn", "unbiased_cka_linear") if m in vs_d),
    }
    return {
        "spearman_alignment_vs_U": vs_u,
        "spearman_alignment_vs_Dphi": vs_d,
        "alignment": table,
        "targets_met": targets,
        "paper": {"spearman_alignment_vs_U": PAPER_RHO_VS_U,
                  "spearman_alignment_vs_Dphi": PAPER_RHO_VS_DPHI},
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(config).items()},
        "rows": rows,
        "seconds": seconds,
    }


def write_outputs(result: dict[str, Any], out_dir: str | Path) -> list[Path]:
    """Write synth.json (the whole result) and synth_rows.csv (one row per run) into out_dir."""
    import csv
    import json

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the output folder ({exc})") from exc
    json_path = out / "synth.json"
    json_path.write_text(json.dumps(result, indent=2), encoding="utf-8")
    csv_path = out / "synth_rows.csv"
    rows = result.get("rows", [])
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        if rows:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return [json_path, csv_path]
