"""Plain-language findings and the recommendation, generated from the typed analysis.

Every finding is a message key with its numbers (:class:`engine.study.result.Finding`); the
sentence is produced from a catalogue (:mod:`engine.study.messages`) in the language shown, so
the GUI, the CLI and the PDF say the same thing in English and Japanese. Every sentence
cites the number it rests on.
"""

from __future__ import annotations

from typing import Any

from engine.study.interactions import Interactions
from engine.study.messages import Params, msg
from engine.study.recommend import REAL_OVERLAP_SHARE, STRONG_BASELINE_F1
from engine.study.result import Analysis, Finding, Recommendation, Retrieval, RuleFired


def _finding(key: str, **params: Any) -> Finding:
    return msg(key, **params)


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


def _overlap(pid: Interactions | None) -> tuple[list[Finding], bool | None]:
    if pid is None:
        return [], None
    total = pid.total_mi
    share = pid.redundancy / total if total > 0 else 0.0
    real = total > 0 and share >= REAL_OVERLAP_SHARE and pid.redundancy >= max(pid.unique_image, pid.unique_text)
    out = [_finding("f_pid_shared" if real else "f_pid_not_shared", r=pid.redundancy, u_img=pid.unique_image,
                    u_txt=pid.unique_text, s=pid.synergy, total=total, share=share)]
    out += [_finding("f_pid_caution", warning_key=w.key, **w.params) for w in pid.warnings]
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
        findings.append(_finding("f_corr_none", reason_key=c.reason.key, **c.reason.params))
    else:
        findings.append(_finding("f_corr" if c.meaningful else "f_corr_not_meaningful", **{
            **c.reason.params, "n": c.n_points, "over": c.over, "spearman": c.spearman, "pearson": c.pearson,
            "reason_key": c.reason.key}))
    findings += ret
    het = a.heterogeneity
    if het is not None and het.nonlinear_gap is not None and het.linear_deficit is not None:
        findings.append(_finding("f_heterogeneity", gap=het.nonlinear_gap, deficit=het.linear_deficit))
    del strong, real, aligned  # the recommendation applies its own rules (engine.study.recommend)
    return tuple(findings), _recommend(a, gain)


def _recommend(a: Analysis, gain: float | None) -> Recommendation:
    """The rules of engine.study.recommend on this analysis' numbers, as the typed answer."""
    from engine.study.recommend import Interval as RInterval
    from engine.study.recommend import RecommendationInputs, majority_macro_f1_of, recommend

    f1: dict[str, float] = {}
    majority = None
    if a.probes is not None:
        for modality in ("image", "text"):
            best = max((p.macro_f1 for p in a.probes.unimodal if p.modality == modality), default=None)
            if best is not None:
                f1[modality] = best
        majority = majority_macro_f1_of(a.probes.chance, a.n_classes) if a.n_classes else None
    pid = a.pid

    def part(name: str) -> RInterval | None:
        if pid is None:
            return None
        lo, hi = pid.ci.get(name, (float("nan"), float("nan")))
        return RInterval(float(getattr(pid, name)), lo, hi)

    c = a.correlation
    rho = None if c.spearman is None or c.spearman_ci is None else RInterval(c.spearman, *c.spearman_ci)
    het = {} if a.heterogeneity is None or a.heterogeneity.linear_deficit is None \
        else {"linear_deficit": a.heterogeneity.linear_deficit}
    rec = recommend(RecommendationInputs(
        has_label=a.label.column is not None and a.probes is not None, macro_f1=f1, majority_f1=majority,
        redundancy=part("redundancy"), unique_image=part("unique_image"), unique_text=part("unique_text"),
        synergy=part("synergy"), total_mi=pid.total_mi if pid is not None else None,
        pid_intervals_validated=pid.intervals_validated if pid is not None else False,
        pid_n=pid.cells.n_samples if pid is not None else 0,
        pid_samples_per_occupied_cell=pid.cells.samples_per_occupied_cell if pid is not None else None,
        ladder_n_pairs=c.n_points, ladder_spearman=rho, ladder_meaningful=c.meaningful,
        ladder_over="layer pairs" if c.over.startswith("layer") else "model pairs",
        heterogeneity=het, retrieval_gain=gain))
    key, params = rec.key_and_params()
    rules = tuple(RuleFired(id=r.rule_id, source=r.source, reference=r.reference, key=f"r_{r.rule_id}",
                            params={**r.values, **r.thresholds}) for r in rec.rules)
    return Recommendation(decision=rec.decision, key=key, params=dict(params), text=rec.sentence("en"),
                          weaker_modality=rec.weaker_modality, answer=rec.answer,
                          deciding_rule=rec.deciding_rule, rules=rules)
