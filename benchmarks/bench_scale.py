"""100,000-pair projects on one workstation: every floor of issue 15, against same-run baselines.

Builds a store of N samples (default 100,000) with ``import-embeddings`` from planted data
(20 classes in a 16-d latent space, mapped linearly to a 1280-d "image" and a 384-d
"report" space with noise; 1 % of the reports swapped between samples), then measures:

  import      import-embeddings of N × 1280 float32 vs numpy.load + one HDF5 write of the
              same array (floor: ratio ≤ 2), and N × 384
  results     a cached-result write (floor ≤ 1 s; the store's inode unchanged, its size grown
              by about the result, i.e. never copied); PCA of both spaces, t-SNE of the report
              space (``--tsne``); reopening keeps both projections cached
  knn         the baseline: mutual kNN alone (both k = 10 graphs + overlap) in a subprocess
  analyze     `alignscope analyze --no-cache` in a subprocess: seconds, peak RSS, stage
              timings, notes (floors: ≤ 2 × mutual kNN of the same run, ≤ 4 GB)
  report      `alignscope report` on the store with the study cached (floor ≤ 60 s)
  gui         offscreen (benchmarks/scale_gui.py): window to a drawn Spaces view through
              load_project (floor ≤ 5 s); lasso of half the points, wall and CPU (floor ≤ 100 ms);
              the GUI thread's longest stall while analyze_store runs in a worker, imports warmed
              first (engine.study.warm), each long gap attributed to the worker's stack
              (floor ≤ 100 ms beyond the idle jitter)

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_scale.py \
        [--n 100000] [--dir /tmp/alignscope-scale] [--stages import,results,knn,analyze,report,gui]
        [--tsne] [--heavy-seconds S] [--json]

Stages run in the order given; `build` (data + samples table) always runs unless the store
exists. The last lines are the floors, each with its figure and baseline. Load averages are
printed: figures on a shared machine are noisy; ratios are measured within the same run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import h5py  # noqa: E402
import numpy as np  # noqa: E402

IMAGE, TEXT = "bench-image-1280", "bench-report-384"
CLASSES, LATENT = 20, 16


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def planted(out: Path, n: int, seed: int = 0) -> dict[str, Path]:
    """a.npy [n, 1280], b.npy [n, 384], ids.txt (shuffled order), labels; written by blocks."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (CLASSES, LATENT)).astype(np.float32)
    labels = rng.integers(0, CLASSES, n)
    wa = rng.normal(size=(LATENT, 1280)).astype(np.float32)
    wb = rng.normal(size=(LATENT, 384)).astype(np.float32)
    swapped = rng.choice(n, n // 100, replace=False)
    partner = np.arange(n)
    partner[swapped] = rng.permutation(swapped)
    z = centres[labels] + rng.standard_normal((n, LATENT), dtype=np.float32)
    order = rng.permutation(n)  # the files list the samples in another order than the store
    paths = {"a": out / "a.npy", "b": out / "b.npy", "ids": out / "ids.txt"}
    a = np.lib.format.open_memmap(paths["a"], "w+", np.float32, (n, 1280))
    b = np.lib.format.open_memmap(paths["b"], "w+", np.float32, (n, 384))
    for s in range(0, n, 8192):
        rows = order[s:s + 8192]
        a[s:s + len(rows)] = z[rows] @ wa + 2.0 * rng.standard_normal((len(rows), 1280), dtype=np.float32)
        b[s:s + len(rows)] = z[partner[rows]] @ wb + 2.0 * rng.standard_normal((len(rows), 384), dtype=np.float32)
    a.flush()
    b.flush()
    del a, b
    paths["ids"].write_text("".join(f"part-{i:06d}\n" for i in order), encoding="utf-8")
    np.save(out / "labels.npy", labels)
    np.save(out / "swapped.npy", np.sort(swapped))
    return paths


def samples_store(path: Path, n: int, labels: np.ndarray) -> float:
    from engine.dataset.model import Dataset, Sample
    from engine.store import write_dataset

    t = time.perf_counter()
    samples = [Sample(row=i + 2, id=f"part-{i:06d}", image=path.parent / f"img/{i}.jpg",
                      image_rel=f"img/{i}.jpg", report=f"inspection report {i}",
                      image_sha256=hashlib.sha256(b"i%d" % i).hexdigest(),
                      report_sha256=hashlib.sha256(b"r%d" % i).hexdigest(),
                      labels={"defect_class": f"class-{labels[i]:02d}"}) for i in range(n)]
    ds = Dataset(root=path.parent, source=str(path.parent / "manifest.csv"), kind="manifest",
                 encoding="utf-8", n_rows=n, columns=["defect_class"], label_columns=["defect_class"],
                 mapping={}, samples=samples, quarantine=[])
    write_dataset(path, ds)
    return time.perf_counter() - t


def _baseline(files: dict[str, Path], target: Path, durable: bool = False) -> tuple[float, float]:
    """numpy.load + one HDF5 write of the same array (``durable``: and its fsync)."""
    t, c = time.perf_counter(), time.process_time()
    arr = np.load(files["a"])
    with h5py.File(target, "w") as f:
        f.create_dataset("x", data=arr)
    if durable:
        fd = os.open(target, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    target.unlink()
    return seconds, cpu


_COLD_IMPORT = """
import sys, time
import engine.encoders  # loaded by the CLI before the import runs
from engine.store.import_embeddings import import_embeddings
t = time.perf_counter()
import_embeddings(sys.argv[1], sys.argv[2], "image", sys.argv[3], sys.argv[4], replace=True)
print(time.perf_counter() - t)
"""


def _cold_import(store: Path, files: dict[str, Path]) -> float:
    """The call as `alignscope import-embeddings` makes it: in a new process, whose first open
    of the store runs the opening check (a child process) beside the reading of the source."""
    r = subprocess.run([sys.executable, "-c", _COLD_IMPORT, str(store), IMAGE, str(files["a"]),
                        str(files["ids"])], capture_output=True, text=True, check=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return float(r.stdout.strip().splitlines()[-1])


_SCRIPT_BASELINE = """
import sys, h5py, numpy as np
arr = np.load(sys.argv[1])
with h5py.File(sys.argv[2], "w") as f:
    f.create_dataset("x", data=arr)
"""


def _end_to_end(store: Path, files: dict[str, Path], runs: int = 3) -> tuple[list[float], list[float]]:
    """Whole processes, as a user times them, each kind ``runs`` times in a row:
    `alignscope import-embeddings …` against a Python script doing numpy.load + one HDF5
    write (both pay the interpreter's start)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    target = store.with_name("baseline.h5")
    script, cli = [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", _SCRIPT_BASELINE, str(files["a"]), str(target)],
                       check=True, env=env)
        script.append(time.perf_counter() - t)
        target.unlink()
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "app", "import-embeddings", str(store), "--model", IMAGE,
                        "--modality", "image", "--from", str(files["a"]), "--ids", str(files["ids"]),
                        "--replace"], check=True, env=env, capture_output=True)
        cli.append(time.perf_counter() - t)
    return script, cli


def stage_import(store: Path, files: dict[str, Path], out: dict[str, Any]) -> None:
    """Each kind three times in a row (the first of a kind pays for what the one before left
    the disk doing), kinds alternating twice; minimum of each. The store is written in place;
    the replaced tables' space stays in the file until it is compacted (between kinds)."""
    import engine.encoders  # noqa: F401  (loaded once by the app anyway; not an import cost)
    from engine.store import Store
    from engine.store.import_embeddings import import_embeddings

    target = store.with_name("baseline.h5")
    base: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    cold: list[float] = []
    def compact() -> None:  # not timed: a replaced table's space stays in the file until then
        with Store.open(store, "a") as st:
            st.compact()

    for round_ in range(2):
        base += [_baseline(files, target) for _ in range(3)]
        for i in range(3):
            t, c = time.perf_counter(), time.process_time()
            import_embeddings(store, IMAGE, "image", str(files["a"]), files["ids"], replace=round_ + i > 0)
            warm.append((time.perf_counter() - t, time.process_time() - c))
        compact()
        cold += [_cold_import(store, files) for _ in range(3)]
        compact()
    script, cli = _end_to_end(store, files)
    s = import_embeddings(store, TEXT, "text", str(files["b"]), files["ids"])
    durable = min(_baseline(files, target, durable=True)[0] for _ in range(3))
    check_s = _store_check_seconds(store)
    compact()
    b_wall, b_cpu = min(b[0] for b in base), min(b[1] for b in base)
    wall, cold_wall = min(w[0] for w in warm), min(cold)
    out["import"] = {
        "baseline_np_load_plus_h5_write_s": [round(v[0], 2) for v in base],
        "baseline_cpu_s": [round(v[1], 2) for v in base],
        "import_1280_s": [round(v[0], 2) for v in warm],
        "import_1280_cpu_s": [round(v[1], 2) for v in warm],
        "import_1280_new_process_s": [round(v, 2) for v in cold],
        "ids_in_store_order": False,
        "ratio_best_wall": round(wall / b_wall, 2),
        "ratio_best_cpu": round(min(w[1] for w in warm) / b_cpu, 2),
        "ratio_new_process": round(cold_wall / b_wall, 2),
        "floor_ratio_le_2_ok": wall / b_wall <= 2.0,
        "end_to_end_script_s": [round(v, 2) for v in script],
        "end_to_end_cli_s": [round(v, 2) for v in cli],
        "ratio_end_to_end": round(min(cli) / min(script), 2),
        "baseline_with_fsync_s": round(durable, 2),
        "store_check_child_process_s": round(check_s, 2),
        "ratio_new_process_vs_baseline_with_fsync_plus_store_check": round(cold_wall / (durable + check_s), 2),
        "import_384_s": round(s.seconds, 2),
        "store_mib": round(store.stat().st_size / 2**20, 1),
    }


def _store_check_seconds(store: Path) -> float:
    """Wall seconds of the structure check every first open of a store runs in a child process
    (engine.store.opening_check.run_probe): a fixed cost of import-embeddings, whatever n."""
    from engine.store import opening_check

    t = time.perf_counter()
    opening_check.run_probe(store)
    return time.perf_counter() - t


def stage_results(store: Path, out: dict[str, Any], tsne: bool) -> None:
    from engine.projections import store_projection
    from engine.store import Store

    t, c = time.perf_counter(), time.process_time()
    pca = {m: store_projection(store, m, "pca") for m in (IMAGE, TEXT)}
    pca_s, pca_cpu = time.perf_counter() - t, time.process_time() - c
    tsne_s = tsne_cpu = None
    if tsne:
        t, c = time.perf_counter(), time.process_time()
        store_projection(store, TEXT, "tsne")
        tsne_s, tsne_cpu = time.perf_counter() - t, time.process_time() - c
    n = pca[IMAGE].shape[0]
    before = store.stat()
    overlap = np.random.default_rng(1).random(n)
    t = time.perf_counter()
    with Store.open(store, "a") as st:
        st.put_result("bench-result", "k", {"what": "a per-sample score"}, {"overlap": overlap})
    write_s = time.perf_counter() - t
    after = store.stat()
    t = time.perf_counter()
    with Store.open(store) as st:
        keys = st.result_keys(f"projection:{TEXT}")
    reopen_s = time.perf_counter() - t
    again = store_projection(store, TEXT, "tsne") if tsne else None
    t = time.perf_counter()
    with Store.open(store, "a") as st:
        size_before, size_after = st.compact()
    compact_s = time.perf_counter() - t
    out["results"] = {
        "compact_s": round(compact_s, 1),
        "compact_mib_before_after": [round(size_before / 2**20), round(size_after / 2**20)],
        "pca_both_spaces_s": round(pca_s, 1),
        "pca_both_spaces_cpu_s": round(pca_cpu, 1),
        "tsne_report_space_s": None if tsne_s is None else round(tsne_s, 1),
        "tsne_report_space_cpu_s": None if tsne_cpu is None else round(tsne_cpu, 1),
        "result_write_s": round(write_s, 3),
        "result_bytes": overlap.nbytes,
        "store_grew_bytes": after.st_size - before.st_size,
        "same_inode": after.st_ino == before.st_ino,
        "floor_write_le_1s_not_copied_ok": write_s <= 1.0 and after.st_ino == before.st_ino
        and after.st_size - before.st_size < 2 * overlap.nbytes + (1 << 20),
        "cached_projection_keys_after_reopen": len(keys),
        "reopen_s": round(reopen_s, 3),
        "both_projections_cached_ok": len(keys) >= (2 if tsne else 1) and (again is None or again.shape == (n, 2)),
    }


def stage_gui(store: Path, out: dict[str, Any], heavy_limit_s: float) -> None:
    from scale_gui import stage_gui as run_gui

    run_gui(store, IMAGE, TEXT, "defect_class", out, heavy_limit_s)


PEAK_RSS = ("import atexit, resource, sys; atexit.register(lambda: (lambda u: sys.stderr.write("
            "'\\nPEAK_RSS_KIB %d\\nCPU_S %.2f\\n' % (u.ru_maxrss, u.ru_utime + u.ru_stime)))"
            "(resource.getrusage(resource.RUSAGE_SELF)))\n")


CPU_SECONDS: dict[str, float] = {}  # the last subprocess's CPU time (user + system), by stage


def _subprocess(code: str, args: list[str], limit_s: float) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(seconds, peak RSS GiB of that process, result): each heavy stage in its own process;
    its CPU seconds (all threads) land in CPU_SECONDS[args[0]]."""
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", PEAK_RSS + code, *args], capture_output=True, text=True,
                       timeout=limit_s, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    seconds = time.perf_counter() - t
    peaks = [int(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("PEAK_RSS_KIB ")]
    cpu = [float(line.split()[1]) for line in r.stderr.splitlines() if line.startswith("CPU_S ")]
    CPU_SECONDS[args[0]] = cpu[-1] if cpu else float("nan")
    return seconds, (peaks[-1] / 2**20 if peaks else float("nan")), r


APP = "import sys\nfrom app.main import main\nsys.exit(main(sys.argv[1:]))\n"


KNN_ALONE = """
import sys, time, json
from engine.store import Store
from engine.metrics.api import prepare_pair
from engine.metrics.knn import knn_graph
from engine.metrics.knn_metrics import overlap_counts
with Store.open(sys.argv[1]) as st:
    a, b = st.embeddings(sys.argv[2]), st.embeddings(sys.argv[3])
t, c = time.perf_counter(), time.process_time()
aa, bb = prepare_pair(a, b, normalize=True)
ia, _ = knn_graph(aa, 10)
ib, _ = knn_graph(bb, 10)
print(json.dumps({"mutual_knn": float(overlap_counts(ia, ib).mean() / 10), "seconds": time.perf_counter() - t,
                  "cpu_s": time.process_time() - c}))
"""


def stage_knn(store: Path, out: dict[str, Any]) -> None:
    seconds, rss, r = _subprocess(KNN_ALONE, [str(store), IMAGE, TEXT], 7200)
    got = json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {"error": r.stderr[-500:]}
    out["knn"] = {"process_s": round(seconds, 1), "compute_s": round(got.get("seconds", float("nan")), 1),
                  "compute_cpu_s": round(got.get("cpu_s", float("nan")), 1),
                  "process_cpu_s": round(CPU_SECONDS.get(str(store), float("nan")), 1),
                  "mutual_knn": got.get("mutual_knn"), "peak_rss_gib": round(rss, 2)}


def stage_analyze(store: Path, out: dict[str, Any]) -> None:
    cmd = ["analyze", "--store", str(store), "--label", "defect_class", "--json", "--no-cache"]
    seconds, rss, r = _subprocess(APP, cmd, 7200)
    info: dict[str, Any] = {"seconds": round(seconds, 1), "peak_rss_gib": round(rss, 2),
                            "returncode": r.returncode}
    if r.returncode == 0:
        result = json.loads(r.stdout)
        info["timings"] = result.get("timings")
        info["notes"] = result.get("notes")
    else:
        info["error"] = r.stderr[-800:]
    info["cpu_s"] = round(CPU_SECONDS.get("analyze", float("nan")), 1)
    knn = out.get("knn", {})
    if knn.get("compute_s"):
        info["ratio_to_mutual_knn"] = round(seconds / knn["compute_s"], 2)
        info["cpu_ratio_to_mutual_knn"] = round(info["cpu_s"] / knn["compute_cpu_s"], 2)
        info["floor_ratio_le_2_ok"] = seconds / knn["compute_s"] <= 2.0
    info["floor_rss_le_4gb_ok"] = rss <= 4.0
    out["analyze"] = info


def stage_report(store: Path, out: dict[str, Any]) -> None:
    pdf = store.with_name("report.pdf")
    cmd = ["report", "--store", str(store), "--out", str(pdf), "--label", "defect_class"]
    seconds, rss, r = _subprocess(APP, cmd, 7200)
    out["report"] = {"seconds": round(seconds, 1), "peak_rss_gib": round(rss, 2),
                     "cpu_s": round(CPU_SECONDS.get("report", float("nan")), 1),
                     "returncode": r.returncode, "floor_le_60s_ok": seconds <= 60,
                     "error": None if r.returncode == 0 else r.stderr[-800:]}


def floors(out: dict[str, Any]) -> str:
    """One line per floor of issue 15: figure, baseline, ok."""
    g, a, k, i, r, rep = (out.get(s, {}) for s in ("gui", "analyze", "knn", "import", "results", "report"))
    stall = g.get("stall_during_analyze", {})
    rows = [
        ("import-embeddings ≤ 2 × (np.load + h5 write)", i.get("ratio_best_wall"), "×", i.get("floor_ratio_le_2_ok"),
         f"baseline {min(i.get('baseline_np_load_plus_h5_write_s') or [float('nan')])} s, cpu ratio {i.get('ratio_best_cpu')}; "
         f"in a new process (as the CLI; the store's opening check runs beside it) {i.get('ratio_new_process')} ×, "
         f"whole `alignscope import-embeddings` vs a numpy.load + h5 write script {i.get('ratio_end_to_end')} ×, "
         f"{i.get('ratio_new_process_vs_baseline_with_fsync_plus_store_check')} × (baseline + fsync "
         f"{i.get('baseline_with_fsync_s')} s + store check {i.get('store_check_child_process_s')} s)"),
        ("cached-result write ≤ 1 s, never copied", r.get("result_write_s"), "s", r.get("floor_write_le_1s_not_copied_ok"),
         f"same inode {r.get('same_inode')}, grew {r.get('store_grew_bytes')} B for {r.get('result_bytes')} B"),
        ("both projections cached after reopen", r.get("cached_projection_keys_after_reopen"), "keys",
         r.get("both_projections_cached_ok"), ""),
        ("analyze ≤ 2 × mutual kNN alone", a.get("ratio_to_mutual_knn"), "×", a.get("floor_ratio_le_2_ok"),
         f"analyze {a.get('seconds')} s vs mutual kNN {k.get('compute_s')} s (process {k.get('process_s')} s); "
         f"CPU {a.get('cpu_s')} s vs {k.get('compute_cpu_s')} s: {a.get('cpu_ratio_to_mutual_knn')} ×"),
        ("analyze peak RSS ≤ 4 GB", a.get("peak_rss_gib"), "GiB", a.get("floor_rss_le_4gb_ok"),
         f"mutual kNN alone {k.get('peak_rss_gib')} GiB"),
        ("report ≤ 60 s", rep.get("seconds"), "s", rep.get("floor_le_60s_ok"), "study cached by the analyze stage"),
        ("window → drawn Spaces view ≤ 5 s", g.get("window_to_drawn_spaces_s"), "s", g.get("floor_open_le_5s_ok"),
         f"cpu {g.get('window_to_drawn_spaces_cpu_s')} s"),
        ("lasso of half the points ≤ 100 ms", g.get("lasso_best_ms"), "ms", g.get("floor_lasso_le_100ms_ok"),
         f"cpu {g.get('lasso_best_cpu_ms')} ms"),
        ("GUI stall while analyze runs ≤ 100 ms", stall.get("gui_max_stall_ms"), "ms", stall.get("floor_stall_le_100ms_ok"),
         f"idle jitter {stall.get('idle_max_ms')} ms, p99 {stall.get('gui_p99_ms')} ms, load {stall.get('load')}"),
    ]
    lines = [f"floors (n = {out.get('n')}, load before {out.get('load_before')}):"]
    for name, value, unit, ok, base in rows:
        mark = "n/a " if ok is None else ("ok  " if ok else "MISS")
        lines.append(f"  {mark} {name}: {value} {unit}" + (f"  ({base})" if base else ""))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/alignscope-scale")
    ap.add_argument("--stages", default="import,results,knn,analyze,report,gui")
    ap.add_argument("--tsne", action="store_true", help="also t-SNE of the report space (minutes)")
    ap.add_argument("--heavy-seconds", type=float, default=3600,
                    help="measure GUI stalls for at most this long, then cancel the heavy job")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / f"scale-{args.n}.h5"
    out: dict[str, Any] = {"n": args.n, "load_before": _load(), "cpus": os.cpu_count()}
    files = {"a": folder / "a.npy", "b": folder / "b.npy", "ids": folder / "ids.txt"}
    if not all(p.exists() for p in files.values()) or np.load(files["a"], mmap_mode="r").shape[0] != args.n:
        t = time.perf_counter()
        files = planted(folder, args.n)
        out["planted_data_s"] = round(time.perf_counter() - t, 1)
    stages = [s for s in args.stages.split(",") if s]
    if "import" in stages or not store.exists():
        store.unlink(missing_ok=True)
        out["samples_table_s"] = round(samples_store(store, args.n, np.load(folder / "labels.npy")), 1)
        stage_import(store, files, out)
    runners = {"results": lambda: stage_results(store, out, args.tsne), "gui": lambda: stage_gui(store, out, args.heavy_seconds),
               "knn": lambda: stage_knn(store, out), "analyze": lambda: stage_analyze(store, out),
               "report": lambda: stage_report(store, out)}
    for name in stages:
        if name in runners:
            t = time.perf_counter()
            runners[name]()
            out.setdefault("stage_seconds", {})[name] = round(time.perf_counter() - t, 1)
            out.setdefault("load_after", {})[name] = _load()
            print(f"[{name} done: {json.dumps(out.get(name))}]", file=sys.stderr, flush=True)
    print(json.dumps(out, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()),
          flush=True)
    print(floors(out), flush=True)
    if "gui" in stages:  # skip interpreter finalisation: PySide6 6.12 may crash tearing down Qt objects
        sys.stderr.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
