"""Is a held-out store neither trivial nor noise? Probes, mutual k-NN, planted-row ranks.

    python -m benchmarks.heldout.sanity STORE.h5 [--dataset DIR] [--label COL]... [--k 10]

Prints, per image × text model pair: linear-probe accuracy of each modality on each label
(engine.study.probes.linear_probe, 5-fold) beside the majority-class rate, mutual k-NN
against its chance level k/(n−1), and, with the dataset's planted.json, how the planted
mismatched rows rank by per-sample neighbour overlap (lower = more suspect): how many sit
in the P lowest, and the AUROC of "low overlap" for "planted" — and, as a reference
detector, by the cosine between each report embedding and the one predicted from its image
by a cross-fitted ridge map (PCA-32 of each side, 5 folds).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from engine.metrics.api import compute_metrics, per_sample_overlap
from engine.store.store import Store
from engine.study.probes import chance_accuracy, linear_probe, reduce_features


@dataclass(frozen=True)
class Figures:
    image_model: str
    text_model: str
    n: int
    probes: dict[str, dict[str, float]]  # label → {"image", "text", "majority"}
    mutual_knn: float
    chance_knn: float
    planted: int
    planted_in_lowest: int  # planted rows among the P lowest overlaps
    planted_auroc: float
    linear_in_lowest: int  # the same for the cross-fitted linear-map score
    linear_auroc: float


def auroc(scores_pos: np.ndarray, scores_neg: np.ndarray) -> float:
    """P(a positive scores higher than a negative), ties counted half."""
    if scores_pos.size == 0 or scores_neg.size == 0:
        return float("nan")
    allv = np.concatenate([scores_pos, scores_neg])
    order = np.argsort(allv, kind="mergesort")
    ranks = np.empty(allv.size, dtype=np.float64)
    sorted_v = allv[order]
    i = 0
    while i < allv.size:  # average ranks of ties
        j = i
        while j + 1 < allv.size and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: scores_pos.size].sum()
    return float((r_pos - scores_pos.size * (scores_pos.size + 1) / 2) / (scores_pos.size * scores_neg.size))


def linear_map_score(a: np.ndarray, b: np.ndarray, dim: int = 32, ridge: float = 1.0,
                     folds: int = 5, seed: int = 0) -> np.ndarray:
    """[n] cosine between each row's B and the B predicted from its A by a ridge map fitted
    on the other folds (lower = the pair fits the image→report relation worse)."""
    xa, xb = reduce_features(a, dim), reduce_features(b, dim)
    xa = (xa - xa.mean(0)) / (xa.std(0) + 1e-12)
    xb = (xb - xb.mean(0)) / (xb.std(0) + 1e-12)
    fold = np.random.default_rng(seed).permutation(len(xa)) % folds
    score = np.empty(len(xa))
    for f in range(folds):
        train, test = fold != f, fold == f
        w = np.linalg.solve(xa[train].T @ xa[train] + ridge * np.eye(xa.shape[1]),
                            xa[train].T @ xb[train])
        pred = xa[test] @ w
        score[test] = (pred * xb[test]).sum(1) / (
            np.linalg.norm(pred, axis=1) * np.linalg.norm(xb[test], axis=1) + 1e-12)
    return score


def _planted_ranks(score: np.ndarray, mask: np.ndarray) -> tuple[int, float]:
    p = int(mask.sum())
    lowest = np.argsort(score, kind="stable")[:p]
    return int(mask[lowest].sum()), auroc(-score[mask], -score[~mask])


def check_store(store: Path, labels: list[str] | None = None, planted_ids: list[str] | None = None,
                k: int = 10) -> list[Figures]:
    with Store.open(store) as st:
        ids = list(st.sample_ids())
        columns = labels or list(st.label_columns())[:3]
        values = {c: list(st.column(c)) for c in columns}
        models = st.models()
        image_models = list(models.get("image", []))
        text_models = list(models.get("text", []))
        emb = {m: np.asarray(st.embeddings(m), np.float32) for m in image_models + text_models}
    planted_rows = np.asarray([ids.index(i) for i in (planted_ids or []) if i in ids], dtype=np.int64)
    out: list[Figures] = []
    for im in image_models:
        for tm in text_models:
            a, b = emb[im], emb[tm]
            probes: dict[str, dict[str, float]] = {}
            for col in columns:
                y = values[col]
                probes[col] = {"image": linear_probe(a, y, n_boot=1).accuracy,
                               "text": linear_probe(b, y, n_boot=1).accuracy,
                               "majority": chance_accuracy(y)}
            mknn = float(compute_metrics(a, b, k=k, metrics="mutual_knn")["mutual_knn"])
            mask = np.zeros(len(ids), dtype=bool)
            mask[planted_rows] = True
            knn_low, knn_auc = _planted_ranks(per_sample_overlap(a, b, k=k), mask)
            lin_low, lin_auc = _planted_ranks(linear_map_score(a, b), mask)
            out.append(Figures(im, tm, len(ids), probes, mknn, k / (len(ids) - 1),
                               int(mask.sum()), knn_low, knn_auc, lin_low, lin_auc))
    return out


def format_figures(f: Figures) -> str:
    lines = [f"{f.image_model} × {f.text_model}  (n={f.n})",
             f"  mutual kNN {f.mutual_knn:.3f}  (chance {f.chance_knn:.3f}, ×{f.mutual_knn / f.chance_knn:.0f})"]
    for col, p in f.probes.items():
        lines.append(f"  probe {col!s:14} image {p['image']:.3f}  text {p['text']:.3f}  "
                     f"(majority {p['majority']:.3f})")
    if f.planted:
        lines.append(f"  planted {f.planted}: kNN overlap {f.planted_in_lowest} among the {f.planted} "
                     f"lowest, AUROC {f.planted_auroc:.3f}; cross-fitted linear map "
                     f"{f.linear_in_lowest} among the lowest, AUROC {f.linear_auroc:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.heldout.sanity")
    parser.add_argument("store", type=Path)
    parser.add_argument("--dataset", type=Path, help="dataset folder holding planted.json")
    parser.add_argument("--label", action="append", help="label column (repeatable)")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    planted: list[str] = []
    if args.dataset is not None:
        planted = json.loads((args.dataset / "planted.json").read_text("utf-8"))["mismatched"]
    figures = check_store(args.store, args.label, planted, args.k)
    if args.json:
        print(json.dumps([asdict(f) for f in figures], ensure_ascii=False, indent=1))
    else:
        print(f"== {args.store}")
        for f in figures:
            print(format_figures(f))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
