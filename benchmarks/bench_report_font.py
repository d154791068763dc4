"""Benchmark: the report font's text-layer copy (ui/report/font_text_layer.py).

    .venv/bin/python benchmarks/bench_report_font.py [--store STORE.h5 --lang ja] [--workdir DIR]

Prints: CPU and wall time of deriving each font into an empty cache and of a cached look-up, the
sizes; with --store, writes the report twice (the original font, then the derived copy) and
counts the characters that `pdftotext` gives back but the report's text does not contain
(look-alikes such as the radical ⽬ for 目), with the most frequent ones.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# a child process writes one report, with (1) or without (0) the derived font
_WRITE = """
import sys
from pathlib import Path
import ui.report.fonts as fonts
if sys.argv[1] == "0":
    fonts._text_layer_safe = lambda paths: paths
from ui.report.qt_env import ensure_app
from engine.report import build_document, gather_inputs
from engine.study.analyze import analyze_store
from ui.report.pdf import content_width_mm, write_pdf
from PySide6.QtGui import QTextDocument
store, out, lang = Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
analysis = analyze_store(store, None)
ensure_app()
doc = build_document(analysis, gather_inputs(store, analysis), lang, content_width_mm=content_width_mm("a4"))
write_pdf(doc, out, paper="a4")
text = QTextDocument()
text.setHtml(doc.html(4.0, None))
pages = range(1, 100)
frame = doc.header + doc.title + "".join(doc.footer(p, 99) for p in pages)
out.with_suffix(".txt").write_text(text.toPlainText() + frame, encoding="utf-8")
"""


def derive(cache: Path) -> None:
    from ui.report.font_text_layer import text_layer_font
    from ui.report.fonts import FAMILY, font_files

    for source in font_files():
        wall, cpu = time.perf_counter(), time.process_time()
        out = text_layer_font(source, cache, face_family=FAMILY)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        again = time.perf_counter()
        text_layer_font(source, cache, face_family=FAMILY)
        again = time.perf_counter() - again
        print(f"{source.name}: first derivation {cpu:.2f} s CPU ({wall:.2f} s wall), cached "
              f"{1000 * again:.2f} ms; {source.stat().st_size / 1e6:.2f} MB -> {out.stat().st_size / 1e6:.2f} MB")


def wrong_characters(store: Path, lang: str, workdir: Path, derived: bool) -> None:
    pdf = workdir / f"report_{lang}_{'derived' if derived else 'original'}.pdf"
    env = dict(os.environ, ALIGNSCOPE_FONT_CACHE=str(workdir / "cache"))
    subprocess.run([sys.executable, "-c", _WRITE, "1" if derived else "0", str(store), str(pdf), lang],
                   check=True, env=env, cwd=Path(__file__).resolve().parents[1])
    source = set(pdf.with_suffix(".txt").read_text(encoding="utf-8"))
    extracted = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout
    wrong = collections.Counter(c for c in extracted if c not in source and not c.isspace())
    top = " ".join(f"{c}(U+{ord(c):04X})×{n}" for c, n in wrong.most_common(10))
    print(f"{'derived' if derived else 'original'} font: {len(extracted)} characters extracted, "
          f"{sum(wrong.values())} not in the report's text ({len(wrong)} distinct) {top}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--lang", default="ja")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-report-font-"))
    workdir.mkdir(parents=True, exist_ok=True)
    derive(workdir / "cache")
    if args.store:
        for derived in (False, True):
            wrong_characters(args.store, args.lang, workdir, derived)
    print(f"load average {os.getloadavg()[0]:.1f}; files in {workdir}")


if __name__ == "__main__":
    main()
