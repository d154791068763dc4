"""Inspection-report writer for the demo dataset.

Reports read like notes typed by inspectors at the end of a shift: varied structure and
vocabulary, defect and severity words, location words, measured values with units,
line/shift notes and remarks. They carry information the image does not (measured
tension and humidity, line events, dispositions) and some defects are described only
vaguely, so image and report share some information but not all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LOCAL_DEFECTS = ("snag", "hole", "slub", "knot", "broken pick", "float", "thick place",
                 "thin place", "pinhole", "spot")
GLOBAL_DEFECTS = ("uneven weave density", "barre", "shade variation", "texture drift",
                  "mottling", "warp streaks", "irregular texture", "loss of pattern regularity")
SEVERITY_WORDS = {
    "minor": ("slight", "minor", "small", "faint"),
    "moderate": ("moderate", "noticeable", "clear", "visible"),
    "major": ("severe", "pronounced", "major", "large", "heavy"),
}
LOCATIONS = ("near the left selvedge", "close to the right edge", "in the upper third",
             "in the lower half", "at the centre of the panel", "towards the top-left corner",
             "near the bottom-right corner", "about 40 mm from the leading edge",
             "mid-width", "along the middle band")
NOMINAL_FINDINGS = (
    "No defects found.", "Surface OK, no visible faults.", "Weave uniform; nothing to report.",
    "Texture regular across the panel.", "Visual check passed, no anomalies.",
    "No snags, holes or streaks observed.", "Clean surface, structure consistent.",
    "Inspected under standard lighting: conforming.", "Nothing abnormal on the face side.",
)
VAGUE_FINDINGS = (
    "Something looks off on this one, could not pin it down.",
    "Possible irregularity, hard to judge under this light.",
    "Not sure: appearance slightly different from the reference swatch.",
    "Flagged by the operator, unclear what the issue is.",
    "Looks a bit strange. Second opinion requested.",
)
LINE_NOTES = {
    "L1": ("L1 running normally.", "Line 1 changed warp beam earlier in the shift.",
           "L1 take-up roller cleaned before this lot."),
    "L2": ("L2 stable.", "Line 2: new yarn cone batch loaded.", "L2 speed reduced for trial."),
    "L3": ("L3 humidity control alarm earlier today.", "Line 3 restarted after warp break.",
           "L3 air-jet pressure fluctuating, maintenance informed."),
    "L4": ("L4 nominal.", "Line 4 after scheduled maintenance.", "L4 tension sensor recalibrated."),
}
SHIFT_NOTES = {
    "day": ("Day shift.", "Checked at start of day shift."),
    "evening": ("Evening shift.", "Late-shift check."),
    "night": ("Night shift, reduced lighting at station 2.", "Night shift check."),
}
REMARKS = {
    "nominal": ("Released.", "OK to ship.", "Pass.", "Accepted.", ""),
    "defect": ("Sent to rework.", "Hold for QA review.", "Rejected.", "Quarantined pending review.",
               "Marked for cutting out.", "Downgraded to second quality."),
}
LONG_APPENDIX = (
    "Additional remarks from the shift log follow because the customer requested full "
    "traceability for this lot. The operator confirmed the loom settings against the "
    "setting sheet, the yarn lot numbers were cross-checked with the warehouse records, "
    "the lighting at the inspection table was measured and found within the specified "
    "range, and the reference swatch was replaced with a fresh one from the master book. "
    "Temperature in the weaving hall stayed within tolerance during the whole shift and "
    "no unusual vibration was reported by the maintenance crew. The sample was photographed "
    "twice, once under diffuse light and once under raking light, and both photographs were "
    "archived with the lot record. The inspector also notes that the previous three panels "
    "from the same beam showed comparable characteristics and that the trend will be "
    "followed on the next shift together with the process engineer responsible for the line."
)


@dataclass(frozen=True)
class Facts:
    """What the report talks about (some of it is invisible in the image)."""

    defect_class: str  # nominal / local_defect / global_defect
    severity: str  # none / minor / moderate / major
    line: str
    shift: str
    tension_cn: float
    humidity_pct: float
    speed_rpm: int


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def _finding(rng: np.random.Generator, f: Facts, vague: bool) -> list[str]:
    if f.defect_class == "nominal":
        return [_pick(rng, NOMINAL_FINDINGS)]
    if vague:
        return [_pick(rng, VAGUE_FINDINGS)]
    sev = _pick(rng, SEVERITY_WORDS.get(f.severity, ("visible",)))
    if f.defect_class == "local_defect":
        kind = _pick(rng, LOCAL_DEFECTS)
        where = _pick(rng, LOCATIONS)
        size = float(rng.uniform(1.5, 12.0))
        forms = (
            f"{sev.capitalize()} {kind} {where}, approx. {size:.1f} mm.",
            f"Found a {sev} {kind} {where} ({size:.0f} mm).",
            f"Local fault: {kind}, {sev}, {where}. Size about {size:.1f} mm.",
            f"{where.capitalize()} there is a {sev} {kind}.",
            f"One {kind} ({sev}) {where}; measured {size:.1f} mm across.",
        )
    else:
        kind = _pick(rng, GLOBAL_DEFECTS)
        extent = int(rng.integers(40, 101))
        forms = (
            f"{sev.capitalize()} {kind} over the whole panel.",
            f"Global issue: {kind} ({sev}), affecting about {extent}% of the surface.",
            f"Whole sample shows {sev} {kind}.",
            f"{kind.capitalize()} across the width, {sev}.",
            f"Panel-wide {kind}; severity {f.severity}.",
        )
    return [_pick(rng, forms)]


def _measurements(rng: np.random.Generator, f: Facts) -> list[str]:
    forms = (
        f"Tension {f.tension_cn:.1f} cN, RH {f.humidity_pct:.0f}%.",
        f"Yarn tension measured at {f.tension_cn:.1f} cN; humidity {f.humidity_pct:.0f} %RH.",
        f"RH {f.humidity_pct:.0f}%, tension {f.tension_cn:.1f} cN, loom {f.speed_rpm} rpm.",
        f"Loom speed {f.speed_rpm} rpm.",
        f"Tension reading {f.tension_cn:.1f} cN.",
        "",
    )
    text = _pick(rng, forms)
    return [text] if text else []


def write_report(rng: np.random.Generator, f: Facts, *, vague: bool = False,
                 long: bool = False) -> str:
    """One inspection report for the facts ``f``; clause order and wording vary with ``rng``."""
    parts = _finding(rng, f, vague)
    extras: list[str] = []
    extras += _measurements(rng, f)
    if rng.random() < 0.6:
        extras.append(_pick(rng, LINE_NOTES[f.line]))
    if rng.random() < 0.35:
        extras.append(_pick(rng, SHIFT_NOTES[f.shift]))
    order = rng.permutation(len(extras))
    body = parts + [extras[i] for i in order] if rng.random() < 0.7 else (
        [extras[i] for i in order] + parts
    )
    remark = _pick(rng, REMARKS["nominal" if f.defect_class == "nominal" else "defect"])
    if remark:
        body.append(remark)
    if long:
        body.append(LONG_APPENDIX)
    text = " ".join(body)
    if rng.random() < 0.15:
        text = text.replace(". ", "; ", 1)
    if rng.random() < 0.1:
        text = text.lower()
    return text
