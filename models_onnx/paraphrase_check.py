"""The Japanese paraphrase check of the text rungs, through the CLI (`alignscope encode --texts`).

For each Japanese query: is its Japanese paraphrase the nearest (cosine) of 20 Japanese
candidates, and is its English translation the nearest of 20 English candidates? The 20
candidates of query i are the answers of items i, i+1, …, i+19 (cyclically), so every
query meets 19 distractors of the same inspection domain and every item is used. Floors
(issue 16): ≥ 90 % Japanese paraphrases and ≥ 80 % English translations ranked first.

Data: a TSV of (query, paraphrase, English translation); ``#`` lines are comments.
Used by tests/test_multilingual_paraphrase.py and benchmarks/bench_multilingual.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

N_CANDIDATES = 20
FLOOR_JA = 0.9
FLOOR_EN = 0.8
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "paraphrase_ja.tsv"


@dataclass(frozen=True)
class ParaphraseScore:
    model_id: str
    queries: int
    ja_hits: int  # paraphrase ranked first among the Japanese candidates
    en_hits: int  # translation ranked first among the English candidates

    @property
    def ja_rate(self) -> float:
        return self.ja_hits / self.queries

    @property
    def en_rate(self) -> float:
        return self.en_hits / self.queries

    @property
    def passes(self) -> bool:
        return self.ja_rate >= FLOOR_JA and self.en_rate >= FLOOR_EN


def load_items(path: Path = DATA) -> list[tuple[str, str, str]]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}: line {number} has {len(parts)} fields (expected 3, tab-separated)")
        items.append((parts[0], parts[1], parts[2]))
    if len(items) < N_CANDIDATES:
        raise ValueError(f"{path}: {len(items)} items; the check needs at least {N_CANDIDATES}")
    return items


def top1_hits(queries: np.ndarray, answers: np.ndarray, n_candidates: int = N_CANDIDATES) -> int:
    """How many queries have their own answer as the most similar of their candidate window."""
    n = len(queries)
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    a = answers / np.linalg.norm(answers, axis=1, keepdims=True)
    hits = 0
    for i in range(n):
        window = [(i + k) % n for k in range(min(n_candidates, n))]
        sims = a[window] @ q[i]
        hits += int(window[int(np.argmax(sims))] == i)
    return hits


def encode_with_cli(model_id: str, texts: list[str], *, threads: int = 2, env: dict[str, str] | None = None) -> np.ndarray:
    """Embeddings of ``texts`` from `alignscope encode --model ID --texts FILE` (a subprocess)."""
    with tempfile.TemporaryDirectory() as work:
        src, out = Path(work) / "texts.txt", Path(work) / "emb.npy"
        src.write_text("\n".join(texts) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "app", "encode", "--model", model_id, "--texts", str(src),
               "--out", str(out), "--device", "cpu", "--threads", str(threads)]
        run_env = {**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)}
        done = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"alignscope encode failed ({done.returncode}): {done.stderr[-1500:]}")
        return np.load(out)


def paraphrase_score(model_id: str, items: list[tuple[str, str, str]], **kwargs: object) -> ParaphraseScore:
    texts = [q for q, _, _ in items] + [p for _, p, _ in items] + [e for _, _, e in items]
    emb = encode_with_cli(model_id, texts, **kwargs)  # type: ignore[arg-type]
    n = len(items)
    queries, paraphrases, english = emb[:n], emb[n:2 * n], emb[2 * n:]
    return ParaphraseScore(model_id, n, top1_hits(queries, paraphrases), top1_hits(queries, english))
