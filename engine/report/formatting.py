"""Number formatting and escaping of user text for the report.

Every number printed in the PDF goes through :func:`fmt` so that tests (and readers)
can compare it with the analysis JSON: ``fmt(x)`` is ``f"{x:.3f}"``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

DASH = "—"


def fmt(value: object, digits: int = 3) -> str:
    """A float with ``digits`` decimals; an em dash for None/NaN/non-numbers."""
    if isinstance(value, bool) or value is None:
        return DASH
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return DASH
        return f"{round(value, digits) + 0.0:.{digits}f}"  # + 0.0: never print -0.000
    return DASH


def fmt_pct(value: object) -> str:
    """A share 0..1 as a percentage with one decimal (e.g. ``41.2 %``)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return f"{100.0 * float(value):.1f} %"
    return DASH


def fmt_interval(ci: object, digits: int = 3) -> str:
    """``[lo, hi]`` as ``lo – hi``; an em dash when absent."""
    if isinstance(ci, Sequence) and not isinstance(ci, str) and len(ci) == 2:
        return f"{fmt(ci[0], digits)} – {fmt(ci[1], digits)}"
    return DASH


def ci_bounds(ci: object, digits: int = 3) -> tuple[str, str]:
    """The two ends of an interval, formatted (em dashes when absent)."""
    if isinstance(ci, Sequence) and not isinstance(ci, str) and len(ci) == 2:
        return fmt(ci[0], digits), fmt(ci[1], digits)
    return DASH, DASH


def esc(text: object) -> str:
    """User text made safe for Qt rich text: ``<b>`` prints as ``<b>``, never as bold."""
    return html.escape(str(text), quote=True)


def excerpt(text: str, limit: int = 220) -> str:
    """The start of a report text on one line, cut at a word boundary with an ellipsis."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + " …"


def device_name(provider: str) -> str:
    """A readable device for an onnxruntime provider name."""
    names = {
        "CPUExecutionProvider": "CPU",
        "CUDAExecutionProvider": "GPU (CUDA)",
        "TensorrtExecutionProvider": "GPU (TensorRT)",
        "DmlExecutionProvider": "GPU (DirectML)",
        "CoreMLExecutionProvider": "Apple (Core ML)",
    }
    return names.get(provider, provider or DASH)
