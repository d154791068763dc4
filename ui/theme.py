"""Light and dark palettes (Fusion style + a small stylesheet) and plot colours to match."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ui.resource_paths import RESOURCES

THEMES = ("light", "dark")

_COLORS = {
    "light": {"window": "#F3F4F6", "base": "#FFFFFF", "alt": "#F7F7F9", "text": "#1F2328",
              "button": "#E9EBEE", "highlight": "#1F6FEB", "htext": "#FFFFFF", "mid": "#C9CDD3",
              "disabled": "#8C959F", "link": "#0B5CD5", "plot_bg": "#FFFFFF", "plot_fg": "#2B2F36"},
    "dark": {"window": "#1E1F22", "base": "#26282C", "alt": "#2C2E33", "text": "#E6E6E6",
             "button": "#33363B", "highlight": "#3D8BFD", "htext": "#FFFFFF", "mid": "#4A4D55",
             "disabled": "#7D828A", "link": "#6CB6FF", "plot_bg": "#1A1B1E", "plot_fg": "#D0D3D8"},
}


def colors(theme: str) -> dict[str, str]:
    return _COLORS.get(theme, _COLORS["light"])


def figure_theme(theme: str) -> str:
    """The ui.plots.figures theme name for an application theme."""
    return "dark" if theme == "dark" else "light"


def apply_theme(app: QApplication, theme: str) -> None:
    """Set palette, stylesheet and pyqtgraph defaults; restyle plots already on screen."""
    c = colors(theme)
    app.setStyle("Fusion")
    pal = QPalette()
    role = QPalette.ColorRole
    pal.setColor(role.Window, QColor(c["window"]))
    pal.setColor(role.WindowText, QColor(c["text"]))
    pal.setColor(role.Base, QColor(c["base"]))
    pal.setColor(role.AlternateBase, QColor(c["alt"]))
    pal.setColor(role.Text, QColor(c["text"]))
    pal.setColor(role.Button, QColor(c["button"]))
    pal.setColor(role.ButtonText, QColor(c["text"]))
    pal.setColor(role.Highlight, QColor(c["highlight"]))
    pal.setColor(role.HighlightedText, QColor(c["htext"]))
    pal.setColor(role.ToolTipBase, QColor(c["base"]))
    pal.setColor(role.ToolTipText, QColor(c["text"]))
    pal.setColor(role.PlaceholderText, QColor(c["disabled"]))
    pal.setColor(role.Link, QColor(c["link"]))
    pal.setColor(role.Mid, QColor(c["mid"]))
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, r, QColor(c["disabled"]))
    app.setPalette(pal)
    qss = RESOURCES / "styles" / f"{theme}.qss"
    app.setStyleSheet(qss.read_text(encoding="utf-8") if qss.exists() else "")
    pg.setConfigOptions(background=c["plot_bg"], foreground=c["plot_fg"], antialias=False)
    for w in app.allWidgets():
        if isinstance(w, pg.PlotWidget | pg.GraphicsLayoutWidget) and w.property("themed") is not False:
            style_plot(w, theme)


def style_plot(w: QWidget, theme: str) -> None:
    c = colors(theme)
    if isinstance(w, pg.PlotWidget | pg.GraphicsLayoutWidget):
        w.setBackground(c["plot_bg"])
    if isinstance(w, pg.PlotWidget):
        item = w.getPlotItem()
        for side in ("left", "bottom"):
            ax = item.getAxis(side)
            ax.setPen(pg.mkPen(c["plot_fg"]))
            ax.setTextPen(pg.mkPen(c["plot_fg"]))
        title = item.titleLabel
        if title.text:
            title.setText(title.text, color=c["plot_fg"])
