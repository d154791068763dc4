"""Render a :class:`engine.report.ReportDocument` to PDF with Qt's own QPdfWriter.

Layout: one QTextDocument laid out on the PDF device (fonts resolved at the PDF's
resolution) with the page body as its page size; each page is drawn by translating the
painter, then the running header and the footer with "page i of n" are painted around it.
The title page has neither. The contents page is filled with the real page numbers in a
second pass (the contents occupy the same space either way).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from engine.errors import InputError
from engine.progress import Progress, report
from engine.report import ReportDocument
from ui.report.figures_pdf import render_figures
from ui.report.fonts import report_font, report_font_family

PAPERS: dict[str, QPageSize.PageSizeId] = {
    "a4": QPageSize.PageSizeId.A4,
    "letter": QPageSize.PageSizeId.Letter,
}
DPI = 300
MARGIN_MM = (20.0, 24.0, 20.0, 22.0)  # left, top, right, bottom (body)
THUMB_PX = 240


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF."""

    name: str
    data: bytes
    mime: str = "text/csv"


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    section_pages: dict[str, int]
    missing_figures: list[str]


EDGE_MM = 0.5  # see _write_pdf: keeps the blocks of neighbouring pages out of a page


def content_width_mm(paper: str) -> float:
    size = QPageSize(PAPERS[paper]).size(QPageSize.Unit.Millimeter)
    return float(size.width()) - MARGIN_MM[0] - MARGIN_MM[2]


def _thumbnail(path: object) -> QImage:
    """A square thumbnail (letter-boxed on white); grey when the image cannot be read."""
    from PySide6.QtCore import Qt

    src = QImage(str(path))
    out = QImage(THUMB_PX, THUMB_PX, QImage.Format.Format_RGB32)
    out.fill(QColor("#ffffff") if not src.isNull() else QColor("#dddddd"))
    if not src.isNull():
        scaled = src.scaled(THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)
        p = QPainter(out)
        p.drawImage(QPointF((THUMB_PX - scaled.width()) / 2, (THUMB_PX - scaled.height()) / 2), scaled)
        p.end()
    return out


def _screen_dpi() -> float:
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    return float(screen.logicalDotsPerInchY()) if screen is not None else 96.0


def _keep_paragraphs_on_one_page(doc: QTextDocument, page_height: float) -> int:
    """Start every paragraph that would run over a page break on the next page instead.

    Qt draws all the lines of a block that meets a page, clipping the others away: the clipped
    lines stay in the PDF's text layer, so a split paragraph would be read (and found by a
    search) twice. Paragraphs of the root frame only (table rows already move whole); one
    taller than half a page is left to split. Returns how many were moved.
    """
    layout = doc.documentLayout()
    root = doc.rootFrame()
    doc.pageCount()  # lays the whole document out
    moved = 0
    block = doc.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()  # (re)lays out up to this block first
        lines = block.layout()
        if lines.lineCount() > 1 and QTextCursor(block).currentFrame() == root:
            first = top + lines.lineAt(0).y()
            last = lines.lineAt(lines.lineCount() - 1)
            end = top + last.y() + last.height()
            if int(first // page_height) != int((end - 0.5) // page_height) and end - first < page_height / 2:
                fmt = block.blockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                QTextCursor(block).setBlockFormat(fmt)
                moved += 1
        block = block.next()
    return moved


def _section_pages(doc: QTextDocument, page_height: float) -> dict[str, int]:
    pages: dict[str, int] = {}
    layout = doc.documentLayout()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            it += 1
            for name in frag.charFormat().anchorNames():
                if name.startswith("sec-") and name[4:] not in pages:
                    top = layout.blockBoundingRect(block).top()
                    pages[name[4:]] = int(top // page_height) + 1
        block = block.next()
    return pages


def write_pdf(
    document: ReportDocument,
    out_path: Path,
    *,
    paper: str = "a4",
    attachments: Sequence[Attachment] = (),
    progress: Progress | None = None,
) -> PdfResult:
    """Write ``document`` to ``out_path``; a QApplication must exist (see ``ensure_app``).

    Text is laid out under the report's own locale (Qt picks glyph variants and the PDF's
    text mapping by locale: an English report written from the Japanese UI must still copy
    out as plain English), and the caller's default locale is restored afterwards.
    """
    from PySide6.QtCore import QCoreApplication, QLocale

    from ui.i18n import active_language, install_translations

    previous = QLocale()
    app = QCoreApplication.instance()
    ui_language = active_language()
    # the figures come from the GUI's own plot functions: draw their titles and axes in the
    # report's language, then give the UI its language back
    if app is not None:
        install_translations(app, document.lang)
    QLocale.setDefault(QLocale(document.lang))
    try:
        return _write_pdf(document, out_path, paper=paper, attachments=attachments,
                          progress=progress)
    finally:
        QLocale.setDefault(previous)
        if app is not None:
            install_translations(app, ui_language)


def _text_document(writer: QPdfWriter, body: QSizeF, images: dict[str, QImage],
                   document: ReportDocument, progress: Progress | None) -> QTextDocument:
    """An empty document laid out for ``writer``'s body area, with the figures and thumbnails."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(report_font(10))
    doc.setDocumentMargin(0)
    doc.setPageSize(body)
    doc.setDefaultStyleSheet("h1 { font-size: 17pt; color: #1f3a5f; } h2 { font-size: 12.5pt; color: #1f3a5f; }"
                             " h3 { font-size: 11pt; } th { background-color: #e8eef5; }")
    for key, image in images.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"figure:{key}"), image)
    report(progress, 1, 4, "loading thumbnails")
    for name, path in document.thumbnails.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), _thumbnail(path))
    return doc


def _lay_out(doc: QTextDocument, document: ReportDocument, page_height: float,
             missing: Sequence[str]) -> dict[str, int]:
    """Set the HTML until the contents' page numbers converge; return section → page."""
    html_px_mm = _screen_dpi() / 25.4  # QTextDocument sizes <img> in screen pixels
    pages: dict[str, int] = {}
    for _ in range(3):  # normally converges on the second pass
        doc.setHtml(document.html(html_px_mm, pages or None, missing_figures=missing))
        _keep_paragraphs_on_one_page(doc, page_height)
        found = _section_pages(doc, page_height)
        if found == pages:
            break
        pages = found
    return pages


def _write_pdf(
    document: ReportDocument,
    out_path: Path,
    *,
    paper: str,
    attachments: Sequence[Attachment],
    progress: Progress | None,
) -> PdfResult:
    if paper not in PAPERS:
        raise InputError(f"unknown paper size {paper!r}: choose one of {', '.join(PAPERS)}")
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise InputError(f"cannot write the report to {out_path}: folder {out_path.parent} does not exist")
    family = report_font_family()
    report(progress, 0, 4, "drawing figures")
    images, missing = render_figures(document.figures)

    writer = QPdfWriter(str(out_path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Orientation.Portrait,
                                     QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
    writer.setTitle(document.title)
    writer.setCreator("AlignScope")
    px_mm = DPI / 25.4
    page_w, page_h = writer.width(), writer.height()
    left, top, right, bottom = (m * px_mm for m in MARGIN_MM)
    body = QSizeF(page_w - left - right, page_h - top - bottom)

    doc = _text_document(writer, body, images, document, progress)
    report(progress, 2, 4, "laying out pages")
    pages = _lay_out(doc, document, body.height(), missing)
    n_pages = doc.pageCount()

    report(progress, 3, 4, "writing PDF")
    for name in (a.name for a in attachments):
        if "/" in name or "\\" in name:
            raise InputError(f"attachment name {name!r} must be a plain file name")
    for att in attachments:
        writer.addFileAttachment(att.name, QByteArray(att.data), att.mime)
    painter = QPainter(writer)
    try:
        for i in range(n_pages):
            if i:
                writer.newPage()
            painter.save()
            painter.translate(left, top - i * body.height())
            # blocks end and start on the page boundary (± rounding): a rectangle touching it would
            # draw the neighbouring page's block too, clipped away but present in the text layer
            edge = EDGE_MM * px_mm
            doc.drawContents(painter, QRectF(0, i * body.height() + edge, body.width(),
                                             body.height() - 2 * edge))
            painter.restore()
            if i:  # no header/footer on the title page
                _frame(painter, document, i + 1, n_pages, family, page_w, page_h, left, right, px_mm)
    finally:
        painter.end()
    report(progress, 4, 4, "done")
    return PdfResult(out_path, n_pages, pages, missing)


def _frame(painter: QPainter, document: ReportDocument, page: int, pages: int, family: str,
           page_w: float, page_h: float, left: float, right: float, px_mm: float) -> None:
    from PySide6.QtCore import Qt

    painter.save()
    painter.setFont(report_font(8))
    painter.setPen(QPen(QColor("#555555")))
    head = QRectF(left, 10 * px_mm, page_w - left - right, 6 * px_mm)
    painter.drawText(head, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), document.header)
    painter.drawText(head, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), document.title)
    painter.setPen(QPen(QColor("#bbbbbb"), 0.3 * px_mm))
    painter.drawLine(QPointF(left, 16.5 * px_mm), QPointF(page_w - right, 16.5 * px_mm))
    painter.setPen(QPen(QColor("#555555")))
    foot = QRectF(left, page_h - 14 * px_mm, page_w - left - right, 6 * px_mm)
    painter.drawText(foot, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter),
                     document.footer(page, pages))
    painter.restore()
