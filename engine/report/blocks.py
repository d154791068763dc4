"""Building blocks shared by the section builders: the context, tables, notes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.report.formatting import esc
from engine.report.inputs import ReportInputs
from engine.report.texts import tr
from engine.study.result import Analysis, PairResult

THUMB_MM = 18.0
TABLE = (
    '<table width="100%" border="1" cellpadding="3" cellspacing="0" '
    'style="border-collapse: collapse; border-color: #999999; font-size: 9pt">'
)


@dataclass(frozen=True)
class FigureSpec:
    """A plot to draw with ``ui.plots.figures.<function>(*args)`` at the given size."""

    key: str
    function: str
    args: tuple[Any, ...]
    width_mm: float
    height_mm: float


@dataclass
class Context:
    """What every section builder reads; figures/thumbnails are filled as sections go."""

    lang: str
    analysis: Analysis
    inputs: ReportInputs
    figures: dict[str, FigureSpec]
    thumbnails: dict[str, Path]
    width_mm: float
    attachment_name: str

    def t(self, key: str, **values: object) -> str:
        """Translated, filled and escaped text."""
        return esc(tr(self.lang, key, **values))

    def figure(self, key: str, function: str, args: tuple[Any, ...], height_mm: float, caption: str) -> str:
        width = min(self.width_mm, 165.0)
        self.figures[key] = FigureSpec(key, function, args, width, height_mm)
        return (
            f'<p align="center" style="margin-top: 8px"><img src="figure:{key}" {{{{size:{key}}}}}></p>'
            f'<p align="center" style="font-size: 8.5pt; color: #444444">{caption}</p>'
        )

    def default_pair(self) -> PairResult | None:
        return self.analysis.default_pair()

    def k(self) -> int:
        return self.analysis.per_sample.k

    def label(self) -> str | None:
        return self.analysis.label.column


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """An HTML table; cells are already escaped HTML. ``align`` is one char per column (l/r/c)."""
    def cell(tag: str, i: int, value: str) -> str:
        a = {"r": "right", "c": "center"}.get(align[i] if i < len(align) else "l", "left")
        return f'<{tag} align="{a}">{value}</{tag}>'

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f'{TABLE}<tr bgcolor="#e8eef5">{head}</tr>{body}</table>'


def note(text: str) -> str:
    return f'<p style="color: #8a4b00">{text}</p>'
