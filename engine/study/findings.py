"""Plain-language findings and the recommendation, generated from the analysis numbers.

The decision rule is the paper's: measure unimodal baselines first; measure how much the
modalities overlap (PID redundancy vs uniqueness vs synergy); measure alignment per pair;
check whether alignment moves performance; invest in explicit alignment only where
baselines are weak and the overlap is real. Every sentence cites the number it rests on.
"""

from __future__ import annotations

from typing import Any

STRONG_BASELINE_F1 = 0.90   # best unimodal macro-F1 at or above this: baseline is strong
REAL_OVERLAP_SHARE = 0.25   # redundancy / I(X1,X2;Y) at or above this (and R >= each U): overlap is real
USEFUL_RETRIEVAL_GAIN = 0.05  # recall@10 gain of a trained alignment over the best linear map


def _ci(ci: list[float] | None, digits: int = 2) -> str:
    return f" [95 % CI {ci[0]:.{digits}f}–{ci[1]:.{digits}f}]" if ci else ""


def _baseline(analysis: dict[str, Any]) -> tuple[list[str], bool | None]:
    probes = {k: v for k, v in analysis.get("probes", {}).items() if isinstance(v, dict)}
    uni = {k: v for k, v in probes.items() if v.get("modality") in ("image", "text")}
    if not uni:
        return [], None
    best_id = max(uni, key=lambda k: uni[k]["macro_f1"])
    best = uni[best_id]
    chance = analysis.get("probes", {}).get("chance")
    strong = best["macro_f1"] >= STRONG_BASELINE_F1
    text = (f"Unimodal baseline: the best single encoder, {best_id} ({best['modality']}), reaches "
            f"macro-F1 {best['macro_f1']:.2f}{_ci(best.get('macro_f1_ci'))} and accuracy "
            f"{best['accuracy']:.2f}{_ci(best.get('accuracy_ci'))}"
            + (f" (majority-class chance {chance:.2f})" if isinstance(chance, float) else "")
            + (f"; that is strong (≥ {STRONG_BASELINE_F1:.2f})." if strong
               else f"; that is below {STRONG_BASELINE_F1:.2f}, so there is room to improve."))
    out = [text]
    fused = {k: v for k, v in probes.items() if v.get("modality") == "fused"}
    if fused:
        fid = max(fused, key=lambda k: fused[k]["macro_f1"])
        gain = fused[fid]["macro_f1"] - best["macro_f1"]
        out.append(f"Simply concatenating the two embeddings ({fid.removeprefix('fused:')}) gives "
                   f"macro-F1 {fused[fid]['macro_f1']:.2f}{_ci(fused[fid].get('macro_f1_ci'))}, "
                   f"{gain:+.2f} over the best single encoder.")
    return out, strong


def _overlap(pid: dict[str, Any] | None) -> tuple[list[str], bool | None]:
    if not pid:
        return [], None
    total = pid["total_mi"]
    r, u1, u2, s = pid["redundancy"], pid["unique_image"], pid["unique_text"], pid["synergy"]
    ci = pid.get("ci", {})
    share = r / total if total > 0 else 0.0
    real = total > 0 and share >= REAL_OVERLAP_SHARE and r >= max(u1, u2)
    out = [(f"Overlap (PID, bits): redundancy R = {r:.3f}{_ci(ci.get('redundancy'), 3)}, unique to "
            f"images U = {u1:.3f}{_ci(ci.get('unique_image'), 3)}, unique to reports U = "
            f"{u2:.3f}{_ci(ci.get('unique_text'), 3)}, synergy S = {s:.3f}{_ci(ci.get('synergy'), 3)}, "
            f"of I = {total:.3f} bits about the label; redundancy is {100 * share:.0f} % of it, "
            + ("so the modalities do share the label information." if real else
               "so most label information is not shared between the modalities."))]
    if pid.get("warning"):
        out.append(f"Caution: {pid['warning']}.")
    return out, real


def _alignment(analysis: dict[str, Any]) -> tuple[list[str], bool | None]:
    pair = next((p for p in analysis.get("pairs", []) if p.get("ci")), None)
    if pair is None and analysis.get("pairs"):
        pair = analysis["pairs"][0]
    if pair is None:
        return [], None
    m = pair["metrics"]
    val = m.get("mutual_knn")
    if val is None:
        return [], None
    ci = pair.get("ci", {}).get("mutual_knn")
    null = pair.get("null", {}).get("mutual_knn")
    k = m.get("k", 10)
    n = m.get("n", 0)
    chance = k / max(n - 1, 1)
    text = (f"Alignment of {pair['image']} × {pair['text']}: mutual kNN (k={k}) = {val:.3f}"
            f"{_ci(ci, 3)} against chance ≈ {chance:.3f}")
    significant = None
    if null:
        significant = null["p"] < 0.05
        text += (f" and a shuffled-pairs null of {null['mean']:.3f} (p = {null['p']:.3g}); "
                 + ("the spaces are aligned beyond chance." if significant
                    else "that is not distinguishable from chance."))
    else:
        text += "."
    return [text], significant


def _retrieval(ret: dict[str, Any] | None) -> tuple[list[str], float | None]:
    if not ret:
        return [], None
    methods = ret["methods"]

    def r10(name: str) -> float:
        return 0.5 * (float(methods[name]["image_to_text"]["10"]) + float(methods[name]["text_to_image"]["10"]))

    base = r10("linear_map")
    trained = {k: r10(k) for k in methods if k != "linear_map"}
    if not trained:
        return [], None
    best = max(trained, key=lambda k: trained[k])
    gain = trained[best] - base
    return [(f"Explicit alignment trial on {ret['n_test']} held-out pairs: recall@10 (mean of both "
             f"directions) is {base:.2f} with the best linear map of the untrained spaces, "
             f"{trained[best]:.2f} with {best} ({gain:+.2f}); chance is {ret['chance']['10']:.3f}.")], gain


def build_findings(analysis: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """(findings, recommendation) from an analysis dict with the keys of analyze.py's schema."""
    findings: list[str] = []
    if analysis.get("label") is None:
        findings.append("No label column was given or found, so unimodal baselines, interactions "
                        "(PID) and the alignment-vs-performance check could not be measured; "
                        "only alignment and suspect pairs are reported.")
    base_txt, strong = _baseline(analysis)
    over_txt, real = _overlap(analysis.get("pid"))
    align_txt, aligned = _alignment(analysis)
    ret_txt, gain = _retrieval(analysis.get("retrieval"))
    findings += base_txt + over_txt + align_txt
    corr = analysis.get("correlation")
    if corr:
        if corr.get("spearman") is None:
            findings.append(f"Alignment vs performance across model pairs: not computable — {corr['reason']}.")
        else:
            findings.append(
                f"Alignment vs performance across {corr['n_pairs']} model pairs: Spearman "
                f"{corr['spearman']:.2f}{_ci(corr.get('spearman_ci'))}, Pearson "
                f"{corr['pearson']:.2f}{_ci(corr.get('pearson_ci'))}; "
                + ("" if corr["meaningful"] else "not meaningful: ") + corr["reason"] + ".")
    findings += ret_txt
    het = analysis.get("heterogeneity")
    if het and het.get("nonlinear_gap") is not None:
        findings.append(f"Heterogeneity: nonlinear gap {het['nonlinear_gap']:.2f} (0 = the spaces "
                        f"relate linearly), linear deficit {het['linear_deficit']:.2f}"
                        + (f", transfer loss {het['transfer']:.2f} bits/sample." if het.get("transfer")
                           is not None else "."))
    return findings, _recommend(strong, real, aligned, gain, analysis)


def _recommend(strong: bool | None, real: bool | None, aligned: bool | None, gain: float | None,
               analysis: dict[str, Any]) -> dict[str, str]:
    pid = analysis.get("pid") or {}
    if strong is None or real is None:
        return {"decision": "measure more",
                "sentence": "Measure more: without a label (or a usable PID) the baselines and the "
                            "overlap that the decision rests on are unknown; add a label column."}
    if pid.get("sparse"):
        return {"decision": "measure more",
                "sentence": f"Measure more: the interaction estimate has "
                            f"{pid.get('samples_per_cell', 0.0):.2f} samples per cell, too few to "
                            "trust the overlap figure; collect more samples or use fewer clusters."}
    if strong:
        return {"decision": "not yet",
                "sentence": "Not yet: the best single encoder already reaches macro-F1 "
                            f"{_best_f1(analysis):.2f}, so explicit alignment has little to add."}
    if not real:
        return {"decision": "not yet",
                "sentence": f"Not yet: redundancy is only {pid['redundancy']:.3f} of "
                            f"{pid['total_mi']:.3f} bits, so aligning the modalities would align "
                            "little that matters for the label; improve the weaker modality instead."}
    if aligned is False:
        return {"decision": "measure more",
                "sentence": "Measure more: the modalities overlap but the current encoders show no "
                            "alignment beyond chance; try larger encoders of each ladder first."}
    if gain is not None and gain < USEFUL_RETRIEVAL_GAIN:
        return {"decision": "not yet",
                "sentence": f"Not yet: the trained alignment improved held-out recall@10 by only "
                            f"{gain:+.2f} over the best linear map."}
    return {"decision": "invest",
            "sentence": f"Invest in explicit alignment: the baseline is weak (macro-F1 "
                        f"{_best_f1(analysis):.2f}), redundancy is {pid['redundancy']:.3f} of "
                        f"{pid['total_mi']:.3f} bits"
                        + (f", and a trained alignment gained {gain:+.2f} recall@10." if gain is not None
                           else ".")}


def _best_f1(analysis: dict[str, Any]) -> float:
    vals = [v["macro_f1"] for v in analysis.get("probes", {}).values()
            if isinstance(v, dict) and v.get("modality") in ("image", "text")]
    return max(vals) if vals else float("nan")
