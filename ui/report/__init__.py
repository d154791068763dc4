"""Qt rendering of the PDF report (content comes from ``engine.report``).

    export_report(store_path, out_pdf, *, label=None, lang="en", paper="a4", analysis=None,
                  json_out=None, csv_out=None, n_suspects=20, seed=0, use_cache=True,
                  progress=None) -> ReportResult            # ui.report.export
    write_pdf(document, out_path, *, paper="a4", attachments=(), progress=None) -> PdfResult
                                                            # ui.report.pdf
    ensure_app()                                            # ui.report.qt_env
    report_font_family() -> str                             # ui.report.fonts

Nothing Qt is imported by this package itself: import the submodules.
"""
