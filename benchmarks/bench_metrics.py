"""Benchmark of the metrics engine (issue 4). Not a test: prints figures and ratios.

    .venv/bin/python benchmarks/bench_metrics.py knn --n 100000     # mutual_knn k=10 vs GEMM floor
    .venv/bin/python benchmarks/bench_metrics.py cka --n 1000000    # unbiased linear CKA vs AᵀA, BᵀB, AᵀB
    .venv/bin/python benchmarks/bench_metrics.py all --n 10000      # all metrics vs naive n×n
    .venv/bin/python benchmarks/bench_metrics.py suite              # the three above, each in a subprocess

Features are float32, A 1280-d and B 384-d, rows L2-normalised, B partly determined by A
(so that the metrics are not at chance). Each case runs in its own process and reports
its peak RSS (ru_maxrss). Data generation is not timed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DA, DB = 1280, 384


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB


def make_pair(n: int, seed: int = 0, chunk: int = 32768) -> tuple[np.ndarray, np.ndarray]:
    """Chunked generation into preallocated float32 arrays (no float64 n×d temporaries)."""
    rng = np.random.default_rng(seed)
    mix = rng.standard_normal((DA, DB)).astype(np.float32) / np.sqrt(DA)
    a = np.empty((n, DA), dtype=np.float32)
    b = np.empty((n, DB), dtype=np.float32)
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        xa = rng.standard_normal((hi - lo, DA), dtype=np.float32)
        xa += 0.3  # a common offset, as real embeddings have
        xb = xa @ mix + rng.standard_normal((hi - lo, DB), dtype=np.float32)
        xa /= np.linalg.norm(xa, axis=1, keepdims=True)
        xb /= np.linalg.norm(xb, axis=1, keepdims=True)
        a[lo:hi], b[lo:hi] = xa, xb
    return a, b


def bench_knn(n: int, k: int) -> dict[str, float]:
    from engine.metrics import compute_metrics
    from engine.metrics.knn import block_rows_for

    a, b = make_pair(n)
    rows = block_rows_for(n, 4)
    buf = np.empty((rows, n), dtype=np.float32)
    t0 = time.perf_counter()
    for x in (a, b):
        xt = x.T
        for lo in range(0, n, rows):
            hi = min(lo + rows, n)
            np.matmul(x[lo:hi], xt, out=buf[: hi - lo])
    floor = time.perf_counter() - t0
    del buf
    t0 = time.perf_counter()
    out = compute_metrics(a, b, k=k, metrics="mutual_knn")
    took = time.perf_counter() - t0
    return {"n": n, "k": k, "block_rows": rows, "gemm_floor_s": floor, "mutual_knn_s": took,
            "ratio": took / floor, "mutual_knn": out["mutual_knn"], "peak_rss_gb": peak_rss_gb()}


def bench_cka(n: int) -> dict[str, float]:
    from engine.metrics import compute_metrics

    a, b = make_pair(n)
    t0 = time.perf_counter()
    gaa = a.T @ a
    gbb = b.T @ b
    gab = a.T @ b
    floor = time.perf_counter() - t0
    del gaa, gbb, gab
    # rows are already unit length: normalize=False avoids a second 6.6 GB copy at n=1M
    t0 = time.perf_counter()
    out = compute_metrics(a, b, metrics="unbiased_cka_linear,cka_linear,svcca", normalize=False)
    took = time.perf_counter() - t0
    return {"n": n, "floor_s": floor, "cka_s": took, "ratio": took / floor,
            "unbiased_cka_linear": out["unbiased_cka_linear"], "cka_linear": out["cka_linear"],
            "svcca": out["svcca"], "peak_rss_gb": peak_rss_gb()}


# ---------------------------------------------------------------- naive n×n reference
def _naive_knn(s: np.ndarray, k: int) -> np.ndarray:
    s = s.copy()
    np.fill_diagonal(s, -np.inf)
    return np.argsort(-s, axis=1, kind="stable")[:, :k]


def _hsic_b(kk: np.ndarray, ll: np.ndarray) -> float:
    n = len(kk)
    kc = kk - kk.mean(0) - kk.mean(1)[:, None] + kk.mean()
    lc = ll - ll.mean(0) - ll.mean(1)[:, None] + ll.mean()
    del n
    return float(np.sum(kc * lc))


def _hsic_u(kk: np.ndarray, ll: np.ndarray) -> float:
    m = len(kk)
    kt, lt = kk.copy(), ll.copy()
    np.fill_diagonal(kt, 0)
    np.fill_diagonal(lt, 0)
    return float((np.sum(kt * lt.T) + kt.sum() * lt.sum() / ((m - 1) * (m - 2))
                  - 2 * float(kt.sum(0) @ lt.sum(1)) / (m - 2)) / (m * (m - 3)))


def _ratio(h, kk, ll) -> float:
    return h(kk, ll) / np.sqrt(h(kk, kk) * h(ll, ll))


def naive_all(a: np.ndarray, b: np.ndarray, k: int) -> dict[str, float]:
    """Reference-style: every n×n matrix materialised (float64); HSIC sums in O(n²)."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    out: dict[str, float] = {}
    kk, ll = a @ a.T, b @ b.T
    na, nb = _naive_knn(kk, k), _naive_knn(ll, k)
    n = len(a)
    out["mutual_knn"] = float(np.mean([len(set(na[i]) & set(nb[i])) / k for i in range(n)]))
    out["cycle_knn"] = float(np.mean([np.isin(i, na[nb[i]]) for i in range(n)]))
    lcs = []
    for i in range(n):
        x, y = na[i], nb[i]
        dp = np.zeros((k + 1, k + 1), dtype=int)
        for p in range(k):
            for q in range(k):
                dp[p + 1, q + 1] = dp[p, q] + 1 if x[p] == y[q] else max(dp[p, q + 1], dp[p + 1, q])
        lcs.append(dp[k, k])
    out["lcs_knn"] = float(np.mean(lcs))
    out["cka_linear"] = _ratio(_hsic_b, kk, ll)
    out["unbiased_cka_linear"] = _ratio(_hsic_u, kk, ll)
    ma = np.zeros_like(kk)
    np.put_along_axis(ma, na, 1.0, 1)
    mb = np.zeros_like(ll)
    np.put_along_axis(mb, nb, 1.0, 1)
    m = ma * mb
    out["cknna"] = _hsic_u(m * kk, m * ll) / np.sqrt(_hsic_u(ma * kk, ma * kk) * _hsic_u(mb * ll, mb * ll))
    del ma, mb, m
    sa = np.einsum("ij,ij->i", a, a)
    sb = np.einsum("ij,ij->i", b, b)
    kr = np.exp(-np.maximum(sa[:, None] + sa[None, :] - 2 * kk, 0) / 2.0)
    lr = np.exp(-np.maximum(sb[:, None] + sb[None, :] - 2 * ll, 0) / 2.0)
    del kk, ll
    out["cka_rbf"] = _ratio(_hsic_b, kr, lr)
    out["unbiased_cka_rbf"] = _ratio(_hsic_u, kr, lr)
    del kr, lr
    ua = np.linalg.svd(a - a.mean(0), full_matrices=False)[0][:, :10]
    ub = np.linalg.svd(b - b.mean(0), full_matrices=False)[0][:, :10]
    out["svcca"] = float(np.linalg.svd(ua.T @ ub, compute_uv=False).mean())
    return out


def bench_all(n: int, k: int) -> dict[str, object]:
    from engine.metrics import METRIC_NAMES, compute_metrics

    a, b = make_pair(n)
    t0 = time.perf_counter()
    ours = compute_metrics(a, b, k=k)
    t_ours = time.perf_counter() - t0
    rss_ours = peak_rss_gb()
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    t0 = time.perf_counter()
    ours64 = compute_metrics(a64, b64, k=k)
    t_ours64 = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = naive_all(a, b, k)
    t_ref = time.perf_counter() - t0
    diff32 = {m: abs(ours[m] - ref[m]) for m in METRIC_NAMES}
    diff64 = {m: abs(ours64[m] - ref[m]) for m in METRIC_NAMES}
    return {"n": n, "k": k, "ours_float32_s": t_ours, "ours_float64_s": t_ours64,
            "naive_nxn_s": t_ref, "speedup_float32": t_ref / t_ours,
            "speedup_float64": t_ref / t_ours64,
            "max_abs_diff_float32": max(diff32.values()), "max_abs_diff_float64": max(diff64.values()),
            "values": {m: ours64[m] for m in METRIC_NAMES}, "diff_float64": diff64,
            "peak_rss_ours_gb": rss_ours, "peak_rss_total_gb": peak_rss_gb()}


def _print(name: str, res: dict[str, object]) -> None:
    print(f"== {name}")
    for key, val in res.items():
        if isinstance(val, float):
            print(f"  {key:<24} {val:.6g}")
        elif isinstance(val, dict):
            print(f"  {key:<24} " + ", ".join(f"{m}={v:.3g}" for m, v in val.items()))
        else:
            print(f"  {key:<24} {val}")
    sys.stdout.flush()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("case", choices=["knn", "cka", "all", "suite"])
    p.add_argument("--n", type=int, default=None)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--json", action="store_true", help="print the result as JSON too")
    args = p.parse_args()
    if args.case == "suite":
        for case, n in (("all", 10_000), ("knn", 100_000), ("cka", 1_000_000)):
            subprocess.run([sys.executable, __file__, case, "--n", str(n)], check=False)
        return 0
    n = args.n or {"knn": 100_000, "cka": 1_000_000, "all": 10_000}[args.case]
    res: dict[str, object]
    if args.case == "knn":
        res = dict(bench_knn(n, args.k))
    elif args.case == "cka":
        res = dict(bench_cka(n))
    else:
        res = bench_all(n, args.k)
    _print(f"{args.case} n={n}", res)
    if args.json:
        print(json.dumps(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
