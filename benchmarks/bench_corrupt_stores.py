"""Benchmark: how fast a damaged store gives its message (issue 17, floor: ≤ 10 s each).

    .venv/bin/python benchmarks/bench_corrupt_stores.py [--store P.h5] [--copies 20] [--flips 6]
                                                         [--seed 0] [--region all|meta]

Copies the demo store (``data/demo.h5`` unless --store; stores written before checksums
existed get them first, through one structural rewrite of the copy), then makes COPIES
copies with FLIPS random bit flips each and runs ``alignscope info COPY`` and
``alignscope info --check COPY`` on each, as a user would, with a hard limit of 60 s.
Prints per copy: wall seconds of each command, its exit status and its first message line;
a copy whose commands succeed is then compared value by value with the original (flips in
unused bytes leave the data intact). Baseline: the same commands on the intact store, in
the same run. ``--region meta`` flips only bytes outside the datasets' stored values (the
HDF5 structure, where damage can make the library loop).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LIMIT = 60.0

COMPARE = r"""
import sys, h5py, numpy as np
def dump(path):
    out = []
    with h5py.File(path, "r", locking=False) as f:
        def visit(name, obj):
            attrs = sorted((k, str(v)) for k, v in obj.attrs.items())
            value = np.asarray(obj[()]).tobytes() if isinstance(obj, h5py.Dataset) else b""
            out.append((name, attrs, value))
        visit("/", f)
        f.visititems(visit)
    return out
print("identical" if dump(sys.argv[1]) == dump(sys.argv[2]) else "different")
"""


CPU: list[float] = [0.0]  # CPU seconds (user + system) of the last command and its children


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str]) -> tuple[float, int, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0, c0 = time.perf_counter(), _children_cpu()
    try:
        proc = subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                              timeout=LIMIT, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return LIMIT, -1, f"NO MESSAGE within {LIMIT:.0f} s"
    seconds = time.perf_counter() - t0
    CPU[0] = _children_cpu() - c0
    lines = [ln for ln in (proc.stderr + proc.stdout).splitlines()
             if "error" in ln or "DAMAGED" in ln or "Traceback" in ln]
    tail = proc.stdout.strip().splitlines()[-1:] or [""]
    return seconds, proc.returncode, lines[0] if lines else tail[0]


def _prepare(source: Path, folder: Path) -> Path:
    from engine.store import h5io
    from engine.store.integrity import verify

    store = folder / "intact.h5"
    shutil.copyfile(source, store)
    if verify(store).unchecked:  # written before checksums: record them once, on the copy
        h5io.atomic_rewrite(store, lambda f: None)
    return store


def _data_ranges(store: Path) -> list[tuple[int, int]]:
    import h5py

    ranges: list[tuple[int, int]] = []
    with h5py.File(store, "r", locking=False) as f:
        def visit(_: str, obj: object) -> None:
            if isinstance(obj, h5py.Dataset):
                if obj.chunks:
                    for k in range(obj.id.get_num_chunks()):
                        info = obj.id.get_chunk_info(k)
                        ranges.append((info.byte_offset, info.byte_offset + info.size))
                elif obj.id.get_offset() is not None:
                    ranges.append((obj.id.get_offset(), obj.id.get_offset() + obj.id.get_storage_size()))
        f.visititems(visit)
    return ranges


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "demo.h5")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--flips", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--region", choices=("all", "meta"), default="all")
    args = parser.parse_args()
    if not args.store.is_file():
        print(f"no store at {args.store}: run `make demo` or give --store", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="alignscope-flips-"))
    try:
        intact = _prepare(args.store, work)
        data = intact.read_bytes()
        ranges = _data_ranges(intact) if args.region == "meta" else []
        base = [_run(["info", str(intact)]), _run(["info", "--check", str(intact)])]
        print(f"store {args.store} ({len(data) / 1e6:.1f} MB), load average {os.getloadavg()[0]:.1f}")
        print(f"baseline (intact): info {base[0][0]:.2f} s rc {base[0][1]}, "
              f"info --check {base[1][0]:.2f} s rc {base[1][1]}")
        rng = random.Random(args.seed)
        worst, worst_cpu, messages, intact_copies, silent = 0.0, 0.0, 0, 0, 0
        ratios: list[float] = []
        for k in range(args.copies):
            damaged = bytearray(data)
            for _ in range(args.flips):
                while True:
                    pos = rng.randrange(len(damaged))
                    if not any(a <= pos < b for a, b in ranges):
                        break
                damaged[pos] ^= 1 << rng.randrange(8)
            copy = work / f"copy{k:02d}.h5"
            copy.write_bytes(bytes(damaged))
            ref = _run(["info", str(intact)])  # the intact store, right before: same load
            ref_cpu = CPU[0]
            info = _run(["info", str(copy)])
            info_cpu = CPU[0]
            check = _run(["info", "--check", str(copy)])
            worst = max(worst, info[0], check[0])
            worst_cpu = max(worst_cpu, info_cpu, CPU[0])
            ratios.append(info[0] / max(ref[0], 1e-9))
            if info[1] == 2 or check[1] == 2:
                messages += 1
                verdict = "message"
            elif info[1] == 0 and check[1] == 0:
                same = subprocess.run([sys.executable, "-c", COMPARE, str(copy), str(intact)],
                                      capture_output=True, text=True, timeout=LIMIT).stdout.strip()
                intact_copies += same == "identical"
                silent += same != "identical"
                verdict = f"no damage found, data {same}"
            else:
                silent += 1
                verdict = "NO CLEAR MESSAGE"
            print(f"copy {k:2d}: info {info[0]:5.2f} s (cpu {info_cpu:4.2f} s, intact now "
                  f"{ref[0]:5.2f} s cpu {ref_cpu:4.2f}) rc {info[1]} | --check {check[0]:5.2f} s rc "
                  f"{check[1]} | load {os.getloadavg()[0]:4.1f} | {verdict}: "
                  f"{(info[2] if info[1] else check[2])[:100]}")
            copy.unlink()
        print(f"\n{args.copies} copies × {args.flips} flips ({args.region}): {messages} gave a damage "
              f"message, {intact_copies} had every flip in unused bytes (data identical), {silent} "
              f"silent or unclear; slowest command {worst:.2f} s wall (floor 10 s), {worst_cpu:.2f} s "
              f"CPU; damaged/intact `info` wall-time ratio (same moment): median "
              f"{sorted(ratios)[len(ratios) // 2]:.2f}, max {max(ratios):.2f}")
        return 0 if silent == 0 and worst <= 10.0 else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
