"""The explicit-alignment trial: does learning an alignment buy cross-modal retrieval?

On a train split fit (1) the best linear (ridge) map from each space into the other — what
the untrained spaces already share linearly; (2) CCA into a shared space; (3) a contrastive
InfoNCE linear head pair (torch). Then recall@1/5/10 on the held-out pairs, image→report and
report→image, with bootstrap intervals over queries, against chance (k / n_test).
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
from numpy.typing import NDArray

from engine.errors import InputError
from engine.study import scale_notes
from engine.study.messages import Message, msg
from engine.study.reduce import FIT_MAX_ROWS
from engine.study.result import Interval, Retrieval, RetrievalMethod

KS = (1, 5, 10)
MAX_TEST = 10_000  # held-out pairs ranked: recall@k among this many (each query ranks all of them)
RANK_BLOCK_ELEMENTS = 1 << 23  # similarities per block of queries (64 MB in float64)
CONTRASTIVE_EPOCHS = 60
CONTRASTIVE_BATCH = 256
CONTRASTIVE_MAX_STEPS = 2_000  # optimiser steps of the contrastive head (60 epochs up to ~8,700 train pairs)


def _prep(x: NDArray[Any], train: NDArray[np.int64], max_dim: int
          ) -> NDArray[np.float64]:
    """Row-normalise, centre and PCA-reduce with statistics from the train rows only, then
    standardise each coordinate by its train spread (by blocks of rows: engine.study.reduce)."""
    from engine.study.reduce import fit_axes

    arr = fit_axes(x, max_dim, rows=np.sort(train), fit_cap=FIT_MAX_ROWS).apply(x)
    sd = arr[train].std(axis=0)
    sd[sd < 1e-12] = 1.0
    arr /= sd
    return arr


def recall_hits(query: NDArray[Any], gallery: NDArray[Any], ks: tuple[int, ...] = KS
                ) -> dict[int, NDArray[np.bool_]]:
    """Per-query hit indicators: is gallery row i among the top-k by cosine for query row i?

    Ranked by blocks of queries (memory O(block · n), never the n×n similarity)."""
    q = np.asarray(query, dtype=np.float64)
    g = np.asarray(gallery, dtype=np.float64)
    q = q / np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-12)
    g = g / np.maximum(np.linalg.norm(g, axis=1, keepdims=True), 1e-12)
    n = q.shape[0]
    rank = np.empty(n, dtype=np.int64)  # 0 = the paired item is the best match
    step = max(1, RANK_BLOCK_ELEMENTS // max(g.shape[0], 1))
    for lo in range(0, n, step):
        hi = min(lo + step, n)
        sim = q[lo:hi] @ g.T
        true = sim[np.arange(hi - lo), np.arange(lo, hi)]
        rank[lo:hi] = (sim > true[:, None]).sum(axis=1)
    return {k: rank < k for k in ks}


def _summ(hits: dict[int, NDArray[np.bool_]], n_boot: int, seed: int) -> tuple[dict[str, float],
                                                                                 dict[str, Interval]]:
    rng = np.random.default_rng(seed)
    rec = {str(k): float(h.mean()) for k, h in hits.items()}
    ci: dict[str, Interval] = {}
    n = next(iter(hits.values())).size
    boots = [rng.integers(0, n, size=n) for _ in range(n_boot)]
    for k, h in hits.items():
        vals = np.array([h[idx].mean() for idx in boots])
        ci[str(k)] = (float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5)))
    return rec, ci


def _ridge(x: NDArray[np.float64], y: NDArray[np.float64], alpha: float) -> NDArray[np.float64]:
    d = x.shape[1]
    out: NDArray[np.float64] = np.asarray(np.linalg.solve(x.T @ x + alpha * np.eye(d), x.T @ y), dtype=np.float64)
    return out


def _inv_sqrt(c: NDArray[np.float64]) -> NDArray[np.float64]:
    w, v = np.linalg.eigh(c)
    out: NDArray[np.float64] = (v / np.sqrt(np.maximum(w, 1e-12))) @ v.T
    return out


def cca_projections(a: NDArray[np.float64], b: NDArray[np.float64], dim: int, reg: float = 1e-1
                    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Regularised CCA on centred a, b: projections Wa, Wb and canonical correlations."""
    n = a.shape[0]
    caa = a.T @ a / n + reg * np.eye(a.shape[1])
    cbb = b.T @ b / n + reg * np.eye(b.shape[1])
    cab = a.T @ b / n
    ia, ib = _inv_sqrt(caa), _inv_sqrt(cbb)
    u, s, vt = np.linalg.svd(ia @ cab @ ib)
    d = min(dim, s.size)
    return ia @ u[:, :d], ib @ vt[:d].T, s[:d]


def retrieval_trial(image: NDArray[Any], text: NDArray[Any], *, test_frac: float = 0.3, seed: int = 0,
                    max_dim: int = 128, shared_dim: int = 32, n_boot: int = 200,
                    contrastive: bool = True, device: str = "cpu") -> tuple[Retrieval, list[Message]]:
    """Run the three methods; the typed result and notes (e.g. why a method was skipped)."""
    from engine.study.blas import one_blas_thread

    with one_blas_thread():
        return _retrieval_trial(image, text, test_frac, seed, max_dim, shared_dim, n_boot,
                                contrastive, device)


def contrastive_epochs(n_train: int) -> int:
    """60 epochs, fewer when they would exceed CONTRASTIVE_MAX_STEPS optimiser steps (large n:
    each epoch then already sees many batches; the cost stays constant)."""
    per_epoch = max(1, n_train // min(CONTRASTIVE_BATCH, max(n_train, 1)))
    return max(1, min(CONTRASTIVE_EPOCHS, CONTRASTIVE_MAX_STEPS // per_epoch))


def _split(n: int, n_text: int, test_frac: float, seed: int
           ) -> tuple[NDArray[np.int64], NDArray[np.int64], list[Message]]:
    """Held-out test rows and training rows (both sorted) and the notes on any cap."""
    if n_text != n:
        raise InputError("retrieval: image and text embeddings differ in row count")
    if n < 40:
        raise InputError(f"retrieval: {n} pairs are too few for a train/test trial (need >= 40)")
    perm = np.random.default_rng(seed).permutation(n)
    n_test = max(round(n * test_frac), 20)
    notes: list[Message] = []
    if n_test > MAX_TEST:
        notes.append(scale_notes.retrieval_test_cap(n, n_test, MAX_TEST))
        n_test = MAX_TEST
    test, train = np.sort(perm[:n_test]), np.sort(perm[n_test:])
    if train.size > FIT_MAX_ROWS:
        notes.append(scale_notes.retrieval_axes_sample(FIT_MAX_ROWS, train.size))
    return test.astype(np.int64), train.astype(np.int64), notes


def _retrieval_trial(image: NDArray[Any], text: NDArray[Any], test_frac: float, seed: int,
                     max_dim: int, shared_dim: int, n_boot: int, contrastive: bool, device: str
                     ) -> tuple[Retrieval, list[Message]]:
    test, train, notes = _split(np.asarray(image).shape[0], np.asarray(text).shape[0], test_frac, seed)
    a = _prep(image, train, max_dim)
    b = _prep(text, train, max_dim)
    at, bt, ae, be = a[train], b[train], a[test], b[test]
    methods: dict[str, RetrievalMethod] = {}

    def record(name: str, i2t: dict[int, NDArray[np.bool_]], t2i: dict[int, NDArray[np.bool_]],
               canonical: tuple[float, ...] = ()) -> None:
        r1, c1 = _summ(i2t, n_boot, seed)
        r2, c2 = _summ(t2i, n_boot, seed + 1)
        methods[name] = RetrievalMethod(image_to_text=r1, text_to_image=r2,
                                        ci={"image_to_text": c1, "text_to_image": c2},
                                        canonical_correlations=canonical)

    # (1) best linear map of the untrained spaces: ridge into the other space, both directions
    alpha = 1.0 * at.shape[0] / 100.0
    m_ab = _ridge(at, bt, alpha)
    m_ba = _ridge(bt, at, alpha)
    record("linear_map", recall_hits(ae @ m_ab, be), recall_hits(be @ m_ba, ae))
    # (2) CCA shared space
    wa, wb, corr = cca_projections(at, bt, shared_dim)
    record("cca", recall_hits(ae @ wa, be @ wb), recall_hits(be @ wb, ae @ wa),
           tuple(float(c) for c in corr[:10]))
    # (3) contrastive InfoNCE head (needs torch: present in a developer set-up, absent from the
    # offline bundle, where the trial reports the first two methods and says why)
    if contrastive and importlib.util.find_spec("torch") is None:
        notes.append(msg("n_no_torch"))
    elif contrastive:
        from engine.study.contrastive_torch import train_contrastive_heads

        epochs = contrastive_epochs(at.shape[0])
        if epochs < CONTRASTIVE_EPOCHS:
            notes.append(scale_notes.contrastive_epochs(epochs, CONTRASTIVE_EPOCHS, at.shape[0],
                                                        CONTRASTIVE_MAX_STEPS))
        ha, hb = train_contrastive_heads(at, bt, dim=shared_dim * 2, seed=seed, epochs=epochs,
                                         batch_size=CONTRASTIVE_BATCH, device=device, threads=1)
        record("contrastive", recall_hits(ae @ ha, be @ hb), recall_hits(be @ hb, ae @ ha))

    base = methods["linear_map"].mean_recall()
    best = max(methods, key=lambda k: (methods[k].mean_recall(), k))
    result = Retrieval(n_train=int(train.size), n_test=int(test.size),
                       chance={str(k): min(k / test.size, 1.0) for k in KS}, methods=methods, best=best,
                       gain_over_linear_map={name: m.mean_recall() - base for name, m in methods.items()})
    return result, notes
