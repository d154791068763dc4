"""Plain-language findings and the recommendation, generated from the typed analysis.

Every finding is a message key with its numbers (:class:`engine.study.result.Finding`); the
sentence is produced from a catalogue (:mod:`engine.study.messages`) in the language shown, so
the GUI, the CLI and the PDF say the same thing in English and Japanese. Every sentence
cites the number it rests on.
"""

from __future__ import annotations

from typing import Any

from engine.study.messages import message
from engine.study.result import Analysis, Finding, Params, PidResult, Recommendation, Retrieval

STRONG_BASELINE_F1 = 0.90   # AlignScope's threshold: best unimodal macro-F1 at or above it is strong
REAL_OVERLAP_SHARE = 0.25   # AlignScope's threshold: redundancy / I(X1,X2;Y) at or above it (and R >= each U)
USEFUL_RETRIEVAL_GAIN = 0.05  # AlignScope's threshold: recall@10 gain of a trained alignment over the linear map


def _finding(key: str, **params: Any) -> Finding:
    return Finding(key=key, params=params, text=message("en", key, **params))


def _baseline(a: Analysis) -> tuple[list[Finding], bool | None]:
    if a.probes is None:
        return [], None
    best = a.probes.best_unimodal()
    if best is None:
        return [], None
    strong = best.macro_f1 >= STRONG_BASELINE_F1
    below_chance = best.accuracy <= a.probes.chance
    key = "f_baseline_below_chance" if below_chance else ("f_baseline_strong" if strong else "f_baseline_weak")
    out = [_finding(key, model=best.model, modality=best.modality, f1=best.macro_f1,
                    f1_lo=best.macro_f1_ci[0], f1_hi=best.macro_f1_ci[1], acc=best.accuracy,
                    chance=a.probes.chance, threshold=STRONG_BASELINE_F1)]
    if a.probes.fused:
        fused = max(a.probes.fused, key=lambda p: (p.macro_f1, p.model))
        out.append(_finding("f_fused", pair=fused.model, f1=fused.macro_f1, f1_lo=fused.macro_f1_ci[0],
                            f1_hi=fused.macro_f1_ci[1], gain=fused.macro_f1 - best.macro_f1))
    return out, strong


def _overlap(pid: PidResult | None) -> tuple[list[Finding], bool | None]:
    if pid is None:
        return [], None
    total = pid.total_mi
    share = pid.redundancy / total if total > 0 else 0.0
    real = total > 0 and share >= REAL_OVERLAP_SHARE and pid.redundancy >= max(pid.unique_image, pid.unique_text)
    out = [_finding("f_pid_shared" if real else "f_pid_not_shared", r=pid.redundancy, u_img=pid.unique_image,
                    u_txt=pid.unique_text, s=pid.synergy, total=total, share=share)]
    if pid.warning:
        out.append(_finding("f_pid_caution", warning=pid.warning))
    return out, real


def _alignment(a: Analysis) -> tuple[list[Finding], bool | None]:
    pair = a.default_pair()
    if pair is None or "mutual_knn" not in pair.metrics:
        return [], None
    null = pair.null.get("mutual_knn")
    ci = pair.ci.get("mutual_knn")
    params: Params = dict(image=pair.image, text=pair.text, k=pair.k, value=pair.metrics["mutual_knn"],
                                  chance=pair.chance_mutual_knn,
                                  lo=ci[0] if ci else None, hi=ci[1] if ci else None)
    if null is None:
        return [_finding("f_alignment", **params)], None
    significant = null.p < 0.05
    key = "f_alignment_beyond_chance" if significant else "f_alignment_chance"
    return [_finding(key, null_mean=null.mean, p=null.p, **params)], significant


def _retrieval(ret: Retrieval | None) -> tuple[list[Finding], float | None]:
    if ret is None or "linear_map" not in ret.methods:
        return [], None
    base = ret.methods["linear_map"].mean_recall()
    trained = {k: m.mean_recall() for k, m in ret.methods.items() if k != "linear_map"}
    if not trained:
        return [], None
    best = max(trained, key=lambda k: (trained[k], k))
    gain = trained[best] - base
    return [_finding("f_retrieval", n_test=ret.n_test, base=base, method=best, best=trained[best], gain=gain,
                     chance=ret.chance.get("10", float("nan")))], gain


def build_findings(a: Analysis) -> tuple[tuple[Finding, ...], Recommendation]:
    """(findings, recommendation) of an analysis whose numbers are computed."""
    findings: list[Finding] = []
    if a.label.column is None:
        findings.append(_finding("f_no_label"))
    base, strong = _baseline(a)
    over, real = _overlap(a.pid)
    align, aligned = _alignment(a)
    ret, gain = _retrieval(a.retrieval)
    findings += base + over + align
    c = a.correlation
    if c.spearman is None or c.pearson is None:
        findings.append(_finding("f_corr_none", reason=c.reason))
    else:
        findings.append(_finding("f_corr" if c.meaningful else "f_corr_not_meaningful", n=c.n_points,
                                 over=c.over, spearman=c.spearman, pearson=c.pearson, reason=c.reason))
    findings += ret
    het = a.heterogeneity
    if het is not None and het.nonlinear_gap is not None and het.linear_deficit is not None:
        findings.append(_finding("f_heterogeneity", gap=het.nonlinear_gap, deficit=het.linear_deficit))
    return tuple(findings), _recommend(strong, real, aligned, gain, a)


def _rec(decision: str, key: str, **params: Any) -> Recommendation:
    return Recommendation(decision=decision, key=key, params=params, text=message("en", key, **params))


def _recommend(strong: bool | None, real: bool | None, aligned: bool | None, gain: float | None,
               a: Analysis) -> Recommendation:
    pid = a.pid
    best = a.probes.best_unimodal() if a.probes is not None else None
    if strong is None or real is None or pid is None or best is None:
        return _rec("measure more", "r_no_label")
    if pid.sparse:
        return _rec("measure more", "r_sparse", per_cell=pid.samples_per_cell)
    if strong:
        return _rec("not yet", "r_strong_baseline", f1=best.macro_f1, model=best.model)
    if not real:
        return _rec("not yet", "r_little_overlap", r=pid.redundancy, total=pid.total_mi)
    if aligned is False:
        return _rec("measure more", "r_no_alignment")
    if gain is not None and gain < USEFUL_RETRIEVAL_GAIN:
        return _rec("not yet", "r_small_gain", gain=gain)
    return _rec("invest", "r_invest", f1=best.macro_f1, r=pid.redundancy, total=pid.total_mi,
                gain=gain if gain is not None else float("nan"))
