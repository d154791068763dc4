"""HTML of the report's sections 2–4 (summary, alignment, interactions); 5–7 in
:mod:`engine.report.sections_detail`. Every user string goes through ``esc``.
"""

from __future__ import annotations

from engine.metrics.api import METRIC_NAMES
from engine.report.blocks import THUMB_MM, Context, note, table
from engine.report.formatting import DASH, esc, fmt, fmt_interval, fmt_pct
from engine.report.texts import metric_definition, tr
from engine.study.headline import render_headline
from engine.study.messages import (
    message,
    method_label,
    metric_label,
    recommendation_text,
    render,
    render_all,
    word,
)
from engine.study.result import PairResult, Retrieval

METRIC_ORDER = METRIC_NAMES  # one list of metrics for the whole app


# ---------------------------------------------------------------------------- 2. summary
def summary(ctx: Context) -> str:
    a = ctx.analysis
    out = []
    if a.headline_parts:
        out.append(f'<p style="font-size: 13pt"><b>{esc(render_headline(a.headline_parts, ctx.lang))}</b></p>')
    out.append(f"<p>{ctx.t('sum_intro', n=a.n)}</p>")
    bullets: list[str] = []
    pair = ctx.default_pair()
    if pair is not None:
        ci = pair.ci.get("mutual_knn")
        null = pair.null.get("mutual_knn")
        lo, hi = (fmt(ci[0]), fmt(ci[1])) if ci else (DASH, DASH)
        null_part = tr(ctx.lang, "sum_null_part", mean=fmt(null.mean), p=fmt(null.p)) if null else ""
        bullets.append(
            ctx.t("sum_headline", image=pair.image, text=pair.text, value=fmt(pair.metrics.get("mutual_knn")),
                  lo=lo, hi=hi, chance=fmt(pair.chance_mutual_knn), null_part=null_part)
        )
    label = ctx.label()
    probes = a.probes
    if label and probes is not None:
        best = max(probes.unimodal, key=lambda p: (p.accuracy, p.model), default=None)
        if best is not None:  # a probe at or below the majority-class baseline is called that
            key = "sum_probe_below" if best.accuracy <= probes.chance else "sum_probe"
            bullets.append(ctx.t(key, label=label, acc=fmt(best.accuracy), model=best.model,
                                 chance=fmt(probes.chance)))
        for p in probes.fused:
            bullets.append(ctx.t("sum_fused", model=p.model, acc=fmt(p.accuracy)))
    pid = a.pid
    if label and pid is not None:
        bullets.append(ctx.t("sum_pid", label=label, r=fmt(pid.redundancy), ui=fmt(pid.unique_image),
                             ut=fmt(pid.unique_text), s=fmt(pid.synergy), total=fmt(pid.total_mi)))
    corr = a.correlation
    if corr.meaningful:
        bullets.append(ctx.t("sum_corr", n=corr.n_points, over=word(ctx.lang, "over_", corr.over),
                             rho=fmt(corr.spearman)))
    elif corr.reason.key:
        bullets.append(ctx.t("sum_corr_not", reason=render(ctx.lang, corr.reason)))
    ret = a.retrieval
    if ret is not None and ret.best in ret.methods:
        r10 = ret.methods[ret.best].image_to_text.get("10")
        bullets.append(ctx.t("sum_retrieval", method=word(ctx.lang, "method_", ret.best), r=fmt_pct(r10),
                             chance=fmt_pct(ret.chance.get("10"))))
    if ctx.inputs.suspects:
        bullets.append(ctx.t("sum_suspects", n=len(ctx.inputs.suspects)))
    bullets.append(ctx.t("sum_quarantine", n=ctx.inputs.n_quarantined))
    if not label:
        bullets.append(ctx.t("sum_no_label"))
    out.append(f"<h2>{ctx.t('sum_key_numbers')}</h2><ul>")
    out.extend(f"<li>{b}</li>" for b in bullets)
    out.append("</ul>")
    rec = a.recommendation
    if rec is not None:
        title = tr(ctx.lang, f"decision_{rec.decision}") if f"decision_{rec.decision}" in _decisions() else rec.decision
        out.append(
            f"<h2>{ctx.t('sum_recommendation')}</h2>"
            '<table width="100%" cellpadding="8" cellspacing="0" bgcolor="#eef6ee" '
            'style="border: 1px solid #6a9a6a">'
            f'<tr><td><p style="font-size: 12pt"><b>{esc(title)}</b></p>'
            f"<p>{esc(recommendation_text(ctx.lang, rec))}</p></td></tr></table>"
        )
    if a.findings:
        out.append(f"<h2>{ctx.t('sum_findings')}</h2>")
        out.append("<ul>" + "".join(f"<li>{esc(message(ctx.lang, f.key, **f.params))}</li>"
                                    for f in a.findings) + "</ul>")
    notes = study_notes(ctx)
    if notes:  # on the page of the numbers they qualify, not only at the end
        out.append(f"<h2>{ctx.t('sum_notes')}</h2><ul>"
                   + "".join(f'<li style="color: #8a4b00">{n}</li>' for n in notes) + "</ul>")
    return "".join(out)


def study_notes(ctx: Context) -> list[str]:
    """The study's notes (escaped, in the report's language), the default pair's and a negative
    transfer loss's included."""
    a = ctx.analysis
    pair = ctx.default_pair()
    rendered = (render(ctx.lang, n) for n in (*a.notes, *(pair.notes if pair is not None else ())))
    notes = [esc(n) for n in dict.fromkeys(rendered)]
    het = a.heterogeneity
    if het is not None and het.transfer is not None and het.transfer < 0:
        notes.append(ctx.t("het_transfer_negative", value=fmt(het.transfer)))
    return notes


def _decisions() -> set[str]:
    return {"decision_invest", "decision_not yet", "decision_measure more"}


# ---------------------------------------------------------------------------- 3. alignment
def metrics_rows(ctx: Context, pair: PairResult) -> list[list[str]]:
    """Rows of the metrics table: metric, value, interval, null mean, p, chance."""
    rows = []
    for name in METRIC_ORDER:
        if name not in pair.metrics:
            continue
        null = pair.null.get(name)
        rows.append([
            esc(metric_label(ctx.lang, name)),
            fmt(pair.metrics[name]),
            fmt_interval(pair.ci.get(name)),
            fmt(null.mean) if null else DASH,
            fmt(null.p) if null else DASH,
            fmt(pair.chance_mutual_knn) if name == "mutual_knn" else DASH,
        ])
    return rows


def alignment(ctx: Context) -> str:
    a = ctx.analysis
    out = [f"<p>{ctx.t('al_intro')}</p>"]
    pair = ctx.default_pair()
    if pair is None:
        return "".join([*out, note(ctx.t("al_no_pairs"))])
    head = [ctx.t(c) for c in ("col_metric", "col_value", "col_interval", "col_null", "col_p", "col_chance")]
    out.append(f"<h2>{ctx.t('al_metrics_table', image=pair.image, text=pair.text, n=a.n, k=ctx.k())}</h2>")
    out.append(table(head, metrics_rows(ctx, pair), "lrrrrr"))
    if a.alignment_curve is not None:
        out.append(ctx.figure("alignment_vs_k", "alignment_vs_k_plot", (a.alignment_curve,), 70.0,
                              ctx.t("al_fig_curve")))
    corr = a.correlation
    metric = corr.metric
    out.append(f"<h2>{ctx.t('al_ladder_table')}</h2>")
    rows = [[esc(p.image), esc(p.text), fmt(p.metrics.get(metric)), fmt(p.image_accuracy),
             fmt(p.text_accuracy), fmt(p.fused_accuracy), fmt(p.performance)] for p in a.pairs]
    head = [ctx.t("col_image_model"), ctx.t("col_text_model"), esc(metric_label(ctx.lang, metric, gloss=False)),
            ctx.t("col_image_probe"),
            ctx.t("col_text_probe"), ctx.t("col_fused_probe"), ctx.t("col_performance")]
    out.append(table(head, rows, "llrrrrr"))
    definition = metric_definition(ctx.lang, metric)
    named = metric_label(ctx.lang, metric)
    if ctx.label() and a.probes is not None:
        text = ctx.t("al_ladder_def", label=ctx.label(), chance=fmt(a.probes.chance), metric=named,
                     definition=definition)
    else:
        text = ctx.t("al_ladder_def_nolabel", metric=named, definition=definition)
    out.append(f'<p style="font-size: 8.5pt">{text}</p>')
    if len(a.pairs) > 1:
        out.append(ctx.figure("ladder_heatmap", "ladder_heatmap", (a.pairs, metric), 70.0,
                              ctx.t("al_fig_heatmap", metric=metric_label(ctx.lang, metric))))
    if corr.meaningful:
        s_lo, s_hi = _bounds(corr.spearman_ci)
        p_lo, p_hi = _bounds(corr.pearson_ci)
        out.append("<p>" + ctx.t("al_corr", metric=metric_label(ctx.lang, metric), n=corr.n_points,
                                 over=word(ctx.lang, "over_", corr.over), spearman=fmt(corr.spearman),
                                 s_lo=s_lo, s_hi=s_hi, pearson=fmt(corr.pearson), p_lo=p_lo, p_hi=p_hi) + "</p>")
    else:
        out.append(note(ctx.t("al_corr_not", reason=render(ctx.lang, corr.reason) if corr.reason.key else DASH)))
    if any(p.performance is not None for p in a.pairs):
        out.append(ctx.figure("alignment_vs_performance", "alignment_vs_performance_plot",
                              (a.pairs, corr), 70.0, ctx.t("al_fig_perf")))
    out.append(_layers(ctx))
    out.append(_probes(ctx))
    return "".join(out)


def _layers(ctx: Context) -> str:
    """The paper's max alignment over layer pairs, per model pair with layers (embed --layers)."""
    a = ctx.analysis
    if not a.layerwise:
        return ""
    out = [f"<h2>{ctx.t('al_layers_title')}</h2>", f"<p>{ctx.t('al_layers_intro')}</p>"]
    rows = [[esc(la_key.split("|")[0]), esc(la_key.split("|")[1]), fmt(la.max),
             esc(f"{la.argmax[0]} × {la.argmax[1]}"), str(len(la.image_layers) * len(la.text_layers))]
            for la_key, la in a.layerwise.items()]
    head = [ctx.t("col_image_model"), ctx.t("col_text_model"), ctx.t("col_max_alignment"),
            ctx.t("col_best_layers"), ctx.t("col_layer_pairs")]
    out.append(table(head, rows, "llrlr"))
    la = a.layerwise.get(a.models.default.key) or next(iter(a.layerwise.values()))
    out.append(ctx.figure("layer_heatmap", "layer_heatmap", (la,), 80.0, ctx.t("al_fig_layers")))
    out.append(ctx.figure("alignment_vs_depth", "alignment_vs_depth_plot", (la,), 65.0, ctx.t("al_fig_depth")))
    corr = a.correlations.get(f"layer pairs {a.models.default.key}")
    if corr is not None and corr.spearman is not None:
        s_lo, s_hi = _bounds(corr.spearman_ci)
        out.append("<p>" + ctx.t("al_layers_corr", n=corr.n_points, spearman=fmt(corr.spearman), s_lo=s_lo,
                                 s_hi=s_hi, pearson=fmt(corr.pearson)) + "</p>")
    return "".join(out)


def _bounds(ci: tuple[float, float] | None) -> tuple[str, str]:
    return (fmt(ci[0]), fmt(ci[1])) if ci is not None else (DASH, DASH)


def _probes(ctx: Context) -> str:
    label = ctx.label()
    probes = ctx.analysis.probes
    if not label or probes is None:
        return note(ctx.t("al_no_probes"))
    rows = []
    below = ctx.t("probe_below_chance")
    for p in (*probes.unimodal, *probes.fused):
        rows.append([
            esc(p.model),
            ctx.t(f"modality_{p.modality}") if p.modality in ("image", "text", "fused") else esc(p.modality),
            fmt(p.accuracy) + (f"<br><span style='font-size: 7.5pt; color: #8a4b00'>{below}</span>"
                               if p.accuracy <= probes.chance else ""),
            fmt_interval(p.accuracy_ci),
            fmt(p.macro_f1), fmt_interval(p.macro_f1_ci),
        ])
    head = [ctx.t(c) for c in ("col_model", "col_modality", "col_accuracy", "col_interval",
                               "col_macro_f1", "col_interval")]
    return (
        f"<h2>{ctx.t('al_probe_table', label=label)}</h2>" + table(head, rows, "llrrrr")
        + f"<p>{ctx.t('probe_chance', chance=fmt(probes.chance))}</p>"
        + f'<p style="font-size: 8.5pt">{ctx.t("al_probe_def", label=label)}</p>'
    )


# ---------------------------------------------------------------------------- 4. interactions
PID_PARTS: tuple[str, ...] = ("redundancy", "unique_image", "unique_text", "synergy", "total_mi")


def interactions(ctx: Context) -> str:
    a = ctx.analysis
    label = ctx.label()
    out: list[str] = []
    pid = a.pid
    if label and pid is not None:
        out.append(f"<p>{ctx.t('in_intro', label=label)}</p>")
        out.append(f"<h2>{ctx.t('in_pid_table', label=label)}</h2>")
        rows = [[ctx.t(f"pid_{p}"), fmt(max(0.0, getattr(pid, p))), fmt_interval(pid.ci.get(p))]
                for p in PID_PARTS]
        out.append(table([ctx.t("col_part"), ctx.t("col_bits"), ctx.t("col_interval")], rows, "lrr"))
        d = pid.discretization
        out.append("<p>" + ctx.t("pid_cells", cells=pid.cells.occupied, possible=pid.cells.possible,
                                 per_cell=fmt(pid.cells.samples_per_occupied_cell, 1), solver=pid.solver,
                                 method=word(ctx.lang, "discretization_", d.method), k_image=d.n_clusters.get("image", DASH),
                                 k_text=d.n_clusters.get("text", DASH),
                                 kept_image=fmt(d.kept_bits.get("image"), 2), probe_image=fmt(d.probe_bits.get("image"), 2),
                                 kept_text=fmt(d.kept_bits.get("text"), 2), probe_text=fmt(d.probe_bits.get("text"), 2),
                                 correction=word(ctx.lang, "correction_", pid.bias_correction)) + "</p>")
        if pid.warnings:
            out.append(note(ctx.t("pid_sparse", warning=render_all(ctx.lang, pid.warnings))))
        out.append(ctx.figure("pid_bars", "pid_bars", (pid,), 65.0, ctx.t("in_fig_pid")))
    else:
        out.append(note(ctx.t("in_no_label")))
    het = a.heterogeneity
    out.append(f"<h2>{ctx.t('in_het_title')}</h2>")
    if het is not None:
        out.append(f"<p>{ctx.t('in_het_intro')}</p>")
        rows = []
        for name in ("nonlinear_gap", "linear_deficit", "transfer"):
            value = getattr(het, name)
            if value is None:
                continue
            meaning = message(ctx.lang, f"het_meaning_{name}")
            rows.append([ctx.t(f"het_{name}"), fmt(value), esc(meaning)])
        out.append(table([ctx.t("col_het_score"), ctx.t("col_value"), ctx.t("col_meaning")], rows, "lrl"))
        if het.transfer is not None and het.transfer < 0:
            out.append(note(ctx.t("het_transfer_negative", value=fmt(het.transfer))))
        out.append(ctx.figure("heterogeneity_bars", "heterogeneity_bars", (het,), 55.0, ctx.t("in_fig_het")))
    else:
        out.append(note(ctx.t("in_no_het")))
    out.append(f"<h2>{ctx.t('in_ret_title')}</h2>")
    if a.retrieval is not None and a.retrieval.methods:
        out.append(_retrieval(ctx, a.retrieval))
    else:
        out.append(note(ctx.t("in_no_retrieval")))
    return "".join(out)


def _retrieval(ctx: Context, ret: Retrieval) -> str:
    best = word(ctx.lang, "method_", ret.best)
    out = [f"<p>{ctx.t('in_ret_intro', n_test=ret.n_test, n_train=ret.n_train, best=best)}</p>"]
    rows = []
    for meth, res in ret.methods.items():
        for direction, vals in (("image_to_text", res.image_to_text), ("text_to_image", res.text_to_image)):
            cis = res.ci.get(direction, {})
            cells = [f"{fmt(vals.get(k))}<br><span style='font-size: 7.5pt; color: #555555'>{fmt_interval(cis.get(k))}</span>"
                     for k in ("1", "5", "10")]
            rows.append([esc(method_label(ctx.lang, meth)), ctx.t(f"dir_{direction}"), *cells])
    rows.append([ctx.t("ret_chance"), "", *(fmt(ret.chance.get(k)) for k in ("1", "5", "10"))])
    head = [ctx.t("col_method"), ctx.t("col_direction"), "R@1", "R@5", "R@10"]
    out.append(table(head, rows, "llrrr"))
    out.append(ctx.figure("retrieval_bars", "retrieval_bars", (ret,), 65.0, ctx.t("in_fig_ret")))
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
