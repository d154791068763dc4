"""Colour categories for the scatter: neighbour overlap, the suspect ranking, a label or any metadata column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

# Okabe–Ito-like qualitative palette (colour-blind safe), then grey for "other".
QUALITATIVE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
               "#F0E442", "#7F3C8D", "#11A579", "#3969AC"]
OTHER = "#9A9A9A"
MAX_CATEGORIES = len(QUALITATIVE)


def _lerp(c0: QColor, c1: QColor, t: float) -> QColor:
    return QColor(round(c0.red() + (c1.red() - c0.red()) * t),
                  round(c0.green() + (c1.green() - c0.green()) * t),
                  round(c0.blue() + (c1.blue() - c0.blue()) * t))


def score_colors(steps: int) -> list[QColor]:
    """Red (0, suspect) → amber → teal (1, aligned), ``steps`` colours."""
    stops = [QColor("#C62828"), QColor("#F2A900"), QColor("#00897B")]
    out = []
    for s in range(steps):
        t = s / max(steps - 1, 1)
        out.append(_lerp(stops[0], stops[1], t * 2) if t <= 0.5 else _lerp(stops[1], stops[2], t * 2 - 1))
    return out


def score_categories(scores: np.ndarray, k: int) -> tuple[np.ndarray, list[QColor], list[str]]:
    """Overlap scores are multiples of 1/k: one category per possible value."""
    codes = np.clip(np.rint(np.asarray(scores) * k).astype(np.int64), 0, k)
    names = [f"{c}/{k}" for c in range(k + 1)]
    return codes, score_colors(k + 1), names


def label_categories(values: Sequence[str]) -> tuple[np.ndarray, list[QColor], list[str]]:
    """The most frequent values get their own colour, the rest share grey."""
    counts = Counter(values)
    ranked = sorted(counts, key=lambda v: (-counts[v], v))
    if len(ranked) > MAX_CATEGORIES:
        keep = ranked[: MAX_CATEGORIES - 1]
        names = [v or QCoreApplication.translate("Colors", "(empty)") for v in keep]
        names.append(QCoreApplication.translate("Colors", "other"))
        colors = [QColor(c) for c in QUALITATIVE[: MAX_CATEGORIES - 1]] + [QColor(OTHER)]
    else:
        keep = ranked
        names = [v or QCoreApplication.translate("Colors", "(empty)") for v in keep]
        colors = [QColor(c) for c in QUALITATIVE[: len(keep)]]
    lookup = {v: i for i, v in enumerate(keep)}
    other = len(keep)
    codes = np.fromiter((lookup.get(v, other) for v in values), dtype=np.int64, count=len(values))
    return codes, colors, names


SUSPECT_SHARES = (0.01, 0.05, 0.25)   # top 1 %, 1–5 %, 5–25 % of the suspect ranking, then the rest
FLAGGED_COLOR = "#AD1457"


def suspect_categories(order: np.ndarray, flagged: np.ndarray | None, fdr: float = 0.05
                       ) -> tuple[np.ndarray, list[QColor], list[str]]:
    """Colour by place in the suspect ranking (``order``: most suspect first), so the colours vary
    whatever the score's distribution; pairs beyond the FDR threshold (``flagged``) get their own
    colour. Higher codes are the more suspect (drawn on top)."""
    n = int(np.asarray(order).size)
    place = np.empty(n, dtype=np.float64)
    place[np.asarray(order, dtype=np.int64)] = np.arange(n) / max(n, 1)
    bins = len(SUSPECT_SHARES)
    codes = bins - np.searchsorted(np.asarray(SUSPECT_SHARES), place, side="right").astype(np.int64)
    names = [QCoreApplication.translate("Colors", "the other 75 %"),
             QCoreApplication.translate("Colors", "top 5–25 %"),
             QCoreApplication.translate("Colors", "top 1–5 %"),
             QCoreApplication.translate("Colors", "top 1 %")]
    colors = list(reversed(score_colors(bins + 1)))
    if flagged is not None and np.any(flagged):
        codes = np.where(np.asarray(flagged, dtype=bool), bins + 1, codes)
        names.append(QCoreApplication.translate("Colors", "flagged (q ≤ {0} %)").format(f"{fdr * 100:g}"))
        colors.append(QColor(FLAGGED_COLOR))
    return codes, colors, names


def varies(codes: np.ndarray, most: float = 0.9) -> bool:
    """Whether a colouring shows something: no single colour holds more than ``most`` of the points."""
    codes = np.asarray(codes, dtype=np.int64)
    if codes.size == 0:
        return False
    return bool(np.bincount(codes).max() <= most * codes.size)
