"""Qt-free report content: formatting, escaping, texts in both languages, CSV safety."""

from __future__ import annotations

import math

from engine.report.exports import csv_bytes, safe_cell
from engine.report.formatting import esc, excerpt, fmt, fmt_interval
from engine.report.texts import metric_definition, tr
from engine.report.texts_en import METRIC_DEFINITIONS as EN_DEFS
from engine.report.texts_en import TEXTS as EN
from engine.report.texts_ja import METRIC_DEFINITIONS as JA_DEFS
from engine.report.texts_ja import TEXTS as JA


def test_numbers_are_printed_with_three_decimals() -> None:
    assert fmt(0.12345) == "0.123"
    assert fmt(1.0) == "1.000"
    assert fmt(7) == "7"
    assert fmt(None) == fmt(math.nan) == fmt(True) == "—"
    assert fmt_interval([0.1, 0.25]) == "0.100 – 0.250"
    assert fmt_interval(None) == "—"


def test_user_text_is_escaped_for_rich_text() -> None:
    assert esc('<b>x</b> <img src="a.png"> & y') == "&lt;b&gt;x&lt;/b&gt; &lt;img src=&quot;a.png&quot;&gt; &amp; y"


def test_excerpt_cuts_at_a_word_and_flattens_lines() -> None:
    text = "word " * 100
    cut = excerpt(text, 50)
    assert cut.endswith(" …") and len(cut) <= 52
    assert excerpt("a\nb\tc", 50) == "a b c"


def test_every_text_exists_in_both_languages_with_the_same_placeholders() -> None:
    assert set(EN) == set(JA)
    assert set(EN_DEFS) == set(JA_DEFS)
    field = __import__("re").compile(r"{(\w+)}")
    for key in EN:
        assert set(field.findall(EN[key])) == set(field.findall(JA[key])), key
    assert tr("ja", "sec_summary") == "概要"
    assert "k/(n−1)" in metric_definition("en", "mutual_knn")


def test_csv_cells_never_run_as_formulas() -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-5") == "-5" and safe_cell("-0.25") == "-0.25"
    data = csv_bytes(["id", "report"], [["a", 'say "hi", then\nleave']])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'id,report\r\na,"say ""hi"", then\nleave"\r\n'
