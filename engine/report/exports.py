"""Exports for other tools: the whole study as JSON, the per-sample table as CSV.

- :func:`study_export` / :func:`write_study_json`: ``{"schema": "alignscope.study-export/2",
  "project": {...title-page facts...}, "analysis": Analysis.to_json()}``; NaN/inf become
  ``null`` so the file is strict JSON.
- :func:`per_sample_table` / :func:`write_per_sample_csv`: one row per used sample, most
  suspect first (the suspect-pairs table of :mod:`engine.pairs.export`). UTF-8 with BOM (Excel
  opens it as UTF-8); cells (header included) that start like a spreadsheet formula are
  prefixed with an apostrophe; written atomically, never over an input (engine.safe_io).
"""

from __future__ import annotations

import json
from pathlib import Path

from engine.pairs.table import OVERLAP_COLUMN, rank_order, safe_cell
from engine.report.inputs import ReportInputs
from engine.safe_io import csv_bytes, write_bytes, write_csv
from engine.study.result import Analysis
from engine.typed_json import JSONObject

__all__ = ["csv_bytes", "per_sample_table", "safe_cell", "study_export", "write_per_sample_csv",
           "write_study_json"]

EXPORT_SCHEMA = "alignscope.study-export/2"


def study_export(analysis: Analysis, inputs: ReportInputs | None = None) -> JSONObject:
    """The study as one JSON-ready dict (the analysis unchanged, plus the project facts)."""
    project: JSONObject = {}
    if inputs is not None:
        project = {
            "name": inputs.project,
            "store": str(inputs.store_path),
            "dataset": inputs.dataset_source,
            "manifest": inputs.manifest,
            "n_used": inputs.n_used,
            "n_quarantined": inputs.n_quarantined,
            "label": inputs.label,
            "app_version": inputs.app_version,
            "report_date": inputs.report_date,
            "encoders": [
                {"id": e.model_id, "modality": e.modality, "dim": e.dim, "sha256": e.sha256,
                 "provider": e.provider}
                for e in inputs.encoders
            ],
        }
    return {"schema": EXPORT_SCHEMA, "project": project, "analysis": analysis.to_json()}


def write_study_json(path: Path, analysis: Analysis, inputs: ReportInputs | None = None) -> Path:
    """Write :func:`study_export` to ``path`` (UTF-8, indented)."""
    text = json.dumps(study_export(analysis, inputs), ensure_ascii=False, indent=2, allow_nan=False)
    return write_bytes(Path(path), (text + "\n").encode("utf-8"), "study JSON")


def per_sample_table(store_path: Path, analysis: Analysis) -> tuple[list[str], list[list[object]]]:
    """Header and rows of the per-sample CSV: every pair, most suspect first (engine.pairs'
    one table: suspect score, q-value, reasons, neighbour overlap, metadata, image, report)."""
    from engine.pairs.export import suspects_table
    from engine.pairs.reviewed import load_reviewed
    from engine.store import Store

    per = analysis.per_sample
    with Store.open(Path(store_path), mode="r") as st:
        paths = [str(p) for p in st.image_paths()]
        texts = st.report_texts()
        columns = {c: st.column(c) for c in st.columns()}
    reviewed = load_reviewed(store_path)
    if analysis.pair_scores is not None:
        return suspects_table(analysis.pair_scores, columns=columns, image_paths=paths, reports=texts,
                              overlap=per.overlap, reviewed=reviewed)
    # too few pairs for the scorer: the neighbour overlap alone, lowest first
    order = rank_order(1.0 - per.overlap, list(per.ids))
    header = ["rank", "id", OVERLAP_COLUMN, *columns, "image", "report", "reviewed"]
    rows: list[list[object]] = [[r, per.ids[i], f"{per.overlap[i]:.6g}", *(v[i] for v in columns.values()),
                                 paths[i], texts[i], per.ids[i] in reviewed]
                                for r, i in enumerate(order.tolist(), start=1)]
    return header, rows


def write_per_sample_csv(path: Path, store_path: Path, analysis: Analysis) -> Path:
    """Write the per-sample table to ``path`` (atomic, never over an input)."""
    header, rows = per_sample_table(store_path, analysis)
    return write_csv(Path(path), header, rows, "per-sample CSV")
