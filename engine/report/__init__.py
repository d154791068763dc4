"""The report's content, Qt-free: texts (English and Japanese), sections, exports.

Public API::

    build_document(analysis, inputs, lang="en", *, content_width_mm=170.0) -> ReportDocument
    gather_inputs(store_path, analysis, *, n_suspects=20) -> ReportInputs
    study_export(analysis, inputs=None) -> dict ; write_study_json(path, analysis, inputs=None)
    per_sample_table(store_path, analysis) -> (header, rows) ; csv_bytes(header, rows) -> bytes
    write_per_sample_csv(path, store_path, analysis)
    fmt(x) -> str  # how every number is printed (3 decimals)

Rendering to PDF is ``ui.report`` (Qt); the CLI is ``alignscope report``.
"""

from engine.report.blocks import FigureSpec
from engine.report.document import ATTACHMENT_NAME, ReportDocument, SectionInfo, build_document
from engine.report.exports import (
    csv_bytes,
    per_sample_table,
    study_export,
    write_per_sample_csv,
    write_study_json,
)
from engine.report.formatting import esc, fmt
from engine.report.inputs import (
    EncoderInfo,
    QuarantineRow,
    ReportInputs,
    SuspectRow,
    gather_inputs,
)
from engine.report.texts import LANGUAGES, tr

__all__ = [
    "ATTACHMENT_NAME",
    "LANGUAGES",
    "EncoderInfo",
    "FigureSpec",
    "QuarantineRow",
    "ReportDocument",
    "ReportInputs",
    "SectionInfo",
    "SuspectRow",
    "build_document",
    "csv_bytes",
    "esc",
    "fmt",
    "gather_inputs",
    "per_sample_table",
    "study_export",
    "tr",
    "write_per_sample_csv",
    "write_study_json",
]
