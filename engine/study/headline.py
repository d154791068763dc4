"""The study's answer in plain words, for the top of the Overview, the CLI and the PDF.

Three short clauses, each from one number of the study (the finding it comes from is named in
the part's ``source``):

1. do photos and reports agree? — mutual kNN of the default pair against chance, and whether
   the shuffled-pairs null rejects chance (alignment table);
2. how many reports look inconsistent with their photo? — the pairs beyond the suspect list's
   false-discovery threshold, or "no usable signal" (suspect pairs);
3. which side carries what predicts the label? — the information each side's best probe
   extracts about the label, H(Y) − cross-entropy in bits (probes).
"""

from __future__ import annotations

from engine.study.messages import message
from engine.study.result import Analysis, Finding, Params

CLEARLY_MORE = 1.25  # one side's probe information at least this multiple of the other's


def _part(key: str, source: str, **params: int | float | str | None) -> Finding:
    p: Params = dict(params)
    p["source"] = source
    return Finding(key=key, params=p, text=message("en", key, **p))


def _agreement(a: Analysis) -> Finding | None:
    pair = a.default_pair()
    if pair is None or "mutual_knn" not in pair.metrics:
        return None
    value, chance = pair.metrics["mutual_knn"], pair.chance_mutual_knn
    null = pair.null.get("mutual_knn")
    shown = round(chance, 3) if chance >= 0.001 else chance  # as the metric cards show it; never 0.000
    if null is not None and null.p >= 0.05:
        return _part("h_agree_chance", "alignment", value=value, chance=shown)
    ratio = value / chance if chance > 0 else float("nan")
    return _part("h_agree", "alignment", ratio=ratio, value=value, chance=shown)


def _suspects(a: Analysis) -> Finding | None:
    check = a.pair_check
    if check is None:
        return None
    if check.state == "no signal":
        return _part("h_suspects_no_signal", "suspects")
    if check.state == "weak":
        return _part("h_suspects_weak", "suspects", auc=check.self_test.auc if check.self_test else None)
    return _part("h_suspects", "suspects", n=check.n_flagged, fdr=check.fdr)


def _carrier(a: Analysis) -> Finding | None:
    if a.probes is None or a.label.column is None:
        return None
    image = max((p.info_bits for p in a.probes.unimodal if p.modality == "image"), default=None)
    text = max((p.info_bits for p in a.probes.unimodal if p.modality == "text"), default=None)
    if image is None or text is None:
        return None
    label = a.label.column
    if text >= CLEARLY_MORE * image and text > 0.05:
        return _part("h_carrier_reports", "probes", label=label, image=image, text=text)
    if image >= CLEARLY_MORE * text and image > 0.05:
        return _part("h_carrier_photos", "probes", label=label, image=image, text=text)
    return _part("h_carrier_both", "probes", label=label, image=image, text=text)


def build_headline(a: Analysis) -> tuple[Finding, ...]:
    """The headline's parts, in order (empty parts left out)."""
    return tuple(p for p in (_agreement(a), _suspects(a), _carrier(a)) if p is not None)


def render_headline(parts: tuple[Finding, ...], lang: str) -> str:
    """The parts joined into one sentence in ``lang``."""
    sep = message(lang, "h_separator")
    text = sep.join(message(lang, p.key, **p.params) for p in parts)
    return text + message(lang, "h_end") if text else ""
