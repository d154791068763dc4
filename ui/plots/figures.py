"""Reusable study figures: plain data in (pieces of the ``analyze()`` dict), a configured
pyqtgraph widget out. The GUI views and the PDF report render the SAME functions.

Stable signatures (all keyword ``theme`` is "light" or "dark"; "light" suits paper); inputs
are the typed parts of :class:`engine.study.result.Analysis`::

    alignment_vs_k_plot(curve: AlignmentCurve | None, theme) -> pg.PlotWidget
    ladder_heatmap(pairs: Sequence[PairResult] | None, metric="mutual_knn", theme) -> pg.PlotWidget
        colours run from 0 to at least three times the chance level, so a difference of a
        thousandth does not look like the whole scale
    alignment_vs_performance_plot(pairs, correlation: Correlation | None, metric=None, theme)
        each pair's mean probe accuracy (image and report) on y
    pid_bars(pid: PidResult | None, theme) -> pg.PlotWidget
    heterogeneity_bars(h: Heterogeneity | None, theme) -> pg.PlotWidget
    retrieval_bars(retrieval: Retrieval | None, direction="image_to_text", theme) -> pg.PlotWidget
    metric_bars(metrics: {name: float}, ci={name: (lo, hi)}, theme) -> pg.PlotWidget
    render_png(widget, width=900, height=520) -> QImage        # for PDFs: draw offscreen at a size

Missing data (None or empty) gives a plot with a centred note instead of raising, so a
report can always place the figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from engine.study.interactions import Interactions
from engine.study.messages import method_label, metric_label
from engine.study.result import (
    AlignmentCurve,
    Correlation,
    Heterogeneity,
    PairResult,
    Retrieval,
)
from ui.i18n import active_language

THEMES: dict[str, dict[str, str]] = {
    "light": {"bg": "#FFFFFF", "fg": "#202020", "grid": "#D0D0D0", "note": "#707070"},
    "dark": {"bg": "#1E1F22", "fg": "#E0E0E0", "grid": "#45474D", "note": "#A0A0A0"},
}
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
CHANCE = "#888888"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Figures", text)


def _metric(name: str) -> str:
    """A metric as an axis or a title names it (glossed in Japanese: 「相互k近傍 (mutual_knn)」)."""
    return metric_label(active_language(), name)


def _base(title: str, theme: str, x_label: str = "", y_label: str = "") -> pg.PlotWidget:
    colors = THEMES.get(theme, THEMES["light"])
    w = pg.PlotWidget(background=colors["bg"])
    item = w.getPlotItem()
    item.setTitle(title, color=colors["fg"], size="11pt")
    for side in ("left", "bottom"):
        ax = item.getAxis(side)
        ax.setPen(pg.mkPen(colors["fg"]))
        ax.setTextPen(pg.mkPen(colors["fg"]))
        ax.enableAutoSIPrefix(False)
    if x_label:
        item.setLabel("bottom", x_label, color=colors["fg"])
    if y_label:
        item.setLabel("left", y_label, color=colors["fg"])
    item.showGrid(x=False, y=True, alpha=0.15)
    item.setMenuEnabled(False)
    item.hideButtons()
    w.setMinimumSize(280, 200)
    return w


def _note(w: pg.PlotWidget, text: str, theme: str) -> pg.PlotWidget:
    colors = THEMES.get(theme, THEMES["light"])
    label = pg.TextItem(text, color=colors["note"], anchor=(0.5, 0.5))
    w.addItem(label)
    label.setPos(0.5, 0.5)
    w.setXRange(0, 1)
    w.setYRange(0, 1)
    w.getPlotItem().hideAxis("left")
    w.getPlotItem().hideAxis("bottom")
    return w


def _legend(w: pg.PlotWidget, theme: str, offset: tuple[int, int] = (-10, 10)) -> pg.LegendItem:
    colors = THEMES.get(theme, THEMES["light"])
    leg = w.getPlotItem().addLegend(offset=offset, labelTextColor=colors["fg"])
    leg.setBrush(pg.mkBrush(QColor(colors["bg"])))
    return leg


def _ticks(w: pg.PlotWidget, names: Sequence[str], axis: str = "bottom") -> None:
    ax = w.getPlotItem().getAxis(axis)
    ax.setTicks([[(i, n) for i, n in enumerate(names)]])
    if axis == "left":
        width = QFontMetrics(ax.font() if hasattr(ax, "font") else QFont()).horizontalAdvance(max(names, key=len, default=""))
        ax.setWidth(width + 40)


def _error_bars(w: pg.PlotWidget, x: np.ndarray, y: np.ndarray, ci: Sequence[Sequence[float] | None], theme: str) -> None:
    lo = np.array([y[i] - c[0] if c else 0.0 for i, c in enumerate(ci)], dtype=float)
    hi = np.array([c[1] - y[i] if c else 0.0 for i, c in enumerate(ci)], dtype=float)
    if np.any(lo) or np.any(hi):
        fg = THEMES.get(theme, THEMES["light"])["fg"]
        w.addItem(pg.ErrorBarItem(x=x, y=y, top=np.maximum(hi, 0), bottom=np.maximum(lo, 0), beam=0.2,
                                  pen=pg.mkPen(fg, width=1.5)))


def alignment_vs_k_plot(curve: AlignmentCurve | None, theme: str = "light") -> pg.PlotWidget:
    w = _base(_tr("Alignment vs k ({0})").format(_metric("mutual_knn")), theme, "k", _metric("mutual_knn"))
    if curve is None or not curve.k:
        return _note(w, _tr("no alignment curve yet: run the study"), theme)
    _legend(w, theme, offset=(10, 10))  # top left: the curves rise to the top right
    k = np.asarray(curve.k, dtype=float)
    w.plot(k, np.asarray(curve.mutual_knn, dtype=float), pen=pg.mkPen(SERIES[0], width=2.5),
           name=_tr("image ↔ report"))
    w.plot(k, np.asarray(curve.chance, dtype=float),
           pen=pg.mkPen(CHANCE, width=2, style=Qt.PenStyle.DashLine), name=_tr("chance k/(n−1)"))
    w.setYRange(0, max(0.05, float(np.max(curve.mutual_knn)) * 1.15))
    return w


def ladder_heatmap(pairs: Sequence[PairResult] | None, metric: str = "mutual_knn",
                   theme: str = "light") -> pg.PlotWidget:
    w = _base(_tr("Alignment per encoder pair ({0})").format(_metric(metric)), theme, _tr("report encoder"),
              _tr("image encoder"))
    if not pairs:
        return _note(w, _tr("no encoder pairs yet: embed and run the study"), theme)
    images = sorted({p.image for p in pairs})
    texts = sorted({p.text for p in pairs})
    grid = np.full((len(texts), len(images)), np.nan)
    for p in pairs:
        val = p.metrics.get(metric)
        if val is not None and np.isfinite(val):
            grid[texts.index(p.text), images.index(p.image)] = float(val)
    finite = grid[np.isfinite(grid)]
    # anchored at 0 and at least 3× chance (mutual kNN) so tiny differences stay tiny in colour
    chance = max((p.chance_mutual_knn for p in pairs if np.isfinite(p.chance_mutual_knn)), default=0.0)
    lo = min(0.0, float(finite.min())) if finite.size else 0.0
    hi = max(float(finite.max()) if finite.size else 1.0, 3.0 * chance if metric == "mutual_knn" else 0.0)
    if hi - lo < 1e-9:
        hi = lo + 1.0
    cmap = pg.colormap.get("viridis")
    img = pg.ImageItem(np.nan_to_num(grid, nan=lo))
    img.setColorMap(cmap)
    img.setLevels((lo, hi))
    w.addItem(img)
    img.setRect(-0.5, -0.5, len(texts), len(images))
    for ti in range(len(texts)):
        for ii in range(len(images)):
            v = grid[ti, ii]
            txt = "—" if not np.isfinite(v) else f"{v:.3f}"
            t = (v - lo) / (hi - lo) if np.isfinite(v) else 0
            label = pg.TextItem(txt, color="#000000" if t > 0.6 else "#FFFFFF", anchor=(0.5, 0.5))
            label.setFont(QFont(label.textItem.font().family(), 10, QFont.Weight.Bold))
            w.addItem(label)
            label.setPos(ti, ii)
    _ticks(w, texts, "bottom")
    _ticks(w, images, "left")
    w.getPlotItem().showGrid(x=False, y=False)
    w.setXRange(-0.5, len(texts) - 0.5, padding=0.02)
    w.setYRange(-0.5, len(images) - 0.5, padding=0.02)
    w.setMouseEnabled(x=False, y=False)
    return w


def alignment_vs_performance_plot(pairs: Sequence[PairResult] | None,
                                  correlation: Correlation | None,
                                  metric: str | None = None, theme: str = "light") -> pg.PlotWidget:
    metric = metric or (correlation.metric if correlation is not None else "mutual_knn")
    title = _tr("Alignment vs performance")
    # ρ in the title only when it was computed over the points drawn (the encoder pairs); a
    # correlation over layer pairs is said in words beside the plot
    if correlation is not None and correlation.spearman is not None and correlation.over == "model pairs":
        title += "  (" + _tr("Spearman ρ = {0:.2f}").format(correlation.spearman)
        if correlation.spearman_ci is not None:
            title += f" [{correlation.spearman_ci[0]:.2f}, {correlation.spearman_ci[1]:.2f}]"
        title += ")"
    w = _base(title, theme, _metric(metric), _tr("mean probe accuracy (image and report)"))
    pts = [(float(p.metrics[metric]), float(perf), f"{p.image} + {p.text}")
           for p in (pairs or []) if (perf := p.performance) is not None and metric in p.metrics]
    if not pts:
        return _note(w, _tr("needs a label column and at least one encoder pair"), theme)
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    w.addItem(pg.ScatterPlotItem(x=x, y=y, size=12, brush=pg.mkBrush(SERIES[0]), pen=pg.mkPen("#FFFFFF")))
    fg = THEMES.get(theme, THEMES["light"])["fg"]
    for xi, yi, name in pts:
        label = pg.TextItem(name, color=fg, anchor=(0, 1))
        w.addItem(label)
        label.setPos(xi, yi)
    # (whether the correlation means anything is said in words beside the plot, in the GUI
    # and in the report: a sentence inside the plot area ran off its edge)
    pad_x = max(float(np.ptp(x)) * 0.3, abs(float(x.mean())) * 0.2, 1e-4)
    pad_y = max(float(np.ptp(y)) * 0.3, 0.02)
    w.setXRange(float(x.min()) - pad_x, float(x.max()) + pad_x * 2)
    w.setYRange(float(y.min()) - pad_y, float(y.max()) + pad_y)
    return w


def _bars(w: pg.PlotWidget, names: Sequence[str], values: Sequence[float],
          ci: Sequence[Sequence[float] | None], theme: str, colors: Sequence[str] | None = None) -> pg.PlotWidget:
    x = np.arange(len(names), dtype=float)
    y = np.asarray(values, dtype=float)
    brushes = [pg.mkBrush(c) for c in (colors or SERIES)[: len(names)]] if colors else pg.mkBrush(SERIES[0])
    if isinstance(brushes, list) and len(brushes) < len(names):
        brushes = [pg.mkBrush(SERIES[i % len(SERIES)]) for i in range(len(names))]
    w.addItem(pg.BarGraphItem(x=x, height=y, width=0.6, brushes=brushes if isinstance(brushes, list) else None,
                              brush=None if isinstance(brushes, list) else brushes, pen=pg.mkPen(None)))
    _error_bars(w, x, y, ci, theme)
    fg = THEMES.get(theme, THEMES["light"])["fg"]
    top = max(float(np.max(y)) if y.size else 0.0, max((c[1] for c in ci if c), default=0.0))
    for xi, yi in zip(x, y, strict=True):
        label = pg.TextItem(f"{yi:.3f}", color=fg, anchor=(0.5, 1))
        w.addItem(label)
        label.setPos(xi, yi + top * 0.02)
    _ticks(w, names)
    w.setXRange(-0.6, len(names) - 0.4, padding=0)
    w.setYRange(min(0.0, float(np.min(y)) if y.size else 0.0), top * 1.2 if top > 0 else 1.0)
    w.setMouseEnabled(x=False, y=False)
    return w


def pid_bars(pid: Interactions | None, theme: str = "light") -> pg.PlotWidget:
    w = _base(_tr("Interactions about the label (bits)"), theme, "", _tr("bits"))
    if pid is None:
        return _note(w, _tr("needs a label column: run the study with --label"), theme)
    keys = ["redundancy", "unique_image", "unique_text", "synergy"]
    names = [_tr("Redundancy R"), _tr("Unique image U₁"), _tr("Unique report U₂"), _tr("Synergy S")]
    values = [max(0.0, float(getattr(pid, k))) for k in keys]  # information is never shown negative
    return _bars(w, names, values, [pid.ci.get(k) for k in keys], theme,
                 ["#0072B2", "#E69F00", "#56B4E9", "#CC79A7"])


def heterogeneity_bars(h: Heterogeneity | None, theme: str = "light") -> pg.PlotWidget:
    w = _base(_tr("Heterogeneity scores"), theme)
    if h is None:
        return _note(w, _tr("no heterogeneity scores yet"), theme)
    # transfer is a loss of information, >= 0 in expectation: a noisy negative estimate is drawn
    # as 0 (the views and the report give the measured value beside the figure)
    scores = {k: (max(0.0, v) if k == "transfer" else v) for k in HETEROGENEITY_SCORES
              if (v := getattr(h, k)) is not None}
    return _bars(w, [heterogeneity_label(k) for k in scores], list(scores.values()), [None] * len(scores), theme)


HETEROGENEITY_SCORES = ("nonlinear_gap", "linear_deficit", "transfer")


def heterogeneity_label(name: str) -> str:
    """A heterogeneity score's name in the UI language (the bars' labels)."""
    labels = {"nonlinear_gap": _tr("nonlinear gap"), "linear_deficit": _tr("linear deficit"),
              "transfer": _tr("transfer loss (bits)")}
    return labels.get(name, name)


def retrieval_bars(retrieval: Retrieval | None, direction: str = "image_to_text",
                   theme: str = "light") -> pg.PlotWidget:
    arrow = _tr("image → report") if direction == "image_to_text" else _tr("report → image")
    w = _base(_tr("Retrieval on held-out pairs ({0})").format(arrow), theme, _tr("recall@k"), _tr("recall"))
    methods = retrieval.methods if retrieval is not None else {}
    if not methods:
        return _note(w, _tr("no retrieval trial yet: run the study"), theme)
    _legend(w, theme, offset=(10, 10))
    ks = ["1", "5", "10"]
    names = list(methods)
    width = 0.8 / max(len(names), 1)
    top = 0.0
    for m, name in enumerate(names):
        res = methods[name].image_to_text if direction == "image_to_text" else methods[name].text_to_image
        ci = methods[name].ci.get(direction, {})
        x = np.arange(len(ks)) - 0.4 + width * (m + 0.5)
        y = np.array([float(res.get(k) or 0.0) for k in ks])
        w.addItem(pg.BarGraphItem(x=x, height=y, width=width * 0.9, brush=pg.mkBrush(SERIES[m % len(SERIES)]),
                                  pen=pg.mkPen(None), name=method_label(active_language(), name)))
        _error_bars(w, x, y, [ci.get(k) for k in ks], theme)
        top = max(top, float(y.max()), max((c[1] for c in ci.values() if c), default=0.0))
    chance = retrieval.chance if retrieval is not None else {}
    if chance:
        cx = np.repeat(np.arange(len(ks), dtype=float), 2) + np.tile([-0.45, 0.45], len(ks))
        cy = np.repeat([float(chance.get(k) or 0.0) for k in ks], 2)
        w.plot(cx, cy, pen=pg.mkPen(CHANCE, width=2, style=Qt.PenStyle.DashLine), connect="pairs",
               name=_tr("chance"))
    _ticks(w, [f"R@{k}" for k in ks])
    w.setXRange(-0.6, len(ks) - 0.4, padding=0)
    w.setYRange(0, min(1.05, top * 1.25) if top > 0 else 1.0)
    w.setMouseEnabled(x=False, y=False)
    return w


def metric_bars(metrics: Mapping[str, float] | None, ci: Mapping[str, Sequence[float]] | None = None,
                theme: str = "light") -> pg.PlotWidget:
    w = _base(_tr("Alignment metrics"), theme)
    if not metrics:
        return _note(w, _tr("no metrics yet"), theme)
    names = [k for k, v in metrics.items() if isinstance(v, int | float)]
    return _bars(w, names, [float(metrics[k]) for k in names], [(ci or {}).get(k) for k in names], theme)


def render_png(widget: pg.PlotWidget | pg.GraphicsLayoutWidget, width: int = 900, height: int = 520) -> QImage:
    """Draw a figure offscreen at a fixed pixel size (for PDFs and thumbnails)."""
    from PySide6.QtWidgets import QApplication

    was_visible = widget.isVisible()
    widget.resize(width, height)
    if not was_visible:
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.show()
    QApplication.processEvents()
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(widget.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    widget.render(painter)
    painter.end()
    if not was_visible:
        widget.hide()
    return image


# the layer-wise figures live next door; re-exported so the GUI and the PDF find them here
from ui.plots.figures_layers import alignment_vs_depth_plot, layer_heatmap  # noqa: E402

__all__ = [
    "alignment_vs_depth_plot",
    "alignment_vs_k_plot",
    "alignment_vs_performance_plot",
    "heterogeneity_bars",
    "ladder_heatmap",
    "layer_heatmap",
    "metric_bars",
    "pid_bars",
    "render_png",
    "retrieval_bars",
]
