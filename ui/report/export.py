"""One call for the CLI and the GUI's "Export report": analysis → PDF (+ JSON, CSV).

    export_report(store_path, out_pdf, *, label=None, lang="en", paper="a4", analysis=None,
                  json_out=None, csv_out=None, n_suspects=20, seed=0, use_cache=True,
                  progress=None) -> ReportResult

``analysis`` may be given (e.g. the GUI already holds it, or ``alignscope analyze --json``
saved it); otherwise ``engine.study.analyze.analyze_store`` computes it (cached in the store).
A QApplication is created offscreen when none exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.errors import InputError
from engine.progress import Progress, report
from engine.study.messages import label_reason
from engine.study.result import Analysis


@dataclass(frozen=True)
class ReportResult:
    pdf: Path
    pages: int
    label: str | None
    label_reason: str
    section_pages: dict[str, int]
    missing_figures: list[str]
    json: Path | None
    csv: Path | None


def _sub(progress: Progress | None, lo: int, hi: int) -> Progress | None:
    """Map a sub-job's progress onto [lo, hi] of 100."""
    if progress is None:
        return None

    def inner(done: int, total: int, message: str) -> None:
        frac = done / total if total else 1.0
        progress(lo + int((hi - lo) * frac), 100, message)

    return inner


def export_report(
    store_path: Path,
    out_pdf: Path,
    *,
    label: str | None = None,
    lang: str = "en",
    paper: str = "a4",
    analysis: Analysis | None = None,
    json_out: Path | None = None,
    csv_out: Path | None = None,
    n_suspects: int = 20,
    seed: int = 0,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> ReportResult:
    from engine.report import (
        ATTACHMENT_NAME,
        build_document,
        csv_bytes,
        gather_inputs,
        per_sample_table,
        write_study_json,
    )
    from engine.report.texts import check_lang
    from engine.safe_io import atomic_output, check_output, write_bytes
    from engine.store import Store
    from ui.report.pdf import PAPERS, Attachment, content_width_mm, write_pdf
    from ui.report.qt_env import ensure_app

    lang = check_lang(lang)
    if paper not in PAPERS:
        raise InputError(f"unknown paper size {paper!r}: choose one of {', '.join(PAPERS)}")
    store_path = Path(store_path)
    if not store_path.is_file():
        raise InputError(f"project store {store_path} does not exist")
    with Store.open(store_path, mode="r") as st:
        columns = list(st.columns())
    outputs = [Path(out_pdf), *(Path(p) for p in (json_out, csv_out) if p)]
    for i, (out, what) in enumerate(zip(outputs, ("report", "study JSON", "per-sample CSV"), strict=False)):
        check_output(out, what, others=outputs[i + 1:])
    if label is not None and label not in columns:
        raise InputError(f"{store_path}: no column '{label}'; columns: {', '.join(columns) or '(none)'}")
    if analysis is None:
        from engine.study.analyze import analyze_store

        analysis = analyze_store(store_path, label, seed=seed, progress=_sub(progress, 0, 70),
                                 use_cache=use_cache)
    elif label is not None and analysis.label.column != label:
        raise InputError(f"the given analysis was computed for label {analysis.label.column!r}, "
                         f"not {label!r}: run `alignscope analyze --label {label}` again")
    report(progress, 70, 100, "reading the project")
    inputs = gather_inputs(store_path, analysis, n_suspects=n_suspects)
    header, rows = per_sample_table(store_path, analysis)
    data = csv_bytes(header, rows)
    json_path = write_study_json(Path(json_out), analysis, inputs) if json_out else None
    csv_path = write_bytes(csv_out, data, "per-sample CSV") if csv_out else None
    ensure_app()
    doc = build_document(analysis, inputs, lang, content_width_mm=content_width_mm(paper))
    # drawn into a temporary file beside the target, renamed over it when complete: a kill
    # mid-way leaves the previous PDF as it was
    with atomic_output(out_pdf, "report") as tmp:
        result = write_pdf(doc, tmp, paper=paper, attachments=[Attachment(ATTACHMENT_NAME, data)],
                           progress=_sub(progress, 75, 100))
    return ReportResult(
        pdf=Path(out_pdf), pages=result.pages, label=inputs.label,
        label_reason=label_reason(lang, analysis.label) if analysis.label.how == "automatic" else "",
        section_pages=result.section_pages, missing_figures=result.missing_figures,
        json=json_path, csv=csv_path,
    )
