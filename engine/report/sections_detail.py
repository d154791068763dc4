"""HTML of the report's sections 5–7: suspect pairs, data quality, method."""

from __future__ import annotations

from engine.metrics.api import METRIC_NAMES
from engine.report.blocks import Context, note, table
from engine.report.formatting import DASH, esc, excerpt, fmt
from engine.report.texts import metric_definition, references
from engine.study.messages import metric_label, render
from engine.study.messages_recorded import quarantine_reason

MAX_QUARANTINE_ROWS = 300
SUSPECTS_PER_PAGE = 10
METRICS_DEFINED = METRIC_NAMES  # one list of metrics for the whole app


# ---------------------------------------------------------------------------- 5. suspects
def _trust(ctx: Context) -> list[str]:
    """How far to trust the list: the self-test and the threshold state."""
    check = ctx.analysis.pair_check
    if check is None:
        return []
    st = check.self_test
    out = []
    if st is not None and not check.no_signal:
        out.append(f"<p>{ctx.t('su_selftest', planted=st.planted, found=st.found, top=2 * st.planted, auc=fmt(st.auc, 2))}</p>")
    if check.state == "flagging":
        out.append(f"<p><b>{ctx.t('su_flagging', flagged=check.n_flagged, fdr=fmt(check.fdr, 2))}</b></p>")
    elif check.state == "weak":
        out.append(note(ctx.t("su_weak", threshold=fmt(check.threshold_auc, 2))))
    return out


def suspects(ctx: Context) -> str:
    check = ctx.analysis.pair_check
    if check is not None and check.no_signal:
        auc = check.self_test.auc if check.self_test is not None else None
        return note(ctx.t("su_no_signal", auc=fmt(auc, 2)))
    rows_in = ctx.inputs.suspects
    if not rows_in:
        return note(ctx.t("su_none"))
    out = [f"<p>{ctx.t('su_intro', n=len(rows_in))}</p>", *_trust(ctx)]
    rows = []
    for s in rows_in:
        if s.image_path is not None:
            name = f"thumb:{s.rank}"
            ctx.thumbnails[name] = s.image_path
            image = f'<img src="{name}" {{{{thumb}}}}>'
        else:
            image = ctx.t("su_missing_image")
        sample = f"<b>{esc(s.sample_id)}</b>"
        if s.label:
            sample += f"<br>{esc(s.label)}"
        rows.append([
            str(s.rank),
            image,
            sample,
            fmt(s.score),
            fmt(s.q_value),
            f'<span style="font-size: 8pt">{esc(excerpt(s.report))}</span>',
        ])
    head = [ctx.t(c) for c in ("col_rank", "col_image", "col_id", "col_score", "col_q", "col_report")]
    # Qt splits a table row across pages (its thumbnail lands on the next page): print the
    # pairs in chunks that always fit on one page, each chunk on a fresh page.
    for start in range(0, len(rows), SUSPECTS_PER_PAGE):
        chunk = table(head, rows[start : start + SUSPECTS_PER_PAGE], "rclrrl").replace("<td", '<td valign="middle"')
        if start:
            chunk = '<p style="page-break-before: always"></p>' + chunk
        out.append(chunk)
    return "".join(out)


# ---------------------------------------------------------------------------- 6. data quality
def quality(ctx: Context) -> str:
    inputs = ctx.inputs
    out = [f"<p>{ctx.t('dq_intro')}</p>",
           f"<p><b>{ctx.t('dq_summary', used=inputs.n_used, q=inputs.n_quarantined)}</b></p>"]
    if not inputs.quarantine:
        out.append(f"<p>{ctx.t('dq_none')}</p>")
        return "".join(out)
    shown = inputs.quarantine[:MAX_QUARANTINE_ROWS]
    if inputs.dataset_kind == "folder":  # a folder has files, not rows
        rows = [[esc(q.file), esc(quarantine_reason(ctx.lang, q.reason))] for q in shown]
        out.append(table([ctx.t("col_file"), ctx.t("col_reason")], rows, "ll"))
    else:
        rows = [[str(q.row), esc(q.sample_id), esc(q.file), esc(quarantine_reason(ctx.lang, q.reason))]
                for q in shown]
        head = [ctx.t(c) for c in ("col_row", "col_id", "col_file", "col_reason")]
        out.append(table(head, rows, "rlll"))
    if len(inputs.quarantine) > len(shown):
        out.append(f"<p>{ctx.t('dq_more', n=len(inputs.quarantine) - len(shown))}</p>")
    return "".join(out)


# ---------------------------------------------------------------------------- 7. method
def method(ctx: Context) -> str:
    a = ctx.analysis
    out = [f"<h2>{ctx.t('me_metrics')}</h2>"]
    rows = [[esc(metric_label(ctx.lang, m)), esc(metric_definition(ctx.lang, m))] for m in METRICS_DEFINED]
    out.append(table([ctx.t("col_metric"), ""], rows, "ll"))
    out.append(f"<p>{ctx.t('overlap_def')}</p>")
    out.append(f"<h2>{ctx.t('me_params')}</h2>")
    default = a.models.default
    pid = a.pid
    ret = a.retrieval
    folds = a.probes.unimodal[0].folds if a.probes is not None and a.probes.unimodal else None
    params: list[tuple[str, str]] = [
        ("par_n", str(a.n)),
        ("par_k", str(ctx.k() or DASH)),
        ("par_seed", str(a.seed)),
        ("par_label", esc(ctx.label() or DASH)),
        ("par_default_pair", esc(f"{default.image} × {default.text}")),
        ("par_normalisation", ctx.t("par_normalisation_value")),
        ("par_intervals", ctx.t("par_intervals_value")),
    ]
    if pid is not None:
        value = "par_discretisation_value_probe" if pid.discretization.method == "probe" else "par_discretisation_value"
        params.append(("par_discretisation", ctx.t(value, possible=pid.cells.possible)))
    if folds:
        params.append(("par_probes", ctx.t("par_probes_value", folds=folds)))
    if ret is not None:
        params.append(("par_retrieval", ctx.t("par_retrieval_value", n_train=ret.n_train, n_test=ret.n_test)))
    params.append(("par_attachment", ctx.t("par_attachment_value", name=ctx.attachment_name)))
    out.append(table(["", ""], [[ctx.t(key), value] for key, value in params], "ll").replace(
        '<tr bgcolor="#e8eef5"><th align="left"></th><th align="left"></th></tr>', ""))
    notes = list(a.notes)  # also on the summary page (sections.summary), beside the numbers
    if notes:
        out.append(f"<h2>{ctx.t('me_notes')}</h2><ul>"
                   + "".join(f"<li>{esc(render(ctx.lang, n))}</li>" for n in notes) + "</ul>")
    out.append(f"<h2>{ctx.t('me_references')}</h2><ol>")
    out.extend(f"<li>{esc(r)}</li>" for r in references())
    out.append("</ol>")
    return "".join(out)
