"""Coverage of the PID intervals on known joints (issue 12). Not a test: prints the table.

    .venv/bin/python benchmarks/bench_pid_coverage.py                      # the table of docs/study.md
    .venv/bin/python benchmarks/bench_pid_coverage.py --reps 30 --spc 5,10      # quicker, rougher
    .venv/bin/python benchmarks/bench_pid_coverage.py --corrections all    # compare every correction
    .venv/bin/python benchmarks/bench_pid_coverage.py --joints "issue 11×11×3" --jobs 2

For each known joint of engine/study/pid_coverage.py and each design of spc samples per occupied
cell of the joint (n = spc × occupied cells), ``reps`` samples are drawn; each gets the plug-in
PID, 100 bootstrap resamples and 20 jackknife groups (the product's defaults), and every
correction is evaluated on the same replicates. Printed per row: n, the mean observed samples
per occupied cell, the share of 95 % intervals containing the true R, U1, U2, S, I, and the mean
error of the estimate for S and I. Coverage has a binomial standard error of about
√(0.95·0.05/reps) (2.2 points at the default 100 reps).
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.study.pid_bias import BIAS_CORRECTION, BIAS_CORRECTIONS  # noqa: E402
from engine.study.pid_coverage import KNOWN_JOINTS, CoverageRun, coverage, simulate  # noqa: E402


def _one(job: tuple[str, float, int, int]) -> tuple[str, float, CoverageRun, float]:
    name, spc, reps, seed = job
    t0 = time.process_time()
    run = simulate(KNOWN_JOINTS[name](), spc, reps, seed=seed)
    return name, spc, run, time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--spc", default="2,5,10,20", help="samples per occupied cell, comma-separated")
    ap.add_argument("--joints", default="all", help="'|'-separated names of KNOWN_JOINTS, or all")
    ap.add_argument("--corrections", default=BIAS_CORRECTION, help="'all' or a comma-separated list")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    names = list(KNOWN_JOINTS) if args.joints == "all" else args.joints.split("|")
    corrections = list(BIAS_CORRECTIONS) if args.corrections == "all" else args.corrections.split(",")
    jobs = [(name, float(s), args.reps, args.seed) for name in names for s in args.spc.split(",")]
    print(f"{args.reps} reps per row; 100 bootstrap resamples, 20 jackknife groups per rep")
    print(f"{'joint':<30} {'spc':>4} {'n':>5} {'obs':>5}  {'correction':<20} "
          f"{'R':>5} {'U1':>5} {'U2':>5} {'S':>5} {'I':>5}   {'err S':>7} {'err I':>7}")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name, spc, run, cpu in pool.map(_one, jobs):
            for corr in corrections:
                cov, err = coverage(run, corr)
                print(f"{name:<30} {spc:>4g} {run.n:>5} {run.observed_per_occupied.mean():>5.1f}  {corr:<20} "
                      + " ".join(f"{cov[k]:>5.2f}" for k in ("redundancy", "unique_1", "unique_2", "synergy",
                                                          "total_mi"))
                      + f"   {err['synergy']:>+7.4f} {err['total_mi']:>+7.4f}", flush=True)
            print(f"{'':<30} truth R {run.truth[0]:.4f} U1 {run.truth[1]:.4f} U2 {run.truth[2]:.4f} "
                  f"S {run.truth[3]:.4f} I {run.truth[4]:.4f}; {cpu:.0f} s CPU", flush=True)


if __name__ == "__main__":
    main()
