"""The report as Qt-free rich text: title page, contents and sections 2–7.

:func:`build_document` turns a study result (:class:`engine.study.result.Analysis`) and the
:class:`~engine.report.inputs.ReportInputs` into a :class:`ReportDocument`. Its
:meth:`ReportDocument.html` is the HTML subset Qt's QTextDocument understands, with

- ``<a name="sec-KEY">`` anchors at each section heading (the renderer finds their pages),
- ``<img src="figure:KEY">`` placeholders for plots (``figures[KEY]`` says which
  ``ui.plots.figures`` function draws it, with which plain data),
- ``<img src="thumb:N">`` placeholders for image thumbnails (``thumbnails[name]`` = path),

and every piece of user text (ids, labels, file names, report texts) escaped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from engine.report import sections
from engine.report.blocks import FigureSpec
from engine.report.formatting import device_name, esc, fmt
from engine.report.inputs import ReportInputs
from engine.report.texts import check_lang, tr
from engine.study.messages import label_reason
from engine.study.result import Analysis

ATTACHMENT_NAME = "per_sample_scores.csv"
SECTION_KEYS: tuple[str, ...] = (
    "summary",
    "alignment",
    "interactions",
    "suspects",
    "quality",
    "method",
)


@dataclass(frozen=True)
class SectionInfo:
    """A numbered section; its heading carries the anchor ``sec-<key>``."""

    key: str
    number: int
    title: str


@dataclass
class ReportDocument:
    """The whole report content; :meth:`html` renders it for a given pixel density."""

    lang: str
    title: str
    header: str
    footer_template: str
    sections: list[SectionInfo]
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    thumbnails: dict[str, Path] = field(default_factory=dict)
    attachment_name: str = ATTACHMENT_NAME
    parts: dict[str, str] = field(default_factory=dict)

    def footer(self, page: int, pages: int) -> str:
        return self.footer_template.format(page=page, pages=pages)

    def html(
        self,
        px_per_mm: float,
        pages: Mapping[str, int] | None = None,
        missing_figures: Collection[str] = (),
    ) -> str:
        """Full HTML; ``pages`` maps section keys to page numbers for the contents;
        figures named in ``missing_figures`` are replaced by a one-line note."""
        body = [self.parts["title"], self._toc(pages)]
        for info in self.sections:
            body.append(self.parts[info.key])
        text = "\n".join(body)
        for key in missing_figures:
            spec = self.figures[key]
            note = esc(tr(self.lang, "figure_missing", name=spec.function))
            text = text.replace(
                f'<img src="figure:{key}" {{{{size:{key}}}}}>',
                f'<span style="color: #8a4b00">{note}</span>',
            )
        text = _size_images(text, self.figures, px_per_mm)
        return (
            '<html><head><meta charset="utf-8"></head>'
            f'<body style="font-size: 10pt">{text}</body></html>'
        )

    def _toc(self, pages: Mapping[str, int] | None) -> str:
        rows = []
        for info in self.sections:
            page = str(pages[info.key]) if pages and info.key in pages else "00"
            rows.append(
                f'<tr><td width="8%">{info.number}</td><td>{esc(info.title)}</td>'
                f'<td align="right" width="12%">{page}</td></tr>'
            )
        return (
            f'<h1 style="page-break-before: always"><a name="sec-toc"></a>{esc(tr(self.lang, "toc"))}</h1>'
            '<table width="100%" cellpadding="6" cellspacing="0" style="font-size: 12pt">'
            + "".join(rows)
            + "</table>"
        )


def _size_images(text: str, figures: Mapping[str, FigureSpec], px_per_mm: float) -> str:
    """Replace the ``{{size:KEY}}`` and ``{{thumb}}`` markers with pixel sizes."""
    for key, spec in figures.items():
        w = max(round(spec.width_mm * px_per_mm), 1)
        h = max(round(spec.height_mm * px_per_mm), 1)
        text = text.replace(f"{{{{size:{key}}}}}", f'width="{w}" height="{h}"')
    t = max(round(sections.THUMB_MM * px_per_mm), 1)
    return text.replace("{{thumb}}", f'width="{t}" height="{t}"')


def _title_page(lang: str, inputs: ReportInputs, analysis: Analysis) -> str:
    def row(key: str, value: str) -> str:
        return f'<tr><td width="32%"><b>{esc(tr(lang, key))}</b></td><td>{value}</td></tr>'

    if inputs.label is None:
        label = esc(tr(lang, "tp_label_none"))
    elif analysis.label.how == "automatic":
        label = esc(tr(lang, "tp_label_default", label=inputs.label, reason=label_reason(lang, analysis.label)))
    else:
        label = esc(tr(lang, "tp_label_chosen", label=inputs.label))
    providers = sorted({device_name(e.provider) for e in inputs.encoders if e.provider})
    unknown = tr(lang, "unknown")
    facts = [
        row("tp_project", esc(inputs.project)),
        row("tp_store", esc(inputs.store_path)),
        row("tp_dataset", esc(inputs.dataset_source or unknown)),
        row("tp_manifest", esc(inputs.manifest or unknown)),
        row("tp_rows_used", str(inputs.n_used)),
        row("tp_rows_quarantined", str(inputs.n_quarantined)),
        row("tp_label", label),
        row("tp_date", esc(inputs.report_date)),
        row("tp_store_created", esc(inputs.created or unknown)),
        row("tp_version", esc(inputs.app_version)),
        row("tp_device", esc(", ".join(providers) or unknown)),
    ]
    default = analysis.models.default
    enc_rows = []
    for e in inputs.encoders:
        is_default = e.model_id in (default.image, default.text)
        mark = f' <i>({esc(tr(lang, "enc_default"))})</i>' if is_default else ""
        modality = tr(lang, f"modality_{e.modality}") if e.modality in ("image", "text") else e.modality
        enc_rows.append(
            f"<tr><td>{esc(modality)}</td><td>{esc(e.model_id)}{mark}</td>"
            f"<td align='right'>{fmt(e.dim)}</td><td><tt>{esc(e.sha256[:12] or unknown)}</tt></td>"
            f"<td>{esc(device_name(e.provider))}</td></tr>"
        )
    enc_head = "".join(
        f"<th align='left'>{esc(tr(lang, k))}</th>"
        for k in ("enc_modality", "enc_model", "enc_dim", "enc_sha", "enc_device")
    )
    return (
        '<p style="font-size: 9pt; color: #555555">AlignScope</p>'
        f'<h1 style="font-size: 24pt; margin-top: 40px">{esc(tr(lang, "report_title"))}</h1>'
        f'<p style="font-size: 12pt; color: #333333">{esc(tr(lang, "report_subtitle"))}</p>'
        f'<p style="font-size: 16pt; margin-top: 20px"><b>{esc(inputs.project)}</b></p>'
        f'<table width="100%" cellpadding="4" cellspacing="0" style="margin-top: 20px">{"".join(facts)}</table>'
        f'<h3 style="margin-top: 24px">{esc(tr(lang, "tp_encoders"))}</h3>'
        f'<table width="100%" border="1" cellpadding="4" cellspacing="0" '
        f'style="border-collapse: collapse; border-color: #999999">'
        f'<tr bgcolor="#e8eef5">{enc_head}</tr>{"".join(enc_rows)}</table>'
    )


def build_document(
    analysis: Analysis,
    inputs: ReportInputs,
    lang: str = "en",
    *,
    content_width_mm: float = 170.0,
) -> ReportDocument:
    """The report content for ``analysis`` in ``lang`` ("en" or "ja")."""
    lang = check_lang(lang)
    doc = ReportDocument(
        lang=lang,
        title=tr(lang, "report_title"),
        header=tr(lang, "header", project=inputs.project),
        footer_template=tr(lang, "footer", page="{page}", pages="{pages}"),
        sections=[
            SectionInfo(key=key, number=i, title=tr(lang, f"sec_{key}"))
            for i, key in enumerate(SECTION_KEYS, start=2)
        ],
    )
    ctx = sections.Context(
        lang=lang,
        analysis=analysis,
        inputs=inputs,
        figures=doc.figures,
        thumbnails=doc.thumbnails,
        width_mm=content_width_mm,
        attachment_name=doc.attachment_name,
    )
    doc.parts["title"] = _title_page(lang, inputs, analysis)
    builders = {
        "summary": sections.summary,
        "alignment": sections.alignment,
        "interactions": sections.interactions,
        "suspects": sections.suspects,
        "quality": sections.quality,
        "method": sections.method,
    }
    for info in doc.sections:
        heading = (
            f'<h1 style="page-break-before: always"><a name="sec-{info.key}"></a>'
            f"{info.number}. {esc(info.title)}</h1>"
        )
        doc.parts[info.key] = heading + builders[info.key](ctx)
    return doc
