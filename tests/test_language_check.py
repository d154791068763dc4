"""The reports' language is checked on import, recorded in the store, and English-only encoders warned about."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from helpers import have_default_models, have_multilingual_models

from engine.dataset.language import (
    ScriptMix,
    check_store_language,
    headline_text_model,
    language_check,
    report_script,
    script_mix,
    store_script_mix,
    truncated_by_script,
)

JA = ["左側の耳付近に約3mmの穴あきを確認。", "異常無し", "L3ラインのtension sensorを再校正した。", "合格"]
EN = ["Local defect: 3 mm hole near the left selvedge.", "No defects found.", "Pass."]


@pytest.mark.parametrize(("text", "script"), [
    ("表面に傷あり。", "ja"), ("異常無し", "ja"), ("ｷｽﾞｱﾘ", "ja"), ("L3ラインのtension sensorを再校正した。", "ja"),
    ("织物表面有明显的瑕疵，需要返工处理。", "zh"), ("Surface OK.", "latin"), ("Überprüfung bestanden.", "latin"),
    ("Дефект на поверхности.", "other"), ("표면에 흠집이 있음", "other"), ("123 456 -- !!", "none"), ("", "none"),
])
def test_report_script(text, script):
    assert report_script(text) == script


def test_script_mix_shares_and_dominant():
    mix, classes = script_mix(JA * 3 + EN)
    assert classes[:4] == ["ja", "ja", "ja", "ja"] and classes[-1] == "latin"
    assert mix.n_reports == 15 and mix.reports["ja"] == 12 and mix.reports["latin"] == 3
    assert mix.dominant == "ja" and mix.needs_multilingual
    assert abs(mix.kana + mix.kanji + mix.latin + mix.other - 1.0) < 1e-3
    small, _ = script_mix(["あいう検査", "abc", "Дд"])  # 3 kana, 2 kanji, 3 Latin, 2 Cyrillic letters
    assert (small.kana, small.kanji, small.latin, small.other, small.letters) == (0.3, 0.2, 0.3, 0.2, 10)
    even, _ = script_mix(JA[:2] + EN[:3])  # 2 Japanese, 3 English: Latin holds the majority
    assert even.dominant == "latin" and not even.needs_multilingual
    mixed, _ = script_mix(["表面に傷。", "Scratch.", "Дефект."])
    assert mixed.dominant == "mixed" and not mixed.needs_multilingual
    assert ScriptMix.from_json(mix.to_json()) == mix
    empty, _ = script_mix([])
    assert empty.dominant == "none" and empty.describe() == "reports: no letters to check"


def test_truncated_by_script():
    assert truncated_by_script(["ja", "latin", "ja", "none"], [True, False, True, True]) == {"ja": 2, "none": 1}


@pytest.mark.skipif(not (have_default_models() and have_multilingual_models()), reason="run `make models`")
def test_language_check_warns_for_english_only_models_on_japanese_reports():
    ja, _ = script_mix(JA)
    en, _ = script_mix(EN)
    check = language_check(ja, ["paraphrase-minilm-l3"])
    assert check.warn and check.english_only == ("paraphrase-minilm-l3",)
    assert check.suggested_model == "multilingual-e5-small"
    assert "Japanese" in check.message and "--text-model multilingual-e5-small" in check.message
    assert not language_check(ja, ["multilingual-e5-small"]).warn
    both = language_check(ja, ["all-minilm-l6", "use-multilingual-v3"])
    assert both.warn and both.suggested_model == "use-multilingual-v3"  # the one already chosen
    assert not language_check(en, ["paraphrase-minilm-l3"]).warn
    assert not language_check(ja, ["not-installed-model"]).warn  # nothing known: no claim
    embedded = ["all-minilm-l6", "multilingual-e5-small", "paraphrase-minilm-l3", "use-multilingual-v3"]
    assert headline_text_model(ja, embedded, "paraphrase-minilm-l3") == "multilingual-e5-small"
    assert headline_text_model(ja, ["all-minilm-l6", "use-multilingual-v3"], "x") == "use-multilingual-v3"
    assert headline_text_model(ja, ["all-minilm-l6"], "paraphrase-minilm-l3") == "all-minilm-l6"
    assert headline_text_model(en, embedded, "paraphrase-minilm-l3") == "paraphrase-minilm-l3"
    assert headline_text_model(en, [], "paraphrase-minilm-l3") is None


def _store_with_reports(path: Path, reports: list[str]) -> None:
    from engine.dataset.model import Dataset, Sample
    from engine.store import write_dataset

    samples = [Sample(row=i + 2, id=f"s{i}", image=path.parent / f"{i}.png", image_rel=f"{i}.png", report=r,
                      image_sha256=hashlib.sha256(b"%d" % i).hexdigest(),
                      report_sha256=hashlib.sha256(r.encode()).hexdigest()) for i, r in enumerate(reports)]
    ds = Dataset(root=path.parent, source=str(path.parent), kind="manifest", encoding="utf-8", n_rows=len(reports),
                 columns=[], label_columns=[], mapping={}, samples=samples, quarantine=[])
    write_dataset(path, ds)


def test_store_records_the_script_mix_and_per_report_scripts(tmp_path):
    from engine.store import Store

    path = tmp_path / "p.h5"
    _store_with_reports(path, JA + EN)
    with Store.open(path) as st:
        info = st.dataset_info()
    assert info["script_mix"]["reports"]["ja"] == 4 and info["script_mix"]["dominant"] == "ja"
    mix, scripts = store_script_mix(path)
    assert scripts == ["ja"] * 4 + ["latin"] * 3 and mix.dominant == "ja"
    check = check_store_language(path)  # no text model embedded yet: nothing to warn about
    assert not check.warn and check.text_models == ()


@pytest.mark.slow
@pytest.mark.skipif(not (have_default_models() and have_multilingual_models()), reason="run `make models`")
def test_embed_and_info_warn_on_japanese_demo_with_an_english_model(tmp_path, capsys):
    from app.main import main

    demo = tmp_path / "demo"
    assert main(["demo", str(demo), "--n", "40", "--lang", "ja"]) == 0
    store = tmp_path / "ja.h5"
    rc = main(["embed", str(demo), "--store", str(store), "--image-model", "efficientnet-lite0",
               "--text-model", "paraphrase-minilm-l3"])
    out = capsys.readouterr()
    assert rc == 0
    assert "Japanese" in out.out and "warning:" in out.err and "multilingual-e5-small" in out.err
    assert main(["info", str(store), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["language"]["check"]["warn"] and info["language"]["check"]["english_only"] == ["paraphrase-minilm-l3"]
    assert info["dataset"]["script_mix"]["dominant"] == "ja"
    assert main(["info", str(store)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_csv_exports_keep_japanese_reports_for_excel(tmp_path):
    """Per-sample and suspect CSVs: UTF-8 with BOM, Japanese text intact, formulas neutralised."""
    import csv
    import io

    from engine.pairs import write_csv
    from engine.report.exports import csv_bytes, safe_cell
    from engine.store import Store

    path = tmp_path / "p.h5"
    _store_with_reports(path, [*JA, "=SUM(A1:A2) 合計を確認"])
    with Store.open(path) as st:
        rows = [[safe_cell(i), safe_cell(t)] for i, t in zip(st.sample_ids(), st.report_texts(), strict=True)]
    raw = csv_bytes(["id", "report"], rows)
    assert raw.startswith(b"\xef\xbb\xbf")
    texts = [r[1] for r in list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[1:]]
    assert texts[:4] == JA
    assert not texts[4].startswith("=") and "合計を確認" in texts[4]
    write_csv(tmp_path / "suspects.csv", ["id", "report"], [["s0", JA[0]]])
    data = (tmp_path / "suspects.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and JA[0] in data.decode("utf-8-sig")
