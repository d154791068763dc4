"""Benchmark of layer-wise alignment (issue 13). Not a test: prints figures and a ratio.

    .venv/bin/python benchmarks/bench_layerwise.py                 # n = 10,000, k = 10
    .venv/bin/python benchmarks/bench_layerwise.py --n 2000 --repeat 3

Shapes of the default ladder's layer outputs: an EfficientNet-lite0-like image model with
8 layers of widths 16/24/40/80/112/192/320/1280 and a MiniLM-L6-like text model with 7 layers
of width 384. Planted data: every layer is a random projection of a shared 32-d latent plus
layer-specific noise (deeper image layers carry more of the latent), float32.

Baseline (same run): the 15 k-NN graphs alone (L2-normalise + ``knn_graph``, as
``layer_graphs`` does). Measured: ``layerwise_alignments`` for mutual kNN and cycle kNN of
all 56 layer pairs, graphs included. The target is a ratio ≤ 1.3: each graph is computed
once and every pair is read off the graphs. Wall and CPU seconds, best of ``--repeat``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IMAGE_WIDTHS = (16, 24, 40, 80, 112, 192, 320, 1280)
TEXT_LAYERS, TEXT_WIDTH = 7, 384
LATENT = 32


def make_layers(n: int, seed: int = 0) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, LATENT), dtype=np.float32)

    def layer(width: int, signal: float) -> np.ndarray:
        proj = rng.standard_normal((LATENT, width), dtype=np.float32) / np.sqrt(LATENT)
        noise = rng.standard_normal((n, width), dtype=np.float32)
        return (signal * (z @ proj) + noise).astype(np.float32)

    image = {f"stage{i + 1}": layer(w, 0.5 + 0.3 * i) for i, w in enumerate(IMAGE_WIDTHS)}
    text = {f"layer{j + 1}": layer(TEXT_WIDTH, 0.5 + 0.4 * j) for j in range(TEXT_LAYERS)}
    return image, text


def graphs_alone(image: dict[str, np.ndarray], text: dict[str, np.ndarray], k: int) -> None:
    from engine.metrics.knn import knn_graph
    from engine.metrics.validate import l2_normalize

    for x in list(image.values()) + list(text.values()):
        knn_graph(l2_normalize(x), k)


def layerwise(image: dict[str, np.ndarray], text: dict[str, np.ndarray], k: int) -> dict[str, float]:
    from engine.metrics.layerwise import layerwise_alignments

    res = layerwise_alignments(image, text, metrics=("mutual_knn", "cycle_knn"), k=k)
    return {m: r.max for m, r in res.items()}


def timed(fn: object, *args: object) -> tuple[float, float, object]:
    wall0, cpu0 = time.perf_counter(), time.process_time()
    out = fn(*args)  # type: ignore[operator]
    return time.perf_counter() - wall0, time.process_time() - cpu0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    image, text = make_layers(args.n)
    graphs_alone(image, text, args.k)  # warm-up (thread pool, BLAS)
    base, full = [], []
    for _ in range(args.repeat):  # interleaved, so load changes hit both alike
        wall, cpu, _ = timed(graphs_alone, image, text, args.k)
        base.append((wall, cpu))
        wall, cpu, maxima = timed(layerwise, image, text, args.k)
        full.append((wall, cpu))
    bw, bc = min(w for w, _ in base), min(c for _, c in base)
    fw, fc = min(w for w, _ in full), min(c for _, c in full)
    print(f"n = {args.n}, k = {args.k}: {len(image)} image layers × {len(text)} text layers "
          f"= {len(image) * len(text)} pairs; load average {os.getloadavg()[0]:.1f}")
    print(f"15 k-NN graphs alone      : {bw:7.2f} s wall  {bc:7.2f} s CPU")
    print(f"layer-wise (graphs + pairs): {fw:7.2f} s wall  {fc:7.2f} s CPU   maxima {maxima}")
    print(f"ratio (target ≤ 1.3)      : {fw / bw:7.3f} wall  {fc / bc:7.3f} CPU")


if __name__ == "__main__":
    main()
