"""Encoding throughput: full pipeline (files on disk → embeddings) vs bare ``session.run``.

    .venv/bin/python benchmarks/bench_encode.py [--image-models efficientnet-lite0,efficientnet-lite2]
        [--threads 2] [--batch 32] [--n-images 512] [--n-texts 512] [--repeats 3]
        [--workers 1,2] [--stages] [--layers] [--no-texts] [--device cpu]
    GPU:  ... --device cuda --batch 64,128,256 --n-images 2048   (decoding on the CPU cores)

Images: the demo's JPEGs (``data/demo/images``, the readable ones) or, without a demo, the
250-px conformal-clip-data textile JPEGs they are made from. Texts: report-like sentences.

For each model, interleaved in the same run (so load from other processes hits both alike):
- ``bare``: ``session.run`` alone on inputs prepared beforehand (for the ladder's image
  models the decoded uint8 pixels: normalisation is part of the graph, so of the model);
- ``pipeline``: ``Encoder.encode`` from files, with the same session, batch and threads.
Printed: items/s and the wall-clock ratio pipeline/bare (median of per-round ratios), the
process CPU time per item of both (all threads; load-independent), the CPU-bound ratio
bare/pipeline, and the non-model CPU per item (pipeline − bare). Floors (issue 18, 2 cores):
CPU-bound ratio ≥ 0.88 for lite0 and lite2, wall ratio ≥ 0.85 when the load is < 1.5,
non-model CPU ≤ 1.5 ms per demo JPEG.

``--workers 1,2`` repeats the pipeline with each number of decoding threads. ``--stages`` prints
where the CPU of one image goes, stage by stage (one thread). ``--layers`` compares embedding
with every pooled layer (one forward pass) against embedding alone: ratio floor ≤ 1.15.
Texts end with length-sorted vs input-order batches of mixed-length reports (``--sort-models``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_stages import print_stage_table

from engine.encoders import load_encoder
from engine.encoders.images import check_image, decode_batch, normalise_batch
from engine.errors import InputError

PHRASES = [
    "Inspection of roll {n} on line {line}, {shift} shift.",
    "A local defect was found {where}, about {size} mm across, severity {sev}.",
    "The weave looks uniform and no defects were observed under raking light.",
    "Global distortion of the pattern across the sample, probably a tension problem.",
    "Colour is within tolerance; measured delta E {de:.1f}.",
    "Inspector {who} recommends {action} before shipping.",
]
DEMO_IMAGES = Path(__file__).resolve().parents[1] / "data" / "demo" / "images"


def report_texts(n: int) -> list[str]:
    rng = np.random.default_rng(0)
    out = []
    for i in range(n):
        k = int(rng.integers(2, 5))
        picks = rng.choice(len(PHRASES), size=k, replace=False)
        out.append(" ".join(PHRASES[j].format(
            n=1000 + i, line=int(rng.integers(1, 5)), shift=["morning", "late", "night"][i % 3],
            where=["near the left selvedge", "in the centre", "at the top edge"][i % 3],
            size=int(rng.integers(1, 30)), sev=["low", "medium", "high"][i % 3], de=float(rng.random() * 3),
            who=["Sato", "Kim", "Novak"][i % 3], action=["a second look", "rework", "release"][i % 3],
        ) for j in picks))
    return out


def image_paths(n: int) -> tuple[list[Path], str]:
    """The first ``n`` readable demo JPEGs (or the textile JPEGs they come from)."""
    if DEMO_IMAGES.is_dir():
        found: list[Path] = []
        for p in sorted(DEMO_IMAGES.glob("*.jpg")):
            try:
                check_image(p)
            except InputError:
                continue  # the demo plants broken files on purpose
            found.append(p)
            if len(found) == n:
                break
        return found, str(DEMO_IMAGES)
    import conformal_clip_data as ccd

    paths: list[Path] = []
    for folder in (ccd.nominal_dir(), ccd.local_dir(), ccd.global_dir()):
        paths.extend(sorted(Path(folder).glob("*.jpg")))
    return sorted(paths)[:n], "conformal-clip-data textile JPEGs"


def _bare_feeds(enc: Any, items: list[Any], b: int) -> list[dict[str, np.ndarray]]:
    sess = enc.session
    if enc.spec.modality == "image":
        prep = {**enc.spec.preprocessing}
        prep.setdefault("size", enc.spec.input_size)
        pixels = decode_batch(items, prep)
        if not enc.pixel_input:
            size = pixels.shape[1]
            tensors = normalise_batch(pixels, prep, np.empty((len(items), 3, size, size), np.float32))
        else:
            tensors = pixels
        name = sess.get_inputs()[0].name
        return [{name: tensors[i:i + b]} for i in range(0, len(items), b)]
    assert enc._tokenizer is not None
    feeds = []
    ordered = [items[i] for i in enc.batch_order(items)]  # the batches the pipeline runs
    for i in range(0, len(ordered), b):
        tb = enc._tokenizer.encode_batch(ordered[i:i + b])
        feeds.append({"input_ids": tb.input_ids, "attention_mask": tb.attention_mask})
    return feeds


class DecodeClock:
    """CPU seconds spent inside the decoding workers' tasks (thread CPU time, load-robust)."""

    def __init__(self) -> None:
        import threading

        import engine.encoders.pipeline as pipeline

        self.seconds = 0.0
        self._lock = threading.Lock()
        original = pipeline._decode_chunk

        def timed_chunk(*a: Any, **k: Any) -> None:
            t = time.thread_time()
            try:
                original(*a, **k)
            finally:
                with self._lock:
                    self.seconds += time.thread_time() - t

        pipeline._decode_chunk = timed_chunk


class Timed:
    """Wall rate and process CPU seconds of repeated calls of ``fn`` over ``n`` items."""

    def __init__(self, fn: Callable[[], Any], n: int) -> None:
        self.fn, self.n = fn, n
        self.cpu = 0.0
        self.calls = 0
        self.rates: list[float] = []

    def __call__(self) -> float:
        t, c = time.perf_counter(), time.process_time()
        self.fn()
        self.cpu += time.process_time() - c
        self.calls += 1
        rate = self.n / (time.perf_counter() - t)
        self.rates.append(rate)
        return rate

    @property
    def cpu_ms_per_item(self) -> float:
        return self.cpu / max(1, self.calls * self.n) * 1e3


def interleave(a: Timed, b: Timed, repeats: int) -> list[float]:
    """Rounds of a and b (order alternating); per-round ratios rate(b) / rate(a)."""
    ratios = []
    for r in range(repeats):
        if r % 2 == 0:
            ra, rb = a(), b()
        else:
            rb, ra = b(), a()
        ratios.append(rb / ra)
    return ratios


def bench_pipeline(model_id: str, items: list[Any], args: argparse.Namespace, workers: int | None,
                   batch: int) -> dict[str, float]:
    enc = load_encoder(model_id, device=args.device, threads=args.threads, workers=workers)
    feeds = _bare_feeds(enc, items, batch)
    out_name = enc.session.get_outputs()[0].name
    sess = enc.session

    def run_bare() -> None:
        for f in feeds:
            sess.run([out_name], f)

    bare = Timed(run_bare, len(items))
    pipe = Timed(lambda: enc.encode(items, batch_size=batch), len(items))
    run_bare()  # warm-up
    load = os.getloadavg()[0]
    args.decode_clock.seconds = 0.0
    ratios = interleave(bare, pipe, args.repeats)
    kind = "images" if enc.spec.modality == "image" else "texts"
    res = {"wall_ratio": statistics.median(ratios), "cpu_bare": bare.cpu_ms_per_item,
           "cpu_pipe": pipe.cpu_ms_per_item, "load": (load + os.getloadavg()[0]) / 2}
    res["cpu_ratio"] = res["cpu_bare"] / res["cpu_pipe"]
    res["non_model"] = res["cpu_pipe"] - res["cpu_bare"]
    res["decode"] = args.decode_clock.seconds / max(1, pipe.calls * len(items)) * 1e3
    print(f"{model_id:<20} {enc.provider} batch {batch} threads {enc.threads} workers "
          f"{enc.workers} prefetch {max(enc.prefetch, default=0)} n {len(items)}: pipeline "
          f"{statistics.median(pipe.rates):6.1f} {kind}/s, bare {statistics.median(bare.rates):6.1f}"
          f" {kind}/s, wall ratio {res['wall_ratio']:.3f} (rounds {[round(x, 3) for x in ratios]},"
          f" load {res['load']:.2f})", flush=True)
    print(f"{'':<20} CPU per item: bare {res['cpu_bare']:.2f} ms, pipeline {res['cpu_pipe']:.2f} ms"
          f" -> CPU-bound ratio {res['cpu_ratio']:.3f}, non-model CPU {res['non_model']:.2f} ms "
          "per item", flush=True)
    if enc.spec.modality == "image":
        print(f"{'':<20} of which measured inside the decoding threads: {res['decode']:.2f} ms per "
              "image (the rest: hand-offs, the Python around session.run, contention)", flush=True)
    return res


def bench_layers(model_id: str, items: list[Any], args: argparse.Namespace) -> float:
    """CPU-time ratio of embedding with every layer vs embedding alone (same encoder)."""
    enc = load_encoder(model_id, device=args.device, threads=args.threads)
    batch = args.batches[0]
    plain = Timed(lambda: enc.encode(items, batch_size=batch), len(items))
    layered = Timed(lambda: enc.encode_layers(items, batch_size=batch), len(items))
    enc.encode(items[:batch], batch_size=batch)  # warm-up
    ratios = interleave(plain, layered, args.repeats)
    ratio = layered.cpu / plain.cpu
    print(f"{model_id:<20} --layers ({len(enc.spec.layers)} layers): CPU per item "
          f"{layered.cpu_ms_per_item:.2f} ms vs {plain.cpu_ms_per_item:.2f} ms without -> "
          f"ratio {ratio:.3f} (floor <= 1.15: {'OK' if ratio <= 1.15 else 'ABOVE'}); wall "
          f"{1 / statistics.median(ratios):.3f}", flush=True)
    return ratio


def mixed_length_reports(n: int) -> list[str]:
    """Demo-style Japanese and English reports of mixed length: 70 % one report, 20 % two or
    three run together (a longer note), 10 % with the long shift-log appendix."""
    from engine.demo.reports import Facts, write_report
    from engine.demo.reports_ja import write_report_ja

    rng = np.random.default_rng(7)
    out = []
    for i in range(n):
        writer = write_report_ja if i % 2 else write_report
        facts = Facts(("nominal", "local_defect", "global_defect")[i % 3], ("minor", "moderate", "major")[i % 3],
                      ("L1", "L2", "L3", "L4")[i % 4], ("day", "evening", "night")[i % 3], 23.0, 55.0, 560)
        u = rng.random()
        parts = int(rng.integers(2, 4)) if 0.7 <= u < 0.9 else 1
        out.append(" ".join(writer(rng, facts, long=u >= 0.9) for _ in range(parts)))
    return out


def bench_text_sorting(model_id: str, n: int, args: argparse.Namespace) -> float:
    """Length-sorted batches (``Encoder.encode``) vs batches in input order (the unsorted pipeline)."""
    enc = load_encoder(model_id, device=args.device, threads=args.threads)
    texts = mixed_length_reports(n)
    lengths = enc.token_lengths(texts)
    b = args.batches[0]

    def unsorted() -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        for _ in enc.iter_embeddings(texts, batch_size=b):
            pass
        return n / (time.perf_counter() - t), time.process_time() - c

    def sorted_() -> tuple[float, float]:
        t, c = time.perf_counter(), time.process_time()
        enc.encode(texts, batch_size=b)
        return n / (time.perf_counter() - t), time.process_time() - c

    enc.encode(texts[:b], batch_size=b)  # warm-up
    rounds = []  # (unsorted, sorted) per round, alternating which runs first
    for r in range(max(1, args.repeats // 2)):
        if r % 2 == 0:
            u = unsorted()
            rounds.append((u, sorted_()))
        else:
            srt = sorted_()
            rounds.append((unsorted(), srt))
    ratio = statistics.median(s[0] / u[0] for u, s in rounds)
    cpu_ratio = statistics.median(u[1] / s[1] for u, s in rounds)
    print(f"{model_id:<20} mixed-length reports n {n} (tokens: median {int(np.median(lengths))}, "
          f"p90 {int(np.percentile(lengths, 90))}, max {int(lengths.max())}), batch {b} threads {args.threads}: "
          f"unsorted {statistics.median(u[0] for u, _ in rounds):6.1f} texts/s  "
          f"length-sorted {statistics.median(s[0] for _, s in rounds):6.1f} texts/s  ratio {ratio:.2f} "
          f"(CPU-time ratio {cpu_ratio:.2f}; floor 1.5: {'OK' if ratio >= 1.5 else 'BELOW FLOOR'})", flush=True)
    return ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", default="32", help="batch size(s), e.g. 32 or 64,128,256")
    parser.add_argument("--n-images", type=int, default=512)
    parser.add_argument("--n-texts", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--image-models", default="efficientnet-lite0,efficientnet-lite2")
    parser.add_argument("--text-model", default="all-minilm-l6")
    parser.add_argument("--workers", default="", help="decoding threads to compare, e.g. 1,2")
    parser.add_argument("--stages", action="store_true", help="per-stage CPU of one image")
    parser.add_argument("--layers", action="store_true", help="cost of embedding every layer")
    parser.add_argument("--no-texts", action="store_true")
    parser.add_argument("--sort-models", nargs="*", default=["multilingual-e5-small", "all-minilm-l6"],
                        help="text models for the length-sorting section (none: skip it)")
    parser.add_argument("--n-mixed", type=int, default=256, help="mixed-length reports for that section")
    args = parser.parse_args()
    args.batches = [int(b) for b in str(args.batch).split(",") if b]
    args.decode_clock = DecodeClock()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2-core machine shared with others: "
          "CPU-time figures are the reliable ones)")
    paths, source = image_paths(args.n_images)
    print(f"images: {len(paths)} from {source}")
    models = [m for m in args.image_models.split(",") if m]
    if args.stages:
        print_stage_table(paths[:256], models)
    worker_counts = [int(w) for w in args.workers.split(",") if w] or [None]
    verdicts = []
    for model_id in models:
        for batch in args.batches:
            for workers in worker_counts:
                res = bench_pipeline(model_id, paths, args, workers, batch)
                verdicts.append(_verdict(f"{model_id} batch {batch}", workers, res))
        if args.layers:
            bench_layers(model_id, paths, args)
    if not args.no_texts:
        texts = report_texts(args.n_texts)
        bench_pipeline(args.text_model, texts, args, None, args.batches[0])
        if args.layers:
            bench_layers(args.text_model, texts, args)
        for model_id in args.sort_models:
            bench_text_sorting(model_id, args.n_mixed, args)
    print("\n".join(verdicts))
    return 0


def _verdict(model_id: str, workers: int | None, res: dict[str, float]) -> str:
    cpu_ok = "OK" if res["cpu_ratio"] >= 0.88 else "BELOW FLOOR"
    nm_ok = "OK" if res["non_model"] <= 1.5 else "ABOVE FLOOR"
    wall = (("OK" if res["wall_ratio"] >= 0.85 else "BELOW FLOOR") if res["load"] < 1.5
            else f"not judged: load {res['load']:.2f} >= 1.5")
    return (f"{model_id} workers {workers or 'default'}: CPU-bound ratio {res['cpu_ratio']:.3f} "
            f"(floor 0.88: {cpu_ok}); non-model CPU {res['non_model']:.2f} ms/image (floor 1.5: "
            f"{nm_ok}); wall ratio {res['wall_ratio']:.3f} (floor 0.85 at load < 1.5: {wall})")


if __name__ == "__main__":
    sys.exit(main())
