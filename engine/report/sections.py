"""HTML of the report's sections 2–4 (summary, alignment, interactions); 5–7 in
:mod:`engine.report.sections_detail`. Every user string goes through ``esc``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.metrics.api import METRIC_NAMES
from engine.report.blocks import THUMB_MM, Context, chance_mutual_knn, note, table
from engine.report.formatting import DASH, esc, fmt, fmt_interval, fmt_pct
from engine.report.texts import metric_definition, tr

METRIC_ORDER = METRIC_NAMES  # one list of metrics for the whole app


# ---------------------------------------------------------------------------- 2. summary
def summary(ctx: Context) -> str:
    a = ctx.analysis
    n = a.get("n", ctx.inputs.n_used)
    out = [f"<p>{ctx.t('sum_intro', n=n)}</p>"]
    bullets: list[str] = []
    pair = ctx.default_pair()
    if pair is not None:
        metrics = pair.get("metrics") or {}
        ci = (pair.get("ci") or {}).get("mutual_knn")
        null = (pair.get("null") or {}).get("mutual_knn")
        lo, hi = (fmt(ci[0]), fmt(ci[1])) if ci else (DASH, DASH)
        null_part = ""
        if null:
            null_part = tr(ctx.lang, "sum_null_part", mean=fmt(null.get("mean")), p=fmt(null.get("p")))
        chance = chance_mutual_knn(a, ctx.k(), n if isinstance(n, int) else None)
        bullets.append(
            ctx.t("sum_headline", image=pair.get("image"), text=pair.get("text"),
                  value=fmt(metrics.get("mutual_knn")), lo=lo, hi=hi, chance=fmt(chance),
                  null_part=null_part)
        )
    label = ctx.label()
    probes = a.get("probes") or {}
    if label and probes:
        uni = {m: p for m, p in probes.items() if isinstance(p, Mapping) and p.get("modality") in ("image", "text")}
        if uni:
            best = max(uni, key=lambda m: float(uni[m].get("accuracy") or 0.0))
            bullets.append(ctx.t("sum_probe", label=label, acc=fmt(uni[best].get("accuracy")),
                                 model=best, chance=fmt(probes.get("chance"))))
        fused = {m: p for m, p in probes.items() if isinstance(p, Mapping) and p.get("modality") == "fused"}
        for model, p in fused.items():
            bullets.append(ctx.t("sum_fused", model=model.removeprefix("fused:"), acc=fmt(p.get("accuracy"))))
    pid = a.get("pid")
    if label and isinstance(pid, Mapping):
        bullets.append(ctx.t("sum_pid", label=label, r=fmt(pid.get("redundancy")),
                             ui=fmt(pid.get("unique_image")), ut=fmt(pid.get("unique_text")),
                             s=fmt(pid.get("synergy")), total=fmt(pid.get("total_mi"))))
    corr = a.get("correlation") or {}
    if corr:
        if corr.get("meaningful"):
            bullets.append(ctx.t("sum_corr", n=corr.get("n_pairs"), rho=fmt(corr.get("spearman"))))
        elif corr.get("reason"):
            bullets.append(ctx.t("sum_corr_not", reason=corr.get("reason")))
    ret = a.get("retrieval")
    if isinstance(ret, Mapping) and ret.get("best"):
        best = str(ret["best"])
        r10 = ((ret.get("methods") or {}).get(best) or {}).get("image_to_text", {}).get("10")
        bullets.append(ctx.t("sum_retrieval", method=tr(ctx.lang, f"method_{best}") if best in
                             ("linear_map", "cca", "contrastive") else best,
                             r=fmt_pct(r10), chance=fmt_pct((ret.get("chance") or {}).get("10"))))
    if ctx.inputs.suspects:
        bullets.append(ctx.t("sum_suspects", n=len(ctx.inputs.suspects)))
    bullets.append(ctx.t("sum_quarantine", n=ctx.inputs.n_quarantined))
    if not label:
        bullets.append(ctx.t("sum_no_label"))
    out.append(f"<h2>{ctx.t('sum_key_numbers')}</h2><ul>")
    out.extend(f"<li>{b}</li>" for b in bullets)
    out.append("</ul>")
    rec = a.get("recommendation") or {}
    if rec:
        decision = str(rec.get("decision", ""))
        title = tr(ctx.lang, f"decision_{decision}") if f"decision_{decision}" in _decisions() else decision
        out.append(
            f"<h2>{ctx.t('sum_recommendation')}</h2>"
            '<table width="100%" cellpadding="8" cellspacing="0" bgcolor="#eef6ee" '
            'style="border: 1px solid #6a9a6a">'
            f'<tr><td><p style="font-size: 12pt"><b>{esc(title)}</b></p>'
            f"<p>{esc(rec.get('sentence', ''))}</p></td></tr></table>"
        )
    findings = [str(f) for f in a.get("findings") or []]
    if findings:
        out.append(f"<h2>{ctx.t('sum_findings')}</h2>")
        note = ctx.t("sum_findings_note")
        if note:
            out.append(f'<p style="color: #555555">{note}</p>')
        out.append("<ul>" + "".join(f"<li>{esc(f)}</li>" for f in findings) + "</ul>")
    return "".join(out)


def _decisions() -> set[str]:
    return {"decision_invest", "decision_not yet", "decision_measure more"}


# ---------------------------------------------------------------------------- 3. alignment
def metrics_rows(ctx: Context, pair: Mapping[str, Any]) -> list[list[str]]:
    """Rows of the metrics table: metric, value, interval, null mean, p, chance."""
    metrics = pair.get("metrics") or {}
    cis = pair.get("ci") or {}
    nulls = pair.get("null") or {}
    n = ctx.analysis.get("n")
    chance = chance_mutual_knn(ctx.analysis, ctx.k(), n if isinstance(n, int) else None)
    rows = []
    for name in METRIC_ORDER:
        if name not in metrics:
            continue
        null = nulls.get(name) or {}
        rows.append([
            esc(name),
            fmt(metrics.get(name)),
            fmt_interval(cis.get(name)),
            fmt(null.get("mean")) if null else DASH,
            fmt(null.get("p")) if null else DASH,
            fmt(chance) if name == "mutual_knn" else DASH,
        ])
    return rows


def alignment(ctx: Context) -> str:
    a = ctx.analysis
    out = [f"<p>{ctx.t('al_intro')}</p>"]
    pair = ctx.default_pair()
    if pair is None:
        return "".join([*out, note(ctx.t("al_no_pairs"))])
    head = [ctx.t(c) for c in ("col_metric", "col_value", "col_interval", "col_null", "col_p", "col_chance")]
    out.append(f"<h2>{ctx.t('al_metrics_table', image=pair.get('image'), text=pair.get('text'), n=a.get('n'), k=ctx.k() or DASH)}</h2>")
    out.append(table(head, metrics_rows(ctx, pair), "lrrrrr"))
    curve = a.get("alignment_curve")
    if curve:
        out.append(ctx.figure("alignment_vs_k", "alignment_vs_k_plot", (dict(curve),), 70.0, ctx.t("al_fig_curve")))
    pairs = [dict(p) for p in a.get("pairs") or []]
    corr = dict(a.get("correlation") or {})
    metric = str(corr.get("metric") or "mutual_knn")
    out.append(f"<h2>{ctx.t('al_ladder_table')}</h2>")
    rows = [
        [esc(p.get("image")), esc(p.get("text")), fmt((p.get("metrics") or {}).get(metric)),
         fmt(p.get("image_probe")), fmt(p.get("text_probe")), fmt(p.get("fused_probe")),
         fmt(p.get("performance"))]
        for p in pairs
    ]
    head = [ctx.t("col_image_model"), ctx.t("col_text_model"), esc(metric), ctx.t("col_image_probe"),
            ctx.t("col_text_probe"), ctx.t("col_fused_probe"), ctx.t("col_performance")]
    out.append(table(head, rows, "llrrrrr"))
    if len(pairs) > 1:
        out.append(ctx.figure("ladder_heatmap", "ladder_heatmap", (pairs, metric), 70.0,
                              ctx.t("al_fig_heatmap", metric=metric)))
    if corr:
        if corr.get("meaningful"):
            s_lo, s_hi = _bounds(corr.get("spearman_ci"))
            p_lo, p_hi = _bounds(corr.get("pearson_ci"))
            out.append("<p>" + ctx.t("al_corr", metric=metric, n=corr.get("n_pairs"),
                                     spearman=fmt(corr.get("spearman")), s_lo=s_lo, s_hi=s_hi,
                                     pearson=fmt(corr.get("pearson")), p_lo=p_lo, p_hi=p_hi) + "</p>")
        else:
            out.append(note(ctx.t("al_corr_not", reason=corr.get("reason") or DASH)))
        if any(p.get("performance") is not None for p in pairs):
            out.append(ctx.figure("alignment_vs_performance", "alignment_vs_performance_plot",
                                  (pairs, corr), 70.0, ctx.t("al_fig_perf")))
    out.append(_probes(ctx))
    return "".join(out)


def _bounds(ci: object) -> tuple[str, str]:
    if isinstance(ci, Sequence) and not isinstance(ci, str) and len(ci) == 2:
        return fmt(ci[0]), fmt(ci[1])
    return DASH, DASH


def _probes(ctx: Context) -> str:
    label = ctx.label()
    probes = ctx.analysis.get("probes") or {}
    if not label or not probes:
        return note(ctx.t("al_no_probes"))
    rows = []
    for model, p in probes.items():
        if not isinstance(p, Mapping):
            continue
        modality = str(p.get("modality", ""))
        rows.append([
            esc(model.removeprefix("fused:")),
            ctx.t(f"modality_{modality}") if modality in ("image", "text", "fused") else esc(modality),
            fmt(p.get("accuracy")), fmt_interval(p.get("accuracy_ci")),
            fmt(p.get("macro_f1")), fmt_interval(p.get("macro_f1_ci")),
        ])
    head = [ctx.t(c) for c in ("col_model", "col_modality", "col_accuracy", "col_interval",
                               "col_macro_f1", "col_interval")]
    return (
        f"<h2>{ctx.t('al_probe_table', label=label)}</h2>" + table(head, rows, "llrrrr")
        + f"<p>{ctx.t('probe_chance', chance=fmt(probes.get('chance')))}</p>"
    )


# ---------------------------------------------------------------------------- 4. interactions
PID_PARTS: tuple[str, ...] = ("redundancy", "unique_image", "unique_text", "synergy", "total_mi")


def interactions(ctx: Context) -> str:
    a = ctx.analysis
    label = ctx.label()
    out: list[str] = []
    pid = a.get("pid")
    if label and isinstance(pid, Mapping):
        out.append(f"<p>{ctx.t('in_intro', label=label)}</p>")
        out.append(f"<h2>{ctx.t('in_pid_table', label=label)}</h2>")
        cis = pid.get("ci") or {}
        rows = [[ctx.t(f"pid_{p}"), fmt(pid.get(p)), fmt_interval(cis.get(p))] for p in PID_PARTS]
        out.append(table([ctx.t("col_part"), ctx.t("col_bits"), ctx.t("col_interval")], rows, "lrr"))
        out.append("<p>" + ctx.t("pid_cells", cells=pid.get("cells", DASH), possible=pid.get("possible_cells", DASH),
                                 per_cell=fmt(pid.get("samples_per_cell"), 1), solver=pid.get("solver", DASH)) + "</p>")
        if pid.get("warning"):
            out.append(note(ctx.t("pid_sparse", warning=pid.get("warning"))))
        out.append(ctx.figure("pid_bars", "pid_bars", (dict(pid),), 65.0, ctx.t("in_fig_pid")))
    else:
        out.append(note(ctx.t("in_no_label")))
    het = a.get("heterogeneity")
    out.append(f"<h2>{ctx.t('in_het_title')}</h2>")
    if isinstance(het, Mapping):
        out.append(f"<p>{ctx.t('in_het_intro')}</p>")
        explain = het.get("explanation") or {}
        rows = []
        for name in ("nonlinear_gap", "linear_deficit", "id_ratio", "transfer"):
            if name not in het:
                continue
            meaning = explain.get(name) if ctx.lang == "en" and explain.get(name) else tr(ctx.lang, f"het_{name}_meaning")
            rows.append([ctx.t(f"het_{name}"), fmt(het.get(name)), esc(meaning)])
        out.append(table([ctx.t("col_score"), ctx.t("col_value"), ctx.t("col_meaning")], rows, "lrl"))
        out.append(ctx.figure("heterogeneity_bars", "heterogeneity_bars", (dict(het),), 55.0, ctx.t("in_fig_het")))
    else:
        out.append(note(ctx.t("in_no_het")))
    out.append(f"<h2>{ctx.t('in_ret_title')}</h2>")
    ret = a.get("retrieval")
    if isinstance(ret, Mapping) and ret.get("methods"):
        out.append(_retrieval(ctx, ret))
    else:
        out.append(note(ctx.t("in_no_retrieval")))
    return "".join(out)


def _retrieval(ctx: Context, ret: Mapping[str, Any]) -> str:
    best = str(ret.get("best", ""))
    best_name = tr(ctx.lang, f"method_{best}") if best in ("linear_map", "cca", "contrastive") else best
    out = [f"<p>{ctx.t('in_ret_intro', n_test=ret.get('n_test'), n_train=ret.get('n_train'), best=best_name)}</p>"]
    rows = []
    for meth, res in (ret.get("methods") or {}).items():
        name = tr(ctx.lang, f"method_{meth}") if meth in ("linear_map", "cca", "contrastive") else meth
        for direction in ("image_to_text", "text_to_image"):
            vals = res.get(direction) or {}
            cis = (res.get("ci") or {}).get(direction) or {}
            cells = [f"{fmt(vals.get(k))}<br><span style='font-size: 7.5pt; color: #555555'>{fmt_interval(cis.get(k))}</span>"
                     for k in ("1", "5", "10")]
            rows.append([esc(name), ctx.t(f"dir_{direction}"), *cells])
    chance = ret.get("chance") or {}
    rows.append([ctx.t("ret_chance"), "", *(fmt(chance.get(k)) for k in ("1", "5", "10"))])
    head = [ctx.t("col_method"), ctx.t("col_direction"), "R@1", "R@5", "R@10"]
    out.append(table(head, rows, "llrrr"))
    out.append(ctx.figure("retrieval_bars", "retrieval_bars", (dict(ret),), 65.0, ctx.t("in_fig_ret")))
    return "".join(out)


# sections 5–7 live next door; re-exported so document.py has one import
from engine.report.sections_detail import method, quality, suspects  # noqa: E402

__all__ = [
    "METRIC_ORDER",
    "THUMB_MM",
    "Context",
    "alignment",
    "interactions",
    "method",
    "metric_definition",
    "metrics_rows",
    "quality",
    "summary",
    "suspects",
]
