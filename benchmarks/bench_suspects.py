"""Benchmark of the per-pair suspect scorer (issue 11). Not a test: prints figures and ratios.

    .venv/bin/python benchmarks/bench_suspects.py                 # n = 2,000 and 100,000
    .venv/bin/python benchmarks/bench_suspects.py --n 20000 --threads 2
    .venv/bin/python benchmarks/bench_suspects.py --recall STORE.h5 planted.json   # planted rows found

Data: synthetic paired embeddings (image 1280-d, report 384-d, float32) driven by a shared
latent part description, 2 % of the rows holding another row's report
(engine.pairs.synthetic_pairs). For every n, two cases run in their own process on the same
data: the mutual k-NN computation of engine.metrics (k = 10, the exact blocked kNN graphs of
both spaces) and the suspect scorer without label (engine.pairs.score_pairs: reduction,
cross-fitted CCA with the dimension search, exact partner ranks for every pair in both
directions, the shuffled null, and the self-test). Each case reports wall time, CPU time
(user + system) and peak RSS; data generation is not timed but is in the peak RSS of both.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def run_case(case: str, n: int) -> dict[str, float]:
    from engine.pairs import synthetic_pairs

    data = synthetic_pairs(n, seed=0, planted=max(1, n // 50))
    t0, c0 = time.perf_counter(), _cpu_seconds()
    extra: dict[str, float] = {}
    if case == "knn":
        from engine.metrics import compute_metrics

        extra["mutual_knn"] = float(compute_metrics(data.image, data.report, k=10, metrics="mutual_knn")["mutual_knn"])
    else:
        from engine.pairs import score_pairs

        ids = [f"r{i:06d}" for i in range(n)]
        res = score_pairs(data.image, data.report, ids, seed=0)
        planted = int(data.planted.sum())
        extra["recall_at_2p"] = float(data.planted[res.arrays.order[: 2 * planted]].sum() / planted)
        extra["self_test_auc"] = res.self_test.auc
        extra["components"] = float(res.alignment.components)
        extra["dims"] = float(res.alignment.dims)
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # Linux: KiB -> GiB
    return {"case": case, "n": n, "wall_s": wall, "cpu_s": cpu, "peak_rss_gb": peak, **extra}


def _subprocess(case: str, n: int, threads: int | None) -> dict[str, float]:
    env = dict(os.environ)
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, __file__, "--case", case, "--n", str(n)], env=env,
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def recall_on_store(store: str, planted_json: str) -> None:
    """Recall of planted.json's mismatched rows in the top 2 × planted, without and with the label."""
    import numpy as np

    from engine.pairs import suspects_for_store

    info = json.loads(Path(planted_json).read_text(encoding="utf-8"))
    planted = set(info.get("mismatched") or [i for s in info.get("swapped_reports", []) for i in s["ids"]])
    for no_label in (True, False):
        res = suspects_for_store(store, no_label=no_label, use_cache=False, save=False)
        hit = np.isin(np.asarray(res.ids), sorted(planted))
        top = res.arrays.order[: 2 * len(planted)]
        st = res.self_test
        print(f"{store}: label {res.label or '-'}: recall@2p {hit[top].sum() / len(planted):.3f} "
              f"({hit[top].sum()}/{len(planted)}); flagged {res.flagged} ({int((hit & (res.arrays.q_value <= 0.05)).sum())} "
              f"planted); self-test AUC {st.auc:.3f}, recall {st.recall_at_2p:.2f}; no_signal {res.no_signal}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, nargs="+", default=[2000, 100000])
    p.add_argument("--case", choices=["knn", "suspects"], help="run one case in this process (JSON out)")
    p.add_argument("--threads", type=int, help="BLAS threads for both cases (default: all cores)")
    p.add_argument("--recall", nargs=2, metavar=("STORE", "PLANTED"), help="recall of planted rows on a store")
    args = p.parse_args()
    if args.recall:
        recall_on_store(*args.recall)
        return
    if args.case:
        print(json.dumps(run_case(args.case, args.n[0])))
        return
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'n':>8} {'case':<9} {'wall s':>8} {'cpu s':>8} {'peak GB':>8}  notes")
    for n in args.n:
        knn = _subprocess("knn", n, args.threads)
        sus = _subprocess("suspects", n, args.threads)
        for r in (knn, sus):
            note = (f"mutual_knn {r['mutual_knn']:.3f}" if r["case"] == "knn" else
                    f"recall@2p {r['recall_at_2p']:.2f}, self-test AUC {r['self_test_auc']:.3f}, "
                    f"CCA {int(r['dims'])} dims / {int(r['components'])} comps")
            print(f"{n:>8} {r['case']:<9} {r['wall_s']:>8.1f} {r['cpu_s']:>8.1f} {r['peak_rss_gb']:>8.2f}  {note}")
        print(f"{n:>8} ratio     {sus['wall_s'] / knn['wall_s']:>8.2f} {sus['cpu_s'] / knn['cpu_s']:>8.2f} "
              f"{sus['peak_rss_gb'] / knn['peak_rss_gb']:>8.2f}  suspects / mutual kNN (wall, cpu, memory)")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
