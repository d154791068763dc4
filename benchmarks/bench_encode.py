"""Encoding throughput: full pipeline (files on disk → embeddings) vs bare ``session.run``.

    .venv/bin/python benchmarks/bench_encode.py [--threads 2] [--batch 32] [--n-images 512]
                                                [--n-texts 512] [--repeats 3] [--device cpu]

For efficientnet-lite0 (the 250-px conformal-clip-data textile JPEGs) and all-minilm-l6
(report-like texts): items/s of ``Encoder.encode`` and items/s of ``session.run`` alone on
tensors prepared beforehand, with the same session, batch and threads, interleaved in the
same run (median of the repeats), and their ratio. Floor for images: ratio >= 0.80.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine.encoders import load_encoder
from engine.encoders.images import preprocess_image

PHRASES = [
    "Inspection of roll {n} on line {line}, {shift} shift.",
    "A local defect was found {where}, about {size} mm across, severity {sev}.",
    "The weave looks uniform and no defects were observed under raking light.",
    "Global distortion of the pattern across the sample, probably a tension problem.",
    "Colour is within tolerance; measured delta E {de:.1f}.",
    "Inspector {who} recommends {action} before shipping.",
]


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


def textile_paths(n: int) -> list[Path]:
    import conformal_clip_data as ccd

    paths: list[Path] = []
    for folder in (ccd.nominal_dir(), ccd.local_dir(), ccd.global_dir()):
        paths.extend(sorted(Path(folder).glob("*.jpg")))
    return sorted(paths)[:n]


def bench(model_id: str, items: list[Any], args: argparse.Namespace) -> tuple[float, float, float]:
    enc = load_encoder(model_id, device=args.device, threads=args.threads)
    sess = enc.session
    b = args.batch
    if enc.spec.modality == "image":
        prep = {**enc.spec.preprocessing}
        tensors = np.stack([preprocess_image(p, prep) for p in items])
        name = sess.get_inputs()[0].name
        feeds = [{name: tensors[i:i + b]} for i in range(0, len(items), b)]
    else:
        assert enc._tokenizer is not None
        feeds = []
        for i in range(0, len(items), b):
            tb = enc._tokenizer.encode_batch(items[i:i + b])
            feeds.append({"input_ids": tb.input_ids, "attention_mask": tb.attention_mask})
    out_name = sess.get_outputs()[0].name

    cpu = {"bare": 0.0, "pipeline": 0.0}  # process CPU seconds (all threads), load-independent

    def bare() -> float:
        t, c = time.perf_counter(), time.process_time()
        for f in feeds:
            sess.run([out_name], f)
        cpu["bare"] += time.process_time() - c
        return len(items) / (time.perf_counter() - t)

    def pipeline() -> float:
        t, c = time.perf_counter(), time.process_time()
        enc.encode(items, batch_size=b)
        cpu["pipeline"] += time.process_time() - c
        return len(items) / (time.perf_counter() - t)

    sess.run([out_name], feeds[0])  # warm-up
    # interleaved rounds (bare first on even rounds, pipeline first on odd ones) so that load
    # from other processes hits both alike; the ratio is the median of the per-round ratios
    bare_rates, pipe_rates, ratios = [], [], []
    for r in range(args.repeats):
        if r % 2 == 0:
            br, pr = bare(), pipeline()
        else:
            pr, br = pipeline(), bare()
        bare_rates.append(br)
        pipe_rates.append(pr)
        ratios.append(pr / br)
    bare_r = statistics.median(bare_rates)
    pipe_r = statistics.median(pipe_rates)
    ratio = statistics.median(ratios)
    kind = "images" if enc.spec.modality == "image" else "texts"
    print(f"{model_id:<20} {enc.provider:<22} batch {b} threads {args.threads} n {len(items)}: "
          f"pipeline {pipe_r:7.1f} {kind}/s  bare session.run {bare_r:7.1f} {kind}/s  "
          f"ratio {ratio:.3f}   (per-round ratios {[round(x, 3) for x in ratios]})", flush=True)
    per_item = {k: v / (args.repeats * len(items)) * 1e3 for k, v in cpu.items()}
    print(f"{'':<20} CPU per item: bare {per_item['bare']:.2f} ms, pipeline {per_item['pipeline']:.2f} ms "
          f"-> CPU-bound ratio on an otherwise idle machine ~ {per_item['bare'] / per_item['pipeline']:.3f}",
          flush=True)
    return pipe_r, bare_r, ratio


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
    b = args.batch

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
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--n-images", type=int, default=512)
    parser.add_argument("--n-texts", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--image-model", default="efficientnet-lite0")
    parser.add_argument("--text-model", default="all-minilm-l6")
    parser.add_argument("--sort-models", nargs="*", default=["multilingual-e5-small", "all-minilm-l6"],
                        help="text models for the length-sorting section (none: skip it)")
    parser.add_argument("--n-mixed", type=int, default=256, help="mixed-length reports for that section")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (2-core machine shared with others: noisy)")
    _, _, ratio = bench(args.image_model, textile_paths(args.n_images), args)
    texts = report_texts(args.n_texts)
    bench(args.text_model, texts, args)
    print(f"image pipeline / bare = {ratio:.3f} (floor 0.80): {'OK' if ratio >= 0.80 else 'BELOW FLOOR'}")
    for model_id in args.sort_models:
        bench_text_sorting(model_id, args.n_mixed, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
