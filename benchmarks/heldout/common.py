"""Shared pieces of the held-out builders: samples, planting, metadata, atomic writing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

INSPECTORS_EN: tuple[str, ...] = ("M. Keller", "A. Novak", "J. Okafor", "L. Brandt", "S. Moreau",
                                  "R. Patel", "K. Lindqvist", "D. Rossi")
INSPECTORS_JA: tuple[str, ...] = ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村",
                                  "小林", "加藤")


@dataclass
class Sample:
    """One generated pair: the picture, the report describing it, its manifest values."""

    ident: str
    image: Image.Image
    report: str
    values: dict[str, str]
    group: str  # the label the planting tries to differ from (class / part type)
    traits: tuple[str, ...] = field(default_factory=tuple)  # secondary attributes


def pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return str(options[int(rng.integers(len(options)))])


def chance(rng: np.random.Generator, p: float) -> bool:
    return bool(rng.random() < p)


def random_date(rng: np.random.Generator, start: dt.date = dt.date(2025, 6, 2),
                days: int = 120, ja: bool = False) -> str:
    day = start + dt.timedelta(days=int(rng.integers(0, days)))
    return day.strftime("%Y/%m/%d") if ja else day.isoformat()


def add_typos(rng: np.random.Generator, text: str, rate: float) -> str:
    """Swap, drop or double one letter in a few words (English keyboard slips)."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 4 or not word.isalpha() or not chance(rng, rate):
            continue
        j = int(rng.integers(1, len(word) - 1))
        kind = int(rng.integers(3))
        if kind == 0:
            word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
        elif kind == 1:
            word = word[:j] + word[j + 1:]
        else:
            word = word[:j] + word[j] + word[j:]
        words[i] = word
    return " ".join(words)


def sprinkle(rng: np.random.Generator, parts: list[str], pool: Sequence[str],
             counts: Sequence[int]) -> list[str]:
    """Insert a random number (drawn from ``counts``) of distinct ``pool`` sentences after the first."""
    k = min(len(pool), int(rng.choice(np.asarray(counts))))
    out = list(parts)
    for j in rng.choice(len(pool), size=k, replace=False):
        out.insert(int(rng.integers(1, len(out) + 1)), str(pool[int(j)]))
    return out


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def finish_en(rng: np.random.Generator, parts: list[str], filler: Sequence[str],
              long_notes: Sequence[str], long_rate: float = 0.06) -> str:
    """Join sentences; sometimes add a long inspector narrative; at least 5, at most 80 words."""
    if chance(rng, long_rate):
        parts = [*parts, pick(rng, long_notes)]
    text = " ".join(parts)
    while len(text.split()) < 5:
        text = f"{text} {pick(rng, filler)}"
    if chance(rng, 0.08):
        text = text.upper() if chance(rng, 0.3) else text.lower()
    return clip_words(add_typos(rng, text, 0.03 if chance(rng, 0.3) else 0.0))


def clip_words(text: str, max_words: int = 80) -> str:
    words = text.split()
    if len(words) <= max_words:
        return text
    return " ".join(words[:max_words]).rstrip(",;") + "."


def plant_mismatches(rng: np.random.Generator, samples: list[Sample],
                     n_planted: int) -> list[tuple[int, int]]:
    """Choose ``n_planted`` target rows and, for each, a donor row whose report it receives.

    Donors are never targets (every copied report truly describes some image) and are
    preferably of another group and with no secondary trait in common.
    """
    n = len(samples)
    if not 0 <= n_planted <= n // 2:
        raise ValueError(f"--planted must be between 0 and n/2 = {n // 2} (got {n_planted})")
    order = [int(i) for i in rng.permutation(n)]
    targets = order[:n_planted]
    donors_pool = order[n_planted:]
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for t in targets:
        def score(d: int, t: int = t) -> int:
            other_group = samples[d].group != samples[t].group
            shared = len(set(samples[d].traits) & set(samples[t].traits))
            return (4 if other_group else 0) - shared
        candidates = [d for d in donors_pool[: 64 + len(used)] if d not in used]
        best = max(candidates, key=score)
        used.add(best)
        pairs.append((t, best))
    return pairs


def apply_plants(samples: list[Sample], pairs: list[tuple[int, int]]) -> None:
    originals = [s.report for s in samples]
    for target, donor in pairs:
        samples[target].report = originals[donor]


def _atomic_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_image(image: Image.Image, path: Path) -> None:
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=90)
    _atomic_bytes(path, buf.getvalue())


def write_manifest(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]],
                   encoding: str) -> None:
    """CSV as Excel writes it (CRLF); ``encoding`` "utf-8" or "cp932" (strict: no lossy text)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    _atomic_bytes(path, buf.getvalue().encode(encoding, errors="strict"))


def write_json(path: Path, payload: dict[str, object]) -> None:
    _atomic_bytes(path, (json.dumps(payload, ensure_ascii=False, indent=1) + "\n").encode())


def write_dataset(out: Path, samples: list[Sample], header: Sequence[str], encoding: str,
                  planted: dict[str, object],
                  progress: Callable[[int, int], None] | None = None) -> Path:
    """Write images/, manifest.csv and planted.json into ``out``; return the manifest path."""
    out.mkdir(parents=True, exist_ok=True)
    for i, s in enumerate(samples):
        save_image(s.image, out / s.values[header[1]])
        if progress is not None:
            progress(i + 1, len(samples))
    rows = [[s.values[h] if h != header[2] else s.report for h in header] for s in samples]
    manifest = out / "manifest.csv"
    write_manifest(manifest, header, rows, encoding)
    write_json(out / "planted.json", planted)
    return manifest
